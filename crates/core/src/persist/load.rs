//! [`load`]: what a tab finds in storage when it starts, and the repairs it makes on the way.
//!
//! Documents missing from the index (a save interrupted between the document and the index
//! write) are recovered at the end of the list. Unreadable entries are moved aside under
//! quarantine keys and reported: a document entry together with its text entry, so the two can
//! be recovered together. Entries written by a *newer* version of the app are different: this
//! tab cannot read them, but they are not damaged, so they are left exactly where and as they are
//! (never moved, rewritten or removed) and reported as read-only.

use std::collections::HashSet;

use super::schema_entry;
use super::store::{entry_bytes, Store, StoreError};
use super::stored::{self, StoredDocument, StoredError, StoredIndex, KEY_PREFIX};
use crate::model::Schema;
use crate::model::{DocumentId, Timestamp};

/// A document whose entry was saved by a newer version of the app: shown read-only, with its
/// raw entry offered for download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewerDocument {
    pub id: DocumentId,
    /// Its title when the entry still names it where this version looks, for the list.
    pub title: Option<String>,
    /// The schema version it was saved in.
    pub version: u32,
}

/// What was found in storage at start-up.
#[derive(Debug, Default)]
pub struct LoadedLibrary {
    pub documents: Vec<StoredDocument>,
    pub active: Option<DocumentId>,
    /// Documents saved by a newer version of the app, in list order: left untouched.
    pub newer: Vec<NewerDocument>,
    /// The schema version of an index saved by a newer version of the app: then the whole
    /// store is read-only for this tab (it must not write an index it cannot read).
    pub newer_index: Option<u32>,
    /// The library's label schema, when one was saved and could be read (else the caller uses
    /// the default; a damaged entry was moved aside, a newer one left alone).
    pub schema: Option<Schema>,
    /// Whether the schema entry was written by a newer version of the app: it must not be
    /// written over.
    pub newer_schema: bool,
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
    store: &mut impl Store,
    key: &str,
    raw: &str,
    reason: &str,
    now: Timestamp,
) -> Option<String> {
    let target = stored::quarantine_key(key, now);
    let envelope = stored::encode_quarantine(key, raw, reason, now);
    match store.set(&target, &envelope) {
        Ok(()) => {
            // The copy is safe; a failed removal only leaves a duplicate behind.
            let _ = store.remove(key);
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

/// Rewrites a document read from an older schema in the current one: its text entry first,
/// then the document entry. When a write fails the old entry is still readable, so nothing is
/// lost by trying again next time.
fn rewrite_in_current_schema(store: &mut impl Store, document: &StoredDocument, now: Timestamp) {
    let d = &document.document;
    let text_key = stored::text_key(&d.id);
    // Read whole, not by its prefix as a save does: a damaged text entry whose start still
    // matches would otherwise replace the good text this older entry carries. Migrating is rare.
    let held = store
        .get(&text_key)
        .ok()
        .flatten()
        .and_then(|json| stored::decode_text(&json).ok())
        .is_some_and(|text| text.fingerprint == document.text);
    if !held
        && store
            .set(&text_key, &stored::encode_text(d.text().as_str(), now))
            .is_err()
    {
        return;
    }
    let upgraded = stored::encode_document(
        d,
        document.text,
        document.saved_at,
        &document.writer,
        document.parent.as_deref(),
        &document.supersedes,
    );
    let _ = store.set(&stored::document_key(&d.id), &upgraded);
}

/// A text entry that no document entry uses: moved aside once it is older than
/// [`stored::ORPHAN_TEXT_GRACE_MS`] (younger, another tab may be about to write its document
/// entry), or at once when it cannot be read at all. One a newer app wrote is left alone.
fn check_orphan_text(store: &mut impl Store, key: &str, now: Timestamp) -> Option<String> {
    let json = store.get(key).ok().flatten()?;
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
        Err(e) if e.is_newer() => return None,
        Err(e) => format!("no document entry uses this text, and it cannot be read: {e}"),
    };
    quarantine(store, key, &json, &reason, now)
}

/// Reads the label schema entry into `loaded`: a damaged one is moved aside (the default schema
/// is used instead, and the user told), a newer one left alone.
fn load_schema(store: &mut impl Store, loaded: &mut LoadedLibrary, now: Timestamp) {
    let key = schema_entry::schema_key();
    match store.get(&key) {
        Ok(Some(json)) => match schema_entry::decode_schema(&json) {
            Ok(schema) => loaded.schema = Some(schema),
            Err(StoredError::NewerVersion { .. }) => loaded.newer_schema = true,
            Err(_) if loaded.newer_index.is_some() => loaded.newer_schema = true,
            Err(e) => {
                let reason = e.to_string();
                loaded.problems.push(format!(
                    "The label schema could not be read ({reason}); the default schema is used."
                ));
                loaded
                    .problems
                    .extend(quarantine(store, &key, &json, &reason, now));
            }
        },
        Ok(None) => {}
        Err(e) => loaded
            .problems
            .push(format!("The label schema could not be read ({e}).")),
    }
}

/// Reads the index and every document with its text; see the module documentation.
pub fn load(store: &mut impl Store, now: Timestamp) -> LoadedLibrary {
    let mut loaded = LoadedLibrary::default();
    let mut order: Vec<String> = Vec::new();
    let index_key = stored::index_key();
    // Whether the index said which document was open (possibly none): without a readable index,
    // the recovered document saved last is opened, as it is most likely the one being worked on.
    let mut index_read = false;
    match store.get(&index_key) {
        Ok(Some(json)) => match stored::decode_index(&json) {
            Ok(StoredIndex {
                documents, active, ..
            }) => {
                // A damaged index may name a document twice: it is loaded once.
                for id in documents {
                    if !order.contains(&id) {
                        order.push(id);
                    }
                }
                loaded.active = active.map(|id| DocumentId::new(&id));
                index_read = true;
            }
            Err(StoredError::NewerVersion { found }) => loaded.newer_index = Some(found),
            Err(e) => {
                let reason = e.to_string();
                loaded
                    .problems
                    .extend(quarantine(store, &index_key, &json, &reason, now))
            }
        },
        Ok(None) => {}
        Err(e) => loaded
            .problems
            .push(format!("The document list could not be read ({e}).")),
    }
    load_schema(store, &mut loaded, now);
    let keys = store.keys();
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
        let json = match store.get(&key) {
            Ok(Some(json)) => json,
            Ok(None) => continue,
            Err(e) => {
                loaded
                    .problems
                    .push(format!("{key} could not be read ({e})."));
                continue;
            }
        };
        let (result, text_json) = match stored::read_document(&json) {
            Ok(entry) if entry.needs_text().is_some() => match store.get(&text_key) {
                Ok(text_json) => (entry.with_text_entry(text_json.as_deref()), text_json),
                Err(e) => {
                    // Nothing is known about the document: nothing is moved.
                    loaded
                        .problems
                        .push(format!("{text_key} could not be read ({e})."));
                    continue;
                }
            },
            Ok(entry) => (entry.with_text_entry(None), None),
            Err(e) => (Err(e), None),
        };
        // An entry naming another document than its key does would be saved back under that
        // other key, leaving two entries for one document: it is damaged.
        let result = result.and_then(|document| match document.document.id.as_str() == id {
            true => Ok(document),
            false => Err(StoredError::Shape(format!(
                "it is stored under the key of document {id} but holds document {}",
                document.document.id
            ))),
        });
        match result {
            Ok(document) => {
                if document.migrated_from.is_some() && loaded.newer_index.is_none() {
                    rewrite_in_current_schema(store, &document, now);
                }
                loaded.documents.push(document);
            }
            Err(StoredError::NewerVersion { found }) => loaded.newer.push(NewerDocument {
                id: document_id,
                title: stored::newer_entry_title(&json),
                version: found,
            }),
            Err(_) if loaded.newer_index.is_some() => {
                // A newer app may lay entries out differently: what looks damaged to this
                // version may not be, and a read-only store moves nothing.
                loaded.problems.push(format!(
                    "{key} could not be read by this version of the app; it was left in place."
                ));
            }
            Err(e) => {
                let reason = e.to_string();
                if let Some(problem) = quarantine(store, &key, &json, &reason, now) {
                    loaded.problems.push(problem);
                    continue;
                }
                // Its text goes with it: whichever of the two is damaged, the other is what
                // recovering it needs, and a text left behind would be taken for an orphan.
                let text_json = text_json.or_else(|| {
                    with_text
                        .contains(id.as_str())
                        .then(|| store.get(&text_key).ok().flatten())
                        .flatten()
                });
                if let Some(text_json) = text_json {
                    let reason = format!(
                        "the document entry {key} that uses it could not be read: {reason}"
                    );
                    loaded
                        .problems
                        .extend(quarantine(store, &text_key, &text_json, &reason, now));
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
    if loaded.newer_index.is_none() {
        for id in with_text.difference(&with_document) {
            let key = stored::text_key(&DocumentId::new(id));
            loaded.problems.extend(check_orphan_text(store, &key, now));
        }
    }
    // Listed after moving, so this session's quarantined entries are included.
    for key in store.keys() {
        if stored::is_quarantine_key(&key) {
            let json = store.get(&key).ok().flatten().unwrap_or_default();
            loaded
                .quarantined
                .push((key.clone(), describe_quarantine(&key, &json)));
        }
    }
    loaded.quarantined.sort();
    let (ours, others) = entry_sizes(store);
    loaded.used_bytes = ours.iter().map(|(_, bytes)| bytes).sum();
    loaded.other_bytes = others;
    loaded
}

/// Sizes of every key of the store: ours one by one, everyone else's (other apps served from
/// the same origin share the quota) as one sum. Read at start-up and after a failed save.
pub fn entry_sizes(store: &impl Store) -> (Vec<(String, u64)>, u64) {
    let mut ours = Vec::new();
    let mut others = 0;
    for key in store.keys() {
        let Some(units) = store.units(&key) else {
            continue;
        };
        let bytes = entry_bytes(&key, "") + 2 * units;
        if key.starts_with(KEY_PREFIX) {
            ours.push((key, bytes));
        } else {
            others += bytes;
        }
    }
    (ours, others)
}

/// The value of a document entry exactly as stored, for downloading an entry this version
/// cannot read (a newer one), or the raw value that was moved aside under a quarantine `key`.
///
/// # Errors
/// A message for the user when it cannot be read.
pub fn raw_entry(store: &impl Store, key: &str) -> Result<String, String> {
    let json = store
        .get(key)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| "that entry is gone".to_owned())?;
    if stored::is_quarantine_key(key) {
        return Ok(stored::decode_quarantine(&json).map_or(json, |entry| entry.raw));
    }
    Ok(json)
}

/// File name for downloading a stored or quarantined value.
pub fn raw_entry_file_name(key: &str) -> String {
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

/// Deletes a quarantined entry (the user chose to after seeing it). Any other key is left.
///
/// # Errors
/// [`StoreError`] when storage refuses.
pub fn discard_quarantined(store: &mut impl Store, key: &str) -> Result<(), StoreError> {
    if !stored::is_quarantine_key(key) {
        return Ok(());
    }
    store.remove(key)
}
