//! [`AppState`], [`Action`] and the reducer. Every rule about annotations is delegated to
//! `model`; this file only decides which document an action applies to and what the user sees
//! next (selection, notices). No side effects happen here: saving is `hooks::use_autosave`.

use std::rc::Rc;

use yew::Reducible;

use crate::model::{
    AnnotationId, ArticleText, CharRange, Document, DocumentId, Edit, History, Label, Timestamp,
};

/// A document with its undo history (history lives only in memory).
#[derive(Clone, Debug, PartialEq)]
pub struct OpenDocument {
    pub document: Rc<Document>,
    pub history: Rc<History>,
}

/// Something the user should read: the result of an action that did not do what they asked, or
/// an offer to undo a deletion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
    /// A document was deleted and can still be restored.
    DocumentDeleted,
}

/// Whether what is on screen is also in localStorage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveStatus {
    Saved,
    Failed(String),
    Unavailable(String),
}

/// A deleted document kept until the next deletion so "Undo" can bring it back.
#[derive(Clone, Debug, PartialEq)]
pub struct DeletedDocument {
    pub position: usize,
    pub open: OpenDocument,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// In list order (oldest first).
    pub documents: Vec<OpenDocument>,
    /// The document being annotated; `None` shows the paste form.
    pub active: Option<DocumentId>,
    /// The current text selection inside the article, already clipped and trimmed.
    pub pending: Option<CharRange>,
    /// The annotation picked by clicking a highlight or a list item.
    pub selected: Option<AnnotationId>,
    /// Bumped to ask the article to scroll to and flash `selected`.
    pub reveal: u32,
    pub notice: Option<Notice>,
    pub save_status: SaveStatus,
    pub deleted: Option<DeletedDocument>,
    /// Bumped whenever documents or the list change, so autosave knows there is work.
    pub revision: u64,
}

#[derive(Clone, Debug)]
pub enum Action {
    CreateDocument {
        id: DocumentId,
        title: String,
        text: ArticleText,
        now: Timestamp,
    },
    ShowPasteForm,
    OpenDocument {
        id: DocumentId,
    },
    DeleteDocument {
        id: DocumentId,
    },
    RestoreDeletedDocument,
    SetPending {
        range: Option<CharRange>,
    },
    /// Tags the pending selection, or relabels the selected annotation when nothing is selected.
    Tag {
        label: Label,
        now: Timestamp,
    },
    DeleteSelected {
        now: Timestamp,
    },
    /// A click on highlighted text; `chain` lists the annotations under the pointer, innermost
    /// first. Repeated clicks walk outward.
    ClickHighlight {
        chain: Vec<AnnotationId>,
    },
    Select {
        id: Option<AnnotationId>,
        reveal: bool,
    },
    Undo {
        now: Timestamp,
    },
    Redo {
        now: Timestamp,
    },
    DismissNotice,
    SaveStatus(SaveStatus),
    Notify(Notice),
}

impl AppState {
    /// The state after loading from storage.
    pub fn new(
        documents: Vec<Document>,
        active: Option<DocumentId>,
        save_status: SaveStatus,
        notice: Option<Notice>,
    ) -> Self {
        let documents: Vec<OpenDocument> = documents
            .into_iter()
            .map(|document| OpenDocument {
                document: Rc::new(document),
                history: Rc::default(),
            })
            .collect();
        let active = active.filter(|id| documents.iter().any(|d| &d.document.id == id));
        Self {
            documents,
            active,
            pending: None,
            selected: None,
            reveal: 0,
            notice,
            save_status,
            deleted: None,
            revision: 0,
        }
    }

    pub fn active_document(&self) -> Option<&OpenDocument> {
        let id = self.active.as_ref()?;
        self.documents.iter().find(|d| &d.document.id == id)
    }

    fn active_index(&self) -> Option<usize> {
        let id = self.active.as_ref()?;
        self.documents.iter().position(|d| &d.document.id == id)
    }

    fn error(&mut self, message: impl Into<String>) {
        self.notice = Some(Notice {
            kind: NoticeKind::Error,
            message: message.into(),
        });
    }

    /// Applies an edit to the active document and records it for undo.
    fn edit(
        &mut self,
        now: Timestamp,
        make: impl FnOnce(&mut Document) -> Result<Edit, String>,
    ) -> bool {
        let Some(index) = self.active_index() else {
            return false;
        };
        let open = &mut self.documents[index];
        let mut document = (*open.document).clone();
        match make(&mut document) {
            Ok(edit) => {
                document.modified = now;
                open.document = Rc::new(document);
                Rc::make_mut(&mut open.history).record(edit);
                self.revision += 1;
                true
            }
            Err(message) => {
                self.error(message);
                false
            }
        }
    }

    fn step_history(&mut self, now: Timestamp, forward: bool) -> bool {
        let Some(index) = self.active_index() else {
            return false;
        };
        let open = &mut self.documents[index];
        let mut document = (*open.document).clone();
        let mut history = (*open.history).clone();
        let step = if forward {
            history.redo(&mut document, now)
        } else {
            history.undo(&mut document, now)
        };
        let Some(edit) = step else {
            // A step that no longer fits the document clears the history; keep that, so the
            // Undo button does not stay enabled for a step that can never apply.
            let cleared = history.can_undo() != open.history.can_undo()
                || history.can_redo() != open.history.can_redo();
            open.history = Rc::new(history);
            return cleared;
        };
        open.document = Rc::new(document);
        open.history = Rc::new(history);
        let id = edit.annotation_id().clone();
        let exists = open.document.annotation(&id).is_some();
        self.selected = exists.then_some(id);
        self.pending = None;
        self.revision += 1;
        true
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let changed = next.apply(action);
        if changed {
            Rc::new(next)
        } else {
            self
        }
    }
}

impl AppState {
    /// Applies one action; returns whether anything visible changed.
    fn apply(&mut self, action: Action) -> bool {
        match action {
            Action::CreateDocument {
                id,
                title,
                text,
                now,
            } => {
                if self.documents.iter().any(|d| d.document.id == id) {
                    self.error(
                        "Could not create the document: its id is already taken. Try again.",
                    );
                    return true;
                }
                let document = Document::new(id.clone(), title, text, now);
                self.documents.push(OpenDocument {
                    document: Rc::new(document),
                    history: Rc::default(),
                });
                self.active = Some(id);
                self.pending = None;
                self.selected = None;
                self.notice = None;
                self.revision += 1;
                true
            }
            Action::ShowPasteForm => {
                self.active = None;
                self.pending = None;
                self.selected = None;
                self.revision += 1;
                true
            }
            Action::OpenDocument { id } => {
                if self.active.as_ref() == Some(&id)
                    || !self.documents.iter().any(|d| d.document.id == id)
                {
                    return false;
                }
                self.active = Some(id);
                self.pending = None;
                self.selected = None;
                self.revision += 1;
                true
            }
            Action::DeleteDocument { id } => {
                let Some(position) = self.documents.iter().position(|d| d.document.id == id) else {
                    return false;
                };
                let open = self.documents.remove(position);
                if self.active.as_ref() == Some(&id) {
                    self.active = None;
                    self.pending = None;
                    self.selected = None;
                }
                self.notice = Some(Notice {
                    kind: NoticeKind::DocumentDeleted,
                    message: format!("Deleted “{}”.", open.document.title),
                });
                self.deleted = Some(DeletedDocument { position, open });
                self.revision += 1;
                true
            }
            Action::RestoreDeletedDocument => {
                let Some(deleted) = self.deleted.take() else {
                    return false;
                };
                let id = deleted.open.document.id.clone();
                let position = deleted.position.min(self.documents.len());
                self.documents.insert(position, deleted.open);
                self.active = Some(id);
                self.notice = None;
                self.revision += 1;
                true
            }
            Action::SetPending { range } => {
                if self.pending == range {
                    return false;
                }
                self.pending = range;
                if range.is_some() {
                    self.selected = None;
                }
                true
            }
            Action::Tag { label, now } => {
                if let Some(range) = self.pending {
                    let added = self.edit(now, |document| {
                        document
                            .add(range, label, now)
                            .map(Edit::Added)
                            .map_err(|e| format!("Not tagged: {e}."))
                    });
                    if added {
                        self.pending = None;
                        self.notice = None;
                    }
                    true
                } else if let Some(id) = self.selected.clone() {
                    let current = self
                        .active_document()
                        .and_then(|d| d.document.annotation(&id))
                        .map(|a| a.label);
                    if current.is_none() || current == Some(label) {
                        return false;
                    }
                    self.edit(now, |document| match document.relabel(&id, label, now) {
                        Ok(Some(from)) => Ok(Edit::Relabelled {
                            id: id.clone(),
                            from,
                            to: label,
                        }),
                        Ok(None) => Err("That annotation no longer exists.".to_owned()),
                        Err(e) => Err(format!("Not relabelled: {e}.")),
                    });
                    true
                } else {
                    false
                }
            }
            Action::DeleteSelected { now } => {
                let Some(id) = self.selected.clone() else {
                    return false;
                };
                let deleted = self.edit(now, |document| {
                    document
                        .remove(&id, now)
                        .map(Edit::Removed)
                        .ok_or_else(|| "That annotation no longer exists.".to_owned())
                });
                if deleted {
                    self.selected = None;
                }
                true
            }
            Action::ClickHighlight { chain } => {
                let next = match self
                    .selected
                    .as_ref()
                    .and_then(|s| chain.iter().position(|id| id == s))
                {
                    Some(i) => chain.get((i + 1) % chain.len()).cloned(),
                    None => chain.first().cloned(),
                };
                if next == self.selected {
                    return false;
                }
                self.selected = next;
                true
            }
            Action::Select { id, reveal } => {
                if id == self.selected && !reveal {
                    return false;
                }
                self.selected = id;
                self.pending = None;
                if reveal {
                    self.reveal = self.reveal.wrapping_add(1);
                }
                true
            }
            Action::Undo { now } => self.step_history(now, false),
            Action::Redo { now } => self.step_history(now, true),
            Action::DismissNotice => {
                self.notice = None;
                self.deleted = None;
                true
            }
            Action::SaveStatus(status) => {
                if self.save_status == status {
                    return false;
                }
                self.save_status = status;
                true
            }
            Action::Notify(notice) => {
                self.notice = Some(notice);
                true
            }
        }
    }
}

/// The context every component reads the state from and dispatches to.
pub type AppContext = yew::UseReducerHandle<AppState>;
