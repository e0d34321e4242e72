//! Snapping drags to words against Unicode's own segmentation (UAX #29, as `Intl.Segmenter`
//! cuts text): on emoji, ZWJ sequences, flags, combining marks, CJK, RTL, Thai and CRLF text, a
//! snapped span never cuts a word or a user-perceived character, always covers what was dragged
//! (less its outer whitespace), and snapping it again changes nothing.

use annotator_core::model::text_units::{Granularity, Segmenter};
use annotator_core::model::word_snap::{SnapRule, SnappedSelection};
use annotator_core::model::{ArticleText, CharRange};
use proptest::prelude::*;

#[path = "support/uax29.rs"]
mod uax29;
use uax29::{Uax29, PIECES};

fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..40).prop_map(|p| p.concat())
}

/// An article and a drag over it, its ends anywhere (even inside a character's marks).
fn dragged() -> impl Strategy<Value = (ArticleText, CharRange)> {
    article().prop_flat_map(|raw| {
        let text = ArticleText::normalize(&raw);
        let len = text.char_len();
        (Just(text), 0..=len, 0..=len)
            .prop_map(|(text, a, b)| (text, CharRange::from_raw(a.min(b), a.max(b)).unwrap()))
    })
}

/// Whitespace, or an invisible mark (direction marks, joiners) that a drag alone never makes a span.
fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{61c}')
}

/// Whether `at` is between two words (or other units) of its line, not inside one.
fn on_word_boundary(text: &ArticleText, at: usize) -> bool {
    let mut line_start = 0;
    for line in text.as_str().split('\n') {
        let len = line.chars().count();
        if at <= line_start + len {
            let inside = at - line_start;
            return Uax29
                .segments(line, Granularity::Word)
                .iter()
                .all(|s| !(s.start < inside && inside < s.end));
        }
        line_start += len + 1;
    }
    true
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn snapped_spans_never_cut_a_word_and_cover_the_drag((text, range) in dragged()) {
        let Some(selection) = SnappedSelection::snapped(&text, range, &Uax29) else {
            // Only whitespace (or invisible marks) was dragged.
            prop_assert!(text.slice(range).unwrap().chars().all(is_blank));
            return Ok(());
        };
        let exact = selection.for_rule(SnapRule::Exact);
        let words = selection.for_rule(SnapRule::Words);
        let bare = selection.for_rule(SnapRule::WordsWithoutPunctuation);
        prop_assert!(range.contains_range(exact));
        // Every visible character dragged is in the span.
        for (i, c) in text.slice(exact).unwrap().chars().enumerate() {
            let at = exact.start().get() + i;
            prop_assert!(is_blank(c) || (words.start().get() <= at && at < words.end().get()), "{words:?} lacks {at}");
        }
        prop_assert!(words.contains_range(bare));
        prop_assert!(!bare.is_empty());
        for r in [words, bare] {
            prop_assert!(on_word_boundary(&text, r.start().get()), "start of {r:?} in {:?}", text.as_str());
            prop_assert!(on_word_boundary(&text, r.end().get()), "end of {r:?} in {:?}", text.as_str());
        }
        let slice = text.slice(words).unwrap();
        prop_assert!(!slice.starts_with(char::is_whitespace) && !slice.ends_with(char::is_whitespace));
    }

    #[test]
    fn snapping_a_snapped_span_changes_nothing((text, range) in dragged()) {
        if let Some(selection) = SnappedSelection::snapped(&text, range, &Uax29) {
            for rule in [SnapRule::Words, SnapRule::WordsWithoutPunctuation] {
                let once = selection.for_rule(rule);
                let again = SnappedSelection::snapped(&text, once, &Uax29).unwrap();
                prop_assert_eq!(again.for_rule(rule), once);
            }
        }
    }
}

fn words_of(raw: &str, start: usize, end: usize) -> String {
    let text = ArticleText::normalize(raw);
    let range = CharRange::from_raw(start, end).unwrap();
    let selection = SnappedSelection::snapped(&text, range, &Uax29).unwrap();
    text.slice(selection.for_rule(SnapRule::Words))
        .unwrap()
        .to_owned()
}

#[test]
fn emoji_sequences_and_marks_are_never_cut() {
    // From inside the family emoji (after its first person) to inside "é" (before its accent).
    let raw = "a 👩\u{200d}👩\u{200d}👧 cafe\u{301} b";
    assert_eq!(words_of(raw, 3, 10), "👩\u{200d}👩\u{200d}👧 cafe\u{301}");
}

#[test]
fn cjk_rtl_and_crlf_text() {
    // UAX #29 alone cuts Han text into single ideographs (the browser's dictionary does better):
    // a drag ending inside no word leaves it where it is.
    assert_eq!(words_of("我们中文", 1, 2), "们");
    assert_eq!(words_of("قال مرحبا بكم", 5, 11), "مرحبا بكم");
    // CRLF is normalised to LF before any offset exists; words stop at the line break.
    assert_eq!(words_of("said\r\nthe minister", 2, 8), "said\nthe");
}
