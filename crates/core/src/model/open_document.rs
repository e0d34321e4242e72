//! [`OpenDocument`]: a document as one tab holds it, with this tab's undo history, and how it
//! takes in what other tabs saved ([`take_in`]). The app's reducer and the simulated tabs of the
//! persistence tests both go through here, so what the tests prove is what the app does.

use std::rc::Rc;

use super::annotation::{Annotation, AnnotationId};
use super::annotator::AnnotatorName;
use super::document::{Document, DocumentId};
use super::history::{Edit, History, Step};
use super::merge::merge;
use super::timestamp::Timestamp;

/// A document with this tab's undo history (history lives only in memory).
#[derive(Clone, Debug)]
pub struct OpenDocument {
    pub document: Rc<Document>,
    pub history: Rc<History>,
}

/// By pointer: every change makes a new `Rc`, so comparing contents (yew compares the state it
/// provides on every render) would walk up to 10,000 annotations only to confirm a difference.
impl PartialEq for OpenDocument {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.document, &other.document) && Rc::ptr_eq(&self.history, &other.history)
    }
}

impl OpenDocument {
    pub fn new(document: Rc<Document>) -> Self {
        Self {
            document,
            history: Rc::default(),
        }
    }

    /// Applies an edit made in this tab by `by` ([`Edit::stamp`]) and records it for undo.
    ///
    /// # Errors
    /// The message of `make` when it refuses; nothing changes then.
    pub fn edit(
        &mut self,
        now: Timestamp,
        by: Option<&AnnotatorName>,
        make: impl FnOnce(&mut Document) -> Result<Edit, String>,
    ) -> Result<Edit, String> {
        let mut document = (*self.document).clone();
        let mut edit = make(&mut document)?;
        edit.stamp(&mut document, by);
        document.modified = now;
        self.document = Rc::new(document);
        Rc::make_mut(&mut self.history).record(edit.clone());
        Ok(edit)
    }

    /// Undoes (`forward` false) or redoes this tab's latest edit, by `by`: a label, value or
    /// note it puts back counts as changed by them. A step that no longer fits the document is
    /// dropped from the history and the document left as it is.
    pub fn step(&mut self, now: Timestamp, by: Option<&AnnotatorName>, forward: bool) -> Step {
        let mut document = (*self.document).clone();
        let mut history = (*self.history).clone();
        let step = if forward {
            history.redo(&mut document, now)
        } else {
            history.undo(&mut document, now)
        };
        match step {
            Step::Nothing => {}
            Step::Applied(ref edit) => {
                edit.stamp_changes(&mut document, by);
                self.document = Rc::new(document);
                self.history = Rc::new(history);
            }
            Step::Dropped(..) => self.history = Rc::new(history),
        }
        step
    }
}

/// A deleted document kept until the next deletion so "Undo" can bring it back.
#[derive(Clone, Debug, PartialEq)]
pub struct DeletedDocument {
    pub position: usize,
    pub open: OpenDocument,
}

/// What [`take_in`] did to the tab's documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TakenIn {
    /// Nothing: the tab already had that.
    Nothing,
    /// Another tab's new document, added at the end of the list.
    Added,
    /// Deleted here (and still undoable), then changed in another tab: back in its place.
    Restored { title: String },
    /// Deleted in another tab, and untouched here since: removed.
    Removed { title: String },
    /// Deleted in another tab, but changed here since: kept (it is saved again).
    Kept { title: String },
    /// Another tab's save merged into this tab's copy.
    Merged {
        /// Ids of this tab's annotations that the other tab used for other ones (old, new);
        /// this tab's history and selection follow them.
        renamed: Vec<(AnnotationId, AnnotationId)>,
        /// What the merge could not keep (see [`super::merge::Merged::dropped`]).
        dropped: Vec<Annotation>,
        /// Links of this tab the merge could not keep: an end is gone from the result (see
        /// [`super::merge::Merged::dropped_relations`]).
        dropped_relations: Vec<super::relation::Relation>,
    },
}

/// Takes another tab's save of document `id` (`theirs`; `None`: it deleted the document) into
/// this tab's `documents`, from `base`, the version both descend from. An edit beats a delete,
/// in either direction, so no work is lost.
pub fn take_in(
    documents: &mut Vec<OpenDocument>,
    deleted: &mut Option<DeletedDocument>,
    id: &DocumentId,
    theirs: Option<Rc<Document>>,
    base: Option<Rc<Document>>,
) -> TakenIn {
    let position = documents.iter().position(|d| &d.document.id == id);
    match (position, theirs) {
        (None, None) => TakenIn::Nothing,
        (None, Some(theirs)) => match deleted.take() {
            Some(gone)
                if &gone.open.document.id == id && gone.open.document.text() == theirs.text() =>
            {
                // Undo delete then has nothing left to restore, so it cannot add a second
                // document with the same id.
                let merged = merge(base.as_deref(), &gone.open.document, &theirs);
                let position = gone.position.min(documents.len());
                documents.insert(position, OpenDocument::new(Rc::new(merged.document)));
                TakenIn::Restored {
                    title: theirs.title.clone(),
                }
            }
            other => {
                *deleted = other;
                documents.push(OpenDocument::new(theirs));
                TakenIn::Added
            }
        },
        (Some(at), None) => {
            let ours = &documents[at].document;
            let untouched_here = base
                .as_ref()
                .is_some_and(|base| Rc::ptr_eq(base, ours) || **base == **ours);
            let title = ours.title.clone();
            if untouched_here {
                documents.remove(at);
                TakenIn::Removed { title }
            } else {
                TakenIn::Kept { title }
            }
        }
        (Some(at), Some(theirs)) => {
            let open = &mut documents[at];
            if Rc::ptr_eq(&open.document, &theirs) {
                return TakenIn::Nothing;
            }
            let merged = merge(base.as_deref(), &open.document, &theirs);
            if merged.document.text() != open.document.text() {
                // Another tab fixed the text: this tab's steps name offsets of the old one, and
                // redoing an addition there would tag other words. They are forgotten.
                open.history = Rc::default();
            } else if !merged.renamed.is_empty() {
                Rc::make_mut(&mut open.history).rename(&merged.renamed);
            }
            open.document = if merged.differs_from_theirs {
                Rc::new(merged.document)
            } else {
                // Share the very Rc the save engine holds as saved, so it is not written back.
                theirs
            };
            TakenIn::Merged {
                renamed: merged.renamed,
                dropped: merged.dropped,
                dropped_relations: merged.dropped_relations,
            }
        }
    }
}

/// What [`restore`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Restored {
    /// Nothing was deleted.
    Nothing,
    /// Back in its place, with its undo history.
    Back,
    /// A copy with its id came back since (another tab's save, an import): the deleted copy
    /// was merged into it, as two documents with one id would overwrite each other's storage.
    Merged,
    /// A different article with its id was added since: nothing changed, and the deleted
    /// document is still there to restore once that is sorted out.
    Blocked { title: String },
}

/// Brings back the document deleted last ("Undo delete").
pub fn restore(
    documents: &mut Vec<OpenDocument>,
    deleted: &mut Option<DeletedDocument>,
) -> Restored {
    let Some(gone) = deleted.take() else {
        return Restored::Nothing;
    };
    let id = &gone.open.document.id;
    match documents.iter().position(|d| &d.document.id == id) {
        Some(at) if documents[at].document.text() != gone.open.document.text() => {
            let title = gone.open.document.title.clone();
            *deleted = Some(gone);
            Restored::Blocked { title }
        }
        Some(at) => {
            // Without a base nothing is dropped (merge rule 8).
            let merged = merge(None, &gone.open.document, &documents[at].document);
            documents[at].document = Rc::new(merged.document);
            Restored::Merged
        }
        None => {
            let position = gone.position.min(documents.len());
            documents.insert(position, gone.open);
            Restored::Back
        }
    }
}
