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

/// Characters of a span read out whole; a longer one is read as its start and its end.
const SPOKEN_WHOLE_CHARS: usize = 80;
/// Of a longer span, about this many characters from its start, and half as many from its end.
const SPOKEN_START_CHARS: usize = 48;

/// What a screen reader hears where a span opens: its label, where it starts and where it ends,
/// and how long it is ("Quote “We will respond … both sides”, 14 words"). The end matters: the
/// highlight it announces may be cut by others, and a reader cannot see where it stops.
pub fn spoken_extent(label: &str, text: &str) -> String {
    let mut one_line = String::with_capacity(text.len());
    let mut words = 0;
    for word in text.split_whitespace() {
        if words > 0 {
            one_line.push(' ');
        }
        one_line.push_str(word);
        words += 1;
    }
    let chars = one_line.chars().count();
    let shown = if chars <= SPOKEN_WHOLE_CHARS {
        one_line.clone()
    } else {
        let start: String = one_line.chars().take(SPOKEN_START_CHARS).collect();
        let end: String = one_line
            .chars()
            .skip(chars - SPOKEN_START_CHARS / 2)
            .collect();
        // Whole words where the text has them: cut back to the last space before the gap,
        // and forward past the first space after it.
        let start = start
            .rsplit_once(' ')
            .map_or(start.as_str(), |(head, _)| head);
        let end = end.split_once(' ').map_or(end.as_str(), |(_, tail)| tail);
        format!("{start} … {end}")
    };
    // A long run without spaces (Chinese, Japanese, a URL) is measured in characters.
    let length = match (words, text.chars().count()) {
        (1, n) if n <= 20 => "1 word".to_owned(),
        (0 | 1, 1) => "1 character".to_owned(),
        (0 | 1, n) => format!("{n} characters"),
        (n, _) => format!("{n} words"),
    };
    format!("{label} {}, {length}", quoted(&shown))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_span_is_read_whole_with_its_length() {
        assert_eq!(
            spoken_extent("Quote", "“We will respond firmly,”"),
            "Quote “We will respond firmly,”, 4 words"
        );
        assert_eq!(
            spoken_extent("Entity", "Mao Ning"),
            "Entity “Mao Ning”, 2 words"
        );
        assert_eq!(spoken_extent("Entity", "Berlin"), "Entity “Berlin”, 1 word");
        assert_eq!(spoken_extent("Entity", "北京"), "Entity “北京”, 1 word");
        assert_eq!(spoken_extent("Entity", "😀"), "Entity “😀”, 1 word");
    }

    #[test]
    fn a_long_span_is_read_as_its_start_and_end_in_whole_words() {
        let text = "The ministry said on Tuesday that the talks had been useful and that both \
                    sides would meet again in Geneva next month to settle the remaining points.";
        assert_eq!(
            spoken_extent("Claim", text),
            "Claim “The ministry said on Tuesday that the talks had … the remaining points.”, 27 words"
        );
    }

    #[test]
    fn line_breaks_are_read_as_spaces_and_long_runs_without_spaces_in_characters() {
        assert_eq!(
            spoken_extent("Quote", "first line\r\nsecond"),
            "Quote “first line second”, 3 words"
        );
        let cjk = "外交部发言人毛宁表示双方会谈富有成果并同意下月在日内瓦再次会面以解决剩余问题以及其他各项议题和安排事宜细节";
        let cjk = cjk.repeat(2);
        let spoken = spoken_extent("Claim", &cjk);
        assert!(spoken.starts_with("Claim “外交部发言人"), "{spoken}");
        assert!(spoken.contains(" … "), "{spoken}");
        assert!(
            spoken.ends_with(&format!("”, {} characters", cjk.chars().count())),
            "{spoken}"
        );
    }
}
