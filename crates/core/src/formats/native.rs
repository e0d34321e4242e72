//! The native `article-annotator` v1 dataset format: lossless, code point offsets, with each span's
//! text repeated so a consumer can check `text[start:end] == span["text"]`.
//!
//! ```json
//! {"format": "article-annotator", "version": 1, "offset_unit": "codepoint",
//!  "documents": [{"id": "…", "title": "…", "text": "…", "created": "…", "modified": "…",
//!    "annotations": [{"id": "a1", "label": "quote", "start": 0, "end": 5, "text": "…"}]}]}
//! ```

use serde::{Deserialize, Serialize};

use crate::model::label::InvalidLabel;
use crate::model::timestamp::TimestampError;
use crate::model::{
    Annotation, AnnotationId, ArticleText, CharRange, Document, DocumentError, DocumentId, Label,
    RangeError, TextError, Timestamp,
};

pub const FORMAT: &str = "article-annotator";
pub const VERSION: u32 = 1;
pub const OFFSET_UNIT: &str = "codepoint";

/// The whole export file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportFile {
    pub format: String,
    pub version: u32,
    pub offset_unit: String,
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
    pub annotations: Vec<AnnotationRecord>,
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
    #[error("not valid JSON of the expected shape: {0}")]
    Json(String),
    #[error("format is {found:?}, expected {FORMAT:?}")]
    WrongFormat { found: String },
    #[error("version {found} is not supported (this app reads version {VERSION})")]
    UnsupportedVersion { found: u32 },
    #[error("offset_unit is {found:?}, expected {OFFSET_UNIT:?}")]
    WrongOffsetUnit { found: String },
    #[error(
        "document {index} has the id {id:?}, which an earlier document in the file already has"
    )]
    DuplicateDocument { index: usize, id: String },
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
            })
            .collect(),
    }
}

/// Reads one record back into a document, checking everything a hand-edited file could get wrong.
///
/// # Errors
/// [`RecordError`] naming the first problem found.
pub fn document_from_record(
    record: DocumentRecord,
    next_number: u64,
) -> Result<Document, RecordError> {
    let text = ArticleText::try_from_normalized(&record.text)?;
    let spans = record.annotations.into_iter().map(|a| SpanParts {
        id: a.id,
        label: a.label,
        start: a.start,
        end: a.end,
        quoted: Some(a.text),
    });
    document_from_parts(
        &record.id,
        record.title,
        text,
        (&record.created, &record.modified),
        spans,
        next_number,
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
}

/// Builds a document from the parts of a record whose text is already indexed: the checks of
/// [`document_from_record`], shared with the stored envelope (`crate::persist::stored`), which keeps the
/// text under a key of its own. `times` are the RFC 3339 `created` and `modified`.
///
/// # Errors
/// [`RecordError`] naming the first problem found.
pub(crate) fn document_from_parts(
    id: &str,
    title: String,
    text: ArticleText,
    (created, modified): (&str, &str),
    spans: impl ExactSizeIterator<Item = SpanParts>,
    next_number: u64,
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
        if let Some(expected) = a.quoted {
            let found = document.text().slice(range);
            if found.is_some_and(|found| found != expected) {
                return Err(RecordError::TextMismatch {
                    id: a.id,
                    start: a.start,
                    end: a.end,
                    expected,
                    found: found.unwrap_or_default().to_owned(),
                });
            }
        }
        // Labels other than the built-in three are custom labels, kept as they are.
        let label = Label::parse_any(&a.label).map_err(|source| RecordError::Label {
            id: a.id.clone(),
            source,
        })?;
        // A range past the end is reported by Document::from_parts with its own message.
        annotations.push(Annotation {
            id: AnnotationId::new(&a.id),
            label,
            range,
        });
    }
    let mut document = Document::from_parts(document, annotations, next_number)?;
    document.modified = modified;
    Ok(document)
}

/// Serialises documents as a native export file (pretty-printed: people open these files).
pub fn export<'a>(documents: impl IntoIterator<Item = &'a Document>) -> String {
    let file = ExportFile {
        format: FORMAT.to_owned(),
        version: VERSION,
        offset_unit: OFFSET_UNIT.to_owned(),
        documents: documents.into_iter().map(document_record).collect(),
    };
    // Serialising plain strings and numbers into a String cannot fail.
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// Reads a native export file. All or nothing: one bad record rejects the file.
///
/// # Errors
/// [`ImportError`] naming the record and the problem.
pub fn import(json: &str) -> Result<Vec<Document>, ImportError> {
    let file: ExportFile =
        serde_json::from_str(json).map_err(|e| ImportError::Json(e.to_string()))?;
    if file.format != FORMAT {
        return Err(ImportError::WrongFormat { found: file.format });
    }
    if file.version != VERSION {
        return Err(ImportError::UnsupportedVersion {
            found: file.version,
        });
    }
    if file.offset_unit != OFFSET_UNIT {
        return Err(ImportError::WrongOffsetUnit {
            found: file.offset_unit,
        });
    }
    let mut seen = std::collections::HashSet::new();
    file.documents
        .into_iter()
        .enumerate()
        .map(|(index, record)| {
            let id = record.id.clone();
            if !seen.insert(id.clone()) {
                return Err(ImportError::DuplicateDocument { index, id });
            }
            document_from_record(record, 1).map_err(|source| ImportError::Record {
                index,
                id,
                source,
            })
        })
        .collect()
}
