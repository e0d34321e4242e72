//! JSONL in the spaCy / Prodigy style: one JSON object per line, one line per document, with
//! code point offsets and each span's text repeated.
//!
//! ```text
//! {"text":"…","meta":{"id":"d1","title":"…","annotators":["ann","bob"]},
//!  "spans":[{"start":0,"end":5,"label":"quote","text":"…","attributes":{"type":"direct"},
//!            "note":"…","made_by":"ann","changed_by":"bob"},
//!           {"start":9,"end":14,"label":"entity","text":"…"}],
//!  "relations":[{"head":0,"child":1,"label":"said_by",
//!                "head_span":{"start":0,"end":5,"label":"quote"},
//!                "child_span":{"start":9,"end":14,"label":"entity"}}],
//!  "note":"…"}
//! ```
//! (shown on several lines here; in the file each document is one line).
//!
//! Export promises, so that Hugging Face `datasets.load_dataset("json", data_files=…)` reads the
//! file into one table: the keys come in the order shown, with the same types on every line
//! (`spans` and `relations` are always lists, even empty ones; `meta.id` and `meta.title` are
//! always strings). Some keys are written only when they have something to hold: a span's
//! `attributes` (an object of attribute name to string value, in name order, every value we
//! hold, whether or not the label schema knows it), a span's `note` and the document's `note`
//! (strings), a span's `made_by` (who made it) and `changed_by` (who last changed its label, a
//! value or its note), annotator names left out when nobody is known, and `meta.annotators`:
//! everyone who made or changed a span of the document, each name once, sorted (by code point,
//! as Python's `sorted` does), so a dataset can be filtered by annotator without reading the
//! spans. Offsets are code points, so Python's `text[start:end] == span["text"]`. Lines are
//! compact JSON and every line, the last one too, ends with `\n`. Labels and relation types are
//! our names (`quote`, `said_by`, or a custom name verbatim).
//!
//! Relations follow Prodigy's relation recipe: `head` is the relation's first end (the quote in
//! "quote said_by entity"), `child` its second, `label` its type. Prodigy's `head` and `child`
//! are token indices; we keep no tokens, so ours are indices into the line's `spans` (from 0),
//! and `head_span` / `child_span` repeat the two spans (`start`, `end`, `label`), as Prodigy
//! does, so a reader can also find them by offsets. Relations are listed by head, then child,
//! then type.
//!
//! Import reads our lines and Prodigy's: keys it does not know are ignored (`_input_hash`,
//! `tokens`, `answer`, a span's `token_start` / `token_end`, …), `meta`, `relations`, the notes,
//! `attributes`, `made_by`, `changed_by` and a span's `text` are optional (the text is checked when
//! present; a name must be a usable annotator name: one line, at most 64 characters, no comma),
//! `meta.annotators` is not read (the spans say it all), `meta.id` may be a string or a whole
//! number, and blank lines are skipped. A relation's end is found by its index (`head`, `child`) or
//! by its span (`head_span`, `child_span`: the one span of the line with those offsets, and that
//! label when one is given); when both are given they must name the same span. On a line with
//! `tokens` (Prodigy's own lines), `head` and `child` count tokens, so only the `_span` objects are
//! read. Errors name the line (`line 3`), the span (`line 3, span 2`) or the relation (`line 3,
//! relation 1`), counting lines from 1 as an editor does, blank ones included, and spans and
//! relations from 1. As in every format that carries authors, spans with the same offsets and label
//! made by different annotators (a file of several annotators' work) are imported once, made by the
//! first one's maker, with an `annotators` attribute naming each maker (`ann, bob`), as
//! `crate::model::same_spans` merges them.
//!
//! A round trip keeps each document's id, title, text and note, every span's offsets, label,
//! attribute values, note and authors (who made it, who last changed it), and every relation (type
//! and ends). It loses the annotation ids (spans are renumbered `a1`, `a2`, … in text order) and
//! the created and modified times (set to the moment of import).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use serde_json::{Map, Value};

use super::dataset::{
    build_document_counting, check_size, json_kind, json_problem, ForeignDocument, ForeignRelation,
    ForeignSpan, ImportError, OffsetUnit, Problem,
};
use super::w3c::{name_shared_spans, with_authors_from_file};
use crate::model::{
    Annotation, AnnotationId, AnnotatorName, Authors, Document, RelationKind, Timestamp,
};

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
    relations: Vec<RelationRecord<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct MetaRecord<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    annotators: Vec<&'a str>,
}

#[derive(Serialize)]
struct SpanRecord<'a> {
    start: usize,
    end: usize,
    label: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    attributes: BTreeMap<&'a str, &'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    made_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    changed_by: Option<&'a str>,
}

#[derive(Serialize)]
struct RelationRecord<'a> {
    head: usize,
    child: usize,
    label: &'a str,
    head_span: SpanCopy<'a>,
    child_span: SpanCopy<'a>,
}

/// A relation end as Prodigy's `head_span` / `child_span` give it.
#[derive(Serialize)]
struct SpanCopy<'a> {
    start: usize,
    end: usize,
    label: &'a str,
}

impl<'a> SpanCopy<'a> {
    fn of(annotation: &'a Annotation) -> Self {
        Self {
            start: annotation.range.start().get(),
            end: annotation.range.end().get(),
            label: annotation.label.as_str(),
        }
    }
}

/// Serialises documents as JSONL: one line per document, in the order given, spans in text
/// order.
pub fn export(documents: &[&Document]) -> String {
    let mut out = String::new();
    for document in documents {
        let text = document.text();
        let annotations = document.annotations();
        let record = LineRecord {
            text: text.as_str(),
            meta: MetaRecord {
                id: document.id.as_str(),
                title: &document.title,
                annotators: annotators(document),
            },
            spans: annotations
                .iter()
                .map(|a| SpanRecord {
                    start: a.range.start().get(),
                    end: a.range.end().get(),
                    label: a.label.as_str(),
                    // Invariant of Document: every range is inside the text.
                    text: text.slice(a.range).unwrap_or_default(),
                    attributes: a.attributes.iter().collect(),
                    note: a.note.as_deref(),
                    made_by: a.authors.made_by.as_ref().map(AnnotatorName::as_str),
                    changed_by: a.authors.changed_by.as_ref().map(AnnotatorName::as_str),
                })
                .collect(),
            relations: relations_by_index(document)
                .into_iter()
                .filter_map(|(head, child, kind)| {
                    Some(RelationRecord {
                        head,
                        child,
                        label: kind.as_str(),
                        head_span: SpanCopy::of(annotations.get(head)?),
                        child_span: SpanCopy::of(annotations.get(child)?),
                    })
                })
                .collect(),
            note: document.note.as_deref(),
        };
        // Serialising strings and numbers into a String cannot fail.
        out.push_str(&serde_json::to_string(&record).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Everyone who made or last changed an annotation of `document`, each once, in name order.
fn annotators(document: &Document) -> Vec<&str> {
    let names: BTreeSet<&AnnotatorName> = document
        .annotations()
        .iter()
        .flat_map(|a| [&a.authors.made_by, &a.authors.changed_by])
        .flatten()
        .collect();
    names.into_iter().map(AnnotatorName::as_str).collect()
}

/// A document's relations with each end named by its index in [`Document::annotations`],
/// sorted by those indices (then type), so a file lists them in text order and exporting an
/// import of it gives the same bytes. Shared with doccano, which numbers its entities the same.
pub(crate) fn relations_by_index(document: &Document) -> Vec<(usize, usize, &RelationKind)> {
    let index: HashMap<&AnnotationId, usize> = document
        .annotations()
        .iter()
        .enumerate()
        .map(|(i, a)| (&a.id, i))
        .collect();
    let mut relations: Vec<_> = document
        .relations()
        .iter()
        // Invariant of Document: both ends exist, so nothing is dropped here.
        .filter_map(|r| Some((*index.get(&r.from)?, *index.get(&r.to)?, &r.kind)))
        .collect();
    relations.sort();
    relations
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
/// [`ImportError`] naming the line (`"line 3"`), span (`"line 3, span 2"`) or relation
/// (`"line 3, relation 1"`) and what is wrong: not JSON, not an object, no `text`, a span
/// without whole-number offsets or a label, offsets past the end or not in order, a span's
/// `text` that differs from the document's, an unusable label, attribute or note, a relation
/// without a type or whose end is a span index out of range, matches no span (or several), or
/// disagrees between index and span copy. A file without any document is an error naming the
/// file.
pub fn import(input: &str, now: Timestamp) -> Result<Vec<Document>, ImportError> {
    import_counting(input, now, &mut 0)
}

/// [`import`], adding to `merged` the spans merged into another of the same range and label.
///
/// # Errors
/// As [`import`].
pub fn import_counting(
    input: &str,
    now: Timestamp,
    merged: &mut usize,
) -> Result<Vec<Document>, ImportError> {
    check_size(input.len())?;
    let mut documents = Vec::new();
    for line in json_lines(input) {
        let (mut foreign, authors) = foreign_document(line?)?;
        name_shared_spans(&mut foreign.spans, &authors);
        let document = build_document_counting(foreign, now, merged)?;
        documents.push(with_authors_from_file(document, &authors));
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
                Err(error) => Err(ImportError::new(record, json_problem(&error, None))),
            }
        })
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

/// A line as a foreign document, with the authors of each of its spans (in the same order).
fn foreign_document(line: JsonLine) -> Result<(ForeignDocument, Vec<Authors>), ImportError> {
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
    let (spans, authors): (Vec<ForeignSpan>, Vec<Authors>) = match object.get("spans") {
        None | Some(Value::Null) => (Vec::new(), Vec::new()),
        Some(Value::Array(spans)) => spans
            .iter()
            .enumerate()
            .map(|(index, span)| foreign_span(format!("{record}, span {}", index + 1), span))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .unzip(),
        Some(other) => {
            return Err(shape(
                record,
                format!("\"spans\" must be a list, found {}", json_kind(other)),
            ))
        }
    };
    // Prodigy's own lines have tokens, and their `head` / `child` count tokens, not spans.
    let ends_by_index = !object.contains_key("tokens");
    let relations = match object.get("relations") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(relations)) => relations
            .iter()
            .enumerate()
            .map(|(index, relation)| {
                let record = format!("{record}, relation {}", index + 1);
                foreign_relation(record, relation, &spans, ends_by_index)
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(other) => {
            return Err(shape(
                record,
                format!("\"relations\" must be a list, found {}", json_kind(other)),
            ))
        }
    };
    let note = optional_string(object.get("note"), "note", &record)?;
    let document = ForeignDocument {
        record,
        id,
        title,
        text,
        unit: OffsetUnit::CodePoint,
        spans,
        relations,
        note,
    };
    Ok((document, authors))
}

fn foreign_span(record: String, span: &Value) -> Result<(ForeignSpan, Authors), ImportError> {
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
    let attributes = attributes_of(span.get("attributes"), &record)?;
    let note = optional_string(span.get("note"), "note", &record)?;
    let authors = Authors {
        made_by: annotator(span.get("made_by"), "made_by", &record)?,
        changed_by: annotator(span.get("changed_by"), "changed_by", &record)?,
    };
    let span = ForeignSpan {
        record,
        start,
        end,
        label,
        quoted,
        attributes,
        note,
    };
    Ok((span, authors))
}

/// An optional annotator name under `key`.
///
/// # Errors
/// For `record`: an unknown-shape error when the value is not a string, and an invalid-value
/// one naming `key` when the string is no usable name (blank, too long, several lines, a
/// comma).
pub(crate) fn annotator(
    value: Option<&Value>,
    key: &str,
    record: &str,
) -> Result<Option<AnnotatorName>, ImportError> {
    optional_string(value, key, record)?
        .map(|name| {
            AnnotatorName::parse(&name)
                .map_err(|e| ImportError::new(record, Problem::Invalid(format!("{key:?}: {e}"))))
        })
        .transpose()
}

/// A span's `attributes`: an object of attribute name to string value; a `null` value is no
/// value. The names and values themselves are checked when the document is built.
///
/// # Errors
/// An unknown-shape error for `record` when it is not an object or a value is not a string.
pub(crate) fn attributes_of(
    value: Option<&Value>,
    record: &str,
) -> Result<Vec<(String, String)>, ImportError> {
    let object = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Object(object)) => object,
        Some(other) => {
            return Err(shape(
                record,
                format!(
                    "\"attributes\" must be an object of names to values, found {}",
                    json_kind(other)
                ),
            ))
        }
    };
    let mut pairs = Vec::with_capacity(object.len());
    for (name, value) in object {
        match value {
            Value::Null => {}
            Value::String(value) => pairs.push((name.clone(), value.clone())),
            other => {
                return Err(shape(
                    record,
                    format!(
                        "the value of attribute {name:?} must be a string, found {}",
                        json_kind(other)
                    ),
                ))
            }
        }
    }
    Ok(pairs)
}

/// One entry of a line's `relations`, its ends resolved to indices into `spans`.
fn foreign_relation(
    record: String,
    relation: &Value,
    spans: &[ForeignSpan],
    ends_by_index: bool,
) -> Result<ForeignRelation, ImportError> {
    let Value::Object(relation) = relation else {
        return Err(shape(
            record,
            format!(
                "a relation must be an object with \"head\", \"child\" and \"label\", found {}",
                json_kind(relation)
            ),
        ));
    };
    let kind = optional_string(relation.get("label"), "label", &record)?
        .ok_or_else(|| shape(record.clone(), "no \"label\" (the relation's type)".into()))?;
    let from = relation_end(relation, "head", spans, ends_by_index, &record)?;
    let to = relation_end(relation, "child", spans, ends_by_index, &record)?;
    Ok(ForeignRelation {
        record,
        kind,
        from,
        to,
    })
}

/// The index into `spans` of one end of a relation (`end` is `"head"` or `"child"`): by the
/// index under `end` (when `by_index`), by the span copy under `<end>_span`, or both, which
/// must agree.
fn relation_end(
    relation: &Map<String, Value>,
    end: &str,
    spans: &[ForeignSpan],
    by_index: bool,
    record: &str,
) -> Result<usize, ImportError> {
    let span_key = format!("{end}_span");
    let indexed = match relation.get(end) {
        Some(value) if by_index && !value.is_null() => {
            let index = offset(Some(value), end, record)?;
            if index >= spans.len() {
                return Err(shape(
                    record,
                    format!(
                        "{end:?} is span index {index}, but the line has {} spans \
                         (indices count from 0)",
                        spans.len()
                    ),
                ));
            }
            Some(index)
        }
        _ => None,
    };
    let matched = match relation.get(&span_key) {
        None | Some(Value::Null) => None,
        Some(Value::Object(copy)) => Some(matching_span(copy, &span_key, spans, record)?),
        Some(other) => {
            return Err(shape(
                record,
                format!(
                    "{span_key:?} must be an object with \"start\" and \"end\", found {}",
                    json_kind(other)
                ),
            ))
        }
    };
    match (indexed, matched) {
        (Some(index), Some(matched)) if index != matched => Err(shape(
            record,
            format!(
                "{end:?} is span index {index}, but {span_key:?} is span index {matched}: \
                 they must name the same span"
            ),
        )),
        (Some(index), _) | (None, Some(index)) => Ok(index),
        (None, None) => Err(shape(
            record,
            if by_index {
                format!("no {end:?} (a span index) and no {span_key:?}")
            } else {
                format!("no {span_key:?} (on a line with tokens, {end:?} counts tokens)")
            },
        )),
    }
}

/// The one span with the offsets of `copy` (and its label, when it gives one).
fn matching_span(
    copy: &Map<String, Value>,
    key: &str,
    spans: &[ForeignSpan],
    record: &str,
) -> Result<usize, ImportError> {
    let start = offset(copy.get("start"), &format!("{key}.start"), record)?;
    let end = offset(copy.get("end"), &format!("{key}.end"), record)?;
    let label = optional_string(copy.get("label"), &format!("{key}.label"), record)?;
    let mut found = spans.iter().enumerate().filter(|(_, span)| {
        span.start == start && span.end == end && label.as_ref().is_none_or(|l| *l == span.label)
    });
    let described = match &label {
        Some(label) => format!("{key:?} {start}..{end} {label:?}"),
        None => format!("{key:?} {start}..{end}"),
    };
    match (found.next(), found.next()) {
        (Some((index, _)), None) => Ok(index),
        (None, _) => Err(shape(
            record,
            format!("{described} is not one of the line's spans"),
        )),
        (Some(_), Some(_)) => Err(shape(
            record,
            format!("{described} matches several spans: give its label"),
        )),
    }
}
