#![cfg(not(target_arch = "wasm32"))]
//! The three-way merge of one document edited in two tabs (`model::merge`).
//!
//! Why: two tabs each add, delete and relabel annotations on their own copy, and each receives
//! the other's saved version. Ids are per-document counters, so both tabs hand out the same `aN`
//! for different annotations; edits can collide on one annotation (delete vs relabel, relabel vs
//! relabel) or produce the same span twice. One hand-written test per rule of the merge, then
//! random bases edited independently on both sides, checking what must survive, what must go,
//! that the result is a valid document, and that merging again changes nothing.

use std::collections::HashMap;

use annotator_core::model::merge::Merged;
use annotator_core::model::{
    merge, Annotation, AnnotationId, ArticleText, CharRange, Document, DocumentId, Label, Timestamp,
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
fn rule1_different_texts_leave_ours_unchanged() {
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
    assert_eq!(m.document, ours);
    assert!(m.renamed.is_empty());
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
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (any::<Index>(), any::<Index>(), label())
            .prop_map(|(start, len, label)| Op::Add { start, len, label }),
        2 => any::<Index>().prop_map(Op::Remove),
        2 => (any::<Index>(), label()).prop_map(|(i, label)| Op::Relabel(i, label)),
    ]
}

/// Applies the edits a tab's user could make, at times `from`, `from + 1`, ...; refused edits
/// (a span already tagged so) are skipped, as the app does.
fn edited(document: &Document, ops: &[Op], from: i64) -> Document {
    let mut document = document.clone();
    for (k, op) in ops.iter().enumerate() {
        let now = at(from + k as i64);
        let count = document.annotations().len();
        match op {
            Op::Add { start, len, label } => {
                let chars = document.text().char_len();
                let start = start.index(chars);
                let end = start + 1 + len.index(chars - start);
                let _ = document.add(range(start, end), label.clone(), now);
            }
            Op::Remove(i) if count > 0 => {
                let id = document.annotations()[i.index(count)].id.clone();
                document.remove(&id, now);
            }
            Op::Relabel(i, label) if count > 0 => {
                let id = document.annotations()[i.index(count)].id.clone();
                let _ = document.relabel(&id, label.clone(), now);
            }
            Op::Remove(_) | Op::Relabel(..) => {}
        }
    }
    document.check_invariants().unwrap();
    document
}

/// What one side did to the base, worked out from the documents alone.
struct Side<'a> {
    document: &'a Document,
    by_id: HashMap<&'a AnnotationId, &'a Annotation>,
}

impl<'a> Side<'a> {
    fn new(document: &'a Document) -> Self {
        Self {
            document,
            by_id: document.annotations().iter().map(|a| (&a.id, a)).collect(),
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

    fn untouched(&self, b: &Annotation) -> bool {
        self.version(b).is_some_and(|a| a.label == b.label)
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
            .collect()
    }
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

    let (b_side, o_side, t_side) = (Side::new(base), Side::new(ours), Side::new(theirs));
    let r_side = Side::new(result);

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
        prop_assert_eq!(m.document.annotation(&t.id), Some(t));
    }
    for o in ours.annotations() {
        prop_assert!(has_span(&m.document, o.range, o.label.clone()));
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
