//! JSONL in the spaCy / Prodigy style: one JSON object per line, one line per document, with
//! code point offsets and each span's text repeated.
//!
//! ```text
//! {"text":"…","meta":{"id":"d1","title":"…"},"spans":[{"start":0,"end":5,"label":"quote","text":"…"}]}
//! ```
//!
//! Export promises, so that Hugging Face `datasets.load_dataset("json", data_files=…)` reads the
//! file into one table: every line has the same keys, in the order shown, with the same types
//! (`spans` is always a list, even an empty one; `meta.id` and `meta.title` are always strings).
//! Offsets are code points, so Python's `text[start:end] == span["text"]`. Lines are compact
//! JSON and every line, the last one too, ends with `\n`. Labels are our label names (`quote`,
//! `entity`, `claim`, or a custom label verbatim).
//!
//! Import reads our lines and Prodigy's: keys it does not know are ignored (`_input_hash`,
//! `tokens`, `answer`, a span's `token_start` / `token_end`, …), `meta` and a span's `text` are
//! optional (the text is checked when present), `meta.id` may be a string or a whole number,
//! and blank lines are skipped. Errors name the line (`line 3`) or the span (`line 3, span 2`),
//! counting lines from 1 as an editor does, blank ones included.
//!
//! A round trip keeps each document's id, title, text and every span's offsets and label. It
//! loses the annotation ids (spans are renumbered `a1`, `a2`, … in text order) and the created
//! and modified times (set to the moment of import).

use serde::Serialize;
use serde_json::{Map, Value};

use super::dataset::{
    build_document, check_size, json_kind, ForeignDocument, ForeignSpan, ImportError, OffsetUnit,
    Problem,
};
use crate::model::{Document, Timestamp};

/// The file name extension, without the dot: the caller names the file `<slug>.jsonl`.
pub const EXTENSION: &str = "jsonl";

/// The media type of JSON Lines files.
pub const MIME: &str = "application/x-ndjson";

/// One line of the export. Field order is the key order in the file.
#[derive(Serialize)]
struct LineRecord<'a> {
    text: &'a str,
    meta: MetaRecord<'a>,
    spans: Vec<SpanRecord<'a>>,
}

#[derive(Serialize)]
struct MetaRecord<'a> {
    id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct SpanRecord<'a> {
    start: usize,
    end: usize,
    label: &'a str,
    text: &'a str,
}

/// Serialises documents as JSONL: one line per document, in the order given, spans in text
/// order.
pub fn export(documents: &[&Document]) -> String {
    let mut out = String::new();
    for document in documents {
        let text = document.text();
        let record = LineRecord {
            text: text.as_str(),
            meta: MetaRecord {
                id: document.id.as_str(),
                title: &document.title,
            },
            spans: document
                .annotations()
                .iter()
                .map(|a| SpanRecord {
                    start: a.range.start().get(),
                    end: a.range.end().get(),
                    label: a.label.as_str(),
                    // Invariant of Document: every range is inside the text.
                    text: text.slice(a.range).unwrap_or_default(),
                })
                .collect(),
        };
        // Serialising strings and numbers into a String cannot fail.
        out.push_str(&serde_json::to_string(&record).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Whether `input` looks like this format: its first non-blank line is a JSON object with a
/// string `text` and a list `spans`. Only the first line is parsed, so this stays cheap; native
/// JSON (pretty-printed, its first line is `{`), Label Studio (an array), W3C (no `spans`) and
/// doccano (`label`, not `spans`) all fail it.
pub fn looks_like(input: &str) -> bool {
    let Some(Ok(first)) = json_lines(input).next() else {
        return false;
    };
    first.object.get("text").is_some_and(Value::is_string)
        && first.object.get("spans").is_some_and(Value::is_array)
}

/// Reads a JSONL file. All or nothing: the first bad line or span rejects the file.
///
/// # Errors
/// [`ImportError`] naming the line (`"line 3"`) or span (`"line 3, span 2"`) and what is wrong:
/// not JSON, not an object, no `text`, a span without whole-number offsets or a label, offsets
/// past the end or not in order, a span's `text` that differs from the document's, an unusable
/// label. A file without any document is an error naming the file.
pub fn import(input: &str, now: Timestamp) -> Result<Vec<Document>, ImportError> {
    check_size(input.len())?;
    let mut documents = Vec::new();
    for line in json_lines(input) {
        let line = line?;
        documents.push(build_document(foreign_document(line)?, now)?);
    }
    if documents.is_empty() {
        return Err(ImportError::file(Problem::Shape(
            "no documents: every line is blank".into(),
        )));
    }
    Ok(documents)
}

/// One JSON object read from a line, with the name errors about it use.
pub(crate) struct JsonLine {
    /// `"line N"`, counting from 1, blank lines included.
    pub record: String,
    pub object: Map<String, Value>,
}

/// The non-blank lines of a JSON Lines file, each parsed as an object. A leading byte order mark
/// is dropped; `\r\n` line ends are fine. Shared with doccano, which is JSON Lines too.
pub(crate) fn json_lines(input: &str) -> impl Iterator<Item = Result<JsonLine, ImportError>> + '_ {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    input
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            let record = format!("line {}", index + 1);
            match serde_json::from_str::<Value>(line) {
                Ok(Value::Object(object)) => Ok(JsonLine { record, object }),
                Ok(other) => Err(shape(
                    record,
                    format!("expected a JSON object, found {}", json_kind(&other)),
                )),
                Err(error) => Err(ImportError::new(record, json_problem(&error))),
            }
        })
}

/// serde_json's message, with "line 1" dropped: the parser only ever sees one line, and its
/// line number would contradict the record's.
pub(crate) fn json_problem(error: &serde_json::Error) -> Problem {
    let message = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    match message.strip_suffix(&position) {
        Some(bare) => Problem::Json(format!("{bare} at column {}", error.column())),
        None => Problem::Json(message),
    }
}

/// An unknown-shape error for `record`.
pub(crate) fn shape(record: impl Into<String>, message: String) -> ImportError {
    ImportError::new(record, Problem::Shape(message))
}

/// A whole number from 0 up, as an offset.
///
/// # Errors
/// An unknown-shape error for `record` naming `key` when the value is missing, not a number,
/// negative, fractional or too large.
pub(crate) fn offset(value: Option<&Value>, key: &str, record: &str) -> Result<usize, ImportError> {
    match value {
        Some(Value::Number(number)) => number
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| {
                shape(
                    record,
                    format!("{key:?} must be a whole number from 0 up, found {number}"),
                )
            }),
        Some(other) => Err(shape(
            record,
            format!("{key:?} must be a whole number, found {}", json_kind(other)),
        )),
        None => Err(shape(record, format!("no {key:?} offset"))),
    }
}

/// A document id given as a string or a whole number; an empty string counts as none (a
/// stable id is then derived from the text).
///
/// # Errors
/// An unknown-shape error for `record` when the id is of another type.
pub(crate) fn document_id(
    value: Option<&Value>,
    key: &str,
    record: &str,
) -> Result<Option<String>, ImportError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(id)) if id.is_empty() => Ok(None),
        Some(Value::String(id)) => Ok(Some(id.clone())),
        Some(Value::Number(number)) if number.is_u64() || number.is_i64() => {
            Ok(Some(number.to_string()))
        }
        Some(other) => Err(shape(
            record,
            format!(
                "{key:?} must be a string or a whole number, found {}",
                json_kind(other)
            ),
        )),
    }
}

/// An optional string field.
///
/// # Errors
/// An unknown-shape error for `record` when the value is present and not a string.
pub(crate) fn optional_string(
    value: Option<&Value>,
    key: &str,
    record: &str,
) -> Result<Option<String>, ImportError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(shape(
            record,
            format!("{key:?} must be a string, found {}", json_kind(other)),
        )),
    }
}

fn foreign_document(line: JsonLine) -> Result<ForeignDocument, ImportError> {
    let JsonLine { record, object } = line;
    let text = match object.get("text") {
        Some(Value::String(text)) => text.clone(),
        Some(other) => {
            return Err(shape(
                record,
                format!("\"text\" must be a string, found {}", json_kind(other)),
            ))
        }
        None => {
            return Err(shape(
                record,
                "no \"text\": each line needs the document's text".into(),
            ))
        }
    };
    let (id, title) = match object.get("meta") {
        None | Some(Value::Null) => (None, None),
        Some(Value::Object(meta)) => (
            document_id(meta.get("id"), "meta.id", &record)?,
            optional_string(meta.get("title"), "meta.title", &record)?,
        ),
        Some(other) => {
            return Err(shape(
                record,
                format!("\"meta\" must be an object, found {}", json_kind(other)),
            ))
        }
    };
    let spans = match object.get("spans") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(spans)) => spans
            .iter()
            .enumerate()
            .map(|(index, span)| foreign_span(format!("{record}, span {}", index + 1), span))
            .collect::<Result<Vec<_>, _>>()?,
        Some(other) => {
            return Err(shape(
                record,
                format!("\"spans\" must be a list, found {}", json_kind(other)),
            ))
        }
    };
    Ok(ForeignDocument {
        record,
        id,
        title,
        text,
        unit: OffsetUnit::CodePoint,
        spans,
        relations: Vec::new(),
        note: None,
    })
}

fn foreign_span(record: String, span: &Value) -> Result<ForeignSpan, ImportError> {
    let Value::Object(span) = span else {
        return Err(shape(
            record,
            format!(
                "a span must be an object with \"start\", \"end\" and \"label\", found {}",
                json_kind(span)
            ),
        ));
    };
    let start = offset(span.get("start"), "start", &record)?;
    let end = offset(span.get("end"), "end", &record)?;
    let label = match span.get("label") {
        Some(Value::String(label)) => label.clone(),
        Some(other) => {
            return Err(shape(
                record,
                format!("\"label\" must be a string, found {}", json_kind(other)),
            ))
        }
        None => return Err(shape(record, "no \"label\"".into())),
    };
    let quoted = optional_string(span.get("text"), "text", &record)?;
    Ok(ForeignSpan {
        record,
        start,
        end,
        label,
        quoted,
        attributes: Vec::new(),
        note: None,
    })
}
