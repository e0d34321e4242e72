//! Pure serialisation formats: the dataset formats (native JSON, JSONL, W3C Web Annotation,
//! doccano, Label Studio, brat standoff, CSV), their detection on import, and the localStorage
//! envelope (with the migration of older stored schemas). One file per format; import lives
//! beside export.

pub mod brat;
pub mod crc32;
pub mod csv;
pub mod dataset;
pub mod detect;
pub mod doccano;
pub mod formats;
pub mod jsonl;
pub mod label_studio;
pub mod migrate;
pub mod native;
pub mod stored;
pub mod w3c;
pub mod zip;
