#![cfg(not(target_arch = "wasm32"))]
//! The CRC-32 behind zip entries (`src/export/crc32.rs`).
//!
//! Why: a wrong CRC makes every other zip tool reject the brat archives we write, and makes us
//! reject theirs. `crc32fast` is the reference: the implementation we replaced to save bundle
//! size.

use annotator_core::formats::crc32::crc32;
use proptest::prelude::*;

#[test]
fn the_standard_check_value_and_the_empty_input() {
    // The check value every CRC-32/ISO-HDLC implementation publishes.
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(crc32(b""), 0);
    assert_eq!(crc32(b"hello"), 0x3610_A686);
}

proptest! {
    #[test]
    fn agrees_with_crc32fast(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        prop_assert_eq!(crc32(&bytes), crc32fast::hash(&bytes));
    }
}
