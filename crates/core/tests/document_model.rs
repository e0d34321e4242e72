#![cfg(not(target_arch = "wasm32"))]
//! `Document` and `History` against a naive reference model.
//!
//! Why: the document keeps its annotations sorted, unique and inside the text, issues ids that are
//! never reused, and undo/redo replays edits on it. Each rule is simple; their interaction under a
//! long sequence of adds, removals, relabels, undos and redos is not. Here every random operation
//! is applied both to a `Document` (recording edits in a `History` exactly as the reducer does)
//! and to a model that is just a list of rows plus snapshot stacks, and the two must agree after
//! every step, with `check_invariants()` holding throughout.

use std::cmp::Reverse;

use annotator_core::model::history::MAX_UNDO_STEPS;
use annotator_core::model::{
    Annotation, AnnotationId, ArticleText, CharRange, Document, DocumentError, DocumentId, Edit,
    History, Label, Stale, Step, Timestamp,
};
use proptest::prelude::*;
use proptest::sample::Index;

/// 41 code points with multi-unit characters, so offsets are not byte or UTF-16 positions.
const TEXT: &str = "Он сказал «北京市 😀» e\u{301}, שלום!\nNext 👩‍👩‍👧‍👦.";

fn text_len() -> usize {
    TEXT.chars().count()
}

fn at(millis: i64) -> Timestamp {
    Timestamp::from_unix_millis(millis)
}

fn range(start: usize, end: usize) -> CharRange {
    CharRange::from_raw(start, end).unwrap()
}

fn empty_document() -> Document {
    Document::new(
        DocumentId::new("doc"),
        "Title".into(),
        ArticleText::normalize(TEXT),
        at(0),
    )
}

fn annotation(id: &str, label: Label, start: usize, end: usize) -> Annotation {
    Annotation::new(AnnotationId::new(id), label, range(start, end))
}

/// The document the random sequences start from: not empty, so "undo everything" has somewhere
/// non-trivial to return to.
fn starting_document() -> Document {
    Document::from_parts(
        empty_document(),
        vec![
            annotation("a2", Label::Quote, 10, 19),
            annotation("a1", Label::Claim, 0, 21),
        ],
        1,
    )
    .unwrap()
}

// ---------------------------------------------------------------------------------------------
// The reference model: rows in a Vec, undo/redo as whole snapshots (not as inverse edits).
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    id: String,
    label: Label,
    start: usize,
    end: usize,
}

fn rows_of(document: &Document) -> Vec<Row> {
    document
        .annotations()
        .iter()
        .map(|a| Row {
            id: a.id.to_string(),
            label: a.label.clone(),
            start: a.range.start().get(),
            end: a.range.end().get(),
        })
        .collect()
}

#[derive(Clone, Debug)]
struct Model {
    rows: Vec<Row>,
    next: u64,
    modified: Timestamp,
    undo: Vec<Vec<Row>>,
    redo: Vec<Vec<Row>>,
}

impl Model {
    fn of(document: &Document) -> Self {
        Self {
            rows: rows_of(document),
            next: document.next_number(),
            modified: document.modified,
            undo: Vec::new(),
            redo: Vec::new(),
        }
    }

    /// Rows in the documented text order: start ascending, end descending, then id.
    fn sorted_rows(&self) -> Vec<Row> {
        let mut rows = self.rows.clone();
        rows.sort_by(|a, b| {
            (a.start, Reverse(a.end), &a.id).cmp(&(b.start, Reverse(b.end), &b.id))
        });
        rows
    }

    fn has_span(&self, start: usize, end: usize, label: Label) -> bool {
        self.rows
            .iter()
            .any(|r| r.start == start && r.end == end && r.label == label)
    }

    /// Remembers the current rows before an edit; a new edit forgets what was undone.
    fn checkpoint(&mut self, now: Timestamp) {
        self.undo.push(self.rows.clone());
        self.redo.clear();
        self.modified = now;
    }

    fn add(
        &mut self,
        start: usize,
        end: usize,
        label: Label,
        now: Timestamp,
    ) -> Result<Row, DocumentError> {
        let id = format!("a{}", self.next);
        if start == end {
            return Err(DocumentError::EmptySpan { id });
        }
        if end > text_len() {
            return Err(DocumentError::PastEnd {
                id,
                start,
                end,
                len: text_len(),
            });
        }
        if self.has_span(start, end, label.clone()) {
            return Err(DocumentError::AlreadyTagged { label });
        }
        self.checkpoint(now);
        self.next += 1;
        let row = Row {
            id,
            label,
            start,
            end,
        };
        self.rows.push(row.clone());
        Ok(row)
    }

    fn remove(&mut self, id: &str, now: Timestamp) -> Option<Row> {
        let at = self.rows.iter().position(|r| r.id == id)?;
        self.checkpoint(now);
        Some(self.rows.remove(at))
    }

    fn relabel(
        &mut self,
        id: &str,
        label: Label,
        now: Timestamp,
    ) -> Result<Option<Label>, DocumentError> {
        let Some(at) = self.rows.iter().position(|r| r.id == id) else {
            return Ok(None);
        };
        let Row {
            start,
            end,
            label: old,
            ..
        } = self.rows[at].clone();
        if old == label {
            return Ok(Some(old));
        }
        if self.has_span(start, end, label.clone()) {
            return Err(DocumentError::AlreadyTagged { label });
        }
        self.checkpoint(now);
        self.rows[at].label = label;
        Ok(Some(old))
    }

    fn step(&mut self, forward: bool, now: Timestamp) -> bool {
        let (from, to) = if forward {
            (&mut self.redo, &mut self.undo)
        } else {
            (&mut self.undo, &mut self.redo)
        };
        let Some(rows) = from.pop() else {
            return false;
        };
        to.push(std::mem::replace(&mut self.rows, rows));
        self.modified = now;
        true
    }
}

// ---------------------------------------------------------------------------------------------
// Random operations.
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Op {
    /// A fresh range, sometimes empty or past the end.
    Add {
        start: usize,
        len: usize,
        label: Label,
    },
    /// The range of an existing annotation again, often colliding with it.
    AddSameRange {
        pick: Index,
        label: Label,
    },
    Remove {
        pick: Index,
    },
    RemoveMissing,
    Relabel {
        pick: Index,
        label: Label,
    },
    RelabelMissing {
        label: Label,
    },
    Undo,
    Redo,
}

fn label() -> impl Strategy<Value = Label> {
    prop::sample::select(Label::ALL.to_vec())
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..text_len() + 3, 0usize..12, label()).prop_map(|(start, len, label)| Op::Add { start, len, label }),
        2 => (any::<Index>(), label()).prop_map(|(pick, label)| Op::AddSameRange { pick, label }),
        3 => any::<Index>().prop_map(|pick| Op::Remove { pick }),
        1 => Just(Op::RemoveMissing),
        3 => (any::<Index>(), label()).prop_map(|(pick, label)| Op::Relabel { pick, label }),
        1 => label().prop_map(|label| Op::RelabelMissing { label }),
        3 => Just(Op::Undo),
        2 => Just(Op::Redo),
    ]
}

/// The document, its history and the model, driven in lockstep.
struct Harness {
    document: Document,
    history: History,
    model: Model,
    clock: i64,
    issued_ids: Vec<String>,
}

impl Harness {
    fn new(document: Document) -> Self {
        let model = Model::of(&document);
        Self {
            document,
            history: History::default(),
            model,
            clock: 1_000,
            issued_ids: Vec::new(),
        }
    }

    fn tick(&mut self) -> Timestamp {
        self.clock += 1;
        at(self.clock)
    }

    fn picked_id(&self, pick: &Index) -> Option<AnnotationId> {
        let annotations = self.document.annotations();
        (!annotations.is_empty()).then(|| annotations[pick.index(annotations.len())].id.clone())
    }

    fn apply(&mut self, op: &Op) {
        let now = self.tick();
        match op {
            Op::Add { start, len, label } => self.add(*start, start + len, label.clone(), now),
            Op::AddSameRange { pick, label } => {
                if let Some(id) = self.picked_id(pick) {
                    let r = self.document.annotation(&id).unwrap().range;
                    self.add(r.start().get(), r.end().get(), label.clone(), now);
                }
            }
            Op::Remove { pick } => {
                if let Some(id) = self.picked_id(pick) {
                    let removed = self.document.remove(&id, now).expect("picked id exists");
                    let expected = self.model.remove(id.as_str(), now).expect("model has it");
                    assert_eq!(row_of(&removed.annotation), expected);
                    self.history.record(Edit::Removed(removed));
                }
            }
            Op::RemoveMissing => {
                assert_eq!(
                    self.document.remove(&AnnotationId::new("a-missing"), now),
                    None
                );
            }
            Op::Relabel { pick, label } => {
                if let Some(id) = self.picked_id(pick) {
                    self.relabel(&id, label.clone(), now);
                }
            }
            Op::RelabelMissing { label } => {
                self.relabel(&AnnotationId::new("nope"), label.clone(), now)
            }
            Op::Undo => {
                let undone = self.history.undo(&mut self.document, now).applied();
                assert_eq!(
                    undone.is_some(),
                    self.model.step(false, now),
                    "undo availability"
                );
            }
            Op::Redo => {
                let redone = self.history.redo(&mut self.document, now).applied();
                assert_eq!(
                    redone.is_some(),
                    self.model.step(true, now),
                    "redo availability"
                );
            }
        }
    }

    fn add(&mut self, start: usize, end: usize, label: Label, now: Timestamp) {
        let got = self.document.add(range(start, end), label.clone(), now);
        let expected = self.model.add(start, end, label.clone(), now);
        assert_eq!(
            got.clone().map(|a| row_of(&a)),
            expected,
            "add {start}..{end} {label}"
        );
        if let Ok(added) = got {
            self.issued_ids.push(added.id.to_string());
            self.history.record(Edit::Added(added));
        }
    }

    fn relabel(&mut self, id: &AnnotationId, label: Label, now: Timestamp) {
        let got = self.document.relabel(id, label.clone(), now);
        let expected = self.model.relabel(id.as_str(), label.clone(), now);
        assert_eq!(got, expected, "relabel {id} to {label}");
        // The reducer records a relabel only when the label really changed.
        if let Ok(Some(from)) = got {
            if from != label {
                self.history.record(Edit::Relabelled {
                    id: id.clone(),
                    from,
                    to: label,
                });
            }
        }
    }

    fn assert_agrees(&self, after: &str) {
        if let Err(broken) = self.document.check_invariants() {
            panic!("after {after}: invariant broken: {broken}");
        }
        assert_eq!(
            rows_of(&self.document),
            self.model.sorted_rows(),
            "after {after}: annotations"
        );
        assert_eq!(
            self.document.next_number(),
            self.model.next,
            "after {after}: next id number"
        );
        assert_eq!(
            self.document.modified, self.model.modified,
            "after {after}: modified"
        );
        assert_eq!(
            self.history.can_undo(),
            !self.model.undo.is_empty(),
            "after {after}: can_undo"
        );
        assert_eq!(
            self.history.can_redo(),
            !self.model.redo.is_empty(),
            "after {after}: can_redo"
        );
    }
}

fn row_of(a: &Annotation) -> Row {
    Row {
        id: a.id.to_string(),
        label: a.label.clone(),
        start: a.range.start().get(),
        end: a.range.end().get(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_agree_with_the_reference_model(ops in prop::collection::vec(op(), 0..80)) {
        let mut h = Harness::new(starting_document());
        h.assert_agrees("start");
        for (i, op) in ops.iter().enumerate() {
            h.apply(op);
            h.assert_agrees(&format!("op {i} {op:?}"));
        }

        // Ids handed out by `add` are never handed out twice, whatever was undone or deleted.
        let mut ids = h.issued_ids.clone();
        ids.sort();
        ids.dedup();
        prop_assert_eq!(ids.len(), h.issued_ids.len(), "an id was reused: {:?}", h.issued_ids);

        // Undo everything: back to the starting annotations. Redo everything: the model's end.
        let before_undo_all = h.model.clone();
        while h.model.step(false, at(0)) {}
        let mut undos = 0;
        while h.history.undo(&mut h.document, at(0)).applied().is_some() {
            undos += 1;
        }
        prop_assert_eq!(undos, before_undo_all.undo.len());
        prop_assert_eq!(rows_of(&h.document), rows_of(&starting_document()));
        while h.model.step(true, at(0)) {}
        while h.history.redo(&mut h.document, at(0)).applied().is_some() {}
        prop_assert_eq!(rows_of(&h.document), h.model.sorted_rows());
        if before_undo_all.redo.is_empty() {
            prop_assert_eq!(h.model.sorted_rows(), before_undo_all.sorted_rows());
        }
        h.document.check_invariants().unwrap();
    }
}

proptest! {
    /// An id's stored hash only speeds comparison up: equality, order and hash are the text's.
    #[test]
    fn ids_compare_as_their_text(a in "a?[0-9a-z_é😀-]{0,6}", b in "a?[0-9a-z_é😀-]{0,6}") {
        use std::hash::{BuildHasher, RandomState};
        let (x, y) = (AnnotationId::new(&a), AnnotationId::new(&b));
        prop_assert_eq!(x == y, a == b);
        prop_assert_eq!(x.cmp(&y), a.cmp(&b));
        prop_assert_eq!(x.clone(), AnnotationId::new(&a));
        let hasher = RandomState::new();
        prop_assert_eq!(hasher.hash_one(&x) == hasher.hash_one(&y), hasher.hash_one(a.as_str()) == hasher.hash_one(b.as_str()));
    }
}

// ---------------------------------------------------------------------------------------------
// Hand-written cases.
// ---------------------------------------------------------------------------------------------

#[test]
fn undo_all_then_redo_all_round_trips_add_relabel_and_remove() {
    let mut document = empty_document();
    let mut history = History::default();
    let original = rows_of(&document);

    let claim = document.add(range(0, 21), Label::Claim, at(1)).unwrap();
    history.record(Edit::Added(claim.clone()));
    let quote = document.add(range(10, 19), Label::Quote, at(2)).unwrap();
    history.record(Edit::Added(quote.clone()));
    let entity = document.add(range(11, 14), Label::Quote, at(3)).unwrap();
    history.record(Edit::Added(entity.clone()));
    let from = document
        .relabel(&entity.id, Label::Entity, at(4))
        .unwrap()
        .unwrap();
    history.record(Edit::Relabelled {
        id: entity.id.clone(),
        from,
        to: Label::Entity,
    });
    let removed = document.remove(&claim.id, at(5)).unwrap();
    history.record(Edit::Removed(removed));
    let last = rows_of(&document);
    assert_eq!(
        last,
        vec![
            Row {
                id: "a2".into(),
                label: Label::Quote,
                start: 10,
                end: 19
            },
            Row {
                id: "a3".into(),
                label: Label::Entity,
                start: 11,
                end: 14
            },
        ]
    );

    let mut undone = Vec::new();
    while let Some(edit) = history.undo(&mut document, at(6)).applied() {
        undone.push(
            edit.annotation_id()
                .map(ToString::to_string)
                .unwrap_or_default(),
        );
        document.check_invariants().unwrap();
    }
    assert_eq!(
        undone,
        ["a1", "a3", "a3", "a2", "a1"],
        "undo walks back newest first"
    );
    assert_eq!(rows_of(&document), original);
    assert_eq!(document.modified, at(6));

    while history.redo(&mut document, at(7)).applied().is_some() {
        document.check_invariants().unwrap();
    }
    assert_eq!(rows_of(&document), last);
    // Undoing the removal brought a1 back under its own id, not a fresh one.
    assert_eq!(document.next_number(), 4);
}

#[test]
fn undo_of_a_removal_restores_the_original_id() {
    let mut document = empty_document();
    let mut history = History::default();
    let a = document.add(range(2, 8), Label::Entity, at(1)).unwrap();
    history.record(Edit::Added(a.clone()));
    let removed = document.remove(&a.id, at(2)).unwrap();
    history.record(Edit::Removed(removed.clone()));
    assert!(document.annotations().is_empty());
    assert_eq!(
        history.undo(&mut document, at(3)).applied(),
        Some(Edit::Removed(removed))
    );
    assert_eq!(document.annotations(), [std::rc::Rc::new(a)]);
}

#[test]
fn a_new_edit_forgets_what_was_undone() {
    let mut document = empty_document();
    let mut history = History::default();
    let a = document.add(range(0, 3), Label::Quote, at(1)).unwrap();
    history.record(Edit::Added(a));
    history.undo(&mut document, at(2)).applied().unwrap();
    assert!(history.can_redo());
    let b = document.add(range(0, 3), Label::Quote, at(3)).unwrap();
    history.record(Edit::Added(b.clone()));
    assert!(!history.can_redo());
    assert_eq!(history.redo(&mut document, at(4)).applied(), None);
    assert_eq!(b.id.as_str(), "a2", "the undone a1 is not reissued");
}

#[test]
fn history_keeps_at_most_max_undo_steps() {
    let long_text = "x".repeat(MAX_UNDO_STEPS + 10);
    let mut document = Document::new(
        DocumentId::new("d"),
        "t".into(),
        ArticleText::normalize(&long_text),
        at(0),
    );
    let mut history = History::default();
    for i in 0..MAX_UNDO_STEPS + 5 {
        let a = document.add(range(i, i + 1), Label::Quote, at(1)).unwrap();
        history.record(Edit::Added(a));
    }
    let mut undos = 0;
    while history.undo(&mut document, at(2)).applied().is_some() {
        undos += 1;
    }
    assert_eq!(undos, MAX_UNDO_STEPS);
    let left: Vec<_> = document
        .annotations()
        .iter()
        .map(|a| a.id.to_string())
        .collect();
    assert_eq!(
        left,
        ["a1", "a2", "a3", "a4", "a5"],
        "the oldest steps were forgotten"
    );
}

#[test]
fn a_step_that_no_longer_fits_is_dropped_alone_and_reported() {
    let mut document = empty_document();
    let mut history = History::default();
    let a = document.add(range(0, 3), Label::Quote, at(1)).unwrap();
    history.record(Edit::Added(a.clone()));
    let removed = document.remove(&a.id, at(2)).unwrap();
    history.record(Edit::Removed(removed.clone()));
    // Someone re-inserts a1 without telling the history: undoing the removal would duplicate it.
    document.insert(a.clone(), at(3)).unwrap();
    let before = document.clone();
    assert_eq!(
        history.undo(&mut document, at(4)),
        Step::Dropped(Edit::Removed(removed), Stale::Taken)
    );
    assert_eq!(document, before, "a dropped step changes nothing");
    assert!(!history.can_redo(), "a dropped step cannot be redone");
    // The step below it still fits: a1 is exactly the annotation it added.
    assert_eq!(
        history.undo(&mut document, at(5)),
        Step::Applied(Edit::Added(a))
    );
    assert!(document.annotations().is_empty());
}

/// Undo only ever reverses this tab's own edit: an annotation with the same id but another
/// span or label is someone else's, and a relabel whose label was changed since is stale.
#[test]
fn undo_never_touches_an_annotation_it_did_not_make() {
    let mut document = empty_document();
    let mut history = History::default();
    let mine = document.add(range(0, 3), Label::Quote, at(1)).unwrap();
    history.record(Edit::Added(mine.clone()));
    // Another tab's annotation now has that id (its save was merged in, ours renamed away).
    document.remove(&mine.id, at(2)).unwrap();
    let theirs = Annotation::new(mine.id.clone(), Label::Entity, range(5, 9));
    document.insert(theirs.clone(), at(2)).unwrap();
    assert_eq!(
        history.undo(&mut document, at(3)),
        Step::Dropped(Edit::Added(mine), Stale::Changed)
    );
    assert_eq!(document.annotations(), [std::rc::Rc::new(theirs.clone())]);

    // A relabel undone after another tab relabelled the same annotation again.
    let mut history = History::default();
    document.relabel(&theirs.id, Label::Claim, at(4)).unwrap();
    history.record(Edit::Relabelled {
        id: theirs.id.clone(),
        from: Label::Entity,
        to: Label::Claim,
    });
    document.relabel(&theirs.id, Label::Quote, at(5)).unwrap();
    assert!(matches!(
        history.undo(&mut document, at(6)),
        Step::Dropped(_, Stale::Changed)
    ));
    assert_eq!(document.annotations()[0].label, Label::Quote);
}

#[test]
fn renamed_ids_are_followed_by_the_history() {
    let mut document = empty_document();
    let mut history = History::default();
    let mine = document.add(range(0, 3), Label::Quote, at(1)).unwrap();
    history.record(Edit::Added(mine.clone()));
    let renamed = AnnotationId::new("a7");
    document.remove(&mine.id, at(2)).unwrap();
    document
        .insert(
            Annotation {
                id: renamed.clone(),
                ..mine.clone()
            },
            at(2),
        )
        .unwrap();
    assert!(history.rename(&[(mine.id.clone(), renamed.clone())]));
    let undone = history.undo(&mut document, at(3)).applied().unwrap();
    assert_eq!(undone.annotation_id(), Some(&renamed));
    assert!(document.annotations().is_empty());
}

#[test]
fn add_keeps_text_order_start_ascending_outer_first() {
    let mut document = empty_document();
    for (start, end) in [(10, 12), (3, 5), (3, 30), (10, 19), (0, 1)] {
        document
            .add(range(start, end), Label::Entity, at(1))
            .unwrap();
    }
    let spans: Vec<_> = rows_of(&document)
        .iter()
        .map(|r| (r.start, r.end))
        .collect();
    assert_eq!(spans, [(0, 1), (3, 30), (3, 5), (10, 19), (10, 12)]);
    document.check_invariants().unwrap();
}

#[test]
fn same_span_may_carry_different_labels_but_not_the_same_twice() {
    let mut document = empty_document();
    document.add(range(4, 9), Label::Quote, at(1)).unwrap();
    let entity = document.add(range(4, 9), Label::Entity, at(2)).unwrap();
    assert_eq!(
        document.add(range(4, 9), Label::Quote, at(3)),
        Err(DocumentError::AlreadyTagged {
            label: Label::Quote
        })
    );
    assert_eq!(
        document.relabel(&entity.id, Label::Quote, at(4)),
        Err(DocumentError::AlreadyTagged {
            label: Label::Quote
        })
    );
    assert_eq!(
        document.modified,
        at(2),
        "failed edits do not touch `modified`"
    );
    assert_eq!(
        document.counts(),
        [(Label::Quote, 1), (Label::Entity, 1), (Label::Claim, 0)]
    );
}

#[test]
fn ids_are_never_reused_after_deletion() {
    let mut document = empty_document();
    let mut seen = Vec::new();
    for round in 0..5 {
        let a = document.add(range(1, 2), Label::Claim, at(round)).unwrap();
        assert!(!seen.contains(&a.id), "{} was issued twice", a.id);
        seen.push(a.id.clone());
        document.remove(&a.id, at(round)).unwrap();
    }
    let ids: Vec<_> = seen.iter().map(ToString::to_string).collect();
    assert_eq!(ids, ["a1", "a2", "a3", "a4", "a5"]);
    assert_eq!(document.next_number(), 6);
}

#[test]
fn from_parts_rejects_a_span_past_the_end() {
    let len = text_len();
    assert_eq!(
        Document::from_parts(
            empty_document(),
            vec![annotation("a1", Label::Quote, 3, len + 1)],
            1
        ),
        Err(DocumentError::PastEnd {
            id: "a1".into(),
            start: 3,
            end: len + 1,
            len
        })
    );
    // Exactly at the end is fine.
    assert!(Document::from_parts(
        empty_document(),
        vec![annotation("a1", Label::Quote, 3, len)],
        1
    )
    .is_ok());
}

#[test]
fn from_parts_rejects_an_empty_span() {
    assert_eq!(
        Document::from_parts(
            empty_document(),
            vec![annotation("a7", Label::Entity, 5, 5)],
            1
        ),
        Err(DocumentError::EmptySpan { id: "a7".into() })
    );
}

#[test]
fn from_parts_rejects_a_duplicate_id() {
    let parts = vec![
        annotation("a1", Label::Quote, 0, 3),
        annotation("a1", Label::Claim, 5, 9),
    ];
    assert_eq!(
        Document::from_parts(empty_document(), parts, 1),
        Err(DocumentError::DuplicateId { id: "a1".into() })
    );
}

#[test]
fn from_parts_rejects_the_same_span_and_label_twice() {
    let parts = vec![
        annotation("a1", Label::Quote, 0, 3),
        annotation("a2", Label::Quote, 0, 3),
    ];
    assert_eq!(
        Document::from_parts(empty_document(), parts, 1),
        Err(DocumentError::AlreadyTagged {
            label: Label::Quote
        })
    );
}

#[test]
fn from_parts_sorts_and_keeps_next_id_above_every_existing_one() {
    let parts = vec![
        annotation("a7", Label::Entity, 11, 14),
        annotation("a3", Label::Claim, 0, 21),
        annotation("custom", Label::Quote, 10, 19),
    ];
    let document = Document::from_parts(empty_document(), parts.clone(), 2).unwrap();
    document.check_invariants().unwrap();
    let ids: Vec<_> = rows_of(&document).into_iter().map(|r| r.id).collect();
    assert_eq!(ids, ["a3", "custom", "a7"]);
    assert_eq!(document.next_number(), 8, "raised above a7");

    let mut document = Document::from_parts(empty_document(), parts, 20).unwrap();
    assert_eq!(document.next_number(), 20, "a stored higher number is kept");
    let added = document.add(range(1, 2), Label::Quote, at(1)).unwrap();
    assert_eq!(added.id.as_str(), "a20");
}

#[test]
fn removing_or_relabelling_a_missing_annotation_changes_nothing() {
    let mut document = starting_document();
    let before = document.clone();
    assert_eq!(document.remove(&AnnotationId::new("a99"), at(50)), None);
    assert_eq!(
        document.relabel(&AnnotationId::new("a99"), Label::Quote, at(50)),
        Ok(None)
    );
    assert_eq!(document, before);
}

/// An import of a format without ids or times (brat, doccano, …) is "identical" to the local copy
/// when the title, text and spans match, whatever the ids and times; anything else differs.
#[test]
fn same_content_ignores_ids_and_times_but_not_spans_title_or_text() {
    let local = starting_document();
    let spans: Vec<Annotation> = local
        .annotations()
        .iter()
        .enumerate()
        .map(|(i, a)| {
            annotation(
                &format!("T{}", i + 1),
                a.label.clone(),
                a.range.start().get(),
                a.range.end().get(),
            )
        })
        .collect();
    let imported = Document::from_parts(
        Document::new(
            local.id.clone(),
            local.title.clone(),
            local.text().clone(),
            at(99_000),
        ),
        spans,
        1,
    )
    .unwrap();
    assert_ne!(local, imported);
    assert!(local.same_content(&imported));

    let mut relabelled = imported.clone();
    let first = relabelled.annotations()[0].clone();
    let other = if first.label == Label::Quote {
        Label::Claim
    } else {
        Label::Quote
    };
    relabelled.relabel(&first.id, other, at(1)).unwrap();
    assert!(!local.same_content(&relabelled));

    let mut fewer = imported.clone();
    fewer.remove(&first.id, at(1));
    assert!(!local.same_content(&fewer));

    let mut retitled = imported.clone();
    retitled.title = "Another title".into();
    assert!(!local.same_content(&retitled));

    // Spans of one range are kept in id order, so other ids can list them in another order.
    let tied = |ids: [&str; 2]| {
        Document::from_parts(
            empty_document(),
            vec![
                annotation(ids[0], Label::Quote, 0, 5),
                annotation(ids[1], Label::Entity, 0, 5),
            ],
            1,
        )
        .unwrap()
    };
    assert!(tied(["a1", "a2"]).same_content(&tied(["T2", "T1"])));

    let other_text = Document::new(
        local.id.clone(),
        local.title.clone(),
        ArticleText::normalize("Другой текст"),
        at(0),
    );
    assert!(!empty_document().same_content(&other_text));
}
