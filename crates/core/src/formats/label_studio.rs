//! Label Studio JSON: one task per document, its spans as `labels` results of one annotation,
//! plus the labeling config (XML) a Label Studio project needs to show them.
//!
//! # Shape
//!
//! ```json
//! [{"id": 1,
//!   "data": {"text": "…", "title": "…", "document_id": "d1"},
//!   "annotations": [{"result": [
//!     {"id": "a1", "from_name": "label", "to_name": "text", "type": "labels",
//!      "value": {"start": 0, "end": 5, "text": "…", "labels": ["quote"]}}]}]}]
//! ```
//!
//! - Task ids count from 1 in export order; a document without annotations has
//!   `"annotations": []` (an unlabelled task, not an empty submitted one).
//! - Offsets count Unicode code points (Python's `text[start:end]`), which is what Label Studio
//!   stores since it fixed emoji offsets (label-studio-frontend#308); versions before that counted
//!   UTF-16 units, and the repeated `text` makes such a file fail import loudly instead of
//!   shifting spans.
//! - `from_name` / `to_name` are the names in [`labeling_config`]: `<Labels name="label">` and
//!   `<Text name="text" value="$text"/>`. [`config_for`] lists every label the documents use.
//!
//! # Import
//!
//! - A JSON array of tasks, or one task object.
//! - Spans come from the first annotation whose `was_cancelled` is not `true`; a task without
//!   one uses its legacy `completions` the same way, then its first prediction; a task with
//!   none of these imports with no spans.
//! - Only `labels` results are read; others (`choices`, `relation`, `textarea`, …) are skipped.
//!   A result with several labels gives one span per label.
//! - The text is the `data` field named by the results' `to_name` when it is a string, else
//!   `data.text`, else the only string field of `data` other than `title` and `document_id`.
//!   All `labels` results of one task must label the same field.
//! - `data.document_id` and `data.title` give the id and title when present (else an id derived
//!   from the text and the first line); result ids become annotation ids when each names one
//!   span and no two are alike (else `a1`, `a2`, … in file order).
//!
//! # What a round trip loses
//!
//! The documents' created and modified times (imported documents get the import time), and
//! annotation ids only in the case above. Ids, titles, texts, labels and spans come back.

use serde::Serialize;
use serde_json::{Map, Value};

use super::dataset::{
    build_document, check_size, code_point_offset, json_kind, make_ids_unique, span_per_label,
    ForeignDocument, ForeignSpan, ImportError, OffsetUnit, Problem,
};
use super::w3c::with_ids_from_file;
use crate::model::label_tally::tally;
use crate::model::{Document, Label, Timestamp};

/// The `name` of the `<Labels>` tag, which results give as `from_name`.
pub const FROM_NAME: &str = "label";
/// The `name` of the `<Text>` tag (and the `data` key of the text), which results give as
/// `to_name`.
pub const TO_NAME: &str = "text";
/// The result type of a labelled text span.
pub const RESULT_TYPE: &str = "labels";
/// The file name ending of an export, without the leading dot.
pub const FILE_EXTENSION: &str = "label-studio.json";
/// The file name ending of the labeling config, without the leading dot.
pub const CONFIG_FILE_EXTENSION: &str = "label-studio-config.xml";
pub const MIME: &str = "application/json";
pub const CONFIG_MIME: &str = "application/xml";

// ---------------------------------------------------------------------------------------------
// Export.
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct TaskOut<'a> {
    id: usize,
    data: DataOut<'a>,
    annotations: Vec<AnnotationSetOut<'a>>,
}

#[derive(Serialize)]
struct DataOut<'a> {
    text: &'a str,
    title: &'a str,
    document_id: &'a str,
}

#[derive(Serialize)]
struct AnnotationSetOut<'a> {
    result: Vec<ResultOut<'a>>,
}

#[derive(Serialize)]
struct ResultOut<'a> {
    id: &'a str,
    from_name: &'static str,
    to_name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: ValueOut<'a>,
}

#[derive(Serialize)]
struct ValueOut<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    labels: [&'a str; 1],
}

fn task_out(id: usize, document: &Document) -> TaskOut<'_> {
    let text = document.text();
    let result: Vec<ResultOut<'_>> = document
        .annotations()
        .iter()
        .map(|a| ResultOut {
            id: a.id.as_str(),
            from_name: FROM_NAME,
            to_name: TO_NAME,
            kind: RESULT_TYPE,
            value: ValueOut {
                start: a.range.start().get(),
                end: a.range.end().get(),
                // Invariant of Document: every range is inside the text.
                text: text.slice(a.range).unwrap_or_default(),
                labels: [a.label.as_str()],
            },
        })
        .collect();
    TaskOut {
        id,
        data: DataOut {
            text: text.as_str(),
            title: &document.title,
            document_id: document.id.as_str(),
        },
        annotations: if result.is_empty() {
            Vec::new()
        } else {
            vec![AnnotationSetOut { result }]
        },
    }
}

/// Serialises documents as a Label Studio task list (pretty-printed JSON), one task each.
pub fn export(documents: &[&Document]) -> String {
    let tasks: Vec<TaskOut<'_>> = (1..)
        .zip(documents)
        .map(|(id, document)| task_out(id, document))
        .collect();
    // Serialising plain strings and numbers into a String cannot fail.
    serde_json::to_string_pretty(&tasks).unwrap_or_default()
}

/// The labeling config for a Label Studio project: a `<Labels>` tag named [`FROM_NAME`] with the
/// three built-in labels first and then each of `labels` not already listed, in the order given,
/// and a `<Text>` tag named [`TO_NAME`] showing `$text`. Label names are XML-escaped.
pub fn labeling_config(labels: &[Label]) -> String {
    let mut listed: Vec<Label> = Label::ALL.to_vec();
    for label in labels {
        if !listed.contains(label) {
            listed.push(label.clone());
        }
    }
    let mut xml = format!("<View>\n  <Labels name=\"{FROM_NAME}\" toName=\"{TO_NAME}\">\n");
    for label in &listed {
        xml.push_str(&format!(
            "    <Label value=\"{}\"/>\n",
            xml_escape(label.as_str())
        ));
    }
    xml.push_str(&format!(
        "  </Labels>\n  <Text name=\"{TO_NAME}\" value=\"${TO_NAME}\"/>\n</View>\n"
    ));
    xml
}

/// The labeling config for `documents`: the built-in labels, then every custom label they use,
/// by name.
pub fn config_for(documents: &[&Document]) -> String {
    let custom: Vec<Label> = tally(
        documents
            .iter()
            .flat_map(|d| d.annotations())
            .map(|a| &a.label)
            .filter(|label| !label.is_builtin()),
    )
    .into_iter()
    .map(|(label, _)| label)
    .collect();
    labeling_config(&custom)
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Detection.
// ---------------------------------------------------------------------------------------------

/// Whether `input` looks like Label Studio JSON: one JSON array or object (so not JSONL), with a
/// `"data"` key and no `"@context"` (W3C). Quotes inside JSON strings are escaped, so these
/// substrings only match real keys. Linear and allocation-free.
pub fn looks_like(input: &str) -> bool {
    let head = input.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    (head.starts_with('[') || head.starts_with('{'))
        && has_key(input, "data")
        && !input.contains("\"@context\"")
        && serde_json::from_str::<serde::de::IgnoredAny>(head).is_ok()
}

/// Whether `"key"` occurs followed by a colon, i.e. as an object key.
fn has_key(input: &str, key: &str) -> bool {
    let needle = format!("\"{key}\"");
    input.match_indices(&needle).any(|(at, _)| {
        input
            .get(at + needle.len()..)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}

// ---------------------------------------------------------------------------------------------
// Import.
// ---------------------------------------------------------------------------------------------

fn shape(record: impl Into<String>, message: impl Into<String>) -> ImportError {
    ImportError::new(record, Problem::Shape(message.into()))
}

/// The results of the annotation set to import (see the module docs for which one).
fn chosen_results<'v>(
    task: &'v Map<String, Value>,
    record: &str,
) -> Result<Vec<&'v Value>, ImportError> {
    for key in ["annotations", "completions", "predictions"] {
        let sets = match task.get(key) {
            None | Some(Value::Null) => continue,
            Some(Value::Array(sets)) => sets,
            Some(other) => {
                return Err(shape(
                    record,
                    format!("{key:?} must be an array, not {}", json_kind(other)),
                ))
            }
        };
        for (number, set) in (1..).zip(sets) {
            let set_record = format!("{record}, {key} {number}");
            let Value::Object(set) = set else {
                return Err(shape(
                    set_record,
                    format!("must be an object, not {}", json_kind(set)),
                ));
            };
            if set.get("was_cancelled") == Some(&Value::Bool(true)) {
                continue;
            }
            return match set.get("result") {
                None | Some(Value::Null) => Ok(Vec::new()),
                Some(Value::Array(results)) => Ok(results.iter().collect()),
                Some(other) => Err(shape(
                    set_record,
                    format!("\"result\" must be an array, not {}", json_kind(other)),
                )),
            };
        }
    }
    Ok(Vec::new())
}

/// The spans of one task, with the text field they label and the ids they ask for.
#[derive(Default)]
struct TaskSpans<'v> {
    spans: Vec<ForeignSpan>,
    wanted_ids: Vec<Option<String>>,
    to_name: Option<&'v str>,
}

impl<'v> TaskSpans<'v> {
    fn add(&mut self, result: &'v Value, number: usize, record: &str) -> Result<(), ImportError> {
        let Value::Object(result) = result else {
            return Err(shape(
                format!("{record}, result {number}"),
                format!("must be an object, not {}", json_kind(result)),
            ));
        };
        let id = result.get("id").and_then(Value::as_str);
        let record = match id {
            Some(id) => format!("{record}, result {id:?}"),
            None => format!("{record}, result {number}"),
        };
        if result.get("type").and_then(Value::as_str) != Some(RESULT_TYPE) {
            return Ok(());
        }
        if let Some(to_name) = result.get("to_name").and_then(Value::as_str) {
            match self.to_name {
                None => self.to_name = Some(to_name),
                Some(earlier) if earlier != to_name => {
                    return Err(shape(
                        record,
                        format!(
                            "labels the text {to_name:?}, but an earlier result labels \
                             {earlier:?}; a task can hold only one text"
                        ),
                    ))
                }
                Some(_) => {}
            }
        }
        let Some(Value::Object(value)) = result.get("value") else {
            return Err(shape(record, "has no \"value\" object"));
        };
        let start = code_point_offset(value, "start", "", &record)?;
        let end = code_point_offset(value, "end", "", &record)?;
        let quoted = match value.get("text") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(other) => {
                return Err(shape(
                    record,
                    format!("\"text\" must be a string, not {}", json_kind(other)),
                ))
            }
        };
        let labels: Vec<&str> = match value.get("labels") {
            Some(Value::Array(labels)) => labels
                .iter()
                .map(|label| {
                    label.as_str().ok_or_else(|| {
                        shape(
                            record.as_str(),
                            format!("each label must be a string, not {}", json_kind(label)),
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
            _ => return Err(shape(record, "has no \"labels\" array in its \"value\"")),
        };
        if labels.is_empty() {
            return Err(shape(record, "its \"labels\" array is empty"));
        }
        // One result id cannot name several spans: span_per_label drops it then.
        let wanted_id = id.map(str::to_owned);
        for (span, wanted_id) in
            span_per_label(&record, "label", (start, end), labels, quoted, wanted_id)
        {
            self.spans.push(span);
            self.wanted_ids.push(wanted_id);
        }
        Ok(())
    }
}

/// The text of a task (see the module docs for which `data` field it is).
fn text_of<'v>(
    data: &'v Map<String, Value>,
    to_name: Option<&str>,
    record: &str,
) -> Result<&'v str, ImportError> {
    for key in to_name.into_iter().chain([TO_NAME]) {
        if let Some(Value::String(text)) = data.get(key) {
            return Ok(text);
        }
    }
    let candidates: Vec<(&String, &str)> = data
        .iter()
        .filter(|(key, _)| !matches!(key.as_str(), "title" | "document_id"))
        .filter_map(|(key, value)| value.as_str().map(|text| (key, text)))
        .collect();
    match candidates.as_slice() {
        [(_, text)] => Ok(text),
        [] => Err(shape(
            record,
            "its \"data\" has no text (no string field besides title and document_id)",
        )),
        several => {
            let names: Vec<String> = several.iter().map(|(key, _)| format!("{key:?}")).collect();
            Err(shape(
                record,
                format!(
                    "its \"data\" has several string fields ({}) and no result names one as \
                     the text",
                    names.join(", ")
                ),
            ))
        }
    }
}

fn import_task(position: usize, task: &Value, now: Timestamp) -> Result<Document, ImportError> {
    let Value::Object(task) = task else {
        return Err(shape(
            format!("task {position}"),
            format!("must be an object, not {}", json_kind(task)),
        ));
    };
    let record = match task.get("id") {
        Some(Value::Number(id)) => format!("task {position} (id {id})"),
        Some(Value::String(id)) => format!("task {position} (id {id})"),
        _ => format!("task {position}"),
    };
    let Some(Value::Object(data)) = task.get("data") else {
        return Err(shape(record, "has no \"data\" object"));
    };
    let mut spans = TaskSpans::default();
    for (number, result) in (1..).zip(chosen_results(task, &record)?) {
        spans.add(result, number, &record)?;
    }
    let text = text_of(data, spans.to_name, &record)?;
    let id = match data.get("document_id") {
        Some(Value::String(id)) if !id.is_empty() => Some(id.clone()),
        Some(Value::Number(id)) => Some(id.to_string()),
        _ => None,
    };
    let title = data.get("title").and_then(Value::as_str).map(str::to_owned);
    let document = build_document(
        ForeignDocument {
            record,
            id,
            title,
            text: text.to_owned(),
            unit: OffsetUnit::CodePoint,
            spans: spans.spans,
            relations: Vec::new(),
            note: None,
        },
        now,
    )?;
    Ok(with_ids_from_file(document, &spans.wanted_ids))
}

/// Reads a Label Studio JSON export or import file (see the module docs for what is accepted).
/// All or nothing: the first bad task or result rejects the file. Tasks that share a document id
/// get `-2`, `-3`, … suffixes.
///
/// # Errors
/// [`ImportError`] naming the task (and result) and what is wrong: not JSON, an unknown shape,
/// offsets outside or disagreeing with the text, a bad label.
pub fn import(input: &str, now: Timestamp) -> Result<Vec<Document>, ImportError> {
    check_size(input.len())?;
    let root: Value =
        serde_json::from_str(input).map_err(|e| ImportError::file(Problem::Json(e.to_string())))?;
    let tasks: Vec<&Value> = match &root {
        Value::Array(tasks) => tasks.iter().collect(),
        Value::Object(_) => vec![&root],
        other => {
            return Err(shape(
                "the file",
                format!(
                    "expected a Label Studio task list (an array of tasks) or one task, not {}",
                    json_kind(other)
                ),
            ))
        }
    };
    let mut documents = (1..)
        .zip(tasks)
        .map(|(position, task)| import_task(position, task, now))
        .collect::<Result<Vec<_>, _>>()?;
    make_ids_unique(&mut documents);
    Ok(documents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_lists_builtins_first_and_escapes_names() {
        let custom = [
            Label::parse_any("A&B <\"x\">").unwrap(),
            Label::Quote,
            Label::parse_any("it's").unwrap(),
        ];
        assert_eq!(
            labeling_config(&custom),
            "<View>\n  <Labels name=\"label\" toName=\"text\">\n    <Label value=\"quote\"/>\n    \
             <Label value=\"entity\"/>\n    <Label value=\"claim\"/>\n    \
             <Label value=\"A&amp;B &lt;&quot;x&quot;&gt;\"/>\n    <Label value=\"it&apos;s\"/>\n  \
             </Labels>\n  <Text name=\"text\" value=\"$text\"/>\n</View>\n"
        );
    }

    #[test]
    fn keys_are_told_from_values() {
        assert!(has_key(r#"{"data" : {}}"#, "data"));
        assert!(!has_key(r#"{"kind": "data"}"#, "data"));
        assert!(!has_key(r#"{"text": "\"data\": x"}"#, "data"));
    }
}
