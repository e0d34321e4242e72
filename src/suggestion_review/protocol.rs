//! What the page and the suggestions (in the dialogs module) hand each other: plain strings, so
//! the page's first load carries no serialisation code for them, and a 1 MB article crosses as
//! one string copy.
//!
//! - The request: an array of strings, the rule first, then for each article (the open one
//!   first) its id, its text and its tagged spans, one `S E LABEL` per line.
//! - The rule: `tag-all S E LABEL` (every other place of that span's text, with its label),
//!   `dialog` or `dialog S E LABEL` (the Suggest dialog, whose "Tag all" starts from that span),
//!   `find` and the schema's labels, each after a tab (the find bar, `crate::find_bar`).
//! - Accepted spans back, one string each: `S E PS PE LABEL`, `PS PE` being the partner's span
//!   (a quote's speaker, a speaker's quote) or `- -`.

use annotator_core::model::suggestions::{Suggester, Suggestion, Tagged};
use annotator_core::model::{CharRange, Label};

/// A span by code points, and its label.
pub type Span = (CharRange, Label);

/// What to run.
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    TagAll(Span),
    Dialog {
        tag_all: Option<Span>,
    },
    /// The find bar over the open article; its matches are tagged with one of `labels`.
    Find {
        labels: Vec<Label>,
    },
}

fn span_words(span: &Span) -> String {
    let (range, label) = span;
    format!(
        "{} {} {}",
        range.start().get(),
        range.end().get(),
        label.as_str()
    )
}

fn read_span(words: &str) -> Option<Span> {
    let mut parts = words.splitn(3, ' ');
    let start = parts.next()?.parse().ok()?;
    let end = parts.next()?.parse().ok()?;
    let label = Label::parse_any(parts.next()?).ok()?;
    Some((CharRange::from_raw(start, end).ok()?, label))
}

impl Rule {
    pub fn encode(&self) -> String {
        match self {
            Rule::TagAll(span) => format!("tag-all {}", span_words(span)),
            Rule::Dialog { tag_all: None } => "dialog".to_owned(),
            Rule::Dialog {
                tag_all: Some(span),
            } => format!("dialog {}", span_words(span)),
            Rule::Find { labels } => labels.iter().fold("find".to_owned(), |words, label| {
                words + "\t" + label.as_str()
            }),
        }
    }

    pub fn decode(words: &str) -> Option<Rule> {
        if let Some(labels) = words.strip_prefix("find") {
            let labels = labels.split('\t').skip(1).map(Label::parse_any);
            return Some(Rule::Find {
                labels: labels.collect::<Result<_, _>>().ok()?,
            });
        }
        match words.split_once(' ') {
            Some(("tag-all", span)) => Some(Rule::TagAll(read_span(span)?)),
            Some(("dialog", span)) => Some(Rule::Dialog {
                tag_all: Some(read_span(span)?),
            }),
            None if words == "dialog" => Some(Rule::Dialog { tag_all: None }),
            _ => None,
        }
    }
}

/// The tagged spans of an article, from their `S E LABEL` lines (a line that is not one is
/// skipped: the worst it does is let a suggestion through that accepting then finds tagged).
pub fn read_tagged(lines: &str) -> Tagged {
    lines.lines().filter_map(read_span).collect()
}

/// An accepted suggestion, for the page to tag.
pub fn encode_accepted(suggestion: &Suggestion) -> String {
    let r = suggestion.range;
    let partner = suggestion.partner.map_or_else(
        || "- -".to_owned(),
        |p| format!("{} {}", p.start().get(), p.end().get()),
    );
    format!(
        "{} {} {partner} {}",
        r.start().get(),
        r.end().get(),
        suggestion.label.as_str()
    )
}

/// An accepted suggestion back; `None` when the words are not one.
pub fn decode_accepted(words: &str) -> Option<Suggestion> {
    let mut parts = words.splitn(5, ' ');
    let mut number = || parts.next().map(str::parse::<usize>);
    let (start, end) = (number()?.ok()?, number()?.ok()?);
    let partner = match (number()?, number()?) {
        (Ok(start), Ok(end)) => CharRange::from_raw(start, end).ok(),
        _ => None,
    };
    let label = Label::parse_any(parts.next()?).ok()?;
    Some(Suggestion {
        range: CharRange::from_raw(start, end).ok()?,
        label,
        by: Suggester::Search,
        partner,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_and_accepted_spans_cross_intact() {
        let span = (CharRange::from_raw(3, 9).unwrap(), Label::Entity);
        for rule in [
            Rule::TagAll(span.clone()),
            Rule::Dialog { tag_all: None },
            Rule::Dialog {
                tag_all: Some(span.clone()),
            },
            Rule::Find {
                labels: vec![Label::Quote, Label::parse_any("Named Person").unwrap()],
            },
            Rule::Find { labels: Vec::new() },
        ] {
            assert_eq!(Rule::decode(&rule.encode()), Some(rule));
        }
        let custom = Label::parse_any("Named Person").unwrap();
        for partner in [None, Some(CharRange::from_raw(20, 31).unwrap())] {
            let s = Suggestion {
                range: CharRange::from_raw(0, 2).unwrap(),
                label: custom.clone(),
                by: Suggester::Search,
                partner,
            };
            assert_eq!(decode_accepted(&encode_accepted(&s)), Some(s));
        }
        assert_eq!(decode_accepted("1 x - - quote"), None);
        let tagged = read_tagged("0 3 entity\n4 9 Named Person\nnot a span\n");
        assert!(tagged.contains(&(CharRange::from_raw(4, 9).unwrap(), custom)));
        assert_eq!(tagged.len(), 2);
        assert_eq!(Rule::decode("tag-all 1 2"), None);
    }
}
