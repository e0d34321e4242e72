//! Pure serialisation formats: the native dataset export and the localStorage envelope
//! (with the migration of older stored schemas).
//! One file per format; import lives beside export.

pub mod dataset;
pub mod migrate;
pub mod native;
pub mod stored;
