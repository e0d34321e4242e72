//! The library's label schema in storage: one entry, `article-annotator:schema`, in the same
//! versioned envelope as the documents (see [`super::stored`]). Written when the user changes the
//! schema; a library that never did has no entry and uses [`Schema::default`].

use super::header::{check_header, shape_error};
use super::store::{Store, StoreError};
use super::stored::{StoredError, KEY_PREFIX, STORE_FORMAT, STORE_VERSION};
use crate::formats::schema_file::{self, SchemaRecord};
use crate::model::Schema;
use serde::{Deserialize, Serialize};

/// The first storage schema with a label schema entry.
pub const SCHEMA_ENTRY_SINCE: u32 = 4;
/// The version schema entries are written in: their shape has not changed since schema 4, and
/// keeping the number lets a tab of an older version still show the library's labels (schema 5
/// changed document entries only).
pub const SCHEMA_ENTRY_VERSION: u32 = 4;

pub fn schema_key() -> String {
    format!("{KEY_PREFIX}schema")
}

#[derive(Serialize, Deserialize)]
struct SchemaEnvelope {
    format: String,
    version: u32,
    schema: SchemaRecord,
}

pub fn encode_schema(schema: &Schema) -> String {
    let envelope = SchemaEnvelope {
        format: STORE_FORMAT.to_owned(),
        version: SCHEMA_ENTRY_VERSION,
        schema: schema_file::to_record(schema),
    };
    serde_json::to_string(&envelope).unwrap_or_default()
}

/// Reads the schema entry.
///
/// # Errors
/// [`StoredError::NewerVersion`] for an entry a newer app wrote (leave it alone), another
/// [`StoredError`] for a damaged one.
pub fn decode_schema(json: &str) -> Result<Schema, StoredError> {
    let envelope = match serde_json::from_str::<SchemaEnvelope>(json) {
        Ok(envelope)
            if envelope.format == STORE_FORMAT
                && (SCHEMA_ENTRY_SINCE..=STORE_VERSION).contains(&envelope.version) =>
        {
            envelope
        }
        parsed => {
            let version = check_header(json, STORE_FORMAT, STORE_VERSION)?;
            if version < SCHEMA_ENTRY_SINCE {
                return Err(StoredError::Shape(format!(
                    "schema {version} had no label schema entry"
                )));
            }
            parsed.map_err(|e| shape_error(&e))?
        }
    };
    schema_file::from_record(envelope.schema).map_err(|e| StoredError::Shape(e.to_string()))
}

/// Writes the schema entry.
///
/// # Errors
/// The store's [`StoreError`]; the entry stored before is then kept.
pub fn save_schema(store: &mut impl Store, schema: &Schema) -> Result<(), StoreError> {
    store.set(&schema_key(), &encode_schema(schema))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::MemoryStore;

    #[test]
    fn a_saved_schema_reads_back() {
        let mut schema = Schema::default();
        schema.labels[0].key = Some('1');
        let mut store = MemoryStore::default();
        save_schema(&mut store, &schema).unwrap();
        let json = store.get(&schema_key()).unwrap().unwrap();
        assert_eq!(decode_schema(&json).unwrap(), schema);
        assert!(decode_schema("{").is_err());
        let newer = json.replace("\"version\":4", "\"version\":99");
        assert!(matches!(
            decode_schema(&newer),
            Err(StoredError::NewerVersion { found: 99 })
        ));
    }
}
