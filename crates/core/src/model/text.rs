//! [`ArticleText`]: the immutable, line-ending-normalised text of a document, with the
//! [`OffsetIndex`] that converts between its code point, UTF-16 and byte offsets.

use std::fmt;
use std::rc::Rc;

pub use super::offset_index::OffsetError;
use super::offset_index::OffsetIndex;
use super::offsets::{ByteOffset, CharOffset, CharRange, Utf16Offset};

/// Why a string cannot be used as article text as it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("the text contains a carriage return at code point {at}; line endings must be \\n")]
    CarriageReturn { at: usize },
}

/// Normalised document text plus its offset index. Cloning is cheap (one `Rc`).
#[derive(Clone, PartialEq, Eq)]
pub struct ArticleText(Rc<OffsetIndex<Rc<str>>>);

/// Replaces `\r\n` and lone `\r` with `\n`. Offsets everywhere are over the result.
pub fn normalize_line_endings(raw: &str) -> String {
    if !raw.contains('\r') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

impl ArticleText {
    /// Normalises line endings of pasted text and indexes it.
    pub fn normalize(raw: &str) -> Self {
        Self::index(Rc::from(normalize_line_endings(raw)))
    }

    /// Indexes text that must already be normalised (as stored or exported by us).
    ///
    /// # Errors
    /// [`TextError::CarriageReturn`] when it contains `\r`: normalising it now would silently
    /// shift every offset that was counted over the original.
    pub fn try_from_normalized(text: &str) -> Result<Self, TextError> {
        if let Some(at) = text.chars().position(|c| c == '\r') {
            return Err(TextError::CarriageReturn { at });
        }
        Ok(Self::index(Rc::from(text)))
    }

    fn index(text: Rc<str>) -> Self {
        Self(Rc::new(OffsetIndex::new(text)))
    }

    pub fn as_str(&self) -> &str {
        self.0.text()
    }

    /// The text as a shared string, for handing to the view without copying.
    pub fn shared(&self) -> Rc<str> {
        Rc::clone(self.0.owner())
    }

    /// Length in code points.
    pub fn char_len(&self) -> usize {
        self.0.char_len()
    }

    /// Length in UTF-16 code units.
    pub fn utf16_len(&self) -> usize {
        self.0.utf16_len()
    }

    /// The whole text as a range.
    pub fn full_range(&self) -> CharRange {
        CharRange::spanning(CharOffset::new(0), CharOffset::new(self.char_len()))
    }

    /// Whether two handles share the same allocation (cheap identity check for memoisation).
    pub fn ptr_eq(&self, other: &ArticleText) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// Code point offset → byte offset.
    ///
    /// # Errors
    /// [`OffsetError::PastEnd`] when `offset > char_len()`.
    pub fn byte_of(&self, offset: CharOffset) -> Result<ByteOffset, OffsetError> {
        self.0.byte_of(offset)
    }

    /// Code point offset → UTF-16 offset.
    ///
    /// # Errors
    /// [`OffsetError::PastEnd`] when `offset > char_len()`.
    pub fn utf16_of(&self, offset: CharOffset) -> Result<Utf16Offset, OffsetError> {
        self.0.utf16_of(offset)
    }

    /// UTF-16 offset → code point offset.
    ///
    /// # Errors
    /// [`OffsetError::PastEnd`] past the end; [`OffsetError::InsideCharacter`] between the two
    /// halves of a surrogate pair.
    pub fn char_of_utf16(&self, offset: Utf16Offset) -> Result<CharOffset, OffsetError> {
        self.0.char_of_utf16(offset)
    }

    /// Byte offset → code point offset.
    ///
    /// # Errors
    /// [`OffsetError::PastEnd`] past the end; [`OffsetError::InsideCharacter`] when the byte is
    /// not on a character boundary.
    pub fn char_of_byte(&self, offset: ByteOffset) -> Result<CharOffset, OffsetError> {
        self.0.char_of_byte(offset)
    }

    /// The text of a code point range, or `None` when it reaches past the end.
    pub fn slice(&self, range: CharRange) -> Option<&str> {
        self.0.slice(range)
    }
}

impl fmt::Debug for ArticleText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArticleText")
            .field("char_len", &self.0.char_len())
            .field("text", &self.0.text())
            .finish()
    }
}

/// Converts a UTF-16 offset *inside a short string* (one rendered piece of text) into code
/// points, rounding a position between surrogate halves forward to the end of that character.
pub fn utf16_to_chars_in(s: &str, utf16: usize) -> usize {
    let mut seen = 0;
    let mut chars = 0;
    for c in s.chars() {
        if seen >= utf16 {
            break;
        }
        seen += c.len_utf16();
        chars += 1;
    }
    chars
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_lone_cr_become_lf() {
        assert_eq!(normalize_line_endings("a\r\nb\rc\n\r\n"), "a\nb\nc\n\n");
    }

    #[test]
    fn stored_text_with_cr_is_rejected_not_shifted() {
        assert_eq!(
            ArticleText::try_from_normalized("ab\r\n").unwrap_err(),
            TextError::CarriageReturn { at: 2 }
        );
    }

    #[test]
    fn emoji_counts_one_code_point_two_utf16_units_four_bytes() {
        let t = ArticleText::normalize("a😀b");
        assert_eq!(t.char_len(), 3);
        assert_eq!(t.utf16_len(), 4);
        assert_eq!(t.utf16_of(CharOffset::new(2)).unwrap(), Utf16Offset::new(3));
        assert_eq!(t.byte_of(CharOffset::new(2)).unwrap(), ByteOffset::new(5));
        assert_eq!(
            t.char_of_utf16(Utf16Offset::new(2)),
            Err(OffsetError::InsideCharacter { offset: 2 })
        );
    }

    #[test]
    fn utf16_inside_piece_rounds_forward() {
        assert_eq!(utf16_to_chars_in("😀x", 1), 1);
        assert_eq!(utf16_to_chars_in("😀x", 2), 1);
        assert_eq!(utf16_to_chars_in("😀x", 3), 2);
        assert_eq!(utf16_to_chars_in("😀x", 99), 2);
    }
}
