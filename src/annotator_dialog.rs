//! The annotator's name, in the dialogs module (`src/bin/dialogs.rs`): set or changed from the
//! toolbar's Annotator button, and asked once before the first export (an export is what a
//! team compares, so that is when a name matters). The name itself is kept by
//! `browser::annotator_name`, which tells the page.

pub mod dialog;
pub mod mount;
