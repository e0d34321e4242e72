//! Fixing an article's text with its annotations on it: random texts (emoji, ZWJ sequences,
//! combining marks, CJK, RTL, line breaks), random spans and relations, random changes, one
//! after another. No annotation ever points at text other than its own without being an
//! orphan; nothing is lost (every annotation is on the text or an orphan, every relation on the
//! text or kept with an orphan); undo restores text and annotations together, exactly; orphans
//! are saved and read back; an orphan placed comes back with its relations; and a fix made in
//! one tab carries the other tab's annotations onto the new text when the two merge.

use std::collections::{HashMap, HashSet};

use annotator_core::model::text_change::TextChange;
use annotator_core::model::text_fix::{
    fix_text, placed_orphan, with_orphan_placed, without_orphan,
};
use annotator_core::model::{
    merge, AnnotationId, ArticleText, CharRange, Document, DocumentId, Edit, Label, OpenDocument,
    Relation, RelationKind, Step, Timestamp,
};
use annotator_core::persist::stored;
use proptest::prelude::*;

// Only its pieces of text are used here, not its segmenter.
#[allow(dead_code)]
#[path = "support/uax29.rs"]
mod uax29;
use uax29::PIECES;

fn at(millis: i64) -> Timestamp {
    Timestamp::from_unix_millis(millis)
}

fn piece_text(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), min..max).prop_map(|p| p.concat())
}

fn said_by() -> RelationKind {
    RelationKind::parse("said_by").unwrap()
}

/// A document on a random text with random spans and `said_by` links between some of them.
fn document() -> impl Strategy<Value = Document> {
    (
        piece_text(1, 30),
        prop::collection::vec((any::<prop::sample::Index>(), 1..8usize, 0..3usize), 0..10),
        prop::collection::vec(
            (any::<prop::sample::Index>(), any::<prop::sample::Index>()),
            0..4,
        ),
    )
        .prop_map(|(raw, spans, links)| {
            let text = ArticleText::normalize(&raw);
            let len = text.char_len();
            let mut d = Document::new(DocumentId::new("d1"), "T".into(), text, at(0));
            for (start, n, label) in spans {
                let start = start.index(len);
                let end = (start + n).min(len);
                if let Ok(range) = CharRange::from_raw(start, end) {
                    let _ = d.add(range, Label::ALL[label].clone(), at(0));
                }
            }
            let ids: Vec<AnnotationId> = d.annotations().iter().map(|a| a.id.clone()).collect();
            if !ids.is_empty() {
                for (a, b) in links {
                    let relation = Relation::new(
                        said_by(),
                        ids[a.index(ids.len())].clone(),
                        ids[b.index(ids.len())].clone(),
                    );
                    let _ = d.link(relation, at(0));
                }
            }
            d
        })
}

/// A change of a text of `len` code points: anywhere, inserting pieces or a copy of some of
/// the text (the same words again, right where a span was).
fn change_of(text: &ArticleText) -> impl Strategy<Value = TextChange> {
    let len = text.char_len();
    let range =
        (0..=len, 0..=len).prop_map(|(a, b)| CharRange::from_raw(a.min(b), a.max(b)).unwrap());
    let copy = {
        let text = text.clone();
        range
            .clone()
            .prop_map(move |r| text.slice(r).unwrap().to_owned())
    };
    let inserted = prop_oneof![piece_text(0, 4), copy];
    (range, inserted).prop_map(|(replaced, inserted)| TextChange {
        replaced,
        inserted: inserted.replace('\r', ""),
    })
}

fn case() -> impl Strategy<Value = (Document, Vec<TextChange>)> {
    document().prop_flat_map(|d| {
        let changes = prop::collection::vec(change_of(d.text()), 1..4);
        (Just(d), changes)
    })
}

/// Checks `fixed` against `before`: every annotation of `before` is on the text with its own
/// text, or an orphan quoting it; every relation is on the text or with an orphan.
fn check_nothing_lost(before: &Document, fixed: &Document) -> Result<(), TestCaseError> {
    prop_assert_eq!(fixed.check_invariants(), Ok(()));
    let orphans: HashMap<&AnnotationId, _> = fixed.orphans().iter().map(|o| (o.id(), o)).collect();
    for a in before.annotations() {
        let own = before.text().slice(a.range).unwrap();
        match fixed.annotation(&a.id) {
            Some(placed) => {
                prop_assert!(!orphans.contains_key(&a.id));
                prop_assert_eq!(fixed.text().slice(placed.range).unwrap(), own);
                prop_assert_eq!(
                    (&placed.label, &placed.attributes),
                    (&a.label, &a.attributes)
                );
            }
            None => {
                let orphan = orphans.get(&a.id);
                prop_assert!(orphan.is_some(), "{} lost", a.id);
                prop_assert_eq!(orphan.unwrap().quote.exact.as_str(), own);
            }
        }
    }
    for o in before.orphans() {
        prop_assert_eq!(fixed.orphan(o.id()), Some(o));
    }
    let kept_with_orphans: HashSet<&Relation> = fixed
        .orphans()
        .iter()
        .flat_map(|o| &o.removed.relations)
        .collect();
    for r in before.relations().iter() {
        prop_assert!(fixed.relations().contains(r) || kept_with_orphans.contains(r));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn no_annotation_points_at_other_text_unless_it_is_an_orphan((start, changes) in case()) {
        let mut open = OpenDocument::new(start.clone().into());
        let mut versions = vec![start.clone()];
        for (i, change) in changes.iter().enumerate() {
            let before = (*open.document).clone();
            // The later changes were drawn for the first text: clamp them to this one.
            let len = before.text().char_len();
            let replaced = CharRange::from_raw(
                change.replaced.start().get().min(len),
                change.replaced.end().get().min(len),
            ).unwrap();
            let change = TextChange { replaced, inserted: change.inserted.clone() };
            let Some(Ok(text)) = change.apply(before.text()) else { continue };
            let now = at(i as i64 + 1);
            let fix = fix_text(&before, text.clone(), now);
            prop_assert_eq!(fix.document.text(), &text);
            prop_assert_eq!(
                fix.kept + fix.found_again + fix.orphaned.len(),
                before.annotations().len()
            );
            check_nothing_lost(&before, &fix.document)?;
            // Saved and read back, orphans and all.
            let entries = stored::encode_entries(&fix.document, now, "tab", None);
            let read = stored::decode_document(&entries.document, Some(&entries.text)).unwrap();
            prop_assert_eq!(&read.document, &fix.document);
            open.edit(now, None, |d| {
                let edit = Edit::Replaced {
                    before: d.clone().into(),
                    after: fix.document.clone().into(),
                };
                edit.apply(d, now).map_err(|e| e.to_string())?;
                Ok(edit)
            }).unwrap();
            versions.push((*open.document).clone());
        }
        // Undo walks back through every version exactly; redo forward again.
        for (i, version) in versions.iter().rev().skip(1).enumerate() {
            prop_assert!(matches!(open.step(at(100 + i as i64), None, false), Step::Applied(_)));
            prop_assert_eq!(open.document.text(), version.text());
            prop_assert_eq!(open.document.annotations(), version.annotations());
            prop_assert_eq!(open.document.relations().to_vec(), version.relations().to_vec());
            prop_assert_eq!(open.document.orphans(), version.orphans());
        }
        for version in versions.iter().skip(1) {
            prop_assert!(matches!(open.step(at(200), None, true), Step::Applied(_)));
            prop_assert_eq!(open.document.annotations(), version.annotations());
        }
    }

    #[test]
    fn an_orphan_placed_comes_back_with_its_relations_and_undo_orphans_it_again(
        (start, changes) in case(),
        pick in any::<prop::sample::Index>(),
        spot in any::<prop::sample::Index>(),
    ) {
        let change = &changes[0];
        let Some(Ok(text)) = change.apply(start.text()) else { return Ok(()) };
        let fixed = fix_text(&start, text, at(1)).document;
        if fixed.orphans().is_empty() || fixed.text().char_len() == 0 {
            return Ok(());
        }
        let orphan = fixed.orphans()[pick.index(fixed.orphans().len())].clone();
        let s = spot.index(fixed.text().char_len());
        let range = CharRange::from_raw(s, s + 1).unwrap();
        let Some(placed) = placed_orphan(&fixed, orphan.id(), range) else {
            // Refused only when that span already has the label.
            prop_assert!(fixed.annotations().iter().any(|a| a.range == range
                && a.label == orphan.removed.annotation.label));
            return Ok(());
        };
        let placed_doc = with_orphan_placed(&fixed, orphan.id(), range, at(2)).unwrap();
        let mut open = OpenDocument::new(fixed.clone().into());
        open.edit(at(2), None, |d| {
            let edit = Edit::Replaced { before: d.clone().into(), after: placed_doc.into() };
            edit.apply(d, at(2)).map_err(|e| e.to_string())?;
            Ok(edit)
        }).unwrap();
        let d = &open.document;
        prop_assert_eq!(d.check_invariants(), Ok(()));
        prop_assert!(d.orphan(orphan.id()).is_none());
        prop_assert_eq!(d.annotation(&placed.annotation.id).map(|a| a.range), Some(range));
        // Every relation whose other end is on the text came back.
        for r in &orphan.removed.relations {
            let other = if &r.from == orphan.id() { &r.to } else { &r.from };
            if other != orphan.id() && fixed.annotation(other).is_some() {
                prop_assert!(d.relations().iter().any(|x| x.kind == r.kind
                    && (x.from == placed.annotation.id || x.to == placed.annotation.id)));
            }
        }
        let deleted = without_orphan(&fixed, orphan.id(), at(4)).unwrap();
        prop_assert!(deleted.orphan(orphan.id()).is_none());
        prop_assert_eq!(deleted.orphans().len() + 1, fixed.orphans().len());
        prop_assert_eq!(deleted.check_invariants(), Ok(()));
        prop_assert!(matches!(open.step(at(3), None, false), Step::Applied(_)));
        let mut expected = fixed.clone();
        expected.modified = open.document.modified;
        prop_assert_eq!(&*open.document, &expected);
    }
}

#[test]
fn a_typo_fixed_inside_a_tagged_span_orphans_it_and_the_rest_moves() {
    let mut d = Document::new(
        DocumentId::new("d1"),
        "T".into(),
        ArticleText::normalize("HEADER\r\n“We won,” said Jane Dow 😀 on Monday."),
        at(0),
    );
    let quote = d
        .add(CharRange::from_raw(7, 16).unwrap(), Label::Quote, at(0))
        .unwrap();
    let name = d
        .add(CharRange::from_raw(22, 30).unwrap(), Label::Entity, at(0))
        .unwrap();
    let day = d
        .add(CharRange::from_raw(36, 42).unwrap(), Label::Entity, at(0))
        .unwrap();
    d.link(
        Relation::new(said_by(), quote.id.clone(), name.id.clone()),
        at(0),
    )
    .unwrap();
    assert_eq!(d.text().slice(name.range), Some("Jane Dow"));
    let fixed = fix_text(
        &d,
        ArticleText::normalize("“We won,” said Jane Doe 😀 on Monday."),
        at(1),
    );
    assert_eq!(
        (fixed.kept, fixed.found_again, fixed.orphaned.clone()),
        (1, 1, vec![name.id.clone()])
    );
    let doc = &fixed.document;
    assert_eq!(
        doc.text().slice(doc.annotation(&quote.id).unwrap().range),
        Some("“We won,”")
    );
    assert_eq!(
        doc.text().slice(doc.annotation(&day.id).unwrap().range),
        Some("Monday")
    );
    assert!(doc.relations().is_empty());
    let orphan = &doc.orphans()[0];
    assert_eq!(orphan.quote.exact, "Jane Dow");
    assert_eq!(orphan.removed.relations.len(), 1);
    // Placed on "Jane Doe": the link to the quote comes back.
    let placed = placed_orphan(doc, &name.id, CharRange::from_raw(15, 23).unwrap()).unwrap();
    assert_eq!(
        placed.relations,
        vec![Relation::new(said_by(), quote.id.clone(), name.id.clone())]
    );
}

#[test]
fn a_fix_in_one_tab_carries_the_other_tabs_new_annotations_onto_the_new_text() {
    let base = Document::new(
        DocumentId::new("d1"),
        "T".into(),
        ArticleText::normalize("STRAY HEADER\nJane Doe said so on Monday."),
        at(0),
    );
    // Tab A cuts the header; tab B tags "Monday" and "Jane Doe" on the old text.
    let fixed = fix_text(
        &base,
        ArticleText::normalize("Jane Doe said so on Monday."),
        at(2),
    )
    .document;
    let mut tagged = base.clone();
    tagged
        .add(CharRange::from_raw(33, 39).unwrap(), Label::Entity, at(1))
        .unwrap();
    tagged
        .add(CharRange::from_raw(13, 21).unwrap(), Label::Entity, at(1))
        .unwrap();
    tagged
        .add(CharRange::from_raw(0, 12).unwrap(), Label::Claim, at(1))
        .unwrap();
    for (ours, theirs) in [(&fixed, &tagged), (&tagged, &fixed)] {
        let merged = merge(Some(&base), ours, theirs).document;
        assert_eq!(merged.check_invariants(), Ok(()));
        assert_eq!(merged.text().as_str(), "Jane Doe said so on Monday.");
        let texts: Vec<&str> = merged
            .annotations()
            .iter()
            .map(|a| merged.text().slice(a.range).unwrap())
            .collect();
        assert_eq!(texts, ["Jane Doe", "Monday"]);
        // The claim on the header cut away is an orphan, not lost and not moved.
        assert_eq!(merged.orphans().len(), 1);
        assert_eq!(merged.orphans()[0].quote.exact, "STRAY HEADER");
        // Merging again changes nothing.
        assert_eq!(merge(Some(&base), &merged, theirs).document, merged);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(800))]

    /// One tab fixes the text while the other tags: whichever merges, the result is on the
    /// fixed text, every span the tagging tab added is on it with its own text or an orphan
    /// quoting it, and merging again changes nothing.
    #[test]
    fn a_fix_and_new_tags_from_two_tabs_merge_without_loss(
        (base, changes) in case(),
        tags in prop::collection::vec((any::<prop::sample::Index>(), 1..6usize, 0..3usize), 1..6),
    ) {
        let Some(Ok(text)) = changes[0].apply(base.text()) else { return Ok(()) };
        let fixed = fix_text(&base, text.clone(), at(2)).document;
        let mut tagged = base.clone();
        let len = base.text().char_len();
        let mut added = Vec::new();
        for (start, n, label) in tags {
            let start = start.index(len);
            if let Ok(range) = CharRange::from_raw(start, (start + n).min(len)) {
                if let Ok(a) = tagged.add(range, Label::ALL[label].clone(), at(1)) {
                    added.push((a.label.clone(), base.text().slice(range).unwrap().to_owned()));
                }
            }
        }
        for (ours, theirs) in [(&fixed, &tagged), (&tagged, &fixed)] {
            let merged = merge(Some(&base), ours, theirs).document;
            prop_assert_eq!(merged.check_invariants(), Ok(()));
            prop_assert_eq!(merged.text(), &text);
            for (label, own) in &added {
                let on_text = merged.annotations().iter().any(|a| {
                    &a.label == label && merged.text().slice(a.range) == Some(own.as_str())
                });
                let orphaned = merged.orphans().iter().any(|o| {
                    &o.removed.annotation.label == label && &o.quote.exact == own
                });
                prop_assert!(on_text || orphaned, "{:?} {:?} lost", label, own);
            }
            prop_assert_eq!(&merge(Some(&base), &merged, theirs).document, &merged);
        }
    }
}

#[test]
fn an_orphan_shows_where_it_was_and_where_its_words_are_now() {
    let mut d = Document::new(
        DocumentId::new("d1"),
        "T".into(),
        ArticleText::normalize("😀 Jane Dow met Jane Dow. 北京 Jane Dow."),
        at(0),
    );
    let name = d
        .add(CharRange::from_raw(2, 10).unwrap(), Label::Entity, at(0))
        .unwrap();
    let fixed = fix_text(
        &d,
        ArticleText::normalize("😀 Jane Doe met Jane Dow. 北京 Jane Dow."),
        at(1),
    )
    .document;
    let orphan = fixed.orphan(&name.id).unwrap();
    let (places, count) = orphan.occurrences(fixed.text(), 1);
    assert_eq!(count, 2);
    assert_eq!(fixed.text().slice(places[0]), Some("Jane Dow"));
    assert_eq!(places[0], CharRange::from_raw(15, 23).unwrap());
    assert_eq!(orphan.vicinity(fixed.text()), fixed.text().full_range());
}

#[test]
fn a_text_fixed_in_another_tab_leaves_no_step_here_that_could_tag_other_words() {
    use annotator_core::model::take_in;
    let base = Document::new(
        DocumentId::new("d1"),
        "T".into(),
        ArticleText::normalize("HEADER\nJane Doe said so."),
        at(0),
    );
    // Tab B tags "Jane Doe" and undoes it: redo would tag 7..15 again.
    let mut b = vec![OpenDocument::new(base.clone().into())];
    b[0].edit(at(1), None, |d| {
        let a = d
            .add(CharRange::from_raw(7, 15).unwrap(), Label::Entity, at(1))
            .map_err(|e| e.to_string())?;
        Ok(Edit::Added(a))
    })
    .unwrap();
    b[0].step(at(2), None, false);
    assert!(b[0].history.can_redo());
    // Tab A cuts the header; B takes it in.
    let fixed = fix_text(&base, ArticleText::normalize("Jane Doe said so."), at(3)).document;
    let mut deleted = None;
    take_in(
        &mut b,
        &mut deleted,
        &base.id,
        Some(fixed.into()),
        Some(base.clone().into()),
    );
    assert_eq!(b[0].document.text().as_str(), "Jane Doe said so.");
    // 7..15 of the new text is "said so.": the step that would tag it is gone.
    assert!(!b[0].history.can_redo() && !b[0].history.can_undo());
    assert!(matches!(b[0].step(at(4), None, true), Step::Nothing));
}
