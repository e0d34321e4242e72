//! Text written into CSS: label names in the schema's style sheet, annotation ids in the
//! selectors that find a highlight.

/// A CSS string holding `text` exactly: quotes and backslashes escaped, any other character
/// that could end the string written as a code point escape.
pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\{:x} ", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_names_in_selectors_are_escaped() {
        assert_eq!(css_string("PERSON"), "\"PERSON\"");
        assert_eq!(css_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(css_string("x\u{2028}"), "\"x\\2028 \"");
    }
}
