//! One tagged span of a document.

use std::fmt;
use std::rc::Rc;

use super::annotator::Authors;
use super::attributes::Attributes;
use super::label::Label;
use super::offsets::CharRange;

/// A document-unique annotation id. `Rc<str>` so the view can clone it freely, with a hash of
/// the text kept beside it.
///
/// Finding an annotation by id compares it with every id of the document (the selected one,
/// the other ends of its relations, on every edit). Comparing the strings reads each id's heap
/// allocation: 10,000 scattered reads per search, which cost a millisecond and more of each
/// edit on the L benchmark with relations. The hash sits in the annotation itself, so a search
/// walks one contiguous list and reads a string only where the hashes agree.
#[derive(Clone, Debug)]
pub struct AnnotationId {
    text: Rc<str>,
    key: u64,
}

/// Equal when the strings are; the hashes tell almost every unequal pair apart first.
impl PartialEq for AnnotationId {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key && (Rc::ptr_eq(&self.text, &other.text) || self.text == other.text)
    }
}

impl Eq for AnnotationId {}

/// By the text, so ids sort as strings ("a10" before "a9"), as exports and storage list them.
impl Ord for AnnotationId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.text.cmp(&other.text)
    }
}

impl PartialOrd for AnnotationId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// As the string's hash, so equal ids hash alike.
impl std::hash::Hash for AnnotationId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

/// FNV-1a: a few instructions a byte, and ids are short.
fn key_of(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl AnnotationId {
    pub fn new(id: &str) -> Self {
        Self {
            text: Rc::from(id),
            key: key_of(id),
        }
    }

    /// The id for the `number`-th annotation made in a document (`a1`, `a2`, ...).
    pub fn numbered(number: u64) -> Self {
        Self::new(&format!("a{number}"))
    }

    /// The number in an id made by [`AnnotationId::numbered`].
    pub fn number(&self) -> Option<u64> {
        self.text.strip_prefix('a')?.parse().ok()
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
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
    /// Who made it and who last changed it. Provenance, not content: two annotations that
    /// differ only here tag the text alike ([`Annotation::same_tagging`]).
    pub authors: Authors,
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
            authors: Authors::default(),
        }
    }

    /// Whether both tag the text alike: the same id, span, label, attribute values and note,
    /// whoever made or changed them.
    pub fn same_tagging(&self, other: &Annotation) -> bool {
        self.id == other.id
            && self.label == other.label
            && self.range == other.range
            && self.attributes == other.attributes
            && self.note == other.note
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
