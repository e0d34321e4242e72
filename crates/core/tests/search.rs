//! The find bar's matching (`model::search`) on random texts of emoji, ZWJ sequences, combining
//! marks, CJK, RTL and accented pieces, against a plain reference: Unicode's decomposition from
//! the `unicode-normalization` crate, and a naive search where the text is plain ASCII.

use annotator_core::model::search::{Decompose, FoldedText, SearchOptions};
use annotator_core::model::{ArticleText, CharRange};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

#[path = "support/uax29.rs"]
mod uax29;
use uax29::{Uax29, PIECES};

struct Nfd;
impl Decompose for Nfd {
    fn nfd(&self, text: &str) -> String {
        text.nfd().collect()
    }
}

/// The reference folding of a whole string, written apart from the one under test.
fn folded(text: &str, options: SearchOptions) -> String {
    let decomposed: String = if options.match_accents {
        text.to_owned()
    } else {
        text.nfd()
            .filter(|&c| !matches!(c, '\u{0300}'..='\u{036F}'))
            .collect()
    };
    if options.match_case {
        decomposed
    } else {
        decomposed.chars().flat_map(char::to_lowercase).collect()
    }
}

fn options() -> impl Strategy<Value = SearchOptions> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(match_case, match_accents, whole_words)| SearchOptions {
            match_case,
            match_accents,
            whole_words,
        },
    )
}

fn pieces(min: usize, max: usize) -> impl Strategy<Value = String> {
    let more = prop::sample::select(&["É", "SAID", "Mão", "MAO", "ß", "İ"][..]);
    let any_piece = prop_oneof![prop::sample::select(PIECES), more];
    prop::collection::vec(any_piece, min..max).prop_map(|p| p.concat())
}

fn find(text: &ArticleText, query: &str, options: SearchOptions) -> Vec<CharRange> {
    FoldedText::new(text, options, &Nfd).find(text, query, &Nfd, &Uax29)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Every match is whole code points of the text, in order, none overlapping, and its
    /// words fold to the query's (the text's own marks after its last letter aside).
    #[test]
    fn every_match_is_the_query_folded(
        raw in pieces(1, 40),
        query in pieces(1, 3),
        options in options(),
    ) {
        let text = ArticleText::normalize(&raw);
        let matches = find(&text, &query, options);
        let mut end = 0;
        for m in &matches {
            prop_assert!(m.start().get() >= end, "{matches:?}");
            prop_assert!(m.end().get() <= text.char_len());
            end = m.end().get();
            let words = text.slice(*m).unwrap();
            prop_assert_eq!(folded(words, options), folded(&query, options));
        }
    }

    /// Where the text is plain ASCII, the matches are exactly a naive search's: every
    /// leftmost, non-overlapping place of the query, case-insensitive unless asked.
    #[test]
    fn ascii_matches_are_the_naive_search(
        raw in "[abAB ]{0,40}",
        query in "[abAB]{1,3}",
        match_case in any::<bool>(),
    ) {
        let options = SearchOptions { match_case, ..SearchOptions::default() };
        let text = ArticleText::normalize(&raw);
        let (hay, needle) = if match_case {
            (raw.clone(), query.clone())
        } else {
            (raw.to_lowercase(), query.to_lowercase())
        };
        let naive: Vec<(usize, usize)> = hay
            .match_indices(&needle)
            .map(|(at, _)| (at, at + needle.len()))
            .collect();
        let found: Vec<(usize, usize)> = find(&text, &query, options)
            .iter()
            .map(|r| (r.start().get(), r.end().get()))
            .collect();
        prop_assert_eq!(found, naive);
    }

    /// Whole-word matches are the matches that neither start nor end inside a word.
    #[test]
    fn whole_word_matches_are_the_matches_on_word_boundaries(
        raw in pieces(1, 40),
        query in pieces(1, 2),
    ) {
        let text = ArticleText::normalize(&raw);
        let loose = SearchOptions::default();
        let words = SearchOptions { whole_words: true, ..loose };
        let all = find(&text, &query, loose);
        for m in find(&text, &query, words) {
            // A whole-word match is a match (found again when the search starts there).
            let from = CharRange::from_raw(m.start().get(), text.char_len()).unwrap();
            let rest = ArticleText::normalize(text.slice(from).unwrap());
            let again = find(&rest, &query, loose);
            prop_assert_eq!(
                again.first().map(|r| r.end().get() + m.start().get()),
                Some(m.end().get()),
                "{:?} in {:?}", m, all
            );
        }
    }
}

#[test]
fn accents_and_case_fold_in_every_script_the_bar_offers() {
    let text = ArticleText::normalize("Łódź, ŁÓDŹ; Ἀθῆναι; Köln; İstanbul; שָׁלוֹם; 北京");
    let loose = SearchOptions::default();
    let texts = |query: &str, options| -> Vec<String> {
        find(&text, query, options)
            .into_iter()
            .map(|r| text.slice(r).unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        texts("lodz", loose),
        Vec::<String>::new(),
        "Ł is a letter, not L with a mark"
    );
    assert_eq!(texts("łódź", loose), ["Łódź", "ŁÓDŹ"]);
    assert_eq!(texts("łodz", loose), ["Łódź", "ŁÓDŹ"]);
    assert_eq!(texts("αθηναι", loose), ["Ἀθῆναι"]);
    assert_eq!(texts("koln", loose), ["Köln"]);
    assert_eq!(texts("istanbul", loose), ["İstanbul"]);
    assert_eq!(texts("שלום", loose), ["שָׁלוֹם"]);
    assert_eq!(texts("北京", loose), ["北京"]);
    let exact = SearchOptions {
        match_case: true,
        match_accents: true,
        whole_words: false,
    };
    assert_eq!(texts("Köln", exact), ["Köln"]);
    assert!(texts("koln", exact).is_empty());
}
