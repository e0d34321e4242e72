//! UAX #29 from the `unicode-segmentation` crate, the same rules as the browser's
//! `Intl.Segmenter`, and the pieces test articles are made of: the reference for the caret and
//! for snapping drags to words.

use annotator_core::model::text_units::{Granularity, Segment, Segmenter};
use unicode_segmentation::UnicodeSegmentation;

/// UAX #29 as `Intl.Segmenter` applies it.
pub struct Uax29;

/// Byte-indexed pieces of `text` as code point segments.
fn by_chars<'a>(text: &str, pieces: impl Iterator<Item = (usize, &'a str)>) -> Vec<Segment> {
    let mut out = Vec::new();
    for (byte, piece) in pieces {
        let start = text[..byte].chars().count();
        out.push(Segment {
            start,
            end: start + piece.chars().count(),
            word_like: piece.chars().any(char::is_alphanumeric),
        });
    }
    out
}

impl Segmenter for Uax29 {
    fn segments(&self, text: &str, granularity: Granularity) -> Vec<Segment> {
        match granularity {
            Granularity::Grapheme => by_chars(text, text.grapheme_indices(true)),
            Granularity::Word => by_chars(text, text.split_word_bound_indices()),
            Granularity::Sentence => by_chars(text, text.split_sentence_bound_indices()),
        }
    }
}

/// Pieces articles are made of: each a whole grapheme or word, so any mix is realistic.
pub const PIECES: &[&str] = &[
    "a",
    "Mao",
    "said",
    " ",
    " ",
    ".",
    ", ",
    "! ",
    "? ",
    "\n",
    "\n\n",
    "“",
    "”",
    "é",
    "e\u{301}",
    "n\u{303}\u{323}",
    "👩\u{200d}👩\u{200d}👧\u{200d}👦",
    "👍🏽",
    "🇫🇷",
    "👋",
    "中文",
    "字",
    "。",
    "مرحبا",
    "שלום",
    "\u{200f}",
    "1.5",
    "don't",
    "\t",
    "\u{3000}",
    "ก่",
];
