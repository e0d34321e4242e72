//! W3C Web Annotation (JSON-LD): every span as an `Annotation` whose body tags it with its label
//! and whose target selects it by quote and by code point position; every relation as a
//! `linking` annotation of two spans; the documents' own text rides along under one extension
//! key so the file can be imported again.
//!
//! # Shape
//!
//! ```json
//! {"@context": "http://www.w3.org/ns/anno.jsonld",
//!  "id": "urn:article-annotator:collection:…", "type": "AnnotationCollection",
//!  "label": "Article Annotator export (1 document)", "total": 4,
//!  "first": {"id": "urn:article-annotator:collection:…:page:1", "type": "AnnotationPage",
//!    "startIndex": 0,
//!    "items": [
//!     {"id": "urn:article-annotator:document:d1#a1", "type": "Annotation",
//!      "body": {"type": "TextualBody", "purpose": "tagging", "value": "entity"},
//!      "target": {"source": "urn:article-annotator:document:d1",
//!        "selector": [{"type": "TextQuoteSelector", "exact": "…", "prefix": "…", "suffix": "…"},
//!                     {"type": "TextPositionSelector", "start": 0, "end": 5}]}},
//!     {"id": "urn:article-annotator:document:d1#a2", "type": "Annotation",
//!      "creator": {"type": "Person", "name": "ann"},
//!      "article-annotator:changed_by": {"type": "Person", "name": "bob"},
//!      "body": [{"type": "TextualBody", "purpose": "tagging", "value": "quote"},
//!               {"type": "TextualBody", "purpose": "describing",
//!                "article-annotator:attribute": "type", "value": "direct"},
//!               {"type": "TextualBody", "purpose": "commenting", "value": "<note>"}],
//!      "target": {…}},
//!     {"id": "urn:article-annotator:document:d1#relation:1", "type": "Annotation",
//!      "motivation": "linking",
//!      "body": {"type": "TextualBody", "purpose": "tagging", "value": "said_by"},
//!      "target": ["urn:article-annotator:document:d1#a2", "urn:article-annotator:document:d1#a1"]},
//!     {"id": "urn:article-annotator:document:d1#note:article", "type": "Annotation",
//!      "motivation": "commenting",
//!      "body": {"type": "TextualBody", "purpose": "commenting", "value": "<article note>"},
//!      "target": "urn:article-annotator:document:d1"}]},
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
//! - Items come document by document: its spans in text order, then its relations, then its
//!   note. `total` counts them all.
//!
//! # Attribute values, notes and relations
//!
//! - A span's `body` is one tagging body when it has only its label (as before attribute values
//!   existed), else an array: the tagging body first, then one `describing` body per attribute
//!   value in name order, then its note as a `commenting` body.
//! - An attribute value is a `TextualBody` with purpose `describing` whose `value` is the value
//!   and whose [`ATTRIBUTE_KEY`] (`"article-annotator:attribute"`) is the attribute's name:
//!   `"direct"` alone says nothing without `"type"`. Not `classifying`: readers (this one
//!   included, for foreign files) take a classifying body for a label, which would turn every
//!   value into a span of its own. The key is an absolute IRI, kept by JSON-LD processors like
//!   [`SOURCES_KEY`] is.
//! - A relation is an annotation with motivation `linking`, one tagging body whose value is the
//!   relation type, and two targets, the IRIs of the annotations it links: **first `from`, then
//!   `to`** ("a2 said_by a1" targets a2 then a1). JSON-LD treats an array as unordered, so a
//!   processor that expands the file to RDF keeps the pair but not its direction; a JSON reader
//!   keeps both. Its id is `<document URN>#relation:<n>`, numbered in the document's relation
//!   order (`:` is always percent-encoded in annotation ids, so it names no span).
//! - The article's note is an annotation with motivation `commenting` and one commenting body,
//!   targeting the whole document (its URN); its id is `<document URN>#note:article`.
//!
//! # Who made and who last changed a span
//!
//! - Who made it is the annotation's `creator`, a `Person` agent as the Web Annotation model
//!   describes one: `{"type": "Person", "name": "ann"}` (`name` is the model's term for an
//!   agent's name; we hold no email or homepage to give).
//! - Who last changed its label, a value or its note has no term in the model: its lifecycle
//!   terms are `creator`, `created`, `generator`, `generated` and `modified` (a time, not a
//!   person), and there is no contributor. So it goes under [`CHANGED_BY_KEY`]
//!   (`"article-annotator:changed_by"`), an absolute IRI like [`ATTRIBUTE_KEY`], as the same
//!   kind of `Person` object.
//! - Either is left out when nobody is known. Relations and the article's note have no authors.
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
//!   may be one object or an array; several tagging bodies give one span per label (each with
//!   the annotation's attribute values and note).
//! - A body with [`ATTRIBUTE_KEY`] is an attribute value, whatever its purpose. `commenting`
//!   bodies (or bodies without purpose on a `commenting` annotation) are the span's note,
//!   several joined by a blank line. Other bodies (IRIs, descriptions, HTML) are skipped.
//! - An annotation that only comments (no tagging body) on a whole source is the article's
//!   note; several are joined by a blank line.
//! - An annotation with motivation `linking` is a relation per tagging body, from its first
//!   target to its second; both must be span annotations of one document in this file (named
//!   by their `id`), each with one label. A linking annotation none of whose targets is an
//!   annotation or source of this file (a link between two web pages) is skipped. Relations are read
//!   after every span, so their place in the file does not matter.
//! - The span comes from the `TextPositionSelector` when there is one; a `TextQuoteSelector`
//!   beside it must quote exactly that text. With only a `TextQuoteSelector`, the span is the
//!   first occurrence of `exact` that has the given `prefix` before it and `suffix` after it;
//!   without `prefix` and `suffix` that is simply the first occurrence.
//! - One target per span annotation; it must select a span (a whole-resource target has no
//!   place in a document, unless the annotation is a note).
//! - A span's maker is its annotation's `creator` and who last changed it is [`CHANGED_BY_KEY`],
//!   each a name (a string), an agent object with a `name` (else a `nickname`), or a list of
//!   those, of which the first counts; an agent with neither (only an `id`, say) names nobody.
//!   A name must be usable (one line, at most 64 characters, no comma), else the annotation
//!   is refused.
//! - Documents take their id from the source URN (any other IRI is kept whole as the id), their
//!   title from `label` (else the first line), their times from `created` / `modified` (else
//!   the import time), and annotation ids from the `#` part of annotation ids of the form
//!   `<source>#<id>` when every annotation of the document has a distinct one (else `a1`, `a2`,
//!   … in file order); relations follow their ends either way.
//! - As in every format that carries authors, spans with the same offsets and label made by
//!   different annotators (a file of several annotators' work) are imported once, made by the first
//!   one's maker, with an `annotators` attribute naming each maker (`ann, bob`), as
//!   `crate::model::same_spans` merges them.
//!
//! # What a round trip loses
//!
//! Nothing for our own exports: ids, titles, texts, times, labels, spans, attribute values,
//! notes (of spans and of the article), who made and last changed each span, and relations all
//! come back. Only the internal counter
//! for the next new annotation id restarts just above the highest `aN` id present.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;
use serde_json::{Map, Value};

use super::attach::QuotedSpan;
use super::dataset::{
    build_document_counting, check_size, code_point_offset, json_kind, json_problem,
    span_per_label, ForeignDocument, ForeignRelation, ForeignSpan, ImportError, OffsetUnit,
    Problem,
};
use crate::model::hash::fnv1a64;
use crate::model::offset_index::OffsetIndex;
use crate::model::same_spans::ANNOTATORS;
use crate::model::{
    Annotation, AnnotationId, AnnotatorName, Authors, ByteOffset, CharRange, Document, Label,
    Relation, Timestamp,
};

/// The Web Annotation JSON-LD context, always written as a plain string.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// The extension key that carries each document's text and title (see the module docs).
pub const SOURCES_KEY: &str = "article-annotator:sources";
/// Every document's IRI starts with this, followed by its percent-encoded id.
pub const DOCUMENT_URN_PREFIX: &str = "urn:article-annotator:document:";
/// The collection's IRI starts with this, followed by a hash of the document ids.
pub const COLLECTION_URN_PREFIX: &str = "urn:article-annotator:collection:";
/// The extension key of a `describing` body that names the attribute whose value it gives.
pub const ATTRIBUTE_KEY: &str = "article-annotator:attribute";
/// The extension key of a span annotation naming who last changed it (see the module docs).
pub const CHANGED_BY_KEY: &str = "article-annotator:changed_by";
/// A relation's linking annotation is `<document IRI>#relation:<n>`; a `:` is always
/// percent-encoded in annotation ids, so this never names a span.
pub const RELATION_FRAGMENT: &str = "relation:";
/// The article note's annotation is `<document IRI>#note:article` (see [`RELATION_FRAGMENT`]).
pub const NOTE_FRAGMENT: &str = "note:article";
/// How many code points of context `prefix` and `suffix` hold at most.
pub const CONTEXT_CHARS: usize = 32;
/// The file name ending of an export, without the leading dot.
pub const FILE_EXTENSION: &str = "w3c.jsonld";
/// The media type. The W3C model also allows the more precise
/// `application/ld+json;profile="http://www.w3.org/ns/anno.jsonld"`.
pub const MIME: &str = "application/ld+json";

/// The purposes and motivations written and read.
const TAGGING: &str = "tagging";
const CLASSIFYING: &str = "classifying";
const DESCRIBING: &str = "describing";
const COMMENTING: &str = "commenting";
const LINKING: &str = "linking";

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
    items: Vec<ItemOut<'a>>,
}

/// One item of the page: a span, a relation or an article note.
#[derive(Serialize)]
#[serde(untagged)]
enum ItemOut<'a> {
    Span(AnnotationOut<'a>),
    Link(LinkOut<'a>),
    Note(NoteOut<'a>),
}

#[derive(Serialize)]
struct AnnotationOut<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<PersonOut<'a>>,
    #[serde(
        rename = "article-annotator:changed_by",
        skip_serializing_if = "Option::is_none"
    )]
    changed_by: Option<PersonOut<'a>>,
    body: BodiesOut<'a>,
    target: TargetOut<'a>,
}

/// An annotator as the Web Annotation model's agent: a `Person` with a `name`.
#[derive(Serialize)]
struct PersonOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
}

impl<'a> PersonOut<'a> {
    fn of(name: Option<&'a AnnotatorName>) -> Option<Self> {
        name.map(|name| Self {
            kind: "Person",
            name: name.as_str(),
        })
    }
}

/// One body object when the span has only its label (the common case, and the shape before
/// attributes existed), else an array with the tag first.
#[derive(Serialize)]
#[serde(untagged)]
enum BodiesOut<'a> {
    One(BodyOut<'a>),
    Many(Vec<BodyOut<'a>>),
}

#[derive(Serialize)]
struct BodyOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    /// The attribute a `describing` body gives the value of (see the module docs).
    #[serde(
        rename = "article-annotator:attribute",
        skip_serializing_if = "Option::is_none"
    )]
    attribute: Option<&'a str>,
    value: &'a str,
}

impl<'a> BodyOut<'a> {
    fn new(purpose: &'static str, value: &'a str) -> Self {
        Self {
            kind: "TextualBody",
            purpose,
            attribute: None,
            value,
        }
    }
}

/// A relation: a `linking` annotation whose two targets are the annotations it links.
#[derive(Serialize)]
struct LinkOut<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    body: BodyOut<'a>,
    /// From, then to.
    target: [String; 2],
}

/// The article's note: a `commenting` annotation on the whole document.
#[derive(Serialize)]
struct NoteOut<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    body: BodyOut<'a>,
    target: String,
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

/// The IRI of an annotation: its document's IRI, `#` and its percent-encoded id.
fn annotation_iri(source: &str, id: &AnnotationId) -> String {
    format!("{source}#{}", percent_encode(id.as_str()))
}

/// The linking annotation of the `number`-th relation of a document.
fn link_out<'a>(source: &str, number: usize, relation: &'a Relation) -> LinkOut<'a> {
    LinkOut {
        id: format!("{source}#{RELATION_FRAGMENT}{number}"),
        kind: "Annotation",
        motivation: LINKING,
        body: BodyOut::new(TAGGING, relation.kind.as_str()),
        target: [
            annotation_iri(source, &relation.from),
            annotation_iri(source, &relation.to),
        ],
    }
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
    let tag = BodyOut::new(TAGGING, annotation.label.as_str());
    let body = if annotation.has_details() {
        let attributes = annotation.attributes.iter().map(|(name, value)| BodyOut {
            attribute: Some(name),
            ..BodyOut::new(DESCRIBING, value)
        });
        let note = annotation
            .note
            .as_deref()
            .map(|note| BodyOut::new(COMMENTING, note));
        BodiesOut::Many(std::iter::once(tag).chain(attributes).chain(note).collect())
    } else {
        BodiesOut::One(tag)
    };
    AnnotationOut {
        id: annotation_iri(source, &annotation.id),
        kind: "Annotation",
        creator: PersonOut::of(annotation.authors.made_by.as_ref()),
        changed_by: PersonOut::of(annotation.authors.changed_by.as_ref()),
        body,
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
                .map(|annotation| ItemOut::Span(annotation_out(document, &source, annotation))),
        );
        items.extend(
            (1..)
                .zip(document.relations())
                .map(|(number, relation)| ItemOut::Link(link_out(&source, number, relation))),
        );
        if let Some(note) = document.note.as_deref() {
            items.push(ItemOut::Note(NoteOut {
                id: format!("{source}#{NOTE_FRAGMENT}"),
                kind: "Annotation",
                motivation: COMMENTING,
                body: BodyOut::new(COMMENTING, note),
                target: source.clone(),
            }));
        }
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
    /// Who made and who last changed each span.
    authors: Vec<Authors>,
    relations: Vec<ForeignRelation>,
    /// The comments on the whole source: its note.
    notes: Vec<String>,
}

/// Everything gathered from the file before any span is checked.
#[derive(Default)]
struct Gathered<'a> {
    sources: Vec<SourceIn>,
    by_iri: HashMap<String, usize>,
    annotations: Vec<&'a Map<String, Value>>,
    /// The id of every span annotation read so far: its source and its spans there (one per
    /// label), for the relations that link it.
    span_iris: HashMap<String, (usize, Vec<usize>)>,
    /// Span annotations that quote a source the file has no text for (a file from another tool,
    /// none of whose sources is in it): to attach to an article of the library.
    quoted: Vec<QuotedSpan>,
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
                authors: Vec::new(),
                relations: Vec::new(),
                notes: Vec::new(),
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

/// What an annotation's bodies say: the labels (or relation types) that tag it, the attribute
/// values that describe it and the comments on it.
#[derive(Default)]
struct Bodies {
    tags: Vec<String>,
    attributes: Vec<(String, String)>,
    comments: Vec<String>,
}

impl Bodies {
    /// The comments as one note: several (from another tool) are joined by a blank line.
    fn note(&self) -> Option<String> {
        (!self.comments.is_empty()).then(|| self.comments.join("\n\n"))
    }
}

/// Reads an annotation's bodies and `bodyValue`. A body whose purpose is `tagging` or
/// `classifying` (or which has no purpose, when the annotation's motivation is one of those or
/// `linking`) is a tag; one with [`ATTRIBUTE_KEY`] is an attribute value, whatever its purpose;
/// a `commenting` one is a comment. Any other body (an IRI, a description) is skipped.
fn bodies_of(annotation: &Map<String, Value>, record: &str) -> Result<Bodies, ImportError> {
    let motivations = strings(annotation.get("motivation"));
    let motivated = |purposes: &[&str]| motivations.iter().any(|m| purposes.contains(m));
    let tags_by_default = motivated(&[TAGGING, CLASSIFYING, LINKING]);
    let comments_by_default = motivated(&[COMMENTING]);
    let mut bodies = Bodies::default();
    if let Some(value) = annotation.get("bodyValue") {
        match value {
            Value::String(text) if tags_by_default => bodies.tags.push(text.clone()),
            Value::String(text) if comments_by_default => bodies.comments.push(text.clone()),
            Value::String(_) => {}
            other => {
                return Err(shape(
                    record,
                    format!("\"bodyValue\" must be a string, not {}", json_kind(other)),
                ))
            }
        }
    }
    let listed: Vec<&Value> = match annotation.get("body") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(listed)) => listed.iter().collect(),
        Some(body) => vec![body],
    };
    for (number, body) in (1..).zip(listed) {
        // A body that is just an IRI is an external resource (a web page, an image): not a tag.
        let Value::Object(body) = body else { continue };
        let value = body.get("value");
        if let Some(name) = body.get(ATTRIBUTE_KEY) {
            match (name, value) {
                (Value::String(name), Some(Value::String(value))) => {
                    bodies.attributes.push((name.clone(), value.clone()));
                }
                _ => {
                    return Err(shape(
                        record,
                        format!(
                            "body {number} gives an attribute value, but its {ATTRIBUTE_KEY:?} \
                             and \"value\" are not both text"
                        ),
                    ))
                }
            }
            continue;
        }
        let purposes = strings(body.get("purpose"));
        let (tagging, commenting) = if purposes.is_empty() {
            (tags_by_default, comments_by_default)
        } else {
            (
                purposes.iter().any(|p| [TAGGING, CLASSIFYING].contains(p)),
                purposes.contains(&COMMENTING),
            )
        };
        match value {
            Some(Value::String(text)) if tagging => bodies.tags.push(text.clone()),
            _ if tagging => {
                return Err(shape(
                    record,
                    format!("body {number} tags it but has no text \"value\" to use as its label"),
                ))
            }
            // A comment that is not plain text (an HTML resource, say) is not understood.
            Some(Value::String(text)) if commenting => bodies.comments.push(text.clone()),
            _ => {}
        }
    }
    Ok(bodies)
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

/// The record an annotation is named by in errors.
fn record_of(annotation: &Map<String, Value>, position: usize) -> (Option<&str>, String) {
    match aliased(annotation, "id") {
        Some(Value::String(id)) => (Some(id.as_str()), format!("annotation {id}")),
        _ => (None, format!("annotation {position} (it has no id)")),
    }
}

/// The IRIs an annotation targets as whole resources (an IRI, or an object naming one by `id`
/// or, without a selector, by `source`); `None` when a target selects part of a resource.
fn whole_targets(annotation: &Map<String, Value>) -> Option<Vec<&str>> {
    let targets: Vec<&Value> = match annotation.get("target")? {
        Value::Array(targets) => targets.iter().collect(),
        target => vec![target],
    };
    targets
        .into_iter()
        .map(|target| match target {
            Value::String(iri) => Some(iri.as_str()),
            Value::Object(object) if !object.contains_key("selector") => {
                match aliased(object, "id").or_else(|| object.get("source")) {
                    Some(Value::String(iri)) => Some(iri.as_str()),
                    _ => None,
                }
            }
            _ => None,
        })
        .collect()
}

/// Whether an annotation is the article's note: a comment on a whole source.
fn is_document_note(annotation: &Map<String, Value>, bodies: &Bodies) -> bool {
    bodies.tags.is_empty()
        && !bodies.comments.is_empty()
        && whole_targets(annotation).is_some_and(|targets| targets.len() == 1)
}

/// Whether an annotation links others (a relation), by its motivation.
fn is_link(annotation: &Map<String, Value>) -> bool {
    strings(annotation.get("motivation")).contains(&LINKING)
}

impl Gathered<'_> {
    /// The source an IRI names, or the source of the span annotation it names.
    fn source_of_note(&self, iri: &str, record: &str) -> Result<usize, ImportError> {
        self.by_iri
            .get(iri)
            .copied()
            .ok_or_else(|| shape(record, format!("its source {iri} has no text in this file")))
    }

    /// Whether `iri` is one of this file's sources or names something inside one (`<source>#…`).
    fn points_into_a_source(&self, iri: &str) -> bool {
        let base = iri.split_once('#').map_or(iri, |(base, _)| base);
        self.by_iri.contains_key(base) || self.by_iri.contains_key(iri)
    }
}

/// A span annotation by its quote alone (its source's text is not in the file); `None` when
/// its target has no `TextQuoteSelector` with text.
fn quoted_span(
    target: &Map<String, Value>,
    source: &str,
    bodies: Bodies,
    record: &str,
) -> Result<Option<QuotedSpan>, ImportError> {
    let selectors: Vec<&Map<String, Value>> = match target.get("selector") {
        Some(Value::Array(selectors)) => selectors.iter().filter_map(Value::as_object).collect(),
        Some(Value::Object(selector)) => vec![selector],
        _ => Vec::new(),
    };
    let Some(quote) = selectors
        .into_iter()
        .find(|s| has_type(s, "TextQuoteSelector"))
    else {
        return Ok(None);
    };
    let Some(exact) = optional_string(quote, "exact", record)?.filter(|e| !e.is_empty()) else {
        return Ok(None);
    };
    Ok(Some(QuotedSpan {
        record: record.to_owned(),
        source: source.to_owned(),
        exact,
        prefix: optional_string(quote, "prefix", record)?.unwrap_or_default(),
        suffix: optional_string(quote, "suffix", record)?.unwrap_or_default(),
        note: bodies.note(),
        labels: bodies.tags,
        attributes: bodies.attributes,
        made_by: None,
        changed_by: None,
    }))
}

/// Reads an annotation that tags a span: its label(s), attribute values and note.
fn import_span(
    gathered: &mut Gathered<'_>,
    annotation: &Map<String, Value>,
    bodies: Bodies,
    (id, record): (Option<&str>, String),
) -> Result<(), ImportError> {
    let (target, source) = target_of(annotation, &record)?;
    let Some(&index) = gathered.by_iri.get(source) else {
        let no_text = format!("its source {source} has no text in this file");
        if !gathered.sources.is_empty() || bodies.tags.is_empty() {
            return Err(shape(record, no_text));
        }
        let mut quoted = quoted_span(target, source, bodies, &record)?
            .ok_or_else(|| shape(&record, format!("{no_text}, and no TextQuoteSelector")))?;
        let text = |name: Option<AnnotatorName>| name.map(|n| n.as_str().to_owned());
        quoted.made_by = text(agent_name(annotation.get("creator"), "creator", &record)?);
        quoted.changed_by = text(agent_name(
            annotation.get(CHANGED_BY_KEY),
            CHANGED_BY_KEY,
            &record,
        )?);
        gathered.quoted.push(quoted);
        return Ok(());
    };
    if bodies.tags.is_empty() {
        return Err(shape(
            record,
            "has no body tagging it with a label (a TextualBody whose purpose is tagging or \
             classifying)",
        ));
    }
    let Some(document) = gathered.sources.get_mut(index) else {
        return Err(shape(record, format!("its source {source} is missing")));
    };
    let (start, end, quoted) = span_of(target, &document.text, &record)?;
    let authors = Authors {
        made_by: agent_name(annotation.get("creator"), "creator", &record)?,
        changed_by: agent_name(annotation.get(CHANGED_BY_KEY), CHANGED_BY_KEY, &record)?,
    };
    let wanted_id = id
        .and_then(|id| id.strip_prefix(source))
        .and_then(|rest| rest.strip_prefix('#'))
        .and_then(percent_decode)
        .filter(|id| !id.is_empty());
    let note = bodies.note();
    let first_span = document.spans.len();
    // Several labels share one annotation id, so that id cannot name each span: span_per_label
    // drops it then. Each of those spans gets the attribute values and the note.
    for (span, wanted_id) in span_per_label(
        &record,
        "body",
        (start, end),
        bodies.tags,
        quoted,
        wanted_id,
    ) {
        document.spans.push(ForeignSpan {
            attributes: bodies.attributes.clone(),
            note: note.clone(),
            ..span
        });
        document.wanted_ids.push(wanted_id);
        document.authors.push(authors.clone());
    }
    if let Some(id) = id {
        // An id used twice names all its spans, which a relation then cannot link to.
        let (_, spans) = gathered
            .span_iris
            .entry(id.to_owned())
            .or_insert((index, Vec::new()));
        spans.extend(first_span..document.spans.len());
    }
    Ok(())
}

/// The annotator an agent value names (a `creator`, or [`CHANGED_BY_KEY`]): a name, an agent
/// object's `name` (else its `nickname`), or the first of a list of those. An agent without
/// either, or an empty list, names nobody.
///
/// # Errors
/// For `record`, naming `key`: a value of another type, or a name that is not usable.
fn agent_name(
    value: Option<&Value>,
    key: &str,
    record: &str,
) -> Result<Option<AnnotatorName>, ImportError> {
    let value = match value {
        Some(Value::Array(agents)) => agents.first(),
        other => other,
    };
    let name = match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(name)) => name,
        Some(Value::Object(agent)) => match agent.get("name").or_else(|| agent.get("nickname")) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::String(name)) => name,
            Some(other) => {
                return Err(shape(
                    record,
                    format!(
                        "the \"name\" of its {key:?} must be a string, not {}",
                        json_kind(other)
                    ),
                ))
            }
        },
        Some(other) => {
            return Err(shape(
                record,
                format!(
                    "{key:?} must be a name, an agent object with a \"name\" or a list of them, \
                     not {}",
                    json_kind(other)
                ),
            ))
        }
    };
    AnnotatorName::parse(name)
        .map(Some)
        .map_err(|e| ImportError::new(record, Problem::Invalid(format!("{key:?}: {e}"))))
}

/// Reads a linking annotation as one relation per type its bodies tag it with: from its first
/// target to its second, both span annotations of one document in this file. One that links
/// nothing of this file (neither its annotations nor its sources: a web page to another, say)
/// is skipped.
fn import_link(
    gathered: &mut Gathered<'_>,
    annotation: &Map<String, Value>,
    bodies: Bodies,
    record: String,
) -> Result<(), ImportError> {
    let Some(targets) = whole_targets(annotation) else {
        return Err(shape(
            record,
            "a linking annotation must target the annotations it links by their ids, not by a \
             selector",
        ));
    };
    let in_this_file =
        |iri: &str| gathered.span_iris.contains_key(iri) || gathered.points_into_a_source(iri);
    if !targets.iter().any(|&iri| in_this_file(iri)) {
        return Ok(());
    }
    let [from, to] = targets.as_slice() else {
        return Err(shape(
            record,
            format!(
                "a linking annotation links two annotations (from, to); this one has {} targets",
                targets.len()
            ),
        ));
    };
    let end = |iri: &str| -> Result<(usize, usize), ImportError> {
        match gathered.span_iris.get(iri) {
            Some((source, spans)) => match spans.as_slice() {
                [span] => Ok((*source, *span)),
                _ => Err(shape(
                    &record,
                    format!(
                        "its target {iri} names {} spans (several labels, or an id used twice), \
                         not one",
                        spans.len()
                    ),
                )),
            },
            None => Err(shape(
                &record,
                format!("its target {iri} is not an annotation of a span in this file"),
            )),
        }
    };
    let ((from_source, from), (to_source, to)) = (end(from)?, end(to)?);
    if from_source != to_source {
        return Err(shape(
            record,
            "it links annotations of two different documents",
        ));
    }
    if bodies.tags.is_empty() {
        return Err(shape(
            record,
            "has no body naming the relation type (a TextualBody whose purpose is tagging)",
        ));
    }
    let Some(document) = gathered.sources.get_mut(from_source) else {
        return Err(shape(record, "its document is missing"));
    };
    let several = bodies.tags.len() > 1;
    for (number, kind) in (1..).zip(bodies.tags) {
        document.relations.push(ForeignRelation {
            record: if several {
                format!("{record}, body {number}")
            } else {
                record.clone()
            },
            kind,
            from,
            to,
        });
    }
    Ok(())
}

/// Reads every annotation: spans first, then the notes and relations (whose targets may come
/// later in the file than they do).
fn import_annotations(
    gathered: &mut Gathered<'_>,
    annotations: &[&Map<String, Value>],
) -> Result<(), ImportError> {
    let mut later = Vec::new();
    for (position, &annotation) in (1..).zip(annotations) {
        let (id, record) = record_of(annotation, position);
        let bodies = bodies_of(annotation, &record)?;
        if is_link(annotation) {
            later.push((annotation, bodies, record));
        } else if is_document_note(annotation, &bodies) {
            // Checked by whole_targets above: exactly one target.
            let iri = whole_targets(annotation)
                .and_then(|targets| targets.first().copied())
                .unwrap_or_default();
            let index = gathered.source_of_note(iri, &record)?;
            if let Some(source) = gathered.sources.get_mut(index) {
                source.notes.extend(bodies.comments);
            }
        } else {
            import_span(gathered, annotation, bodies, (id, record))?;
        }
    }
    for (annotation, bodies, record) in later {
        import_link(gathered, annotation, bodies, record)?;
    }
    Ok(())
}

/// Reads a W3C Web Annotation file (see the module docs for what is accepted). All or nothing:
/// the first bad record rejects the file.
///
/// # Errors
/// [`ImportError`] naming the source or annotation and what is wrong: not JSON, an unknown
/// shape, a source without text, a selector outside or disagreeing with the text, a bad label,
/// attribute value, note or relation.
pub fn import(input: &str, now: Timestamp) -> Result<Vec<Document>, ImportError> {
    read(input, now)?.documents_only()
}

/// What a W3C file holds: its documents (sources with text and their annotations), or the
/// annotations that quote sources it has no text for (see [`QuotedSpan`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct W3cRead {
    pub documents: Vec<Document>,
    pub quoted: Vec<QuotedSpan>,
    /// Spans merged into another of the same range and label (see `crate::model::same_spans`).
    pub merged_spans: usize,
}

impl W3cRead {
    /// The documents, or the error of the first annotation that quotes a source without text
    /// (for callers that cannot attach it to an article).
    ///
    /// # Errors
    /// That annotation's record and its source.
    pub fn documents_only(self) -> Result<Vec<Document>, ImportError> {
        match self.quoted.first() {
            None => Ok(self.documents),
            Some(quoted) => Err(shape(
                &quoted.record,
                format!(
                    "its source {} has no text in this file (its quotes can be attached to an \
                     article)",
                    quoted.source
                ),
            )),
        }
    }
}

/// Reads a W3C Web Annotation file, keeping the annotations that quote sources without text
/// in the file (when none of its sources has text) to attach to an article.
///
/// # Errors
/// As [`import`], but for those annotations.
pub fn read(input: &str, now: Timestamp) -> Result<W3cRead, ImportError> {
    read_counting(input, now, &mut 0)
}

/// [`read`], adding to `merged` the spans merged into another of the same range and label.
///
/// # Errors
/// As [`read`].
pub fn read_counting(
    input: &str,
    now: Timestamp,
    merged: &mut usize,
) -> Result<W3cRead, ImportError> {
    check_size(input.len())?;
    let root: Value = serde_json::from_str(input)
        .map_err(|e| ImportError::file(json_problem(&e, Some(e.line()))))?;
    let mut gathered = Gathered::default();
    gathered.root(&root)?;
    let annotations = std::mem::take(&mut gathered.annotations);
    import_annotations(&mut gathered, &annotations)?;
    let mut quoted = std::mem::take(&mut gathered.quoted);
    gathered
        .sources
        .into_iter()
        .map(|mut source| {
            name_shared_spans(&mut source.spans, &source.authors);
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
                relations: source.relations,
                note: (!source.notes.is_empty()).then(|| source.notes.join("\n\n")),
            };
            let built = build_document_counting(foreign, now, merged)?;
            let mut document = with_authors_from_file(built, &source.authors);
            // A source with a creation time but no modification time was not modified since.
            document.created = source.created.unwrap_or(now);
            document.modified = source.modified.unwrap_or(document.created);
            Ok(with_ids_from_file(document, &source.wanted_ids))
        })
        .collect::<Result<Vec<_>, ImportError>>()
        .map(|documents| W3cRead {
            documents,
            quoted: std::mem::take(&mut quoted),
            merged_spans: *merged,
        })
}

/// Gives the annotations the ids the file asked for, when every one asked for a distinct id;
/// otherwise keeps `build_document`'s `a1`, `a2`, … (which number the spans in file order, the
/// order of `wanted`). Relations follow their ends to the new ids; attribute values and notes
/// stay with their annotations. Label Studio import uses it too; it belongs in `dataset` beside
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
                ..(**annotation).clone()
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
    // Both lists are in the same (text) order with the same ranges: pair old and new ids.
    let new_id: HashMap<&AnnotationId, &AnnotationId> = document
        .annotations()
        .iter()
        .map(|a| &a.id)
        .zip(renamed.iter().map(|a| &a.id))
        .collect();
    let relations: Option<Vec<Relation>> = document
        .relations()
        .iter()
        .map(|r| {
            Some(Relation::new(
                r.kind.clone(),
                (*new_id.get(&r.from)?).clone(),
                (*new_id.get(&r.to)?).clone(),
            ))
        })
        .collect();
    let Some(relations) = relations else {
        return document;
    };
    Document::from_parts(document.clone(), renamed, 1)
        .and_then(|d| d.with_relations(relations))
        .unwrap_or(document)
}

/// Gives each annotation the authors the file gave its span: `authors` is in file order, the
/// order `build_document` numbers the spans `a1`, `a2`, … in, so call it before the ids are
/// renamed ([`with_ids_from_file`]). A span merged into an earlier one of the same range and
/// label leaves that one's authors as they are. JSONL, Label Studio and brat import use it too;
/// like [`with_ids_from_file`], it belongs in `dataset` beside `build_document`, whose
/// `ForeignSpan` would then carry the authors itself.
pub(super) fn with_authors_from_file(document: Document, authors: &[Authors]) -> Document {
    if authors.iter().all(Authors::is_empty) {
        return document;
    }
    let annotations: Vec<Annotation> = document
        .annotations()
        .iter()
        .map(|annotation| {
            let given = annotation
                .id
                .number()
                .and_then(|number| usize::try_from(number).ok()?.checked_sub(1))
                .and_then(|index| authors.get(index));
            Annotation {
                authors: given.cloned().unwrap_or_default(),
                ..(**annotation).clone()
            }
        })
        .collect();
    // Same ids, ranges and labels: nothing the relations or the checks rest on has changed.
    Document::from_parts(document.clone(), annotations, 1).unwrap_or(document)
}

/// Where several annotators made the same span (offsets and label), adds each one's name to its
/// copy's [`ANNOTATORS`] attribute, so that merging the copies into one (`build_document`) names
/// them all there (`crate::model::same_spans`). Spans of one annotator alone are left as they
/// are. Called before `build_document`, with the authors [`with_authors_from_file`] gives after
/// it; shared by every import that reads authors.
pub(super) fn name_shared_spans(spans: &mut [ForeignSpan], authors: &[Authors]) {
    let mut makers = authors.iter().filter_map(|a| a.made_by.as_ref());
    // Most files have one annotator or none: nothing can be shared then.
    let Some(first) = makers.next() else {
        return;
    };
    if makers.all(|maker| maker == first) {
        return;
    }
    let mut copies: HashMap<(usize, usize, Option<Label>), Vec<usize>> = HashMap::new();
    for (index, span) in spans.iter().enumerate() {
        let label = Label::parse_any(&span.label).ok();
        copies
            .entry((span.start, span.end, label))
            .or_default()
            .push(index);
    }
    for indices in copies.values() {
        let makers: BTreeSet<&AnnotatorName> = indices
            .iter()
            .filter_map(|&i| authors.get(i)?.made_by.as_ref())
            .collect();
        if makers.len() < 2 {
            continue;
        }
        for &index in indices {
            let (Some(span), Some(name)) = (
                spans.get_mut(index),
                authors.get(index).and_then(|a| a.made_by.as_ref()),
            ) else {
                continue;
            };
            match span.attributes.iter_mut().find(|(n, _)| n == ANNOTATORS) {
                Some((_, had)) if had.split(',').any(|n| n.trim() == name.as_str()) => {}
                Some((_, had)) => *had = format!("{had}, {name}"),
                None => span
                    .attributes
                    .push((ANNOTATORS.to_owned(), name.as_str().to_owned())),
            }
        }
    }
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
