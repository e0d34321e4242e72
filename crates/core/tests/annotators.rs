#![cfg(not(target_arch = "wasm32"))]
//! Who made and who last changed each annotation (`model::annotator`): what an edit records, what
//! undo and redo do to it, how two annotators' copies of one span are merged.
//!
//! Why: the name on an annotation is what a team's agreement and adjudication rest on, and what
//! every export carries. An edit records it; undoing must not pin an edit on the wrong person,
//! nor refuse to undo because the name was changed in between.

use std::rc::Rc;

use annotator_core::model::same_spans::{merge_same_spans, ANNOTATORS};
use annotator_core::model::suggestions::{accept, Suggester, Suggestion};
use annotator_core::model::{
    Annotation, AnnotationId, AnnotatorName, ArticleText, Authors, CharRange, Document, DocumentId,
    Edit, Label, OpenDocument, Step, Timestamp,
};

fn at(millis: i64) -> Timestamp {
    Timestamp::from_unix_millis(millis)
}

fn name(n: &str) -> AnnotatorName {
    AnnotatorName::parse(n).unwrap()
}

fn range(start: usize, end: usize) -> CharRange {
    CharRange::from_raw(start, end).unwrap()
}

fn open() -> OpenDocument {
    OpenDocument::new(Rc::new(Document::new(
        DocumentId::new("d"),
        "T".into(),
        ArticleText::normalize("«北京 😀» said 👩‍👩‍👧‍👦 e\u{301}, שלום."),
        at(0),
    )))
}

fn authors(open: &OpenDocument, id: &AnnotationId) -> Authors {
    open.document.annotation(id).unwrap().authors.clone()
}

fn add(open: &mut OpenDocument, by: Option<&AnnotatorName>, span: (usize, usize)) -> AnnotationId {
    let edit = open
        .edit(at(1), by, |d| {
            d.add(range(span.0, span.1), Label::Quote, at(1))
                .map(Edit::Added)
                .map_err(|e| e.to_string())
        })
        .unwrap();
    let Edit::Added(added) = edit else {
        unreachable!()
    };
    // What the history keeps (and redo brings back) carries the name too.
    assert_eq!(added.authors, Authors::made(by));
    added.id
}

fn relabel(open: &mut OpenDocument, by: Option<&AnnotatorName>, id: &AnnotationId, to: Label) {
    open.edit(at(2), by, |d| {
        let from = d.relabel(id, to.clone(), at(2)).unwrap().unwrap();
        Ok(Edit::Relabelled {
            id: id.clone(),
            from,
            to,
        })
    })
    .unwrap();
}

#[test]
fn an_edit_records_who_made_and_who_last_changed() {
    let (ann, bob) = (name("ann"), name("李 雷"));
    let mut open = open();
    let id = add(&mut open, Some(&ann), (0, 8));
    assert_eq!(authors(&open, &id), Authors::made(Some(&ann)));

    relabel(&mut open, Some(&bob), &id, Label::Claim);
    let expected = Authors {
        made_by: Some(ann.clone()),
        changed_by: Some(bob.clone()),
    };
    assert_eq!(authors(&open, &id), expected);

    // A value set by somebody without a name: the last change is nobody's we know.
    open.edit(at(3), None, |d| {
        d.set_attribute(&id, "type", Some("direct"), at(3)).unwrap();
        Ok(Edit::AttributeSet {
            id: id.clone(),
            name: Rc::from("type"),
            from: None,
            to: Some(Rc::from("direct")),
        })
    })
    .unwrap();
    assert_eq!(authors(&open, &id).changed_by, None);
    assert_eq!(authors(&open, &id).made_by, Some(ann.clone()));

    // Undoing puts the value back, and that is a change by whoever undid it.
    assert!(matches!(
        open.step(at(4), Some(&bob), false),
        Step::Applied(_)
    ));
    assert_eq!(authors(&open, &id), expected);

    // A link or a deletion changes nobody's name on the span.
    let other = add(&mut open, Some(&bob), (10, 14));
    assert_eq!(authors(&open, &other).made_by, Some(bob.clone()));
    assert_eq!(authors(&open, &id), expected);
}

#[test]
fn undo_of_an_addition_works_after_the_name_changed_and_redo_keeps_the_maker() {
    let (ann, cy) = (name("ann"), name("cy"));
    let mut open = open();
    let id = add(&mut open, Some(&ann), (2, 4));
    // The user renames themselves, then relabels and undoes the relabel: the span's last
    // change is now cy's, and undoing its addition still finds the very span.
    relabel(&mut open, Some(&cy), &id, Label::Entity);
    assert!(matches!(
        open.step(at(5), Some(&cy), false),
        Step::Applied(_)
    ));
    assert_eq!(authors(&open, &id).changed_by, Some(cy.clone()));
    assert!(matches!(
        open.step(at(6), Some(&cy), false),
        Step::Applied(_)
    ));
    assert!(open.document.annotation(&id).is_none());
    // Redo brings the span back as it was made: by ann.
    assert!(matches!(
        open.step(at(7), Some(&cy), true),
        Step::Applied(_)
    ));
    assert_eq!(authors(&open, &id), Authors::made(Some(&ann)));
}

#[test]
fn accepted_suggestions_are_made_by_whoever_accepted_them() {
    let dana = name("👩🏽‍💻 Dana");
    let mut open = open();
    let suggestions = [
        Suggestion::new(range(0, 8), Label::Quote, Suggester::Quotes),
        Suggestion::new(range(14, 15), Label::Entity, Suggester::TagAll),
    ];
    open.edit(at(1), Some(&dana), |d| {
        Ok(Edit::Batch(accept(d, &suggestions, None, at(1))))
    })
    .unwrap();
    assert_eq!(open.document.annotations().len(), 2);
    for a in open.document.annotations() {
        assert_eq!(a.authors, Authors::made(Some(&dana)), "{}", a.id);
    }
}

#[test]
fn one_span_made_by_two_annotators_names_both() {
    let span = |id: &str, by: Option<&str>, annotators: Option<&str>| {
        let mut a = Annotation::new(AnnotationId::new(id), Label::Quote, range(0, 5));
        a.authors = Authors::made(by.map(name).as_ref());
        if let Some(names) = annotators {
            a.attributes.set(ANNOTATORS, Some(names)).unwrap();
        }
        a
    };
    // ann's and bob's copies: one span, made by ann (the first), had by both.
    let merged = merge_same_spans(
        vec![span("a1", Some("ann"), None), span("a2", Some("bob"), None)],
        vec![],
    );
    assert_eq!(merged.merged, 1);
    let kept = &merged.annotations[0];
    assert_eq!(kept.authors.made_by, Some(name("ann")));
    assert_eq!(kept.attributes.get(ANNOTATORS), Some("ann, bob"));
    // The same annotator twice (a file merged with itself): no list is made up.
    let merged = merge_same_spans(
        vec![span("a1", Some("ann"), None), span("a2", Some("ann"), None)],
        vec![],
    );
    assert_eq!(merged.annotations[0].attributes.get(ANNOTATORS), None);
    // A gold span already naming two, and a third annotator's copy.
    let merged = merge_same_spans(
        vec![
            span("a1", None, Some("ann, bob")),
            span("a2", Some("cy"), None),
        ],
        vec![],
    );
    assert_eq!(
        merged.annotations[0].attributes.get(ANNOTATORS),
        Some("ann, bob, cy")
    );
    // An unnamed copy adds nobody.
    let merged = merge_same_spans(
        vec![span("a1", Some("ann"), None), span("a2", None, None)],
        vec![],
    );
    assert_eq!(merged.annotations[0].attributes.get(ANNOTATORS), None);
}
