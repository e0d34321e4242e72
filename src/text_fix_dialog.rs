//! Fixing an article's text, in the dialogs module (`src/bin/dialogs.rs`), loaded the first
//! time the user opens "Fix text…", so the first load does not carry it.
//!
//! The page hands over the open document (as storage's entries). The dialog edits its text;
//! applying computes where each annotation goes (`annotator_core::model::text_fix`) and, when
//! some would lose their text, says which before anything changes. It lists the document's
//! orphans, each with the words around where it was to select its place in, and the places its
//! exact text still occurs. Every change goes back to the page, which makes it one undoable
//! edit; the dialog keeps its own copy in step.

pub mod dialog;
pub mod mount;
pub mod orphan_item;
