//! W3C Web Annotation (JSON-LD): every span as an `Annotation` whose body tags it with its label
//! and whose target selects it by quote and by code point position; the documents' own text
//! rides along under one extension key so the file can be imported again.
//!
//! # Shape
//!
//! ```json
//! {"@context": "http://www.w3.org/ns/anno.jsonld",
//!  "id": "urn:article-annotator:collection:…", "type": "AnnotationCollection",
//!  "label": "Article Annotator export (1 document)", "total": 1,
//!  "first": {"id": "urn:article-annotator:collection:…:page:1", "type": "AnnotationPage",
//!    "startIndex": 0,
//!    "items": [{"id": "urn:article-annotator:document:d1#a1", "type": "Annotation",
//!      "body": {"type": "TextualBody", "purpose": "tagging", "value": "quote"},
//!      "target": {"source": "urn:article-annotator:document:d1",
//!        "selector": [{"type": "TextQuoteSelector", "exact": "…", "prefix": "…", "suffix": "…"},
//!                     {"type": "TextPositionSelector", "start": 0, "end": 5}]}}]},
//!  "article-annotator:sources": [{"id": "urn:article-annotator:document:d1", "type": "Text",
//!    "format": "text/plain", "label": "<title>", "value": "<text>",
//!    "created": "…", "modified": "…"}]}
//! ```
//!
//! - Offsets count Unicode code points, as the W3C model requires of `TextPositionSelector`
//!   (Python's `text[start:end]`). `prefix` and `suffix` hold up to [`CONTEXT_CHARS`] code
//!   points of the text around the span and are left out at the start and end of the text.
//! - A document is named by the URN `urn:article-annotator:document:<id>` and an annotation by
//!   `<document URN>#<annotation id>`; both ids are percent-encoded (every byte outside
//!   `A-Z a-z 0-9 - . _ ~`), so any id gives a valid IRI and the `#` is unambiguous.
//!
//! # The sources extension
//!
//! W3C annotations point at their text but never contain it. So that the file can be read back,
//! the collection carries one extra key, [`SOURCES_KEY`] (`"article-annotator:sources"`): every
//! document, in order, with its text. The key is an absolute IRI (scheme `article-annotator`), so
//! a JSON-LD processor keeps it rather than dropping an undefined term, and each entry uses only
//! the Web Annotation vocabulary's own terms (`id`, `type: "Text"`, `format`, `label` for the
//! title, `value` for the text, `created`, `modified`), as a `TextualBody` does for its text.
//! A consumer that ignores the key still holds a valid W3C collection. Documents without
//! annotations appear only there.
//!
//! # Import
//!
//! Reads our own exports, and any W3C collection (with its pages embedded through `first` and
//! `next`), page, single annotation or JSON array of annotations, provided the text of every
//! source an annotation targets is given under [`SOURCES_KEY`] on the collection, a page or
//! the annotation itself. Otherwise the file is refused, naming the first such annotation.
//!
//! - Labels are the `value` of each body whose `purpose` is `tagging` or `classifying` (or, for
//!   a body without `purpose`, the annotation's `motivation`); `bodyValue` counts too. A body
//!   may be one object or an array; several tagging bodies give one span per label; bodies with
//!   other purposes (comments, descriptions) are skipped.
//! - The span comes from the `TextPositionSelector` when there is one; a `TextQuoteSelector`
//!   beside it must quote exactly that text. With only a `TextQuoteSelector`, the span is the
//!   first occurrence of `exact` that has the given `prefix` before it and `suffix` after it;
//!   without `prefix` and `suffix` that is simply the first occurrence.
//! - One target per annotation; a target must select a span (a whole-resource target has no
//!   place in a document).
//! - Documents take their id from the source URN (any other IRI is kept whole as the id), their
//!   title from `label` (else the first line), their times from `created` / `modified` (else
//!   the import time), and annotation ids from the `#` part of annotation ids of the form
//!   `<source>#<id>` when every annotation of the document has a distinct one (else `a1`, `a2`,
//!   … in file order).
//!
//! # What a round trip loses
//!
//! Nothing for our own exports: ids, titles, texts, times, labels and spans all come back.
//! Only the internal counter for the next new annotation id restarts just above the highest
//! `aN` id present.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::{Map, Value};

use super::dataset::{
    build_document, check_size, code_point_offset, json_kind, span_per_label, ForeignDocument,
    ForeignSpan, ImportError, OffsetUnit, Problem,
};
use crate::model::hash::fnv1a64;
use crate::model::offset_index::OffsetIndex;
use crate::model::{Annotation, AnnotationId, ByteOffset, CharRange, Document, Timestamp};

/// The Web Annotation JSON-LD context, always written as a plain string.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// The extension key that carries each document's text and title (see the module docs).
pub const SOURCES_KEY: &str = "article-annotator:sources";
/// Every document's IRI starts with this, followed by its percent-encoded id.
pub const DOCUMENT_URN_PREFIX: &str = "urn:article-annotator:document:";
/// The collection's IRI starts with this, followed by a hash of the document ids.
pub const COLLECTION_URN_PREFIX: &str = "urn:article-annotator:collection:";
/// How many code points of context `prefix` and `suffix` hold at most.
pub const CONTEXT_CHARS: usize = 32;
/// The file name ending of an export, without the leading dot.
pub const FILE_EXTENSION: &str = "w3c.jsonld";
/// The media type. The W3C model also allows the more precise
/// `application/ld+json;profile="http://www.w3.org/ns/anno.jsonld"`.
pub const MIME: &str = "application/ld+json";

// ---------------------------------------------------------------------------------------------
// Export.
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct CollectionOut<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: String,
    total: usize,
    first: PageOut<'a>,
    #[serde(rename = "article-annotator:sources")]
    sources: Vec<SourceOut<'a>>,
}

#[derive(Serialize)]
struct PageOut<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Vec<AnnotationOut<'a>>,
}

#[derive(Serialize)]
struct AnnotationOut<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    body: BodyOut<'a>,
    target: TargetOut<'a>,
}

#[derive(Serialize)]
struct BodyOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    value: &'a str,
}

#[derive(Serialize)]
struct TargetOut<'a> {
    source: String,
    /// Serialised as a two-element array: quote first, then position.
    selector: (QuoteSelectorOut<'a>, PositionSelectorOut),
}

#[derive(Serialize)]
struct QuoteSelectorOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    exact: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    prefix: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    suffix: &'a str,
}

#[derive(Serialize)]
struct PositionSelectorOut {
    #[serde(rename = "type")]
    kind: &'static str,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct SourceOut<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    format: &'static str,
    label: &'a str,
    value: &'a str,
    created: String,
    modified: String,
}

/// The IRI of a document: [`DOCUMENT_URN_PREFIX`] and its percent-encoded id.
pub fn document_iri(document: &Document) -> String {
    format!(
        "{DOCUMENT_URN_PREFIX}{}",
        percent_encode(document.id.as_str())
    )
}

fn annotation_out<'a>(
    document: &'a Document,
    source: &str,
    annotation: &'a Annotation,
) -> AnnotationOut<'a> {
    let text = document.text();
    let (start, end) = (annotation.range.start().get(), annotation.range.end().get());
    // Invariant of Document: every range lies inside the text, so these slices exist.
    let slice = |from: usize, to: usize| {
        CharRange::from_raw(from, to)
            .ok()
            .and_then(|range| text.slice(range))
            .unwrap_or_default()
    };
    AnnotationOut {
        id: format!("{source}#{}", percent_encode(annotation.id.as_str())),
        kind: "Annotation",
        body: BodyOut {
            kind: "TextualBody",
            purpose: "tagging",
            value: annotation.label.as_str(),
        },
        target: TargetOut {
            source: source.to_owned(),
            selector: (
                QuoteSelectorOut {
                    kind: "TextQuoteSelector",
                    exact: slice(start, end),
                    prefix: slice(start.saturating_sub(CONTEXT_CHARS), start),
                    suffix: slice(end, end.saturating_add(CONTEXT_CHARS).min(text.char_len())),
                },
                PositionSelectorOut {
                    kind: "TextPositionSelector",
                    start,
                    end,
                },
            ),
        },
    }
}

/// Serialises documents as one W3C `AnnotationCollection` (pretty-printed JSON-LD), with every
/// document's text under [`SOURCES_KEY`]. The same documents always give the same bytes.
pub fn export(documents: &[&Document]) -> String {
    let collection_id = format!(
        "{COLLECTION_URN_PREFIX}{:016x}",
        fnv1a(documents.iter().map(|d| d.id.as_str()))
    );
    let mut items = Vec::new();
    let mut sources = Vec::with_capacity(documents.len());
    for &document in documents {
        let source = document_iri(document);
        items.extend(
            document
                .annotations()
                .iter()
                .map(|annotation| annotation_out(document, &source, annotation)),
        );
        sources.push(SourceOut {
            id: source,
            kind: "Text",
            format: "text/plain",
            label: &document.title,
            value: document.text().as_str(),
            created: document.created.to_rfc3339(),
            modified: document.modified.to_rfc3339(),
        });
    }
    let plural = if documents.len() == 1 { "" } else { "s" };
    let collection = CollectionOut {
        context: CONTEXT,
        label: format!(
            "Article Annotator export ({} document{plural})",
            documents.len()
        ),
        total: items.len(),
        first: PageOut {
            id: format!("{collection_id}:page:1"),
            kind: "AnnotationPage",
            start_index: 0,
            items,
        },
        id: collection_id,
        kind: "AnnotationCollection",
        sources,
    };
    // Serialising plain strings and numbers into a String cannot fail.
    serde_json::to_string_pretty(&collection).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Detection.
// ---------------------------------------------------------------------------------------------

/// Whether `input` looks like W3C Web Annotation JSON-LD: a JSON object or array with an
/// `"@context"` key and a Web Annotation type. Cheap (substring checks only) and conservative:
/// inside JSON strings quotes are escaped, so `"@context"` can only match a real key or value,
/// and none of the other formats we read has one.
pub fn looks_like(input: &str) -> bool {
    let head = input.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    (head.starts_with('{') || head.starts_with('['))
        && input.contains("\"@context\"")
        && [
            "\"AnnotationCollection\"",
            "\"AnnotationPage\"",
            "\"Annotation\"",
        ]
        .iter()
        .any(|kind| input.contains(kind))
}

// ---------------------------------------------------------------------------------------------
// Import.
// ---------------------------------------------------------------------------------------------

/// A document found under [`SOURCES_KEY`].
struct SourceIn {
    record: String,
    iri: String,
    title: Option<String>,
    /// Indexed once: every quote found in it is a byte offset to convert to code points.
    text: OffsetIndex<String>,
    created: Option<Timestamp>,
    modified: Option<Timestamp>,
    spans: Vec<ForeignSpan>,
    /// The annotation id each span asks for (`None` when it names none we can use).
    wanted_ids: Vec<Option<String>>,
}

/// Everything gathered from the file before any span is checked.
#[derive(Default)]
struct Gathered<'a> {
    sources: Vec<SourceIn>,
    by_iri: HashMap<String, usize>,
    annotations: Vec<&'a Map<String, Value>>,
}

fn shape(record: impl Into<String>, message: impl Into<String>) -> ImportError {
    ImportError::new(record, Problem::Shape(message.into()))
}

/// A JSON-LD keyword's value under its plain alias (`id`, `type`) or the keyword itself.
fn aliased<'a>(object: &'a Map<String, Value>, alias: &str) -> Option<&'a Value> {
    object
        .get(alias)
        .or_else(|| object.get(&format!("@{alias}")))
}

/// The strings of a value that may be one string or an array of them (`type`, `purpose`).
fn strings(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn has_type(object: &Map<String, Value>, kind: &str) -> bool {
    strings(aliased(object, "type")).contains(&kind)
}

fn optional_string(
    object: &Map<String, Value>,
    key: &str,
    record: &str,
) -> Result<Option<String>, ImportError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(shape(
            record,
            format!("{key:?} must be a string, not {}", json_kind(other)),
        )),
    }
}

fn optional_time(
    object: &Map<String, Value>,
    key: &str,
    record: &str,
) -> Result<Option<Timestamp>, ImportError> {
    optional_string(object, key, record)?
        .map(|s| Timestamp::parse_rfc3339(&s).map_err(|e| shape(record, format!("{key:?}: {e}"))))
        .transpose()
}

impl<'a> Gathered<'a> {
    /// Records the documents an object carries under [`SOURCES_KEY`], if any.
    fn sources_of(&mut self, object: &Map<String, Value>) -> Result<(), ImportError> {
        let entries: Vec<&Value> = match object.get(SOURCES_KEY) {
            None => return Ok(()),
            Some(Value::Array(entries)) => entries.iter().collect(),
            Some(entry @ Value::Object(_)) => vec![entry],
            Some(other) => {
                return Err(shape(
                    "the file",
                    format!(
                        "{SOURCES_KEY:?} must be an array of documents, not {}",
                        json_kind(other)
                    ),
                ))
            }
        };
        for entry in entries {
            let number = self.sources.len() + 1;
            let Value::Object(entry) = entry else {
                return Err(shape(
                    format!("source {number}"),
                    format!("must be an object, not {}", json_kind(entry)),
                ));
            };
            let Some(Value::String(iri)) = aliased(entry, "id") else {
                return Err(shape(
                    format!("source {number}"),
                    "has no \"id\" (the IRI its annotations target)",
                ));
            };
            let record = format!("source {number} ({iri})");
            let Some(text) = optional_string(entry, "value", &record)? else {
                return Err(shape(record, "has no \"value\" (its text)"));
            };
            if self.by_iri.contains_key(iri) {
                return Err(shape(record, "this source is listed twice"));
            }
            self.by_iri.insert(iri.clone(), self.sources.len());
            self.sources.push(SourceIn {
                title: optional_string(entry, "label", &record)?,
                created: optional_time(entry, "created", &record)?,
                modified: optional_time(entry, "modified", &record)?,
                record,
                iri: iri.clone(),
                text: OffsetIndex::new(text),
                spans: Vec::new(),
                wanted_ids: Vec::new(),
            });
        }
        Ok(())
    }

    fn annotation(&mut self, item: &'a Value, position: usize) -> Result<(), ImportError> {
        let Value::Object(annotation) = item else {
            return Err(shape(
                format!("annotation {position}"),
                format!("must be an object, not {}", json_kind(item)),
            ));
        };
        self.sources_of(annotation)?;
        self.annotations.push(annotation);
        Ok(())
    }

    /// Walks a page and the pages embedded after it through `next`.
    fn pages(&mut self, first: &'a Value) -> Result<(), ImportError> {
        let mut page = first;
        let mut number = 1;
        loop {
            let record = format!("page {number}");
            let object = match page {
                Value::Object(object) => object,
                Value::String(iri) => {
                    return Err(shape(
                        record,
                        format!(
                            "is only linked ({iri}), not embedded; this file must contain its \
                             annotations"
                        ),
                    ))
                }
                other => {
                    return Err(shape(
                        record,
                        format!("must be an AnnotationPage object, not {}", json_kind(other)),
                    ))
                }
            };
            self.sources_of(object)?;
            match object.get("items") {
                None | Some(Value::Null) => {}
                Some(Value::Array(items)) => {
                    for item in items {
                        self.annotation(item, self.annotations.len() + 1)?;
                    }
                }
                Some(other) => {
                    return Err(shape(
                        record,
                        format!("\"items\" must be an array, not {}", json_kind(other)),
                    ))
                }
            }
            match object.get("next") {
                None | Some(Value::Null) => return Ok(()),
                Some(next) => page = next,
            }
            number += 1;
        }
    }

    fn root(&mut self, root: &'a Value) -> Result<(), ImportError> {
        let expected = "expected a W3C AnnotationCollection, AnnotationPage, Annotation or an \
                        array of annotations";
        match root {
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.annotation(item, index + 1)?;
                }
                Ok(())
            }
            Value::Object(object) if has_type(object, "AnnotationCollection") => {
                self.sources_of(object)?;
                if let Some(first) = object.get("first").filter(|v| !v.is_null()) {
                    self.pages(first)?;
                }
                match object.get("total").map(Value::as_u64) {
                    Some(Some(total)) if total != self.annotations.len() as u64 => Err(shape(
                        "the collection",
                        format!(
                            "says it holds {total} annotations, but its embedded pages hold {}",
                            self.annotations.len()
                        ),
                    )),
                    _ => Ok(()),
                }
            }
            Value::Object(object) if has_type(object, "AnnotationPage") => self.pages(root),
            Value::Object(object) if has_type(object, "Annotation") => self.annotation(root, 1),
            Value::Object(_) => Err(shape("the file", format!("{expected}: no such \"type\""))),
            other => Err(shape(
                "the file",
                format!("{expected}, not {}", json_kind(other)),
            )),
        }
    }
}

/// The labels an annotation's bodies tag it with.
fn labels_of(annotation: &Map<String, Value>, record: &str) -> Result<Vec<String>, ImportError> {
    const TAGGING: [&str; 2] = ["tagging", "classifying"];
    let motivated = strings(annotation.get("motivation"))
        .iter()
        .any(|m| TAGGING.contains(m));
    let mut labels = Vec::new();
    if let Some(value) = annotation.get("bodyValue") {
        match value {
            Value::String(label) if motivated => labels.push(label.clone()),
            Value::String(_) => {}
            other => {
                return Err(shape(
                    record,
                    format!("\"bodyValue\" must be a string, not {}", json_kind(other)),
                ))
            }
        }
    }
    let bodies: Vec<&Value> = match annotation.get("body") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(bodies)) => bodies.iter().collect(),
        Some(body) => vec![body],
    };
    for (index, body) in bodies.into_iter().enumerate() {
        // A body that is just an IRI is an external resource (a web page, an image): not a tag.
        let Value::Object(body) = body else { continue };
        let purposes = strings(body.get("purpose"));
        let tagging = if purposes.is_empty() {
            motivated
        } else {
            purposes.iter().any(|p| TAGGING.contains(p))
        };
        if !tagging {
            continue;
        }
        match body.get("value") {
            Some(Value::String(label)) => labels.push(label.clone()),
            _ => {
                return Err(shape(
                    record,
                    format!(
                        "body {} tags the span but has no text \"value\" to use as its label",
                        index + 1
                    ),
                ))
            }
        }
    }
    if labels.is_empty() {
        return Err(shape(
            record,
            "has no body tagging it with a label (a TextualBody whose purpose is tagging or \
             classifying)",
        ));
    }
    Ok(labels)
}

/// The first occurrence of `exact` in `text` with `prefix` right before it and `suffix` right
/// after it (each only when given), as code point offsets.
fn locate_quote(
    index: &OffsetIndex<impl AsRef<str>>,
    exact: &str,
    prefix: Option<&str>,
    suffix: Option<&str>,
) -> Option<(usize, usize)> {
    if exact.is_empty() {
        return None;
    }
    let text = index.text();
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find(exact)) {
        let at = from + found;
        let before = text.get(..at)?;
        let after = text.get(at + exact.len()..)?;
        if prefix.is_none_or(|p| before.ends_with(p)) && suffix.is_none_or(|s| after.starts_with(s))
        {
            let start = index.char_of_byte(ByteOffset::new(at)).ok()?;
            let end = index.char_of_byte(ByteOffset::new(at + exact.len())).ok()?;
            return Some((start.get(), end.get()));
        }
        // Step one character, not the whole quote: occurrences may overlap ("aa" in "aaa").
        from = at + text.get(at..)?.chars().next()?.len_utf8();
    }
    None
}

/// The span an annotation's target selects, with the quote to check it against.
fn span_of(
    target: &Map<String, Value>,
    text: &OffsetIndex<String>,
    record: &str,
) -> Result<(usize, usize, Option<String>), ImportError> {
    let selectors: Vec<&Map<String, Value>> = match target.get("selector") {
        Some(Value::Array(selectors)) => selectors.iter().filter_map(Value::as_object).collect(),
        Some(Value::Object(selector)) => vec![selector],
        _ => Vec::new(),
    };
    let find = |kind| selectors.iter().copied().find(|s| has_type(s, kind));
    let quote = find("TextQuoteSelector");
    let exact = quote
        .map(|q| match q.get("exact") {
            Some(Value::String(exact)) => Ok(exact.clone()),
            _ => Err(shape(record, "its TextQuoteSelector has no \"exact\" text")),
        })
        .transpose()?;
    if let Some(position) = find("TextPositionSelector") {
        let start = code_point_offset(position, "start", "TextPositionSelector", record)?;
        let end = code_point_offset(position, "end", "TextPositionSelector", record)?;
        return Ok((start, end, exact));
    }
    let (Some(quote), Some(exact)) = (quote, exact) else {
        return Err(shape(
            record,
            "its target has no TextPositionSelector or TextQuoteSelector",
        ));
    };
    let prefix = optional_string(quote, "prefix", record)?;
    let suffix = optional_string(quote, "suffix", record)?;
    if let Some((start, end)) = locate_quote(text, &exact, prefix.as_deref(), suffix.as_deref()) {
        return Ok((start, end, Some(exact)));
    }
    let message = if exact.is_empty() {
        "its TextQuoteSelector quotes nothing (\"exact\" is empty)".to_owned()
    } else if locate_quote(text, &exact, None, None).is_some() {
        format!("the quoted text {exact:?} is in its source, but never with the given prefix and suffix")
    } else {
        format!("the quoted text {exact:?} is not in its source")
    };
    Err(shape(record, message))
}

/// The single target of an annotation, as an object with a `source`.
fn target_of<'v>(
    annotation: &'v Map<String, Value>,
    record: &str,
) -> Result<(&'v Map<String, Value>, &'v str), ImportError> {
    let target = match annotation.get("target") {
        Some(Value::Array(targets)) if targets.len() == 1 => targets.first(),
        Some(Value::Array(targets)) => {
            return Err(shape(
                record,
                format!("has {} targets; only one is supported", targets.len()),
            ))
        }
        other => other,
    };
    let target = match target {
        Some(Value::Object(target)) => target,
        Some(Value::String(iri)) => {
            return Err(shape(
                record,
                format!("targets all of {iri}, not a span of its text"),
            ))
        }
        _ => return Err(shape(record, "has no \"target\"")),
    };
    let source = match target.get("source") {
        Some(Value::String(iri)) => iri.as_str(),
        Some(Value::Object(source)) => match aliased(source, "id") {
            Some(Value::String(iri)) => iri.as_str(),
            _ => return Err(shape(record, "its target's source has no \"id\"")),
        },
        _ => return Err(shape(record, "its target has no \"source\"")),
    };
    Ok((target, source))
}

fn import_annotation(
    gathered: &mut Gathered<'_>,
    annotation: &Map<String, Value>,
    position: usize,
) -> Result<(), ImportError> {
    let id = match aliased(annotation, "id") {
        Some(Value::String(id)) => Some(id.as_str()),
        _ => None,
    };
    let record = id.map_or_else(
        || format!("annotation {position} (it has no id)"),
        |id| format!("annotation {id}"),
    );
    let (target, source) = target_of(annotation, &record)?;
    let Some(&index) = gathered.by_iri.get(source) else {
        return Err(shape(
            record,
            format!("its source {source} has no text in this file"),
        ));
    };
    let labels = labels_of(annotation, &record)?;
    let Some(document) = gathered.sources.get_mut(index) else {
        return Err(shape(record, format!("its source {source} is missing")));
    };
    let (start, end, quoted) = span_of(target, &document.text, &record)?;
    let wanted_id = id
        .and_then(|id| id.strip_prefix(source))
        .and_then(|rest| rest.strip_prefix('#'))
        .and_then(percent_decode)
        .filter(|id| !id.is_empty());
    // Several labels share one annotation id, so that id cannot name each span: span_per_label
    // drops it then.
    for (span, wanted_id) in
        span_per_label(&record, "body", (start, end), labels, quoted, wanted_id)
    {
        document.spans.push(span);
        document.wanted_ids.push(wanted_id);
    }
    Ok(())
}

/// Reads a W3C Web Annotation file (see the module docs for what is accepted). All or nothing:
/// the first bad record rejects the file.
///
/// # Errors
/// [`ImportError`] naming the source or annotation and what is wrong: not JSON, an unknown
/// shape, a source without text, a selector outside or disagreeing with the text, a bad label.
pub fn import(input: &str, now: Timestamp) -> Result<Vec<Document>, ImportError> {
    check_size(input.len())?;
    let root: Value =
        serde_json::from_str(input).map_err(|e| ImportError::file(Problem::Json(e.to_string())))?;
    let mut gathered = Gathered::default();
    gathered.root(&root)?;
    let annotations = std::mem::take(&mut gathered.annotations);
    for (position, annotation) in (1..).zip(annotations) {
        import_annotation(&mut gathered, annotation, position)?;
    }
    gathered
        .sources
        .into_iter()
        .map(|source| {
            let id = source
                .iri
                .strip_prefix(DOCUMENT_URN_PREFIX)
                .and_then(percent_decode)
                .filter(|id| !id.is_empty())
                .unwrap_or_else(|| source.iri.clone());
            let foreign = ForeignDocument {
                record: source.record,
                id: Some(id),
                title: source.title,
                text: source.text.into_text(),
                unit: OffsetUnit::CodePoint,
                spans: source.spans,
                relations: Vec::new(),
                note: None,
            };
            let mut document = build_document(foreign, now)?;
            // A source with a creation time but no modification time was not modified since.
            document.created = source.created.unwrap_or(now);
            document.modified = source.modified.unwrap_or(document.created);
            Ok(with_ids_from_file(document, &source.wanted_ids))
        })
        .collect()
}

/// Gives the annotations the ids the file asked for, when every one asked for a distinct id;
/// otherwise keeps `build_document`'s `a1`, `a2`, … (which number the spans in file order, the
/// order of `wanted`). Label Studio import uses it too; it belongs in `dataset` beside
/// `build_document`.
pub(super) fn with_ids_from_file(document: Document, wanted: &[Option<String>]) -> Document {
    let renamed: Option<Vec<Annotation>> = document
        .annotations()
        .iter()
        .map(|annotation| {
            let number = usize::try_from(annotation.id.number()?).ok()?;
            let id = wanted.get(number.checked_sub(1)?)?.as_deref()?;
            Some(Annotation {
                id: AnnotationId::new(id),
                ..annotation.clone()
            })
        })
        .collect();
    let Some(renamed) = renamed else {
        return document;
    };
    let distinct: HashSet<&AnnotationId> = renamed.iter().map(|a| &a.id).collect();
    if distinct.len() != renamed.len() {
        return document;
    }
    Document::from_parts(document.clone(), renamed, 1).unwrap_or(document)
}

// ---------------------------------------------------------------------------------------------
// Small helpers.
// ---------------------------------------------------------------------------------------------

/// Percent-encodes every byte outside RFC 3986's unreserved set, so an id of any characters
/// makes a valid IRI segment.
fn percent_encode(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Undoes [`percent_encode`] (and any other valid percent-encoding); `None` when the escapes
/// are broken or do not decode to UTF-8.
fn percent_decode(encoded: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(encoded.len());
    let mut rest = encoded.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        if byte == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = tail.get(2..)?;
        } else {
            bytes.push(byte);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

/// A collection id that stays the same for the same documents: the hash of their ids, each
/// followed by a NUL.
fn fnv1a<'a>(ids: impl Iterator<Item = &'a str>) -> u64 {
    fnv1a64(ids.flat_map(|id| id.bytes().chain([0])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_round_trips_any_id() {
        for id in ["d-1", "a b#c/d", "日本", "100%", "%zz"] {
            assert_eq!(percent_decode(&percent_encode(id)).as_deref(), Some(id));
        }
        assert_eq!(percent_encode("a b#é"), "a%20b%23%C3%A9");
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%FF"), None);
    }

    #[test]
    fn quotes_are_found_by_their_context_and_may_overlap() {
        let text = &OffsetIndex::new("aaa 😀x 😀x");
        assert_eq!(locate_quote(text, "aa", None, None), Some((0, 2)));
        assert_eq!(locate_quote(text, "aa", Some("a"), None), Some((1, 3)));
        assert_eq!(locate_quote(text, "x", Some("😀"), Some(" ")), Some((5, 6)));
        assert_eq!(locate_quote(text, "x", Some("😀"), Some("")), Some((5, 6)));
        assert_eq!(locate_quote(text, "x", None, Some("!")), None);
        assert_eq!(locate_quote(text, "", None, None), None);
        assert_eq!(locate_quote(text, "😀x", Some(" "), None), Some((4, 6)));
    }
}
