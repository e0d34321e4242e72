//! Upgrades stored envelopes from older schema versions to [`STORE_VERSION`], one version at a
//! time, on the typed envelope as read: every field some schema lacks is optional in it
//! ([`DocumentEnvelope`]), and a step fills in what its version adds. No `serde_json::Value`
//! tree is built: old entries are read by the very deserializer the current ones use.
//!
//! Every older schema stays readable forever: a step is never edited once released, only appended.
//! Entries written by a *newer* app ([`StoredError::NewerVersion`]) are never changed here.
//!
//! # Adding schema version N + 1
//!
//! 1. Bump [`STORE_VERSION`] to N + 1 and change the envelope structs and encoders in
//!    `stored.rs` to the new shape; a field the new schema adds is optional (or defaulted) in
//!    the envelope as read, and one it removes stays there, optional, for its step.
//! 2. Append one step to [`DOCUMENT_STEPS`] and one to [`INDEX_STEPS`] ([`unchanged`] when that
//!    envelope did not change). Step k upgrades version k to k + 1, so the new step is the last
//!    entry; the array lengths are tied to [`STORE_VERSION`], so forgetting one is a compile
//!    error. The header (`format`, `version`) is checked before the steps run.
//! 3. Add `tests/fixtures/storage/vN+1/` with entries written by the new encoder (the
//!    `UPDATE_STORAGE_FIXTURES=1` switch in `tests/stored.rs` writes them), and keep every older
//!    fixture directory: `tests/stored.rs` checks that each one still loads.
//! 4. Text entries (`article-annotator:text:<id>`) exist since schema 3 and have no steps yet:
//!    [`super::stored::decode_text`] reads the current schema only. A schema that changes their
//!    shape gives them a step list like these; one that does not must still read text entries
//!    of every version since 3.
//!
//! Schema 3 moved each document's text out of its entry: [`document_v2_to_v3`] leaves it in
//! the envelope's `document.text`, which the reader takes as the entry's own text; the loader
//! then writes it to its own key when it rewrites the entry in the current schema.

use super::stored::{DocumentEnvelope, IndexEnvelope, StoredError, TextFingerprint, STORE_VERSION};

/// One upgrade: takes an envelope of version k (already known to be ours and of version k) and
/// gives it the shape of version k + 1.
pub(crate) type Step<T> = fn(&mut T) -> Result<(), StoredError>;

/// How many steps lead from version 1 to [`STORE_VERSION`].
const STEP_COUNT: usize = STORE_VERSION as usize - 1;

/// Document envelope steps: entry k - 1 upgrades version k to k + 1.
pub(crate) const DOCUMENT_STEPS: [Step<DocumentEnvelope>; STEP_COUNT] =
    [document_v1_to_v2, document_v2_to_v3, unchanged, unchanged];

/// Index envelope steps: entry k - 1 upgrades version k to k + 1. The index has kept one
/// shape since schema 1.
pub(crate) const INDEX_STEPS: [Step<IndexEnvelope>; STEP_COUNT] =
    [unchanged, unchanged, unchanged, unchanged];

/// `writer` given to documents saved before schema 2 recorded who wrote them.
pub const V1_WRITER: &str = "migrated-from-v1";

/// Upgrades a document envelope read from schema `found` to [`STORE_VERSION`].
///
/// # Errors
/// [`StoredError::Shape`] when a step finds a shape it cannot upgrade.
pub(crate) fn upgrade_document(
    envelope: &mut DocumentEnvelope,
    found: u32,
) -> Result<(), StoredError> {
    run(envelope, found, &DOCUMENT_STEPS)
}

/// Upgrades an index envelope read from schema `found` to [`STORE_VERSION`].
///
/// # Errors
/// As [`upgrade_document`].
pub(crate) fn upgrade_index(envelope: &mut IndexEnvelope, found: u32) -> Result<(), StoredError> {
    run(envelope, found, &INDEX_STEPS)
}

fn run<T>(envelope: &mut T, found: u32, steps: &[Step<T>]) -> Result<(), StoredError> {
    for version in found..STORE_VERSION {
        let step = usize::try_from(version - 1)
            .ok()
            .and_then(|k| steps.get(k))
            .ok_or_else(|| StoredError::Shape(format!("no upgrade from schema {version}")))?;
        step(envelope)?;
    }
    Ok(())
}

/// A step for an envelope whose shape did not change.
///
/// # Errors
/// Never.
pub fn unchanged<T>(_: &mut T) -> Result<(), StoredError> {
    Ok(())
}

/// Schema 2 records when and by which tab a document was saved. A v1 entry was last saved when
/// its document was last modified, by no tab we can name.
///
/// # Errors
/// Never: `document.modified` is required in every schema.
pub(crate) fn document_v1_to_v2(envelope: &mut DocumentEnvelope) -> Result<(), StoredError> {
    envelope.saved_at = Some(envelope.document.modified.clone());
    envelope.writer = Some(V1_WRITER.to_owned());
    Ok(())
}

/// Schema 3 keeps the text under a key of its own, and names it in the document entry by its
/// [`TextFingerprint`]. The text stays in `document.text` for the reader to take. Each
/// annotation keeps the text it repeated: the reader checks it against the text, as it did in
/// schema 2.
///
/// # Errors
/// [`StoredError::Shape`] when the v2 envelope has no `document.text`.
pub(crate) fn document_v2_to_v3(envelope: &mut DocumentEnvelope) -> Result<(), StoredError> {
    let document = &mut envelope.document;
    let text = document.text.as_deref().ok_or_else(|| {
        StoredError::Shape("v2 document entry has no document.text string".to_owned())
    })?;
    let fingerprint = TextFingerprint::of(text);
    document.text_chars = Some(fingerprint.chars);
    document.text_fnv1a64 = Some(fingerprint.hex());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_one_step_per_schema_upgrade() {
        let count = usize::try_from(STORE_VERSION - 1).unwrap();
        assert_eq!(DOCUMENT_STEPS.len(), count);
        assert_eq!(INDEX_STEPS.len(), count);
    }
}
