//! The find bar (Ctrl+F over the open article), in the dialogs module (`src/bin/dialogs.rs`),
//! loaded the first time the user asks for it, so the first load does not carry it.
//!
//! The page asks for it as it asks for suggestions (`suggestion_review::protocol::Rule::Find`,
//! with the open article's text and the schema's labels); the bar is drawn in the host the page
//! keeps under the article, above the review bar, and its matches over the text as CSS
//! highlights. A match the user tags goes back to the page as an accepted suggestion (one
//! undoable edit); "Suggest all" hands every match to the review, one by one. The matching
//! itself is the core's (`annotator_core::model::search`).

pub mod bar;
pub mod state;
