//! The label schema as JSON: a file of its own (`*.schema.json`, exported and imported from the
//! settings view) and the `schema` member of a native export.
//!
//! ```json
//! {"format": "article-annotator-schema", "version": 1,
//!  "labels": [{"name": "quote", "colour": "#1769aa", "key": "q",
//!              "attributes": [{"name": "type", "values": ["direct", "indirect", "mixed"]}]}],
//!  "relations": [{"name": "said_by", "key": "s", "from": ["quote"], "to": ["entity"],
//!                 "reading_order": false}]}
//! ```
//!
//! An attribute with no `values` is free text; a relation with empty `from` (or `to`) accepts any
//! label there.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::model::schema::{
    parse_key, AttributeSpec, Colour, LabelSpec, RelationSpec, SchemaError,
};
use crate::model::word_snap::SnapRule;
use crate::model::{Label, RelationKind, Schema};

pub const FORMAT: &str = "article-annotator-schema";
pub const VERSION: u32 = 1;
/// The file name suffix of an exported schema.
pub const SUFFIX: &str = ".schema.json";

/// The schema's labels and relation types, as the schema file and the native format write them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaRecord {
    pub labels: Vec<LabelRecord>,
    #[serde(default)]
    pub relations: Vec<RelationRecord>,
    /// The annotation guidelines (Markdown-like); left out when there are none, and files from
    /// before them read as none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub guidelines: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelRecord {
    pub name: String,
    pub colour: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default)]
    pub attributes: Vec<AttributeRecord>,
    /// Files from before snapping read as the default, whole words.
    #[serde(default, skip_serializing_if = "SnapRule::is_default")]
    pub snap: SnapRule,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeRecord {
    pub name: String,
    #[serde(default)]
    pub values: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationRecord {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default)]
    pub from: Vec<String>,
    #[serde(default)]
    pub to: Vec<String>,
    #[serde(default)]
    pub reading_order: bool,
}

#[derive(Serialize, Deserialize)]
struct SchemaFile {
    format: String,
    version: u32,
    #[serde(flatten)]
    schema: SchemaRecord,
}

/// Why a schema file (or a native file's `schema`) cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SchemaFileError {
    #[error("not a schema file: {0}")]
    Json(String),
    #[error("format is {found:?}, expected {FORMAT:?}")]
    WrongFormat { found: String },
    #[error("schema version {found} is not supported (this app reads version {VERSION})")]
    UnsupportedVersion { found: u32 },
    #[error("{0}")]
    Schema(#[from] SchemaError),
}

pub fn to_record(schema: &Schema) -> SchemaRecord {
    let key = |k: Option<char>| k.map(String::from);
    SchemaRecord {
        labels: schema
            .labels
            .iter()
            .map(|spec| LabelRecord {
                name: spec.label.as_str().to_owned(),
                colour: spec.colour.as_str().to_owned(),
                key: key(spec.key),
                attributes: spec
                    .attributes
                    .iter()
                    .map(|a| AttributeRecord {
                        name: a.name.to_string(),
                        values: a.values.iter().map(|v| v.to_string()).collect(),
                    })
                    .collect(),
                snap: spec.snap,
            })
            .collect(),
        relations: schema
            .relations
            .iter()
            .map(|spec| RelationRecord {
                name: spec.kind.as_str().to_owned(),
                key: key(spec.key),
                from: spec.from.iter().map(|l| l.as_str().to_owned()).collect(),
                to: spec.to.iter().map(|l| l.as_str().to_owned()).collect(),
                reading_order: spec.reading_order,
            })
            .collect(),
        guidelines: schema.guidelines.clone(),
    }
}

/// Reads a record back, checking every name, key and colour ([`Schema::check`]).
///
/// # Errors
/// [`SchemaError`] naming the first problem.
pub fn from_record(record: SchemaRecord) -> Result<Schema, SchemaError> {
    let name = |e: crate::model::label::InvalidLabel| SchemaError::Name(e.to_string());
    let labels = |names: Vec<String>| -> Result<Vec<Label>, SchemaError> {
        names
            .iter()
            .map(|n| Label::parse_any(n).map_err(name))
            .collect()
    };
    let mut schema = Schema {
        labels: Vec::with_capacity(record.labels.len()),
        relations: Vec::with_capacity(record.relations.len()),
        guidelines: record.guidelines,
    };
    for label in record.labels {
        schema.labels.push(LabelSpec {
            label: Label::parse_any(&label.name).map_err(name)?,
            colour: Colour::parse(&label.colour)?,
            key: parse_key(label.key.as_deref().unwrap_or(""))?,
            attributes: label
                .attributes
                .into_iter()
                .map(|a| AttributeSpec {
                    name: Rc::from(a.name),
                    values: a.values.into_iter().map(Rc::from).collect(),
                })
                .collect(),
            snap: label.snap,
        });
    }
    for relation in record.relations {
        schema.relations.push(RelationSpec {
            kind: RelationKind::parse(&relation.name).map_err(name)?,
            key: parse_key(relation.key.as_deref().unwrap_or(""))?,
            from: labels(relation.from)?,
            to: labels(relation.to)?,
            reading_order: relation.reading_order,
        });
    }
    schema.check()?;
    Ok(schema)
}

/// The schema as its own file (pretty-printed: people read and edit these).
pub fn export(schema: &Schema) -> String {
    let file = SchemaFile {
        format: FORMAT.to_owned(),
        version: VERSION,
        schema: to_record(schema),
    };
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// Reads a schema file.
///
/// # Errors
/// [`SchemaFileError`] naming the problem.
pub fn import(json: &str) -> Result<Schema, SchemaFileError> {
    let file: SchemaFile =
        serde_json::from_str(json).map_err(|e| SchemaFileError::Json(e.to_string()))?;
    if file.format != FORMAT {
        return Err(SchemaFileError::WrongFormat { found: file.format });
    }
    if file.version != VERSION {
        return Err(SchemaFileError::UnsupportedVersion {
            found: file.version,
        });
    }
    Ok(from_record(file.schema)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_schema_round_trips() {
        let schema = Schema::default();
        schema.check().unwrap();
        assert_eq!(import(&export(&schema)).unwrap(), schema);
    }

    #[test]
    fn bad_schemas_are_refused_with_the_reason() {
        let mut record = to_record(&Schema::default());
        record.labels[1].key = Some("q".into());
        let error = from_record(record).unwrap_err().to_string();
        assert!(error.contains("'q'"), "{error}");
        let mut record = to_record(&Schema::default());
        record.labels[0].colour = "red; x".into();
        assert!(matches!(
            from_record(record),
            Err(SchemaError::BadColour(_))
        ));
        assert!(matches!(
            import("{\"format\":\"x\",\"version\":1,\"labels\":[]}"),
            Err(SchemaFileError::WrongFormat { .. })
        ));
        assert!(matches!(import("[]"), Err(SchemaFileError::Json(_))));
    }
}
