//! The keyboard caret against Unicode's own segmentation (the `unicode-segmentation` crate, the
//! same UAX #29 rules as the browser's `Intl.Segmenter`): on emoji, ZWJ sequences, flags,
//! combining marks, CJK, RTL and blank lines, every key leaves the caret on a position between
//! user-perceived characters inside a line, and walking the article visits every such position.

use annotator_core::model::caret::{Caret, Direction, Navigator, Unit};
use annotator_core::model::text_units::{Granularity, Segmenter};
use annotator_core::model::{paragraphs, ArticleText, CharOffset, CharRange};
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

#[path = "support/uax29.rs"]
mod uax29;
use uax29::{Uax29, PIECES};

fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|p| p.concat())
}

#[derive(Clone, Copy, Debug)]
struct Key {
    unit: Unit,
    direction: Direction,
    extend: bool,
}

fn key() -> impl Strategy<Value = Key> {
    let unit = prop::sample::select(vec![
        Unit::Character,
        Unit::Word,
        Unit::Sentence,
        Unit::Paragraph,
        Unit::LineEdge,
        Unit::Article,
    ]);
    let direction = prop::sample::select(vec![Direction::Backward, Direction::Forward]);
    (unit, direction, any::<bool>()).prop_map(|(unit, direction, extend)| Key {
        unit,
        direction,
        extend,
    })
}

/// Every caret position of the article, in order: each line's grapheme boundaries.
fn caret_positions(text: &ArticleText) -> Vec<usize> {
    let mut out = Vec::new();
    for block in paragraphs(text) {
        let content = text.slice(block.chars).unwrap().trim_end_matches('\n');
        if content.is_empty() {
            continue;
        }
        let start = block.chars.start().get();
        out.push(start);
        for (byte, grapheme) in content.grapheme_indices(true) {
            out.push(start + content[..byte].chars().count() + grapheme.chars().count());
        }
    }
    if out.is_empty() {
        out.push(0);
    }
    out
}

/// Where the caret stops, one character key at a time, from `from` until it stops moving.
fn every_stop(
    navigator: &Navigator<'_, Uax29>,
    from: CharOffset,
    direction: Direction,
) -> Vec<usize> {
    let mut stops = vec![from.get()];
    let mut here = from;
    loop {
        let next = navigator.step(here, Unit::Character, direction);
        if next == here {
            return stops;
        }
        stops.push(next.get());
        here = next;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_key_leaves_the_caret_between_characters_inside_a_line(
        raw in article(),
        start in 0usize..200,
        keys in prop::collection::vec(key(), 0..30),
    ) {
        let text = ArticleText::normalize(&raw);
        let blocks = paragraphs(&text);
        let navigator = Navigator::new(&text, &blocks, &Uax29);
        let positions = caret_positions(&text);
        let mut caret = Caret::at(navigator.snap(CharOffset::new(start)));
        prop_assert!(positions.contains(&caret.focus.get()), "snapped to {}", caret.focus);
        for key in keys {
            let before = caret.focus;
            let to = navigator.step(before, key.unit, key.direction);
            match key.direction {
                Direction::Forward => prop_assert!(to >= before, "{key:?} went back"),
                Direction::Backward => prop_assert!(to <= before, "{key:?} went forward"),
            }
            prop_assert!(positions.contains(&to.get()), "{key:?} from {before} left the caret at {to}");
            caret = caret.moved_to(to, key.extend);
            if let Some(selection) = caret.selection() {
                prop_assert!(positions.contains(&selection.start().get()));
                prop_assert!(positions.contains(&selection.end().get()));
            }
        }
    }

    #[test]
    fn character_steps_visit_every_position_there_and_back(raw in article()) {
        let text = ArticleText::normalize(&raw);
        let blocks = paragraphs(&text);
        let navigator = Navigator::new(&text, &blocks, &Uax29);
        let positions = caret_positions(&text);
        let forward = every_stop(&navigator, navigator.start(), Direction::Forward);
        prop_assert_eq!(&forward, &positions);
        let mut backward = every_stop(&navigator, navigator.end(), Direction::Backward);
        backward.reverse();
        prop_assert_eq!(&backward, &positions);
    }

    #[test]
    fn the_word_and_sentence_under_the_caret_are_whole_and_trimmed(
        raw in article(),
        start in 0usize..200,
    ) {
        let text = ArticleText::normalize(&raw);
        let blocks = paragraphs(&text);
        let navigator = Navigator::new(&text, &blocks, &Uax29);
        let at = navigator.snap(CharOffset::new(start));
        if let Some(word) = navigator.word_at(at) {
            let slice = text.slice(word).unwrap();
            prop_assert!(slice.chars().any(char::is_alphanumeric), "word {slice:?}");
            prop_assert!(!slice.contains('\n'));
            // A UAX #29 word of the line, whole.
            let words = Uax29.segments(text.as_str(), Granularity::Word);
            prop_assert!(
                words.iter().any(|s| s.start == word.start().get() && s.end == word.end().get()),
                "{slice:?} at {word:?} is not a word of the text"
            );
        }
        if let Some(sentence) = navigator.sentence_at(at) {
            let slice = text.slice(sentence).unwrap();
            prop_assert!(!slice.is_empty());
            prop_assert!(!slice.starts_with(char::is_whitespace) && !slice.ends_with(char::is_whitespace));
            prop_assert!(!slice.contains('\n'), "a sentence stays in its line: {slice:?}");
        }
    }
}

#[test]
fn a_flag_an_emoji_family_and_an_accent_are_one_step_each() {
    let text = ArticleText::normalize("🇫🇷👩\u{200d}👩\u{200d}👧e\u{301}");
    let blocks = paragraphs(&text);
    let navigator = Navigator::new(&text, &blocks, &Uax29);
    let mut at = navigator.start();
    let mut stops = vec![at.get()];
    for _ in 0..3 {
        at = navigator.step(at, Unit::Character, Direction::Forward);
        stops.push(at.get());
    }
    assert_eq!(stops, [0, 2, 7, 9]);
    // Shift+Right twice from the start selects the flag and the family, never half of one.
    let caret = Caret::at(CharOffset::new(0));
    let caret = caret.moved_to(
        navigator.step(caret.focus, Unit::Character, Direction::Forward),
        true,
    );
    let caret = caret.moved_to(
        navigator.step(caret.focus, Unit::Character, Direction::Forward),
        true,
    );
    assert_eq!(
        caret.selection().and_then(|r| text.slice(r)),
        Some("🇫🇷👩\u{200d}👩\u{200d}👧")
    );
}

#[test]
fn word_steps_treat_cjk_and_rtl_words_as_words() {
    let text = ArticleText::normalize("قال مرحبا 中文 ok");
    let blocks = paragraphs(&text);
    let navigator = Navigator::new(&text, &blocks, &Uax29);
    let mut at = navigator.start();
    let mut words = Vec::new();
    loop {
        let next = navigator.step(at, Unit::Word, Direction::Forward);
        if next == at {
            break;
        }
        let back = navigator.step(next, Unit::Word, Direction::Backward);
        words.push(
            text.slice(CharRange::spanning(back, next))
                .unwrap()
                .to_owned(),
        );
        at = next;
    }
    // UAX #29 gives each ideograph its own word.
    assert_eq!(words, ["قال", "مرحبا", "中", "文", "ok"]);
}

#[test]
fn a_huge_line_is_cut_only_around_the_caret() {
    let line = "word ".repeat(200_000);
    let text = ArticleText::normalize(&line);
    let blocks = paragraphs(&text);
    let navigator = Navigator::new(&text, &blocks, &Uax29);
    let middle = CharOffset::new(500_002);
    assert_eq!(
        navigator.word_at(middle),
        CharRange::from_raw(500_000, 500_004).ok()
    );
    assert_eq!(
        navigator.step(middle, Unit::Word, Direction::Forward),
        CharOffset::new(500_004)
    );
    // A line with no sentence end: a sentence step goes as far as the window reaches.
    let to = navigator.step(middle, Unit::Sentence, Direction::Forward);
    assert!(to > middle && to.get() <= middle.get() + 2048, "{to}");
}
