//! Snapping a sloppy drag to whole words: a drag that starts or ends inside a word takes the
//! whole word, and the whitespace (and, as a label's choice, the punctuation) at its ends goes.
//!
//! Words are the caller's [`Segmenter`]'s (the browser's `Intl.Segmenter`, UAX #29 with
//! dictionaries for Chinese, Japanese and Thai), so a drag never cuts a word, an emoji sequence or
//! a letter from its combining marks, in any script. Only the text around each end is cut, so a
//! drag over a 1 MB article costs what a drag over a line does.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::offsets::{CharOffset, CharRange};
use super::selection::trim_whitespace;
use super::text::ArticleText;
use super::text_units::{Granularity, Segmenter};

/// Code points cut into words on each side of a drag's end. Words are never this long; a window
/// edge inside one only keeps that word from growing past the window.
const WINDOW: usize = 256;

/// How a label turns a drag into its span (a label schema setting). Serialised as its name
/// ([`SnapRule::as_str`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SnapRule {
    /// A drag that starts or ends inside a word takes the whole word; the whitespace at its ends
    /// goes.
    #[default]
    Words,
    /// As [`Words`](Self::Words), and the punctuation at its ends goes too: a drag over
    /// `“We will,”` tags `We will`.
    WordsWithoutPunctuation,
    /// Exactly what was selected, less the whitespace at its ends (a claim may want its full
    /// stop, a quote its quotation marks).
    Exact,
}

impl SnapRule {
    pub const ALL: [SnapRule; 3] = [
        SnapRule::Words,
        SnapRule::WordsWithoutPunctuation,
        SnapRule::Exact,
    ];

    pub fn is_default(&self) -> bool {
        *self == SnapRule::Words
    }

    /// The name in schema files: `words`, `words-without-punctuation` or `exact`.
    pub fn as_str(self) -> &'static str {
        match self {
            SnapRule::Words => "words",
            SnapRule::WordsWithoutPunctuation => "words-without-punctuation",
            SnapRule::Exact => "exact",
        }
    }

    pub fn parse(name: &str) -> Option<SnapRule> {
        SnapRule::ALL.into_iter().find(|rule| rule.as_str() == name)
    }
}

// By hand, through the name: serde's derived enum code is larger, and the page's first load is
// on a budget.
impl Serialize for SnapRule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SnapRule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        SnapRule::parse(&name).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown snap rule {name:?}: expected words, words-without-punctuation or exact"
            ))
        })
    }
}

/// A selection as each [`SnapRule`] makes it a span: the label the user picks next decides
/// which one is tagged, so all three are worked out when the selection is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnappedSelection {
    exact: CharRange,
    words: CharRange,
    words_without_punctuation: CharRange,
}

impl SnappedSelection {
    /// A selection taken as it is under every rule: one made by the keys, or dragged with Alt.
    pub fn exact(range: CharRange) -> Self {
        Self {
            exact: range,
            words: range,
            words_without_punctuation: range,
        }
    }

    /// A dragged selection under each rule. `None` when it holds only whitespace or is past the
    /// end of the text.
    pub fn snapped<S: Segmenter + ?Sized>(
        text: &ArticleText,
        dragged: CharRange,
        segmenter: &S,
    ) -> Option<Self> {
        let exact = trim_whitespace(text, dragged)?;
        let widened = CharRange::spanning(
            widened(text, exact.start(), segmenter, Edge::Start),
            widened(text, exact.end(), segmenter, Edge::End),
        );
        // Widening can reach back into a unit that starts with a space (a space and the
        // right-to-left mark after it are one unit), so blank units go again, whole.
        let words = strip_units(text, widened, segmenter, is_blank)?;
        let words_without_punctuation =
            strip_units(text, words, segmenter, is_blank_or_punctuation).unwrap_or(words);
        Some(Self {
            exact,
            words,
            words_without_punctuation,
        })
    }

    /// The span a label with `rule` tags.
    pub fn for_rule(&self, rule: SnapRule) -> CharRange {
        match rule {
            SnapRule::Words => self.words,
            SnapRule::WordsWithoutPunctuation => self.words_without_punctuation,
            SnapRule::Exact => self.exact,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Edge {
    Start,
    End,
}

/// `at` moved out of the word (or emoji, or letter with its marks) it falls inside: to that
/// unit's start for a span's start, to its end for a span's end. Unchanged between units.
fn widened<S: Segmenter + ?Sized>(
    text: &ArticleText,
    at: CharOffset,
    segmenter: &S,
    edge: Edge,
) -> CharOffset {
    let Some((from, stretch)) = line_around(text, at) else {
        return at;
    };
    let inside = at.get() - from;
    segmenter
        .segments(stretch, Granularity::Word)
        .into_iter()
        .find(|s| s.start < inside && inside < s.end)
        .map_or(at, |s| {
            CharOffset::new(from + if edge == Edge::Start { s.start } else { s.end })
        })
}

/// Whether no word (or emoji, or letter with its marks) runs across `at`: what "whole word"
/// means for Tag all (`suggest::occurrences`) as for snapping.
pub(crate) fn on_word_boundary<S: Segmenter + ?Sized>(
    text: &ArticleText,
    at: CharOffset,
    segmenter: &S,
) -> bool {
    widened(text, at, segmenter, Edge::Start) == at
}

/// The text within [`WINDOW`] code points of `at` that is on `at`'s line (words never span a
/// line break), with the offset where it starts.
fn line_around(text: &ArticleText, at: CharOffset) -> Option<(usize, &str)> {
    let len = text.char_len();
    let before = CharRange::from_raw(at.get().saturating_sub(WINDOW), at.get()).ok()?;
    let after = CharRange::from_raw(at.get(), (at.get() + WINDOW).min(len)).ok()?;
    let kept_before = text
        .slice(before)?
        .chars()
        .rev()
        .take_while(|&c| c != '\n')
        .count();
    let kept_after = text
        .slice(after)?
        .chars()
        .take_while(|&c| c != '\n')
        .count();
    let from = at.get() - kept_before;
    let window = CharRange::from_raw(from, at.get() + kept_after).ok()?;
    Some((from, text.slice(window)?))
}

/// `range` without the units (words, spaces, marks) at its ends made only of characters that
/// are `outer`. `None` when nothing else is left.
fn strip_units<S: Segmenter + ?Sized>(
    text: &ArticleText,
    range: CharRange,
    segmenter: &S,
    outer: fn(char) -> bool,
) -> Option<CharRange> {
    let all_outer = |unit: CharRange| text.slice(unit).is_some_and(|s| s.chars().all(outer));
    let (mut start, mut end) = (range.start(), range.end());
    while start < end {
        let unit = unit_at(text, start, segmenter, Edge::Start);
        if !all_outer(unit) {
            break;
        }
        start = unit.end().min(end);
    }
    while start < end {
        let unit = unit_at(text, end, segmenter, Edge::End);
        if !all_outer(unit) {
            break;
        }
        end = unit.start().max(start);
    }
    (start < end).then(|| CharRange::spanning(start, end))
}

/// The unit that starts at `at` (`Edge::Start`) or ends there (`Edge::End`); a line break is a
/// unit of its own.
fn unit_at<S: Segmenter + ?Sized>(
    text: &ArticleText,
    at: CharOffset,
    segmenter: &S,
    edge: Edge,
) -> CharRange {
    let one = match edge {
        Edge::Start => CharRange::from_raw(at.get(), at.get() + 1),
        Edge::End => CharRange::from_raw(at.get().saturating_sub(1), at.get()),
    }
    .unwrap_or(CharRange::spanning(at, at));
    let Some((from, stretch)) = line_around(text, at) else {
        return one;
    };
    let inside = at.get() - from;
    segmenter
        .segments(stretch, Granularity::Word)
        .into_iter()
        .find(|s| match edge {
            Edge::Start => s.start == inside,
            Edge::End => s.end == inside,
        })
        .and_then(|s| CharRange::from_raw(from + s.start, from + s.end).ok())
        .unwrap_or(one)
}

/// Whitespace and the invisible marks that ride on it (direction marks, joiners, the BOM).
fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

fn is_blank_or_punctuation(c: char) -> bool {
    is_blank(c) || is_punctuation(c)
}

/// Punctuation of the scripts articles are written in: quotation marks, brackets, dashes, stops
/// and commas. Not symbols: `$5`, `+3%` and `#hashtag` keep their signs.
fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return b"!\"'(),-./:;?[]{}".contains(&(c as u8));
    }
    PUNCTUATION.iter().any(|&(from, to)| from <= c && c <= to)
}

/// Beyond ASCII, as ranges: Latin-1's ¡ « · » ¿, Armenian, Hebrew, Arabic, Devanagari and Thai
/// stops, General Punctuation, CJK brackets and stops, and their full-width forms.
const PUNCTUATION: &[(char, char)] = &[
    ('\u{a1}', '\u{a1}'),
    ('\u{ab}', '\u{ab}'),
    ('\u{b7}', '\u{b7}'),
    ('\u{bb}', '\u{bb}'),
    ('\u{bf}', '\u{bf}'),
    ('\u{55c}', '\u{55f}'),
    ('\u{589}', '\u{589}'),
    ('\u{5be}', '\u{5be}'),
    ('\u{5c0}', '\u{5c0}'),
    ('\u{5c3}', '\u{5c3}'),
    ('\u{5f3}', '\u{5f4}'),
    ('\u{60c}', '\u{60c}'),
    ('\u{61b}', '\u{61b}'),
    ('\u{61f}', '\u{61f}'),
    ('\u{6d4}', '\u{6d4}'),
    ('\u{964}', '\u{965}'),
    ('\u{e4f}', '\u{e4f}'),
    ('\u{e5a}', '\u{e5b}'),
    ('\u{2010}', '\u{2027}'),
    ('\u{2030}', '\u{205e}'),
    ('\u{3001}', '\u{3003}'),
    ('\u{3008}', '\u{3011}'),
    ('\u{3014}', '\u{301f}'),
    ('\u{30fb}', '\u{30fb}'),
    ('\u{ff01}', '\u{ff03}'),
    ('\u{ff05}', '\u{ff0a}'),
    ('\u{ff0c}', '\u{ff0f}'),
    ('\u{ff1a}', '\u{ff1b}'),
    ('\u{ff1f}', '\u{ff20}'),
    ('\u{ff3b}', '\u{ff3d}'),
    ('\u{ff3f}', '\u{ff3f}'),
    ('\u{ff5b}', '\u{ff5b}'),
    ('\u{ff5d}', '\u{ff5d}'),
    ('\u{ff5f}', '\u{ff65}'),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::text_units::PlainSegmenter;

    fn snapped(text: &str, start: usize, end: usize) -> (ArticleText, SnappedSelection) {
        let text = ArticleText::normalize(text);
        let selection = SnappedSelection::snapped(
            &text,
            CharRange::from_raw(start, end).unwrap(),
            &PlainSegmenter,
        )
        .unwrap();
        (text, selection)
    }

    fn tagged(text: &ArticleText, selection: &SnappedSelection, rule: SnapRule) -> String {
        text.slice(selection.for_rule(rule)).unwrap().to_owned()
    }

    #[test]
    fn a_drag_inside_words_takes_them_whole() {
        // "said" from its "ai" to "the minister"'s "mi".
        let (text, s) = snapped("He said the minister left.", 4, 14);
        assert_eq!(tagged(&text, &s, SnapRule::Exact), "aid the mi");
        assert_eq!(tagged(&text, &s, SnapRule::Words), "said the minister");
    }

    #[test]
    fn punctuation_goes_only_when_the_label_asks() {
        let text = "She said: “We will respond.” Then left.";
        let (text, s) = snapped(text, 8, 29);
        assert_eq!(tagged(&text, &s, SnapRule::Words), ": “We will respond.”");
        assert_eq!(
            tagged(&text, &s, SnapRule::WordsWithoutPunctuation),
            "We will respond"
        );
    }

    #[test]
    fn a_span_of_only_punctuation_is_kept() {
        let (text, s) = snapped("a — b", 2, 3);
        assert_eq!(tagged(&text, &s, SnapRule::WordsWithoutPunctuation), "—");
    }

    #[test]
    fn symbols_are_not_punctuation() {
        let (text, s) = snapped("cost $5, said", 5, 8);
        assert_eq!(tagged(&text, &s, SnapRule::WordsWithoutPunctuation), "$5");
    }

    #[test]
    fn punctuation_of_many_scripts() {
        for c in "!\"'(),-./:;?[]{}¡«·»¿״־،؛؟۔।॥—–…‘’“”„‹›、。「」『』【】〔〕！？，．：；（）＂｣・"
            .chars()
        {
            assert!(is_punctuation(c), "{c:?}");
        }
        for c in "$%+#&*@^|~<>=`aZ9é中😀\u{301} ".chars() {
            assert!(!is_punctuation(c), "{c:?}");
        }
    }

    #[test]
    fn whitespace_only_is_no_selection() {
        let text = ArticleText::normalize("a   b");
        let range = CharRange::from_raw(1, 4).unwrap();
        assert_eq!(
            SnappedSelection::snapped(&text, range, &PlainSegmenter),
            None
        );
    }

    #[test]
    fn words_do_not_reach_across_lines() {
        let (text, s) = snapped("first\nsecond", 3, 8);
        assert_eq!(tagged(&text, &s, SnapRule::Words), "first\nsecond");
    }

    #[test]
    fn exact_takes_the_selection_as_it_is() {
        let range = CharRange::from_raw(4, 14).unwrap();
        let s = SnappedSelection::exact(range);
        for rule in SnapRule::ALL {
            assert_eq!(s.for_rule(rule), range);
        }
    }

    #[test]
    fn rules_read_back_by_name() {
        for rule in SnapRule::ALL {
            assert_eq!(SnapRule::parse(rule.as_str()), Some(rule));
            let json = serde_json::to_string(&rule).unwrap();
            assert_eq!(json, format!("\"{}\"", rule.as_str()));
        }
        assert_eq!(SnapRule::parse("sentences"), None);
        let unknown = serde_json::from_str::<SnapRule>("\"sentences\"").unwrap_err();
        assert!(unknown
            .to_string()
            .contains("unknown snap rule \"sentences\""));
    }
}
