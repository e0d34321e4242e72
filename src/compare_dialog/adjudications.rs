//! Adjudications in progress, kept in the browser's localStorage by the dialogs module (one
//! entry per article and pair of annotators, `annotator_core::agreement::adjudication_record`),
//! so a reload or closing the dialog loses no decision. Their keys are outside the library's
//! `article-annotator:` prefix: the page's storage never reads them as articles.

use annotator_core::agreement::adjudication_record::{AdjudicationRecord, CodingRecord};
use annotator_core::model::hash::fnv1a64;

const PREFIX: &str = "article-annotator-adjudication:";
/// The adjudicator's name, asked once and kept.
const ADJUDICATOR: &str = "article-annotator-adjudicator";

fn storage() -> Result<web_sys::Storage, String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or_else(|| "this browser keeps no local storage here".to_owned())
}

/// The key of the adjudication of `text` between annotators `names` whose work is `codings`
/// (as stored): files exported again with other spans start an adjudication of their own, and
/// the earlier one stays listed until discarded.
pub fn key_of(text: &str, names: &[String; 2], codings: &[CodingRecord; 2]) -> String {
    let work = serde_json::to_string(codings).unwrap_or_default();
    format!(
        "{PREFIX}{:016x}:{:016x}:{}:{}",
        fnv1a64(text.bytes()),
        fnv1a64(work.bytes()),
        names[0],
        names[1]
    )
}

/// Every stored adjudication: its key and its record, or its key and why it cannot be read.
pub fn stored() -> Vec<(String, Result<AdjudicationRecord, String>)> {
    let Ok(storage) = storage() else {
        return Vec::new();
    };
    let count = storage.length().unwrap_or(0);
    let mut found: Vec<(String, Result<AdjudicationRecord, String>)> = (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(PREFIX))
        .map(|key| {
            let record = storage
                .get_item(&key)
                .ok()
                .flatten()
                .ok_or_else(|| "gone".to_owned())
                .and_then(|json| AdjudicationRecord::read(&json).map(|(record, _)| record));
            (key, record)
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// Reads one stored adjudication.
pub fn load(key: &str) -> Result<String, String> {
    storage()?
        .get_item(key)
        .ok()
        .flatten()
        .ok_or_else(|| "it is no longer stored".to_owned())
}

/// Keeps `record` under `key`.
///
/// # Errors
/// A message for the user when storage refuses it (full, or not allowed).
pub fn save(key: &str, record: &AdjudicationRecord) -> Result<(), String> {
    storage()?.set_item(key, &record.write()).map_err(|_| {
        "the decisions could not be saved in this browser (its storage may be full); download the gold file to keep them".to_owned()
    })
}

pub fn remove(key: &str) {
    if let Ok(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

/// The adjudicator's name as last given, else the annotator's name this browser works under
/// (`browser::annotator_name`), else empty.
pub fn adjudicator() -> String {
    storage()
        .ok()
        .and_then(|s| s.get_item(ADJUDICATOR).ok().flatten())
        .filter(|name| !name.trim().is_empty())
        .or_else(|| {
            crate::browser::annotator_name::read()
                .name()
                .map(|name| name.as_str().to_owned())
        })
        .unwrap_or_default()
}

pub fn set_adjudicator(name: &str) {
    if let Ok(storage) = storage() {
        let _ = storage.set_item(ADJUDICATOR, name.trim());
    }
}
