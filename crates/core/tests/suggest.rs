//! The suggesters on any text (quotation marks of many scripts, apostrophes, emoji, ZWJ
//! sequences, marks, CJK, RTL, line breaks): what they find is always where they say, in code
//! points; quotes are whole, in order and never cross a line; "Tag all" finds every whole-word
//! place of a phrase and nothing else; a speaker is a name near its quote, never inside it.

use annotator_core::model::suggest::occurrences::whole_word_occurrences;
use annotator_core::model::suggest::quotes::find_quotes;
use annotator_core::model::suggest::speakers::find_speakers;
use annotator_core::model::text_units::{Granularity, Segmenter};
use annotator_core::model::{ArticleText, CharRange};
use proptest::prelude::*;

#[path = "support/uax29.rs"]
mod uax29;
use uax29::{Uax29, PIECES};

/// Pieces of news text, quotation marks of many languages and speech verbs among them.
const NEWS: &[&str] = &[
    "“",
    "”",
    "„",
    "«",
    "»",
    "‘",
    "’",
    "‚",
    "「",
    "」",
    "\"",
    "'",
    " said ",
    " told ",
    "according to ",
    "Jane Doe",
    "Mao Ning",
    "he",
    ", ",
    ": ",
    ". ",
    "von der",
    "Ursula",
];

fn article() -> impl Strategy<Value = ArticleText> {
    let piece = prop_oneof![prop::sample::select(PIECES), prop::sample::select(NEWS)];
    prop::collection::vec(piece, 0..60).prop_map(|p| ArticleText::normalize(&p.concat()))
}

const OPENING: &str = "“„”\"«»‹›‘‚「『〝＂";
const CLOSING: &str = "”“\"»«›‹’‘」』〞〟＂";

fn slice(text: &ArticleText, range: CharRange) -> &str {
    text.slice(range).expect("a range inside the text")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn quotes_are_whole_in_order_and_on_one_line(text in article()) {
        let quotes = find_quotes(&text);
        let mut last_end = 0;
        for quote in &quotes {
            let marked = slice(&text, quote.marked);
            prop_assert!(marked.starts_with(|c| OPENING.contains(c)), "{marked:?}");
            prop_assert!(marked.ends_with(|c| CLOSING.contains(c)), "{marked:?}");
            prop_assert!(!marked.contains('\n'));
            prop_assert!(quote.marked.contains_range(quote.inner));
            prop_assert!(quote.inner.start() > quote.marked.start() && quote.inner.end() < quote.marked.end());
            let inner = slice(&text, quote.inner);
            prop_assert!(inner.chars().any(char::is_alphanumeric));
            prop_assert!(!inner.starts_with(char::is_whitespace) && !inner.ends_with(char::is_whitespace));
            prop_assert!(quote.marked.start().get() >= last_end, "quotes overlap");
            last_end = quote.marked.end().get();
        }
    }

    #[test]
    fn speakers_are_names_near_their_quote_and_outside_it(text in article()) {
        let quotes = find_quotes(&text);
        for speaker in find_speakers(&text, &quotes) {
            let quote = quotes[speaker.quote];
            let name = slice(&text, speaker.name);
            prop_assert!(name.starts_with(char::is_uppercase), "{name:?}");
            prop_assert!(!quote.marked.overlaps(speaker.name));
            let gap = if speaker.name.start() >= quote.marked.end() {
                speaker.name.start().get() - quote.marked.end().get()
            } else {
                quote.marked.start().get() - speaker.name.end().get()
            };
            prop_assert!(gap <= 80, "{gap}");
        }
    }

    #[test]
    fn tag_all_finds_every_whole_word_place_and_nothing_else(
        (text, phrase) in article().prop_flat_map(|text| {
            let len = text.char_len();
            (Just(text), 0..=len, 1..4usize)
        }).prop_map(|(text, at, length)| {
            let phrase: String = text.as_str().chars().skip(at).take(length).collect();
            (text, phrase)
        })
    ) {
        let phrase = phrase.trim().to_owned();
        if phrase.is_empty() {
            return Ok(());
        }
        let found = whole_word_occurrences(&text, &phrase, &Uax29);
        // Brute force: every place the phrase occurs, and whether its ends are word ends.
        let chars: Vec<char> = text.as_str().chars().collect();
        let wanted: Vec<char> = phrase.chars().collect();
        let expected: Vec<usize> = (0..=chars.len().saturating_sub(wanted.len()))
            .filter(|&at| chars[at..].starts_with(&wanted))
            .filter(|&at| word_end(&text, &chars, at) && word_end(&text, &chars, at + wanted.len()))
            .collect();
        // Occurrences the search steps over (it does not look inside a match for another).
        let starts: Vec<usize> = found.iter().map(|r| r.start().get()).collect();
        for range in &found {
            prop_assert_eq!(slice(&text, *range), phrase.as_str());
            prop_assert!(expected.contains(&range.start().get()));
        }
        for at in &expected {
            let overlapped = starts.iter().any(|s| *s < *at && at - s < wanted.len());
            prop_assert!(starts.contains(at) || overlapped, "missed {at}");
        }
    }
}

/// Whether `at` is a word end: letters do not meet there, or UAX #29 cuts between them.
fn word_end(text: &ArticleText, chars: &[char], at: usize) -> bool {
    let before = at.checked_sub(1).map(|i| chars[i]);
    let after = chars.get(at).copied();
    if !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric)) {
        return true;
    }
    let from = at.saturating_sub(64);
    let to = (at + 64).min(chars.len());
    let stretch = text.slice(CharRange::from_raw(from, to).unwrap()).unwrap();
    let inside = at - from;
    Uax29
        .segments(stretch, Granularity::Word)
        .iter()
        .all(|s| !(s.start < inside && inside < s.end))
}
