//! doccano's JSONL for sequence labeling: one JSON object per line, one line per document, in
//! one of doccano's two shapes.
//!
//! ```text
//! {"text":"…","label":[[0,5,"quote"]],"Comments":["…"],"document_id":"d1","title":"…"}
//! {"text":"…","entities":[{"id":0,"label":"quote","start_offset":0,"end_offset":5,
//!   "attributes":{"type":"direct"},"note":"…"},{"id":1,"label":"entity","start_offset":9,
//!   "end_offset":14}],"relations":[{"id":0,"from_id":0,"to_id":1,"type":"said_by"}],
//!   "Comments":[{"id":0,"comment":"…"}],"document_id":"d1","title":"…"}
//! ```
//!
//! The file does not say what its offsets count, so the unit is a choice on both sides: code
//! points by default (what Python's `text[start:end]` counts), or UTF-16 code units, which is
//! what doccano's browser front end counts. A UTF-16 file says so in its name
//! ([`file_suffix`]); on import the user picks the unit, preselected by [`guess_unit`].
//!
//! Which shape. doccano reads a whole upload one way, chosen in its upload dialog: "JSONL" (a
//! sequence labeling project) reads `[start, end, "label"]` triples under `label`; "JSONL
//! (Relation)" (a sequence labeling project with relation labeling on) reads `entities` and
//! `relations`. So one export is written in one shape for all of its lines, the one doccano's
//! own export uses for such a project: the relation shape when any document has a relation or
//! any span has attribute values or a note (a triple has no room for them), otherwise the
//! sequence labeling shape, so a file without them stays what a plain project imports. (A plain
//! project can still import a relation-shaped file: set the upload dialog's label column to
//! `entities`.)
//!
//! Export writes `text`, then `label` (triples, in text order, with our label names) or
//! `entities` (objects, in text order, `id` counting from 0 on each line) and `relations`
//! (`from_id` / `to_id` name entity ids, `type` is ours, e.g. `said_by`; listed by `from_id`,
//! `to_id`, type; `id` counts from 0), then `Comments` when the document has a note, then our
//! document id as `document_id` and the title as `title`. An entity's `attributes` (name to
//! string value, every value we hold, whether or not the label schema knows it) and `note` are
//! written only when there are some; doccano has no such fields and ignores them. `Comments`
//! holds the article's note as doccano's export of that shape holds its comments: a list of
//! strings, or of `{"id", "comment"}` objects; doccano's import keeps it as metadata. doccano
//! keeps the other keys it does not know as the example's metadata too, and its own integer
//! `id` is never written, so ours cannot collide with it. doccano refuses a line with empty
//! text; such a document (which has no spans) is still written, so that our own import gives
//! it back.
//!
//! Import accepts both shapes and doccano's variants: the text under `text` or `data`; the spans
//! under `label`, `labels` or `entities` (the first of those present), each either
//! `[start, end, "label"]` or an object with `start_offset`, `end_offset`, `label` and
//! optionally `id`, `attributes` and `note`; `relations` naming entities by `id` (a relation
//! naming an id no entity of the line has is an error); `Comments` (strings or objects with a
//! `comment`), which become the article's note, several joined by a blank line;
//! `document_id` (string or whole number) and `title` when present; any other key is ignored
//! (doccano's own `id`, metadata). Relations link spans, not offsets, so they come through
//! either unit unchanged. Blank lines are skipped. Errors name the line (`line 3`), span
//! (`line 3, span 2`) or relation (`line 3, relation 1`).
//!
//! A round trip keeps each document's id, title, text and note, every span's offsets, label,
//! attribute values and note, and every relation. It loses the annotation ids (renumbered `a1`,
//! `a2`, … in text order), the created and modified times (set to the moment of import), and who
//! made and last changed each span: doccano has no field for it on a span or a line (its exports
//! put each user's work in a file of its own, `<user>.jsonl`, instead), and writing ours on the
//! entities would turn every export with authors into the relation shape, which a plain sequence
//! labeling project cannot upload as it is.
//! doccano spans do not repeat their text, so a file read with the wrong unit is caught only
//! when a span lands past the end or inside a character; check the preview. doccano itself
//! keeps neither the attributes nor the notes.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::{Map, Value};

use super::dataset::{
    build_document_counting, check_size, json_kind, ForeignDocument, ForeignRelation, ForeignSpan,
    ImportError, OffsetUnit, Problem,
};
use super::jsonl::{
    attributes_of, document_id, json_lines, offset, optional_string, relations_by_index, shape,
    JsonLine,
};
use crate::model::offset_index::OffsetIndex;
use crate::model::{CharOffset, Document, Timestamp, Utf16Offset};

/// The media type of JSON Lines files.
pub const MIME: &str = "application/x-ndjson";

/// Keys that may hold the text, in the order they are looked for.
const TEXT_KEYS: [&str; 2] = ["text", "data"];

/// Keys that may hold the spans, in the order they are looked for.
const SPAN_KEYS: [&str; 3] = ["label", "labels", "entities"];

/// What doccano exports comments under.
const COMMENTS_KEY: &str = "Comments";

/// The end of the file name, which states the offset unit when it is not code points:
/// `.doccano.jsonl` or `.doccano-utf16.jsonl`.
pub const fn file_suffix(unit: OffsetUnit) -> &'static str {
    match unit {
        OffsetUnit::CodePoint => ".doccano.jsonl",
        OffsetUnit::Utf16 => ".doccano-utf16.jsonl",
    }
}

/// One line in the sequence labeling shape. Field order is the key order in the file.
#[derive(Serialize)]
struct LabelLine<'a> {
    text: &'a str,
    label: Vec<(usize, usize, &'a str)>,
    #[serde(rename = "Comments", skip_serializing_if = "Vec::is_empty")]
    comments: Vec<&'a str>,
    document_id: &'a str,
    title: &'a str,
}

/// One line in the relation shape. Field order is the key order in the file.
#[derive(Serialize)]
struct RelationLine<'a> {
    text: &'a str,
    entities: Vec<EntityRecord<'a>>,
    relations: Vec<RelationRecord<'a>>,
    #[serde(rename = "Comments", skip_serializing_if = "Vec::is_empty")]
    comments: Vec<CommentRecord<'a>>,
    document_id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct EntityRecord<'a> {
    id: usize,
    label: &'a str,
    start_offset: usize,
    end_offset: usize,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    attributes: BTreeMap<&'a str, &'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct RelationRecord<'a> {
    id: usize,
    from_id: usize,
    to_id: usize,
    #[serde(rename = "type")]
    kind: &'a str,
}

#[derive(Serialize)]
struct CommentRecord<'a> {
    id: usize,
    comment: &'a str,
}

/// Whether an export of `documents` is written in the relation shape: see the module doc.
fn needs_relation_shape(documents: &[&Document]) -> bool {
    documents
        .iter()
        .any(|d| !d.relations().is_empty() || d.annotations().iter().any(|a| a.has_details()))
}

/// Serialises documents as doccano JSONL with offsets counted in `unit`: one line per document,
/// in the order given, spans in text order, in the shape the module doc describes.
pub fn export(documents: &[&Document], unit: OffsetUnit) -> String {
    let relation_shape = needs_relation_shape(documents);
    let mut out = String::new();
    for document in documents {
        let text = document.text();
        let count = |offset: CharOffset| match unit {
            OffsetUnit::CodePoint => offset.get(),
            // Invariant of Document: every range is inside the text, so this cannot fail.
            OffsetUnit::Utf16 => text.utf16_of(offset).map_or(offset.get(), |u| u.get()),
        };
        let note = document.note.as_deref();
        // Serialising strings and numbers into a String cannot fail.
        let line = if relation_shape {
            serde_json::to_string(&RelationLine {
                text: text.as_str(),
                entities: (0..)
                    .zip(document.annotations())
                    .map(|(id, a)| EntityRecord {
                        id,
                        label: a.label.as_str(),
                        start_offset: count(a.range.start()),
                        end_offset: count(a.range.end()),
                        attributes: a.attributes.iter().collect(),
                        note: a.note.as_deref(),
                    })
                    .collect(),
                relations: (0..)
                    .zip(relations_by_index(document))
                    .map(|(id, (from_id, to_id, kind))| RelationRecord {
                        id,
                        from_id,
                        to_id,
                        kind: kind.as_str(),
                    })
                    .collect(),
                comments: note
                    .map(|comment| CommentRecord { id: 0, comment })
                    .into_iter()
                    .collect(),
                document_id: document.id.as_str(),
                title: &document.title,
            })
        } else {
            serde_json::to_string(&LabelLine {
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
                comments: note.into_iter().collect(),
                document_id: document.id.as_str(),
                title: &document.title,
            })
        };
        out.push_str(&line.unwrap_or_default());
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
/// [`ImportError`] naming the line (`"line 3"`), span (`"line 3, span 2"`) or relation
/// (`"line 3, relation 1"`) and what is wrong: not JSON, not an object, no text, a span that
/// is neither `[start, end, "label"]` nor an object with `start_offset`, `end_offset` and
/// `label`, offsets past the end, not in order or (UTF-16) inside a character, an unusable
/// label, attribute or note, an entity id given twice, a relation without `from_id`, `to_id`
/// and `type` or naming an id no entity of the line has, comments that are not strings. A file
/// without any document is an error naming the file.
pub fn import(input: &str, unit: OffsetUnit, now: Timestamp) -> Result<Vec<Document>, ImportError> {
    import_counting(input, unit, now, &mut 0)
}

/// [`import`], adding to `merged` the spans merged into another of the same range and label.
///
/// # Errors
/// As [`import`].
pub fn import_counting(
    input: &str,
    unit: OffsetUnit,
    now: Timestamp,
    merged: &mut usize,
) -> Result<Vec<Document>, ImportError> {
    check_size(input.len())?;
    let mut documents = Vec::new();
    for line in json_lines(input) {
        documents.push(build_document_counting(
            foreign_document(line?, unit)?,
            now,
            merged,
        )?);
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
    let entries = match SPAN_KEYS
        .iter()
        .find_map(|key| Some((*key, object.get(*key)?)))
    {
        None | Some((_, Value::Null)) => &[][..],
        Some((_, Value::Array(entries))) => entries.as_slice(),
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
    let mut spans = Vec::with_capacity(entries.len());
    // Entity id -> index in `spans`, for the relations.
    let mut ids: HashMap<i64, usize> = HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        let (span, id) = foreign_span(format!("{record}, span {}", index + 1), entry)?;
        if let Some(id) = id {
            if ids.insert(id, index).is_some() {
                return Err(shape(
                    span.record,
                    format!("entity id {id} is given twice on this line"),
                ));
            }
        }
        spans.push(span);
    }
    let relations = match object.get("relations") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(relations)) => relations
            .iter()
            .enumerate()
            .map(|(index, relation)| {
                foreign_relation(format!("{record}, relation {}", index + 1), relation, &ids)
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(other) => {
            return Err(shape(
                record,
                format!("\"relations\" must be a list, found {}", json_kind(other)),
            ))
        }
    };
    Ok(ForeignDocument {
        id: document_id(object.get("document_id"), "document_id", &record)?,
        title: optional_string(object.get("title"), "title", &record)?,
        note: note_of_comments(object.get(COMMENTS_KEY), &record)?,
        record,
        text,
        unit,
        spans,
        relations,
    })
}

/// doccano's `Comments` as the article's note: each comment is a string (the sequence labeling
/// export) or an object with a `comment` (the relation export); several are joined by a blank
/// line.
fn note_of_comments(value: Option<&Value>, record: &str) -> Result<Option<String>, ImportError> {
    let comments = match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(comments)) => comments,
        Some(other) => {
            return Err(shape(
                record,
                format!(
                    "{COMMENTS_KEY:?} must be a list, found {}",
                    json_kind(other)
                ),
            ))
        }
    };
    let mut texts = Vec::with_capacity(comments.len());
    for comment in comments {
        match comment {
            Value::String(text) => texts.push(text.as_str()),
            Value::Object(object) => match object.get("comment") {
                Some(Value::String(text)) => texts.push(text.as_str()),
                _ => {
                    return Err(shape(
                        record,
                        format!("a comment object must have a string {:?}", "comment"),
                    ))
                }
            },
            other => {
                return Err(shape(
                    record,
                    format!(
                        "a comment must be a string or an object with a \"comment\", found {}",
                        json_kind(other)
                    ),
                ))
            }
        }
    }
    Ok((!texts.is_empty()).then(|| texts.join("\n\n")))
}

/// One entry of a line's `relations`, its ends resolved through `ids` (entity id -> index).
fn foreign_relation(
    record: String,
    relation: &Value,
    ids: &HashMap<i64, usize>,
) -> Result<ForeignRelation, ImportError> {
    let Value::Object(relation) = relation else {
        return Err(shape(
            record,
            format!(
                "a relation must be an object with \"from_id\", \"to_id\" and \"type\", found {}",
                json_kind(relation)
            ),
        ));
    };
    let kind = optional_string(relation.get("type"), "type", &record)?
        .ok_or_else(|| shape(record.clone(), "no \"type\"".into()))?;
    let end = |key: &str| -> Result<usize, ImportError> {
        let id = entity_id(relation.get(key), key, &record)?
            .ok_or_else(|| shape(record.clone(), format!("no {key:?}")))?;
        ids.get(&id).copied().ok_or_else(|| {
            shape(
                record.clone(),
                format!(
                    "{key:?} is {id}, but no entity on this line has that id{}",
                    if ids.is_empty() {
                        " (its spans have no ids)"
                    } else {
                        ""
                    }
                ),
            )
        })
    };
    Ok(ForeignRelation {
        from: end("from_id")?,
        to: end("to_id")?,
        record,
        kind,
    })
}

/// An entity id: a whole number (doccano's are database ids; ours count from 0).
fn entity_id(value: Option<&Value>, key: &str, record: &str) -> Result<Option<i64>, ImportError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(number)) => number.as_i64().map(Some).ok_or_else(|| {
            shape(
                record,
                format!("{key:?} must be a whole number, found {number}"),
            )
        }),
        Some(other) => Err(shape(
            record,
            format!("{key:?} must be a whole number, found {}", json_kind(other)),
        )),
    }
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

/// One span entry and, for an object with one, its entity `id`.
fn foreign_span(record: String, entry: &Value) -> Result<(ForeignSpan, Option<i64>), ImportError> {
    let (start, end, label, details) = match entry {
        Value::Array(items) => match items.as_slice() {
            [start, end, label] => (
                offset(Some(start), "start", &record)?,
                offset(Some(end), "end", &record)?,
                label,
                None,
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
            Some(object),
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
    let (id, attributes, note) = match details {
        Some(object) => (
            entity_id(object.get("id"), "id", &record)?,
            attributes_of(object.get("attributes"), &record)?,
            optional_string(object.get("note"), "note", &record)?,
        ),
        None => (None, Vec::new(), None),
    };
    let span = ForeignSpan {
        label: label.clone(),
        record,
        start,
        end,
        quoted: None,
        attributes,
        note,
    };
    Ok((span, id))
}
