//! Pure serialisation formats: the native dataset export and the localStorage envelope
//! (with the migration of older stored schemas).
//! One file per format; import lives beside export.

pub mod brat;
pub mod csv;
pub mod dataset;
pub mod doccano;
pub mod jsonl;
pub mod label_studio;
pub mod migrate;
pub mod native;
pub mod stored;
pub mod w3c;
pub mod zip;
