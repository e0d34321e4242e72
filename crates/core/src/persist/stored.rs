//! The localStorage layout, as pure encode/decode functions (the I/O is `super::load` and
//! `super::engine`, over a `super::Store`).
//!
//! One key per document plus an index, each a versioned envelope, so that saving an edit
//! rewrites one document, and an unreadable key can be told apart from an unknown newer one.
//! A document's text never changes once pasted, so since schema 3 it has a key of its own,
//! written once: saving an edit of a 1,000,000-character article rewrites only its annotations.
//! Entries of an older schema are upgraded on load by [`super::migrate`].
//!
//! Schema 5 (current):
//!
//! ```json
//! article-annotator:index
//!   {"format": "article-annotator-store", "version": 3, "documents": ["d…", "d…"], "active": "d…"}
//! article-annotator:text:<id>
//!   {"format": "article-annotator-store", "version": 3, "chars": 186,
//!    "fnv1a64": "<16 hex digits>", "saved_at": "<when this text entry was written>", "text": "…"}
//! article-annotator:doc:<id>
//!   {"format": "article-annotator-store", "version": 3, "saved_at": "2026-11-29T04:14:43.123Z",
//!    "writer": "<tab id>", "parent": "<writer@millis of the version it was made from, or null>",
//!    "supersedes": ["<writer@millis>", …], "next_annotation": 15,
//!    "document": {"id": "d…", "title": "…", "text_chars": 186, "text_fnv1a64": "<16 hex digits>",
//!      "created": "…", "modified": "…", "note": "<the article's note; left out when none>",
//!      "annotations": [{"id": "a1", "label": "quote", "start": 0, "end": 5,
//!                       "attributes": {"type": "direct"}, "note": "…",
//!                       "made_by": "ann", "changed_by": "bob"}, …],
//!      "relations": [{"type": "said_by", "from": "a1", "to": "a2"}, …]}}
//! article-annotator:schema
//!   {"format": "article-annotator-store", "version": 4, "schema": {"labels": […], "relations": […]}}
//! article-annotator:quarantine:<unix millis>:<original key>
//!   {"format": "article-annotator-quarantine", "version": 1, "original_key": "…",
//!    "reason": "…", "moved_at": "…", "raw": "<the unreadable value, exactly as it was>"}
//! ```
//!
//! - The document entry names its text by a [`TextFingerprint`]: the length in code points and
//!   the FNV-1a 64 hash of its UTF-8 bytes. The text entry repeats both at its very start, so a
//!   save can tell whether storage already holds the right text by reading that prefix only
//!   ([`text_entry_prefix`]); loading recomputes the hash of the whole text.
//! - Offsets are code points, end exclusive, as in the native format; the annotated text is not
//!   repeated (an annotation record that does carry a `text` must match it).
//! - Write order: a document's text entry before its document entry, documents before the index;
//!   removals first, the document entry before its text entry. So a document entry whose text
//!   entry is missing or different was damaged, not interrupted, and a text entry without a
//!   document entry is at worst a save interrupted between the two writes.
//!
//! Schema 5 added who made each annotation (`made_by`) and who last changed it (`changed_by`,
//! left out when that is who made it, `null` when nobody known changed it), each left out when
//! unknown; a schema 4 entry reads as one whose annotations nobody is known to have made. A tab
//! of an older version opens a schema 5 library read-only rather than save it without them.
//!
//! Schema 4 added attribute values and notes (left out of an annotation that has none), the
//! article's note, each document's relations and the library's label schema; a schema 3 entry
//! reads as one with none of these. Text entries did not change, and are still written as
//! version 3 ([`TEXT_VERSION`]).
//!
//! Schema 2 kept the text inside the document entry (`"document"` was a native
//! [`DocumentRecord`](native::DocumentRecord), every annotation repeating its text). Schema 1 had no `saved_at` and
//! `writer` either (and wrote `next_annotation` after `document`).

use std::fmt;
use std::rc::Rc;

use super::header::{check_header, shape_error};
use super::migrate;
use serde::ser::SerializeSeq;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;

use crate::formats::native::{self, RecordError, SpanParts};
use crate::model::anchor::TextQuote;
use crate::model::hash::fnv1a64;
use crate::model::orphan::Orphan;
use crate::model::{
    Annotation, AnnotatorName, ArticleText, Attributes, CharRange, Document, DocumentId, Relation,
    Relations, Removed, Timestamp,
};

/// `format` of every document, text and index envelope we write.
pub const STORE_FORMAT: &str = "article-annotator-store";
/// Schema version this app writes, and the newest it reads (older ones are migrated).
pub const STORE_VERSION: u32 = 5;
/// The first schema that kept document texts under keys of their own.
pub const TEXT_ENTRIES_SINCE: u32 = 3;
/// The version text entries are written in: their shape has not changed since schema 3, and
/// keeping the number means an upgrade rewrites no text (and an older tab still reads them).
pub const TEXT_VERSION: u32 = 3;

/// `format` of a quarantine envelope.
pub const QUARANTINE_FORMAT: &str = "article-annotator-quarantine";
/// Version of the quarantine envelope this app writes and reads.
pub const QUARANTINE_VERSION: u32 = 1;

/// Key prefix for all our localStorage entries.
pub const KEY_PREFIX: &str = "article-annotator:";

/// How old a text entry that no document entry uses must be before loading moves it aside.
/// Younger, it may belong to a save another tab is in the middle of (its text is written just
/// before its document entry, and other tabs see the two writes some time apart).
pub const ORPHAN_TEXT_GRACE_MS: i64 = 10 * 60 * 1000;

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

/// The key of one document's text.
pub fn text_key(id: &DocumentId) -> String {
    format!("{KEY_PREFIX}text:{id}")
}

/// The document id in a [`text_key`], or `None` for any other key. The inverse of [`text_key`].
pub fn is_text_key(key: &str) -> Option<&str> {
    key.strip_prefix(KEY_PREFIX)?.strip_prefix("text:")
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

/// Which text a document entry was saved with: its length in code points and the FNV-1a 64
/// hash of its UTF-8 bytes. It tells a missing, cut or swapped text entry from the right one;
/// it is no defence against someone forging one (nothing in localStorage could be).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TextFingerprint {
    pub chars: usize,
    pub fnv1a64: u64,
}

impl TextFingerprint {
    /// Reads the whole text once (a millisecond or two per megabyte): callers that save often
    /// keep it with the text.
    pub fn of(text: &str) -> Self {
        let fnv1a64 = fnv1a64(text.bytes());
        Self {
            chars: text.chars().count(),
            fnv1a64,
        }
    }

    /// The hash as stored: 16 lowercase hexadecimal digits.
    pub fn hex(self) -> String {
        format!("{:016x}", self.fnv1a64)
    }

    fn parse_hex(field: &str, hex: &str) -> Result<u64, StoredError> {
        let digits = hex.len() == 16 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        digits
            .then(|| u64::from_str_radix(hex, 16).ok())
            .flatten()
            .ok_or_else(|| {
                StoredError::Shape(format!(
                    "{field}: {hex:?} is not 16 lowercase hexadecimal digits"
                ))
            })
    }
}

impl fmt::Display for TextFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} code points, FNV-1a {}", self.chars, self.hex())
    }
}

/// A document entry as read, of any schema: what some schema lacks is optional here, and filled
/// in by the steps of [`migrate`].
#[derive(Deserialize)]
pub(crate) struct DocumentEnvelope {
    format: String,
    version: u32,
    /// RFC 3339: when this entry was written (for two tabs to tell which save is newer).
    /// Since schema 2.
    pub(crate) saved_at: Option<String>,
    /// The id of the tab that wrote it. Since schema 2.
    pub(crate) writer: Option<String>,
    /// The version (see [`StoredDocument::version`]) this one was made from, when the writer
    /// knew it: another tab merges against that common ancestor.
    #[serde(default)]
    parent: Option<String>,
    /// Earlier versions whose content this one holds (see [`StoredDocument::supersedes`]).
    #[serde(default)]
    supersedes: Vec<String>,
    /// Keeps annotation ids unique across deletions and reloads.
    next_annotation: u64,
    pub(crate) document: CompactDocument,
}

#[derive(Deserialize)]
pub(crate) struct CompactDocument {
    id: String,
    title: String,
    /// The text itself, in entries before schema 3 (then `document` was a native
    /// [`DocumentRecord`](native::DocumentRecord)); ignored in later ones.
    #[serde(default)]
    pub(crate) text: Option<String>,
    /// Since schema 3, with `text_fnv1a64`.
    pub(crate) text_chars: Option<usize>,
    pub(crate) text_fnv1a64: Option<String>,
    created: String,
    pub(crate) modified: String,
    /// Since schema 4.
    #[serde(default)]
    note: Option<String>,
    annotations: Vec<CompactAnnotation>,
    /// Since schema 4.
    #[serde(default)]
    relations: Vec<native::RelationRecord>,
    /// Annotations a fix of the text orphaned, as annotations are written, `text` being what
    /// they quoted and `start`/`end` where they were in the text before the fix (never checked
    /// against the text); absent when there are none.
    #[serde(default)]
    orphans: Vec<CompactAnnotation>,
    /// Each orphan's text before and after what it quoted, in the order of `orphans`.
    #[serde(default)]
    orphan_context: Vec<(String, String)>,
    /// The relations each orphan had, kept until it is placed, in the order of `orphans`.
    #[serde(default)]
    orphan_relations: Vec<Vec<native::RelationRecord>>,
}

#[derive(Deserialize)]
struct CompactAnnotation {
    id: String,
    label: String,
    start: usize,
    end: usize,
    /// Never written; present in entries migrated from schema 2, and then checked.
    #[serde(default)]
    text: Option<String>,
    /// Since schema 4.
    #[serde(default)]
    attributes: BTreeMap<String, String>,
    /// Since schema 4.
    #[serde(default)]
    note: Option<String>,
    /// Since schema 5: who made it, left out when nobody is known.
    #[serde(default)]
    made_by: Option<String>,
    /// Since schema 5: who last changed it. Left out when that is who made it (most
    /// annotations: the save of a 10,000-span article does not repeat every name), `null` when
    /// the change was made by nobody known.
    #[serde(default, deserialize_with = "present")]
    changed_by: Option<Option<String>>,
}

impl CompactAnnotation {
    /// Its fields as the native reader takes them, with the rule of
    /// [`CompactAnnotation::changed_by`] applied.
    fn into_parts(self) -> SpanParts {
        let changed_by = match self.changed_by {
            Some(changed_by) => changed_by,
            None => self.made_by.clone(),
        };
        SpanParts {
            changed_by,
            made_by: self.made_by,
            id: self.id,
            label: self.label,
            start: self.start,
            end: self.end,
            quoted: self.text,
            attributes: self.attributes,
            note: self.note,
        }
    }
}

/// A field that is there, `null` or not: `Some(None)` for `null`, where a missing field is the
/// `None` of `#[serde(default)]`.
fn present<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

/// [`DocumentEnvelope`] as written: borrowed, straight from the document, no `Value` tree.
#[derive(Serialize)]
struct DocumentEnvelopeOut<'a> {
    format: &'a str,
    version: u32,
    saved_at: String,
    writer: &'a str,
    parent: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    supersedes: &'a [String],
    next_annotation: u64,
    document: CompactDocumentOut<'a>,
}

#[derive(Serialize)]
struct CompactDocumentOut<'a> {
    id: &'a str,
    title: &'a str,
    text_chars: usize,
    text_fnv1a64: String,
    created: String,
    modified: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    annotations: CompactAnnotationsOut<'a>,
    relations: RelationsOut<'a>,
    #[serde(skip_serializing_if = "OrphansOut::is_empty")]
    orphans: OrphansOut<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    orphan_context: Vec<(&'a str, &'a str)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    orphan_relations: Vec<Vec<RelationOut<'a>>>,
}

/// The orphans as [`CompactAnnotationOut`]s, each with the text it quoted.
struct OrphansOut<'a>(&'a [Rc<Orphan>]);

impl OrphansOut<'_> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for OrphansOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for orphan in self.0 {
            let a = &orphan.removed.annotation;
            seq.serialize_element(&CompactAnnotationOut::of(a, Some(&orphan.quote.exact)))?;
        }
        seq.end()
    }
}

struct RelationsOut<'a>(Relations<'a>);

#[derive(Serialize)]
struct RelationOut<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    from: &'a str,
    to: &'a str,
}

impl<'a> RelationOut<'a> {
    fn of(r: &'a Relation) -> Self {
        Self {
            kind: r.kind.as_str(),
            from: r.from.as_str(),
            to: r.to.as_str(),
        }
    }
}

impl Serialize for RelationsOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for r in self.0.iter() {
            seq.serialize_element(&RelationOut::of(r))?;
        }
        seq.end()
    }
}

/// An annotation's values, written as a JSON object without building a map.
struct AttributesOut<'a>(&'a Attributes);

impl Serialize for AttributesOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter())
    }
}

struct CompactAnnotationsOut<'a>(&'a [Rc<Annotation>]);

#[derive(Serialize)]
struct CompactAnnotationOut<'a> {
    id: &'a str,
    label: &'a str,
    start: usize,
    end: usize,
    /// Only for an orphan: the text it quoted.
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attributes: Option<AttributesOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    made_by: Option<&'a str>,
    /// `None` (left out) when the same as `made_by`; `Some(None)` is written `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    changed_by: Option<Option<&'a str>>,
}

impl<'a> CompactAnnotationOut<'a> {
    fn of(a: &'a Annotation, text: Option<&'a str>) -> Self {
        let (made_by, changed_by) = (&a.authors.made_by, &a.authors.changed_by);
        Self {
            made_by: made_by.as_ref().map(AnnotatorName::as_str),
            changed_by: (changed_by != made_by)
                .then(|| changed_by.as_ref().map(AnnotatorName::as_str)),
            id: a.id.as_str(),
            label: a.label.as_str(),
            start: a.range.start().get(),
            end: a.range.end().get(),
            text,
            attributes: (!a.attributes.is_empty()).then_some(AttributesOut(&a.attributes)),
            note: a.note.as_deref(),
        }
    }
}

/// One annotation as a JSON object, exactly as a document entry stores it: the record a shared
/// article keeps under the annotation's id (`model::shared_records`). The page's saves already
/// carry this writer, so team mode adds none of its own.
pub fn encode_annotation(annotation: &Annotation) -> String {
    serde_json::to_string(&CompactAnnotationOut::of(annotation, None)).unwrap_or_default()
}

/// One annotation record as [`encode_annotation`] writes it, read back by the same rules as each
/// annotation of a document entry, at the offsets it names (the caller checks them against its
/// text). `None` when it is not such a record or names what the model cannot hold.
pub fn decode_annotation(record: &str) -> Option<Annotation> {
    let parts = serde_json::from_str::<CompactAnnotation>(record)
        .ok()?
        .into_parts();
    let range = CharRange::from_raw(parts.start, parts.end).ok()?;
    native::annotation_of(&parts, range).ok()
}

impl Serialize for CompactAnnotationsOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for a in self.0 {
            seq.serialize_element(&CompactAnnotationOut::of(a, None))?;
        }
        seq.end()
    }
}

#[derive(Deserialize)]
struct TextEnvelope {
    format: String,
    version: u32,
    chars: usize,
    fnv1a64: String,
    saved_at: String,
    text: String,
}

/// [`TextEnvelope`] as written. The field order is part of the schema: [`text_entry_prefix`].
#[derive(Serialize)]
struct TextEnvelopeOut<'a> {
    format: &'a str,
    version: u32,
    chars: usize,
    fnv1a64: String,
    saved_at: String,
    text: &'a str,
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
    /// Earlier versions (besides `parent`) whose content this one holds: the writer had taken
    /// them in, or versions made from them, before saving this one. A tab that receives this
    /// version knows from it that a late event for one of those is nothing new, even when it
    /// never saw the versions in between. Empty in entries written before it was recorded.
    pub supersedes: Vec<String>,
    /// The schema version the entry was stored in when it was older than [`STORE_VERSION`] (the
    /// caller may then rewrite it in the current schema); `None` when it already was current.
    pub migrated_from: Option<u32>,
    /// The fingerprint of `document`'s text, checked against the text while decoding.
    pub text: TextFingerprint,
}

/// The title of a document entry this app cannot read because a newer one wrote it, when it is
/// where schema 3 keeps it: to name the article in the list, never to edit it.
pub fn newer_entry_title(json: &str) -> Option<String> {
    // Found by reading the text, not by a deserializer of its own (which was 0.3 KB of the
    // page's first load for a rare, best-effort label): the first `"title":` after
    // `"document":`, a JSON string that serde_json then reads.
    let document = &json[json.find("\"document\":")?..];
    let value = document[document.find("\"title\":")? + 8..].trim_start();
    let bytes = value.as_bytes();
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut at = 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return serde_json::from_str(value.get(..=at)?).ok(),
            _ => at += 1,
        }
    }
    None
}

/// The schema version of a stored entry when a newer version of the app wrote it (`None`: this
/// version's own schema, an older one, or not an entry at all). Reads the header only.
pub fn newer_schema(json: &str) -> Option<u32> {
    match check_header(json, STORE_FORMAT, STORE_VERSION) {
        Err(StoredError::NewerVersion { found }) => Some(found),
        _ => None,
    }
}

impl StoredError {
    /// Whether the entry was written by a newer version of the app: such an entry is never
    /// moved, rewritten or removed, only left alone.
    pub fn is_newer(&self) -> bool {
        matches!(self, StoredError::NewerVersion { .. })
    }
}

/// Names one saved version of a document: who wrote it and when.
pub fn version_id(writer: &str, saved_at: Timestamp) -> String {
    format!("{writer}@{}", saved_at.unix_millis())
}

/// How much of a document entry's start [`version_in_head`] needs: the envelope's `saved_at`
/// and `writer` come before the document (see [`encode_document`]), within its first 120
/// characters. More is allowed for a longer writer id.
pub const VERSION_HEAD_UNITS: u32 = 256;

/// The version id ([`version_id`]) of a document entry, from its first characters only, as
/// [`encode_document`] writes them. `None` when they do not show it plainly (an older schema,
/// an escaped or cut-off value): the caller then reads the whole entry.
pub fn version_in_head(head: &str) -> Option<String> {
    let field = |name: &str| {
        let start = head.find(&format!("\"{name}\":\""))? + name.len() + 4;
        let value = &head[start..];
        let value = &value[..value.find('"')?];
        (!value.contains('\\')).then_some(value)
    };
    let saved_at = Timestamp::parse_rfc3339(field("saved_at")?).ok()?;
    Some(version_id(field("writer")?, saved_at))
}

impl StoredDocument {
    /// This entry's version id, as a later save records it in `parent`.
    pub fn version(&self) -> String {
        version_id(&self.writer, self.saved_at)
    }

    /// This entry's version and the earlier ones its content holds, for a tab that starts from
    /// it ([`super::SaveEngine::new`]).
    pub fn lineage(&self) -> Lineage {
        Lineage {
            version: self.version(),
            earlier: self
                .parent
                .iter()
                .chain(&self.supersedes)
                .cloned()
                .collect(),
        }
    }
}

/// A stored version of a document and the earlier versions whose content it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lineage {
    pub version: String,
    pub earlier: Vec<String>,
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

/// The index's fields beside the header, spelled out: `#[serde(flatten)]` would buffer the
/// whole object through serde's `Content` type, kilobytes of wasm for two fields.
#[derive(Serialize, Deserialize)]
pub(crate) struct IndexEnvelope {
    format: String,
    version: u32,
    documents: Vec<String>,
    active: Option<String>,
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
    #[error("its text entry {key} is missing")]
    MissingText { key: String },
    #[error("its text entry {key} cannot be read: {reason}")]
    UnreadableText { key: String, reason: String },
    #[error("its text entry {key} holds another text ({found}) than the one it was saved with ({expected})")]
    TextMismatch {
        key: String,
        expected: TextFingerprint,
        found: TextFingerprint,
    },
    #[error("the text ({found}) is not the one the entry describes ({claimed})")]
    CorruptText {
        claimed: TextFingerprint,
        found: TextFingerprint,
    },
}

fn timestamp(field: &str, text: &str) -> Result<Timestamp, StoredError> {
    Timestamp::parse_rfc3339(text).map_err(|e| StoredError::Shape(format!("{field}: {e}")))
}

/// The two entries a document is stored in, as [`encode_entries`] makes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodedEntries {
    /// For [`text_key`]: written first, and only when storage does not hold it already.
    pub text: String,
    /// For [`document_key`].
    pub document: String,
    pub fingerprint: TextFingerprint,
}

/// Serialises a document entry in the current schema, recording when (`saved_at`) and by which
/// tab (`writer`) it was saved, which stored version it was made from (`parent`) and which
/// earlier ones its content holds (`supersedes`, see [`StoredDocument::supersedes`]). The text
/// is not in it: `text` must be the [`TextFingerprint::of`] the document's text, whose entry
/// ([`encode_text`]) is written before this one. Annotations are written as compact records
/// straight from the document, so a save of an edit costs in proportion to the annotations.
pub fn encode_document(
    document: &Document,
    text: TextFingerprint,
    saved_at: Timestamp,
    writer: &str,
    parent: Option<&str>,
    supersedes: &[String],
) -> String {
    let envelope = DocumentEnvelopeOut {
        format: STORE_FORMAT,
        version: STORE_VERSION,
        saved_at: saved_at.to_rfc3339(),
        writer,
        parent,
        supersedes,
        next_annotation: document.next_number(),
        document: CompactDocumentOut {
            id: document.id.as_str(),
            title: &document.title,
            text_chars: text.chars,
            text_fnv1a64: text.hex(),
            created: document.created.to_rfc3339(),
            modified: document.modified.to_rfc3339(),
            note: document.note.as_deref(),
            annotations: CompactAnnotationsOut(document.annotations()),
            relations: RelationsOut(document.relations()),
            orphans: OrphansOut(document.orphans()),
            orphan_context: document
                .orphans()
                .iter()
                .map(|o| (o.quote.prefix.as_str(), o.quote.suffix.as_str()))
                .collect(),
            orphan_relations: document
                .orphans()
                .iter()
                .map(|o| o.removed.relations.iter().map(RelationOut::of).collect())
                .collect(),
        },
    };
    // Serialising plain strings and numbers into a String cannot fail.
    serde_json::to_string(&envelope).unwrap_or_default()
}

/// The orphans a document entry holds (see [`CompactDocument::orphans`]).
fn orphans_of(
    records: Vec<CompactAnnotation>,
    context: Vec<(String, String)>,
    relations: Vec<Vec<native::RelationRecord>>,
) -> Result<Vec<Orphan>, RecordError> {
    let mut context = context.into_iter();
    let mut relations = relations.into_iter();
    records
        .into_iter()
        .map(|a| {
            let (prefix, suffix) = context.next().unwrap_or_default();
            let mut parts = a.into_parts();
            // An orphan's text is the quote it is placed by, not a check of its offsets.
            let exact = parts.quoted.take().unwrap_or_default();
            let range = CharRange::from_raw(parts.start, parts.end).map_err(|source| {
                RecordError::Range {
                    id: parts.id.clone(),
                    source,
                }
            })?;
            let annotation = native::annotation_of(&parts, range)?;
            let mut touching = relations
                .next()
                .unwrap_or_default()
                .into_iter()
                .map(native::RelationRecord::into_relation)
                .collect::<Result<Vec<Relation>, RecordError>>()?;
            touching.sort();
            touching.dedup();
            Ok(Orphan {
                removed: Removed {
                    annotation,
                    relations: touching,
                },
                quote: TextQuote {
                    exact,
                    prefix,
                    suffix,
                },
            })
        })
        .collect()
}

/// Serialises a text entry for [`text_key`], written at `saved_at`.
pub fn encode_text(text: &str, saved_at: Timestamp) -> String {
    let fingerprint = TextFingerprint::of(text);
    let envelope = TextEnvelopeOut {
        format: STORE_FORMAT,
        version: TEXT_VERSION,
        chars: fingerprint.chars,
        fnv1a64: fingerprint.hex(),
        saved_at: saved_at.to_rfc3339(),
        text,
    };
    serde_json::to_string(&envelope).unwrap_or_default()
}

/// What every text entry of `fingerprint` that [`encode_text`] writes starts with. A saver that
/// finds it at the start of the stored value knows the text is there without reading it all.
pub fn text_entry_prefix(fingerprint: TextFingerprint) -> String {
    format!(
        "{{\"format\":\"{STORE_FORMAT}\",\"version\":{TEXT_VERSION},\"chars\":{},\"fnv1a64\":\"{}\",",
        fingerprint.chars,
        fingerprint.hex()
    )
}

/// Both entries of a document at once: its text entry (at `saved_at` too) and its document
/// entry. For rewriting a migrated entry, and for tests; a save that may already have the text
/// stored uses [`encode_document`] and [`encode_text`].
pub fn encode_entries(
    document: &Document,
    saved_at: Timestamp,
    writer: &str,
    parent: Option<&str>,
) -> EncodedEntries {
    let fingerprint = TextFingerprint::of(document.text().as_str());
    EncodedEntries {
        text: encode_text(document.text().as_str(), saved_at),
        document: encode_document(document, fingerprint, saved_at, writer, parent, &[]),
        fingerprint,
    }
}

/// A text entry read back and checked against its own fingerprint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredText {
    pub text: ArticleText,
    pub fingerprint: TextFingerprint,
    /// When the entry was written.
    pub saved_at: Timestamp,
}

/// Reads a text entry.
///
/// # Errors
/// [`StoredError`] for anything but a valid current text entry: [`StoredError::CorruptText`]
/// when the text is not the one its fingerprint describes.
pub fn decode_text(json: &str) -> Result<StoredText, StoredError> {
    let envelope = match serde_json::from_str::<TextEnvelope>(json) {
        // Text entries have kept one shape since they appeared in schema 3.
        Ok(envelope)
            if envelope.format == STORE_FORMAT
                && (TEXT_ENTRIES_SINCE..=STORE_VERSION).contains(&envelope.version) =>
        {
            envelope
        }
        // Slow path, for a precise error.
        parsed => {
            let version = check_header(json, STORE_FORMAT, STORE_VERSION)?;
            if version < TEXT_ENTRIES_SINCE {
                return Err(StoredError::Shape(format!(
                    "schema {version} had no text entries"
                )));
            }
            parsed.map_err(|e| shape_error(&e))?
        }
    };
    let saved_at = timestamp("saved_at", &envelope.saved_at)?;
    let claimed = TextFingerprint {
        chars: envelope.chars,
        fnv1a64: TextFingerprint::parse_hex("fnv1a64", &envelope.fnv1a64)?,
    };
    let text = ArticleText::try_from_normalized(&envelope.text).map_err(RecordError::from)?;
    let found = TextFingerprint::of(text.as_str());
    if found != claimed {
        return Err(StoredError::CorruptText { claimed, found });
    }
    Ok(StoredText {
        text,
        fingerprint: found,
        saved_at,
    })
}

/// A document entry read, but not yet joined with its text (see [`read_document`]).
pub struct DocumentEntry {
    envelope: DocumentEnvelope,
    writer: String,
    saved_at: Timestamp,
    fingerprint: TextFingerprint,
    /// The text of an entry migrated from a schema that kept it inside the document entry.
    inline_text: Option<String>,
    migrated_from: Option<u32>,
}

/// Reads a document entry of any schema up to [`STORE_VERSION`], migrating older ones. The
/// text comes next: [`DocumentEntry::with_text_entry`] or [`DocumentEntry::with_text`].
///
/// # Errors
/// [`StoredError`] for anything but a valid, known-version document envelope.
pub fn read_document(json: &str) -> Result<DocumentEntry, StoredError> {
    // Every schema is read straight into the one envelope (a `serde_json::Value` tree first
    // was several times slower on long documents); only an entry that is not of the current
    // schema has its header read again, for the steps to run or for a precise error.
    let (mut envelope, migrated_from) = match serde_json::from_str::<DocumentEnvelope>(json) {
        Ok(envelope) if envelope.format == STORE_FORMAT && envelope.version == STORE_VERSION => {
            (envelope, None)
        }
        parsed => {
            let found = check_header(json, STORE_FORMAT, STORE_VERSION)?;
            let mut envelope = parsed.map_err(|e| shape_error(&e))?;
            migrate::upgrade_document(&mut envelope, found)?;
            (envelope, (found < STORE_VERSION).then_some(found))
        }
    };
    // Only entries from before schema 3 carried their text inside.
    let inline_text = match migrated_from {
        Some(version) if version < TEXT_ENTRIES_SINCE => envelope.document.text.take(),
        _ => None,
    };
    let missing = |field: &str| StoredError::Shape(format!("missing field `{field}`"));
    let saved_at = timestamp(
        "saved_at",
        envelope
            .saved_at
            .as_deref()
            .ok_or_else(|| missing("saved_at"))?,
    )?;
    let writer = envelope.writer.take().ok_or_else(|| missing("writer"))?;
    let fingerprint = TextFingerprint {
        chars: envelope
            .document
            .text_chars
            .ok_or_else(|| missing("text_chars"))?,
        fnv1a64: TextFingerprint::parse_hex(
            "document.text_fnv1a64",
            envelope
                .document
                .text_fnv1a64
                .as_deref()
                .ok_or_else(|| missing("text_fnv1a64"))?,
        )?,
    };
    Ok(DocumentEntry {
        envelope,
        writer,
        saved_at,
        fingerprint,
        inline_text,
        migrated_from,
    })
}

impl DocumentEntry {
    /// The id of the document.
    pub fn id(&self) -> &str {
        &self.envelope.document.id
    }

    /// The text this entry needs from its text entry, or `None` when it carries its text
    /// (an entry of a schema before 3).
    pub fn needs_text(&self) -> Option<TextFingerprint> {
        self.inline_text.is_none().then_some(self.fingerprint)
    }

    /// Joins the entry with the value of its [`text_key`] (`None` when there is none); an entry
    /// that carries its text ignores it.
    ///
    /// # Errors
    /// [`StoredError::MissingText`], [`StoredError::UnreadableText`] or
    /// [`StoredError::TextMismatch`] when the text entry is not the one this entry was saved
    /// with; [`StoredError::Record`] when the annotations do not fit the text.
    pub fn with_text_entry(self, text_entry: Option<&str>) -> Result<StoredDocument, StoredError> {
        if self.inline_text.is_some() {
            return self.with_inline_text();
        }
        let key = text_key(&DocumentId::new(self.id()));
        let json = text_entry.ok_or_else(|| StoredError::MissingText { key: key.clone() })?;
        let stored = decode_text(json).map_err(|e| match e {
            // Not damaged: a newer app wrote it, and it must be left exactly as it is.
            StoredError::NewerVersion { found } => StoredError::NewerVersion { found },
            e => StoredError::UnreadableText {
                key: key.clone(),
                reason: e.to_string(),
            },
        })?;
        self.with_text(&stored.text, stored.fingerprint)
    }

    /// Joins the entry with a text the caller already has, whose [`TextFingerprint::of`] is
    /// `fingerprint` (a tab that holds the document reuses its text instead of reading and
    /// indexing it again). An entry that carries its text ignores it.
    ///
    /// # Errors
    /// [`StoredError::TextMismatch`] when `fingerprint` is not the one this entry was saved
    /// with; [`StoredError::Record`] when the annotations do not fit the text.
    pub fn with_text(
        self,
        text: &ArticleText,
        fingerprint: TextFingerprint,
    ) -> Result<StoredDocument, StoredError> {
        if self.inline_text.is_some() {
            return self.with_inline_text();
        }
        if fingerprint != self.fingerprint {
            return Err(StoredError::TextMismatch {
                key: text_key(&DocumentId::new(self.id())),
                expected: self.fingerprint,
                found: fingerprint,
            });
        }
        self.build(text.clone())
    }

    fn with_inline_text(mut self) -> Result<StoredDocument, StoredError> {
        let inline = self.inline_text.take().unwrap_or_default();
        let text = ArticleText::try_from_normalized(&inline).map_err(RecordError::from)?;
        self.build(text)
    }

    fn build(self, text: ArticleText) -> Result<StoredDocument, StoredError> {
        let writer = self.writer;
        let DocumentEnvelope {
            parent,
            supersedes,
            next_annotation,
            document,
            ..
        } = self.envelope;
        let (relations, note) = (document.relations, document.note);
        let orphans = orphans_of(
            document.orphans,
            document.orphan_context,
            document.orphan_relations,
        )?;
        let spans = document
            .annotations
            .into_iter()
            .map(CompactAnnotation::into_parts);
        let document = native::document_from_parts(
            &document.id,
            document.title,
            text,
            (&document.created, &document.modified),
            spans,
            (relations, note.as_deref()),
            next_annotation,
            None,
        )?
        .with_orphans(orphans)
        .map_err(RecordError::from)?;
        Ok(StoredDocument {
            document,
            saved_at: self.saved_at,
            writer,
            parent,
            supersedes,
            migrated_from: self.migrated_from,
            text: self.fingerprint,
        })
    }
}

/// Reads a document entry with the value of its text entry, if any: [`read_document`] then
/// [`DocumentEntry::with_text_entry`].
///
/// # Errors
/// As those two.
pub fn decode_document(
    json: &str,
    text_entry: Option<&str>,
) -> Result<StoredDocument, StoredError> {
    read_document(json)?.with_text_entry(text_entry)
}

pub fn encode_index(index: &StoredIndex) -> String {
    let envelope = IndexEnvelope {
        format: STORE_FORMAT.to_owned(),
        version: STORE_VERSION,
        documents: index.documents.clone(),
        active: index.active.clone(),
    };
    serde_json::to_string(&envelope).unwrap_or_default()
}

/// Reads an index envelope of any schema up to [`STORE_VERSION`], migrating older ones (see
/// [`StoredIndex::migrated_from`]).
///
/// # Errors
/// [`StoredError`] for anything but a valid, known-version index envelope.
pub fn decode_index(json: &str) -> Result<StoredIndex, StoredError> {
    let (envelope, migrated_from) = match serde_json::from_str::<IndexEnvelope>(json) {
        Ok(envelope) if envelope.format == STORE_FORMAT && envelope.version == STORE_VERSION => {
            (envelope, None)
        }
        parsed => {
            let found = check_header(json, STORE_FORMAT, STORE_VERSION)?;
            let mut envelope = parsed.map_err(|e| shape_error(&e))?;
            migrate::upgrade_index(&mut envelope, found)?;
            (envelope, (found < STORE_VERSION).then_some(found))
        }
    };
    Ok(StoredIndex {
        documents: envelope.documents,
        active: envelope.active,
        migrated_from,
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
    let envelope = match serde_json::from_str::<QuarantineEnvelope>(json) {
        Ok(envelope)
            if envelope.format == QUARANTINE_FORMAT && envelope.version == QUARANTINE_VERSION =>
        {
            envelope
        }
        parsed => {
            check_header(json, QUARANTINE_FORMAT, QUARANTINE_VERSION)?;
            parsed.map_err(|e| shape_error(&e))?
        }
    };
    Ok(QuarantineEntry {
        moved_at: timestamp("moved_at", &envelope.moved_at)?,
        original_key: envelope.original_key,
        reason: envelope.reason,
        raw: envelope.raw,
    })
}

#[cfg(test)]
mod title_tests {
    use super::newer_entry_title;

    #[test]
    fn a_newer_entrys_title_is_read_where_schema_3_keeps_it() {
        let entry = r#"{"format":"f","version":9,"document":{"id":"d1","title":"Le \"Monde\" \u00e9t\u00e9 😀","x":1}}"#;
        assert_eq!(
            newer_entry_title(entry).as_deref(),
            Some("Le \"Monde\" été 😀")
        );
        assert_eq!(newer_entry_title(r#"{"document":{"title":7}}"#), None);
        assert_eq!(newer_entry_title(r#"{"document":{"title":"cut"#), None);
        assert_eq!(newer_entry_title(r#"{"title":"not in a document"}"#), None);
        assert_eq!(newer_entry_title(r#"{"document":{"title":"a\"#), None);
    }
}
