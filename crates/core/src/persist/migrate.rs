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
//! 4. Text entries (`article-annotator:text:<id>`) exist since schema 3 and have no steps yet:
//!    [`super::stored::decode_text`] reads the current schema only. A schema that changes their
//!    shape gives them a step list like these; one that does not must still read text entries
//!    of every version since 3.
//!
//! Schema 3 moved each document's text out of its entry. A step works on one entry, so
//! [`document_v2_to_v3`] keeps the text beside the migrated envelope, under
//! [`MIGRATED_TEXT`], for the reader to take ([`take_migrated_text`]); the loader then writes it
//! to its own key when it rewrites the entry in the current schema.

use serde_json::Value;

use super::stored::{StoredError, TextFingerprint, STORE_FORMAT, STORE_VERSION};
use crate::formats::dataset::json_kind;

/// One upgrade: takes an envelope of version k (already known to be ours and of version k) and
/// returns it in the shape of version k + 1.
pub type Step = fn(Value) -> Result<Value, StoredError>;

/// How many steps lead from version 1 to [`STORE_VERSION`].
const STEP_COUNT: usize = STORE_VERSION as usize - 1;

/// Document envelope steps: entry k - 1 upgrades version k to k + 1.
pub const DOCUMENT_STEPS: [Step; STEP_COUNT] = [document_v1_to_v2, document_v2_to_v3, unchanged];

/// Index envelope steps: entry k - 1 upgrades version k to k + 1.
pub const INDEX_STEPS: [Step; STEP_COUNT] = [unchanged, unchanged, unchanged];

/// Where [`document_v2_to_v3`] leaves the text of a migrated document entry: a top-level field
/// no schema has, which only the in-memory result of a migration carries.
pub const MIGRATED_TEXT: &str = "migrated_text";

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
            .ok_or_else(|| {
                StoredError::Shape(format!("version {} is not a schema number", to_json(v)))
            })?,
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

/// A tree as JSON text (see [`print_tree`]).
pub(crate) fn to_json(value: &Value) -> String {
    let mut json = String::new();
    print_tree(value, &mut json);
    json
}

/// Prints a tree as JSON. Not `Value::to_string` (nor `{value}`): that prints a fraction with serde_json's own
/// float formatter, whose 10 KB table of powers of ten was the largest single piece of the
/// page's first load; Rust's own `Display` for `f64` (in the bundle anyway) also prints the
/// shortest text that reads back as the same number.
fn print_tree(value: &Value, out: &mut String) {
    use std::fmt::Write;
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => write!(out, "{u}"),
                (_, Some(i), _) => write!(out, "{i}"),
                // In exponent form ("1.5e0", "1e300"): the shortest digits that read back as
                // the same number, and still a fraction when it is whole.
                (_, _, Some(f)) => write!(out, "{f:e}"),
                // A number serde_json holds is one of the three.
                _ => write!(out, "null"),
            };
        }
        Value::String(text) => print_string(text, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                print_tree(item, out);
            }
            out.push(']');
        }
        Value::Object(fields) => {
            out.push('{');
            for (i, (key, item)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                print_string(key, out);
                out.push(':');
                print_tree(item, out);
            }
            out.push('}');
        }
    }
}

/// A JSON string literal, escaped by serde_json.
fn print_string(text: &str, out: &mut String) {
    out.push_str(&serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned()));
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

/// Schema 3 keeps the text under a key of its own, and names it in the document entry by its
/// [`TextFingerprint`]. The text moves to [`MIGRATED_TEXT`]. Each annotation keeps the text it
/// repeated: the reader checks it against the text, as it did in schema 2.
///
/// # Errors
/// [`StoredError::Shape`] when the v2 envelope has no `document.text` string.
pub fn document_v2_to_v3(mut value: Value) -> Result<Value, StoredError> {
    let shape = |what: &str| StoredError::Shape(format!("v2 document entry {what}"));
    let object = value
        .as_object_mut()
        .ok_or_else(|| shape("is not an object"))?;
    let document = object
        .get_mut("document")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| shape("has no document object"))?;
    let text = match document.remove("text") {
        Some(Value::String(text)) => text,
        _ => return Err(shape("has no document.text string")),
    };
    let fingerprint = TextFingerprint::of(&text);
    document.insert("text_chars".to_owned(), Value::from(fingerprint.chars));
    document.insert("text_fnv1a64".to_owned(), Value::String(fingerprint.hex()));
    object.insert(MIGRATED_TEXT.to_owned(), Value::String(text));
    Ok(value)
}

/// Takes the text [`document_v2_to_v3`] set aside out of a migrated document envelope.
///
/// # Errors
/// [`StoredError::Shape`] when there is none (the envelope was not migrated from schema 2 or
/// earlier).
pub fn take_migrated_text(value: &mut Value) -> Result<String, StoredError> {
    match value.as_object_mut().and_then(|o| o.remove(MIGRATED_TEXT)) {
        Some(Value::String(text)) => Ok(text),
        _ => Err(StoredError::Shape(
            "a migrated document entry has lost its text".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tree() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
                .prop_map(Value::from),
            "[\\u{0}-\\u{7f}é😀\"\\\\\n\r\t\u{2028}]{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("[a-z\"é]{0,5}", inner, 0..6)
                    .prop_map(|fields| Value::Object(fields.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// The printed tree reads back as the very same tree. (The tests read with serde_json's
        /// `float_roundtrip`: its default reader can land a fraction one unit off in the last
        /// place whoever printed it, and then differently for "-8542709442476433.0" and
        /// "-8.542709442476433e15".)
        #[test]
        fn printed_trees_read_back_as_the_same_tree(value in tree()) {
            let back: Value = serde_json::from_str(&to_json(&value)).unwrap();
            prop_assert_eq!(back, value);
        }
    }

    #[test]
    fn numbers_print_as_json_numbers() {
        let value: Value =
            serde_json::from_str(r#"[1, -2, 0.1, 1e300, -0.0, 18446744073709551615]"#).unwrap();
        let back: Value = serde_json::from_str(&to_json(&value)).unwrap();
        assert_eq!(back, value);
    }
}
