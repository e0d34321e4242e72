//! Every place a phrase occurs as whole words: what "Tag all" offers after a span is tagged,
//! and what a dictionary of names finds. `Biden` is found in `Biden said`, not in `Bidenomics`;
//! whether `北京` stands as a word in `北京市` is the segmenter's call (the browser's dictionary).

use crate::model::offsets::{CharOffset, CharRange};
use crate::model::text::ArticleText;
use crate::model::text_units::Segmenter;
use crate::model::word_snap::on_word_boundary;

/// Every whole-word occurrence of `phrase` in `text`, in order, matched exactly (case and
/// accents as written: names are tagged as they are spelt).
pub fn whole_word_occurrences<S: Segmenter + ?Sized>(
    text: &ArticleText,
    phrase: &str,
    segmenter: &S,
) -> Vec<CharRange> {
    let phrase = phrase.trim();
    if phrase.is_empty() {
        return Vec::new();
    }
    let full = text.as_str();
    let length = phrase.chars().count();
    let (mut counted_byte, mut counted_chars) = (0, 0);
    let mut found = Vec::new();
    for (byte, _) in full.match_indices(phrase) {
        counted_chars += full[counted_byte..byte].chars().count();
        counted_byte = byte;
        let start = counted_chars;
        let end = start + length;
        let before = full[..byte].chars().next_back();
        let after = full[byte + phrase.len()..].chars().next();
        let first = phrase.chars().next();
        let last = phrase.chars().next_back();
        let joined = |a: Option<char>, b: Option<char>| {
            a.is_some_and(char::is_alphanumeric) && b.is_some_and(char::is_alphanumeric)
        };
        // Only where letters meet is the boundary in question; then the segmenter decides.
        let boundary = |at: usize| on_word_boundary(text, CharOffset::new(at), segmenter);
        let starts_word = !joined(before, first) || boundary(start);
        let ends_word = !joined(last, after) || boundary(end);
        if starts_word && ends_word {
            found.push(CharRange::spanning(
                CharOffset::new(start),
                CharOffset::new(end),
            ));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::text_units::PlainSegmenter;

    fn found(text: &str, phrase: &str) -> Vec<(usize, usize)> {
        let text = ArticleText::normalize(text);
        whole_word_occurrences(&text, phrase, &PlainSegmenter)
            .into_iter()
            .map(|r| (r.start().get(), r.end().get()))
            .collect()
    }

    #[test]
    fn whole_words_only() {
        assert_eq!(
            found(
                "Biden said. Bidenomics, said Biden's aide 😀 Biden.",
                "Biden"
            ),
            [(0, 5), (29, 34), (44, 49)]
        );
        assert_eq!(found("Mao Ning said; Mao Ningxia", "Mao Ning"), [(0, 8)]);
        assert_eq!(found("anything", " "), []);
    }

    #[test]
    fn offsets_are_code_points_past_emoji_and_marks() {
        // 👩‍👩‍👧 is five code points, é two (e and its accent).
        assert_eq!(
            found("👩‍👩‍👧 Zoe\u{301} and Zoe\u{301}.", "Zoe\u{301}"),
            [(6, 10), (15, 19)]
        );
    }
}
