//! [`Orphan`]: an annotation whose text a fix of the article changed beyond finding it again.
//! It is kept aside, with its text and the text around it as it was, until the user places it
//! on the text it belongs to or deletes it: never dropped, never moved onto other text by
//! itself.

use super::anchor::TextQuote;
use super::annotation::AnnotationId;
use super::document::Removed;
use super::offsets::{ByteOffset, CharOffset, CharRange};
use super::text::ArticleText;

/// An annotation taken off the text with its relations (`removed`; its range is where it was in
/// the text before the fix), and what it said (`quote`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Orphan {
    pub removed: Removed,
    pub quote: TextQuote,
}

impl Orphan {
    pub fn id(&self) -> &AnnotationId {
        &self.removed.annotation.id
    }
}

/// Code points shown on each side of where an orphan was, for the user to find its words.
pub const VICINITY_CHARS: usize = 160;

impl Orphan {
    /// The stretch of `text` (the text now) around where the orphan was: its old offsets,
    /// clamped to the text, widened by [`VICINITY_CHARS`] on each side.
    pub fn vicinity(&self, text: &ArticleText) -> CharRange {
        let len = text.char_len();
        let start = self.removed.annotation.range.start().get().min(len);
        let end = (start + self.quote.exact.chars().count()).min(len);
        CharRange::spanning(
            CharOffset::new(start.saturating_sub(VICINITY_CHARS)),
            CharOffset::new((end + VICINITY_CHARS).min(len)),
        )
    }

    /// The first `limit` places of the orphan's exact text in `text`, and how many there are.
    pub fn occurrences(&self, text: &ArticleText, limit: usize) -> (Vec<CharRange>, usize) {
        let exact = &self.quote.exact;
        let (mut places, mut count, mut from) = (Vec::new(), 0, 0);
        if exact.is_empty() {
            return (places, 0);
        }
        let full = text.as_str();
        let exact_chars = exact.chars().count();
        while let Some(found) = full[from..].find(exact.as_str()) {
            let at = from + found;
            count += 1;
            if places.len() < limit {
                if let Ok(start) = text.char_of_byte(ByteOffset::new(at)) {
                    places.push(CharRange::spanning(
                        start,
                        CharOffset::new(start.get() + exact_chars),
                    ));
                }
            }
            from = at + full[at..].chars().next().map_or(1, char::len_utf8);
        }
        (places, count)
    }
}
