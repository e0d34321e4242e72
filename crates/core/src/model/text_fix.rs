//! [`fix_text`]: a document on a changed text (a typo fixed, a stray header cut), its
//! annotations placed by [`text_change::place`](super::text_change::place): each keeps its own
//! characters, is found again by its text and context, or becomes an [`Orphan`].

use std::collections::HashSet;
use std::rc::Rc;

use super::anchor::TextQuote;
use super::annotation::{Annotation, AnnotationId};
use super::document::{Document, Removed};
use super::label::Label;
use super::offsets::CharRange;
use super::orphan::Orphan;
use super::relation::Relation;
use super::text::ArticleText;
use super::text_change::{place, Placement, TextChange, CONTEXT_CHARS};
use super::timestamp::Timestamp;

/// What a fix of the text made of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextFix {
    pub document: Document,
    /// Annotations whose characters the change left alone (moved, or where they were).
    pub kept: usize,
    /// Annotations the change touched, found again by their text and context.
    pub found_again: usize,
    /// Annotations now orphans, in text order of where they were.
    pub orphaned: Vec<AnnotationId>,
}

/// `document` on `text`: every annotation placed or orphaned, relations between two placed
/// annotations kept, the others kept with their orphans; earlier orphans stay orphans.
pub fn fix_text(document: &Document, text: ArticleText, now: Timestamp) -> TextFix {
    let before = document.text();
    let change = TextChange::between(before.as_str(), text.as_str());
    let placements: Vec<Placement> = document
        .annotations()
        .iter()
        .map(|a| place(before, &text, &change, a.range))
        .collect();
    // Spans kept keep their order and never meet (those after the change all move by the same
    // length): only a span found again can land where another with its label is, which would
    // be a duplicate. The set is built only when one was found again.
    let mut taken: HashSet<(CharRange, &Label)> = HashSet::new();
    if placements
        .iter()
        .any(|p| matches!(p, Placement::Reanchored(_)))
    {
        taken = document
            .annotations()
            .iter()
            .zip(&placements)
            .filter_map(|(a, p)| match p {
                Placement::Kept(range) => Some((*range, &a.label)),
                _ => None,
            })
            .collect();
    }
    let mut annotations: Vec<Rc<Annotation>> = Vec::with_capacity(document.annotations().len());
    let (mut kept, mut found_again) = (0, 0);
    let mut orphaned: Vec<&Rc<Annotation>> = Vec::new();
    let mut in_order = true;
    for (annotation, placement) in document.annotations().iter().zip(placements) {
        let range = match placement {
            Placement::Kept(range) => {
                kept += 1;
                range
            }
            Placement::Reanchored(range) if taken.insert((range, &annotation.label)) => {
                found_again += 1;
                range
            }
            Placement::Reanchored(_) | Placement::Orphaned => {
                orphaned.push(annotation);
                continue;
            }
        };
        let placed = if range == annotation.range {
            Rc::clone(annotation)
        } else {
            let mut moved = Annotation::clone(annotation);
            moved.range = range;
            Rc::new(moved)
        };
        if annotations
            .last()
            .is_some_and(|last| last.text_order_key() >= placed.text_order_key())
        {
            in_order = false;
        }
        annotations.push(placed);
    }
    if !in_order {
        annotations.sort_by(|a, b| a.text_order_key().cmp(&b.text_order_key()));
    }
    let gone: HashSet<&AnnotationId> = orphaned.iter().map(|a| &a.id).collect();
    let relations = (!gone.is_empty()).then(|| {
        document
            .relations()
            .iter()
            .filter(|r| !gone.contains(&r.from) && !gone.contains(&r.to))
            .cloned()
            .collect::<Vec<Relation>>()
    });
    let mut orphans: Vec<Rc<Orphan>> = document.orphans().to_vec();
    for annotation in &orphaned {
        let quote =
            TextQuote::of(before, annotation.range, CONTEXT_CHARS).unwrap_or_else(|| TextQuote {
                exact: String::new(),
                prefix: String::new(),
                suffix: String::new(),
            });
        orphans.push(Rc::new(Orphan {
            removed: Removed {
                annotation: Annotation::clone(annotation),
                relations: document.relations_of(&annotation.id).cloned().collect(),
            },
            quote,
        }));
    }
    orphans.sort_by(|a, b| a.id().cmp(b.id()));
    TextFix {
        document: document.rebuilt(text, annotations, relations, orphans, now),
        kept,
        found_again,
        orphaned: orphaned.iter().map(|a| a.id.clone()).collect(),
    }
}

/// Places an orphan of `document` at `range`: the annotation it was, with the relations whose
/// other end is on the text now (those to another orphan wait for it). A fresh id when its own
/// is taken (a merge added one since). What goes on the text, or `None` when it cannot: no such
/// orphan, `range` empty or past the end, or the span already tagged with its label.
pub fn placed_orphan(document: &Document, id: &AnnotationId, range: CharRange) -> Option<Removed> {
    let orphan = document.orphan(id)?;
    let mut annotation = orphan.removed.annotation.clone();
    annotation.range = range;
    if document.annotation(&annotation.id).is_some() {
        annotation.id = AnnotationId::numbered(document.next_number());
    }
    let renamed = |end: &AnnotationId| {
        if end == id {
            annotation.id.clone()
        } else {
            end.clone()
        }
    };
    let relations: Vec<Relation> = orphan
        .removed
        .relations
        .iter()
        .map(|r| Relation::new(r.kind.clone(), renamed(&r.from), renamed(&r.to)))
        .filter(|r| {
            [&r.from, &r.to]
                .into_iter()
                .all(|end| end == &annotation.id || document.annotation(end).is_some())
        })
        .collect();
    let fits = !range.is_empty()
        && range.end().get() <= document.text().char_len()
        && !document
            .annotations()
            .iter()
            .any(|a| a.range == range && a.label == annotation.label);
    fits.then_some(Removed {
        annotation,
        relations,
    })
}

/// `document` with its orphan `id` placed at `range` ([`placed_orphan`]); `None` when it cannot
/// be placed there.
pub fn with_orphan_placed(
    document: &Document,
    id: &AnnotationId,
    range: CharRange,
    now: Timestamp,
) -> Option<Document> {
    let placed = placed_orphan(document, id, range)?;
    let mut changed = document.clone();
    changed.take_orphan(id)?;
    changed.restore(&placed, now).ok()?;
    Some(changed)
}

/// `document` without its orphan `id` (the user deleted it); `None` when it has no such orphan.
pub fn without_orphan(document: &Document, id: &AnnotationId, now: Timestamp) -> Option<Document> {
    let mut changed = document.clone();
    changed.take_orphan(id)?;
    changed.modified = now;
    Some(changed)
}
