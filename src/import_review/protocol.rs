//! What the page and the dialogs module hand each other for an import. The page hands the module
//! the picked or dropped files; the module reads them, has its formats worker detect and parse
//! them, and asks the page for its copies of the documents read (their ids → their [`Carried`]
//! copies), to tell the user which are already here. When the user is done the module hands
//! back how the import ended ([`ImportEnd`]): the finished documents, labels already mapped,
//! which the page places in the library. Plain serde values: they cross between the two wasm
//! modules as JS values (serde-wasm-bindgen).

use annotator_core::formats::job::Carried;
use annotator_core::model::Document;
use serde::{Deserialize, Serialize};

/// The library's copy of a document of the files (same id), to compare with the file's copy
/// as the user maps its labels.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalCopy {
    pub id: String,
    pub document: Document,
}

/// What to do with documents of the files whose id is already in the library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportChoice {
    /// Import them as new documents next to the local ones.
    KeepBoth,
    /// Replace the local documents with the file's.
    Replace,
    /// Import only the documents that are not here yet.
    SkipExisting,
}

/// The documents the user chose to import, ready to be placed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Imported {
    /// The files and their format as the notice names them: “a.jsonl” (JSONL).
    pub source: String,
    /// The documents to add, custom labels already mapped as the user chose; those the library
    /// already has were left out ("Import only new ones") or given fresh ids ("Keep both")
    /// unless they are to replace the library's copies.
    pub documents: Vec<Carried>,
    /// Whether a document the library already has replaces its copy ("Replace local copies").
    pub replace: bool,
    /// Documents left out because the library has them.
    pub skipped: u32,
    /// Spans merged into another of the same place and label: held twice by the files, or made
    /// identical by the label mapping.
    pub merged_spans: u32,
    /// The one document holds spans to add to the library's article of its id (a W3C file's
    /// quotes attached to it), not a document to place.
    #[serde(default)]
    pub attach: bool,
}

/// Asked for as the only id, the page answers with every article of the library, the open one
/// first: the articles a file's quotes may be attached to.
pub const EVERY_ARTICLE: &str = "*";

/// How an import ended. It crosses as the `Imported` (serde-wasm-bindgen), the failure's
/// message as a string, or `undefined` when cancelled: the page then reads one struct, not an
/// enum of three.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportEnd {
    Imported(Imported),
    /// The user closed the review (or the file was refused and they read why).
    Cancelled,
    /// Nothing could be read: the message for the user.
    Failed(String),
}
