//! Undo and redo of annotation edits, one [`History`] per document.
//!
//! Edits are stored as what happened (with the whole annotation where it was added or removed), so
//! undoing a delete brings the annotation back with its original id and the export stays stable.

use super::annotation::{Annotation, AnnotationId};
use super::document::{Document, DocumentError};
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

    /// Applies the edit to the document.
    ///
    /// # Errors
    /// [`DocumentError`] if the document no longer fits the edit (it changed behind our back).
    pub fn apply(&self, document: &mut Document, now: Timestamp) -> Result<(), DocumentError> {
        match self {
            Edit::Added(a) => document.insert(a.clone(), now),
            Edit::Removed(a) => {
                document.remove(&a.id, now);
                Ok(())
            }
            Edit::Relabelled { id, to, .. } => document.relabel(id, to.clone(), now).map(|_| ()),
        }
    }

    /// The annotation the edit is about, so the view can select it after undo/redo.
    pub fn annotation_id(&self) -> &AnnotationId {
        match self {
            Edit::Added(a) | Edit::Removed(a) => &a.id,
            Edit::Relabelled { id, .. } => id,
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

    /// Reverts the latest edit on `document`; returns the edit that was reverted.
    pub fn undo(&mut self, document: &mut Document, now: Timestamp) -> Option<Edit> {
        let edit = self.undo.pop()?;
        if edit.inverse().apply(document, now).is_err() {
            // The document no longer matches this step: drop the history rather than corrupt it.
            self.undo.clear();
            self.redo.clear();
            return None;
        }
        self.redo.push(edit.clone());
        Some(edit)
    }

    /// Re-applies the latest undone edit; returns it.
    pub fn redo(&mut self, document: &mut Document, now: Timestamp) -> Option<Edit> {
        let edit = self.redo.pop()?;
        if edit.apply(document, now).is_err() {
            self.undo.clear();
            self.redo.clear();
            return None;
        }
        self.undo.push(edit.clone());
        Some(edit)
    }
}
