//! [`AppState`], [`Action`] and the reducer. Every rule about annotations is delegated to the
//! core (`annotator_core::model`); the reducer only decides which document an action applies to
//! and what the user sees next (selection, notices). It is split by concern: [`edit`] (the open
//! document), [`documents`] (the list), [`import`] and [`external`] (other tabs, newer versions).
//! No side effects happen here: saving is `hooks::use_autosave`.

mod documents;
mod edit;
mod external;
mod import;

use std::rc::Rc;

use annotator_core::formats::dataset::ImportError;
use annotator_core::model::{
    AnnotationId, ArticleText, CharRange, DeletedDocument, Document, DocumentId, Label,
    OpenDocument, Schema, Timestamp,
};
use annotator_core::persist::{ExternalChange, NewerDocument};
use yew::Reducible;

use crate::browser::durability::{Estimate, Persistence};
pub use external::read_only_message;
pub use import::{ImportChoice, PendingImport};

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

/// What the user should know about where their work is kept.
#[derive(Clone, Debug, PartialEq)]
pub struct StorageInfo {
    /// Bytes our localStorage entries take (keys and values, counted as UTF-16).
    pub used_bytes: u64,
    /// Bytes other entries on the same origin take (they share the quota).
    pub other_bytes: u64,
    pub persistence: Persistence,
    pub estimate: Option<Estimate>,
    /// Unreadable entries moved aside at start-up: (quarantine key, description).
    pub quarantined: Vec<(String, String)>,
    /// The stored version id of each document loaded at start-up (the base for merging what
    /// other tabs save next).
    pub loaded_versions: Rc<std::collections::HashMap<DocumentId, String>>,
    /// Documents a newer version of the app saved: read-only here, offered as raw downloads.
    pub newer: Vec<NewerDocument>,
    /// The schema version of an index a newer version of the app wrote: then this tab saves
    /// nothing and refuses edits.
    pub read_only: Option<u32>,
}

impl Default for StorageInfo {
    fn default() -> Self {
        Self {
            used_bytes: 0,
            other_bytes: 0,
            persistence: Persistence::Unknown,
            estimate: None,
            quarantined: Vec::new(),
            loaded_versions: Rc::default(),
            newer: Vec::new(),
            read_only: None,
        }
    }
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
    pub storage: StorageInfo,
    pub pending_import: Option<PendingImport>,
    /// The library's label schema: labels, their keys, colours and attributes, relation types.
    pub schema: Rc<Schema>,
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
    StorageUsed {
        ours: u64,
        others: u64,
    },
    Persistence(Persistence),
    Estimate(Option<Estimate>),
    QuarantineDiscarded {
        key: String,
    },
    /// Files picked or dropped for import, detected and read ([`PendingImport::read`]), to be
    /// shown for confirmation; also the same files read again with another doccano unit.
    ImportRead(Result<PendingImport, ImportError>),
    /// The user mapped a custom label onto one of ours (`None`: keep it custom).
    ImportMapLabel {
        from: Label,
        to: Option<Label>,
    },
    /// `fresh_ids` supplies one new id per conflicting document for [`ImportChoice::KeepBoth`].
    ImportConfirm {
        choice: ImportChoice,
        fresh_ids: Vec<DocumentId>,
    },
    ImportCancel,
    /// Another tab saved or deleted a document, or a newer version of the app wrote storage.
    External(ExternalChange),
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
            .map(|document| OpenDocument::new(Rc::new(document)))
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
            storage: StorageInfo::default(),
            pending_import: None,
            schema: Rc::default(),
        }
    }

    /// The same state with what start-up learnt about storage.
    pub fn with_storage(mut self, storage: StorageInfo) -> Self {
        self.storage = storage;
        self
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

impl Action {
    /// Whether the action changes what is saved (refused while storage is read-only).
    fn changes_documents(&self) -> bool {
        matches!(
            self,
            Action::CreateDocument { .. }
                | Action::DeleteDocument { .. }
                | Action::RestoreDeletedDocument
                | Action::Tag { .. }
                | Action::DeleteSelected { .. }
                | Action::Undo { .. }
                | Action::Redo { .. }
                | Action::ImportConfirm { .. }
        )
    }
}

impl AppState {
    /// Applies one action; returns whether anything visible changed.
    fn apply(&mut self, action: Action) -> bool {
        if let (Some(version), true) = (self.storage.read_only, action.changes_documents()) {
            self.error(read_only_message(version));
            return true;
        }
        match action {
            Action::CreateDocument {
                id,
                title,
                text,
                now,
            } => self.create_document(id, title, text, now),
            Action::ShowPasteForm => self.show_paste_form(),
            Action::OpenDocument { id } => self.open_document(id),
            Action::DeleteDocument { id } => self.delete_document(id),
            Action::RestoreDeletedDocument => self.restore_deleted_document(),
            Action::SetPending { range } => self.set_pending(range),
            Action::Tag { label, now } => self.tag(label, now),
            Action::DeleteSelected { now } => self.delete_selected(now),
            Action::ClickHighlight { chain } => self.click_highlight(chain),
            Action::Select { id, reveal } => self.select(id, reveal),
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
            Action::StorageUsed { ours, others } => {
                let changed = (self.storage.used_bytes, self.storage.other_bytes) != (ours, others);
                self.storage.used_bytes = ours;
                self.storage.other_bytes = others;
                changed
            }
            Action::Persistence(persistence) => {
                let changed = self.storage.persistence != persistence;
                self.storage.persistence = persistence;
                changed
            }
            Action::Estimate(estimate) => {
                let changed = self.storage.estimate != estimate;
                self.storage.estimate = estimate;
                changed
            }
            Action::QuarantineDiscarded { key } => {
                let before = self.storage.quarantined.len();
                self.storage.quarantined.retain(|(k, _)| k != &key);
                before != self.storage.quarantined.len()
            }
            Action::ImportRead(read) => self.import_read(read),
            Action::ImportMapLabel { from, to } => self.import_map_label(from, to),
            Action::ImportCancel => self.pending_import.take().is_some(),
            Action::ImportConfirm { choice, fresh_ids } => self.confirm_import(choice, fresh_ids),
            Action::External(change) => self.external(change),
        }
    }
}

/// The context every component reads the state from and dispatches to.
pub type AppContext = yew::UseReducerHandle<AppState>;
