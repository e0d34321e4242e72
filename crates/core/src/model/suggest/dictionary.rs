//! A dictionary: names or phrases with the label each should get, pasted or read from a file,
//! whose every whole-word occurrence is suggested.
//!
//! Three shapes are read, each line on its own:
//! - plain lines: `Jane Doe` (the label chosen in the dialog);
//! - CSV: `Jane Doe,entity` or `"Doe, Jane",PERSON` (RFC 4180 quoting; a first line
//!   `phrase,label`, `text,label`, `name,label` or `pattern,label` is a header);
//! - JSON Lines: `{"text": "Jane Doe", "label": "entity"}`, or spaCy's entity-ruler patterns
//!   `{"label": "ORG", "pattern": "Acme Corp"}`.
//!
//! A label is a built-in one by any of its usual names (`quote`, `Quote`, …), or a
//! named-entity type (`PERSON`, `ORG`, `GPE`, …), which is an entity; anything else is refused
//! by line, with the reason, and the rest is kept.

use serde::Deserialize;

use super::occurrences::whole_word_occurrences;
use crate::model::label::Label;
use crate::model::label_map;
use crate::model::suggestions::{Suggester, Suggestion};
use crate::model::text::ArticleText;
use crate::model::text_units::Segmenter;

/// One phrase and its label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub phrase: String,
    pub label: Label,
}

/// What was read: the entries, and each line that could not be read with why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dictionary {
    pub entries: Vec<Entry>,
    /// (line number from 1, what is wrong with it).
    pub refused: Vec<(usize, String)>,
}

#[derive(Deserialize)]
struct JsonEntry {
    #[serde(alias = "phrase", alias = "pattern", alias = "name")]
    text: serde_json::Value,
    #[serde(default)]
    label: Option<String>,
}

const HEADERS: [&str; 4] = ["phrase", "text", "name", "pattern"];

/// Reads `source`; a line without a label gets `default`.
pub fn parse(source: &str, default: &Label) -> Dictionary {
    let mut dictionary = Dictionary::default();
    for (index, line) in source.lines().enumerate() {
        let number = index + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let read = if line.starts_with('{') {
            json_line(line)
        } else {
            let fields = csv_fields(line);
            let first = fields.first().map(|f| f.trim().to_ascii_lowercase());
            if index == 0 && first.is_some_and(|f| HEADERS.contains(&f.as_str())) {
                continue;
            }
            csv_entry(fields)
        };
        match read.and_then(|(phrase, label)| entry(phrase, label.as_deref(), default)) {
            Ok(entry) if !dictionary.entries.contains(&entry) => dictionary.entries.push(entry),
            Ok(_) => {}
            Err(why) => dictionary.refused.push((number, why)),
        }
    }
    dictionary
}

fn json_line(line: &str) -> Result<(String, Option<String>), String> {
    let read: JsonEntry = serde_json::from_str(line)
        .map_err(|e| format!("not a JSON object with \"text\" (or \"pattern\"): {e}"))?;
    match read.text {
        serde_json::Value::String(phrase) => Ok((phrase, read.label)),
        // spaCy's token patterns ([{"LOWER": "acme"}, …]) match tokens, not text.
        _ => Err("token patterns are not supported; give the phrase as a string".into()),
    }
}

fn csv_entry(fields: Vec<String>) -> Result<(String, Option<String>), String> {
    let mut fields = fields.into_iter();
    let phrase = fields.next().unwrap_or_default();
    let label = fields.next().filter(|l| !l.trim().is_empty());
    Ok((phrase, label))
}

fn entry(phrase: String, label: Option<&str>, default: &Label) -> Result<Entry, String> {
    let phrase = phrase.trim().to_owned();
    if phrase.is_empty() {
        return Err("the phrase is empty".into());
    }
    let label = match label.map(str::trim) {
        None => default.clone(),
        Some(name) => label_named(name)?,
    };
    Ok(Entry { phrase, label })
}

fn label_named(name: &str) -> Result<Label, String> {
    let label = Label::parse_any(name).map_err(|e| e.to_string())?;
    if label.is_builtin() {
        return Ok(label);
    }
    label_map::suggest(&label).ok_or_else(|| {
        format!("“{name}” is not a label here (quote, entity, claim, or a type such as PERSON)")
    })
}

/// The fields of one CSV line (RFC 4180: `"` quotes a field, `""` is a quote inside it).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        let field = fields.last_mut().expect("one field at least");
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' if quoted => quoted = false,
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            ',' if !quoted => fields.push(String::new()),
            _ => field.push(c),
        }
    }
    fields
}

/// Every whole-word occurrence in `text` of each entry, as suggestions.
pub fn suggestions<S: Segmenter + ?Sized>(
    text: &ArticleText,
    dictionary: &Dictionary,
    segmenter: &S,
) -> Vec<Suggestion> {
    dictionary
        .entries
        .iter()
        .flat_map(|entry| {
            whole_word_occurrences(text, &entry.phrase, segmenter)
                .into_iter()
                .map(|range| Suggestion::new(range, entry.label.clone(), Suggester::Dictionary))
        })
        .collect()
}
