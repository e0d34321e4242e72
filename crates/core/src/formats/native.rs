//! The native `article-annotator` dataset format, version 2: lossless, code point offsets, with
//! each span's text repeated so a consumer can check `text[start:end] == span["text"]`.
//!
//! ```json
//! {"format": "article-annotator", "version": 2, "offset_unit": "codepoint",
//!  "schema": {"labels": […], "relations": […]},
//!  "documents": [{"id": "…", "title": "…", "text": "…", "created": "…", "modified": "…",
//!    "note": "…",
//!    "annotations": [{"id": "a1", "label": "quote", "start": 0, "end": 5, "text": "…",
//!                     "attributes": {"type": "direct"}, "note": "…",
//!                     "made_by": "ann", "changed_by": "bob"}],
//!    "relations": [{"type": "said_by", "from": "a1", "to": "a2"}]}]}
//! ```
//!
//! - `schema` is the label schema the file was made with ([`super::schema_file`]).
//! - `attributes` and `note` are left out of an annotation that has none; `note` is left out of
//!   a document without one. `made_by` (who made the annotation) and `changed_by` (who last
//!   changed its label, a value or its note) are annotator names, each left out when unknown:
//!   files written before annotators were recorded have neither, and read as they were. `relations` is always there, in the order `from`, `to`, `type`;
//!   `from` and `to` are annotation ids of the same document.
//! - Version 1 files (no schema, attributes, notes or relations) are still read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::dataset::{json_problem, Problem};
use super::schema_file::{self, SchemaRecord};
use crate::model::annotator::InvalidAnnotator;
use crate::model::attributes::{check_note, note_of, InvalidDetail};
use crate::model::same_spans::merge_same_spans;

use crate::model::label::InvalidLabel;
use crate::model::timestamp::TimestampError;
use crate::model::{
    Annotation, AnnotationId, AnnotatorName, ArticleText, Attributes, Authors, CharRange, Document,
    DocumentError, DocumentId, Label, RangeError, Relation, RelationKind, Schema, TextError,
    Timestamp,
};

pub const FORMAT: &str = "article-annotator";
pub const VERSION: u32 = 2;
/// The versions [`import`] reads.
pub const READS: std::ops::RangeInclusive<u32> = 1..=VERSION;
pub const OFFSET_UNIT: &str = "codepoint";

/// The whole export file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportFile {
    pub format: String,
    pub version: u32,
    pub offset_unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<SchemaRecord>,
    pub documents: Vec<DocumentRecord>,
}

/// One document as written in the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRecord {
    pub id: String,
    pub title: String,
    pub text: String,
    pub created: String,
    pub modified: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub annotations: Vec<AnnotationRecord>,
    #[serde(default)]
    pub relations: Vec<RelationRecord>,
}

/// One relation as written in the file: annotation ids of the same document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationRecord {
    #[serde(rename = "type")]
    pub kind: String,
    pub from: String,
    pub to: String,
}

/// One annotation as written in the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnotationRecord {
    pub id: String,
    /// A [`Label`] name (built-in or custom); kept as text so an unusable one is reported with
    /// its record.
    pub label: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who made it ([`crate::model::Authors`]); left out when nobody is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_by: Option<String>,
    /// Who last changed its label, an attribute value or its note; left out when nobody is
    /// known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_by: Option<String>,
}

/// Why a document record cannot be read back.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("{0}")]
    Text(#[from] TextError),
    #[error("{0}")]
    Timestamp(#[from] TimestampError),
    #[error("annotation {id}: {source}")]
    Range { id: String, source: RangeError },
    #[error("{0}")]
    Document(#[from] DocumentError),
    #[error("annotation {id}: {source}")]
    Label { id: String, source: InvalidLabel },
    #[error("annotation {id}: {source}")]
    Detail { id: String, source: InvalidDetail },
    #[error("annotation {id}: {source}")]
    Annotator {
        id: String,
        source: InvalidAnnotator,
    },
    /// `relation` reads "a1 said_by a2".
    #[error("relation {relation}: {source}")]
    RelationKind {
        relation: String,
        source: InvalidLabel,
    },
    #[error(
        "annotation {id}: offsets {start}..{end} give {found:?}, but its text is {expected:?}"
    )]
    TextMismatch {
        id: String,
        start: usize,
        end: usize,
        expected: String,
        found: String,
    },
}

/// Why a native export file cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Broken JSON, or JSON of another shape ([`json_problem`]).
    #[error("{0}")]
    Json(Problem),
    #[error("format is {found:?}, expected {FORMAT:?}")]
    WrongFormat { found: String },
    #[error("version {found} is not supported (this app reads versions 1 to {VERSION})")]
    UnsupportedVersion { found: u32 },
    #[error("offset_unit is {found:?}, expected {OFFSET_UNIT:?}")]
    WrongOffsetUnit { found: String },
    #[error(
        "document {index} has the id {id:?}, which an earlier document in the file already has"
    )]
    DuplicateDocument { index: usize, id: String },
    #[error("the file's schema: {0}")]
    Schema(crate::model::schema::SchemaError),
    #[error("document {index} ({id:?}): {source}")]
    Record {
        index: usize,
        id: String,
        source: RecordError,
    },
}

/// The record of one document: its text and each annotation with offsets and quoted text.
pub fn document_record(document: &Document) -> DocumentRecord {
    let text = document.text();
    DocumentRecord {
        id: document.id.to_string(),
        title: document.title.clone(),
        text: text.as_str().to_owned(),
        created: document.created.to_rfc3339(),
        modified: document.modified.to_rfc3339(),
        note: document.note.as_deref().map(str::to_owned),
        annotations: document
            .annotations()
            .iter()
            .map(|a| AnnotationRecord {
                id: a.id.to_string(),
                label: a.label.as_str().to_owned(),
                start: a.range.start().get(),
                end: a.range.end().get(),
                // Invariant of Document: every range is inside the text.
                text: text.slice(a.range).unwrap_or_default().to_owned(),
                attributes: attribute_map(&a.attributes),
                note: a.note.as_deref().map(str::to_owned),
                made_by: a.authors.made_by.as_ref().map(|n| n.as_str().to_owned()),
                changed_by: a.authors.changed_by.as_ref().map(|n| n.as_str().to_owned()),
            })
            .collect(),
        relations: relation_records(document),
    }
}

/// An annotation's values as a JSON object's members.
pub(crate) fn attribute_map(attributes: &crate::model::Attributes) -> BTreeMap<String, String> {
    attributes
        .iter()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect()
}

/// A document's relations as records.
pub(crate) fn relation_records(document: &Document) -> Vec<RelationRecord> {
    document
        .relations()
        .iter()
        .map(|r| RelationRecord {
            kind: r.kind.to_string(),
            from: r.from.to_string(),
            to: r.to.to_string(),
        })
        .collect()
}

/// Reads one record back into a document, checking everything a hand-edited file could get wrong.
///
/// # Errors
/// [`RecordError`] naming the first problem found.
pub fn document_from_record(
    record: DocumentRecord,
    next_number: u64,
) -> Result<Document, RecordError> {
    document_from_record_merging(record, next_number, None)
}

/// [`document_from_record`], merging annotations that share their range and label (a file of
/// several annotators' work on one article) instead of refusing them, when `merged` is given:
/// it is then increased by the number merged away.
///
/// # Errors
/// [`RecordError`] naming the first problem found.
pub fn document_from_record_merging(
    record: DocumentRecord,
    next_number: u64,
    merged: Option<&mut usize>,
) -> Result<Document, RecordError> {
    let text = ArticleText::try_from_normalized(&record.text)?;
    let spans = record.annotations.into_iter().map(|a| SpanParts {
        id: a.id,
        label: a.label,
        start: a.start,
        end: a.end,
        quoted: Some(a.text),
        attributes: a.attributes,
        note: a.note,
        made_by: a.made_by,
        changed_by: a.changed_by,
    });
    document_from_parts(
        &record.id,
        record.title,
        text,
        (&record.created, &record.modified),
        spans,
        (record.relations, record.note.as_deref()),
        next_number,
        merged,
    )
}

/// One annotation as a record gives it, before it is checked: `quoted` is the text the record
/// repeats, when it does (the native format always does; the stored schema 3 does not).
pub(crate) struct SpanParts {
    pub id: String,
    pub label: String,
    pub start: usize,
    pub end: usize,
    pub quoted: Option<String>,
    pub attributes: BTreeMap<String, String>,
    pub note: Option<String>,
    pub made_by: Option<String>,
    pub changed_by: Option<String>,
}

/// The annotation a record's span describes, at `range` (its own offsets, checked by the
/// caller). Labels other than the built-in three are custom labels, kept as they are.
///
/// # Errors
/// [`RecordError`] for a bad label, attribute value or note.
pub(crate) fn annotation_of(a: &SpanParts, range: CharRange) -> Result<Annotation, RecordError> {
    let label = Label::parse_any(&a.label).map_err(|source| RecordError::Label {
        id: a.id.clone(),
        source,
    })?;
    let detail = |source| RecordError::Detail {
        id: a.id.clone(),
        source,
    };
    let attributes = Attributes::from_pairs(&a.attributes).map_err(detail)?;
    if let Some(note) = &a.note {
        check_note(note).map_err(detail)?;
    }
    let name = |name: &Option<String>| {
        name.as_deref()
            .map(AnnotatorName::parse)
            .transpose()
            .map_err(|source| RecordError::Annotator {
                id: a.id.clone(),
                source,
            })
    };
    Ok(Annotation {
        attributes,
        note: a.note.as_deref().and_then(note_of),
        authors: Authors {
            made_by: name(&a.made_by)?,
            changed_by: name(&a.changed_by)?,
        },
        ..Annotation::new(AnnotationId::new(&a.id), label, range)
    })
}

impl RelationRecord {
    /// The relation the record names (its ends are checked by the document it goes into).
    ///
    /// # Errors
    /// [`RecordError::RelationKind`] for a type the app cannot hold.
    pub(crate) fn into_relation(self) -> Result<Relation, RecordError> {
        let kind = RelationKind::parse(&self.kind).map_err(|source| RecordError::RelationKind {
            relation: format!("{} {} {}", self.from, self.kind, self.to),
            source,
        })?;
        Ok(Relation::new(
            kind,
            AnnotationId::new(&self.from),
            AnnotationId::new(&self.to),
        ))
    }
}

/// Builds a document from the parts of a record whose text is already indexed: the checks of
/// [`document_from_record`], shared with the stored envelope (`crate::persist::stored`), which keeps the
/// text under a key of its own. `times` are the RFC 3339 `created` and `modified`.
///
/// # Errors
/// [`RecordError`] naming the first problem found.
#[allow(clippy::too_many_arguments)]
pub(crate) fn document_from_parts(
    id: &str,
    title: String,
    text: ArticleText,
    (created, modified): (&str, &str),
    spans: impl ExactSizeIterator<Item = SpanParts>,
    (relations, note): (Vec<RelationRecord>, Option<&str>),
    next_number: u64,
    merged: Option<&mut usize>,
) -> Result<Document, RecordError> {
    let document = Document::new(
        DocumentId::new(id),
        title,
        text,
        Timestamp::parse_rfc3339(created)?,
    );
    let modified = Timestamp::parse_rfc3339(modified)?;
    let mut annotations = Vec::with_capacity(spans.len());
    for a in spans {
        let range = CharRange::from_raw(a.start, a.end).map_err(|source| RecordError::Range {
            id: a.id.clone(),
            source,
        })?;
        if let Some(expected) = &a.quoted {
            let found = document.text().slice(range);
            if found.is_some_and(|found| found != expected) {
                return Err(RecordError::TextMismatch {
                    id: a.id,
                    start: a.start,
                    end: a.end,
                    expected: expected.clone(),
                    found: found.unwrap_or_default().to_owned(),
                });
            }
        }
        // A range past the end is reported by Document::from_parts with its own message.
        annotations.push(annotation_of(&a, range)?);
    }
    let mut relations = relations
        .into_iter()
        .map(RelationRecord::into_relation)
        .collect::<Result<Vec<_>, RecordError>>()?;
    if let Some(merged) = merged {
        let same = merge_same_spans(annotations, relations);
        *merged += same.merged;
        (annotations, relations) = (same.annotations, same.relations);
    }
    let mut document = Document::from_parts(document, annotations, next_number)?
        .with_relations(relations)?
        .with_note(note)?;
    document.modified = modified;
    Ok(document)
}

/// Serialises documents, with the schema they were made with, as a native export file
/// (pretty-printed: people open these files).
pub fn export<'a>(documents: impl IntoIterator<Item = &'a Document>, schema: &Schema) -> String {
    let file = ExportFile {
        format: FORMAT.to_owned(),
        version: VERSION,
        offset_unit: OFFSET_UNIT.to_owned(),
        schema: Some(schema_file::to_record(schema)),
        documents: documents.into_iter().map(document_record).collect(),
    };
    // Serialising plain strings and numbers into a String cannot fail.
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// Reads a native export file (version 1 or 2). All or nothing: one bad record rejects the file.
///
/// # Errors
/// [`ImportError`] naming the record and the problem.
pub fn import(json: &str) -> Result<Vec<Document>, ImportError> {
    import_with_schema(json).map(|(documents, _)| documents)
}

/// Reads a native export file with the schema it carries (version 1 files carry none).
///
/// # Errors
/// As [`import`]; also [`ImportError::Schema`] for a schema that cannot be used.
pub fn import_with_schema(json: &str) -> Result<(Vec<Document>, Option<Schema>), ImportError> {
    import_counting(json, &mut 0)
}

/// [`import_with_schema`], merging annotations that share their range and label (a file of
/// several annotators' work) and adding their number to `merged`.
///
/// # Errors
/// As [`import_with_schema`].
pub fn import_counting(
    json: &str,
    merged: &mut usize,
) -> Result<(Vec<Document>, Option<Schema>), ImportError> {
    let file: ExportFile = serde_json::from_str(json)
        .map_err(|e| ImportError::Json(json_problem(&e, Some(e.line()))))?;
    if file.format != FORMAT {
        return Err(ImportError::WrongFormat { found: file.format });
    }
    if !READS.contains(&file.version) {
        return Err(ImportError::UnsupportedVersion {
            found: file.version,
        });
    }
    if file.offset_unit != OFFSET_UNIT {
        return Err(ImportError::WrongOffsetUnit {
            found: file.offset_unit,
        });
    }
    let schema = file
        .schema
        .map(schema_file::from_record)
        .transpose()
        .map_err(ImportError::Schema)?;
    let mut seen = std::collections::HashSet::new();
    let documents = file
        .documents
        .into_iter()
        .enumerate()
        .map(|(index, record)| {
            let id = record.id.clone();
            if !seen.insert(id.clone()) {
                return Err(ImportError::DuplicateDocument { index, id });
            }
            document_from_record_merging(record, 1, Some(&mut *merged))
                .map_err(|source| ImportError::Record { index, id, source })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((documents, schema))
}
