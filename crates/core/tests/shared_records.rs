#![cfg(not(target_arch = "wasm32"))]
//! A shared article as keyed records (`model::shared_records`): what team mode sends after each
//! edit and what it builds from other people's records.
//!
//! Why: these records are the only thing a team's server holds. An edit that is not found
//! between two versions is never sent (lost to everyone else); a record replayed wrongly shows
//! another annotator something nobody made; and a hostile or broken record from a peer must
//! never break the article it lands in.

use std::rc::Rc;

use annotator_core::model::shared_records::{
    annotation_record, apply_changes, changes_between, document_from_records, relation_key,
    snapshot, SharedChanges, NOTE,
};
use annotator_core::model::{
    Annotation, AnnotationId, AnnotatorName, ArticleText, Authors, CharRange, Document, DocumentId,
    Label, Relation, RelationKind, Timestamp,
};
use proptest::prelude::*;

fn at(millis: i64) -> Timestamp {
    Timestamp::from_unix_millis(millis)
}

fn range(start: usize, end: usize) -> CharRange {
    CharRange::from_raw(start, end).unwrap()
}

/// Emoji, a ZWJ family, a combining mark, CJK, RTL and a line break: code points all the way.
const TEXT: &str = "«北京 😀» said 👩‍👩‍👧‍👦 e\u{301},\nשלום. Merkel told the press.";

fn document() -> Document {
    Document::new(
        DocumentId::new("d"),
        "T".into(),
        ArticleText::normalize(TEXT),
        at(0),
    )
}

/// What a team member sees: the content, ids included; times are each replica's own.
fn content(d: &Document) -> (Vec<Annotation>, Vec<Relation>, Option<Rc<str>>, String) {
    (
        d.annotations()
            .iter()
            .map(|a| Annotation::clone(a))
            .collect(),
        d.relations().to_vec(),
        d.note.clone(),
        d.title.clone(),
    )
}

fn replayed(before: &Document, after: &Document) -> Document {
    let applied = apply_changes(before, &changes_between(before, after), at(9));
    assert_eq!(applied.refused, 0);
    applied.document.check_invariants().unwrap();
    applied.document
}

#[test]
fn every_kind_of_edit_is_found_and_replays_to_the_same_article() {
    let mut d = document();
    let said = d.add(range(0, 8), Label::Quote, at(1)).unwrap();
    let merkel = d
        .add_tagged(range(22, 28), Label::Entity, at(1), "k3x9q")
        .unwrap();
    let before = d.clone();

    // An addition, a relabel, a value, a note, a link and the article's note, all at once.
    let mut after = before.clone();
    let claim = after
        .add_tagged(range(1, 3), Label::Claim, at(2), "k3x9q")
        .unwrap();
    after.relabel(&merkel.id, Label::Quote, at(2)).unwrap();
    after
        .set_note(Some(&said.id), "heard at 9:00", at(2))
        .unwrap();
    after.set_note(None, "from the wire", at(2)).unwrap();
    after
        .link(
            Relation::new(
                RelationKind::parse("said_by").unwrap(),
                said.id.clone(),
                merkel.id.clone(),
            ),
            at(2),
        )
        .unwrap();
    let changes = changes_between(&before, &after);
    assert_eq!(changes.annotations.len(), 3, "{changes:?}");
    assert_eq!(changes.relations.len(), 1);
    assert_eq!(
        changes.article,
        vec![(NOTE.to_owned(), Some("\"from the wire\"".to_owned()))]
    );
    assert_eq!(content(&replayed(&before, &after)), content(&after));

    // A deletion takes its relation along, and both are said.
    let mut later = after.clone();
    later.remove(&said.id, at(3)).unwrap();
    let changes = changes_between(&after, &later);
    assert_eq!(changes.annotations, vec![(said.id.to_string(), None)]);
    assert_eq!(changes.relations.len(), 1);
    assert!(!changes.relations[0].1);
    assert_eq!(content(&replayed(&after, &later)), content(&later));

    // Nothing changed, nothing sent.
    assert!(changes_between(&later, &later.clone()).is_empty());
    assert!(claim.id.as_str().ends_with(".k3x9q"));
}

#[test]
fn a_snapshot_rebuilds_the_article_with_its_ids_authors_and_relations() {
    let mut d = document();
    let ann = AnnotatorName::parse("Ann Lee").unwrap();
    let a = d.add(range(0, 8), Label::Quote, at(1)).unwrap();
    let b = d
        .add(range(9, 13), Label::parse_any("PERSON").unwrap(), at(1))
        .unwrap();
    let mut with_authors = Annotation::clone(d.annotation(&a.id).unwrap());
    d.remove(&a.id, at(1));
    with_authors.authors = Authors::made(Some(&ann));
    d.insert(with_authors, at(1)).unwrap();
    d.set_attribute(&a.id, "speaker", Some("Merkel"), at(1))
        .unwrap();
    d.link(
        Relation::new(RelationKind::parse("said_by").unwrap(), a.id, b.id),
        at(1),
    )
    .unwrap();
    d.set_note(None, "note", at(1)).unwrap();

    let rebuilt = document_from_records(d.id.clone(), &snapshot(&d), at(5)).unwrap();
    assert_eq!(rebuilt.refused, 0);
    assert_eq!(content(&rebuilt.document), content(&d));
    assert_eq!(rebuilt.document.text(), d.text());
    assert_eq!(rebuilt.document.created, d.created);
    // Numbers continue above the ids it holds: the next addition takes a fresh one.
    assert!(rebuilt.document.next_number() > 2);
}

#[test]
fn broken_and_hostile_records_are_left_out_and_counted() {
    let d = document();
    let good = Annotation::new(AnnotationId::new("a1.x"), Label::Quote, range(0, 2));
    let len = d.text().char_len();
    let changes = SharedChanges {
        annotations: vec![
            ("a1.x".into(), Some(annotation_record(&good))),
            ("bad-json".into(), Some("{not json".into())),
            (
                "past-end".into(),
                Some(format!(
                    r#"{{"label":"quote","start":0,"end":{}}}"#,
                    len + 1
                )),
            ),
            (
                "empty".into(),
                Some(r#"{"label":"quote","start":3,"end":3}"#.into()),
            ),
            (
                "backwards".into(),
                Some(r#"{"label":"quote","start":5,"end":3}"#.into()),
            ),
            (
                "no-label".into(),
                Some(r#"{"label":"","start":0,"end":1}"#.into()),
            ),
            (
                "bad-name".into(),
                Some(r#"{"label":"quote","start":0,"end":1,"made_by":"a,b"}"#.into()),
            ),
            (
                "huge-note".into(),
                Some(format!(
                    r#"{{"label":"quote","start":0,"end":1,"note":"{}"}}"#,
                    "x".repeat(100_000)
                )),
            ),
            (
                "".into(),
                Some(r#"{"label":"quote","start":0,"end":1}"#.into()),
            ),
            // A record filed under another annotation's key.
            ("a2.x".into(), Some(annotation_record(&good))),
        ],
        relations: vec![
            ("not a key".into(), true),
            (r#"["a1.x","said_by","gone"]"#.into(), true),
            (r#"["a1.x","said_by","a1.x"]"#.into(), true),
        ],
        article: vec![
            ("unknown".into(), Some("1".into())),
            (NOTE.into(), Some("42".into())),
        ],
    };
    let applied = apply_changes(&d, &changes, at(1));
    applied.document.check_invariants().unwrap();
    assert_eq!(applied.document.annotations().len(), 1);
    assert_eq!(applied.refused, 9 + 3 + 2);
}

#[test]
fn two_people_tagging_one_span_alike_keep_one_annotation_whatever_the_order() {
    let d = document();
    let record = |id: &str| {
        (
            id.to_owned(),
            Some(annotation_record(&Annotation::new(
                AnnotationId::new(id),
                Label::Entity,
                range(9, 13),
            ))),
        )
    };
    let one_way = SharedChanges {
        annotations: vec![record("a1.zz"), record("a1.bb")],
        ..SharedChanges::default()
    };
    let other_way = SharedChanges {
        annotations: vec![record("a1.bb"), record("a1.zz")],
        ..SharedChanges::default()
    };
    let a = apply_changes(&d, &one_way, at(1)).document;
    let b = apply_changes(&d, &other_way, at(1)).document;
    assert_eq!(content(&a), content(&b));
    assert_eq!(a.annotations().len(), 1);
    assert_eq!(a.annotations()[0].id.as_str(), "a1.bb");
    // One at a time, in either order, gives the same.
    let first = apply_changes(
        &d,
        &SharedChanges {
            annotations: vec![record("a1.zz")],
            ..Default::default()
        },
        at(1),
    )
    .document;
    let then = apply_changes(
        &first,
        &SharedChanges {
            annotations: vec![record("a1.bb")],
            ..Default::default()
        },
        at(1),
    )
    .document;
    assert_eq!(content(&then), content(&a));
}

#[test]
fn relation_keys_cannot_run_into_each_other() {
    let kind = RelationKind::parse("said_by").unwrap();
    let one = Relation::new(
        kind.clone(),
        AnnotationId::new("a 1"),
        AnnotationId::new("b"),
    );
    let two = Relation::new(kind, AnnotationId::new("a"), AnnotationId::new("1 b"));
    assert_ne!(relation_key(&one), relation_key(&two));
}

/// One random edit of a document: what a person can do to a shared article.
#[derive(Clone, Debug)]
enum Step {
    Add(usize, usize, u8),
    Relabel(usize, u8),
    Delete(usize),
    Note(usize, String),
    Link(usize, usize),
    Unlink(usize),
    ArticleNote(Option<String>),
}

fn label(n: u8) -> Label {
    match n % 4 {
        0 => Label::Quote,
        1 => Label::Entity,
        2 => Label::Claim,
        _ => Label::parse_any("PERSON").unwrap(),
    }
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0usize..60, 1usize..8, any::<u8>()).prop_map(|(s, l, n)| Step::Add(s, l, n)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, n)| Step::Relabel(i, n)),
        any::<usize>().prop_map(Step::Delete),
        (any::<usize>(), "[a-z ]{0,6}").prop_map(|(i, s)| Step::Note(i, s)),
        (any::<usize>(), any::<usize>()).prop_map(|(i, j)| Step::Link(i, j)),
        any::<usize>().prop_map(Step::Unlink),
        proptest::option::of("[a-z]{1,5}").prop_map(Step::ArticleNote),
    ]
}

fn apply(d: &mut Document, step: &Step, tag: &str) {
    let pick = |d: &Document, i: usize| {
        let all = d.annotations();
        (!all.is_empty()).then(|| all[i % all.len()].id.clone())
    };
    let now = at(1);
    match step {
        Step::Add(s, l, n) => {
            let len = d.text().char_len();
            let start = (*s).min(len - 1);
            let end = (start + l).min(len);
            let _ = d.add_tagged(range(start, end), label(*n), now, tag);
        }
        Step::Relabel(i, n) => {
            if let Some(id) = pick(d, *i) {
                let _ = d.relabel(&id, label(*n), now);
            }
        }
        Step::Delete(i) => {
            if let Some(id) = pick(d, *i) {
                d.remove(&id, now);
            }
        }
        Step::Note(i, s) => {
            if let Some(id) = pick(d, *i) {
                let _ = d.set_note(Some(&id), s, now);
            }
        }
        Step::Link(i, j) => {
            if let (Some(a), Some(b)) = (pick(d, *i), pick(d, *j)) {
                let _ = d.link(
                    Relation::new(RelationKind::parse("said_by").unwrap(), a, b),
                    now,
                );
            }
        }
        Step::Unlink(i) => {
            let all = d.relations().to_vec();
            if !all.is_empty() {
                d.unlink(&all[i % all.len()], now);
            }
        }
        Step::ArticleNote(note) => {
            let _ = d.set_note(None, note.as_deref().unwrap_or(""), now);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever a person does between two versions, the changes found replay the later version
    /// exactly, one edit at a time or all at once.
    #[test]
    fn the_changes_between_two_versions_replay_the_later_one(
        steps in proptest::collection::vec(step(), 1..40),
        every in 1usize..6,
    ) {
        let mut d = document();
        let mut mirror = d.clone();
        let start = d.clone();
        for (i, s) in steps.iter().enumerate() {
            apply(&mut d, s, "t1");
            if i % every == 0 {
                let applied = apply_changes(&mirror, &changes_between(&mirror, &d), at(9));
                prop_assert_eq!(applied.refused, 0);
                mirror = applied.document;
                prop_assert_eq!(content(&mirror), content(&d));
            }
        }
        let at_once = apply_changes(&start, &changes_between(&start, &d), at(9));
        prop_assert_eq!(content(&at_once.document), content(&d));
        let rebuilt = document_from_records(d.id.clone(), &snapshot(&d), at(9)).unwrap();
        prop_assert_eq!(content(&rebuilt.document), content(&d));
    }
}
