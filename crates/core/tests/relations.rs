#![cfg(not(target_arch = "wasm32"))]
//! Relations, attribute values and notes on a `Document`, and their undo and redo in `History`.
//!
//! Why: a relation ties two annotations together, so every edit of one annotation now reaches
//! the relations on it (a delete takes them along, undo must bring back exactly those), and
//! another tab's link or value can make this tab's undo step no longer fit. Hand-written cases
//! for each rule, then random sequences of every edit, undo and redo against a reference model
//! that keeps whole snapshots, with `check_invariants()` after every step.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use annotator_core::model::{
    Annotation, AnnotationId, ArticleText, CharRange, Document, DocumentError, DocumentId, Edit,
    History, Label, Relation, RelationKind, Removed, Stale, Step, Timestamp,
};
use proptest::prelude::*;
use proptest::sample::Index;

/// 41 code points with multi-unit characters, so offsets are not byte or UTF-16 positions.
const TEXT: &str = "Он сказал «北京市 😀» e\u{301}, שלום!\nNext 👩‍👩‍👧‍👦.";

fn at(millis: i64) -> Timestamp {
    Timestamp::from_unix_millis(millis)
}

fn range(start: usize, end: usize) -> CharRange {
    CharRange::from_raw(start, end).unwrap()
}

fn id(s: &str) -> AnnotationId {
    AnnotationId::new(s)
}

fn kind(name: &str) -> RelationKind {
    RelationKind::parse(name).unwrap()
}

fn rel(from: &str, kind_name: &str, to: &str) -> Relation {
    Relation::new(kind(kind_name), id(from), id(to))
}

fn empty_document() -> Document {
    Document::new(
        DocumentId::new("doc"),
        "Title".into(),
        ArticleText::normalize(TEXT),
        at(0),
    )
}

/// a1 Quote 0..9, a2 Entity 11..14, a3 Claim 15..21, a4 Entity 22..27; next number 5.
fn four() -> Document {
    Document::from_parts(
        empty_document(),
        vec![
            Annotation::new(id("a1"), Label::Quote, range(0, 9)),
            Annotation::new(id("a2"), Label::Entity, range(11, 14)),
            Annotation::new(id("a3"), Label::Claim, range(15, 21)),
            Annotation::new(id("a4"), Label::Entity, range(22, 27)),
        ],
        1,
    )
    .unwrap()
}

/// `four()` with a1 said_by a2, a3 about a2, a3 made_by a4, a1 type=direct, a2 a note, and an
/// article note.
fn linked() -> Document {
    let mut d = four();
    for r in [
        rel("a1", "said_by", "a2"),
        rel("a3", "about", "a2"),
        rel("a3", "made_by", "a4"),
    ] {
        d.link(r, at(1)).unwrap();
    }
    d.set_attribute(&id("a1"), "type", Some("direct"), at(1))
        .unwrap();
    d.set_note(Some(&id("a2")), "Who is this?\n«北京» 😀", at(1))
        .unwrap();
    d.set_note(None, "Checked twice.", at(1)).unwrap();
    d.check_invariants().unwrap();
    d
}

// ---------------------------------------------------------------------------------------------
// Document: link, unlink, remove, restore.
// ---------------------------------------------------------------------------------------------

#[test]
fn link_refuses_a_missing_end_a_self_link_and_a_duplicate_and_changes_nothing() {
    let mut d = four();
    let before = d.clone();
    assert_eq!(
        d.link(rel("a1", "said_by", "a9"), at(5)),
        Err(DocumentError::MissingEnd {
            relation: "a1 said_by a9".into(),
            missing: "a9".into()
        })
    );
    assert_eq!(
        d.link(rel("a9", "said_by", "a1"), at(5)),
        Err(DocumentError::MissingEnd {
            relation: "a9 said_by a1".into(),
            missing: "a9".into()
        })
    );
    assert_eq!(
        d.link(rel("a2", "same_as", "a2"), at(5)),
        Err(DocumentError::SelfLink {
            relation: "a2 same_as a2".into()
        })
    );
    assert_eq!(
        d, before,
        "refused links change nothing, not even `modified`"
    );

    d.link(rel("a1", "said_by", "a2"), at(6)).unwrap();
    assert_eq!(d.modified, at(6));
    let once = d.clone();
    let again = d.link(rel("a1", "said_by", "a2"), at(7));
    assert_eq!(
        again,
        Err(DocumentError::AlreadyLinked {
            relation: "a1 said_by a2".into()
        })
    );
    assert_eq!(
        again.unwrap_err().to_string(),
        "a1 said_by a2 is there already"
    );
    assert_eq!(d, once);
    // The same ends with another type, or the other way round, are other relations.
    d.link(rel("a1", "about", "a2"), at(8)).unwrap();
    d.link(rel("a2", "said_by", "a1"), at(8)).unwrap();
    assert_eq!(d.relations().len(), 3);
    d.check_invariants().unwrap();
}

#[test]
fn relations_are_kept_sorted_whatever_order_they_are_linked_in() {
    let mut d = four();
    let all = [
        rel("a4", "same_as", "a2"),
        rel("a3", "made_by", "a4"),
        rel("a1", "said_by", "a4"),
        rel("a3", "about", "a2"),
        rel("a1", "said_by", "a2"),
        rel("a1", "about", "a2"),
    ];
    for r in all.iter().rev() {
        d.link(r.clone(), at(1)).unwrap();
        d.check_invariants().unwrap();
    }
    let mut sorted = all.to_vec();
    sorted.sort();
    assert_eq!(d.relations(), sorted);
    let shown: Vec<String> = d.relations().iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "a1 about a2",
            "a1 said_by a2",
            "a1 said_by a4",
            "a3 about a2",
            "a3 made_by a4",
            "a4 same_as a2"
        ]
    );
    let of_a2: Vec<String> = d.relations_of(&id("a2")).map(ToString::to_string).collect();
    assert_eq!(
        of_a2,
        [
            "a1 about a2",
            "a1 said_by a2",
            "a3 about a2",
            "a4 same_as a2"
        ]
    );
    assert_eq!(d.relations_of(&id("a9")).count(), 0);
}

#[test]
fn unlink_removes_exactly_one_relation_and_a_missing_one_changes_nothing() {
    let mut d = linked();
    let before = d.clone();
    assert!(!d.unlink(&rel("a1", "about", "a2"), at(9)));
    assert!(!d.unlink(&rel("a2", "said_by", "a1"), at(9)));
    assert_eq!(d, before);
    assert!(d.unlink(&rel("a3", "about", "a2"), at(9)));
    assert_eq!(d.modified, at(9));
    assert_eq!(
        d.relations(),
        [rel("a1", "said_by", "a2"), rel("a3", "made_by", "a4")]
    );
    assert!(!d.unlink(&rel("a3", "about", "a2"), at(10)));
    d.check_invariants().unwrap();
}

#[test]
fn remove_takes_the_relations_along_and_restore_brings_back_exactly_both() {
    let mut d = linked();
    let before = d.clone();
    let removed = d.remove(&id("a2"), at(20)).unwrap();
    assert_eq!(removed.annotation, *before.annotation(&id("a2")).unwrap());
    assert_eq!(
        removed.relations,
        [rel("a1", "said_by", "a2"), rel("a3", "about", "a2")]
    );
    assert_eq!(d.relations(), [rel("a3", "made_by", "a4")]);
    d.check_invariants().unwrap();

    d.restore(&removed, at(21)).unwrap();
    d.check_invariants().unwrap();
    assert_eq!(d.modified, at(21));
    d.modified = before.modified;
    assert_eq!(d, before, "the note and every relation are back");

    // An annotation without relations comes back alone.
    let removed = d.remove(&id("a4"), at(22)).unwrap();
    assert_eq!(removed.relations, [rel("a3", "made_by", "a4")]);
    let removed_a3 = d.remove(&id("a3"), at(23)).unwrap();
    assert_eq!(removed_a3.relations, [rel("a3", "about", "a2")]);
    // a4's relation leads to a3, which is gone: nothing is restored.
    let without_a3 = d.clone();
    assert_eq!(
        d.restore(&removed, at(24)),
        Err(DocumentError::MissingEnd {
            relation: "a3 made_by a4".into(),
            missing: "a3".into()
        })
    );
    assert_eq!(d, without_a3);
    d.restore(&removed_a3, at(25)).unwrap();
    d.restore(&removed, at(26)).unwrap();
    d.modified = before.modified;
    assert_eq!(d, before);
}

#[test]
fn restore_refuses_a_taken_id_or_span_and_changes_nothing() {
    let mut d = linked();
    let removed = d.remove(&id("a1"), at(2)).unwrap();
    // Another annotation took the id.
    d.insert(
        Annotation::new(id("a1"), Label::Claim, range(30, 33)),
        at(3),
    )
    .unwrap();
    let before = d.clone();
    assert_eq!(
        d.restore(&removed, at(4)),
        Err(DocumentError::DuplicateId { id: "a1".into() })
    );
    assert_eq!(d, before);
    // Another annotation holds the span and label.
    let mut d = linked();
    let removed = d.remove(&id("a1"), at(2)).unwrap();
    d.add(range(0, 9), Label::Quote, at(3)).unwrap();
    let before = d.clone();
    assert!(matches!(
        d.restore(&removed, at(4)),
        Err(DocumentError::AlreadyTagged { .. })
    ));
    assert_eq!(d, before);
}

#[test]
fn restore_of_a_relation_already_there_keeps_it_once() {
    let mut d = linked();
    let mut removed = d.remove(&id("a4"), at(2)).unwrap();
    // A `Removed` that also lists a relation the document still holds (a merge can revive one).
    removed.relations.push(rel("a1", "said_by", "a2"));
    removed.relations.sort();
    d.restore(&removed, at(3)).unwrap();
    d.check_invariants().unwrap();
    assert_eq!(d.relations(), linked().relations());
}

#[test]
fn with_relations_checks_every_relation_and_keeps_a_repeated_one_once() {
    let built = four().with_relations(vec![
        rel("a3", "about", "a2"),
        rel("a1", "said_by", "a2"),
        rel("a3", "about", "a2"),
    ]);
    let built = built.unwrap();
    built.check_invariants().unwrap();
    assert_eq!(
        built.relations(),
        [rel("a1", "said_by", "a2"), rel("a3", "about", "a2")]
    );
    assert_eq!(
        four().with_relations(vec![rel("a1", "said_by", "T9")]),
        Err(DocumentError::MissingEnd {
            relation: "a1 said_by T9".into(),
            missing: "T9".into()
        })
    );
    assert_eq!(
        four().with_relations(vec![rel("a1", "same_as", "a1")]),
        Err(DocumentError::SelfLink {
            relation: "a1 same_as a1".into()
        })
    );
}

#[test]
fn attribute_values_and_notes_are_checked_and_blank_notes_are_none() {
    let mut d = four();
    assert_eq!(
        d.set_attribute(&id("a1"), "type", Some("direct"), at(2)),
        Ok(None)
    );
    assert_eq!(
        d.set_attribute(&id("a1"), "type", Some("mixed"), at(3))
            .unwrap()
            .as_deref(),
        Some("direct")
    );
    let before = d.clone();
    for (name, value) in [("type", " padded"), ("", "x"), ("type", "two\nlines")] {
        assert!(
            matches!(
                d.set_attribute(&id("a1"), name, Some(value), at(4)),
                Err(DocumentError::Detail { ref id, .. }) if id == "a1"
            ),
            "{name:?} = {value:?}"
        );
    }
    let long = "x".repeat(annotator_core::model::attributes::MAX_ATTRIBUTE_VALUE_CHARS + 1);
    assert!(d
        .set_attribute(&id("a1"), "type", Some(&long), at(4))
        .is_err());
    // A missing annotation: nothing changes, nothing is returned.
    assert_eq!(
        d.set_attribute(&id("a9"), "type", Some("direct"), at(4)),
        Ok(None)
    );
    assert_eq!(d, before);

    assert_eq!(d.set_note(Some(&id("a2")), "  \n\t", at(5)), Ok(None));
    assert_eq!(d.annotation(&id("a2")).unwrap().note, None);
    d.set_note(Some(&id("a2")), "Line one\r\nline «二» 👩‍👩‍👧‍👦", at(6))
        .unwrap();
    assert_eq!(
        d.annotation(&id("a2")).unwrap().note.as_deref(),
        Some("Line one\r\nline «二» 👩‍👩‍👧‍👦")
    );
    assert_eq!(
        d.set_note(Some(&id("a2")), "", at(7)).unwrap().as_deref(),
        Some("Line one\r\nline «二» 👩‍👩‍👧‍👦")
    );
    let too_long = "n".repeat(annotator_core::model::attributes::MAX_NOTE_CHARS + 1);
    assert!(matches!(
        d.set_note(None, &too_long, at(8)),
        Err(DocumentError::DocumentNote(_))
    ));
    assert!(matches!(
        d.set_note(Some(&id("a2")), &too_long, at(8)),
        Err(DocumentError::Detail { .. })
    ));
    assert_eq!(d.note, None);
    d.check_invariants().unwrap();
}

// ---------------------------------------------------------------------------------------------
// History.
// ---------------------------------------------------------------------------------------------

/// Applies `make`'s edit to the document and records it, as the reducer does.
fn edit(d: &mut Document, h: &mut History, make: impl FnOnce(&mut Document) -> Edit) -> Edit {
    let e = make(d);
    h.record(e.clone());
    e
}

#[test]
fn undo_of_a_delete_brings_back_relations_values_and_note_and_redo_deletes_again() {
    let mut d = linked();
    let before = d.clone();
    let mut h = History::default();
    edit(&mut d, &mut h, |d| {
        Edit::Removed(d.remove(&id("a2"), at(10)).unwrap())
    });
    let after_delete = d.clone();
    assert!(matches!(
        h.undo(&mut d, at(11)),
        Step::Applied(Edit::Removed(_))
    ));
    d.check_invariants().unwrap();
    d.modified = before.modified;
    assert_eq!(d, before);
    let a2 = d.annotation(&id("a2")).unwrap();
    assert_eq!(a2.note.as_deref(), Some("Who is this?\n«北京» 😀"));

    assert!(matches!(
        h.redo(&mut d, at(12)),
        Step::Applied(Edit::Removed(_))
    ));
    d.modified = after_delete.modified;
    assert_eq!(d, after_delete);

    // The attribute values of a deleted annotation come back too.
    let mut h = History::default();
    let mut d = before.clone();
    edit(&mut d, &mut h, |d| {
        Edit::Removed(d.remove(&id("a1"), at(13)).unwrap())
    });
    h.undo(&mut d, at(14)).applied().unwrap();
    assert_eq!(
        d.annotation(&id("a1")).unwrap().attributes.get("type"),
        Some("direct")
    );
    assert_eq!(d.relations(), before.relations());
}

#[test]
fn undo_of_a_delete_whose_other_end_another_tab_deleted_is_dropped_as_changed() {
    let mut d = linked();
    let mut h = History::default();
    edit(&mut d, &mut h, |d| {
        Edit::Removed(d.remove(&id("a1"), at(10)).unwrap())
    });
    // Another tab deleted a2, which a1 was said by.
    d.remove(&id("a2"), at(11)).unwrap();
    let before = d.clone();
    let step = h.undo(&mut d, at(12));
    assert!(
        matches!(step, Step::Dropped(Edit::Removed(_), Stale::Changed)),
        "{step:?}"
    );
    assert_eq!(d, before);
    assert!(!h.can_undo() && !h.can_redo());
}

#[test]
fn undo_of_an_addition_another_tab_linked_to_is_dropped_and_the_link_stays() {
    let mut d = four();
    let mut h = History::default();
    let added = edit(&mut d, &mut h, |d| {
        Edit::Added(d.add(range(30, 34), Label::Entity, at(10)).unwrap())
    });
    let Edit::Added(a) = &added else {
        unreachable!()
    };
    // Another tab links a quote to it (merged in underneath this tab's history).
    let theirs = Relation::new(kind("said_by"), id("a1"), a.id.clone());
    d.link(theirs.clone(), at(11)).unwrap();
    let before = d.clone();
    assert_eq!(h.undo(&mut d, at(12)), Step::Dropped(added, Stale::Changed));
    assert_eq!(d, before);
    assert_eq!(d.relations(), [theirs]);

    // Once that link is gone again, a fresh undo of a fresh addition applies.
    let mut h = History::default();
    let mut d = four();
    edit(&mut d, &mut h, |d| {
        Edit::Added(d.add(range(30, 34), Label::Entity, at(20)).unwrap())
    });
    d.link(rel("a1", "said_by", "a5"), at(21)).unwrap();
    d.unlink(&rel("a1", "said_by", "a5"), at(22));
    assert!(matches!(
        h.undo(&mut d, at(23)),
        Step::Applied(Edit::Added(_))
    ));
    assert_eq!(d.annotations(), four().annotations());
}

#[test]
fn undo_of_an_addition_after_another_tab_set_a_value_or_note_is_dropped() {
    for change in [
        |d: &mut Document| {
            d.set_attribute(&id("a5"), "kind", Some("person"), at(11))
                .unwrap();
        },
        |d: &mut Document| {
            d.set_note(Some(&id("a5")), "theirs", at(11)).unwrap();
        },
    ] {
        let mut d = four();
        let mut h = History::default();
        edit(&mut d, &mut h, |d| {
            Edit::Added(d.add(range(30, 34), Label::Entity, at(10)).unwrap())
        });
        change(&mut d);
        let before = d.clone();
        assert!(matches!(
            h.undo(&mut d, at(12)),
            Step::Dropped(Edit::Added(_), Stale::Changed)
        ));
        assert_eq!(d, before);
    }
}

#[test]
fn link_and_unlink_undo_and_redo_and_go_stale_when_another_tab_did_the_same() {
    let mut d = four();
    let mut h = History::default();
    let r = rel("a1", "said_by", "a2");
    edit(&mut d, &mut h, |d| {
        d.link(r.clone(), at(10)).unwrap();
        Edit::Linked(r.clone())
    });
    assert_eq!(
        h.undo(&mut d, at(11)),
        Step::Applied(Edit::Linked(r.clone()))
    );
    assert!(d.relations().is_empty());
    assert_eq!(
        h.redo(&mut d, at(12)),
        Step::Applied(Edit::Linked(r.clone()))
    );
    assert_eq!(d.relations(), std::slice::from_ref(&r));

    // Another tab unlinked it: undoing our link finds nothing to unlink.
    d.unlink(&r, at(13));
    assert_eq!(
        h.undo(&mut d, at(14)),
        Step::Dropped(Edit::Linked(r.clone()), Stale::Changed)
    );

    // Our unlink, then another tab linked the same again: undo (re-link) finds it taken.
    let mut d = four();
    d.link(r.clone(), at(1)).unwrap();
    let mut h = History::default();
    edit(&mut d, &mut h, |d| {
        assert!(d.unlink(&r, at(20)));
        Edit::Unlinked(r.clone())
    });
    d.link(r.clone(), at(21)).unwrap();
    assert_eq!(
        h.undo(&mut d, at(22)),
        Step::Dropped(Edit::Unlinked(r.clone()), Stale::Taken)
    );
    assert_eq!(d.relations(), std::slice::from_ref(&r));

    // Our unlink, then another tab deleted an end: undo cannot link to nothing.
    let mut d = four();
    d.link(r.clone(), at(1)).unwrap();
    let mut h = History::default();
    edit(&mut d, &mut h, |d| {
        assert!(d.unlink(&r, at(30)));
        Edit::Unlinked(r.clone())
    });
    d.remove(&id("a2"), at(31));
    let before = d.clone();
    assert_eq!(
        h.undo(&mut d, at(32)),
        Step::Dropped(Edit::Unlinked(r), Stale::Changed)
    );
    assert_eq!(d, before);
}

#[test]
fn attribute_and_note_changes_undo_redo_and_go_stale_when_changed_elsewhere() {
    let mut d = four();
    let mut h = History::default();
    let set = |d: &mut Document, h: &mut History, value: Option<&str>, now| {
        let from = d.set_attribute(&id("a1"), "type", value, now).unwrap();
        h.record(Edit::AttributeSet {
            id: id("a1"),
            name: Rc::from("type"),
            from,
            to: value.map(Rc::from),
        });
    };
    set(&mut d, &mut h, Some("direct"), at(1));
    set(&mut d, &mut h, Some("mixed"), at(2));
    set(&mut d, &mut h, None, at(3));
    let value = |d: &Document| {
        d.annotation(&id("a1"))
            .unwrap()
            .attributes
            .get("type")
            .map(str::to_owned)
    };
    assert_eq!(value(&d), None);
    h.undo(&mut d, at(4)).applied().unwrap();
    assert_eq!(value(&d).as_deref(), Some("mixed"));
    h.undo(&mut d, at(5)).applied().unwrap();
    assert_eq!(value(&d).as_deref(), Some("direct"));
    h.redo(&mut d, at(6)).applied().unwrap();
    assert_eq!(value(&d).as_deref(), Some("mixed"));
    // Another tab changed the value: our undo no longer finds "mixed".
    d.set_attribute(&id("a1"), "type", Some("indirect"), at(7))
        .unwrap();
    let before = d.clone();
    assert!(matches!(
        h.undo(&mut d, at(8)),
        Step::Dropped(Edit::AttributeSet { .. }, Stale::Changed)
    ));
    assert_eq!(d, before);
    // Another tab deleted the annotation: the step below is stale too.
    d.remove(&id("a1"), at(9));
    assert!(matches!(
        h.undo(&mut d, at(10)),
        Step::Dropped(Edit::AttributeSet { .. }, Stale::Changed)
    ));
    assert!(!h.can_undo());

    // Notes: of an annotation and of the article.
    let mut d = four();
    let mut h = History::default();
    for (target, text, now) in [
        (Some(id("a2")), "first\nnote", 1),
        (None, "article «note» 😀", 2),
        (Some(id("a2")), "", 3),
    ] {
        let from = d.set_note(target.as_ref(), text, at(now)).unwrap();
        h.record(Edit::NoteSet {
            id: target,
            from,
            to: annotator_core::model::attributes::note_of(text),
        });
    }
    assert_eq!(d.annotation(&id("a2")).unwrap().note, None);
    let step = h.undo(&mut d, at(4)).applied().unwrap();
    assert_eq!(step.annotation_id(), Some(&id("a2")));
    assert_eq!(
        d.annotation(&id("a2")).unwrap().note.as_deref(),
        Some("first\nnote")
    );
    let step = h.undo(&mut d, at(5)).applied().unwrap();
    assert_eq!(step.annotation_id(), None, "the article's note");
    assert_eq!(d.note, None);
    h.redo(&mut d, at(6)).applied().unwrap();
    assert_eq!(d.note.as_deref(), Some("article «note» 😀"));
    // Another tab rewrote the article note: redo... is not possible (nothing left), undo is stale.
    d.set_note(None, "theirs", at(7)).unwrap();
    assert!(matches!(
        h.undo(&mut d, at(8)),
        Step::Dropped(Edit::NoteSet { id: None, .. }, Stale::Changed)
    ));
    assert_eq!(d.note.as_deref(), Some("theirs"));
}

#[test]
fn rename_follows_relation_ends_in_every_kind_of_step() {
    // This tab added a5 and a6, linked them to each other and to a1, and deleted a6; a merge
    // then renamed a5 → a9 and a6 → a10 (another tab had used both ids).
    let mut d = four();
    let mut h = History::default();
    edit(&mut d, &mut h, |d| {
        Edit::Added(d.add(range(30, 34), Label::Entity, at(1)).unwrap())
    });
    edit(&mut d, &mut h, |d| {
        Edit::Added(d.add(range(35, 38), Label::Entity, at(2)).unwrap())
    });
    for r in [rel("a1", "said_by", "a5"), rel("a6", "same_as", "a5")] {
        edit(&mut d, &mut h, |d| {
            d.link(r.clone(), at(3)).unwrap();
            Edit::Linked(r.clone())
        });
    }
    edit(&mut d, &mut h, |d| {
        let from = d
            .set_attribute(&id("a5"), "kind", Some("place"), at(4))
            .unwrap();
        Edit::AttributeSet {
            id: id("a5"),
            name: Rc::from("kind"),
            from,
            to: Some(Rc::from("place")),
        }
    });
    edit(&mut d, &mut h, |d| {
        Edit::Removed(d.remove(&id("a6"), at(5)).unwrap())
    });

    // What the merged document holds: the same annotations and relations under the new ids.
    let renamed = [(id("a5"), id("a9")), (id("a6"), id("a10"))];
    let mut merged = four();
    let mut a9 = d.annotation(&id("a5")).unwrap().clone();
    a9.id = id("a9");
    merged.insert(a9, at(6)).unwrap();
    merged.link(rel("a1", "said_by", "a9"), at(6)).unwrap();
    assert!(h.rename(&renamed));
    assert!(!h.rename(&renamed), "nothing left to rename");

    // Undo walks back through every step under the new ids.
    let step = h.undo(&mut merged, at(7)).applied().unwrap();
    let Edit::Removed(Removed {
        annotation,
        relations,
    }) = &step
    else {
        panic!("{step:?}")
    };
    assert_eq!(annotation.id, id("a10"));
    assert_eq!(relations, &[rel("a10", "same_as", "a9")]);
    assert!(merged.relations().contains(&rel("a10", "same_as", "a9")));
    merged.check_invariants().unwrap();
    assert!(matches!(
        h.undo(&mut merged, at(8)),
        Step::Applied(Edit::AttributeSet { ref id, .. }) if id.as_str() == "a9"
    ));
    assert_eq!(
        h.undo(&mut merged, at(9)),
        Step::Applied(Edit::Linked(rel("a10", "same_as", "a9")))
    );
    assert_eq!(
        h.undo(&mut merged, at(10)),
        Step::Applied(Edit::Linked(rel("a1", "said_by", "a9")))
    );
    assert!(
        matches!(h.undo(&mut merged, at(11)), Step::Applied(Edit::Added(a)) if a.id.as_str() == "a10")
    );
    assert!(
        matches!(h.undo(&mut merged, at(12)), Step::Applied(Edit::Added(a)) if a.id.as_str() == "a9")
    );
    merged.modified = four().modified;
    assert_eq!(merged.annotations(), four().annotations());
    assert!(merged.relations().is_empty());
}

#[test]
fn a_rename_that_reorders_a_removed_steps_relations_keeps_undo_working() {
    // a5 said_by a2 sorts before a5's other relation... until a5 → a0 moves it first.
    let mut d = four();
    d.insert(
        Annotation::new(id("b1"), Label::Entity, range(30, 34)),
        at(1),
    )
    .unwrap();
    d.link(rel("a3", "about", "b1"), at(1)).unwrap();
    d.link(rel("b1", "same_as", "a2"), at(1)).unwrap();
    let mut h = History::default();
    edit(&mut d, &mut h, |d| {
        Edit::Removed(d.remove(&id("b1"), at(2)).unwrap())
    });
    // The merge renamed b1 → a0: "a0 same_as a2" now sorts before "a3 about a0".
    assert!(h.rename(&[(id("b1"), id("a0"))]));
    let step = h.undo(&mut d, at(3)).applied().unwrap();
    assert_eq!(step.annotation_id(), Some(&id("a0")));
    assert_eq!(
        d.relations(),
        [rel("a0", "same_as", "a2"), rel("a3", "about", "a0")]
    );
    // Redo deletes it again: the recorded relations are still exactly the ones it has.
    assert!(matches!(
        h.redo(&mut d, at(4)),
        Step::Applied(Edit::Removed(_))
    ));
    assert!(d.relations().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Random sequences against a reference model.
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    id: String,
    label: Label,
    start: usize,
    end: usize,
    attributes: BTreeMap<String, String>,
    note: Option<String>,
}

/// The whole state the model keeps: rows (unsorted), relations (from, to, kind), the article
/// note and the id counter. Undo and redo swap whole states.
#[derive(Clone, Debug, PartialEq, Eq)]
struct State {
    rows: Vec<Row>,
    relations: BTreeSet<(String, String, String)>,
    note: Option<String>,
    next: u64,
}

fn state_of(d: &Document) -> State {
    State {
        rows: d
            .annotations()
            .iter()
            .map(|a| Row {
                id: a.id.to_string(),
                label: a.label.clone(),
                start: a.range.start().get(),
                end: a.range.end().get(),
                attributes: a
                    .attributes
                    .iter()
                    .map(|(n, v)| (n.to_owned(), v.to_owned()))
                    .collect(),
                note: a.note.as_deref().map(str::to_owned),
            })
            .collect(),
        relations: d
            .relations()
            .iter()
            .map(|r| (r.from.to_string(), r.to.to_string(), r.kind.to_string()))
            .collect(),
        note: d.note.as_deref().map(str::to_owned),
        next: d.next_number(),
    }
}

impl State {
    /// Rows in text order (start, longer first, id), as the document lists them.
    fn sorted(&self) -> State {
        let mut s = self.clone();
        s.rows.sort_by(|a, b| {
            (a.start, std::cmp::Reverse(a.end), &a.id).cmp(&(
                b.start,
                std::cmp::Reverse(b.end),
                &b.id,
            ))
        });
        s
    }

    fn row(&mut self, id: &str) -> Option<&mut Row> {
        self.rows.iter_mut().find(|r| r.id == id)
    }
}

struct Model {
    state: State,
    undo: Vec<State>,
    redo: Vec<State>,
}

impl Model {
    /// Records the state before an edit that changed something.
    fn edited(&mut self, before: State) {
        self.undo.push(before);
        self.redo.clear();
    }

    fn step(&mut self, forward: bool) -> bool {
        let (from, to) = if forward {
            (&mut self.redo, &mut self.undo)
        } else {
            (&mut self.undo, &mut self.redo)
        };
        let Some(state) = from.pop() else {
            return false;
        };
        to.push(std::mem::replace(&mut self.state, state));
        true
    }
}

const KINDS: [&str; 3] = ["said_by", "about", "same_as"];
const NAMES: [&str; 3] = ["type", "kind", "名前"];
/// Values, with two the document refuses (empty, padded) and one that clears.
const VALUES: [Option<&str>; 6] = [
    Some("direct"),
    Some("北京 😀"),
    Some("x"),
    Some(""),
    Some(" padded"),
    None,
];
const NOTES: [&str; 4] = ["", "  \n ", "Note «a»\r\nline 2 👩‍👩‍👧‍👦", "x"];

#[derive(Clone, Debug)]
enum Op {
    Add {
        start: usize,
        len: usize,
        label: Label,
    },
    Remove(Index),
    Relabel(Index, Label),
    Link(Index, Index, usize),
    /// A relation to an id the document does not hold.
    LinkMissing(Index, usize),
    Unlink(Index),
    SetAttribute(Index, usize, usize),
    /// `None`: the article's note.
    SetNote(Option<Index>, usize),
    Undo,
    Redo,
}

fn label() -> impl Strategy<Value = Label> {
    prop::sample::select(vec![
        Label::Quote,
        Label::Entity,
        Label::Claim,
        Label::parse_any("speaker").unwrap(),
    ])
}

fn op() -> impl Strategy<Value = Op> {
    let len = TEXT.chars().count();
    prop_oneof![
        5 => (0..len, 1usize..10, label()).prop_map(|(start, len, label)| Op::Add { start, len, label }),
        2 => any::<Index>().prop_map(Op::Remove),
        2 => (any::<Index>(), label()).prop_map(|(i, l)| Op::Relabel(i, l)),
        5 => (any::<Index>(), any::<Index>(), 0..KINDS.len()).prop_map(|(a, b, k)| Op::Link(a, b, k)),
        1 => (any::<Index>(), 0..KINDS.len()).prop_map(|(a, k)| Op::LinkMissing(a, k)),
        2 => any::<Index>().prop_map(Op::Unlink),
        3 => (any::<Index>(), 0..NAMES.len(), 0..VALUES.len()).prop_map(|(i, n, v)| Op::SetAttribute(i, n, v)),
        2 => (proptest::option::of(any::<Index>()), 0..NOTES.len()).prop_map(|(i, n)| Op::SetNote(i, n)),
        3 => Just(Op::Undo),
        2 => Just(Op::Redo),
    ]
}

struct Harness {
    document: Document,
    history: History,
    model: Model,
    clock: i64,
}

impl Harness {
    fn new() -> Self {
        let document = linked();
        Self {
            model: Model {
                state: state_of(&document),
                undo: Vec::new(),
                redo: Vec::new(),
            },
            document,
            history: History::default(),
            clock: 100,
        }
    }

    fn pick(&self, i: &Index) -> Option<AnnotationId> {
        let all = self.document.annotations();
        (!all.is_empty()).then(|| all[i.index(all.len())].id.clone())
    }

    /// Applies an edit to both, recording it in the history when the document made it.
    fn apply(&mut self, op: &Op) {
        self.clock += 1;
        let now = at(self.clock);
        let before = self.model.state.clone();
        match op {
            Op::Add { start, len, label } => {
                let end = (start + len).min(TEXT.chars().count());
                if end <= *start {
                    return;
                }
                let got = self.document.add(range(*start, end), label.clone(), now);
                let taken = before
                    .rows
                    .iter()
                    .any(|r| (r.start, r.end, &r.label) == (*start, end, label));
                assert_eq!(got.is_ok(), !taken, "add {start}..{end} {label}");
                if let Ok(a) = got {
                    let s = &mut self.model.state;
                    assert_eq!(a.id.to_string(), format!("a{}", s.next));
                    s.rows.push(Row {
                        id: a.id.to_string(),
                        label: label.clone(),
                        start: *start,
                        end,
                        attributes: BTreeMap::new(),
                        note: None,
                    });
                    s.next += 1;
                    self.model.edited(before);
                    self.history.record(Edit::Added(a));
                }
            }
            Op::Remove(i) => {
                let Some(target) = self.pick(i) else { return };
                let removed = self.document.remove(&target, now).unwrap();
                let s = &mut self.model.state;
                let t = target.to_string();
                s.rows.retain(|r| r.id != t);
                let gone: Vec<_> = s
                    .relations
                    .iter()
                    .filter(|(f, to, _)| *f == t || *to == t)
                    .cloned()
                    .collect();
                s.relations.retain(|(f, to, _)| *f != t && *to != t);
                let got: Vec<_> = removed
                    .relations
                    .iter()
                    .map(|r| (r.from.to_string(), r.to.to_string(), r.kind.to_string()))
                    .collect();
                assert_eq!(got, gone, "the relations a remove takes along");
                self.model.edited(before);
                self.history.record(Edit::Removed(removed));
            }
            Op::Relabel(i, label) => {
                let Some(target) = self.pick(i) else { return };
                let got = self.document.relabel(&target, label.clone(), now);
                let s = &mut self.model.state;
                let row = s
                    .rows
                    .iter()
                    .find(|r| r.id == target.as_str())
                    .unwrap()
                    .clone();
                let clash = s.rows.iter().any(|r| {
                    r.id != row.id && (r.start, r.end, &r.label) == (row.start, row.end, label)
                });
                assert_eq!(got.is_err(), clash && row.label != *label);
                if let Ok(Some(from)) = got {
                    if from != *label {
                        s.row(target.as_str()).unwrap().label = label.clone();
                        self.model.edited(before);
                        self.history.record(Edit::Relabelled {
                            id: target,
                            from,
                            to: label.clone(),
                        });
                    }
                }
            }
            Op::Link(a, b, k) => {
                let (Some(from), Some(to)) = (self.pick(a), self.pick(b)) else {
                    return;
                };
                let r = Relation::new(kind(KINDS[*k]), from.clone(), to.clone());
                let got = self.document.link(r.clone(), now);
                let key = (from.to_string(), to.to_string(), KINDS[*k].to_owned());
                let s = &mut self.model.state;
                if from == to {
                    assert!(matches!(got, Err(DocumentError::SelfLink { .. })));
                } else if s.relations.contains(&key) {
                    assert!(matches!(got, Err(DocumentError::AlreadyLinked { .. })));
                } else {
                    got.unwrap();
                    s.relations.insert(key);
                    self.model.edited(before);
                    self.history.record(Edit::Linked(r));
                }
            }
            Op::LinkMissing(a, k) => {
                let Some(from) = self.pick(a) else { return };
                let r = Relation::new(kind(KINDS[*k]), from, id("zz"));
                assert!(matches!(
                    self.document.link(r, now),
                    Err(DocumentError::MissingEnd { ref missing, .. }) if missing == "zz"
                ));
            }
            Op::Unlink(i) => {
                let all = self.document.relations();
                if all.is_empty() {
                    assert!(!self.document.unlink(&rel("a1", "said_by", "zz"), now));
                    return;
                }
                let r = all[i.index(all.len())].clone();
                assert!(self.document.unlink(&r, now));
                assert!(!self.document.unlink(&r, now));
                self.model.state.relations.remove(&(
                    r.from.to_string(),
                    r.to.to_string(),
                    r.kind.to_string(),
                ));
                self.model.edited(before);
                self.history.record(Edit::Unlinked(r));
            }
            Op::SetAttribute(i, n, v) => {
                let Some(target) = self.pick(i) else { return };
                let (name, value) = (NAMES[*n], VALUES[*v]);
                let current = before
                    .rows
                    .iter()
                    .find(|r| r.id == target.as_str())
                    .unwrap()
                    .attributes
                    .get(name)
                    .cloned();
                // The reducer sets only a value that differs.
                if current.as_deref() == value {
                    return;
                }
                let got = self.document.set_attribute(&target, name, value, now);
                let valid = value.is_none_or(|v| !v.is_empty() && v.trim() == v);
                assert_eq!(got.is_ok(), valid, "{name} = {value:?}");
                if let Ok(from) = got {
                    assert_eq!(from.as_deref(), current.as_deref());
                    let row = self.model.state.row(target.as_str()).unwrap();
                    match value {
                        Some(v) => row.attributes.insert(name.to_owned(), v.to_owned()),
                        None => row.attributes.remove(name),
                    };
                    self.model.edited(before);
                    self.history.record(Edit::AttributeSet {
                        id: target,
                        name: Rc::from(name),
                        from,
                        to: value.map(Rc::from),
                    });
                }
            }
            Op::SetNote(i, n) => {
                let target = match i {
                    Some(i) => match self.pick(i) {
                        Some(target) => Some(target),
                        None => return,
                    },
                    None => None,
                };
                let text = NOTES[*n];
                let wanted = (!text.trim().is_empty()).then(|| text.to_owned());
                let s = &mut self.model.state;
                let slot = match &target {
                    Some(t) => &mut s.row(t.as_str()).unwrap().note,
                    None => &mut s.note,
                };
                if *slot == wanted {
                    return;
                }
                let current = std::mem::replace(slot, wanted.clone());
                let from = self.document.set_note(target.as_ref(), text, now).unwrap();
                assert_eq!(from.as_deref(), current.as_deref());
                self.model.edited(before);
                self.history.record(Edit::NoteSet {
                    id: target,
                    from,
                    to: wanted.as_deref().map(Rc::from),
                });
            }
            Op::Undo | Op::Redo => {
                let forward = matches!(op, Op::Redo);
                let step = if forward {
                    self.history.redo(&mut self.document, now)
                } else {
                    self.history.undo(&mut self.document, now)
                };
                // One tab alone: every step fits.
                assert!(!matches!(step, Step::Dropped(..)), "{step:?}");
                assert_eq!(step.applied().is_some(), self.model.step(forward));
                // The id counter never goes back: ids are not reissued after an undo.
                self.model.state.next = before.next;
            }
        }
    }

    fn check(&self, after: &str) {
        if let Err(broken) = self.document.check_invariants() {
            panic!("after {after}: {broken}");
        }
        // Found through the index by target, in the relations' order, as a walk would find them.
        for a in self.document.annotations() {
            let walked: Vec<&Relation> = self
                .document
                .relations()
                .iter()
                .filter(|r| r.touches(&a.id))
                .collect();
            let found: Vec<&Relation> = self.document.relations_of(&a.id).collect();
            assert_eq!(found, walked, "relations of {} after {after}", a.id);
        }
        assert_eq!(
            state_of(&self.document),
            self.model.state.sorted(),
            "after {after}"
        );
        assert_eq!(self.history.can_undo(), !self.model.undo.is_empty());
        assert_eq!(self.history.can_redo(), !self.model.redo.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_with_relations_values_and_notes_agree_with_the_model(
        ops in prop::collection::vec(op(), 0..80)
    ) {
        let mut h = Harness::new();
        h.check("start");
        for (i, op) in ops.iter().enumerate() {
            h.apply(op);
            h.check(&format!("op {i} {op:?}"));
        }
        // Undo everything: the starting document's content, relations and notes included.
        while h.history.undo(&mut h.document, at(0)).applied().is_some() {
            h.document.check_invariants().unwrap();
        }
        let start = linked();
        prop_assert_eq!(h.document.annotations(), start.annotations());
        prop_assert_eq!(h.document.relations(), start.relations());
        prop_assert_eq!(&h.document.note, &start.note);
        // Redo everything: where the model's redo-less end is.
        while h.history.redo(&mut h.document, at(0)).applied().is_some() {}
        let next = h.model.state.next;
        while h.model.step(true) {}
        h.model.state.next = next;
        prop_assert_eq!(state_of(&h.document), h.model.state.sorted());
    }
}

proptest! {
    /// The relations the arcs overlay is handed (one packed string) come back field for field,
    /// whatever the ids hold: digits, colons, emoji, empty.
    #[test]
    fn drawn_relations_cross_as_they_were_packed(
        fields in proptest::collection::vec(("[0-9:a-z]{0,6}|\\PC{0,4}", "[0-9:]{0,4}|\\PC{0,4}", "\\PC{0,8}"), 0..20)
    ) {
        use annotator_core::model::drawn_relations::{pack, unpack, DrawnRelation};
        let relations: Vec<DrawnRelation> = fields
            .iter()
            .map(|(from, to, name)| DrawnRelation { from, to, name })
            .collect();
        let packed = pack(relations.iter().copied());
        prop_assert_eq!(unpack(&packed), Some(relations));
    }
}
