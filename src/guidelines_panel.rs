//! The corpus's guidelines beside the article, in the dialogs module (`src/bin/dialogs.rs`),
//! loaded the first time the user opens them. The page keeps the Guidelines button and the box
//! the panel is drawn in, at the top of the side panel; it hands over the schema (whose
//! `guidelines` they are, as storage encodes it), the label of the selected annotation (the
//! panel opens at its section) and why the schema cannot be changed, if it cannot. What the
//! user saves goes back as the new text, which the page keeps in the schema: stored with it,
//! exported and imported with it.
//!
//! The text is Markdown-like (`annotator_core::model::guidelines`) and drawn as text nodes,
//! never as HTML.

pub mod mount;
pub mod panel;
