//! Who annotated: the name a person works under ([`AnnotatorName`]), and who made and who last
//! changed each annotation ([`Authors`]).
//!
//! A name is whatever the person chose ("ann", "Dana Ruiz", "coder-07"): one clean line, short
//! enough to sit in a list column. Names are compared exactly; agreement between annotators is
//! worked out between files, so a name here is provenance, not a login.

use std::fmt;
use std::rc::Rc;

/// The longest annotator name, in code points.
pub const MAX_ANNOTATOR_CHARS: usize = 64;

/// Why a name cannot be an annotator's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidAnnotator {
    #[error("an annotator name cannot be empty")]
    Empty,
    #[error("an annotator name is at most {MAX_ANNOTATOR_CHARS} characters")]
    TooLong,
    #[error("an annotator name is one line, without control characters")]
    ControlCharacter,
    #[error("an annotator name cannot contain a comma (lists of annotators are comma-separated)")]
    Comma,
}

/// A checked annotator name: non-empty, at most [`MAX_ANNOTATOR_CHARS`], no control characters,
/// no surrounding whitespace (it is trimmed by [`AnnotatorName::parse`]), and no comma: a span
/// several annotators had names them all in one value, "ann, bob" (see
/// `super::same_spans::ANNOTATORS`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AnnotatorName(Rc<str>);

impl AnnotatorName {
    /// Reads a name as typed or as found in a file: surrounding whitespace is dropped.
    ///
    /// # Errors
    /// [`InvalidAnnotator`] naming the problem.
    pub fn parse(name: &str) -> Result<Self, InvalidAnnotator> {
        let name = name.trim();
        if name.is_empty() {
            return Err(InvalidAnnotator::Empty);
        }
        if name.chars().count() > MAX_ANNOTATOR_CHARS {
            return Err(InvalidAnnotator::TooLong);
        }
        if name.chars().any(char::is_control) {
            return Err(InvalidAnnotator::ControlCharacter);
        }
        if name.contains(',') {
            return Err(InvalidAnnotator::Comma);
        }
        Ok(Self(Rc::from(name)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AnnotatorName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who made an annotation and who last changed it (its label, an attribute value or its note).
/// `None` where nobody is known: annotations made before a name was set, or imported from a file
/// that does not say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Authors {
    pub made_by: Option<AnnotatorName>,
    pub changed_by: Option<AnnotatorName>,
}

impl Authors {
    /// An annotation just made by `by`: made and last changed by them.
    pub fn made(by: Option<&AnnotatorName>) -> Self {
        Self {
            made_by: by.cloned(),
            changed_by: by.cloned(),
        }
    }

    /// Whether anybody is known.
    pub fn is_empty(&self) -> bool {
        self.made_by.is_none() && self.changed_by.is_none()
    }

    /// Who last changed it: the changer, or else the maker.
    pub fn last(&self) -> Option<&AnnotatorName> {
        self.changed_by.as_ref().or(self.made_by.as_ref())
    }
}

/// The one annotator who made every annotation a name is known for, when there is exactly one
/// (a file one person exported); `None` when nobody is named or several are.
pub fn sole_maker<'a>(
    annotations: impl IntoIterator<Item = &'a super::Annotation>,
) -> Option<&'a AnnotatorName> {
    let mut makers = annotations
        .into_iter()
        .filter_map(|a| a.authors.made_by.as_ref());
    let first = makers.next()?;
    makers.all(|name| name == first).then_some(first)
}

/// `document` with `by` recorded as who made (and, where nobody is known, who last changed) each
/// annotation nobody is known to have made: the work done in this browser before a name was
/// set, when its person says it is theirs. `None` when every annotation names its maker.
pub fn sign_unnamed(
    document: &super::Document,
    by: &AnnotatorName,
    now: super::Timestamp,
) -> Option<super::Document> {
    if unnamed(document) == 0 {
        return None;
    }
    let mut signed = document.clone();
    let mut done = super::schema_edit::Renamed::default();
    signed.edit_annotations(
        now,
        |a| {
            let unsigned = a.authors.made_by.is_none();
            if unsigned {
                a.authors.made_by = Some(by.clone());
                a.authors.changed_by.get_or_insert_with(|| by.clone());
            }
            unsigned
        },
        &mut done,
    );
    Some(signed)
}

/// How many annotations of `document` nobody is known to have made.
pub fn unnamed(document: &super::Document) -> usize {
    document
        .annotations()
        .iter()
        .filter(|a| a.authors.made_by.is_none())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_and_checked() {
        assert_eq!(
            AnnotatorName::parse("  Dana Ruiz ").unwrap().as_str(),
            "Dana Ruiz"
        );
        assert_eq!(AnnotatorName::parse(" \t"), Err(InvalidAnnotator::Empty));
        assert_eq!(
            AnnotatorName::parse(&"é".repeat(MAX_ANNOTATOR_CHARS)).map(|n| n.as_str().len()),
            Ok(2 * MAX_ANNOTATOR_CHARS)
        );
        assert_eq!(
            AnnotatorName::parse(&"x".repeat(MAX_ANNOTATOR_CHARS + 1)),
            Err(InvalidAnnotator::TooLong)
        );
        assert_eq!(
            AnnotatorName::parse("ann\nbob"),
            Err(InvalidAnnotator::ControlCharacter)
        );
        assert_eq!(
            AnnotatorName::parse("Ruiz, Dana"),
            Err(InvalidAnnotator::Comma)
        );
        assert_eq!(AnnotatorName::parse("👩🏽‍💻 李").unwrap().as_str(), "👩🏽‍💻 李");
    }

    #[test]
    fn the_last_to_change_is_the_changer_or_else_the_maker() {
        let ann = AnnotatorName::parse("ann").unwrap();
        let bob = AnnotatorName::parse("bob").unwrap();
        assert_eq!(Authors::made(Some(&ann)).last(), Some(&ann));
        let changed = Authors {
            made_by: Some(ann.clone()),
            changed_by: Some(bob.clone()),
        };
        assert_eq!(changed.last(), Some(&bob));
        let legacy = Authors {
            made_by: None,
            changed_by: Some(bob.clone()),
        };
        assert_eq!(legacy.last(), Some(&bob));
        assert!(Authors::made(None).is_empty());
    }

    #[test]
    fn a_sole_maker_is_the_one_name_every_named_annotation_has() {
        use crate::model::{Annotation, AnnotationId, CharRange, Label};
        let made = |by: Option<&str>| Annotation {
            authors: Authors::made(by.map(|n| AnnotatorName::parse(n).unwrap()).as_ref()),
            ..Annotation::new(
                AnnotationId::new("a1"),
                Label::Quote,
                CharRange::from_raw(0, 1).unwrap(),
            )
        };
        let ann = [made(Some("ann")), made(None), made(Some("ann"))];
        assert_eq!(sole_maker(&ann).map(AnnotatorName::as_str), Some("ann"));
        assert_eq!(sole_maker(&[made(Some("ann")), made(Some("bob"))]), None);
        assert_eq!(sole_maker(&[made(None)]), None);
        assert_eq!(sole_maker(&[]), None);
    }

    #[test]
    fn signing_names_only_the_annotations_nobody_made() {
        use crate::model::{ArticleText, CharRange, Document, DocumentId, Label, Timestamp};
        let ann = AnnotatorName::parse("ann").unwrap();
        let bob = AnnotatorName::parse("bob").unwrap();
        let mut document = Document::new(
            DocumentId::new("d"),
            "T".into(),
            ArticleText::normalize("北京 😀 and more"),
            Timestamp::from_unix_millis(0),
        );
        let at = |s, e| CharRange::from_raw(s, e).unwrap();
        let early = document
            .add(at(0, 2), Label::Entity, Timestamp::from_unix_millis(1))
            .unwrap();
        let theirs = document
            .add(at(3, 4), Label::Quote, Timestamp::from_unix_millis(1))
            .unwrap();
        document.set_authors(&theirs.id, |a| *a = Authors::made(Some(&bob)));
        assert_eq!(unnamed(&document), 1);
        let signed = sign_unnamed(&document, &ann, Timestamp::from_unix_millis(5)).unwrap();
        assert_eq!(
            signed.annotation(&early.id).unwrap().authors,
            Authors::made(Some(&ann))
        );
        assert_eq!(
            signed.annotation(&theirs.id).unwrap().authors,
            Authors::made(Some(&bob)),
            "bob's stays bob's"
        );
        assert_eq!(signed.modified, Timestamp::from_unix_millis(5));
        assert_eq!(unnamed(&signed), 0);
        assert_eq!(
            sign_unnamed(&signed, &ann, Timestamp::from_unix_millis(6)),
            None
        );
    }
}
