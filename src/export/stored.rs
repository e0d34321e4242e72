//! The localStorage layout, as pure encode/decode functions (the I/O is in `crate::storage`).
//!
//! One key per document plus an index, each a versioned envelope, so that saving an edit
//! rewrites one document, and an unreadable key can be told apart from an unknown newer one.

use serde::{Deserialize, Serialize};

use super::native::{self, DocumentRecord, RecordError};
use crate::model::{Document, DocumentId};

/// `format` of every envelope we write.
pub const STORE_FORMAT: &str = "article-annotator-store";
/// Schema version this app writes and reads.
pub const STORE_VERSION: u32 = 1;

/// Key prefix for all our localStorage entries.
pub const KEY_PREFIX: &str = "article-annotator:";

/// The key of the document index.
pub fn index_key() -> String {
    format!("{KEY_PREFIX}index")
}

/// The key of one document.
pub fn document_key(id: &DocumentId) -> String {
    format!("{KEY_PREFIX}doc:{id}")
}

#[derive(Serialize, Deserialize)]
struct DocumentEnvelope {
    format: String,
    version: u32,
    document: DocumentRecord,
    /// Keeps annotation ids unique across deletions and reloads.
    next_annotation: u64,
}

/// The index: which documents exist, in list order, and which one was open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredIndex {
    pub documents: Vec<String>,
    pub active: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct IndexEnvelope {
    format: String,
    version: u32,
    #[serde(flatten)]
    index: StoredIndex,
}

/// Why a stored value could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoredError {
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("not an {STORE_FORMAT} entry (format {found:?})")]
    WrongFormat { found: String },
    #[error(
        "saved by a newer version of the app (schema {found}, this app knows {STORE_VERSION})"
    )]
    NewerVersion { found: u32 },
    #[error("unexpected shape: {0}")]
    Shape(String),
    #[error("{0}")]
    Record(#[from] RecordError),
}

/// Reads just `format` and `version`, so a newer schema is recognised even when its shape changed.
fn check_header(json: &str) -> Result<(), StoredError> {
    #[derive(Deserialize)]
    struct Header {
        format: String,
        version: u32,
    }
    let header: Header = serde_json::from_str(json).map_err(|e| {
        if e.is_data() {
            StoredError::Shape(e.to_string())
        } else {
            StoredError::Json(e.to_string())
        }
    })?;
    if header.format != STORE_FORMAT {
        return Err(StoredError::WrongFormat {
            found: header.format,
        });
    }
    if header.version == 0 {
        return Err(StoredError::Shape(
            "schema version 0 does not exist".to_owned(),
        ));
    }
    if header.version > STORE_VERSION {
        return Err(StoredError::NewerVersion {
            found: header.version,
        });
    }
    Ok(())
}

pub fn encode_document(document: &Document) -> String {
    let envelope = DocumentEnvelope {
        format: STORE_FORMAT.to_owned(),
        version: STORE_VERSION,
        document: native::document_record(document),
        next_annotation: document.next_number(),
    };
    serde_json::to_string(&envelope).unwrap_or_default()
}

/// # Errors
/// [`StoredError`] for anything but a valid, known-version document envelope.
pub fn decode_document(json: &str) -> Result<Document, StoredError> {
    check_header(json)?;
    let envelope: DocumentEnvelope =
        serde_json::from_str(json).map_err(|e| StoredError::Shape(e.to_string()))?;
    Ok(native::document_from_record(
        envelope.document,
        envelope.next_annotation,
    )?)
}

pub fn encode_index(index: &StoredIndex) -> String {
    let envelope = IndexEnvelope {
        format: STORE_FORMAT.to_owned(),
        version: STORE_VERSION,
        index: index.clone(),
    };
    serde_json::to_string(&envelope).unwrap_or_default()
}

/// # Errors
/// [`StoredError`] for anything but a valid, known-version index envelope.
pub fn decode_index(json: &str) -> Result<StoredIndex, StoredError> {
    check_header(json)?;
    let envelope: IndexEnvelope =
        serde_json::from_str(json).map_err(|e| StoredError::Shape(e.to_string()))?;
    Ok(envelope.index)
}
