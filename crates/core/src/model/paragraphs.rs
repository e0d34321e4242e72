//! Splits text into the blocks the view renders one component each, so that an edit re-renders
//! one block instead of the whole article.
//!
//! A block is one line *plus the newlines that follow it*: concatenating the blocks gives the text
//! back exactly, and a block rendered with `white-space: pre-wrap; display: block` shows the same
//! line breaks as the whole text would (a block's final newline adds no extra line).

use super::offsets::{ByteOffset, CharOffset, CharRange};
use super::text::ArticleText;

/// One rendered block of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paragraph {
    pub chars: CharRange,
    pub bytes: (ByteOffset, ByteOffset),
}

/// The blocks of `text`, in order, covering it exactly. Empty text has no blocks.
pub fn paragraphs(text: &ArticleText) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut start_char = 0;
    let mut start_byte = 0;
    let mut chars = 0;
    let mut previous_was_newline = false;
    for (byte, c) in text.as_str().char_indices() {
        if c != '\n' && previous_was_newline {
            out.push(block(start_char, chars, start_byte, byte));
            start_char = chars;
            start_byte = byte;
        }
        previous_was_newline = c == '\n';
        chars += 1;
    }
    if chars > start_char {
        out.push(block(start_char, chars, start_byte, text.as_str().len()));
    }
    out
}

fn block(start_char: usize, end_char: usize, start_byte: usize, end_byte: usize) -> Paragraph {
    Paragraph {
        chars: CharRange::spanning(CharOffset::new(start_char), CharOffset::new(end_char)),
        bytes: (ByteOffset::new(start_byte), ByteOffset::new(end_byte)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        let t = ArticleText::normalize(s);
        paragraphs(&t)
            .iter()
            .map(|p| t.as_str()[p.bytes.0.get()..p.bytes.1.get()].to_owned())
            .collect()
    }

    #[test]
    fn blocks_keep_their_trailing_newlines() {
        assert_eq!(texts("a\n\nb\nc"), ["a\n\n", "b\n", "c"]);
        assert_eq!(texts("\n\nx\n"), ["\n\n", "x\n"]);
        assert!(texts("").is_empty());
    }
}
