//! Cutting text into the units a caret moves by: user-perceived characters (grapheme clusters),
//! words and sentences, as Unicode's UAX #29 defines them.
//!
//! The core does not carry UAX #29's tables (tens of kilobytes of wasm): the browser already has
//! them in `Intl.Segmenter`, the same algorithm in Chromium, Firefox and WebKit. So the cutting
//! is a [`Segmenter`] the caller brings; [`PlainSegmenter`] is the small stand-in for a browser
//! without `Intl.Segmenter` (Firefox before 125), and the native tests bring the
//! `unicode-segmentation` crate as the reference.

/// Which units to cut text into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Granularity {
    /// User-perceived characters: an emoji ZWJ sequence, a flag or a letter with its combining
    /// marks is one.
    Grapheme,
    /// Words, and the spaces and punctuation between them (those are not `word_like`).
    Word,
    /// Sentences, each with the spaces after it.
    Sentence,
}

/// One unit of a stretch of text, in code points from the stretch's start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    /// For [`Granularity::Word`]: a word (letters, digits, ideographs), not spaces or punctuation.
    pub word_like: bool,
}

/// Cuts a stretch of text into units.
pub trait Segmenter {
    /// The units of `text`, in order, covering it exactly (none for empty text).
    fn segments(&self, text: &str, granularity: Granularity) -> Vec<Segment>;
}

/// A segmenter without Unicode's tables: a code point is a character (combining marks and
/// joiners stick to the character before them), a word is a run of letters and digits (with an
/// apostrophe inside), and a sentence ends after `.`, `!`, `?` or their CJK forms, with any
/// closing quotes or brackets, where a space follows.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlainSegmenter;

impl Segmenter for PlainSegmenter {
    fn segments(&self, text: &str, granularity: Granularity) -> Vec<Segment> {
        let chars: Vec<char> = text.chars().collect();
        match granularity {
            Granularity::Grapheme => plain_graphemes(&chars),
            Granularity::Word => plain_words(&chars),
            Granularity::Sentence => plain_sentences(&chars),
        }
    }
}

/// Characters that belong to the one before them in [`PlainSegmenter`]: the common combining
/// blocks, variation selectors, emoji modifiers and tags, and the zero-width joiner (which also
/// pulls in the character after it).
fn extends(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36f}'
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}'
        | '\u{fe00}'..='\u{fe0f}'
        | '\u{fe20}'..='\u{fe2f}'
        | '\u{200d}'
        | '\u{1f3fb}'..='\u{1f3ff}'
        | '\u{e0020}'..='\u{e007f}'
        | '\u{e0100}'..='\u{e01ef}')
}

fn plain_graphemes(chars: &[char]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        i += 1;
        while i < chars.len() && (extends(chars[i]) || chars[i - 1] == '\u{200d}') {
            i += 1;
        }
        out.push(Segment {
            start,
            end: i,
            word_like: false,
        });
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || extends(c)
}

fn plain_words(chars: &[char]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let word_like = is_word_char(chars[i]);
        i += 1;
        if word_like {
            while i < chars.len() {
                let inner_apostrophe = matches!(chars[i], '\'' | '\u{2019}')
                    && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
                if is_word_char(chars[i]) {
                    i += 1;
                } else if inner_apostrophe {
                    i += 2;
                } else {
                    break;
                }
            }
        }
        out.push(Segment {
            start,
            end: i,
            word_like,
        });
    }
    out
}

fn plain_sentences(chars: &[char]) -> Vec<Segment> {
    let terminal = |c: char| matches!(c, '.' | '!' | '?' | '\u{3002}' | '\u{ff01}' | '\u{ff1f}');
    let closing = |c: char| {
        matches!(
            c,
            '"' | '\'' | ')' | ']' | '\u{201d}' | '\u{2019}' | '\u{bb}' | '\u{300d}'
        )
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let cjk_terminal = matches!(chars[i], '\u{3002}' | '\u{ff01}' | '\u{ff1f}');
        if terminal(chars[i]) {
            let mut end = i + 1;
            while end < chars.len() && (terminal(chars[end]) || closing(chars[end])) {
                end += 1;
            }
            if end == chars.len() || chars[end].is_whitespace() || cjk_terminal {
                while end < chars.len() && chars[end].is_whitespace() {
                    end += 1;
                }
                out.push(Segment {
                    start,
                    end,
                    word_like: false,
                });
                start = end;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    if start < chars.len() {
        out.push(Segment {
            start,
            end: chars.len(),
            word_like: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str, granularity: Granularity) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        PlainSegmenter
            .segments(text, granularity)
            .iter()
            .map(|s| chars[s.start..s.end].iter().collect())
            .collect()
    }

    #[test]
    fn plain_graphemes_keep_marks_and_joined_emoji_together() {
        assert_eq!(
            cut("e\u{301}👩\u{200d}💻👍🏽x", Granularity::Grapheme),
            ["e\u{301}", "👩\u{200d}💻", "👍🏽", "x"]
        );
    }

    #[test]
    fn plain_words_are_letter_runs_with_inner_apostrophes() {
        let text = "Don’t stop, 2024!";
        let words: Vec<String> = PlainSegmenter
            .segments(text, Granularity::Word)
            .iter()
            .filter(|s| s.word_like)
            .map(|s| text.chars().skip(s.start).take(s.end - s.start).collect())
            .collect();
        assert_eq!(words, ["Don’t", "stop", "2024"]);
    }

    #[test]
    fn plain_sentences_end_after_terminal_punctuation_and_spaces() {
        assert_eq!(
            cut(
                "He said “No.” Then left! 3.5 is a number. 好。好",
                Granularity::Sentence
            ),
            [
                "He said “No.” ",
                "Then left! ",
                "3.5 is a number. ",
                "好。",
                "好"
            ]
        );
    }

    #[test]
    fn segments_cover_the_text_exactly() {
        for granularity in [
            Granularity::Grapheme,
            Granularity::Word,
            Granularity::Sentence,
        ] {
            let text = "a\u{301} b. c?\u{200d}";
            let segments = PlainSegmenter.segments(text, granularity);
            let mut at = 0;
            for s in &segments {
                assert_eq!(s.start, at);
                assert!(s.end > s.start);
                at = s.end;
            }
            assert_eq!(at, text.chars().count());
        }
    }
}
