//! Short excerpts of annotated text, as the side panel and the link picker show them.

use super::{Annotation, ArticleText};

/// The first `max` characters of the annotation's text (an ellipsis when cut), one line.
pub fn excerpt(annotation: &Annotation, text: &ArticleText, max: usize) -> String {
    let quoted = text.slice(annotation.range).unwrap_or_default();
    shortened(quoted, max).replace('\n', " ⏎ ")
}

/// The first `max` characters of `text`, with "…" when there is more.
pub fn shortened(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// The excerpt in quotation marks, unless it opens with one of its own (a quote's text usually
/// does: “““We will…” reads badly).
pub fn quoted(excerpt: &str) -> String {
    const OPENING: [char; 8] = ['“', '"', '«', '„', '‘', '\'', '「', '»'];
    if excerpt.starts_with(OPENING) {
        excerpt.to_owned()
    } else {
        format!("“{excerpt}”")
    }
}
