//! [`OffsetIndex`]: the one converter between code point, UTF-16 and byte offsets, in
//! O(stride) per conversion instead of a scan from the start of the text.
//!
//! [`crate::model::ArticleText`] keeps one over its normalised text, and every dataset format
//! builds one over a file's raw text (which may still have `\r\n`), once per text, whatever
//! the number of spans. It is separate from `ArticleText` because that type promises normalised
//! text and raw text must not pass for it.
//!
//! The index is deliberately not generic over offset spaces (like rust-analyzer's `line-index`):
//! each conversion is spelled out, so a reader can see which space goes in and which comes out.
//! It is generic only over who owns the text, so it always converts over the text it indexed.

use super::offsets::{ByteOffset, CharOffset, CharRange, Utf16Offset};

/// One checkpoint every `STRIDE` code points. 64 keeps the index at ~1/4 of the text size for
/// ASCII while bounding every conversion to a scan of at most 63 characters.
const STRIDE: usize = 64;

/// Why an offset cannot be converted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OffsetError {
    #[error("offset {offset} is past the end of the text ({len})")]
    PastEnd { offset: usize, len: usize },
    #[error("offset {offset} falls inside a character")]
    InsideCharacter { offset: usize },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Checkpoint {
    byte: usize,
    utf16: usize,
}

/// A text (`S` owns or borrows it) with the positions of every `STRIDE`-th code point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffsetIndex<S> {
    text: S,
    table: Table,
}

/// The index proper. Not generic, so the conversions are compiled once, not once per owner
/// (the wasm bundle is measured to the kilobyte).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Table {
    char_len: usize,
    utf16_len: usize,
    /// `checkpoints[k]` is the position of code point `k * STRIDE`; the last one may be the end.
    checkpoints: Vec<Checkpoint>,
}

impl<S: AsRef<str>> OffsetIndex<S> {
    /// Indexes `text` in one pass.
    pub fn new(text: S) -> Self {
        let table = Table::new(text.as_ref());
        Self { text, table }
    }

    /// The indexed text.
    pub fn text(&self) -> &str {
        self.text.as_ref()
    }

    /// The text as its owner holds it (for `Rc<str>`: to share it without copying).
    pub fn owner(&self) -> &S {
        &self.text
    }

    /// The indexed text, handed back (to keep it without the index).
    pub fn into_text(self) -> S {
        self.text
    }

    /// Length in code points.
    pub fn char_len(&self) -> usize {
        self.table.char_len
    }

    /// Length in UTF-16 code units.
    pub fn utf16_len(&self) -> usize {
        self.table.utf16_len
    }

    /// Code point offset → byte offset.
    ///
    /// # Errors
    /// [`OffsetError::PastEnd`] when `offset > char_len()`.
    pub fn byte_of(&self, offset: CharOffset) -> Result<ByteOffset, OffsetError> {
        self.table
            .walk_to_char(self.text(), offset)
            .map(|(byte, _)| byte)
    }

    /// Code point offset → UTF-16 offset.
    ///
    /// # Errors
    /// [`OffsetError::PastEnd`] when `offset > char_len()`.
    pub fn utf16_of(&self, offset: CharOffset) -> Result<Utf16Offset, OffsetError> {
        self.table
            .walk_to_char(self.text(), offset)
            .map(|(_, utf16)| utf16)
    }

    /// UTF-16 offset → code point offset.
    ///
    /// # Errors
    /// [`OffsetError::PastEnd`] past the end; [`OffsetError::InsideCharacter`] between the two
    /// halves of a surrogate pair.
    pub fn char_of_utf16(&self, offset: Utf16Offset) -> Result<CharOffset, OffsetError> {
        self.table.char_of_utf16(self.text(), offset)
    }

    /// Byte offset → code point offset.
    ///
    /// # Errors
    /// [`OffsetError::PastEnd`] past the end; [`OffsetError::InsideCharacter`] when the byte is
    /// not on a character boundary.
    pub fn char_of_byte(&self, offset: ByteOffset) -> Result<CharOffset, OffsetError> {
        self.table.char_of_byte(self.text(), offset)
    }

    /// The text of a code point range, or `None` when it reaches past the end.
    pub fn slice(&self, range: CharRange) -> Option<&str> {
        self.table.slice(self.text(), range)
    }

    /// The code point at `offset`, or `None` at or past the end.
    pub fn char_at(&self, offset: CharOffset) -> Option<char> {
        let byte = self.byte_of(offset).ok()?.get();
        self.text().get(byte..)?.chars().next()
    }
}

impl Table {
    fn new(text: &str) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        let mut utf16 = 0;
        let mut char_len = 0;
        for (byte, c) in text.char_indices() {
            if char_len % STRIDE == 0 {
                checkpoints.push(Checkpoint { byte, utf16 });
            }
            utf16 += c.len_utf16();
            char_len += 1;
        }
        if char_len % STRIDE == 0 {
            checkpoints.push(Checkpoint {
                byte: text.len(),
                utf16,
            });
        }
        Self {
            char_len,
            utf16_len: utf16,
            checkpoints,
        }
    }

    /// Walks forward from the checkpoint at or before code point `offset`.
    fn walk_to_char(
        &self,
        text: &str,
        offset: CharOffset,
    ) -> Result<(ByteOffset, Utf16Offset), OffsetError> {
        let offset = offset.get();
        let checkpoint = match self.checkpoints.get(offset / STRIDE) {
            Some(checkpoint) if offset <= self.char_len => *checkpoint,
            _ => {
                return Err(OffsetError::PastEnd {
                    offset,
                    len: self.char_len,
                })
            }
        };
        let mut byte = checkpoint.byte;
        let mut utf16 = checkpoint.utf16;
        for c in text[byte..].chars().take(offset % STRIDE) {
            byte += c.len_utf8();
            utf16 += c.len_utf16();
        }
        Ok((ByteOffset::new(byte), Utf16Offset::new(utf16)))
    }

    fn char_of_utf16(&self, text: &str, offset: Utf16Offset) -> Result<CharOffset, OffsetError> {
        let target = offset.get();
        let past_end = OffsetError::PastEnd {
            offset: target,
            len: self.utf16_len,
        };
        if target > self.utf16_len {
            return Err(past_end);
        }
        // The first checkpoint is at 0, so at least one is at or before the target.
        let k = self
            .checkpoints
            .partition_point(|c| c.utf16 <= target)
            .saturating_sub(1);
        let Some(checkpoint) = self.checkpoints.get(k) else {
            return Err(past_end);
        };
        let mut chars = k * STRIDE;
        let mut utf16 = checkpoint.utf16;
        for c in text[checkpoint.byte..].chars() {
            if utf16 >= target {
                break;
            }
            utf16 += c.len_utf16();
            chars += 1;
        }
        if utf16 != target {
            return Err(OffsetError::InsideCharacter { offset: target });
        }
        Ok(CharOffset::new(chars))
    }

    fn char_of_byte(&self, text: &str, offset: ByteOffset) -> Result<CharOffset, OffsetError> {
        let target = offset.get();
        if target > text.len() {
            return Err(OffsetError::PastEnd {
                offset: target,
                len: text.len(),
            });
        }
        if !text.is_char_boundary(target) {
            return Err(OffsetError::InsideCharacter { offset: target });
        }
        let k = self
            .checkpoints
            .partition_point(|c| c.byte <= target)
            .saturating_sub(1);
        let from = self.checkpoints.get(k).map_or(0, |c| c.byte);
        Ok(CharOffset::new(
            k * STRIDE + text[from..target].chars().count(),
        ))
    }

    fn slice<'t>(&self, text: &'t str, range: CharRange) -> Option<&'t str> {
        let (start, _) = self.walk_to_char(text, range.start()).ok()?;
        let (end, _) = self.walk_to_char(text, range.end()).ok()?;
        text.get(start.get()..end.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_text_keeps_its_carriage_returns_in_every_count() {
        let index = OffsetIndex::new("a\r\n😀");
        assert_eq!((index.char_len(), index.utf16_len()), (4, 5));
        assert_eq!(
            index.char_of_utf16(Utf16Offset::new(3)),
            Ok(CharOffset::new(3))
        );
        assert_eq!(
            index.char_of_utf16(Utf16Offset::new(4)),
            Err(OffsetError::InsideCharacter { offset: 4 })
        );
        assert_eq!(index.char_at(CharOffset::new(1)), Some('\r'));
        assert_eq!(index.char_at(CharOffset::new(4)), None);
    }

    #[test]
    fn empty_text_has_only_offset_zero() {
        let index = OffsetIndex::new("");
        assert_eq!(index.byte_of(CharOffset::new(0)), Ok(ByteOffset::new(0)));
        assert_eq!(
            index.char_of_utf16(Utf16Offset::new(0)),
            Ok(CharOffset::new(0))
        );
        assert_eq!(
            index.utf16_of(CharOffset::new(1)),
            Err(OffsetError::PastEnd { offset: 1, len: 0 })
        );
        assert_eq!(index.slice(CharRange::from_raw(0, 0).unwrap()), Some(""));
    }
}
