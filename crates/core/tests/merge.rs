#![cfg(not(target_arch = "wasm32"))]
//! The three-way merge of one document edited in two tabs (`model::merge`).
//!
//! Why: two tabs each add, delete and relabel annotations on their own copy, and each receives
//! the other's saved version. Ids are per-document counters, so both tabs hand out the same `aN`
//! for different annotations; edits can collide on one annotation (delete vs relabel, relabel vs
//! relabel) or produce the same span twice. One hand-written test per rule of the merge, then
//! random bases edited independently on both sides, checking what must survive, what must go,
//! that the result is a valid document, and that merging again changes nothing.

use std::collections::{HashMap, HashSet};

use annotator_core::model::merge::Merged;
use annotator_core::model::{
    merge, Annotation, AnnotationId, AnnotatorName, ArticleText, CharRange, Document, DocumentId,
    Edit, Label, Relation, RelationKind, Timestamp,
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

fn annotation(id: &str, label: Label, start: usize, end: usize) -> Annotation {
    Annotation::new(AnnotationId::new(id), label, range(start, end))
}

fn empty_document() -> Document {
    Document::new(
        DocumentId::new("doc"),
        "Title".into(),
        ArticleText::normalize(TEXT),
        at(100),
    )
}

/// a1 Claim 0..21, a2 Quote 10..19, a3 Entity 12..15; next number 4.
fn base() -> Document {
    Document::from_parts(
        empty_document(),
        vec![
            annotation("a1", Label::Claim, 0, 21),
            annotation("a2", Label::Quote, 10, 19),
            annotation("a3", Label::Entity, 12, 15),
        ],
        1,
    )
    .unwrap()
}

/// (id, label, start, end) of every annotation, in the document's order.
fn rows(document: &Document) -> Vec<(String, Label, usize, usize)> {
    document
        .annotations()
        .iter()
        .map(|a| {
            (
                a.id.to_string(),
                a.label.clone(),
                a.range.start().get(),
                a.range.end().get(),
            )
        })
        .collect()
}

fn row(id: &str, label: Label, start: usize, end: usize) -> (String, Label, usize, usize) {
    (id.to_owned(), label, start, end)
}

fn merged(base: Option<&Document>, ours: &Document, theirs: &Document) -> Merged {
    let m = merge(base, ours, theirs);
    m.document.check_invariants().unwrap();
    assert_eq!(m.differs_from_theirs, m.document != *theirs);
    m
}

// ---------------------------------------------------------------------------------------------
// One test per rule.
// ---------------------------------------------------------------------------------------------

#[test]
fn rule1a_a_text_replaced_by_theirs_keeps_ours_annotations_as_orphans() {
    let base = base();
    let mut ours = base.clone();
    ours.remove(&id("a2"), at(200));
    let theirs = Document::new(
        DocumentId::new("doc"),
        "Title".into(),
        ArticleText::normalize("another text"),
        at(300),
    );
    let m = merge(Some(&base), &ours, &theirs);
    assert_eq!(m.document.text(), theirs.text());
    assert!(m.document.annotations().is_empty());
    // What ours still had is kept aside, quoting its text; what ours deleted stays deleted.
    let orphans: Vec<(&str, &str)> = m
        .document
        .orphans()
        .iter()
        .map(|o| (o.id().as_str(), o.quote.exact.as_str()))
        .collect();
    let quoted = |a: &str| {
        base.text()
            .slice(base.annotation(&id(a)).unwrap().range)
            .unwrap()
    };
    assert_eq!(orphans, [("a1", quoted("a1")), ("a3", quoted("a3"))]);
    assert!(m.renamed.is_empty());
    assert!(m.differs_from_theirs);
    assert_eq!(m.document.check_invariants(), Ok(()));
}

#[test]
fn rule1_documents_of_different_ids_leave_ours_unchanged() {
    let base = base();
    let ours = base.clone();
    let theirs = Document::new(
        DocumentId::new("other"),
        "Title".into(),
        base.text().clone(),
        at(300),
    );
    let m = merge(Some(&base), &ours, &theirs);
    assert_eq!(m.document, ours);
    assert!(m.differs_from_theirs);
}

#[test]
fn rule1_annotations_are_matched_by_id_and_a_moved_id_is_a_new_annotation() {
    let base = base();
    // Theirs relabels a3; ours relabels a2. Matched by id, both edits land.
    let mut theirs = base.clone();
    theirs.relabel(&id("a3"), Label::Quote, at(300)).unwrap();
    let mut ours = base.clone();
    ours.relabel(&id("a2"), Label::Claim, at(200)).unwrap();
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(
        rows(&m.document),
        [
            row("a1", Label::Claim, 0, 21),
            row("a2", Label::Claim, 10, 19),
            row("a3", Label::Quote, 12, 15),
        ]
    );

    // An id that comes back on another range is not the base annotation: theirs' a3 on 30..34 is
    // "a3 deleted, new a3 added", so ours' relabel of a3 resurrects the old one under a fresh id.
    let theirs = Document::from_parts(
        empty_document(),
        vec![
            annotation("a1", Label::Claim, 0, 21),
            annotation("a2", Label::Quote, 10, 19),
            annotation("a3", Label::Entity, 30, 34),
        ],
        1,
    )
    .unwrap();
    let mut ours = base.clone();
    ours.relabel(&id("a3"), Label::Claim, at(200)).unwrap();
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(
        rows(&m.document),
        [
            row("a1", Label::Claim, 0, 21),
            row("a2", Label::Quote, 10, 19),
            row("a4", Label::Claim, 12, 15),
            row("a3", Label::Entity, 30, 34),
        ]
    );
    assert_eq!(m.renamed, [(id("a3"), id("a4"))]);
}

#[test]
fn rule2_added_on_one_side_only_is_kept() {
    let base = base();
    let mut ours = base.clone();
    ours.add(range(30, 34), Label::Entity, at(200)).unwrap();
    let theirs = base.clone();
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(m.document.annotations(), ours.annotations());
    assert!(m.renamed.is_empty());
    assert!(m.differs_from_theirs);

    // And the other way round: nothing to save back.
    let m = merged(Some(&base), &base, &ours);
    assert_eq!(m.document, ours);
    assert!(!m.differs_from_theirs);
}

#[test]
fn rule2_same_id_added_on_both_sides_renames_ours_above_both_next_numbers() {
    let base = base();
    let mut ours = base.clone();
    ours.add(range(30, 34), Label::Entity, at(200)).unwrap(); // a4
    ours.add(range(35, 36), Label::Quote, at(201)).unwrap(); // a5
    let mut theirs = base.clone();
    theirs.add(range(0, 2), Label::Quote, at(300)).unwrap(); // a4
    theirs.add(range(3, 9), Label::Quote, at(301)).unwrap(); // a5
    theirs.add(range(3, 9), Label::Claim, at(302)).unwrap(); // a6
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(m.renamed, [(id("a4"), id("a7")), (id("a5"), id("a8"))]);
    assert_eq!(
        rows(&m.document),
        [
            row("a1", Label::Claim, 0, 21),
            row("a4", Label::Quote, 0, 2),
            row("a5", Label::Quote, 3, 9),
            row("a6", Label::Claim, 3, 9),
            row("a2", Label::Quote, 10, 19),
            row("a3", Label::Entity, 12, 15),
            row("a7", Label::Entity, 30, 34),
            row("a8", Label::Quote, 35, 36),
        ]
    );
    assert_eq!(m.document.next_number(), 9);
    assert!(m.differs_from_theirs);
}

#[test]
fn rule3_identical_span_added_on_both_sides_is_kept_once_as_theirs() {
    let base = base();
    let mut ours = base.clone();
    ours.add(range(0, 2), Label::Quote, at(200)).unwrap(); // a4
    ours.add(range(30, 34), Label::Entity, at(201)).unwrap(); // a5
    let mut theirs = base.clone();
    theirs.add(range(22, 25), Label::Claim, at(300)).unwrap(); // a4
    theirs.add(range(30, 34), Label::Entity, at(301)).unwrap(); // a5
    let m = merged(Some(&base), &ours, &theirs);
    // Ours' a5 is theirs' a5 exactly: no rename. Ours' a4 collides with theirs' a4: renamed.
    assert_eq!(m.renamed, [(id("a4"), id("a6"))]);
    let tagged_30_34: Vec<_> = rows(&m.document)
        .into_iter()
        .filter(|r| (r.2, r.3) == (30, 34))
        .collect();
    assert_eq!(tagged_30_34, [row("a5", Label::Entity, 30, 34)]);

    // Same span under different ids (ours a5, theirs a4): theirs' id survives, ours' a5 is gone.
    let mut ours = base.clone();
    ours.add(range(0, 2), Label::Quote, at(200)).unwrap(); // a4
    ours.add(range(30, 34), Label::Entity, at(201)).unwrap(); // a5
    let mut theirs = base.clone();
    theirs.add(range(30, 34), Label::Entity, at(300)).unwrap(); // a4
    let m = merged(Some(&base), &ours, &theirs);
    let ids_on_30_34: Vec<_> = m
        .document
        .annotations()
        .iter()
        .filter(|a| a.range == range(30, 34))
        .map(|a| a.id.to_string())
        .collect();
    assert_eq!(ids_on_30_34, ["a4"]);
    assert_eq!(m.document.annotation(&id("a5")), None);
    assert_eq!(
        m.document.annotation(&id("a6")),
        Some(&annotation("a6", Label::Quote, 0, 2))
    );
    assert_eq!(m.renamed, [(id("a4"), id("a6"))]);
}

#[test]
fn rule4_deleted_on_one_side_untouched_on_the_other_is_deleted() {
    let base = base();
    let mut ours = base.clone();
    ours.remove(&id("a2"), at(200)).unwrap();
    let mut theirs = base.clone();
    theirs.remove(&id("a3"), at(300)).unwrap();
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(rows(&m.document), [row("a1", Label::Claim, 0, 21)]);
    assert!(m.differs_from_theirs, "our delete must be saved back");

    let m = merged(Some(&base), &base, &theirs);
    assert_eq!(m.document, theirs);
    assert!(!m.differs_from_theirs);
}

#[test]
fn rule5_deleted_on_one_side_relabelled_on_the_other_is_kept_relabelled() {
    let base = base();
    // Ours relabels a2, theirs deletes it: a2 comes back.
    let mut ours = base.clone();
    ours.relabel(&id("a2"), Label::Claim, at(200)).unwrap();
    let mut theirs = base.clone();
    theirs.remove(&id("a2"), at(300)).unwrap();
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(
        m.document.annotation(&id("a2")),
        Some(&annotation("a2", Label::Claim, 10, 19))
    );
    assert!(m.differs_from_theirs);

    // Ours deletes a3, theirs relabels it: a3 stays, with theirs' label.
    let mut ours = base.clone();
    ours.remove(&id("a3"), at(200)).unwrap();
    let mut theirs = base.clone();
    theirs.relabel(&id("a3"), Label::Quote, at(300)).unwrap();
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(m.document, theirs);
    assert!(!m.differs_from_theirs);
}

#[test]
fn rule6_relabelled_on_both_sides_takes_theirs_and_on_one_side_that_label() {
    let base = base();
    let mut ours = base.clone();
    ours.relabel(&id("a1"), Label::Quote, at(200)).unwrap();
    ours.relabel(&id("a2"), Label::Entity, at(201)).unwrap();
    let mut theirs = base.clone();
    theirs.relabel(&id("a1"), Label::Entity, at(300)).unwrap();
    theirs.relabel(&id("a3"), Label::Claim, at(301)).unwrap();
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(
        rows(&m.document),
        [
            row("a1", Label::Entity, 0, 21),
            row("a2", Label::Entity, 10, 19),
            row("a3", Label::Claim, 12, 15),
        ]
    );
}

#[test]
fn rule7_title_and_created_from_theirs_modified_and_next_number_the_larger() {
    let base = base();
    let mut ours = base.clone();
    ours.title = "Ours".into();
    ours.created = at(1);
    let added = ours.add(range(30, 34), Label::Entity, at(900)).unwrap();
    ours.remove(&added.id, at(900)); // next number 5, nothing else changed
    let mut theirs = base.clone();
    theirs.title = "Theirs".into();
    theirs.created = at(2);
    theirs.modified = at(300);
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(m.document.title, "Theirs");
    assert_eq!(m.document.created, at(2));
    assert_eq!(m.document.modified, at(900));
    assert_eq!(m.document.next_number(), 5);
    assert_eq!(m.document.annotations(), theirs.annotations());

    ours.modified = at(10);
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(m.document.modified, at(300));
}

#[test]
fn rule8_without_a_base_nothing_is_deleted() {
    // Two tabs each made the document and tagged it before seeing the other's save.
    let mut ours = empty_document();
    ours.add(range(0, 2), Label::Quote, at(200)).unwrap(); // a1
    ours.add(range(30, 34), Label::Entity, at(201)).unwrap(); // a2
    ours.add(range(3, 9), Label::Claim, at(202)).unwrap(); // a3
    let mut theirs = empty_document();
    theirs.add(range(0, 2), Label::Quote, at(300)).unwrap(); // a1, the same as ours' a1
    theirs.add(range(30, 34), Label::Claim, at(301)).unwrap(); // a2, other label
    let m = merged(None, &ours, &theirs);
    // a1 is the same annotation on both sides; ours' a2 collides with theirs' a2 and is renamed
    // above both next numbers (ours 4, theirs 3); ours' a3 is free and keeps its id.
    assert_eq!(
        rows(&m.document),
        [
            row("a1", Label::Quote, 0, 2),
            row("a3", Label::Claim, 3, 9),
            row("a2", Label::Claim, 30, 34),
            row("a4", Label::Entity, 30, 34),
        ]
    );
    assert_eq!(m.renamed, [(id("a2"), id("a4"))]);
    assert_eq!(m.document.next_number(), 5);

    // Ours lacks what theirs has: without a base that is not a delete.
    let m = merged(None, &empty_document(), &theirs);
    assert_eq!(m.document.annotations(), theirs.annotations());
}

#[test]
fn rule9_a_relabel_clashing_with_theirs_is_dropped_for_the_existing_annotation() {
    let base = base();
    // Ours relabels a3 Entity → Quote; theirs added a Quote on the same span.
    let mut ours = base.clone();
    ours.relabel(&id("a3"), Label::Quote, at(200)).unwrap();
    let mut theirs = base.clone();
    theirs.add(range(12, 15), Label::Quote, at(300)).unwrap(); // a4
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(m.document, theirs);
    assert!(!m.differs_from_theirs);

    // Theirs deleted a3 and tagged its span Quote; ours relabelled a3 to Quote: one Quote, theirs.
    let mut theirs = base.clone();
    theirs.remove(&id("a3"), at(300)).unwrap();
    theirs.add(range(12, 15), Label::Quote, at(301)).unwrap(); // a4
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(m.document, theirs);
}

#[test]
fn rule9_dropping_a_clashing_relabel_can_uncover_another_clash() {
    // One span carries all three labels. Ours rotates them (a1 Q→E, a2 E→C, a3 C→Q); theirs deletes
    // a3 and tags the span Claim again as a4. Ours' a2 → Claim clashes with theirs' a4 and falls
    // back to Entity; that clashes with ours' a1 → Entity, which falls back to Quote; that clashes
    // with ours' revived a3 Quote, which is left out. The span keeps its three labels.
    let base = Document::from_parts(
        empty_document(),
        vec![
            annotation("a1", Label::Quote, 0, 5),
            annotation("a2", Label::Entity, 0, 5),
            annotation("a3", Label::Claim, 0, 5),
        ],
        1,
    )
    .unwrap();
    let mut ours = base.clone();
    ours.remove(&id("a3"), at(200)).unwrap();
    ours.relabel(&id("a2"), Label::Claim, at(201)).unwrap();
    ours.relabel(&id("a1"), Label::Entity, at(202)).unwrap();
    ours.insert(annotation("a3", Label::Quote, 0, 5), at(203))
        .unwrap();
    let mut theirs = base.clone();
    theirs.remove(&id("a3"), at(300)).unwrap();
    theirs.add(range(0, 5), Label::Claim, at(301)).unwrap(); // a4
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(
        rows(&m.document),
        [
            row("a1", Label::Quote, 0, 5),
            row("a2", Label::Entity, 0, 5),
            row("a4", Label::Claim, 0, 5),
        ]
    );
    assert!(m.renamed.is_empty());

    // Without theirs' a4 nothing clashes and ours' rotation lands, a3 revived.
    let mut theirs = base.clone();
    theirs.remove(&id("a3"), at(300)).unwrap();
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(
        rows(&m.document),
        [
            row("a1", Label::Entity, 0, 5),
            row("a2", Label::Claim, 0, 5),
            row("a3", Label::Quote, 0, 5),
        ]
    );
}

#[test]
fn never_panics_when_ids_run_out() {
    // Next numbers at the very end of u64 (only a hand-edited file gets there): one fresh id is
    // left for the first collision, none for the second, which is then left out.
    let max = u64::MAX;
    let base = Document::from_parts(
        empty_document(),
        vec![annotation("x", Label::Quote, 0, 5)],
        max - 1,
    )
    .unwrap();
    let mut ours = base.clone();
    ours.insert(annotation("q", Label::Claim, 2, 3), at(200))
        .unwrap();
    ours.insert(annotation(&format!("a{max}"), Label::Claim, 1, 2), at(200))
        .unwrap();
    let mut theirs = base.clone();
    theirs
        .insert(annotation("q", Label::Entity, 2, 3), at(300))
        .unwrap();
    theirs
        .insert(annotation(&format!("a{max}"), Label::Entity, 3, 4), at(300))
        .unwrap();
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(
        m.renamed,
        [(id(&format!("a{max}")), id(&format!("a{}", max - 1)))]
    );
    assert_eq!(m.document.annotations().len(), 4);
    assert!(m
        .document
        .annotations()
        .iter()
        .all(|a| a.label != Label::Claim || a.range == range(1, 2)));
}

// ---------------------------------------------------------------------------------------------
// Rules 10 and 11: relations, attribute values, notes.
// ---------------------------------------------------------------------------------------------

fn rel(from: &str, kind: &str, to: &str) -> Relation {
    Relation::new(relation_kind(kind), id(from), id(to))
}

/// `base()` with a2 said_by a3 and a1 about a3.
fn linked_base() -> Document {
    base()
        .with_relations(vec![rel("a2", "said_by", "a3"), rel("a1", "about", "a3")])
        .unwrap()
}

#[test]
fn rule10_relations_are_a_set_merge_of_both_sides_links() {
    let base = linked_base();
    let mut ours = base.clone();
    ours.link(rel("a1", "said_by", "a3"), at(200)).unwrap();
    ours.link(rel("a2", "about", "a3"), at(200)).unwrap();
    let mut theirs = base.clone();
    theirs.link(rel("a2", "about", "a3"), at(300)).unwrap(); // the same link, drawn twice
    theirs.link(rel("a3", "same_as", "a2"), at(300)).unwrap();
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(
        m.document.relations(),
        [
            rel("a1", "about", "a3"),
            rel("a1", "said_by", "a3"),
            rel("a2", "about", "a3"),
            rel("a2", "said_by", "a3"),
            rel("a3", "same_as", "a2"),
        ]
    );
    assert!(m.dropped_relations.is_empty());
    assert!(m.differs_from_theirs);
}

#[test]
fn rule10_an_unlink_on_either_side_wins_over_keeping() {
    let base = linked_base();
    let mut ours = base.clone();
    assert!(ours.unlink(&rel("a2", "said_by", "a3"), at(200)));
    let mut theirs = base.clone();
    assert!(theirs.unlink(&rel("a1", "about", "a3"), at(300)));
    let m = merged(Some(&base), &ours, &theirs);
    assert!(m.document.relations().is_empty());
    // Ours unlinked what theirs kept: gone, and saved back.
    let m = merged(Some(&base), &ours, &base);
    assert_eq!(m.document.relations(), [rel("a1", "about", "a3")]);
    assert!(m.differs_from_theirs);
    // Theirs unlinked what ours kept: gone, nothing to save back.
    let m = merged(Some(&base), &base, &theirs);
    assert_eq!(m.document, theirs);
    assert!(!m.differs_from_theirs);
    // Ours unlinked it and linked it again: the same three parts, so still in the base, and
    // theirs' unlink stands.
    let mut again = base.clone();
    again.unlink(&rel("a1", "about", "a3"), at(200));
    again.link(rel("a1", "about", "a3"), at(201)).unwrap();
    let m = merged(Some(&base), &again, &theirs);
    assert_eq!(m.document.relations(), theirs.relations());
}

/// A delete takes the annotation's relations along; when the other side's edit keeps the
/// annotation (rule 5), what the delete took along stays too, on either side.
#[test]
fn rule10_relations_a_delete_took_along_stay_when_the_edit_keeps_the_end() {
    let base = linked_base();
    let relabelled = |d: &Document| {
        let mut d = d.clone();
        d.relabel(&id("a3"), Label::Claim, at(300)).unwrap();
        d
    };
    let deleted = |d: &Document| {
        let mut d = d.clone();
        let removed = d.remove(&id("a3"), at(200)).unwrap();
        assert_eq!(removed.relations.len(), 2);
        d
    };
    for (ours, theirs) in [
        (deleted(&base), relabelled(&base)),
        (relabelled(&base), deleted(&base)),
    ] {
        let m = merged(Some(&base), &ours, &theirs);
        assert_eq!(
            m.document.annotation(&id("a3")).unwrap().label,
            Label::Claim
        );
        assert_eq!(m.document.relations(), base.relations());
        assert!(m.dropped_relations.is_empty());
    }
    // Without the edit, the delete and what it took along stand.
    let m = merged(Some(&base), &deleted(&base), &base);
    assert!(m.document.relations().is_empty());
    // A new annotation on the deleted one's span is not it: nothing is re-attached to it.
    let mut again = deleted(&base);
    let span = base.annotation(&id("a3")).unwrap().range;
    again.add(span, Label::Entity, at(210)).unwrap();
    let m = merged(Some(&base), &base, &again);
    assert!(m.document.relations().is_empty());
}

#[test]
fn rule10_ours_links_follow_renamed_ids_and_spans_theirs_holds() {
    let base = base();
    // Both tabs add a4 and a5 (different spans but for one); ours links its own a4 and a5.
    let mut ours = base.clone();
    ours.add(range(30, 34), Label::Entity, at(200)).unwrap(); // a4
    ours.add(range(0, 2), Label::Quote, at(200)).unwrap(); // a5
    ours.link(rel("a5", "said_by", "a4"), at(201)).unwrap();
    ours.link(rel("a2", "said_by", "a4"), at(201)).unwrap();
    let mut theirs = base.clone();
    theirs.add(range(0, 2), Label::Quote, at(300)).unwrap(); // a4: ours' a5's span
    theirs.add(range(22, 25), Label::Claim, at(300)).unwrap(); // a5
    let m = merged(Some(&base), &ours, &theirs);
    // Ours' a4 is renamed (theirs used the id); ours' a5 is theirs' a4 (rule 3).
    assert_eq!(m.renamed, [(id("a4"), id("a6"))]);
    assert_eq!(
        m.document.relations(),
        [rel("a2", "said_by", "a6"), rel("a4", "said_by", "a6")]
    );
    assert!(m.dropped_relations.is_empty());
}

/// Found by the random merge test: theirs drew "a2 said_by a1" between its own a2 and a1; ours
/// drew the same three parts between other annotations with those ids. Ours' link was taken for
/// theirs' and lost.
#[test]
fn rule10_ours_link_with_the_same_ids_as_theirs_but_other_annotations_is_kept() {
    let empty = empty_document();
    let base =
        Document::from_parts(empty, vec![annotation("a1", Label::Entity, 30, 34)], 1).unwrap();
    let mut ours = base.clone();
    ours.add(range(0, 2), Label::Quote, at(200)).unwrap(); // a2
    ours.link(rel("a2", "said_by", "a1"), at(201)).unwrap();
    let mut theirs = base.clone();
    theirs.add(range(3, 9), Label::Quote, at(300)).unwrap(); // a2, another span
    theirs.link(rel("a2", "said_by", "a1"), at(301)).unwrap();
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(m.renamed, [(id("a2"), id("a3"))]);
    assert_eq!(
        m.document.relations(),
        [rel("a2", "said_by", "a1"), rel("a3", "said_by", "a1")]
    );
}

#[test]
fn rule10_a_link_to_an_annotation_deleted_on_the_other_side_brings_it_back() {
    let base = base();
    // Ours links a2 to a3; theirs deleted a3: a3 is back, linked.
    let mut ours = base.clone();
    ours.link(rel("a2", "said_by", "a3"), at(200)).unwrap();
    let mut theirs = base.clone();
    theirs.remove(&id("a3"), at(300)).unwrap();
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(m.document.annotations(), base.annotations());
    assert_eq!(m.document.relations(), [rel("a2", "said_by", "a3")]);
    assert!(m.differs_from_theirs);
    // The other way round: theirs linked to what ours deleted: kept.
    let m = merged(Some(&base), &theirs, &ours);
    assert_eq!(m.document.annotations(), ours.annotations());
    assert_eq!(m.document.relations(), ours.relations());
    // Theirs deleted both ends: both back.
    let mut theirs = base.clone();
    theirs.remove(&id("a2"), at(300)).unwrap();
    theirs.remove(&id("a3"), at(300)).unwrap();
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(m.document.annotations(), base.annotations());
    assert_eq!(m.document.relations(), [rel("a2", "said_by", "a3")]);
}

/// Found by the random merge test: ours linked two annotations theirs deleted, and theirs tagged
/// one of their spans again under a new id. The revived copy gives way to theirs' (rule 9), and
/// the link now follows to theirs' copy instead of being dropped (which also left the other end
/// revived for nothing, so that merging again deleted it).
#[test]
fn rule10_a_link_to_a_revived_annotation_follows_theirs_copy_of_its_span() {
    let base = base();
    let mut ours = base.clone();
    ours.link(rel("a2", "said_by", "a3"), at(200)).unwrap();
    let mut theirs = base.clone();
    theirs.remove(&id("a2"), at(300)).unwrap();
    theirs.remove(&id("a3"), at(300)).unwrap();
    theirs.add(range(12, 15), Label::Entity, at(301)).unwrap(); // a4 = a3's span
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(
        rows(&m.document),
        [
            row("a1", Label::Claim, 0, 21),
            row("a2", Label::Quote, 10, 19),
            row("a4", Label::Entity, 12, 15),
        ]
    );
    assert_eq!(m.document.relations(), [rel("a2", "said_by", "a4")]);
    assert!(m.dropped_relations.is_empty());
    assert_eq!(
        merge(Some(&base), &m.document, &theirs).document,
        m.document
    );
}

#[test]
fn rule10_a_link_whose_ends_become_one_annotation_is_reported() {
    // Ours links its new Quote a4 to a3 (Entity) on the same span; theirs relabels a3 to Quote.
    // The two ends are now one annotation: the link cannot be kept, and is reported.
    let base = base();
    let mut ours = base.clone();
    ours.add(range(12, 15), Label::Quote, at(200)).unwrap(); // a4
    ours.link(rel("a4", "said_by", "a3"), at(201)).unwrap();
    let mut theirs = base.clone();
    theirs.relabel(&id("a3"), Label::Quote, at(300)).unwrap();
    let m = merged(Some(&base), &ours, &theirs);
    assert_eq!(m.document.annotations(), theirs.annotations());
    assert!(m.document.relations().is_empty());
    assert_eq!(m.dropped_relations, [rel("a3", "said_by", "a3")]);
}

#[test]
fn rule11_values_and_notes_merge_name_by_name() {
    let mut base = base();
    base.set_attribute(&id("a2"), "type", Some("direct"), at(1))
        .unwrap();
    base.set_attribute(&id("a3"), "kind", Some("person"), at(1))
        .unwrap();
    base.set_note(Some(&id("a3")), "base note", at(1)).unwrap();
    let mut ours = base.clone();
    ours.set_attribute(&id("a2"), "type", Some("mixed"), at(200)) // theirs too: theirs wins
        .unwrap();
    ours.set_attribute(&id("a3"), "id", Some("Q42"), at(200)) // ours alone
        .unwrap();
    ours.set_attribute(&id("a3"), "kind", None, at(200)) // ours clears, theirs left it
        .unwrap();
    ours.set_note(Some(&id("a1")), "ours «1»\n😀", at(200))
        .unwrap();
    ours.set_note(Some(&id("a3")), "ours", at(200)).unwrap(); // theirs too: theirs wins
    let mut theirs = base.clone();
    theirs
        .set_attribute(&id("a2"), "type", Some("indirect"), at(300))
        .unwrap();
    theirs
        .set_attribute(&id("a1"), "check_worthy", Some("yes"), at(300))
        .unwrap();
    theirs.set_note(Some(&id("a3")), "theirs", at(300)).unwrap();
    let m = merged(Some(&base), &ours, &theirs);
    let a = |i: &str| m.document.annotation(&id(i)).unwrap().clone();
    let values = |i: &str| -> Vec<(String, String)> {
        a(i).attributes
            .iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect()
    };
    let pair = |n: &str, v: &str| (n.to_owned(), v.to_owned());
    assert_eq!(values("a1"), [pair("check_worthy", "yes")]);
    assert_eq!(a("a1").note.as_deref(), Some("ours «1»\n😀"));
    assert_eq!(values("a2"), [pair("type", "indirect")]);
    assert_eq!(values("a3"), [pair("id", "Q42")]);
    assert_eq!(a("a3").note.as_deref(), Some("theirs"));
}

#[test]
fn rule11_the_articles_note_merges_like_a_value() {
    let mut base = base();
    base.set_note(None, "base", at(1)).unwrap();
    let with_note = |note: &str| {
        let mut d = base.clone();
        d.set_note(None, note, at(200)).unwrap();
        d
    };
    let note = |m: &Merged| m.document.note.as_deref().map(str::to_owned);
    // Ours changed it, theirs did not: ours'.
    assert_eq!(
        note(&merged(Some(&base), &with_note("ours"), &base)).as_deref(),
        Some("ours")
    );
    // Ours cleared it: cleared.
    assert_eq!(note(&merged(Some(&base), &with_note(" "), &base)), None);
    // Both changed it: theirs'.
    assert_eq!(
        note(&merged(
            Some(&base),
            &with_note("ours"),
            &with_note("theirs")
        ))
        .as_deref(),
        Some("theirs")
    );
    // Theirs changed it alone: theirs'.
    assert_eq!(
        note(&merged(Some(&base), &base, &with_note("theirs"))).as_deref(),
        Some("theirs")
    );
}

#[test]
fn rule11_a_value_or_note_set_on_an_annotation_deleted_on_the_other_side_brings_it_back() {
    let base = base();
    let mut theirs = base.clone();
    theirs.remove(&id("a2"), at(300)).unwrap();
    for change in [
        |d: &mut Document| {
            d.set_attribute(&id("a2"), "type", Some("direct"), at(200))
                .unwrap();
        },
        |d: &mut Document| {
            d.set_note(Some(&id("a2")), "Keep this one.", at(200))
                .unwrap();
        },
    ] {
        let mut ours = base.clone();
        change(&mut ours);
        let m = merged(Some(&base), &ours, &theirs);
        assert_eq!(m.document.annotation(&id("a2")), ours.annotation(&id("a2")));
        assert!(m.differs_from_theirs);
        // And the other way round: theirs' edit keeps what ours deleted.
        let m = merged(Some(&base), &theirs, &ours);
        assert_eq!(m.document.annotations(), ours.annotations());
    }
}

/// Found by the model test of the save engine: a tab that takes in an older save after a newer
/// one (storage events arrive out of order) holds the annotation with a value the older save's
/// copy lacks, and the base has neither. Rule 3 kept theirs' copy and dropped ours' value.
#[test]
fn rule3_theirs_copy_of_a_span_keeps_the_values_and_note_ours_gave_it() {
    let base = base();
    let mut ours = base.clone();
    let a = ours.add(range(30, 34), Label::Entity, at(200)).unwrap(); // a4
    ours.set_attribute(&a.id, "kind", Some("person"), at(201))
        .unwrap();
    ours.set_attribute(&a.id, "id", Some("Q1"), at(201))
        .unwrap();
    ours.set_note(Some(&a.id), "ours", at(201)).unwrap();
    let mut theirs = base.clone();
    theirs.add(range(30, 34), Label::Entity, at(300)).unwrap(); // a4, the same span
    theirs
        .set_attribute(&id("a4"), "kind", Some("place"), at(301))
        .unwrap();
    let m = merged(Some(&base), &ours, &theirs);
    let kept = m.document.annotation(&id("a4")).unwrap();
    let values: Vec<(&str, &str)> = kept.attributes.iter().collect();
    assert_eq!(
        values,
        [("id", "Q1"), ("kind", "place")],
        "theirs' value wins"
    );
    assert_eq!(kept.note.as_deref(), Some("ours"));
    assert_eq!(
        merge(Some(&base), &m.document, &theirs).document,
        m.document
    );
    // Without a base too; and the article's note of ours is kept when theirs has none.
    ours.set_note(None, "ours «article»", at(202)).unwrap();
    let m = merged(None, &ours, &theirs);
    assert_eq!(
        m.document.annotation(&id("a4")).unwrap().note.as_deref(),
        Some("ours")
    );
    assert_eq!(m.document.note.as_deref(), Some("ours «article»"));
    theirs.set_note(None, "theirs", at(302)).unwrap();
    assert_eq!(
        merged(None, &ours, &theirs).document.note.as_deref(),
        Some("theirs")
    );
}

#[test]
fn rule8_without_a_base_both_sides_relations_are_kept() {
    let mut ours = empty_document();
    ours.add(range(0, 2), Label::Quote, at(200)).unwrap(); // a1
    ours.add(range(30, 34), Label::Entity, at(201)).unwrap(); // a2
    ours.link(rel("a1", "said_by", "a2"), at(202)).unwrap();
    let mut theirs = empty_document();
    theirs.add(range(30, 34), Label::Entity, at(300)).unwrap(); // a1: ours' a2's span
    theirs.add(range(3, 9), Label::Claim, at(301)).unwrap(); // a2
    theirs.link(rel("a2", "about", "a1"), at(302)).unwrap();
    let m = merged(None, &ours, &theirs);
    assert_eq!(
        rows(&m.document),
        [
            row("a3", Label::Quote, 0, 2),
            row("a2", Label::Claim, 3, 9),
            row("a1", Label::Entity, 30, 34),
        ]
    );
    assert_eq!(
        m.document.relations(),
        [rel("a2", "about", "a1"), rel("a3", "said_by", "a1")]
    );
}

// ---------------------------------------------------------------------------------------------
// Random bases edited independently by two tabs.
// ---------------------------------------------------------------------------------------------

/// Short texts (so spans collide often) with multi-unit and combining characters.
const ALPHABET: [char; 10] = ['a', 'b', ' ', 'é', '北', '😀', 'ש', '\n', 'e', '\u{301}'];

fn text(max_chars: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET.to_vec()), 1..=max_chars)
        .prop_map(|chars| chars.into_iter().collect())
}

fn label() -> impl Strategy<Value = Label> {
    prop::sample::select(Label::ALL.to_vec())
}

#[derive(Clone, Debug)]
enum Op {
    Add {
        start: Index,
        len: Index,
        label: Label,
    },
    Remove(Index),
    Relabel(Index, Label),
    /// Links two annotations with one of [`KINDS`].
    Link(Index, Index, usize),
    /// Removes one relation.
    Unlink(Index),
    /// Sets ([`VALUES`]) or clears (`None`) one of [`NAMES`].
    SetAttribute(Index, usize, Option<usize>),
    /// The note of an annotation, or of the article (`None`); one of [`NOTES`].
    SetNote(Option<Index>, usize),
}

const KINDS: [&str; 2] = ["said_by", "about"];
const NAMES: [&str; 2] = ["type", "id"];
const VALUES: [&str; 3] = ["direct", "北京 😀", "Q42"];
/// The first two are "no note".
const NOTES: [&str; 4] = ["", " \n", "ours\r\n«note» 👩‍👩‍👧‍👦", "other"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (any::<Index>(), any::<Index>(), label())
            .prop_map(|(start, len, label)| Op::Add { start, len, label }),
        2 => any::<Index>().prop_map(Op::Remove),
        2 => (any::<Index>(), label()).prop_map(|(i, label)| Op::Relabel(i, label)),
        2 => (any::<Index>(), any::<Index>(), 0..KINDS.len())
            .prop_map(|(a, b, k)| Op::Link(a, b, k)),
        1 => any::<Index>().prop_map(Op::Unlink),
        2 => (any::<Index>(), 0..NAMES.len(), proptest::option::weighted(0.8, 0..VALUES.len()))
            .prop_map(|(i, n, v)| Op::SetAttribute(i, n, v)),
        1 => (proptest::option::weighted(0.7, any::<Index>()), 0..NOTES.len())
            .prop_map(|(i, n)| Op::SetNote(i, n)),
    ]
}

/// Records `by` as who changed an annotation's value or note, as the app's edits do.
fn stamp_change(document: &mut Document, id: &AnnotationId, by: Option<&AnnotatorName>) {
    let edit = Edit::NoteSet {
        id: Some(id.clone()),
        from: None,
        to: None,
    };
    edit.stamp_changes(document, by);
}

/// Applies the edits a tab's user could make, at times `from`, `from + 1`, ...; refused edits
/// (a span already tagged so) are skipped, as the app does. Ours and theirs work under names
/// of their own (told apart by `from`: their edits start at 1000 and 2000), the base's edits
/// under none, so the authors merge too.
fn edited(document: &Document, ops: &[Op], from: i64) -> Document {
    const ANNOTATORS: [&str; 3] = ["ann", "李 雷", "👩🏽‍💻 dev"];
    let turn = usize::try_from(from / 1000).unwrap_or_default();
    let by = (turn > 0).then(|| AnnotatorName::parse(ANNOTATORS[turn % 3]).unwrap());
    let mut document = document.clone();
    for (k, op) in ops.iter().enumerate() {
        let now = at(from + k as i64);
        let count = document.annotations().len();
        match op {
            Op::Add { start, len, label } => {
                let chars = document.text().char_len();
                let start = start.index(chars);
                let end = start + 1 + len.index(chars - start);
                if let Ok(added) = document.add(range(start, end), label.clone(), now) {
                    Edit::Added(added).stamp(&mut document, by.as_ref());
                }
            }
            Op::Remove(i) if count > 0 => {
                let id = document.annotations()[i.index(count)].id.clone();
                document.remove(&id, now);
            }
            Op::Relabel(i, label) if count > 0 => {
                let id = document.annotations()[i.index(count)].id.clone();
                if let Ok(Some(from)) = document.relabel(&id, label.clone(), now) {
                    let to = label.clone();
                    Edit::Relabelled { id, from, to }.stamp(&mut document, by.as_ref());
                }
            }
            Op::Link(a, b, k) if count > 0 => {
                let from = document.annotations()[a.index(count)].id.clone();
                let to = document.annotations()[b.index(count)].id.clone();
                let _ = document.link(Relation::new(relation_kind(KINDS[*k]), from, to), now);
            }
            Op::Unlink(i) if !document.relations().is_empty() => {
                let all = document.relations();
                let r = all[i.index(all.len())].clone();
                assert!(document.unlink(&r, now));
            }
            Op::SetAttribute(i, n, v) if count > 0 => {
                let id = document.annotations()[i.index(count)].id.clone();
                let value = v.map(|v| VALUES[v]);
                document.set_attribute(&id, NAMES[*n], value, now).unwrap();
                stamp_change(&mut document, &id, by.as_ref());
            }
            Op::SetNote(Some(i), n) if count > 0 => {
                let id = document.annotations()[i.index(count)].id.clone();
                document.set_note(Some(&id), NOTES[*n], now).unwrap();
                stamp_change(&mut document, &id, by.as_ref());
            }
            Op::SetNote(None, n) => {
                document.set_note(None, NOTES[*n], now).unwrap();
            }
            Op::Remove(_)
            | Op::Relabel(..)
            | Op::Link(..)
            | Op::Unlink(_)
            | Op::SetAttribute(..)
            | Op::SetNote(..) => {}
        }
    }
    document.check_invariants().unwrap();
    document
}

/// What one side did to the base, worked out from the documents alone.
struct Side<'a> {
    document: &'a Document,
    by_id: HashMap<&'a AnnotationId, &'a Annotation>,
    /// The ends of the relations this side holds and the base does not: linking is an edit.
    linked: HashSet<&'a AnnotationId>,
}

impl<'a> Side<'a> {
    fn new(document: &'a Document, base: &Document) -> Self {
        let base_relations: HashSet<&Relation> = base.relations().iter().collect();
        Self {
            document,
            by_id: document
                .annotations()
                .iter()
                .map(|a| (&a.id, &**a))
                .collect(),
            linked: document
                .relations()
                .iter()
                .filter(|r| !base_relations.contains(r))
                .flat_map(|r| [&r.from, &r.to])
                .collect(),
        }
    }

    /// This side's version of base annotation `b` (same id, same range).
    fn version(&self, b: &Annotation) -> Option<&'a Annotation> {
        self.by_id
            .get(&b.id)
            .copied()
            .filter(|a| a.range == b.range)
    }

    fn deleted(&self, b: &Annotation) -> bool {
        self.version(b).is_none()
    }

    /// Kept exactly as in the base: label, values and note, and not linked anew.
    fn untouched(&self, b: &Annotation) -> bool {
        self.version(b)
            .is_some_and(|a| a.label == b.label && !details_changed(a, b))
            && !self.linked.contains(&b.id)
    }

    /// Changed in any way the merge counts as an edit that beats a delete (rules 5, 10, 11).
    fn edited(&self, b: &Annotation) -> Option<&'a Annotation> {
        self.version(b).filter(|_| !self.untouched(b))
    }

    /// The new label, if this side relabelled `b`.
    fn relabelled(&self, b: &Annotation) -> Option<Label> {
        self.version(b)
            .map(|a| a.label.clone())
            .filter(|l| *l != b.label)
    }

    /// The annotations this side added (not in the base as the same annotation).
    fn added(&self, base: &Side) -> Vec<&'a Annotation> {
        self.document
            .annotations()
            .iter()
            .filter(|a| base.version(a).is_none())
            .map(|a| &**a)
            .collect()
    }
}

fn details_changed(a: &Annotation, b: &Annotation) -> bool {
    a.attributes != b.attributes || a.note != b.note
}

fn relation_kind(name: &str) -> RelationKind {
    RelationKind::parse(name).unwrap()
}

/// A relation as its kind and the ranges of its ends: what identifies it across renamed ids.
fn by_ranges(document: &Document, r: &Relation) -> Option<(RelationKind, CharRange, CharRange)> {
    let range = |id: &AnnotationId| document.annotation(id).map(|a| a.range);
    Some((r.kind.clone(), range(&r.from)?, range(&r.to)?))
}

fn holds_by_ranges(document: &Document, wanted: &(RelationKind, CharRange, CharRange)) -> bool {
    document
        .relations()
        .iter()
        .any(|x| by_ranges(document, x).as_ref() == Some(wanted))
}

fn has_span(document: &Document, range: CharRange, label: Label) -> bool {
    document
        .annotations()
        .iter()
        .any(|a| a.range == range && a.label == label)
}

fn check_merge(base: &Document, ours: &Document, theirs: &Document) -> Result<(), TestCaseError> {
    let m = merge(Some(base), ours, theirs);
    let result = &m.document;
    prop_assert!(
        result.check_invariants().is_ok(),
        "{:?}",
        result.check_invariants()
    );
    prop_assert_eq!(m.differs_from_theirs, result != theirs);
    prop_assert_eq!(result.modified, ours.modified.max(theirs.modified));
    prop_assert_eq!(&result.title, &theirs.title);

    let (b_side, o_side, t_side) = (
        Side::new(base, base),
        Side::new(ours, base),
        Side::new(theirs, base),
    );
    let r_side = Side::new(result, base);

    // Rules 2 and 3: whatever either side added is there (as a span: it may carry theirs' id).
    for a in o_side
        .added(&b_side)
        .into_iter()
        .chain(t_side.added(&b_side))
    {
        prop_assert!(
            has_span(result, a.range, a.label.clone()),
            "added {:?} is missing",
            a
        );
    }

    for b in base.annotations() {
        // Rule 4: deleted by one side, untouched by the other: gone.
        if (o_side.deleted(b) && t_side.untouched(b)) || (t_side.deleted(b) && o_side.untouched(b))
        {
            prop_assert!(
                result.annotation(&b.id).is_none(),
                "{:?} should be deleted",
                b
            );
        }
        match (o_side.relabelled(b), t_side.relabelled(b)) {
            // Rules 5 and 6: relabelled by theirs alone, or by both: theirs' label, on that id.
            (_, Some(label)) => {
                prop_assert_eq!(
                    r_side.version(b).map(|a| a.label.clone()),
                    Some(label),
                    "{:?} relabelled by theirs",
                    b
                );
            }
            // Rules 5, 6 and 9: relabelled by ours alone: the span carries ours' label, on this
            // annotation or on the one that made the relabel a duplicate.
            (Some(label), None) => {
                prop_assert!(
                    has_span(result, b.range, label),
                    "{:?} relabelled by ours",
                    b
                );
            }
            (None, None) => {}
        }
    }

    // Theirs is all there (perhaps relabelled by ours) except what ours deleted and theirs left.
    for t in theirs.annotations() {
        let deleted_by_ours = b_side
            .version(t)
            .is_some_and(|b| o_side.deleted(b) && t_side.untouched(b));
        if !deleted_by_ours {
            prop_assert_eq!(
                result.annotation(&t.id).map(|a| a.range),
                Some(t.range),
                "theirs' {:?} is missing",
                t
            );
        }
    }

    // Nothing is invented: every annotation is theirs' or ours' (perhaps renamed).
    let renamed_to: HashMap<&AnnotationId, &AnnotationId> =
        m.renamed.iter().map(|(old, new)| (new, old)).collect();
    for r in result.annotations() {
        let from_theirs = t_side.version(r).is_some_and(|t| {
            t.label == r.label || o_side.version(r).is_some_and(|o| o.label == r.label)
        });
        let from_ours = o_side.version(r) == Some(r);
        let renamed_from_ours = renamed_to.get(&r.id).is_some_and(|old| {
            o_side
                .by_id
                .get(old)
                .is_some_and(|o| o.range == r.range && o.label == r.label)
        });
        prop_assert!(
            from_theirs || from_ours || renamed_from_ours,
            "{:?} from nowhere",
            r
        );
    }
    // Renamed ids: ours' ids that theirs used for something else, moved above both counters.
    for (old, new) in &m.renamed {
        prop_assert!(ours.annotation(old).is_some());
        prop_assert_ne!(ours.annotation(old), theirs.annotation(old));
        prop_assert!(new.number().unwrap() >= ours.next_number().max(theirs.next_number()));
        prop_assert!(result.next_number() > new.number().unwrap());
    }
    prop_assert!(result.next_number() >= ours.next_number().max(theirs.next_number()));

    check_relations(base, ours, theirs, &m)?;
    check_details(base, &o_side, &t_side, &r_side, &m)?;

    // Idempotent: merging the result with the same theirs again changes nothing.
    let again = merge(Some(base), result, theirs);
    prop_assert_eq!(&again.document, result);
    prop_assert!(again.renamed.is_empty());

    // Converges: the other tab, whose base is what it saved (theirs) and which has not edited
    // since, takes the result as it is.
    let back = merge(Some(theirs), theirs, result);
    prop_assert_eq!(&back.document, result);
    prop_assert!(!back.differs_from_theirs);
    Ok(())
}

/// Rule 10: relations.
fn check_relations(
    base: &Document,
    ours: &Document,
    theirs: &Document,
    m: &Merged,
) -> Result<(), TestCaseError> {
    let result = &m.document;
    let set = |d: &Document| -> HashSet<Relation> { d.relations().iter().cloned().collect() };
    let (in_base, in_ours, in_theirs, in_result) = (set(base), set(ours), set(theirs), set(result));
    // A relation a side lost by deleting one of its ends, not by unlinking it: it stays when the
    // other side's edit kept that end (rule 10 with rule 5).
    let lost_with_an_end = |side: &Document, r: &Relation| {
        (side.annotation(&r.from).is_none() || side.annotation(&r.to).is_none())
            && result.annotation(&r.from).is_some()
            && result.annotation(&r.to).is_some()
    };
    // Theirs' relations stay, but for those ours unlinked (in the base, gone from ours).
    for r in theirs.relations() {
        let unlinked_by_ours =
            in_base.contains(r) && !in_ours.contains(r) && !lost_with_an_end(ours, r);
        prop_assert_eq!(
            in_result.contains(r),
            !unlinked_by_ours,
            "theirs' {} (unlinked by ours: {})",
            r,
            unlinked_by_ours
        );
    }
    // One unlinked on either side is gone.
    for r in base.relations() {
        let unlinked_by_ours = !in_ours.contains(r) && !lost_with_an_end(ours, r);
        let unlinked_by_theirs = !in_theirs.contains(r) && !lost_with_an_end(theirs, r);
        if unlinked_by_ours || unlinked_by_theirs {
            prop_assert!(!in_result.contains(r), "{} was unlinked", r);
        }
    }
    // Every relation ours linked is there, between the same spans (under whatever ids they now
    // have), or reported.
    for r in ours.relations().iter().filter(|r| !in_base.contains(r)) {
        let wanted = by_ranges(ours, r).unwrap();
        prop_assert!(
            holds_by_ranges(result, &wanted) || !m.dropped_relations.is_empty(),
            "ours' {} is missing",
            r
        );
    }
    // What is reported lost really could not be kept: an end is gone, or both ends became one
    // annotation (ours linked two spans that theirs now holds as one, rule 3), or ours' link
    // became, between the annotations kept, a relation of the base that theirs unlinked.
    for r in &m.dropped_relations {
        prop_assert!(
            r.from == r.to
                || result.annotation(&r.from).is_none()
                || result.annotation(&r.to).is_none()
                || (in_base.contains(r) && !in_theirs.contains(r)),
            "{} was dropped though it fits",
            r
        );
    }
    // Nothing invented.
    for r in result.relations() {
        let from_ours = ours
            .relations()
            .iter()
            .filter_map(|o| by_ranges(ours, o))
            .any(|o| Some(o) == by_ranges(result, r));
        prop_assert!(
            in_theirs.contains(r) || in_ours.contains(r) || from_ours,
            "{} from nowhere",
            r
        );
    }
    Ok(())
}

/// Rule 11: attribute values and notes, name by name; and edits beat a delete.
fn check_details(
    base: &Document,
    o_side: &Side,
    t_side: &Side,
    r_side: &Side,
    m: &Merged,
) -> Result<(), TestCaseError> {
    let (ours, theirs, result) = (o_side.document, t_side.document, &m.document);
    for b in base.annotations() {
        if let (Some(o), Some(t)) = (o_side.version(b), t_side.version(b)) {
            let r = r_side.version(b);
            prop_assert!(r.is_some(), "{:?} kept on both sides is missing", b);
            let r = r.unwrap();
            let names: std::collections::BTreeSet<&str> = b
                .attributes
                .names()
                .chain(o.attributes.names())
                .chain(t.attributes.names())
                .collect();
            for name in names {
                let (bv, ov, tv) = (
                    b.attributes.get(name),
                    o.attributes.get(name),
                    t.attributes.get(name),
                );
                let wanted = if ov != bv && tv == bv { ov } else { tv };
                prop_assert_eq!(r.attributes.get(name), wanted, "{} of {:?}", name, b);
            }
            let wanted = if o.note != b.note && t.note == b.note {
                &o.note
            } else {
                &t.note
            };
            prop_assert_eq!(&r.note, wanted, "note of {:?}", b);
        }
        // Deleted by theirs, edited by ours: back with ours' label (and, under its own id, with
        // ours' values and note).
        if let (true, Some(o)) = (t_side.deleted(b), o_side.edited(b)) {
            prop_assert!(
                has_span(result, b.range, o.label.clone()),
                "{:?} edited by ours, deleted by theirs, is gone",
                o
            );
            if let Some(r) = r_side.version(b) {
                prop_assert!(!details_changed(r, o), "{:?} came back as {:?}", o, r);
            }
        }
    }
    let wanted = if ours.note != base.note && theirs.note == base.note {
        &ours.note
    } else {
        &theirs.note
    };
    prop_assert_eq!(&result.note, wanted, "the article's note");
    Ok(())
}

/// Every property of one random case (see the module header).
fn check_case(
    text: &str,
    base_ops: &[Op],
    ours_ops: &[Op],
    theirs_ops: &[Op],
) -> Result<(), TestCaseError> {
    let empty = Document::new(
        DocumentId::new("doc"),
        "Title".into(),
        ArticleText::normalize(text),
        at(0),
    );
    let base = edited(&empty, base_ops, 1);
    let ours = edited(&base, ours_ops, 1000);
    let theirs = edited(&base, theirs_ops, 2000);

    check_merge(&base, &ours, &theirs)?;
    // The same edits, the other tab merging.
    check_merge(&base, &theirs, &ours)?;

    // Merging a document with itself gives it back, whatever the base.
    for x in [&ours, &theirs] {
        let m = merge(Some(&base), x, x);
        prop_assert_eq!(&m.document, x);
        prop_assert!(!m.differs_from_theirs && m.renamed.is_empty());
        prop_assert_eq!(&merge(None, x, x).document, x);
    }
    // Nothing changed here: take theirs as it is.
    let m = merge(Some(&base), &base, &theirs);
    prop_assert_eq!(&m.document, &theirs);
    prop_assert!(!m.differs_from_theirs);

    // Rule 8: without a base nothing is deleted: all of theirs, and every span of ours.
    let m = merge(None, &ours, &theirs);
    prop_assert!(m.document.check_invariants().is_ok());
    for t in theirs.annotations() {
        // Theirs' annotation, with its values and note, and perhaps values ours gave its span.
        let r = m.document.annotation(&t.id);
        prop_assert!(r.is_some_and(|r| r.range == t.range && r.label == t.label));
        let r = r.unwrap();
        prop_assert!(t
            .attributes
            .iter()
            .all(|(n, v)| r.attributes.get(n) == Some(v)));
        prop_assert!(t.note.is_none() || r.note == t.note);
    }
    for o in ours.annotations() {
        prop_assert!(has_span(&m.document, o.range, o.label.clone()));
        // Nothing of ours is deleted: its values and note are there, unless theirs set others.
        let r = m
            .document
            .annotations()
            .iter()
            .find(|r| r.range == o.range && r.label == o.label)
            .unwrap();
        prop_assert!(o
            .attributes
            .iter()
            .all(|(n, _)| r.attributes.get(n).is_some()));
        prop_assert!(o.note.is_none() || r.note.is_some());
    }
    prop_assert_eq!(
        &m.document.note,
        if theirs.note.is_some() {
            &theirs.note
        } else {
            &ours.note
        }
    );
    for r in theirs.relations() {
        prop_assert!(
            m.document.relations().contains(r),
            "theirs' {} without a base",
            r
        );
    }
    for r in ours.relations() {
        prop_assert!(
            holds_by_ranges(&m.document, &by_ranges(&ours, r).unwrap()),
            "ours' {} without a base",
            r
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn random_concurrent_edits_merge_by_the_rules(
        text in text(13),
        base_ops in prop::collection::vec(op(), 0..10),
        ours_ops in prop::collection::vec(op(), 0..8),
        theirs_ops in prop::collection::vec(op(), 0..8),
    ) {
        check_case(&text, &base_ops, &ours_ops, &theirs_ops)?;
    }

    /// One to three characters: few spans, so the same span carries several labels and edits
    /// collide on it (rotated labels, relabels into a duplicate, identical spans added twice).
    #[test]
    fn random_concurrent_edits_on_a_tiny_text_merge_by_the_rules(
        text in text(3),
        base_ops in prop::collection::vec(op(), 0..12),
        ours_ops in prop::collection::vec(op(), 0..12),
        theirs_ops in prop::collection::vec(op(), 0..12),
    ) {
        check_case(&text, &base_ops, &ours_ops, &theirs_ops)?;
    }
}
