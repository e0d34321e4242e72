//! Fixing an article's text (a typo, a stray header) without losing its annotations: where each
//! span goes in the changed text.
//!
//! A span whose own characters the change leaves alone keeps them exactly: it stays where it
//! is, or moves by the length the change added or removed before it. A span the change touches
//! is looked for again by its text and the text around it ([`anchor`](super::anchor)), only
//! where the change and the span were: found at one place that agrees best, it goes there;
//! otherwise it is an orphan, for the user to place or delete. No span is ever moved onto other
//! text: wherever a span is placed, its text is the text it had.

use super::anchor::{anchor_within, Anchoring, TextQuote};
use super::offsets::{CharOffset, CharRange};
use super::text::{normalize_line_endings, ArticleText, TextError};

/// Code points on each side of a touched span that it is looked for again with.
pub const CONTEXT_CHARS: usize = 32;

/// One change of a text: the code points `replaced` (of the text before) give way to `inserted`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextChange {
    pub replaced: CharRange,
    pub inserted: String,
}

impl TextChange {
    /// The smallest change that turns `before` into `after`: what they share at the start and at
    /// the end is left out. Both are texts as the app keeps them (line ends as `\n`).
    pub fn between(before: &str, after: &str) -> Self {
        let head = before
            .chars()
            .zip(after.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let before_len = before.chars().count();
        let after_len = after.chars().count();
        let tail = before
            .chars()
            .rev()
            .zip(after.chars().rev())
            .take(before_len.min(after_len) - head)
            .take_while(|(a, b)| a == b)
            .count();
        Self {
            replaced: CharRange::spanning(
                CharOffset::new(head),
                CharOffset::new(before_len - tail),
            ),
            inserted: after
                .chars()
                .skip(head)
                .take(after_len - tail - head)
                .collect(),
        }
    }

    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.replaced.is_empty() && self.inserted.is_empty()
    }

    /// `text` with the change made. Line ends in `inserted` become `\n`, as in every text.
    ///
    /// # Errors
    /// [`TextError`] when the result is not a text the app can keep; `None` when `replaced` is
    /// not in `text`.
    pub fn apply(&self, text: &ArticleText) -> Option<Result<ArticleText, TextError>> {
        let before = CharRange::spanning(CharOffset::new(0), self.replaced.start());
        let after = CharRange::spanning(self.replaced.end(), CharOffset::new(text.char_len()));
        let changed = format!(
            "{}{}{}",
            text.slice(before)?,
            normalize_line_endings(&self.inserted),
            text.slice(after)?
        );
        Some(ArticleText::try_from_normalized(&changed))
    }

    /// Code points the change adds (negative: removes).
    fn growth(&self) -> isize {
        self.inserted.chars().count() as isize - self.replaced.len() as isize
    }
}

/// Where a span of the text before the change is in the text after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Its characters were not touched: here, moved by what the change added before it.
    Kept(CharRange),
    /// The change touched it, and its text was found again here.
    Reanchored(CharRange),
    /// The change touched it, and its text is not (or not unambiguously) where it was.
    Orphaned,
}

/// Where `span` (of `before`) goes in `after`, the text `change` makes of `before`.
pub fn place(
    before: &ArticleText,
    after: &ArticleText,
    change: &TextChange,
    span: CharRange,
) -> Placement {
    let (start, end) = (span.start().get(), span.end().get());
    let (from, to) = (change.replaced.start().get(), change.replaced.end().get());
    if end <= from {
        return Placement::Kept(span);
    }
    if start >= to {
        let moved = |at: usize| CharOffset::new(at.saturating_add_signed(change.growth()));
        return Placement::Kept(CharRange::spanning(moved(start), moved(end)));
    }
    // Touched: look for its text where it and the change were, and nowhere else.
    let Some(quote) = TextQuote::of(before, span, CONTEXT_CHARS) else {
        return Placement::Orphaned;
    };
    let window_end = end.max(to).saturating_add_signed(change.growth());
    let window = CharRange::spanning(
        CharOffset::new(start.min(from)),
        CharOffset::new(window_end.min(after.char_len())),
    );
    match anchor_within(after, &quote, window) {
        Anchoring::Found(range) => Placement::Reanchored(range),
        Anchoring::Ambiguous { .. } | Anchoring::Missing => Placement::Orphaned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> ArticleText {
        ArticleText::normalize(s)
    }

    fn span_of(t: &ArticleText, needle: &str) -> CharRange {
        let byte = t.as_str().find(needle).unwrap();
        let start = t.as_str()[..byte].chars().count();
        CharRange::from_raw(start, start + needle.chars().count()).unwrap()
    }

    /// Places every needle's span after turning `before` into `after`; the text each lands on.
    fn placed(before: &str, after: &str, needles: &[&str]) -> Vec<Option<(String, bool)>> {
        let (b, a) = (text(before), text(after));
        let change = TextChange::between(b.as_str(), a.as_str());
        assert_eq!(change.apply(&b).unwrap().unwrap(), a);
        needles
            .iter()
            .map(|needle| match place(&b, &a, &change, span_of(&b, needle)) {
                Placement::Kept(r) => Some((a.slice(r).unwrap().to_owned(), false)),
                Placement::Reanchored(r) => Some((a.slice(r).unwrap().to_owned(), true)),
                Placement::Orphaned => None,
            })
            .collect()
    }

    #[test]
    fn the_smallest_change_is_found() {
        let change = TextChange::between("Jane Doe siad so.", "Jane Doe said so.");
        assert_eq!(change.replaced, CharRange::from_raw(10, 12).unwrap());
        assert_eq!(change.inserted, "ai");
        assert!(TextChange::between("same 😀", "same 😀").is_empty());
        let change = TextChange::between("aaa", "aaaa");
        assert_eq!((change.replaced.len(), change.inserted.as_str()), (0, "a"));
    }

    #[test]
    fn spans_away_from_a_fix_keep_their_text() {
        // Two fixes at once (a stray header dropped, a typo) make one change from the header to
        // the typo: "Jane Doe" inside it is found again; the spans after it only move.
        let before = "HEADER\nJane Doe siad “we won” on 😀 Monday.";
        let after = "Jane Doe said “we won” on 😀 Monday.";
        assert_eq!(
            placed(before, after, &["Jane Doe", "“we won”", "Monday"]),
            [
                Some(("Jane Doe".into(), true)),
                Some(("“we won”".into(), false)),
                Some(("Monday".into(), false)),
            ]
        );
    }

    #[test]
    fn a_span_whose_text_changed_is_an_orphan() {
        let before = "Jane Doe siad we won.";
        let after = "Jane Doe said we won.";
        assert_eq!(placed(before, after, &["siad we"]), [None]);
    }

    #[test]
    fn a_touched_span_whose_text_survives_is_found_again_where_it_was() {
        // The whole sentence replaced by itself with a fix before the span: the span is
        // touched (the change covers it) but its text is still there.
        let before = "Intro. Jane Doe siad: we won. Outro.";
        let b = text(before);
        let change = TextChange {
            replaced: span_of(&b, "Jane Doe siad: we won."),
            inserted: "Jane Doe said: we won.".into(),
        };
        let a = change.apply(&b).unwrap().unwrap();
        assert_eq!(
            place(&b, &a, &change, span_of(&b, "we won")),
            Placement::Reanchored(span_of(&a, "we won"))
        );
    }

    #[test]
    fn never_onto_the_same_words_elsewhere() {
        // "we won" is edited in the first sentence; the second sentence's "we won" is outside
        // where the span and the change were.
        let before = "First we won. Then we won.";
        let after = "First we lost. Then we won.";
        assert_eq!(placed(before, after, &["we won"]), [None]);
    }
}
