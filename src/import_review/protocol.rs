//! What the page and the import review hand each other. Plain serde values: they cross between
//! the two wasm modules as JS values (serde-wasm-bindgen), like the schema editor's.

use annotator_core::formats::dataset::OffsetUnit;
use annotator_core::formats::detect::ImportFormat;
use annotator_core::formats::job::{Carried, ReadFailure};
use annotator_core::model::Label;
use serde::{Deserialize, Serialize};

/// What the review opens with: the files as the formats worker read them, and what of them is
/// already in this browser.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewRequest {
    /// The file (or files, for brat pairs) as the user knows them.
    pub file_name: String,
    pub format: ImportFormat,
    /// doccano's offset unit: the one the files were read with, and the guess.
    pub unit: OffsetUnit,
    pub guessed_unit: OffsetUnit,
    /// The documents, as storage encodes them, or why nothing can be imported.
    pub read: Result<Vec<Carried>, ReadFailure>,
    /// When the files were read (Unix milliseconds): a document whose format keeps no time of
    /// change carries it as its own.
    pub read_at: i64,
    /// The documents of the files that are already in the library.
    pub local: Vec<LocalCopy>,
}

/// A document of the files that the library already has (same id).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalCopy {
    pub id: String,
    /// When the local copy last changed (Unix milliseconds).
    pub modified: i64,
    /// Same text, spans, relations and notes, whatever the times say.
    pub same_content: bool,
    /// Equal in every field, times included.
    pub identical: bool,
}

/// What to do with documents of the files whose id is already in the library.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportChoice {
    /// Import them as new documents next to the local ones.
    KeepBoth,
    /// Replace the local documents with the file's.
    Replace,
    /// Import only the documents that are not here yet.
    SkipExisting,
}

/// What the user decided.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ReviewAnswer {
    /// Read the files again, doccano offsets counted in this unit.
    ReadAs(OffsetUnit),
    /// Import, custom labels mapped onto built-in ones as listed (the others stay custom).
    Import {
        choice: ImportChoice,
        mapping: Vec<(Label, Label)>,
    },
    Cancel,
}
