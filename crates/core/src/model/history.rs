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

use super::annotation::{Annotation, AnnotationId};
use super::document::Document;
use super::label::Label;
use super::timestamp::Timestamp;

/// How many steps back a document remembers; older steps are forgotten first.
pub const MAX_UNDO_STEPS: usize = 1000;

/// One reversible change to a document's annotations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    Added(Annotation),
    Removed(Annotation),
    Relabelled {
        id: AnnotationId,
        from: Label,
        to: Label,
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
            Edit::Added(a) => Edit::Removed(a.clone()),
            Edit::Removed(a) => Edit::Added(a.clone()),
            Edit::Relabelled { id, from, to } => Edit::Relabelled {
                id: id.clone(),
                from: to.clone(),
                to: from.clone(),
            },
        }
    }

    /// Applies the edit to the document, only when the document still fits it: the annotation
    /// a removal takes away is exactly the one recorded, a relabel finds the label it changes
    /// from, an addition finds its id and span free.
    ///
    /// # Errors
    /// [`Stale`] when the document no longer fits the edit; the document is then unchanged.
    pub fn apply(&self, document: &mut Document, now: Timestamp) -> Result<(), Stale> {
        match self {
            Edit::Added(a) => document.insert(a.clone(), now).map_err(|_| Stale::Taken),
            Edit::Removed(a) => {
                if document.annotation(&a.id) != Some(a) {
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
        }
    }

    /// The annotation the edit is about, so the view can select it after undo/redo.
    pub fn annotation_id(&self) -> &AnnotationId {
        match self {
            Edit::Added(a) | Edit::Removed(a) => &a.id,
            Edit::Relabelled { id, .. } => id,
        }
    }

    fn annotation_id_mut(&mut self) -> &mut AnnotationId {
        match self {
            Edit::Added(a) | Edit::Removed(a) => &mut a.id,
            Edit::Relabelled { id, .. } => id,
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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    undo: Vec<Edit>,
    redo: Vec<Edit>,
}

impl History {
    /// Remembers an edit that was just applied. A new edit forgets everything that was undone.
    pub fn record(&mut self, edit: Edit) {
        self.redo.clear();
        if self.undo.len() == MAX_UNDO_STEPS {
            self.undo.remove(0);
        }
        self.undo.push(edit);
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Follows the ids a merge renamed (old, new): this tab's edits then still name the
    /// annotations they made. Returns whether anything was renamed.
    pub fn rename(&mut self, renamed: &[(AnnotationId, AnnotationId)]) -> bool {
        let mut changed = false;
        for edit in self.undo.iter_mut().chain(self.redo.iter_mut()) {
            let id = edit.annotation_id_mut();
            if let Some((_, new)) = renamed.iter().find(|(old, _)| old == id) {
                *id = new.clone();
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
                self.redo.push(edit.clone());
                Step::Applied(edit)
            }
            Err(stale) => Step::Dropped(edit, stale),
        }
    }

    /// Re-applies the latest undone edit.
    pub fn redo(&mut self, document: &mut Document, now: Timestamp) -> Step {
        let Some(edit) = self.redo.pop() else {
            return Step::Nothing;
        };
        match edit.apply(document, now) {
            Ok(()) => {
                self.undo.push(edit.clone());
                Step::Applied(edit)
            }
            Err(stale) => Step::Dropped(edit, stale),
        }
    }
}
