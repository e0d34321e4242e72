//! Suggestions and their review, in the dialogs module (`src/bin/dialogs.rs`), loaded the first
//! time the user asks for suggestions, so the first load does not carry them.
//!
//! The page asks for a suggester to run ([`protocol::SuggestRequest`]: "Tag all" at once, or
//! the Suggest dialog with its quotes, speakers and dictionary) and hands over the articles'
//! texts and what they have tagged. The lists live here, per article, never saved. After each of
//! its renders the page says where the open article is ([`session::show`]): the review bar is
//! drawn in the host under it and the suggestions over its text, as CSS highlights (dashed, no
//! fill; the one under review marked), never as elements. What the user accepts goes back to the
//! page as [`protocol::Accepted`] spans, which it tags in one undoable edit.

pub mod bar;
pub mod near_view;
pub mod panel;
pub mod protocol;
pub mod session;
