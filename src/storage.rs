//! The only code that touches `localStorage`. Every call here can fail (storage disabled, quota
//! full, another tab, a browser extension): each failure becomes a [`StorageError`] with a message
//! a person can act on, never a panic. Data that cannot be read is moved aside, never dropped.

use std::collections::{HashMap, HashSet};

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Storage;

use crate::js_string::exact_string;
use annotator_core::model::{DocumentId, Timestamp};
use annotator_core::persist::stored::{
    self, StoredDocument, StoredError, StoredIndex, TextFingerprint, KEY_PREFIX,
};

#[wasm_bindgen]
extern "C" {
    /// `Storage` with a `getItem` that gives the JS string itself, not a copy in wasm memory: a
    /// document's text entry can be megabytes, and [`holds_text`] only looks at its start.
    #[wasm_bindgen(js_name = Storage)]
    type RawStorage;

    #[wasm_bindgen(method, catch, js_name = getItem)]
    fn get_item(this: &RawStorage, key: &str) -> Result<Option<js_sys::JsString>, JsValue>;
}

/// The localStorage limit of one site: Chromium and Firefox both stop at about 5 Mi UTF-16 code
/// units of keys plus values (measured here: Chromium 156 refused the write past 5,096 KiB of
/// 1 KiB values), i.e. 10 MiB as UTF-16 bytes. Browsers do not report it, so usage is compared
/// against this figure.
pub const APPROX_LIMIT_BYTES: u64 = 10 * 1024 * 1024;

/// Why storage could not be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    #[error("Saving is not possible in this browser ({0}). Your work lives only in this tab: export it before closing.")]
    Unavailable(String),
    #[error("Browser storage is full: your latest changes are NOT saved. Export your work, or delete a document to free space.")]
    QuotaExceeded,
    #[error("Saving failed: {0}")]
    Write(String),
}

/// Describes a thrown JS value: `DOMException` name and message where there is one.
fn describe(error: &wasm_bindgen::JsValue) -> String {
    if let Some(exception) = error.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", exception.name(), exception.message());
    }
    error
        .as_string()
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// `QuotaExceededError` in current browsers; Firefox has also used `NS_ERROR_DOM_QUOTA_REACHED`
/// (legacy codes 22 and 1014).
fn is_quota_error(error: &wasm_bindgen::JsValue) -> bool {
    error.dyn_ref::<web_sys::DomException>().is_some_and(|e| {
        matches!(
            e.name().as_str(),
            "QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED"
        ) || e.code() == 22
            || e.code() == 1014
    })
}

/// `window.localStorage`, which throws in some private modes and with cookies blocked.
///
/// # Errors
/// [`StorageError::Unavailable`] with the browser's reason.
pub fn local_storage() -> Result<Storage, StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError::Unavailable("no window".into()))?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err(StorageError::Unavailable(
            "localStorage is missing".to_owned(),
        )),
        Err(e) => Err(StorageError::Unavailable(describe(&e))),
    }
}

/// Bytes one entry takes, counted as browsers do: key and value in UTF-16.
pub fn entry_bytes(key: &str, value: &str) -> u64 {
    2 * (key.encode_utf16().count() + value.encode_utf16().count()) as u64
}

/// Writes one key. A single `setItem` is atomic: on failure the old value is still there.
///
/// # Errors
/// [`StorageError::QuotaExceeded`] when the browser refuses for lack of space.
pub fn write(storage: &Storage, key: &str, value: &str) -> Result<(), StorageError> {
    storage.set_item(key, value).map_err(|e| {
        if is_quota_error(&e) {
            StorageError::QuotaExceeded
        } else {
            StorageError::Write(describe(&e))
        }
    })
}

/// # Errors
/// [`StorageError::Write`] when the browser refuses.
pub fn remove(storage: &Storage, key: &str) -> Result<(), StorageError> {
    storage
        .remove_item(key)
        .map_err(|e| StorageError::Write(describe(&e)))
}

/// The value under `key`, copied into wasm memory at its exact size (see [`crate::js_string`]):
/// the text and document entries of a long article are megabytes.
///
/// # Errors
/// The browser's error when it refuses to give the value.
fn read(storage: &Storage, key: &str) -> Result<Option<String>, JsValue> {
    let Some(value) = storage.unchecked_ref::<RawStorage>().get_item(key)? else {
        return Ok(None);
    };
    // Without a `TextEncoder` (no browser this app runs in), the ordinary copy.
    Ok(Some(
        exact_string(&value).unwrap_or_else(|| String::from(&value)),
    ))
}

/// Whether `storage` holds the text entry of `fingerprint` under `key`: a look at the first
/// hundred characters of the stored value, never a read of the whole text. A value that cannot
/// be read counts as not held (so it is written again).
pub fn holds_text(storage: &Storage, key: &str, fingerprint: TextFingerprint) -> bool {
    matches!(
        storage.unchecked_ref::<RawStorage>().get_item(key),
        Ok(Some(value)) if value.starts_with(&stored::text_entry_prefix(fingerprint), 0)
    )
}

/// The first `units` UTF-16 code units of the value under `key` (`None`: no such key, or it
/// cannot be read), without copying the rest of the value into wasm memory.
pub fn read_head(storage: &Storage, key: &str, units: u32) -> Option<String> {
    let value = storage
        .unchecked_ref::<RawStorage>()
        .get_item(key)
        .ok()
        .flatten()?;
    Some(String::from(value.substring(0, units)))
}

/// Writes the text entry of document `id` unless storage holds it already ([`holds_text`]).
/// Returns the bytes the entry takes when it was written, `None` when it was there.
///
/// # Errors
/// As [`write`].
pub fn ensure_text(
    storage: &Storage,
    id: &DocumentId,
    text: &str,
    fingerprint: TextFingerprint,
    now: Timestamp,
) -> Result<Option<u64>, StorageError> {
    let key = stored::text_key(id);
    if holds_text(storage, &key, fingerprint) {
        return Ok(None);
    }
    let value = stored::encode_text(text, now);
    write(storage, &key, &value)?;
    Ok(Some(entry_bytes(&key, &value)))
}

/// Sizes of every key on this origin: ours one by one, everyone else's (other apps served from
/// the same origin share the quota) as one sum. Read at start-up and after a failed save.
pub fn entry_sizes(storage: &Storage) -> (HashMap<String, u64>, u64) {
    let mut ours = HashMap::new();
    let mut others = 0;
    for i in 0..storage.length().unwrap_or(0) {
        let Ok(Some(key)) = storage.key(i) else {
            continue;
        };
        // The length of the JS string, without copying it into wasm memory.
        if let Ok(Some(value)) = storage.unchecked_ref::<RawStorage>().get_item(&key) {
            let bytes = 2 * (key.encode_utf16().count() as u64 + u64::from(value.length()));
            if key.starts_with(KEY_PREFIX) {
                ours.insert(key, bytes);
            } else {
                others += bytes;
            }
        }
    }
    (ours, others)
}

/// What was found in storage at start-up.
#[derive(Debug, Default)]
pub struct LoadedLibrary {
    pub documents: Vec<StoredDocument>,
    pub active: Option<DocumentId>,
    /// One sentence per entry that could not be read.
    pub problems: Vec<String>,
    /// (quarantine key, description) of everything set aside, now and in earlier sessions.
    pub quarantined: Vec<(String, String)>,
    pub used_bytes: u64,
    /// Bytes other keys on this origin take.
    pub other_bytes: u64,
}

/// Moves an unreadable value to a quarantine key, then removes the original. When the copy
/// cannot be written (storage full), the original stays where it is (never lose it) and the
/// returned sentence says so; a moved value is listed with the quarantined entries instead.
fn quarantine(
    storage: &Storage,
    key: &str,
    raw: &str,
    reason: &str,
    now: Timestamp,
) -> Option<String> {
    let target = stored::quarantine_key(key, now);
    let envelope = stored::encode_quarantine(key, raw, reason, now);
    match write(storage, &target, &envelope) {
        Ok(()) => {
            let _ = remove(storage, key);
            None
        }
        Err(e) => Some(format!(
            "{key} could not be read ({reason}). It could not be moved aside either ({e}), so it was left in place, untouched."
        )),
    }
}

fn describe_quarantine(key: &str, json: &str) -> String {
    match stored::decode_quarantine(json) {
        Ok(entry) => format!(
            "{} — {} (moved aside {})",
            entry.original_key, entry.reason, entry.moved_at
        ),
        Err(_) => key.to_owned(),
    }
}

/// A document entry read with its text entry.
struct ReadDocument {
    result: Result<StoredDocument, StoredError>,
    /// The raw text entry, when it was read: moved aside with the document entry if need be.
    text_json: Option<String>,
}

/// Reads a document entry and, when it needs one, its text entry, into a document.
///
/// # Errors
/// A sentence for the user when storage refused to give the text entry: then nothing is known
/// about the document, and nothing is moved.
fn read_document(storage: &Storage, text_key: &str, json: &str) -> Result<ReadDocument, String> {
    let entry = match stored::read_document(json) {
        Ok(entry) if entry.needs_text().is_some() => entry,
        Ok(entry) => {
            return Ok(ReadDocument {
                result: entry.with_text_entry(None),
                text_json: None,
            })
        }
        Err(e) => {
            return Ok(ReadDocument {
                result: Err(e),
                text_json: None,
            })
        }
    };
    let text_json = read(storage, text_key)
        .map_err(|e| format!("{text_key} could not be read ({}).", describe(&e)))?;
    Ok(ReadDocument {
        result: entry.with_text_entry(text_json.as_deref()),
        text_json,
    })
}

/// Rewrites a document read from an older schema in the current one: its text entry first,
/// then the document entry. When a write fails the old entry is still readable, so nothing is
/// lost by trying again next time.
fn rewrite_in_current_schema(storage: &Storage, document: &StoredDocument, now: Timestamp) {
    let d = &document.document;
    if ensure_text(storage, &d.id, d.text().as_str(), document.text, now).is_err() {
        return;
    }
    let upgraded = stored::encode_document(
        d,
        document.text,
        document.saved_at,
        &document.writer,
        document.parent.as_deref(),
    );
    let _ = write(storage, &stored::document_key(&d.id), &upgraded);
}

/// A text entry that no document entry uses: moved aside once it is older than
/// [`stored::ORPHAN_TEXT_GRACE_MS`] (younger, another tab may be about to write its document
/// entry), or at once when it cannot be read at all.
fn check_orphan_text(storage: &Storage, key: &str, now: Timestamp) -> Option<String> {
    let json = storage.get_item(key).ok().flatten()?;
    let reason = match stored::decode_text(&json) {
        Ok(text) => {
            let age = now
                .unix_millis()
                .saturating_sub(text.saved_at.unix_millis());
            if age < stored::ORPHAN_TEXT_GRACE_MS {
                return None;
            }
            "no document entry uses this text (a save was interrupted before writing its \
             document, or a deletion before removing its text)"
                .to_owned()
        }
        Err(e) => format!("no document entry uses this text, and it cannot be read: {e}"),
    };
    quarantine(storage, key, &json, &reason, now)
}

/// Reads the index and every document key with its text key. Documents missing from the index
/// (a save interrupted between the document and the index write) are recovered at the end of
/// the list. Unreadable entries are moved aside under quarantine keys and reported: a document
/// entry together with its text entry, so the two can be recovered together.
pub fn load(storage: &Storage, now: Timestamp) -> LoadedLibrary {
    let mut loaded = LoadedLibrary::default();
    let mut order: Vec<String> = Vec::new();
    let index_key = stored::index_key();
    // Whether the index said which document was open (possibly none): without a readable index,
    // the recovered document saved last is opened, as it is most likely the one being worked on.
    let mut index_read = false;
    match storage.get_item(&index_key) {
        Ok(Some(json)) => match stored::decode_index(&json) {
            Ok(StoredIndex {
                documents, active, ..
            }) => {
                order = documents;
                loaded.active = active.map(|id| DocumentId::new(&id));
                index_read = true;
            }
            Err(e) => {
                loaded
                    .problems
                    .extend(quarantine(storage, &index_key, &json, &e.to_string(), now))
            }
        },
        Ok(None) => {}
        Err(e) => loaded.problems.push(format!(
            "The document list could not be read ({}).",
            describe(&e)
        )),
    }
    let keys: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .collect();
    let mut with_document = HashSet::new();
    let mut with_text = HashSet::new();
    for key in &keys {
        if let Some(id) = stored::is_document_key(key) {
            with_document.insert(id);
            if !order.iter().any(|known| known == id) {
                order.push(id.to_owned());
            }
        } else if let Some(id) = stored::is_text_key(key) {
            with_text.insert(id);
        }
    }
    for id in &order {
        let document_id = DocumentId::new(id);
        let key = stored::document_key(&document_id);
        let text_key = stored::text_key(&document_id);
        let json = match read(storage, &key) {
            Ok(Some(json)) => json,
            Ok(None) => continue,
            Err(e) => {
                loaded
                    .problems
                    .push(format!("{key} could not be read ({}).", describe(&e)));
                continue;
            }
        };
        let ReadDocument { result, text_json } = match read_document(storage, &text_key, &json) {
            Ok(read) => read,
            Err(problem) => {
                loaded.problems.push(problem);
                continue;
            }
        };
        match result {
            Ok(document) => {
                if document.migrated_from.is_some() {
                    rewrite_in_current_schema(storage, &document, now);
                }
                loaded.documents.push(document);
            }
            Err(e) => {
                let reason = e.to_string();
                if let Some(problem) = quarantine(storage, &key, &json, &reason, now) {
                    loaded.problems.push(problem);
                    continue;
                }
                // Its text goes with it: whichever of the two is damaged, the other is what
                // recovering it needs, and a text left behind would be taken for an orphan.
                let text_json = text_json.or_else(|| {
                    with_text
                        .contains(id.as_str())
                        .then(|| storage.get_item(&text_key).ok().flatten())
                        .flatten()
                });
                if let Some(text_json) = text_json {
                    let reason = format!(
                        "the document entry {key} that uses it could not be read: {reason}"
                    );
                    loaded
                        .problems
                        .extend(quarantine(storage, &text_key, &text_json, &reason, now));
                }
            }
        }
    }
    if !index_read {
        loaded.active = loaded
            .documents
            .iter()
            .max_by_key(|d| d.saved_at)
            .map(|d| d.document.id.clone());
    }
    for id in with_text.difference(&with_document) {
        let key = stored::text_key(&DocumentId::new(id));
        loaded
            .problems
            .extend(check_orphan_text(storage, &key, now));
    }
    // Listed after moving, so this session's quarantined entries are included.
    for i in 0..storage.length().unwrap_or(0) {
        let Ok(Some(key)) = storage.key(i) else {
            continue;
        };
        if stored::is_quarantine_key(&key) {
            let json = storage.get_item(&key).ok().flatten().unwrap_or_default();
            loaded
                .quarantined
                .push((key.clone(), describe_quarantine(&key, &json)));
        }
    }
    loaded.quarantined.sort();
    let (ours, others) = entry_sizes(storage);
    loaded.used_bytes = ours.values().sum();
    loaded.other_bytes = others;
    loaded
}

/// The raw value that was moved aside under `key`, exactly as it was stored.
///
/// # Errors
/// A message for the user when it cannot be read.
pub fn read_quarantined(key: &str) -> Result<String, String> {
    let storage = local_storage().map_err(|e| e.to_string())?;
    let json = storage
        .get_item(key)
        .ok()
        .flatten()
        .ok_or_else(|| "that entry is gone".to_owned())?;
    Ok(stored::decode_quarantine(&json).map_or(json, |entry| entry.raw))
}

/// File name for downloading a quarantined value.
pub fn quarantine_file_name(key: &str) -> String {
    let safe: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.txt")
}

/// Deletes a quarantined entry (the user chose to after seeing it).
///
/// # Errors
/// [`StorageError`] when storage refuses.
pub fn discard_quarantined(key: &str) -> Result<(), StorageError> {
    if !stored::is_quarantine_key(key) {
        return Ok(());
    }
    remove(&local_storage()?, key)
}
