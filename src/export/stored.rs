//! The localStorage layout, as pure encode/decode functions (the I/O is in `crate::storage`).
//!
//! One key per document plus an index, each a versioned envelope, so that saving an edit
//! rewrites one document, and an unreadable key can be told apart from an unknown newer one.
//! Entries of an older schema are upgraded on load by [`super::migrate`].
//!
//! Schema 2 (current):
//!
//! ```json
//! article-annotator:index
//!   {"format": "article-annotator-store", "version": 2, "documents": ["d…", "d…"], "active": "d…"}
//! article-annotator:doc:<id>
//!   {"format": "article-annotator-store", "version": 2, "saved_at": "2026-11-29T04:14:43.123Z",
//!    "writer": "<tab id>", "parent": "<writer@millis of the version it was made from, or null>",
//!    "next_annotation": 15, "document": {…a native DocumentRecord…}}
//! article-annotator:quarantine:<unix millis>:<original key>
//!   {"format": "article-annotator-quarantine", "version": 1, "original_key": "…",
//!    "reason": "…", "moved_at": "…", "raw": "<the unreadable value, exactly as it was>"}
//! ```
//!
//! Schema 1 had no `saved_at` and `writer` (and wrote `next_annotation` after `document`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::migrate;
use super::native::{self, DocumentRecord, RecordError};
use crate::model::{Document, DocumentId, Timestamp};

/// `format` of every document and index envelope we write.
pub const STORE_FORMAT: &str = "article-annotator-store";
/// Schema version this app writes, and the newest it reads (older ones are migrated).
pub const STORE_VERSION: u32 = 2;

/// `format` of a quarantine envelope.
pub const QUARANTINE_FORMAT: &str = "article-annotator-quarantine";
/// Version of the quarantine envelope this app writes and reads.
pub const QUARANTINE_VERSION: u32 = 1;

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

/// The document id in a [`document_key`], or `None` for any other key (quarantine keys
/// included). The inverse of [`document_key`], so an empty id gives `Some("")`.
pub fn is_document_key(key: &str) -> Option<&str> {
    key.strip_prefix(KEY_PREFIX)?.strip_prefix("doc:")
}

/// Where an unreadable value under `original_key` is moved aside:
/// `article-annotator:quarantine:<unix millis>:<original key>`.
pub fn quarantine_key(original_key: &str, now: Timestamp) -> String {
    format!(
        "{KEY_PREFIX}quarantine:{}:{original_key}",
        now.unix_millis()
    )
}

/// Whether `key` is in the quarantine namespace. Deliberately just the prefix: anything there,
/// even a key this app did not write, is left alone by loading and saving.
pub fn is_quarantine_key(key: &str) -> bool {
    quarantine_rest(key).is_some()
}

/// The time and original key a [`quarantine_key`] was made from, or `None` when `key` is not
/// exactly of that form.
pub fn parse_quarantine_key(key: &str) -> Option<(Timestamp, &str)> {
    let (millis, original_key) = quarantine_rest(key)?.split_once(':')?;
    let digits = millis.strip_prefix('-').unwrap_or(millis);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let millis = millis.parse().ok()?;
    Some((Timestamp::from_unix_millis(millis), original_key))
}

fn quarantine_rest(key: &str) -> Option<&str> {
    key.strip_prefix(KEY_PREFIX)?.strip_prefix("quarantine:")
}

#[derive(Serialize, Deserialize)]
struct DocumentEnvelope {
    format: String,
    version: u32,
    /// RFC 3339: when this entry was written (for two tabs to tell which save is newer).
    saved_at: String,
    /// The id of the tab that wrote it.
    writer: String,
    /// The version (see [`StoredDocument::version`]) this one was made from, when the writer
    /// knew it: another tab merges against that common ancestor.
    #[serde(default)]
    parent: Option<String>,
    /// Keeps annotation ids unique across deletions and reloads.
    next_annotation: u64,
    document: DocumentRecord,
}

/// A document read back from storage, with who saved it and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredDocument {
    pub document: Document,
    pub saved_at: Timestamp,
    /// The tab id given to [`encode_document`]; [`migrate::V1_WRITER`] for a schema 1 entry.
    pub writer: String,
    /// The version this one was made from (see [`StoredDocument::version`]), if recorded.
    pub parent: Option<String>,
    /// The schema version the entry was stored in when it was older than [`STORE_VERSION`] (the
    /// caller may then rewrite it in the current schema); `None` when it already was current.
    pub migrated_from: Option<u32>,
}

/// Names one saved version of a document: who wrote it and when.
pub fn version_id(writer: &str, saved_at: Timestamp) -> String {
    format!("{writer}@{}", saved_at.unix_millis())
}

impl StoredDocument {
    /// This entry's version id, as a later save records it in `parent`.
    pub fn version(&self) -> String {
        version_id(&self.writer, self.saved_at)
    }
}

/// The index: which documents exist, in list order, and which one was open.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredIndex {
    pub documents: Vec<String>,
    pub active: Option<String>,
    /// Not stored: set by [`decode_index`] to the schema version the index was stored in when it
    /// was older than [`STORE_VERSION`], like [`StoredDocument::migrated_from`]. Ignored by
    /// [`encode_index`]; `None` when building an index to save.
    #[serde(skip)]
    pub migrated_from: Option<u32>,
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
    #[error("not an article-annotator entry (format {found:?})")]
    WrongFormat { found: String },
    #[error("saved by a newer version of the app (schema version {found})")]
    NewerVersion { found: u32 },
    #[error("unexpected shape: {0}")]
    Shape(String),
    #[error("{0}")]
    Record(#[from] RecordError),
}

fn shape(e: serde_json::Error) -> StoredError {
    StoredError::Shape(e.to_string())
}

fn timestamp(field: &str, text: &str) -> Result<Timestamp, StoredError> {
    Timestamp::parse_rfc3339(text).map_err(|e| StoredError::Shape(format!("{field}: {e}")))
}

/// Serialises a document in the current schema, recording when (`saved_at`) and by which tab
/// (`writer`) it was saved, and which stored version it was made from (`parent`).
pub fn encode_document(
    document: &Document,
    saved_at: Timestamp,
    writer: &str,
    parent: Option<&str>,
) -> String {
    let envelope = DocumentEnvelope {
        format: STORE_FORMAT.to_owned(),
        version: STORE_VERSION,
        saved_at: saved_at.to_rfc3339(),
        writer: writer.to_owned(),
        parent: parent.map(str::to_owned),
        next_annotation: document.next_number(),
        document: native::document_record(document),
    };
    // Serialising plain strings and numbers into a String cannot fail.
    serde_json::to_string(&envelope).unwrap_or_default()
}

/// Reads a document envelope of any schema up to [`STORE_VERSION`], migrating older ones.
///
/// # Errors
/// [`StoredError`] for anything but a valid, known-version document envelope.
pub fn decode_document(json: &str) -> Result<StoredDocument, StoredError> {
    // An entry in the current schema is read straight into records: going through a
    // `serde_json::Value` tree first made decoding the L benchmark document 5x slower (58 ms
    // against 12 ms natively, `cargo bench --bench core`). Older schemas, and anything that does
    // not read cleanly, take the migration path, which also words every error precisely.
    let (envelope, migrated_from) = match serde_json::from_str::<DocumentEnvelope>(json) {
        Ok(envelope) if envelope.format == STORE_FORMAT && envelope.version == STORE_VERSION => {
            (envelope, None)
        }
        _ => {
            let (value, migrated_from) = migrate::migrate_document(migrate::parse(json)?)?;
            let envelope: DocumentEnvelope = serde_json::from_value(value).map_err(shape)?;
            (envelope, migrated_from)
        }
    };
    let saved_at = timestamp("saved_at", &envelope.saved_at)?;
    let document = native::document_from_record(envelope.document, envelope.next_annotation)?;
    Ok(StoredDocument {
        document,
        saved_at,
        writer: envelope.writer,
        parent: envelope.parent,
        migrated_from,
    })
}

pub fn encode_index(index: &StoredIndex) -> String {
    let envelope = IndexEnvelope {
        format: STORE_FORMAT.to_owned(),
        version: STORE_VERSION,
        index: index.clone(),
    };
    serde_json::to_string(&envelope).unwrap_or_default()
}

/// Reads an index envelope of any schema up to [`STORE_VERSION`], migrating older ones (see
/// [`StoredIndex::migrated_from`]).
///
/// # Errors
/// [`StoredError`] for anything but a valid, known-version index envelope.
pub fn decode_index(json: &str) -> Result<StoredIndex, StoredError> {
    let (value, migrated_from) = migrate::migrate_index(migrate::parse(json)?)?;
    let envelope: IndexEnvelope = serde_json::from_value(value).map_err(shape)?;
    Ok(StoredIndex {
        migrated_from,
        ..envelope.index
    })
}

/// A value that could not be read, as moved aside under a [`quarantine_key`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuarantineEntry {
    pub original_key: String,
    /// Why it could not be read (a [`StoredError`] message).
    pub reason: String,
    pub moved_at: Timestamp,
    /// The stored value exactly as it was.
    pub raw: String,
}

#[derive(Serialize, Deserialize)]
struct QuarantineEnvelope {
    format: String,
    version: u32,
    original_key: String,
    reason: String,
    moved_at: String,
    raw: String,
}

/// Wraps an unreadable value for its quarantine key. `raw` is kept as a JSON string, so
/// [`decode_quarantine`] gives it back byte for byte.
pub fn encode_quarantine(original_key: &str, raw: &str, reason: &str, now: Timestamp) -> String {
    let envelope = QuarantineEnvelope {
        format: QUARANTINE_FORMAT.to_owned(),
        version: QUARANTINE_VERSION,
        original_key: original_key.to_owned(),
        reason: reason.to_owned(),
        moved_at: now.to_rfc3339(),
        raw: raw.to_owned(),
    };
    serde_json::to_string(&envelope).unwrap_or_default()
}

/// Reads a quarantine envelope.
///
/// # Errors
/// [`StoredError`] for anything but a valid version 1 quarantine envelope
/// ([`StoredError::NewerVersion`] for a later one).
pub fn decode_quarantine(json: &str) -> Result<QuarantineEntry, StoredError> {
    let value: Value = migrate::parse(json)?;
    migrate::check_header(&value, QUARANTINE_FORMAT, QUARANTINE_VERSION)?;
    let envelope: QuarantineEnvelope = serde_json::from_value(value).map_err(shape)?;
    Ok(QuarantineEntry {
        moved_at: timestamp("moved_at", &envelope.moved_at)?,
        original_key: envelope.original_key,
        reason: envelope.reason,
        raw: envelope.raw,
    })
}
