//! Direct quotes: text between quotation marks, in the marks of any script — “…” and "…"
//! (English), „…“ and »…« (German), «…» (French, Russian), „…” (Polish, Hungarian), ”…”
//! (Swedish, Finnish), ‘…’ and ‚…‘, ‹…›, 「…」 and 『…』 (Chinese, Japanese) — with quotes inside
//! quotes kept inside: `« Il a dit « non » hier »` is one quote, not cut at the first `»`.
//!
//! A quote is found only when it closes on its own line: an opening mark that is never closed
//! (a quote running on into the next paragraph, a stray mark) suggests nothing rather than a
//! wrong span. Apostrophes (`don’t`, `'til`) are never taken for marks.

use crate::model::offsets::{CharOffset, CharRange};
use crate::model::text::ArticleText;

/// A quotation found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FoundQuote {
    /// From the opening mark to the closing one, both included.
    pub marked: CharRange,
    /// What is between the marks, without the spaces next to them.
    pub inner: CharRange,
}

/// The marks that may close a quote opened by `open`, or `None` when `open` opens nothing.
fn closers(open: char) -> Option<&'static [char]> {
    Some(match open {
        '“' => &['”'],
        '„' => &['“', '”'],
        '”' => &['”'],
        '"' => &['"'],
        '«' => &['»'],
        '»' => &['«'],
        '‹' => &['›'],
        '›' => &['‹'],
        '‘' => &['’'],
        '‚' => &['‘', '’'],
        '「' => &['」'],
        '『' => &['』'],
        '〝' => &['〞', '〟'],
        '＂' => &['＂'],
        _ => return None,
    })
}

/// Every top-level quotation in `text`, in order. Quotes inside quotes are part of the outer
/// one.
pub fn find_quotes(text: &ArticleText) -> Vec<FoundQuote> {
    let chars: Vec<char> = text.as_str().chars().collect();
    let mut found = Vec::new();
    // Open marks: where, and which marks close them.
    let mut open: Vec<(usize, &'static [char])> = Vec::new();
    for (at, &c) in chars.iter().enumerate() {
        if c == '\n' {
            open.clear();
            continue;
        }
        if let Some(&(start, closing)) = open.last() {
            if closing.contains(&c) && !is_apostrophe(&chars, at) {
                open.pop();
                if open.is_empty() {
                    if let Some(quote) = quote_between(&chars, start, at) {
                        found.push(quote);
                    }
                }
                continue;
            }
        }
        // `”` and `»` open only at the top level (Swedish ”…”, German »…«); inside a quote they
        // close or are nothing.
        let opens_here = match c {
            '”' | '»' | '›' => open.is_empty() && starts_words(&chars, at),
            '‘' | '‚' => starts_words(&chars, at),
            _ => true,
        };
        if let Some(closing) = closers(c).filter(|_| opens_here) {
            open.push((at, closing));
        }
    }
    found
}

/// An apostrophe, not a mark: `’` or `'` with a letter on both sides (`don’t`), or after an
/// `s` at a word's end (`the students’ union`).
fn is_apostrophe(chars: &[char], at: usize) -> bool {
    if !matches!(chars[at], '’' | '\'') {
        return false;
    }
    let before = at.checked_sub(1).map(|i| chars[i]);
    let after = chars.get(at + 1).copied();
    before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric)
}

/// Whether a mark at `at` stands before words (text follows it, not a space or line end), as
/// an opening mark does.
fn starts_words(chars: &[char], at: usize) -> bool {
    chars
        .get(at + 1)
        .is_some_and(|c| !c.is_whitespace() && !matches!(c, '”' | '»' | '›' | '’'))
}

/// The quote between an opening mark at `start` and its closing mark at `end`, when it holds
/// any word.
fn quote_between(chars: &[char], start: usize, end: usize) -> Option<FoundQuote> {
    let inside = &chars[start + 1..end];
    if !inside.iter().any(|c| c.is_alphanumeric()) {
        return None;
    }
    let leading = inside.iter().take_while(|c| c.is_whitespace()).count();
    let trailing = inside
        .iter()
        .rev()
        .take_while(|c| c.is_whitespace())
        .count();
    let range =
        |from: usize, to: usize| CharRange::spanning(CharOffset::new(from), CharOffset::new(to));
    Some(FoundQuote {
        marked: range(start, end + 1),
        inner: range(start + 1 + leading, end - trailing),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Vec<String> {
        let text = ArticleText::normalize(text);
        find_quotes(&text)
            .into_iter()
            .map(|q| text.slice(q.marked).unwrap().to_owned())
            .collect()
    }

    #[test]
    fn quotes_in_the_marks_of_many_languages() {
        assert_eq!(
            quotes("He said “we will respond,” and left. She said \"no.\""),
            ["“we will respond,”", "\"no.\""]
        );
        assert_eq!(
            quotes("Er sagte: „Wir schaffen das.“ Dann »nie«."),
            ["„Wir schaffen das.“", "»nie«"]
        );
        assert_eq!(
            quotes("Il a dit : « Nous avançons » hier."),
            ["« Nous avançons »"]
        );
        assert_eq!(quotes("Powiedział „nie wiem” wczoraj."), ["„nie wiem”"]);
        assert_eq!(quotes("Han sa ”vi vinner” i går."), ["”vi vinner”"]);
        assert_eq!(
            quotes("彼は「明日行く」と言った。『本』も。"),
            ["「明日行く」", "『本』"]
        );
    }

    #[test]
    fn quotes_inside_quotes_stay_inside() {
        assert_eq!(
            quotes("She said: “He told me ‘no’ twice.” Then left."),
            ["“He told me ‘no’ twice.”"]
        );
        assert_eq!(
            quotes("« Il a dit « non » hier »."),
            ["« Il a dit « non » hier »"]
        );
    }

    #[test]
    fn apostrophes_and_stray_marks_are_not_quotes() {
        assert_eq!(
            quotes("Don’t say ‘yes’ — the students’ union won’t."),
            ["‘yes’"]
        );
        // Opened, never closed on its line.
        assert_eq!(quotes("“We will go on\nand on.”"), Vec::<String>::new());
        // Nothing inside.
        assert_eq!(quotes("An empty “” pair and “ ”."), Vec::<String>::new());
    }

    #[test]
    fn the_inner_span_leaves_out_the_marks_and_their_spaces() {
        let text = ArticleText::normalize("dit « Nous avançons » 👍");
        let quote = find_quotes(&text)[0];
        assert_eq!(text.slice(quote.inner), Some("Nous avançons"));
        assert_eq!(quote.marked, CharRange::from_raw(4, 21).unwrap());
    }
}
