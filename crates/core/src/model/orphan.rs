//! [`Orphan`]: an annotation whose text a fix of the article changed beyond finding it again.
//! It is kept aside, with its text and the text around it as it was, until the user places it
//! on the text it belongs to or deletes it: never dropped, never moved onto other text by
//! itself.

use super::anchor::TextQuote;
use super::annotation::AnnotationId;
use super::document::Removed;

/// An annotation taken off the text with its relations (`removed`; its range is where it was in
/// the text before the fix), and what it said (`quote`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Orphan {
    pub removed: Removed,
    pub quote: TextQuote,
}

impl Orphan {
    pub fn id(&self) -> &AnnotationId {
        &self.removed.annotation.id
    }
}
