//! Finding text in an article, the way the app's find bar does: case- and accent-insensitive
//! unless asked otherwise, optionally whole words only, every match as code points of the
//! article (what its annotations use), never as offsets into some folded copy.
//!
//! The article is folded once ([`FoldedText`]): each character lowercased (full Unicode case
//! mapping, `İ` to `i̇`) and, for accent-insensitive search, decomposed with the diacritics
//! dropped (`é` to `e`, `Ö` to `o`, `ά` to `α`). A match in the folded text counts only when it
//! starts and ends where whole characters of the article do, so `ß` (folded `ß`) or a ligature
//! is never cut in half; a match takes the diacritics after its last letter with it, so it never
//! ends inside a letter with its marks. Queries are folded the same way, then each new query is
//! one substring search over the folded text.
//!
//! Decomposition is asked of a [`Decompose`] (the browser's `String.prototype.normalize` in the
//! app, which already has Unicode's tables), once per distinct non-ASCII character.

use std::collections::HashMap;

use super::offsets::{CharOffset, CharRange};
use super::text::ArticleText;
use super::text_units::Segmenter;
use super::word_snap::on_word_boundary;

/// Unicode canonical decomposition (NFD) of a string.
pub trait Decompose {
    fn nfd(&self, text: &str) -> String;
}

/// How a query matches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SearchOptions {
    /// `Biden` does not find `BIDEN`.
    pub match_case: bool,
    /// `Sao Paulo` does not find `São Paulo`.
    pub match_accents: bool,
    /// `Biden` does not find `Bidenomics` (word boundaries as Tag all has them).
    pub whole_words: bool,
}

/// Whether `c` is a diacritic that accent-insensitive search ignores: the combining marks of
/// the Latin, Greek and Cyrillic scripts (and their extensions), and Hebrew and Arabic vowel
/// points. Not the vowel signs and viramas of Indic scripts, nor the kana voicing marks:
/// without them a word is another word.
pub fn is_ignored_diacritic(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{0591}'..='\u{05BD}' | '\u{05BF}' | '\u{05C1}'..='\u{05C2}' | '\u{05C4}'..='\u{05C5}' | '\u{05C7}'
        | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
        | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Folds text character by character, remembering what each non-ASCII one became.
struct Folder<'a, D: Decompose + ?Sized> {
    options: SearchOptions,
    decompose: &'a D,
    seen: HashMap<char, String>,
}

impl<D: Decompose + ?Sized> Folder<'_, D> {
    fn push(&mut self, c: char, out: &mut String) {
        if c.is_ascii() {
            out.push(if self.options.match_case {
                c
            } else {
                c.to_ascii_lowercase()
            });
            return;
        }
        let (options, decompose) = (self.options, self.decompose);
        let folded = self.seen.entry(c).or_insert_with(|| {
            let mut buffer = [0; 4];
            let mut piece = if options.match_accents {
                c.to_string()
            } else {
                decompose
                    .nfd(c.encode_utf8(&mut buffer))
                    .chars()
                    .filter(|&m| !is_ignored_diacritic(m))
                    .collect()
            };
            if !options.match_case {
                piece = piece.chars().flat_map(char::to_lowercase).collect();
            }
            piece
        });
        out.push_str(folded);
    }
}

/// An article's text folded for searching with one set of options.
pub struct FoldedText {
    options: SearchOptions,
    folded: String,
    /// For each code point of the article, the byte in `folded` where its folding starts; one
    /// more entry, `folded.len()`, closes the last.
    starts: Vec<usize>,
}

impl FoldedText {
    pub fn new<D: Decompose + ?Sized>(
        text: &ArticleText,
        options: SearchOptions,
        decompose: &D,
    ) -> Self {
        let mut folder = Folder {
            options,
            decompose,
            seen: HashMap::new(),
        };
        let source = text.as_str();
        let mut folded = String::with_capacity(source.len());
        let mut starts = Vec::with_capacity(text.char_len() + 1);
        for c in source.chars() {
            starts.push(folded.len());
            folder.push(c, &mut folded);
        }
        starts.push(folded.len());
        Self {
            options,
            folded,
            starts,
        }
    }

    pub fn options(&self) -> SearchOptions {
        self.options
    }

    /// Every match of `query` in `text` (the text this was folded from), in order, none
    /// overlapping. An empty query (or one of nothing but ignored marks) finds nothing.
    pub fn find<D: Decompose + ?Sized, S: Segmenter + ?Sized>(
        &self,
        text: &ArticleText,
        query: &str,
        decompose: &D,
        segmenter: &S,
    ) -> Vec<CharRange> {
        let mut folder = Folder {
            options: self.options,
            decompose,
            seen: HashMap::new(),
        };
        let mut needle = String::with_capacity(query.len());
        for c in query.chars() {
            folder.push(c, &mut needle);
        }
        if needle.is_empty() {
            return Vec::new();
        }
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(at) = self.folded[from..].find(&needle) {
            let (begin, end) = (from + at, from + at + needle.len());
            let whole = |span: CharRange| {
                !self.cuts_off_a_mark(text, span)
                    && (!self.options.whole_words || whole_words(text, span, segmenter))
            };
            match self.span(begin, end) {
                Some(span) if whole(span) => {
                    found.push(span);
                    from = end;
                }
                // Not on whole characters (or words): look again one character further.
                _ => {
                    from = begin
                        + self.folded[begin..]
                            .chars()
                            .next()
                            .map_or(1, char::len_utf8)
                }
            }
        }
        found
    }

    /// The article's code points whose folding is exactly bytes `begin..end` of the folded
    /// text, with any characters that folded to nothing after the last one (its marks).
    fn span(&self, begin: usize, end: usize) -> Option<CharRange> {
        // The last character starting at `begin`: one before it that folded to nothing (a mark
        // dropped) belongs to the letter before the match.
        let first = self
            .starts
            .partition_point(|&s| s <= begin)
            .checked_sub(1)?;
        let last = self.starts.partition_point(|&s| s <= end).checked_sub(1)?;
        (self.starts[first] == begin && self.starts[last] == end && first < last)
            .then(|| CharRange::spanning(CharOffset::new(first), CharOffset::new(last)))
    }
}

impl FoldedText {
    /// Whether the character after `span` is a diacritic the search kept (accents matched):
    /// `e` must not find the `e` of a decomposed `é` then.
    fn cuts_off_a_mark(&self, text: &ArticleText, span: CharRange) -> bool {
        let end = span.end().get();
        CharRange::from_raw(end, end + 1)
            .ok()
            .and_then(|next| text.slice(next))
            .and_then(|next| next.chars().next())
            .is_some_and(is_ignored_diacritic)
    }
}

fn whole_words<S: Segmenter + ?Sized>(text: &ArticleText, span: CharRange, segmenter: &S) -> bool {
    let joined = |a: Option<char>, b: Option<char>| {
        a.is_some_and(char::is_alphanumeric) && b.is_some_and(char::is_alphanumeric)
    };
    let char_at = |at: usize| {
        let one = CharRange::from_raw(at, at + 1).ok()?;
        text.slice(one)?.chars().next()
    };
    // Only where letters meet is the boundary in question; then the segmenter decides.
    let (start, end) = (span.start().get(), span.end().get());
    let before = start.checked_sub(1).and_then(char_at);
    let starts_word = !joined(before, char_at(start))
        || on_word_boundary(text, CharOffset::new(start), segmenter);
    let last = end.checked_sub(1).and_then(char_at);
    let ends_word =
        !joined(last, char_at(end)) || on_word_boundary(text, CharOffset::new(end), segmenter);
    starts_word && ends_word
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::text_units::PlainSegmenter;

    /// Decomposes the few characters these tests use (the integration tests use Unicode's
    /// full tables).
    struct Few;
    impl Decompose for Few {
        fn nfd(&self, text: &str) -> String {
            text.chars()
                .map(|c| match c {
                    'é' => "e\u{301}".to_owned(),
                    'ã' => "a\u{303}".to_owned(),
                    'É' => "E\u{301}".to_owned(),
                    'İ' => "I\u{307}".to_owned(),
                    other => other.to_string(),
                })
                .collect()
        }
    }

    fn found(text: &str, query: &str, options: SearchOptions) -> Vec<String> {
        let article = ArticleText::normalize(text);
        let folded = FoldedText::new(&article, options, &Few);
        folded
            .find(&article, query, &Few, &PlainSegmenter)
            .into_iter()
            .map(|r| article.slice(r).unwrap().to_owned())
            .collect()
    }

    #[test]
    fn case_and_accents_fold_unless_asked_not_to() {
        let text = "São Paulo, SAO PAULO and sao paulo; São é";
        let loose = SearchOptions::default();
        assert_eq!(
            found(text, "sao paulo", loose),
            ["São Paulo", "SAO PAULO", "sao paulo"]
        );
        let cased = SearchOptions {
            match_case: true,
            ..loose
        };
        assert_eq!(found(text, "Sao Paulo", cased), ["São Paulo"]);
        let accents = SearchOptions {
            match_accents: true,
            ..loose
        };
        assert_eq!(found(text, "são", accents), ["São", "São"]);
        assert_eq!(found(text, "É", loose), ["é"]);
    }

    #[test]
    fn a_match_keeps_its_letters_marks_and_never_splits_a_character() {
        // A decomposed é: the mark goes with the e.
        assert_eq!(
            found("cafe\u{301} bar", "cafe", SearchOptions::default()),
            ["cafe\u{301}"]
        );
        assert_eq!(found("İstanbul", "i", SearchOptions::default()), ["İ"]);
        let accents = SearchOptions {
            match_accents: true,
            ..SearchOptions::default()
        };
        assert!(found("cafe\u{301}", "cafe", accents).is_empty());
        assert_eq!(
            found("cafe\u{301}", "cafe\u{301}", accents),
            ["cafe\u{301}"]
        );
        // With its accent kept, `İ` lowercases to two characters, `i` and a dot: a query of
        // only the first would cut it in half.
        assert!(found("İstanbul", "i", accents).is_empty());
        assert_eq!(found("İstanbul", "i\u{307}s", accents), ["İs"]);
        assert!(found("abc", "", SearchOptions::default()).is_empty());
        assert!(found("abc", "\u{301}", SearchOptions::default()).is_empty());
    }

    #[test]
    fn whole_words_only_when_asked() {
        let words = SearchOptions {
            whole_words: true,
            ..SearchOptions::default()
        };
        assert_eq!(found("Biden, Bidenomics", "biden", words), ["Biden"]);
        assert_eq!(
            found("Biden, Bidenomics", "biden", SearchOptions::default()),
            ["Biden", "Biden"]
        );
        assert_eq!(found("aaaa", "aa", SearchOptions::default()), ["aa", "aa"]);
    }
}
