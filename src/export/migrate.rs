//! Upgrades stored envelopes from older schema versions to [`STORE_VERSION`], one version at a
//! time, on plain [`serde_json::Value`]s, before [`super::stored`] reads them into typed structs.
//!
//! Every older schema stays readable forever: a step is never edited once released, only appended.
//! Entries written by a *newer* app ([`StoredError::NewerVersion`]) are never changed here.
//!
//! # Adding schema version N + 1
//!
//! 1. Bump [`STORE_VERSION`] to N + 1 and change the envelope structs and encoders in
//!    `stored.rs` to the new shape.
//! 2. Append one step to [`DOCUMENT_STEPS`] and one to [`INDEX_STEPS`] (an identity step such as
//!    [`unchanged`] when that envelope did not change). Step k upgrades version k to k + 1, so the
//!    new step is the last entry; the array lengths are tied to [`STORE_VERSION`], so forgetting
//!    one is a compile error. A step only reshapes the JSON: the runner checks `format` and
//!    `version` before it and writes the new `version` after it.
//! 3. Add `tests/fixtures/storage/vN+1/` with entries written by the new encoder (the
//!    `UPDATE_STORAGE_FIXTURES=1` switch in `tests/stored.rs` writes them), and keep every older
//!    fixture directory: `tests/stored.rs` checks that each one still loads.

use serde_json::Value;

use super::dataset::json_kind;
use super::stored::{StoredError, STORE_FORMAT, STORE_VERSION};

/// One upgrade: takes an envelope of version k (already known to be ours and of version k) and
/// returns it in the shape of version k + 1.
pub type Step = fn(Value) -> Result<Value, StoredError>;

/// How many steps lead from version 1 to [`STORE_VERSION`].
const STEP_COUNT: usize = STORE_VERSION as usize - 1;

/// Document envelope steps: entry k - 1 upgrades version k to k + 1.
pub const DOCUMENT_STEPS: [Step; STEP_COUNT] = [document_v1_to_v2];

/// Index envelope steps: entry k - 1 upgrades version k to k + 1.
pub const INDEX_STEPS: [Step; STEP_COUNT] = [unchanged];

/// `writer` given to documents saved before schema 2 recorded who wrote them.
pub const V1_WRITER: &str = "migrated-from-v1";

/// Upgrades a document envelope to [`STORE_VERSION`]; the second value is the version it was
/// stored in, or `None` when it already was current.
///
/// # Errors
/// [`StoredError::WrongFormat`] when it is not one of our entries, [`StoredError::Shape`] when
/// `format` or `version` is missing or `version` is 0 (or when a step finds a shape it cannot
/// upgrade), [`StoredError::NewerVersion`] for a schema newer than this app.
pub fn migrate_document(value: Value) -> Result<(Value, Option<u32>), StoredError> {
    run(value, &DOCUMENT_STEPS)
}

/// Upgrades an index envelope to [`STORE_VERSION`], like [`migrate_document`].
///
/// # Errors
/// As [`migrate_document`].
pub fn migrate_index(value: Value) -> Result<(Value, Option<u32>), StoredError> {
    run(value, &INDEX_STEPS)
}

fn run(mut value: Value, steps: &[Step]) -> Result<(Value, Option<u32>), StoredError> {
    let found = check_header(&value, STORE_FORMAT, STORE_VERSION)?;
    for version in found..STORE_VERSION {
        let step = usize::try_from(version - 1)
            .ok()
            .and_then(|k| steps.get(k))
            .ok_or_else(|| StoredError::Shape(format!("no upgrade from schema {version}")))?;
        value = step(value)?;
        let Some(object) = value.as_object_mut() else {
            return Err(StoredError::Shape(format!(
                "upgrading schema {version} did not give an object"
            )));
        };
        object.insert("version".to_owned(), Value::from(version + 1));
    }
    Ok((value, (found < STORE_VERSION).then_some(found)))
}

/// Parses stored text as JSON without assuming any shape.
///
/// # Errors
/// [`StoredError::Json`] when it is not JSON.
pub(crate) fn parse(json: &str) -> Result<Value, StoredError> {
    serde_json::from_str(json).map_err(|e| StoredError::Json(e.to_string()))
}

/// Reads `format` and `version` only, so a newer schema is recognised whatever its shape.
/// Returns the version, between 1 and `known`.
///
/// # Errors
/// [`StoredError::Shape`] when either field is missing or mistyped or the version is 0,
/// [`StoredError::WrongFormat`] for another format, [`StoredError::NewerVersion`] above `known`.
pub(crate) fn check_header(value: &Value, format: &str, known: u32) -> Result<u32, StoredError> {
    let Some(object) = value.as_object() else {
        return Err(StoredError::Shape(format!(
            "expected a JSON object, found {}",
            json_kind(value)
        )));
    };
    let found_format = match object.get("format") {
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(StoredError::Shape(format!(
                "format is {}, not a string",
                json_kind(other)
            )))
        }
        None => return Err(StoredError::Shape("no format field".to_owned())),
    };
    if found_format != format {
        return Err(StoredError::WrongFormat {
            found: found_format.clone(),
        });
    }
    let version = match object.get("version") {
        Some(v) => v
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| StoredError::Shape(format!("version {v} is not a schema number")))?,
        None => return Err(StoredError::Shape("no version field".to_owned())),
    };
    if version == 0 {
        return Err(StoredError::Shape(
            "schema version 0 does not exist".to_owned(),
        ));
    }
    if version > known {
        return Err(StoredError::NewerVersion { found: version });
    }
    Ok(version)
}

/// A step for an envelope whose shape did not change (the runner still bumps `version`).
///
/// # Errors
/// Never.
pub fn unchanged(value: Value) -> Result<Value, StoredError> {
    Ok(value)
}

/// Schema 2 records when and by which tab a document was saved. A v1 entry was last saved when
/// its document was last modified, by no tab we can name.
///
/// # Errors
/// [`StoredError::Shape`] when the v1 envelope has no `document.modified` string.
pub fn document_v1_to_v2(mut value: Value) -> Result<Value, StoredError> {
    let modified = value
        .get("document")
        .and_then(|d| d.get("modified"))
        .and_then(Value::as_str)
        .ok_or_else(|| StoredError::Shape("v1 document entry has no document.modified".into()))?
        .to_owned();
    let object = value
        .as_object_mut()
        .ok_or_else(|| StoredError::Shape("v1 document entry is not an object".into()))?;
    object.insert("saved_at".to_owned(), Value::String(modified));
    object.insert("writer".to_owned(), Value::String(V1_WRITER.to_owned()));
    Ok(value)
}
