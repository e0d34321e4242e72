//! Undo and redo of annotation edits, one [`History`] per document and per tab.
//!
//! Edits are stored as what happened (with the whole annotation where it was added or removed), so
//! undoing a delete brings the annotation back with its original id and the export stays stable.
//!
//! A history only ever reverses this tab's own edits. Another tab's changes are merged into the
//! document underneath it, so before a step is applied it is checked against the document: the
//! annotation it removes must be the very one it made (same id, range and label), a relabel's
//! label must still be the one it set. A step that no longer fits is dropped, and the caller is
//! told ([`Step::Dropped`]); the steps below it stay. Ids the merge renamed are followed with
//! [`History::rename`].

use std::rc::Rc;

use super::annotation::{Annotation, AnnotationId};
use super::annotator::{AnnotatorName, Authors};
use super::document::{Document, Removed};
use super::label::Label;
use super::relation::Relation;
use super::timestamp::Timestamp;

/// How many steps back a document remembers; older steps are forgotten first.
pub const MAX_UNDO_STEPS: usize = 1000;

/// One reversible change to a document's annotations, relations, attribute values or notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    Added(Annotation),
    /// An annotation deleted with the relations that touched it.
    Removed(Removed),
    /// An annotation put back with its relations: what undoing [`Edit::Removed`] does (and what
    /// "Undo" brings back after a merge revived a deleted annotation).
    Restored(Removed),
    Relabelled {
        id: AnnotationId,
        from: Label,
        to: Label,
    },
    Linked(Relation),
    Unlinked(Relation),
    AttributeSet {
        id: AnnotationId,
        name: Rc<str>,
        from: Option<Rc<str>>,
        to: Option<Rc<str>>,
    },
    /// The note of an annotation (`id`), or of the article (`id` is `None`).
    NoteSet {
        id: Option<AnnotationId>,
        from: Option<Rc<str>>,
        to: Option<Rc<str>>,
    },
    /// Several edits made by one gesture (accepting the suggestions in view), undone and redone
    /// together: all of them, or none when one no longer fits.
    Batch(Vec<Edit>),
    /// The document's text, annotations, relations and orphans replaced at once, before and
    /// after (shared, not copied: both are the documents themselves): a fix of its text, an
    /// orphan placed or deleted, or a file's quotes attached.
    Replaced {
        before: Rc<Document>,
        after: Rc<Document>,
    },
}

/// Why an edit cannot be applied to a document as it now is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Stale {
    #[error("the annotation was changed or removed in another tab")]
    Changed,
    #[error("the span is already tagged, or its id is taken")]
    Taken,
}

impl Edit {
    fn inverse(&self) -> Edit {
        match self {
            Edit::Added(a) => Edit::Removed(Removed {
                annotation: a.clone(),
                relations: Vec::new(),
            }),
            Edit::Removed(removed) => Edit::Restored(removed.clone()),
            Edit::Relabelled { id, from, to } => Edit::Relabelled {
                id: id.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Edit::Linked(r) => Edit::Unlinked(r.clone()),
            Edit::Unlinked(r) => Edit::Linked(r.clone()),
            Edit::AttributeSet { id, name, from, to } => Edit::AttributeSet {
                id: id.clone(),
                name: name.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Edit::NoteSet { id, from, to } => Edit::NoteSet {
                id: id.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Edit::Restored(removed) => Edit::Removed(removed.clone()),
            Edit::Batch(edits) => Edit::Batch(edits.iter().rev().map(Edit::inverse).collect()),
            Edit::Replaced { before, after } => Edit::Replaced {
                before: Rc::clone(after),
                after: Rc::clone(before),
            },
        }
    }

    /// Applies the edit to the document, only when the document still fits it: the annotation
    /// a removal takes away is exactly the one recorded, with exactly the relations recorded (so
    /// undoing an addition never takes away a link another tab made to it); a relabel, attribute
    /// or note change finds the value it changes from; an addition finds its id and span free.
    ///
    /// # Errors
    /// [`Stale`] when the document no longer fits the edit; the document is then unchanged.
    pub fn apply(&self, document: &mut Document, now: Timestamp) -> Result<(), Stale> {
        match self {
            Edit::Added(a) => document.insert(a.clone(), now).map_err(|_| Stale::Taken),
            // A relation's other end gone is another tab's change, not a taken span or id.
            Edit::Restored(removed) => document.restore(removed, now).map_err(|e| match e {
                super::document::DocumentError::MissingEnd { .. } => Stale::Changed,
                _ => Stale::Taken,
            }),
            Edit::Removed(removed) => {
                let a = &removed.annotation;
                // Whoever last changed it: the name may have been changed in between.
                if !document
                    .annotation(&a.id)
                    .is_some_and(|b| b.same_tagging(a))
                    || !document.relations_of(&a.id).eq(removed.relations.iter())
                {
                    return Err(Stale::Changed);
                }
                document.remove(&a.id, now);
                Ok(())
            }
            Edit::Relabelled { id, from, to } => {
                if document.annotation(id).map(|a| &a.label) != Some(from) {
                    return Err(Stale::Changed);
                }
                document
                    .relabel(id, to.clone(), now)
                    .map(|_| ())
                    .map_err(|_| Stale::Taken)
            }
            Edit::Linked(r) => document.link(r.clone(), now).map_err(|e| match e {
                super::document::DocumentError::AlreadyLinked { .. } => Stale::Taken,
                _ => Stale::Changed,
            }),
            Edit::Unlinked(r) => {
                if document.unlink(r, now) {
                    Ok(())
                } else {
                    Err(Stale::Changed)
                }
            }
            Edit::AttributeSet { id, name, from, to } => {
                let current = document.annotation(id).ok_or(Stale::Changed)?;
                if current.attributes.get(name) != from.as_deref() {
                    return Err(Stale::Changed);
                }
                document
                    .set_attribute(id, name, to.as_deref(), now)
                    .map(|_| ())
                    .map_err(|_| Stale::Changed)
            }
            Edit::NoteSet { id, from, to } => {
                let current = match id {
                    None => document.note.as_deref(),
                    Some(id) => document
                        .annotation(id)
                        .ok_or(Stale::Changed)?
                        .note
                        .as_deref(),
                };
                if current != from.as_deref() {
                    return Err(Stale::Changed);
                }
                document
                    .set_note(id.as_ref(), to.as_deref().unwrap_or_default(), now)
                    .map(|_| ())
                    .map_err(|_| Stale::Changed)
            }
            Edit::Batch(edits) => {
                for (done, edit) in edits.iter().enumerate() {
                    if let Err(stale) = edit.apply(document, now) {
                        // Each applied edit fits the document its inverse meets: undone in
                        // reverse, they leave the document as it was.
                        for applied in edits[..done].iter().rev() {
                            let _ = applied.inverse().apply(document, now);
                        }
                        return Err(stale);
                    }
                }
                Ok(())
            }
            Edit::Replaced { before, after } => {
                if !document.same_body(before) {
                    return Err(Stale::Changed);
                }
                document.take_body(after, now);
                Ok(())
            }
        }
    }

    /// Records `by` on an edit just made: who made what it adds, and who last changed what it
    /// changes ([`Edit::stamp_changes`]).
    pub fn stamp(&mut self, document: &mut Document, by: Option<&AnnotatorName>) {
        match self {
            Edit::Added(a) => {
                a.authors = Authors::made(by);
                document.set_authors(&a.id, |authors| *authors = Authors::made(by));
            }
            Edit::Batch(edits) => {
                for edit in edits {
                    edit.stamp(document, by);
                }
            }
            _ => self.stamp_changes(document, by),
        }
    }

    /// Records `by` as who last changed the label, attribute value or note this edit sets (also
    /// when it is undone or redone: putting a value back is a change too). Additions keep who
    /// first made them; links, deletions and text fixes change no annotation's authors.
    pub fn stamp_changes(&self, document: &mut Document, by: Option<&AnnotatorName>) {
        match self {
            Edit::Relabelled { id, .. }
            | Edit::AttributeSet { id, .. }
            | Edit::NoteSet { id: Some(id), .. } => {
                document.set_authors(id, |authors| authors.changed_by = by.cloned());
            }
            Edit::Batch(edits) => {
                for edit in edits {
                    edit.stamp_changes(document, by);
                }
            }
            _ => {}
        }
    }

    /// The annotation the edit is about (a relation's `from`), so the view can select it after
    /// undo/redo; `None` for the article's note.
    pub fn annotation_id(&self) -> Option<&AnnotationId> {
        match self {
            Edit::Added(a) => Some(&a.id),
            Edit::Removed(removed) | Edit::Restored(removed) => Some(&removed.annotation.id),
            Edit::Relabelled { id, .. } | Edit::AttributeSet { id, .. } => Some(id),
            Edit::Linked(r) | Edit::Unlinked(r) => Some(&r.from),
            Edit::NoteSet { id, .. } => id.as_ref(),
            Edit::Batch(edits) => edits.iter().find_map(Edit::annotation_id),
            Edit::Replaced { .. } => None,
        }
    }

    /// Renames every annotation id the edit names, as a merge renamed them. Returns whether
    /// anything changed.
    fn rename(&mut self, renamed: &[(AnnotationId, AnnotationId)]) -> bool {
        let follow = |id: &mut AnnotationId| match renamed.iter().find(|(old, _)| old == id) {
            Some((_, new)) => {
                *id = new.clone();
                true
            }
            None => false,
        };
        let follow_relation = |r: &mut Relation| {
            let from = follow(&mut r.from);
            follow(&mut r.to) || from
        };
        match self {
            Edit::Added(a) => follow(&mut a.id),
            Edit::Removed(removed) | Edit::Restored(removed) => {
                let mut changed = follow(&mut removed.annotation.id);
                for r in &mut removed.relations {
                    changed |= follow_relation(r);
                }
                if changed {
                    removed.relations.sort();
                }
                changed
            }
            Edit::Relabelled { id, .. } | Edit::AttributeSet { id, .. } => follow(id),
            Edit::NoteSet { id, .. } => id.as_mut().is_some_and(follow),
            Edit::Linked(r) | Edit::Unlinked(r) => follow_relation(r),
            Edit::Batch(edits) => {
                // Every edit is renamed: no short cut at the first that changes.
                let mut changed = false;
                for edit in edits {
                    changed |= edit.rename(renamed);
                }
                changed
            }
            // Whole bodies, compared as they are: after a merge renamed an id, the document no
            // longer fits and the step is dropped, never applied to what it does not describe.
            Edit::Replaced { .. } => false,
        }
    }
}

/// What one undo or redo did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Nothing to undo (or redo).
    Nothing,
    /// The edit was reverted (or re-applied).
    Applied(Edit),
    /// The edit no longer fits the document (another tab changed what it touched): it was
    /// dropped from the history and the document left as it is.
    Dropped(Edit, Stale),
}

impl Step {
    /// The edit, when it was applied.
    pub fn applied(self) -> Option<Edit> {
        match self {
            Step::Applied(edit) => Some(edit),
            Step::Nothing | Step::Dropped(..) => None,
        }
    }
}

/// The undo and redo stacks of one document.
// Edits behind `Rc`: the app's state keeps the history of the state before an edit while it
// makes the next one, so every edit copies the history. Copying 1,000 edits (each deletion with
// its relations) was a cost that grew with the session; copying 1,000 pointers is not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    undo: Vec<Rc<Edit>>,
    redo: Vec<Rc<Edit>>,
}

impl History {
    /// Remembers an edit that was just applied. A new edit forgets everything that was undone.
    pub fn record(&mut self, edit: Edit) {
        self.redo.clear();
        if self.undo.len() == MAX_UNDO_STEPS {
            self.undo.remove(0);
        }
        self.undo.push(Rc::new(edit));
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// The edit the next undo would take back.
    pub fn last(&self) -> Option<&Edit> {
        self.undo.last().map(|edit| &**edit)
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Follows the ids a merge renamed (old, new): this tab's edits then still name the
    /// annotations they made. Returns whether anything was renamed.
    pub fn rename(&mut self, renamed: &[(AnnotationId, AnnotationId)]) -> bool {
        let mut changed = false;
        for edit in self.undo.iter_mut().chain(self.redo.iter_mut()) {
            let mut renamed_edit = Edit::clone(edit);
            if renamed_edit.rename(renamed) {
                *edit = Rc::new(renamed_edit);
                changed = true;
            }
        }
        changed
    }

    /// Reverts the latest edit on `document`.
    pub fn undo(&mut self, document: &mut Document, now: Timestamp) -> Step {
        let Some(edit) = self.undo.pop() else {
            return Step::Nothing;
        };
        match edit.inverse().apply(document, now) {
            Ok(()) => {
                self.redo.push(Rc::clone(&edit));
                Step::Applied(Rc::unwrap_or_clone(edit))
            }
            Err(stale) => Step::Dropped(Rc::unwrap_or_clone(edit), stale),
        }
    }

    /// Re-applies the latest undone edit.
    pub fn redo(&mut self, document: &mut Document, now: Timestamp) -> Step {
        let Some(edit) = self.redo.pop() else {
            return Step::Nothing;
        };
        match edit.apply(document, now) {
            Ok(()) => {
                self.undo.push(Rc::clone(&edit));
                Step::Applied(Rc::unwrap_or_clone(edit))
            }
            Err(stale) => Step::Dropped(Rc::unwrap_or_clone(edit), stale),
        }
    }
}
