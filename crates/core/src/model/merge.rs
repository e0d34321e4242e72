//! [`merge`]: the three-way merge of one document edited in two browser tabs.
//!
//! Each tab saves the document to localStorage; the other tab receives that saved version
//! (`theirs`) and merges it into its own current state (`ours`), using as `base` the version this
//! tab last saved or loaded. The result is `theirs` with this tab's own edits (its changes since
//! `base`) replayed on top, and these rules decide every conflict:
//!
//! 1. Annotations are matched by id (an id that comes back with a different range counts as the
//!    old annotation deleted and a new one added). Documents of different ids are not merged:
//!    the result is `ours` unchanged, marked as differing from `theirs`.
//!
//!    When one side fixed the text, the text is that side's: theirs' (saved last) unless only
//!    ours changed it since the base. The other side, and the base, are first carried onto that
//!    text by [`fix_text`] (each annotation keeps its characters, is found again, or becomes an
//!    orphan), then merged as below.
//!
//!    Orphans: theirs', without those ours placed or deleted since the base, with those ours
//!    orphaned since; an orphan whose id either side holds on the text is placed, and no longer
//!    an orphan; one the base held on the text and the other side no longer has at all was
//!    deleted there (or gave way to an identical span), and is not kept.
//! 2. An annotation added on one side only is kept. If both sides added different annotations
//!    under the same id (ids are per-document counters `aN`, so two tabs collide easily), ours is
//!    renamed to a fresh `aN` above both sides' next number, and the renaming is reported.
//! 3. If both sides added the same span (same range and label) under different ids, one is kept:
//!    theirs, with the attribute values and note ours gave it where theirs' has none. A document
//!    never holds two identical spans.
//! 4. An annotation deleted on one side and left untouched on the other is deleted.
//! 5. An annotation deleted on one side and relabelled on the other is kept, with the new label:
//!    an edit beats a delete, so no work is lost.
//! 6. An annotation relabelled on both sides to different labels takes theirs (it was saved
//!    last). One relabelled on one side only takes that label.
//! 7. The title and creation time come from theirs; the modification time is the later of the
//!    two; the next id number is the larger of the two (and above every renamed id).
//! 8. Without a base (this tab never saw the document stored), nothing is deleted: everything in
//!    theirs is kept, and every annotation of ours that theirs does not hold exactly (same id,
//!    range and label) counts as added by us (rules 2 and 3). The article's note is theirs', or
//!    ours' when theirs has none.
//! 9. The result always satisfies the document's invariants. A relabel of ours that would give a
//!    span the same range and label as another annotation is dropped in favour of that existing
//!    annotation: an annotation theirs holds keeps theirs' label, and one only ours still had is
//!    left out. The span carries the wanted label either way.
//! 10. Relations are matched by their three parts. One linked by ours is kept (following ours'
//!     renamed ids, and to theirs' id when rule 3 kept theirs' copy of its span); one ours
//!     unlinked, and theirs left, is gone; one theirs linked or kept is kept. Linking counts as
//!     editing both ends: an annotation theirs deleted that ours linked anew is brought back
//!     (rule 5). A relation one side lost only because it deleted one of its ends stays with that
//!     end when the other side's edit keeps the end (rule 5): the delete was overruled, and so
//!     is what it took along. A relation whose end is gone from the result is not kept, and is reported;
//!     so is a link of ours that, between the annotations the result keeps, is a relation of the
//!     base that theirs unlinked (kept, the next merge would drop it: merging must settle).
//! 11. Attribute values and notes merge one by one like labels: the value ours changed since the
//!     base and theirs did not is ours'; otherwise theirs'. The article's note likewise. An
//!     annotation theirs deleted whose values or note ours changed is brought back (rule 5).
//! 12. Who made and who last changed an annotation merge like one more value each (rule 11):
//!     ours' where ours changed it since the base and theirs did not, otherwise theirs'. A span
//!     both sides added is theirs', with theirs' authors (rule 3).
//!
//! Merging never panics, and it is idempotent: merging the result once more with the same `theirs`
//! gives the result back.
//!
//! For the caller: once the result is stored (or right away when it equals `theirs`), it is the
//! new base. If saving it back fails, the base must stay what is actually stored (`theirs`): a base
//! holding annotations the store lacks would take them for deleted by the other tab.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use super::annotation::{Annotation, AnnotationId};
use super::document::Document;
use super::label::Label;
use super::offsets::CharRange;
use super::orphan::Orphan;
use super::relation::Relation;
use super::text::ArticleText;
use super::text_fix::fix_text;

/// What [`merge`] produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    /// The merged document.
    pub document: Document,
    /// Ids in `ours` that were renamed (old, new) because the other tab used the same id for a
    /// different annotation.
    pub renamed: Vec<(AnnotationId, AnnotationId)>,
    /// True when the result differs from `theirs` (so this tab must save it back).
    pub differs_from_theirs: bool,
    /// Annotations the result could not hold. The rules above leave none (every insertion is
    /// checked first), so this is empty; should that ever be wrong, the caller says what was
    /// lost instead of losing it silently.
    pub dropped: Vec<Annotation>,
    /// Relations ours linked whose end is gone from the result (theirs deleted an annotation
    /// ours linked while ours deleted it too, or a relabel clash left it out). Reported, like
    /// `dropped`.
    pub dropped_relations: Vec<Relation>,
}

/// An annotation of the result before clashing relabels are dropped.
struct Candidate {
    annotation: Annotation,
    source: Source,
}

/// Where a candidate's label comes from, which decides who gives way in a clash.
#[derive(Clone, PartialEq, Eq)]
enum Source {
    /// Theirs' annotation with theirs' label: never gives way.
    Theirs,
    /// Theirs' annotation with the label ours gave it; gives way to theirs' label.
    OursRelabel { theirs_label: Label },
    /// Deleted by theirs, relabelled by ours; gives way by being left out.
    OursRevived,
}

/// Merges `theirs` (just saved by another tab) into `ours` (this tab's current state), given
/// `base`: the version this tab last saved or loaded (`None` if this tab never saw the document
/// stored). The rules are in the [module documentation](mod@crate::model::merge).
pub fn merge(base: Option<&Document>, ours: &Document, theirs: &Document) -> Merged {
    if ours.id == theirs.id && ours.text() != theirs.text() {
        return merge_across_texts(base, ours, theirs);
    }
    if let Some(base) = base.filter(|b| b.id == ours.id && b.text() != ours.text()) {
        // Both sides are on a text fixed since the base: the base is carried onto it as the fix
        // carried them, so that what each side did since still shows against it.
        let carried = carried_base(base, ours.text());
        return merge_texts_alike(Some(&carried), ours, theirs);
    }
    merge_texts_alike(base, ours, theirs)
}

/// [`merge`] of two sides on one text.
fn merge_texts_alike<'a>(
    base: Option<&'a Document>,
    ours: &'a Document,
    theirs: &'a Document,
) -> Merged {
    if ours.id != theirs.id {
        return Merged {
            document: ours.clone(),
            renamed: Vec::new(),
            differs_from_theirs: true,
            dropped: Vec::new(),
            dropped_relations: Vec::new(),
        };
    }
    // A base of some other document is no base at all.
    let base = base.filter(|b| b.text() == ours.text() && b.id == ours.id);
    let base_annotations = base.map_or(&[][..], Document::annotations);
    let base_by_id = by_id(base_annotations);
    let ours_by_id = by_id(ours.annotations());
    let theirs_by_id = by_id(theirs.annotations());

    // The annotations ours linked anew: an edit of theirs, like a relabel (rule 5).
    let base_relations: HashSet<&Relation> = base
        .map(Document::relations)
        .unwrap_or_default()
        .iter()
        .collect();
    let linked_anew = |side: &'a Document| -> HashSet<&'a AnnotationId> {
        side.relations()
            .iter()
            .filter(|r| !base_relations.contains(r))
            .flat_map(|r| [&r.from, &r.to])
            .collect()
    };
    let ours_linked = linked_anew(ours);
    let theirs_linked = linked_anew(theirs);

    // Everything theirs holds, minus what ours deleted and theirs left alone, with ours' edits.
    let mut candidates = Vec::with_capacity(theirs.annotations().len());
    for t in theirs.annotations() {
        let mut candidate = Candidate {
            annotation: (**t).clone(),
            source: Source::Theirs,
        };
        // Not in the base: added by theirs (or there is no base). Kept as it is.
        if let Some(b) = counterpart(&base_by_id, t) {
            let theirs_relabelled = t.label != b.label;
            match counterpart(&ours_by_id, b) {
                // Deleted by ours and untouched by theirs: gone.
                None if !theirs_relabelled
                    && !details_changed(b, t)
                    && !theirs_linked.contains(&t.id) =>
                {
                    continue
                }
                Some(o) => {
                    merge_details(&mut candidate.annotation, b, o);
                    if o.label != b.label && !theirs_relabelled {
                        candidate.annotation.label = o.label.clone();
                        candidate.source = Source::OursRelabel {
                            theirs_label: t.label.clone(),
                        };
                    }
                }
                // Changed by theirs and deleted by ours: an edit beats a delete.
                None => {}
            }
        }
        candidates.push(candidate);
    }
    // Deleted by theirs but edited by ours (relabelled, attributes, note, linked): brought back
    // as ours has it.
    for b in base_annotations {
        if counterpart(&theirs_by_id, b).is_some() {
            continue;
        }
        if let Some(o) = counterpart(&ours_by_id, b)
            .filter(|o| o.label != b.label || details_changed(b, o) || ours_linked.contains(&o.id))
        {
            candidates.push(Candidate {
                annotation: o.clone(),
                source: Source::OursRevived,
            });
        }
    }
    drop_clashing_relabels(&mut candidates);

    let next_number = ours.next_number().max(theirs.next_number());
    let shell = Document::new(
        theirs.id.clone(),
        theirs.title.clone(),
        theirs.text().clone(),
        theirs.created,
    );
    // The result is gathered with its ids and spans indexed, then checked once by `from_parts`:
    // inserting into a document one by one scans all of it each time, which made merging a
    // 10,000-span document take 0.4–0.7 s (bench/NOTES.md, session 7).
    let mut result = Gathered::new(theirs.text().char_len());
    let mut ours_to_add = Vec::new();
    for candidate in candidates {
        if candidate.source == Source::OursRevived {
            ours_to_add.push(candidate.annotation);
        } else {
            // Theirs' annotations: unique ids, and their spans no longer clash.
            result.insert(candidate.annotation);
        }
    }

    // Added by ours (and brought back by ours' relabel): left out when the span is already there
    // (rule 3), renamed when theirs used the id for another annotation (rule 2).
    ours_to_add.extend(
        ours.annotations()
            .iter()
            .filter(|o| counterpart(&base_by_id, o).is_none())
            .map(|o| (**o).clone()),
    );
    ours_to_add.sort_by_key(|a| (a.id.number().unwrap_or(u64::MAX), a.id.clone()));
    // Theirs' orphans keep their ids too, unless ours holds that annotation on the text (rule 1b).
    let mut taken: HashSet<AnnotationId> = theirs_by_id
        .keys()
        .map(|&id| id.clone())
        .chain(
            theirs
                .orphans()
                .iter()
                .map(|o| o.id().clone())
                .filter(|id| !ours_by_id.contains_key(id)),
        )
        .collect();
    let mut fresh = next_number.max(base.map_or(0, Document::next_number));
    let mut renamed = Vec::new();
    // Ours' ids that now go by another: renamed, or the same span theirs holds under its id.
    let mut follow: HashMap<AnnotationId, AnnotationId> = HashMap::new();
    for mut annotation in ours_to_add {
        if let Some(kept) = result.with_span_mut(annotation.range, &annotation.label) {
            // Only on a span both sides added: a base annotation's values merge by rule 11, and
            // adding to them would read as theirs' change on the next merge.
            if counterpart(&base_by_id, kept).is_none() {
                add_missing_details(kept, &annotation);
            }
            follow.insert(annotation.id.clone(), kept.id.clone());
            continue;
        }
        if taken.contains(&annotation.id) {
            let Some(id) = fresh_id(&mut fresh, &taken) else {
                continue; // Every aN up to u64::MAX is taken: nothing sensible is left.
            };
            renamed.push((annotation.id.clone(), id.clone()));
            follow.insert(annotation.id.clone(), id.clone());
            annotation.id = id;
        }
        taken.insert(annotation.id.clone());
        result.insert(annotation);
    }
    let (mut document, dropped) = result.into_document(shell, next_number, theirs.modified);

    // Relations (rule 10): theirs', minus those ours unlinked, plus those ours linked.
    let ours_relations: HashSet<&Relation> = ours.relations().iter().collect();
    let result_ids: HashSet<&AnnotationId> = document.annotations().iter().map(|a| &a.id).collect();
    // Ours lost it only by deleting an end that theirs' edit kept (rule 5): not an unlink.
    let lost_with_an_end_ours_deleted = |r: &Relation| {
        (!ours_by_id.contains_key(&r.from) || !ours_by_id.contains_key(&r.to))
            && result_ids.contains(&r.from)
            && result_ids.contains(&r.to)
    };
    let kept: Vec<Relation> = theirs
        .relations()
        .iter()
        .filter(|r| {
            !base_relations.contains(r)
                || ours_relations.contains(r)
                || lost_with_an_end_ours_deleted(r)
        })
        .cloned()
        .collect();
    // Ours' ends go by their new ids: renamed, or the id of the annotation that holds their span
    // (rule 3, and a revived annotation left out for theirs' copy of its span, rule 9).
    let in_result: HashSet<&AnnotationId> = document.annotations().iter().map(|a| &a.id).collect();
    let by_span: HashMap<(CharRange, &Label), &AnnotationId> = document
        .annotations()
        .iter()
        .map(|a| ((a.range, &a.label), &a.id))
        .collect();
    let end = |id: &AnnotationId| -> AnnotationId {
        if let Some(new) = follow.get(id) {
            return new.clone();
        }
        if !in_result.contains(id) {
            if let Some(&same) = ours_by_id
                .get(id)
                .and_then(|o| by_span.get(&(o.range, &o.label)))
            {
                return same.clone();
            }
        }
        id.clone()
    };
    // Compared with theirs only once renamed: theirs may use the same ids for other annotations.
    let theirs_relations: HashSet<&Relation> = theirs.relations().iter().collect();
    // A link of ours that, between the annotations the result keeps, is a relation of the base
    // that theirs unlinked (ours linked another annotation on a span theirs' annotation now
    // holds, rule 3) is not kept but reported: kept, the next merge would see theirs' unlink
    // and drop it, and merging would not settle.
    let (linked, unlinked_by_theirs): (Vec<Relation>, Vec<Relation>) = ours
        .relations()
        .iter()
        .filter(|r| !base_relations.contains(r))
        .map(|r| Relation::new(r.kind.clone(), end(&r.from), end(&r.to)))
        .partition(|r| !base_relations.contains(r) || theirs_relations.contains(r));
    // Taken along by theirs' delete of an end that ours' edit brought back (rule 10).
    let revived_with: Vec<Relation> = base
        .map(Document::relations)
        .unwrap_or_default()
        .iter()
        .filter(|r| ours_relations.contains(r) && !theirs_relations.contains(r))
        .filter(|r| !theirs_by_id.contains_key(&r.from) || !theirs_by_id.contains_key(&r.to))
        // Only the very annotations (renamed at most): another one on the same span is not the
        // end theirs deleted.
        .map(|r| {
            let same = |id: &AnnotationId| follow.get(id).unwrap_or(id).clone();
            Relation::new(r.kind.clone(), same(&r.from), same(&r.to))
        })
        .filter(|r| in_result.contains(&r.from) && in_result.contains(&r.to))
        .collect();
    let relations = kept.into_iter().chain(linked).chain(revived_with).collect();
    let mut dropped_relations = document.set_relations(relations, theirs.modified);
    dropped_relations.extend(unlinked_by_theirs);

    // The article's note, like one attribute (rule 11).
    let base_note = base.and_then(|b| b.note.as_ref());
    document.note = if base.is_none() {
        theirs.note.clone().or_else(|| ours.note.clone())
    } else if ours.note.as_ref() != base_note && theirs.note.as_ref() == base_note {
        ours.note.clone()
    } else {
        theirs.note.clone()
    };

    document.set_orphans(merged_orphans(base, ours, theirs));
    document.modified = ours.modified.max(theirs.modified);
    let differs_from_theirs = document != *theirs;
    Merged {
        document,
        renamed,
        differs_from_theirs,
        dropped,
        dropped_relations,
    }
}

/// Rule 1, a fixed text: one side fixed the text; the other side and the base are carried onto it first.
fn merge_across_texts(base: Option<&Document>, ours: &Document, theirs: &Document) -> Merged {
    let ours_fixed_it = base.is_some_and(|b| b.text() == theirs.text());
    let (text, carried_side) = if ours_fixed_it {
        (ours.text(), theirs)
    } else {
        (theirs.text(), ours)
    };
    let carried = fix_text(carried_side, text.clone(), carried_side.modified).document;
    let base = base
        .filter(|b| b.text() == carried_side.text())
        .map(|b| carried_base(b, text));
    let mut merged = if ours_fixed_it {
        merge(base.as_ref(), ours, &carried)
    } else {
        merge(base.as_ref(), &carried, theirs)
    };
    merged.differs_from_theirs = merged.document != *theirs;
    merged
}

/// `base` carried onto `text` as a fix carries a document, keeping only its own orphans: those
/// the carrying makes are the sides' new orphans, not a state both sides started from.
fn carried_base(base: &Document, text: &ArticleText) -> Document {
    let moved = fix_text(base, text.clone(), base.modified).document;
    let mut bare = moved.rebuilt(
        text.clone(),
        moved.annotations().to_vec(),
        None,
        Vec::new(),
        base.modified,
    );
    bare.set_orphans(base.orphans().iter().map(|o| (**o).clone()).collect());
    bare
}

/// Rule 1, orphans: theirs' orphans, less those ours resolved since the base, with ours' new ones; none
/// whose id either side holds on the text.
fn merged_orphans(base: Option<&Document>, ours: &Document, theirs: &Document) -> Vec<Orphan> {
    let in_base = |id: &AnnotationId| base.is_some_and(|b| b.orphan(id).is_some());
    let on_text =
        |id: &AnnotationId| ours.annotation(id).is_some() || theirs.annotation(id).is_some();
    let mut orphans: Vec<Orphan> = Vec::new();
    let mut seen: HashSet<&AnnotationId> = HashSet::new();
    // On the text in the base, and gone from a side altogether: that side deleted it (or kept
    // another annotation of the same span instead), which beats its being orphaned on the other.
    let deleted_by = |side: &Document, id: &AnnotationId| {
        base.is_some_and(|b| b.annotation(id).is_some())
            && side.annotation(id).is_none()
            && side.orphan(id).is_none()
    };
    let theirs_kept = theirs.orphans().iter().filter(|o| {
        (!in_base(o.id()) || ours.orphan(o.id()).is_some()) && !deleted_by(ours, o.id())
    });
    let ours_new = ours
        .orphans()
        .iter()
        .filter(|o| !in_base(o.id()) && !deleted_by(theirs, o.id()));
    for orphan in theirs_kept.chain(ours_new) {
        if !on_text(orphan.id()) && seen.insert(orphan.id()) {
            orphans.push((**orphan).clone());
        }
    }
    orphans
}

/// Whether `b`'s attribute values or note differ from `a`'s.
fn details_changed(a: &Annotation, b: &Annotation) -> bool {
    a.attributes != b.attributes || a.note != b.note
}

/// Gives `result` (theirs' annotation) the attribute values and note ours changed since the
/// base and theirs left alone; where both changed one, theirs' stays (rule 6).
fn merge_details(result: &mut Annotation, base: &Annotation, ours: &Annotation) {
    let names: BTreeSet<&str> = base
        .attributes
        .names()
        .chain(ours.attributes.names())
        .collect();
    let theirs = result.attributes.clone();
    for name in names {
        let (b, o) = (base.attributes.get(name), ours.attributes.get(name));
        if o != b && theirs.get(name) == b {
            // Valid already: ours holds it (or clears it).
            let _ = result.attributes.set(name, o);
        }
    }
    if ours.note != base.note && result.note == base.note {
        result.note = ours.note.clone();
    }
    // Who made and who last changed it, like one more value (rule 12).
    let (b, o) = (&base.authors, &ours.authors);
    if o.changed_by != b.changed_by && result.authors.changed_by == b.changed_by {
        result.authors.changed_by = o.changed_by.clone();
    }
    if o.made_by != b.made_by && result.authors.made_by == b.made_by {
        result.authors.made_by = o.made_by.clone();
    }
}

/// Gives `kept` (theirs' copy of a span both sides added) the attribute values and note ours
/// gave the span, where theirs has none.
fn add_missing_details(kept: &mut Annotation, ours: &Annotation) {
    for (name, value) in ours.attributes.iter() {
        if kept.attributes.get(name).is_none() {
            // Valid already: ours holds it.
            let _ = kept.attributes.set(name, Some(value));
        }
    }
    if kept.note.is_none() {
        kept.note = ours.note.clone();
    }
}

/// The merged annotations being gathered, indexed by id and by span.
struct Gathered {
    annotations: Vec<Annotation>,
    ids: HashSet<AnnotationId>,
    spans: HashMap<(CharRange, Label), usize>,
    text_len: usize,
    dropped: Vec<Annotation>,
}

impl Gathered {
    fn new(text_len: usize) -> Self {
        Self {
            annotations: Vec::new(),
            ids: HashSet::new(),
            spans: HashMap::new(),
            text_len,
            dropped: Vec::new(),
        }
    }

    /// Adds an annotation the document can hold; one it could not (the rules leave none) is set
    /// aside in `dropped` and reported.
    fn insert(&mut self, annotation: Annotation) {
        let key = (annotation.range, annotation.label.clone());
        let fits = !annotation.range.is_empty()
            && annotation.range.end().get() <= self.text_len
            && !self.ids.contains(&annotation.id)
            && !self.spans.contains_key(&key);
        if !fits {
            debug_assert!(false, "merge dropped {annotation:?}");
            self.dropped.push(annotation);
            return;
        }
        self.ids.insert(annotation.id.clone());
        self.spans.insert(key, self.annotations.len());
        self.annotations.push(annotation);
    }

    fn with_span_mut(&mut self, range: CharRange, label: &Label) -> Option<&mut Annotation> {
        let &at = self.spans.get(&(range, label.clone()))?;
        self.annotations.get_mut(at)
    }

    /// The document, checked once. Should that check ever fail (it cannot: every annotation was
    /// checked on the way in), the annotations are inserted one by one and any that does not fit
    /// is reported rather than lost silently.
    fn into_document(
        mut self,
        shell: Document,
        next_number: u64,
        now: super::timestamp::Timestamp,
    ) -> (Document, Vec<Annotation>) {
        match Document::from_parts(shell.clone(), self.annotations.clone(), next_number) {
            Ok(document) => (document, self.dropped),
            Err(error) => {
                debug_assert!(false, "merge result rejected: {error}");
                let mut document =
                    Document::from_parts(shell.clone(), Vec::new(), next_number).unwrap_or(shell);
                for annotation in self.annotations {
                    if document.insert(annotation.clone(), now).is_err() {
                        self.dropped.push(annotation);
                    }
                }
                (document, self.dropped)
            }
        }
    }
}

fn by_id(annotations: &[Rc<Annotation>]) -> HashMap<&AnnotationId, &Annotation> {
    annotations.iter().map(|a| (&a.id, &**a)).collect()
}

/// The annotation in `side` that is the same annotation as `a`: same id and same range.
fn counterpart<'a>(
    side: &HashMap<&AnnotationId, &'a Annotation>,
    a: &Annotation,
) -> Option<&'a Annotation> {
    side.get(&a.id).copied().filter(|x| x.range == a.range)
}

/// Drops relabels of ours that give two candidates the same range and label, until none do.
///
/// Theirs' labels never clash with each other (theirs is a valid document), so every clash
/// involves a relabel of ours, which gives way. Falling back to theirs' label can uncover a new
/// clash with another relabel of ours (ours rotated labels on one span), hence the loop. Each
/// round settles or removes one candidate, so it ends.
fn drop_clashing_relabels(candidates: &mut Vec<Candidate>) {
    loop {
        let mut seen: HashMap<(CharRange, Label), usize> = HashMap::new();
        let mut clash = None;
        for (i, c) in candidates.iter().enumerate() {
            if let Some(&j) = seen.get(&(c.annotation.range, c.annotation.label.clone())) {
                clash = Some((j, i));
                break;
            }
            seen.insert((c.annotation.range, c.annotation.label.clone()), i);
        }
        let Some((j, i)) = clash else {
            return;
        };
        // The one carrying ours' label gives way (the later one, should both or neither).
        let loser =
            if candidates[i].source == Source::Theirs && candidates[j].source != Source::Theirs {
                j
            } else {
                i
            };
        match candidates[loser].source.clone() {
            Source::OursRelabel { theirs_label } => {
                candidates[loser].annotation.label = theirs_label;
                candidates[loser].source = Source::Theirs;
            }
            Source::Theirs | Source::OursRevived => {
                candidates.remove(loser);
            }
        }
    }
}

/// The first `aN` with `N >= *fresh` not in `taken`, advancing `fresh` past it.
fn fresh_id(fresh: &mut u64, taken: &HashSet<AnnotationId>) -> Option<AnnotationId> {
    loop {
        let id = AnnotationId::numbered(*fresh);
        if !taken.contains(&id) {
            *fresh = fresh.saturating_add(1);
            return Some(id);
        }
        *fresh = fresh.checked_add(1)?;
    }
}
