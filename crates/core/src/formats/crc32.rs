//! CRC-32 (IEEE 802.3, the one zip archives use), one byte at a time from a 1 KB table.
//!
//! Why not `crc32fast`: its 16 KB table does not compress, a large share of the bundle to check
//! brat zips of a few megabytes at most. This table is built at compile time; `tests/crc32.rs`
//! checks it against `crc32fast` and the standard check value.

/// The reflected IEEE polynomial.
const POLYNOMIAL: u32 = 0xEDB8_8320;

/// The CRC of each byte value: the usual table of the byte-wise algorithm.
const TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut crc = byte as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ POLYNOMIAL
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[byte] = crc;
        byte += 1;
    }
    table
};

/// The CRC-32 of `bytes`, as stored in a zip entry's headers.
#[must_use]
pub fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |crc, &byte| {
        TABLE[usize::from((crc as u8) ^ byte)] ^ (crc >> 8)
    })
}
