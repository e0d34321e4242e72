//! One tagged span of a document.

use std::fmt;
use std::rc::Rc;

use super::attributes::Attributes;
use super::label::Label;
use super::offsets::CharRange;

/// A document-unique annotation id. `Rc<str>` so the view can clone it freely.
#[derive(Clone, Debug, PartialOrd, Ord)]
pub struct AnnotationId(Rc<str>);

/// Equal when the strings are. Finding an annotation by id compares it with every id of the
/// document, and the ids of one document mostly share their length and first bytes ("a1041",
/// "a1042"): their last byte tells almost every pair apart without a call to `memcmp`.
impl PartialEq for AnnotationId {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0.as_bytes(), other.0.as_bytes());
        Rc::ptr_eq(&self.0, &other.0) || (a.len() == b.len() && a.last() == b.last() && a == b)
    }
}

impl Eq for AnnotationId {}

/// As the string's hash, so equal ids hash alike.
impl std::hash::Hash for AnnotationId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl AnnotationId {
    pub fn new(id: &str) -> Self {
        Self(Rc::from(id))
    }

    /// The id for the `number`-th annotation made in a document (`a1`, `a2`, ...).
    pub fn numbered(number: u64) -> Self {
        Self::new(&format!("a{number}"))
    }

    /// The number in an id made by [`AnnotationId::numbered`].
    pub fn number(&self) -> Option<u64> {
        self.0.strip_prefix('a')?.parse().ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A label on a non-empty range of code points, with its attribute values and note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    pub id: AnnotationId,
    pub label: Label,
    pub range: CharRange,
    pub attributes: Attributes,
    /// Free text; `None` rather than blank (see `super::attributes::note_of`).
    pub note: Option<Rc<str>>,
}

impl Annotation {
    /// A bare span: no attribute values, no note.
    pub fn new(id: AnnotationId, label: Label, range: CharRange) -> Self {
        Self {
            id,
            label,
            range,
            attributes: Attributes::default(),
            note: None,
        }
    }

    /// Whether it carries anything beyond its span and label.
    pub fn has_details(&self) -> bool {
        !self.attributes.is_empty() || self.note.is_some()
    }

    /// The order annotations are kept and listed in: by start, then the longer (outer) first, so
    /// that in a nest the container always comes before what it contains.
    pub fn text_order_key(&self) -> (usize, std::cmp::Reverse<usize>, &AnnotationId) {
        (
            self.range.start().get(),
            std::cmp::Reverse(self.range.end().get()),
            &self.id,
        )
    }
}
