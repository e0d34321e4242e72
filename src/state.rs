//! [`AppState`], [`Action`] and the reducer. Every rule about annotations is delegated to the
//! core (`annotator_core::model`); the reducer only decides which document an action applies to
//! and what the user sees next (selection, notices). It is split by concern: [`edit`] (the open
//! document), [`documents`] (the list), [`import`] and [`external`] (other tabs, newer versions).
//! No side effects happen here: saving is `hooks::use_autosave`.

mod announcement;
mod documents;
mod edit;
mod external;
mod import;
mod relations;
mod schema;
mod suggestions;
mod team;
mod text_fix;

use std::rc::Rc;

use annotator_core::model::annotator::sign_unnamed;
use annotator_core::model::suggestions::Suggestion;
use annotator_core::model::word_snap::SnappedSelection;
use annotator_core::model::{
    AnnotationId, AnnotatorName, ArticleText, DeletedDocument, Document, DocumentId, Label,
    OpenDocument, Relation, RelationKind, Schema, Timestamp,
};
use annotator_core::persist::stored::Lineage;
use annotator_core::persist::{ExternalChange, NewerDocument};
use yew::Reducible;

use crate::browser::durability::{Estimate, Persistence};
pub use announcement::{describe, Announcement};
pub use external::read_only_message;
pub use import::imported_documents;
pub use relations::LinkDraft;
pub use schema::SchemaAction;
pub use team::{session_tag, TeamAction, TeamView};

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
    pub loaded_versions: Rc<std::collections::HashMap<DocumentId, Lineage>>,
    /// Documents a newer version of the app saved: read-only here, offered as raw downloads.
    pub newer: Vec<NewerDocument>,
    /// The schema version of an index a newer version of the app wrote: then this tab saves
    /// nothing and refuses edits.
    pub read_only: Option<u32>,
    /// The label schema entry was written by a newer version of the app: this tab uses the
    /// default schema and never writes the entry.
    pub newer_schema: bool,
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
            newer_schema: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// In list order (oldest first).
    pub documents: Vec<OpenDocument>,
    /// The document being annotated; `None` shows the paste form.
    pub active: Option<DocumentId>,
    /// The current text selection inside the article, clipped, trimmed and snapped to words as
    /// each label's rule wants it: the label picked next decides which span is tagged.
    pub pending: Option<SnappedSelection>,
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
    /// Files are being read or reviewed for import (in the dialogs module): the article's keys
    /// wait, and Escape cancels.
    pub importing: bool,
    /// The library's label schema: labels, their keys, colours and attributes, relation types.
    pub schema: Rc<Schema>,
    /// A link being made from the selected annotation: the next highlight clicked (or the
    /// candidate picked) finishes it.
    pub linking: Option<LinkDraft>,
    /// Whether the article draws every relation of the paragraphs in view, not only the
    /// selected annotation's.
    pub show_all_relations: bool,
    /// The latest edit in words, for screen readers (components/live_region.rs).
    pub announcement: Announcement,
    /// Who is annotating in this browser (`browser::annotator_name`): recorded as who made and
    /// who last changed what each edit touches.
    pub annotator: Option<AnnotatorName>,
    /// The team this page has joined (team mode), if any.
    pub team: Option<Rc<TeamView>>,
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
        selection: Option<SnappedSelection>,
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
        now: Timestamp,
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
    /// Files were picked or dropped for import: the dialogs module reads them and shows the
    /// review.
    ImportStart,
    /// The user confirmed the import of `documents` (custom labels already mapped, ids already
    /// fresh for "Keep both"), read from `source` (“a.jsonl” (JSONL)). Each one the library
    /// has replaces its copy when `replace`; `skipped` were left out; `merged_spans` were
    /// merged by the mapping.
    ImportConfirm {
        source: String,
        documents: Vec<Rc<Document>>,
        replace: bool,
        skipped: u32,
        merged_spans: u32,
    },
    /// The user confirmed attaching a file's quotes (read from `source`, labels already
    /// mapped): `before` is the library's article as the module got it, `after` with them.
    ImportAttach {
        source: String,
        before: Rc<Document>,
        after: Rc<Document>,
    },
    ImportCancel,
    /// Nothing could be imported: the message for the user.
    ImportFailed(String),
    /// Another tab saved or deleted a document, or a newer version of the app wrote storage.
    External(ExternalChange),
    /// The label schema changed: in the settings view, by an imported schema file, or in
    /// another tab.
    Schema(SchemaAction),
    /// Starts linking the selected annotation to another.
    StartLink,
    CancelLink,
    /// The type of the link being made (`None`: the default for the two labels).
    PickLinkKind(Option<RelationKind>),
    /// Finishes the link being made on this annotation.
    FinishLink {
        to: AnnotationId,
        now: Timestamp,
    },
    Unlink {
        relation: Relation,
        now: Timestamp,
    },
    /// Sets (`Some`) or clears (`None`) an attribute value of an annotation.
    SetAttribute {
        id: AnnotationId,
        name: Rc<str>,
        value: Option<String>,
        now: Timestamp,
    },
    /// Sets the note of an annotation (`Some`) or of the article (`None`); blank clears it.
    SetNote {
        id: Option<AnnotationId>,
        note: String,
        now: Timestamp,
    },
    ShowAllRelations(bool),
    /// Tags the suggestions the user accepted in the open document, as one edit.
    AcceptSuggestions {
        accepted: Vec<Suggestion>,
        now: Timestamp,
    },
    /// The open document's body replaced by the dialogs module (its text fixed, an orphan
    /// placed or deleted): `before` is the document the module started from.
    ReplaceBody {
        before: Rc<Document>,
        after: Rc<Document>,
        now: Timestamp,
    },
    /// The annotator's name was set, changed or cleared (here or in another tab).
    SetAnnotator(Option<AnnotatorName>),
    /// The person says the annotations nobody is known to have made are theirs (asked with the
    /// name before the first export): every article records them as their maker.
    SignUnnamed {
        name: AnnotatorName,
        now: Timestamp,
    },
    /// Team mode: joined, the link's status, an article shared, left.
    Team(TeamAction),
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
            importing: false,
            schema: Rc::default(),
            linking: None,
            show_all_relations: false,
            announcement: Announcement::default(),
            annotator: None,
            team: None,
        }
    }

    /// The same state with the label schema loaded at start-up (the default when none was
    /// saved); `newer` when a newer version of the app saved it, which this tab must not write
    /// over.
    pub fn with_schema(mut self, schema: Schema, newer: bool) -> Self {
        self.schema = Rc::new(schema);
        self.storage.newer_schema = newer;
        self
    }

    /// The same state with the annotator this browser works under.
    pub fn with_annotator(mut self, annotator: Option<AnnotatorName>) -> Self {
        self.annotator = annotator;
        self
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
        // What comes from elsewhere (another tab, the team) is taken in as it is.
        let from_here = !matches!(action, Action::External(_) | Action::Team(_));
        let mut next = (*self).clone();
        let changed = next.apply(action);
        if let Some(why) = from_here.then(|| self.team_refusal(&next)).flatten() {
            let mut refused = (*self).clone();
            refused.error(why);
            return Rc::new(refused);
        }
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
                | Action::ImportAttach { .. }
                | Action::Schema(SchemaAction::Replace { .. })
                | Action::FinishLink { .. }
                | Action::Unlink { .. }
                | Action::SetAttribute { .. }
                | Action::SetNote { .. }
                | Action::AcceptSuggestions { .. }
                | Action::ReplaceBody { .. }
                | Action::SignUnnamed { .. }
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
            Action::SetPending { selection } => self.set_pending(selection),
            Action::Tag { label, now } => self.tag(label, now),
            Action::DeleteSelected { now } => self.delete_selected(now),
            Action::ClickHighlight { chain, now } => self.click_highlight(chain, now),
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
            Action::ImportStart => !std::mem::replace(&mut self.importing, true),
            Action::ImportCancel => self.end_import(None),
            Action::ImportFailed(message) => self.end_import(Some(message)),
            Action::ImportAttach {
                source,
                before,
                after,
            } => self.attach_import(&source, before, after),
            Action::ImportConfirm {
                source,
                documents,
                replace,
                skipped,
                merged_spans,
            } => self.confirm_import(&source, documents, replace, skipped, merged_spans),
            Action::External(change) => self.external(change),
            Action::Schema(action) => self.schema_action(action),
            Action::StartLink => self.start_link(),
            Action::CancelLink => self.cancel_link(),
            Action::PickLinkKind(kind) => self.pick_link_kind(kind),
            Action::FinishLink { to, now } => self.finish_link(to, now),
            Action::Unlink { relation, now } => self.unlink(relation, now),
            Action::SetAttribute {
                id,
                name,
                value,
                now,
            } => self.set_attribute(id, name, value, now),
            Action::SetNote { id, note, now } => self.set_note(id, note, now),
            Action::ShowAllRelations(show) => {
                let changed = self.show_all_relations != show;
                self.show_all_relations = show;
                changed
            }
            // Each either changes the document or shows why not: a visible change either way.
            Action::AcceptSuggestions { accepted, now } => {
                self.accept_suggestions(accepted, now);
                true
            }
            Action::ReplaceBody { before, after, now } => {
                self.replace_body(before, after, now);
                true
            }
            Action::SetAnnotator(name) => {
                self.annotator != name && {
                    self.annotator = name;
                    true
                }
            }
            Action::SignUnnamed { name, now } => {
                let before = self.revision;
                // Shared articles a read-only token opens stay as the team made them.
                let locked = self.read_only_shared();
                for open in &mut self.documents {
                    if locked.contains(&open.document.id) {
                        continue;
                    }
                    if let Some(signed) = sign_unnamed(&open.document, &name, now) {
                        open.document = Rc::new(signed);
                        self.revision = before + 1;
                    }
                }
                self.revision != before
            }
            Action::Team(action) => self.team_action(action),
        }
    }
}

/// The context every component reads the state from and dispatches to.
pub type AppContext = yew::UseReducerHandle<AppState>;
