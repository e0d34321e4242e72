//! Turning what a person selected into the span that gets tagged.

use super::offsets::{CharOffset, CharRange};
use super::text::ArticleText;

/// Trims leading and trailing whitespace off `range` (double-click often takes the space after a
/// word). `None` when the range is past the end or holds only whitespace.
pub fn trim_whitespace(text: &ArticleText, range: CharRange) -> Option<CharRange> {
    let slice = text.slice(range)?;
    let leading = slice.chars().take_while(|c| c.is_whitespace()).count();
    if leading == range.len() {
        return None;
    }
    let trailing = slice
        .chars()
        .rev()
        .take_while(|c| c.is_whitespace())
        .count();
    CharRange::new(
        CharOffset::new(range.start().get() + leading),
        CharOffset::new(range.end().get() - trailing),
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_unicode_whitespace_and_newlines() {
        let t = ArticleText::normalize(" \u{3000}word\u{a0}\n x");
        let r = trim_whitespace(&t, CharRange::from_raw(0, 10).unwrap()).unwrap();
        assert_eq!(t.slice(r), Some("word\u{a0}\n x"));
        let r = trim_whitespace(&t, CharRange::from_raw(0, 7).unwrap()).unwrap();
        assert_eq!(t.slice(r), Some("word"));
        assert_eq!(
            trim_whitespace(&t, CharRange::from_raw(0, 2).unwrap()),
            None
        );
        assert_eq!(
            trim_whitespace(&t, CharRange::from_raw(0, 99).unwrap()),
            None
        );
    }
}
