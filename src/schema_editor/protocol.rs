//! What the page and the schema editor module hand each other. Plain serde values: they cross
//! between the two wasm modules as JS values (serde-wasm-bindgen).

use annotator_core::formats::job::Carried;
use annotator_core::model::schema_edit::Rename;
use serde::{Deserialize, Serialize};

/// What the editor opens with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditorRequest {
    /// The schema in force, as storage encodes it.
    pub schema: String,
    /// Every document of the library: the editor shows what is in use before anything is
    /// removed, and what the documents hold that the schema lacks.
    pub documents: Vec<Carried>,
    /// Why the schema cannot be changed in this tab, if it cannot.
    pub locked: Option<String>,
}

/// What Apply hands back: the new schema (as storage encodes it) and the renames that carry
/// existing annotations along.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchemaChange {
    pub schema: String,
    pub renames: Vec<Rename>,
}
