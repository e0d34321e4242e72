//! doccano's JSONL for sequence labeling: one JSON object per line, one line per document.
//!
//! ```text
//! {"text":"…","label":[[0,5,"quote"]],"document_id":"d1","title":"…"}
//! ```
//!
//! The file does not say what its offsets count, so the unit is a choice on both sides: code
//! points by default (what Python's `text[start:end]` counts), or UTF-16 code units, which is
//! what doccano's browser front end counts. A UTF-16 file says so in its name
//! ([`file_suffix`]); on import the user picks the unit, preselected by [`guess_unit`].
//!
//! Export writes `text`, `label` (`[start, end, "label"]` triples, in text order, with our
//! label names), then our document id as `document_id` and the title as `title`: doccano keeps
//! keys it does not know as the example's metadata, and its own integer `id` is never written,
//! so ours cannot collide with it. doccano refuses a line with empty text; such a document
//! (which has no spans) is still written, so that our own import gives it back.
//!
//! Import accepts doccano's variants: the text under `text` or `data`; the spans under
//! `label`, `labels` or `entities` (the first of those present), each either
//! `[start, end, "label"]` or doccano 1.x's `{"start_offset", "end_offset", "label"}` object;
//! `document_id` (string or whole number) and `title` when present; any other key is ignored
//! (doccano's own `id`, `Comments`, `relations`, metadata). Blank lines are skipped. Errors name
//! the line (`line 3`) or span (`line 3, span 2`).
//!
//! A round trip keeps each document's id, title, text and every span's offsets and label. It
//! loses the annotation ids (renumbered `a1`, `a2`, … in text order) and the created and
//! modified times (set to the moment of import). doccano spans do not repeat their text, so a
//! file read with the wrong unit is caught only when a span lands past the end or inside a
//! character; check the preview.

use serde::Serialize;
use serde_json::{Map, Value};

use super::dataset::{
    build_document, check_size, json_kind, ForeignDocument, ForeignSpan, ImportError, OffsetUnit,
    Problem,
};
use super::jsonl::{document_id, json_lines, offset, optional_string, shape, JsonLine};
use crate::model::offset_index::OffsetIndex;
use crate::model::{CharOffset, Document, Timestamp, Utf16Offset};

/// The media type of JSON Lines files.
pub const MIME: &str = "application/x-ndjson";

/// Keys that may hold the text, in the order they are looked for.
const TEXT_KEYS: [&str; 2] = ["text", "data"];

/// Keys that may hold the spans, in the order they are looked for.
const SPAN_KEYS: [&str; 3] = ["label", "labels", "entities"];

/// The end of the file name, which states the offset unit when it is not code points:
/// `.doccano.jsonl` or `.doccano-utf16.jsonl`.
pub const fn file_suffix(unit: OffsetUnit) -> &'static str {
    match unit {
        OffsetUnit::CodePoint => ".doccano.jsonl",
        OffsetUnit::Utf16 => ".doccano-utf16.jsonl",
    }
}

/// One line of the export. Field order is the key order in the file.
#[derive(Serialize)]
struct LineRecord<'a> {
    text: &'a str,
    label: Vec<(usize, usize, &'a str)>,
    document_id: &'a str,
    title: &'a str,
}

/// Serialises documents as doccano JSONL with offsets counted in `unit`: one line per document,
/// in the order given, spans in text order.
pub fn export(documents: &[&Document], unit: OffsetUnit) -> String {
    let mut out = String::new();
    for document in documents {
        let text = document.text();
        let count = |offset: CharOffset| match unit {
            OffsetUnit::CodePoint => offset.get(),
            // Invariant of Document: every range is inside the text, so this cannot fail.
            OffsetUnit::Utf16 => text.utf16_of(offset).map_or(offset.get(), |u| u.get()),
        };
        let record = LineRecord {
            text: text.as_str(),
            label: document
                .annotations()
                .iter()
                .map(|a| {
                    (
                        count(a.range.start()),
                        count(a.range.end()),
                        a.label.as_str(),
                    )
                })
                .collect(),
            document_id: document.id.as_str(),
            title: &document.title,
        };
        // Serialising strings and numbers into a String cannot fail.
        out.push_str(&serde_json::to_string(&record).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Whether `input` looks like doccano JSONL: its first non-blank line is a JSON object with a
/// string `text` (or `data`) and a list under `label` (or `labels`, `entities`) whose entries
/// are all spans (`[start, end, "label"]` or objects with `start_offset`). A line with `spans`
/// is JSONL, not doccano; a text classification file (`"label": ["positive"]`) is not read.
pub fn looks_like(input: &str) -> bool {
    let Some(Ok(first)) = json_lines(input).next() else {
        return false;
    };
    let object = &first.object;
    if object.contains_key("spans") {
        return false;
    }
    let has_text = TEXT_KEYS
        .iter()
        .any(|key| object.get(*key).is_some_and(Value::is_string));
    let spans = SPAN_KEYS.iter().find_map(|key| object.get(*key));
    has_text && matches!(spans, Some(Value::Array(entries)) if entries.iter().all(is_span_entry))
}

fn is_span_entry(entry: &Value) -> bool {
    match entry {
        Value::Array(items) => matches!(
            items.as_slice(),
            [Value::Number(_), Value::Number(_), Value::String(_)]
        ),
        Value::Object(object) => {
            object.contains_key("start_offset") && object.contains_key("end_offset")
        }
        _ => false,
    }
}

/// Reads a doccano JSONL file whose offsets count `unit`. All or nothing: the first bad line or
/// span rejects the file.
///
/// # Errors
/// [`ImportError`] naming the line (`"line 3"`) or span (`"line 3, span 2"`) and what is wrong:
/// not JSON, not an object, no text, a span that is neither `[start, end, "label"]` nor an
/// object with `start_offset`, `end_offset` and `label`, offsets past the end, not in order or
/// (UTF-16) inside a character, an unusable label. A file without any document is an error
/// naming the file.
pub fn import(input: &str, unit: OffsetUnit, now: Timestamp) -> Result<Vec<Document>, ImportError> {
    check_size(input.len())?;
    let mut documents = Vec::new();
    for line in json_lines(input) {
        documents.push(build_document(foreign_document(line?, unit)?, now)?);
    }
    if documents.is_empty() {
        return Err(ImportError::file(Problem::Shape(
            "no documents: every line is blank".into(),
        )));
    }
    Ok(documents)
}

/// Which offset unit a doccano file most likely counts; the import dialog preselects it and
/// the user can change it. The two units only differ after a character outside the Basic
/// Multilingual Plane (an emoji, a rare CJK character), which is one code point but two UTF-16
/// units. The rule, over every span of every line that can be read:
///
/// 1. If every span is valid read one way and some span is not valid read the other way, the
///    valid reading wins. Valid in code points: ends within the text. Valid in UTF-16 units:
///    ends within the text and neither end falls between the two halves of a surrogate pair.
/// 2. If both readings are valid for every span, the one under which more spans have clean
///    edges wins, counting only spans the two readings place differently. A span has clean
///    edges when it neither starts nor ends with whitespace and neither end cuts a word (a
///    letter or digit on both sides) or splits a character (a combining mark, zero-width
///    joiner, variation selector or skin tone right after the end). Annotators select whole
///    words, so a reading that shifts spans by one unit per emoji shows up as cut words.
/// 3. Otherwise (a tie, no spans, or neither reading valid): code points, our default.
pub fn guess_unit(input: &str) -> OffsetUnit {
    let mut valid_as_code_points = true;
    let mut valid_as_utf16 = true;
    // How many of the spans placed differently by the two readings have clean edges in each.
    let mut clean_as_code_points = 0usize;
    let mut clean_as_utf16 = 0usize;
    for line in json_lines(input).filter_map(Result::ok) {
        let Ok(foreign) = foreign_document(line, OffsetUnit::CodePoint) else {
            continue;
        };
        let text = OffsetIndex::new(foreign.text.as_str());
        let of_utf16 = |offset| text.char_of_utf16(Utf16Offset::new(offset)).ok();
        for span in &foreign.spans {
            let as_code_points = (span.start < span.end && span.end <= text.char_len())
                .then_some((span.start, span.end));
            let as_utf16 = match (of_utf16(span.start), of_utf16(span.end)) {
                (Some(start), Some(end)) if start < end => Some((start.get(), end.get())),
                _ => None,
            };
            valid_as_code_points &= as_code_points.is_some();
            valid_as_utf16 &= as_utf16.is_some();
            if let (Some(cp), Some(u16)) = (as_code_points, as_utf16) {
                if cp != u16 {
                    clean_as_code_points += usize::from(has_clean_edges(&text, cp));
                    clean_as_utf16 += usize::from(has_clean_edges(&text, u16));
                }
            }
        }
    }
    match (valid_as_code_points, valid_as_utf16) {
        (false, true) => OffsetUnit::Utf16,
        (true, true) if clean_as_utf16 > clean_as_code_points => OffsetUnit::Utf16,
        _ => OffsetUnit::CodePoint,
    }
}

/// Whether the code point span `start..end` (inside `text`, non-empty) starts and ends where
/// a person selecting text would: see [`guess_unit`].
fn has_clean_edges(text: &OffsetIndex<&str>, (start, end): (usize, usize)) -> bool {
    let at = |index: usize| text.char_at(CharOffset::new(index));
    let first = at(start);
    let last = end.checked_sub(1).and_then(at);
    let cuts = |before: Option<char>, after: Option<char>| match (before, after) {
        (Some(b), Some(a)) => {
            (b.is_alphanumeric() && a.is_alphanumeric()) || joins_previous_character(a)
        }
        _ => false,
    };
    !first.is_some_and(char::is_whitespace)
        && !last.is_some_and(char::is_whitespace)
        && !cuts(start.checked_sub(1).and_then(at), first)
        && !cuts(last, at(end))
}

/// Characters that belong to the character before them: splitting there splits what a reader
/// sees as one character.
fn joins_previous_character(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'       // combining diacritical marks
        | '\u{200D}'                  // zero-width joiner
        | '\u{FE00}'..='\u{FE0F}'     // variation selectors
        | '\u{1F3FB}'..='\u{1F3FF}'   // skin tone modifiers
        | '\u{E0020}'..='\u{E007F}'   // tag characters (subdivision flags)
    )
}

fn foreign_document(line: JsonLine, unit: OffsetUnit) -> Result<ForeignDocument, ImportError> {
    let JsonLine { record, object } = line;
    let text = text_of(&object, &record)?;
    let spans = match SPAN_KEYS
        .iter()
        .find_map(|key| Some((*key, object.get(*key)?)))
    {
        None | Some((_, Value::Null)) => Vec::new(),
        Some((_, Value::Array(entries))) => entries
            .iter()
            .enumerate()
            .map(|(index, entry)| foreign_span(format!("{record}, span {}", index + 1), entry))
            .collect::<Result<Vec<_>, _>>()?,
        Some((key, other)) => {
            return Err(shape(
                record,
                format!(
                    "{key:?} must be a list of spans, found {}",
                    json_kind(other)
                ),
            ))
        }
    };
    Ok(ForeignDocument {
        id: document_id(object.get("document_id"), "document_id", &record)?,
        title: optional_string(object.get("title"), "title", &record)?,
        record,
        text,
        unit,
        spans,
        relations: Vec::new(),
        note: None,
    })
}

fn text_of(object: &Map<String, Value>, record: &str) -> Result<String, ImportError> {
    match TEXT_KEYS
        .iter()
        .find_map(|key| Some((*key, object.get(*key)?)))
    {
        Some((_, Value::String(text))) => Ok(text.clone()),
        Some((key, other)) => Err(shape(
            record,
            format!("{key:?} must be a string, found {}", json_kind(other)),
        )),
        None => Err(shape(
            record,
            "no \"text\" (or \"data\"): each line needs the document's text".into(),
        )),
    }
}

fn foreign_span(record: String, entry: &Value) -> Result<ForeignSpan, ImportError> {
    let (start, end, label) = match entry {
        Value::Array(items) => match items.as_slice() {
            [start, end, label] => (
                offset(Some(start), "start", &record)?,
                offset(Some(end), "end", &record)?,
                label,
            ),
            _ => {
                return Err(shape(
                    record,
                    format!(
                        "a span must be [start, end, \"label\"], found a list of {} items",
                        items.len()
                    ),
                ))
            }
        },
        Value::Object(object) => (
            offset(object.get("start_offset"), "start_offset", &record)?,
            offset(object.get("end_offset"), "end_offset", &record)?,
            object
                .get("label")
                .ok_or_else(|| shape(record.clone(), "no \"label\"".into()))?,
        ),
        other => {
            return Err(shape(
                record,
                format!(
                    "a span must be [start, end, \"label\"] or an object with \"start_offset\", \
                     \"end_offset\" and \"label\", found {} (a text classification file?)",
                    json_kind(other)
                ),
            ))
        }
    };
    let Value::String(label) = label else {
        return Err(shape(
            record,
            format!("the label must be a string, found {}", json_kind(label)),
        ));
    };
    Ok(ForeignSpan {
        label: label.clone(),
        record,
        start,
        end,
        quoted: None,
        attributes: Vec::new(),
        note: None,
    })
}
