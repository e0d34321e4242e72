//! [`Reader`]: lib0's binary encoding (the one Yjs, y-protocols and Hocuspocus write) read from
//! bytes that came off the network.
//!
//! yrs has a reader of its own, but its bounds check adds a length read from the input to a
//! position without checking for overflow, which on wasm32 (where `usize` is 32 bits) can wrap
//! and then slice out of range: a panic, and the page's wasm is built with `panic = "abort"`.
//! Everything this crate reads from the wire goes through this reader first, whose every read
//! is checked and returns [`WireError`] instead.
//!
//! Writing needs no such care and uses yrs's `Write` on `Vec<u8>`.

/// Why bytes could not be read as lib0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("the message ends in the middle of a value")]
    Truncated,
    #[error("a variable-length number does not fit in 64 bits")]
    NumberTooLong,
    #[error("a string is not valid UTF-8")]
    NotUtf8,
}

/// A cursor over untrusted lib0 bytes.
#[derive(Clone, Debug)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, position: 0 }
    }

    /// How many bytes are left to read.
    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.position)
    }

    pub(crate) fn is_at_end(&self) -> bool {
        self.remaining() == 0
    }

    pub(crate) fn u8(&mut self) -> Result<u8, WireError> {
        let byte = *self.bytes.get(self.position).ok_or(WireError::Truncated)?;
        self.position += 1;
        Ok(byte)
    }

    /// lib0's `varUint`: seven bits a byte, least significant first, the high bit set on every
    /// byte but the last.
    pub(crate) fn var_u64(&mut self) -> Result<u64, WireError> {
        let mut value: u64 = 0;
        let mut shift: u32 = 0;
        loop {
            let byte = self.u8()?;
            let bits = u64::from(byte & 0x7f);
            // The tenth byte may only carry the 64th bit.
            if shift == 63 && bits > 1 {
                return Err(WireError::NumberTooLong);
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
            if shift > 63 {
                return Err(WireError::NumberTooLong);
            }
        }
    }

    /// A `varUint` that must fit in 32 bits (Yjs clocks and lengths).
    pub(crate) fn var_u32(&mut self) -> Result<u32, WireError> {
        u32::try_from(self.var_u64()?).map_err(|_| WireError::NumberTooLong)
    }

    /// A `varUint` used as a length or a count, which cannot exceed what is left to read (each
    /// counted thing takes at least `min_bytes_each` bytes).
    pub(crate) fn count(&mut self, min_bytes_each: usize) -> Result<usize, WireError> {
        let count = self.var_u64()?;
        let count = usize::try_from(count).map_err(|_| WireError::Truncated)?;
        if count.saturating_mul(min_bytes_each.max(1)) > self.remaining() {
            return Err(WireError::Truncated);
        }
        Ok(count)
    }

    /// The next `len` bytes.
    pub(crate) fn take(&mut self, len: usize) -> Result<&'a [u8], WireError> {
        let end = self.position.checked_add(len).ok_or(WireError::Truncated)?;
        let slice = self
            .bytes
            .get(self.position..end)
            .ok_or(WireError::Truncated)?;
        self.position = end;
        Ok(slice)
    }

    /// lib0's `varUint8Array`: a `varUint` length, then that many bytes.
    pub(crate) fn var_bytes(&mut self) -> Result<&'a [u8], WireError> {
        let len = self.count(1)?;
        self.take(len)
    }

    /// lib0's `varString`: a `varUint8Array` of UTF-8.
    pub(crate) fn var_string(&mut self) -> Result<&'a str, WireError> {
        std::str::from_utf8(self.var_bytes()?).map_err(|_| WireError::NotUtf8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::encoding::write::Write;

    #[test]
    fn numbers_round_trip_through_yrs_writer() {
        for value in [0, 1, 127, 128, 300, u64::from(u32::MAX), 1 << 53, u64::MAX] {
            let mut bytes = Vec::new();
            bytes.write_var(value);
            let mut reader = Reader::new(&bytes);
            assert_eq!(reader.var_u64(), Ok(value));
            assert!(reader.is_at_end());
        }
    }

    #[test]
    fn overlong_and_truncated_numbers_are_errors() {
        assert_eq!(Reader::new(&[0x80]).var_u64(), Err(WireError::Truncated));
        assert_eq!(
            Reader::new(&[0xff; 11]).var_u64(),
            Err(WireError::NumberTooLong)
        );
        let mut too_big = vec![0xff; 9];
        too_big.push(0x02);
        assert_eq!(
            Reader::new(&too_big).var_u64(),
            Err(WireError::NumberTooLong)
        );
        assert_eq!(
            Reader::new(&[0x80, 0x80, 0x80, 0x80, 0x10]).var_u32(),
            Err(WireError::NumberTooLong)
        );
    }

    #[test]
    fn lengths_beyond_the_input_are_errors() {
        // A length of u32::MAX followed by nothing: the wrap that yrs's reader can hit on wasm32.
        assert_eq!(
            Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f]).var_bytes(),
            Err(WireError::Truncated)
        );
        assert_eq!(
            Reader::new(&[0x02, b'a']).var_string(),
            Err(WireError::Truncated)
        );
        assert_eq!(
            Reader::new(&[0x01, 0xff]).var_string(),
            Err(WireError::NotUtf8)
        );
        assert_eq!(Reader::new(&[0x02, b'h', b'i']).var_string(), Ok("hi"));
    }
}
