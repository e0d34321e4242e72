//! Pure serialisation formats: the dataset formats (native JSON, JSONL, W3C Web Annotation,
//! doccano, Label Studio, brat standoff, CSV) and their detection on import. One file per format;
//! import lives beside export. The localStorage schema is not a dataset format: it is `persist`.

pub mod attach;
pub mod brat;
pub mod catalogue;
pub mod crc32;
pub mod csv;
pub mod dataset;
pub mod detect;
pub mod doccano;
pub mod job;
pub mod jsonl;
pub mod label_studio;
pub mod native;
pub mod schema_file;
pub mod w3c;
pub mod zip;
