//! Speakers: the name next to a speech verb beside a quote — `“…,” said Jane Doe`, `“…,” Jane
//! Doe said`, `Jane Doe told reporters: “…”`, `according to Jane Doe, “…”` — suggested as who said
//! it (the quote's "said by" relation, once accepted).
//!
//! A name is one to five capitalised words (with the particles inside names: `de`, `van`,
//! `al-`…). Pronouns are not names: `“…,” he said` suggests no speaker. Only English speech verbs
//! are known for now.

use super::quotes::FoundQuote;
use crate::model::offsets::{CharOffset, CharRange};
use crate::model::text::ArticleText;

/// How far from a quote's marks a speaker is looked for, in code points.
const REACH: usize = 80;

/// Verbs that introduce or follow a quote.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "stated",
    "states",
    "asked",
    "asks",
    "noted",
    "notes",
    "explained",
    "explains",
    "wrote",
    "writes",
    "argued",
    "argues",
    "insisted",
    "warned",
    "warns",
    "claimed",
    "claims",
    "declared",
    "announced",
    "replied",
    "responded",
    "continued",
    "concluded",
    "commented",
    "remarked",
    "urged",
    "testified",
    "recalled",
    "admitted",
    "acknowledged",
    "stressed",
    "emphasised",
    "emphasized",
    "tweeted",
    "posted",
];

/// Small words inside names (`Charles de Gaulle`, `Ursula von der Leyen`).
const PARTICLES: &[&str] = &[
    "de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "la", "le", "bin", "ibn",
    "al", "el", "y",
];

/// Capitalised words that are not names.
const NOT_NAMES: &[&str] = &[
    "He",
    "She",
    "They",
    "It",
    "We",
    "I",
    "You",
    "This",
    "That",
    "The",
    "A",
    "An",
    "But",
    "And",
    "Then",
    "When",
    "Later",
    "Earlier",
    "Officials",
    "Police",
];

/// A speaker found beside a quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FoundSpeaker {
    /// Which of the quotes it said (their index).
    pub quote: usize,
    pub name: CharRange,
}

/// A word of the text: where its letters are (without the punctuation around it), and the
/// punctuation right after it.
#[derive(Clone, Copy, Debug)]
struct Word<'a> {
    range: CharRange,
    text: &'a str,
    /// A `,`, `:` or a sentence's end follows it directly.
    closes: bool,
}

/// The speakers of `quotes` (as [`find_quotes`](super::quotes::find_quotes) found them in
/// `text`), at most one each.
pub fn find_speakers(text: &ArticleText, quotes: &[FoundQuote]) -> Vec<FoundSpeaker> {
    quotes
        .iter()
        .enumerate()
        .filter_map(|(index, quote)| {
            speaker_after(text, quote)
                .or_else(|| speaker_before(text, quote))
                .map(|name| FoundSpeaker { quote: index, name })
        })
        .collect()
}

/// `“…,” said Jane Doe` or `“…,” Jane Doe said`.
fn speaker_after(text: &ArticleText, quote: &FoundQuote) -> Option<CharRange> {
    let end = quote.marked.end().get();
    let words = words_in(text, end, (end + REACH).min(text.char_len()), true);
    let first = words.first()?;
    if is_verb(first.text) && !first.closes {
        return name_from(&words[1..]);
    }
    let name = name_from(&words)?;
    let after = words.iter().position(|w| w.range.end() == name.end())?;
    let verb = words.get(after + 1)?;
    (is_verb(verb.text) && !words[after].closes).then_some(name)
}

/// `Jane Doe said: “…”`, `Jane Doe told reporters: “…”` or `according to Jane Doe, “…”`.
fn speaker_before(text: &ArticleText, quote: &FoundQuote) -> Option<CharRange> {
    let start = quote.marked.start().get();
    let words = words_in(text, start.saturating_sub(REACH), start, false);
    // The clause right before the quote: back to the last sentence end.
    let clause = words
        .iter()
        .rposition(|w| w.closes && w.range.end().get() < start.saturating_sub(2))
        .map_or(&words[..], |i| &words[i + 1..]);
    let lower: Vec<String> = clause.iter().map(|w| w.text.to_lowercase()).collect();
    if let Some(at) = lower
        .windows(2)
        .position(|w| w[0] == "according" && w[1] == "to")
    {
        return name_from(&clause[at + 2..]);
    }
    // The verb nearest the quote, with the name right before it.
    let verb = clause.iter().rposition(|w| is_verb(w.text))?;
    let name = name_ending(&clause[..verb])?;
    (!clause[verb - 1].closes).then_some(name)
}

fn is_verb(word: &str) -> bool {
    SPEECH_VERBS.contains(&word)
}

fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase) && !NOT_NAMES.contains(&word)
}

fn particle(word: &str) -> bool {
    PARTICLES.contains(&word) || word.starts_with("al-") || word.starts_with("el-")
}

/// The name the words start with: capitalised words (particles between them), up to five.
fn name_from(words: &[Word<'_>]) -> Option<CharRange> {
    let first = words.first().filter(|w| capitalised(w.text))?;
    let mut last = first;
    for word in words.iter().take(5).skip(1) {
        if last.closes {
            break;
        }
        if capitalised(word.text) {
            last = word;
        } else if !particle(word.text) {
            break;
        }
    }
    Some(CharRange::spanning(first.range.start(), last.range.end()))
}

/// The name the words end with.
fn name_ending(words: &[Word<'_>]) -> Option<CharRange> {
    let last = words.last().filter(|w| capitalised(w.text))?;
    let mut first = last;
    for word in words.iter().rev().take(5).skip(1) {
        if word.closes {
            break;
        }
        if capitalised(word.text) {
            first = word;
        } else if !particle(word.text) {
            break;
        }
    }
    Some(CharRange::spanning(first.range.start(), last.range.end()))
}

/// The words between code points `from` and `to` on one line: the line the quote is on. Going
/// `forward`, words stop at a line break or an opening quotation mark; going back, at the line
/// start.
fn words_in(text: &ArticleText, from: usize, to: usize, forward: bool) -> Vec<Word<'_>> {
    let Some(stretch) = CharRange::from_raw(from, to)
        .ok()
        .and_then(|r| text.slice(r))
    else {
        return Vec::new();
    };
    // Runs of non-space characters, with the code point each starts at.
    let mut pieces: Vec<(usize, &str)> = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (k, (byte, c)) in stretch.char_indices().enumerate() {
        if !c.is_whitespace() {
            open = open.or(Some((k, byte)));
            continue;
        }
        if let Some((start, from_byte)) = open.take() {
            pieces.push((from + start, &stretch[from_byte..byte]));
        }
        if c == '\n' {
            if forward {
                break;
            }
            pieces.clear();
        }
    }
    // Going forward, a line break ended the loop with nothing open.
    if let Some((start, from_byte)) = open {
        pieces.push((from + start, &stretch[from_byte..]));
    }
    let mut words = Vec::new();
    for (start, piece) in pieces {
        if forward && piece.starts_with(['“', '"', '«', '„', '「']) {
            break;
        }
        let lead = piece.chars().take_while(|c| !c.is_alphanumeric()).count();
        let core: &str = piece.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        if core.is_empty() {
            continue;
        }
        let core_start = start + lead;
        let tail = &piece[piece.find(core).map_or(piece.len(), |b| b + core.len())..];
        words.push(Word {
            range: CharRange::spanning(
                CharOffset::new(core_start),
                CharOffset::new(core_start + core.chars().count()),
            ),
            text: core,
            closes: tail.starts_with([',', ':', '.', '!', '?', ';']),
        });
    }
    words
}

#[cfg(test)]
mod tests {
    use super::super::quotes::find_quotes;
    use super::*;

    fn speakers(text: &str) -> Vec<(String, String)> {
        let text = ArticleText::normalize(text);
        let quotes = find_quotes(&text);
        find_speakers(&text, &quotes)
            .into_iter()
            .map(|s| {
                (
                    text.slice(quotes[s.quote].inner).unwrap().to_owned(),
                    text.slice(s.name).unwrap().to_owned(),
                )
            })
            .collect()
    }

    fn pair(quote: &str, name: &str) -> (String, String) {
        (quote.to_owned(), name.to_owned())
    }

    #[test]
    fn after_the_quote() {
        assert_eq!(
            speakers("“We will respond,” said Mao Ning, a spokeswoman."),
            [pair("We will respond,", "Mao Ning")]
        );
        assert_eq!(
            speakers("“Not now,” Ursula von der Leyen told reporters."),
            [pair("Not now,", "Ursula von der Leyen")]
        );
    }

    #[test]
    fn before_the_quote() {
        assert_eq!(
            speakers("Chuck Schumer told reporters: “This is a disgrace.”"),
            [pair("This is a disgrace.", "Chuck Schumer")]
        );
        assert_eq!(
            speakers("According to María José Núñez, “the talks failed.”"),
            [pair("the talks failed.", "María José Núñez")]
        );
    }

    #[test]
    fn pronouns_and_other_quotes_are_not_speakers() {
        assert_eq!(speakers("“No,” he said. “Yes,” she said."), []);
        // The next quote's opening mark ends the search.
        assert_eq!(speakers("“One.” “Two,” said Ann."), [pair("Two,", "Ann")]);
    }
}
