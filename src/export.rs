//! Pure serialisation formats: the native dataset export and the localStorage envelope.
//! One file per format; import lives beside export.

pub mod native;
pub mod stored;
