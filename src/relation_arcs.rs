//! Relations drawn over the article as arcs with their type in words: the selected annotation's
//! (so a link is seen the moment it is made), or, with "Show all relations" on, every relation
//! with both ends in view. Only those: drawing every relation of a long article is the hairball
//! other tools are known for.
//!
//! This is the arcs overlay of the dialogs module (`src/bin/dialogs.rs`), loaded the first time
//! an open article has relations, so the first load does not carry it. The page
//! (`components::relation_arcs`) hands it what to draw after each change
//! ([`protocol::ArcsRequest`]); the overlay measures the highlights and draws the SVG itself.
//!
//! The arcs live in an SVG beside the article (never inside it: the article's text must stay
//! exactly the document's), in the same scrolling box, so they move with the text without being
//! redrawn on scroll. They are laid out again, in the next animation frame, when the page asks,
//! when the window is resized (lines wrap differently), and, with everything shown, as the
//! reader scrolls (other relations come into view). The drawing is for the eye only
//! (`aria-hidden`): the side panel says the same in words.

pub mod layout;
pub mod mount;
pub mod protocol;
pub mod svg;
