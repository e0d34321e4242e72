//! Finding a quoted span in a text: by its exact text and the text around it, as the W3C
//! `TextQuoteSelector` describes a span (`exact`, `prefix`, `suffix`). What an annotation from
//! another tool (which carries no offsets) and an annotation whose text was edited are found by.
//!
//! Never a guess: among the places where the exact text occurs, the one whose surroundings agree
//! best with the quote's is taken only when no other agrees as well; otherwise the quote is
//! ambiguous, and the caller asks the user.

use super::offsets::{CharOffset, CharRange};
use super::text::ArticleText;

/// A span described by its text: `exact`, with up to a few words of `prefix` before it and
/// `suffix` after it (empty where the span starts or ends its text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextQuote {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
}

impl TextQuote {
    /// The quote of `range` in `text`, with up to `context` code points on each side. `None`
    /// when `range` is not in `text` or is empty.
    pub fn of(text: &ArticleText, range: CharRange, context: usize) -> Option<Self> {
        if range.is_empty() {
            return None;
        }
        let before = CharRange::from_raw(
            range.start().get().saturating_sub(context),
            range.start().get(),
        )
        .ok()?;
        let after_end = (range.end().get() + context).min(text.char_len());
        let after = CharRange::from_raw(range.end().get(), after_end).ok()?;
        Some(Self {
            exact: text.slice(range)?.to_owned(),
            prefix: text.slice(before)?.to_owned(),
            suffix: text.slice(after)?.to_owned(),
        })
    }
}

/// Where a quote was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Anchoring {
    /// At one place, which agrees with the quote's surroundings better than any other.
    Found(CharRange),
    /// At `places` places that agree with its surroundings equally well.
    Ambiguous { places: usize },
    /// Its exact text is not there.
    Missing,
}

/// Finds `quote` in `text`, anywhere.
pub fn anchor(text: &ArticleText, quote: &TextQuote) -> Anchoring {
    anchor_within(text, quote, text.full_range())
}

/// Finds `quote` in `text`, only where its exact text lies wholly inside `within`.
pub fn anchor_within(text: &ArticleText, quote: &TextQuote, within: CharRange) -> Anchoring {
    if quote.exact.is_empty() {
        return Anchoring::Missing;
    }
    let Some(area) = text.slice(within) else {
        return Anchoring::Missing;
    };
    let full = text.as_str();
    // Byte offset of `area` in the text, to read the surroundings beyond it.
    let area_byte = area.as_ptr() as usize - full.as_ptr() as usize;
    let exact_chars = quote.exact.chars().count();
    let mut best: Option<(usize, CharRange)> = None;
    let mut ties = 0;
    // Code points of `area` before the byte offset reached so far: occurrences are counted
    // forward once, not from the start each time.
    let (mut counted_byte, mut counted_chars) = (0, 0);
    let mut from = 0;
    while let Some(found) = area[from..].find(&quote.exact) {
        let at = from + found;
        counted_chars += area[counted_byte..at].chars().count();
        counted_byte = at;
        let start = within.start().get() + counted_chars;
        let range =
            CharRange::spanning(CharOffset::new(start), CharOffset::new(start + exact_chars));
        let before = &full[..area_byte + at];
        let after = &full[area_byte + at + quote.exact.len()..];
        let agreement = common_suffix(before, &quote.prefix) + common_prefix(after, &quote.suffix);
        match best {
            Some((score, _)) if score > agreement => {}
            Some((score, _)) if score == agreement => ties += 1,
            _ => {
                best = Some((agreement, range));
                ties = 0;
            }
        }
        // Overlapping occurrences count too ("aa" twice in "aaa"): go on one character later.
        from = at + area[at..].chars().next().map_or(1, char::len_utf8);
    }
    match best {
        None => Anchoring::Missing,
        Some((_, range)) if ties == 0 => Anchoring::Found(range),
        Some(_) => Anchoring::Ambiguous { places: ties + 1 },
    }
}

/// Code points at the end of `text` that are the end of `wanted`.
fn common_suffix(text: &str, wanted: &str) -> usize {
    text.chars()
        .rev()
        .zip(wanted.chars().rev())
        .take_while(|(a, b)| a == b)
        .count()
}

/// Code points at the start of `text` that are the start of `wanted`.
fn common_prefix(text: &str, wanted: &str) -> usize {
    text.chars()
        .zip(wanted.chars())
        .take_while(|(a, b)| a == b)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(exact: &str, prefix: &str, suffix: &str) -> TextQuote {
        TextQuote {
            exact: exact.into(),
            prefix: prefix.into(),
            suffix: suffix.into(),
        }
    }

    fn found(text: &str, q: &TextQuote) -> Option<String> {
        let text = ArticleText::normalize(text);
        match anchor(&text, q) {
            Anchoring::Found(range) => {
                Some(format!("{}..{}", range.start().get(), range.end().get()))
            }
            _ => None,
        }
    }

    #[test]
    fn the_surroundings_pick_one_of_several_places() {
        let text = "Biden said no. Later Biden said yes. 😀 Biden said maybe.";
        assert_eq!(
            found(text, &quote("Biden said", "Later ", " yes")),
            Some("21..31".into())
        );
        assert_eq!(
            found(text, &quote("Biden said", "😀 ", "")),
            Some("39..49".into())
        );
        // No surroundings: three places agree equally.
        let text = ArticleText::normalize(text);
        assert_eq!(
            anchor(&text, &quote("Biden said", "", "")),
            Anchoring::Ambiguous { places: 3 }
        );
        assert_eq!(
            anchor(&text, &quote("Trump said", "", "")),
            Anchoring::Missing
        );
    }

    #[test]
    fn overlapping_places_are_all_seen() {
        let text = ArticleText::normalize("aaa");
        assert_eq!(
            anchor(&text, &quote("aa", "", "")),
            Anchoring::Ambiguous { places: 2 }
        );
        assert_eq!(
            anchor(&text, &quote("aa", "a", "")),
            Anchoring::Found(CharRange::from_raw(1, 3).unwrap())
        );
    }

    #[test]
    fn within_leaves_out_places_outside() {
        let text = ArticleText::normalize("said it. said it.");
        let q = quote("said", "", "");
        assert_eq!(
            anchor_within(&text, &q, CharRange::from_raw(5, 17).unwrap()),
            Anchoring::Found(CharRange::from_raw(9, 13).unwrap())
        );
        // A place that only starts inside is outside.
        assert_eq!(
            anchor_within(&text, &q, CharRange::from_raw(9, 12).unwrap()),
            Anchoring::Missing
        );
    }

    #[test]
    fn a_quote_of_a_range_reads_back_to_it() {
        let text = ArticleText::normalize("Он сказал: «Да». 北京 said yes.");
        let range = CharRange::from_raw(12, 14).unwrap();
        let q = TextQuote::of(&text, range, 4).unwrap();
        assert_eq!(q, quote("Да", "л: «", "». 北"));
        assert_eq!(anchor(&text, &q), Anchoring::Found(range));
    }
}
