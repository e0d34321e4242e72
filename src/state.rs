//! [`AppState`], [`Action`] and the reducer. Every rule about annotations is delegated to
//! `model`; this file only decides which document an action applies to and what the user sees
//! next (selection, notices). No side effects happen here: saving is `hooks::use_autosave`.

use std::rc::Rc;

use yew::Reducible;

use crate::durability::{Estimate, Persistence};
use annotator_core::formats::dataset::{ImportError, OffsetUnit};
use annotator_core::formats::detect::{self, ImportFormat, InputFile};
use annotator_core::model::label_map::{self, LabelMap};
use annotator_core::model::label_tally;
use annotator_core::model::merge;
use annotator_core::model::{
    AnnotationId, ArticleText, CharRange, Document, DocumentId, Edit, History, Label, Timestamp,
};

/// A document with its undo history (history lives only in memory).
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
        }
    }
}

/// Files read and checked, waiting for the user to confirm what to do with them. Nothing is
/// stored until then.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingImport {
    /// The file (or files, for brat pairs) as the user knows them.
    pub file_name: String,
    pub format: ImportFormat,
    /// Kept to read the files again when the user changes doccano's offset unit.
    files: Rc<[InputFile]>,
    /// The offset unit doccano files are read with: preselected by a guess, the user's choice.
    pub unit: OffsetUnit,
    pub guessed_unit: OffsetUnit,
    /// What the files hold, or why nothing can be imported from them.
    pub parsed: Result<Vec<Rc<Document>>, ImportError>,
    /// Custom labels the user maps onto ours; the ones not in here stay custom.
    pub mapping: LabelMap,
    /// When the files were read: documents whose format keeps no time of change carry this as
    /// their `modified`, which says nothing about which copy is newer.
    pub read_at: Timestamp,
}

impl PendingImport {
    /// Detects the format of `files` and reads them.
    ///
    /// # Errors
    /// [`ImportError`] when the files are in no format this app reads (a file that is in a
    /// known format but has a bad record gives a `PendingImport` whose `parsed` is the error).
    pub fn read(files: Vec<InputFile>, now: Timestamp) -> Result<Self, ImportError> {
        let format = detect::detect(&files)?;
        let guessed_unit = detect::guess_doccano_unit(&files);
        let file_name = files
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(" + ");
        let mut pending = Self {
            file_name,
            format,
            files: files.into(),
            unit: guessed_unit,
            guessed_unit,
            parsed: Ok(Vec::new()),
            mapping: LabelMap::new(),
            read_at: now,
        };
        pending.parse(now);
        Ok(pending)
    }

    fn parse(&mut self, now: Timestamp) {
        self.read_at = now;
        self.parsed = detect::parse(&self.files, self.format, self.unit, now)
            .map(|documents| documents.into_iter().map(Rc::new).collect());
        self.mapping = self
            .custom_labels()
            .into_iter()
            .filter_map(|(label, _)| label_map::suggest(&label).map(|to| (label, to)))
            .collect();
    }

    /// The documents read, or none when the file was rejected.
    pub fn documents(&self) -> &[Rc<Document>] {
        self.parsed.as_deref().unwrap_or_default()
    }

    /// Custom labels in the files, with their number of spans.
    pub fn custom_labels(&self) -> Vec<(Label, usize)> {
        label_map::custom_labels(self.documents().iter().map(|d| d.as_ref()))
    }

    /// Spans per label once the mapping is applied, built-in labels first.
    pub fn mapped_counts(&self) -> Vec<(Label, usize)> {
        label_tally::tally_with_builtins(
            self.documents()
                .iter()
                .flat_map(|document| document.annotations())
                .map(|a| self.mapping.get(&a.label).unwrap_or(&a.label)),
        )
    }

    /// Imported documents whose id is already in the library.
    pub fn conflicts<'a>(&'a self, state: &'a AppState) -> impl Iterator<Item = &'a Rc<Document>> {
        self.documents()
            .iter()
            .filter(|d| state.documents.iter().any(|o| o.document.id == d.id))
    }
}

/// What to do with backup documents whose id is already in the library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportChoice {
    /// Import them as new documents next to the local ones.
    KeepBoth,
    /// Replace the local documents with the backup's.
    Replace,
    /// Import only the documents that are not here yet.
    SkipExisting,
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
    pub storage: StorageInfo,
    pub pending_import: Option<PendingImport>,
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
    /// Files picked or dropped for import: detected and read, then shown for confirmation.
    ImportFiles {
        files: Vec<InputFile>,
        now: Timestamp,
    },
    /// The user chose the offset unit a doccano file is read with.
    ImportUnit {
        unit: OffsetUnit,
        now: Timestamp,
    },
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
    /// Another tab saved (`Some`) or deleted (`None`) a document. `base` is the version this tab
    /// last saved or loaded; it tells local edits from the other tab's.
    ExternalChange {
        id: DocumentId,
        theirs: Option<Rc<Document>>,
        base: Option<Rc<Document>>,
    },
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
            storage: StorageInfo::default(),
            pending_import: None,
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
                if let Some(at) = self.documents.iter().position(|d| d.document.id == id) {
                    // The same document came back since (another tab's save, an import): two
                    // documents with one id would overwrite each other's storage, so the deleted
                    // copy is merged into it. Without a base, nothing is dropped (merge rule 8).
                    let existing = &self.documents[at].document;
                    if existing.text() != deleted.open.document.text() {
                        let title = deleted.open.document.title.clone();
                        self.deleted = Some(deleted);
                        self.error(format!(
                            "Could not restore “{title}”: a different article with the same id was added since. Export all to keep both."
                        ));
                        return true;
                    }
                    let merged = merge(None, &deleted.open.document, existing);
                    self.documents[at].document = Rc::new(merged.document);
                } else {
                    let position = deleted.position.min(self.documents.len());
                    self.documents.insert(position, deleted.open);
                }
                self.active = Some(id);
                self.pending = None;
                self.selected = None;
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
                        .map(|a| a.label.clone());
                    if current.is_none() || current.as_ref() == Some(&label) {
                        return false;
                    }
                    self.edit(now, |document| {
                        match document.relabel(&id, label.clone(), now) {
                            Ok(Some(from)) => Ok(Edit::Relabelled {
                                id: id.clone(),
                                from,
                                to: label,
                            }),
                            Ok(None) => Err("That annotation no longer exists.".to_owned()),
                            Err(e) => Err(format!("Not relabelled: {e}.")),
                        }
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
            Action::ImportFiles { files, now } => {
                match PendingImport::read(files, now) {
                    Ok(pending) => self.pending_import = Some(pending),
                    Err(error) => {
                        self.notice = Some(Notice {
                            kind: NoticeKind::Error,
                            message: format!("Nothing was imported ({error})."),
                        });
                    }
                }
                true
            }
            Action::ImportUnit { unit, now } => match &mut self.pending_import {
                Some(pending) if pending.unit != unit => {
                    pending.unit = unit;
                    pending.parse(now);
                    true
                }
                _ => false,
            },
            Action::ImportMapLabel { from, to } => match &mut self.pending_import {
                Some(pending) => {
                    match to {
                        Some(to) => pending.mapping.insert(from, to),
                        None => pending.mapping.remove(&from),
                    };
                    true
                }
                None => false,
            },
            Action::ImportCancel => self.pending_import.take().is_some(),
            Action::ImportConfirm { choice, fresh_ids } => self.confirm_import(choice, fresh_ids),
            Action::ExternalChange { id, theirs, base } => self.external_change(id, theirs, base),
        }
    }

    fn confirm_import(&mut self, choice: ImportChoice, fresh_ids: Vec<DocumentId>) -> bool {
        let Some(import) = self.pending_import.take() else {
            return false;
        };
        let Ok(documents) = import.parsed else {
            return true; // The dialog only offers Cancel for a rejected file.
        };
        let mut merged_spans = 0;
        let documents = documents.into_iter().map(|document| {
            if import.mapping.is_empty() {
                return document;
            }
            let (mapped, merged) = label_map::apply(&document, &import.mapping);
            merged_spans += merged;
            Rc::new(mapped)
        });
        let documents: Vec<Rc<Document>> = documents.collect();
        let mut fresh_ids = fresh_ids.into_iter();
        let (mut added, mut replaced, mut skipped) = (0, 0, 0);
        let mut first = None;
        for document in documents {
            let existing = self
                .documents
                .iter()
                .position(|d| d.document.id == document.id);
            let imported = match (existing, choice) {
                (None, _) => {
                    added += 1;
                    self.documents.push(OpenDocument {
                        document,
                        history: Rc::default(),
                    });
                    self.documents.last()
                }
                (Some(at), ImportChoice::Replace) => {
                    replaced += 1;
                    self.documents[at] = OpenDocument {
                        document,
                        history: Rc::default(),
                    };
                    if self.active.as_ref() == Some(&self.documents[at].document.id) {
                        self.selected = None;
                        self.pending = None;
                    }
                    self.documents.get(at)
                }
                (Some(_), ImportChoice::KeepBoth) => match fresh_ids.next() {
                    Some(id) => {
                        added += 1;
                        let mut copy = (*document).clone();
                        copy.id = id;
                        self.documents.push(OpenDocument {
                            document: Rc::new(copy),
                            history: Rc::default(),
                        });
                        self.documents.last()
                    }
                    None => {
                        skipped += 1;
                        None
                    }
                },
                (Some(_), ImportChoice::SkipExisting) => {
                    skipped += 1;
                    None
                }
            };
            if first.is_none() {
                first = imported.map(|d| d.document.id.clone());
            }
        }
        // Show what was just imported.
        if first.is_some() {
            self.active = first;
            self.selected = None;
            self.pending = None;
        }
        self.notice = Some(Notice {
            kind: NoticeKind::Info,
            message: format!(
                "Imported “{}” ({}): {added} added, {replaced} replaced, {skipped} skipped.{}",
                import.file_name,
                import.format.name(),
                match merged_spans {
                    0 => String::new(),
                    1 => " 1 span became identical to another after label mapping and was merged."
                        .to_owned(),
                    n => format!(
                        " {n} spans became identical to others after label mapping and were merged."
                    ),
                }
            ),
        });
        self.revision += 1;
        true
    }

    fn external_change(
        &mut self,
        id: DocumentId,
        theirs: Option<Rc<Document>>,
        base: Option<Rc<Document>>,
    ) -> bool {
        let position = self.documents.iter().position(|d| d.document.id == id);
        match (position, theirs) {
            (None, None) => false,
            (None, Some(theirs)) => {
                match self.deleted.take() {
                    Some(deleted)
                        if deleted.open.document.id == id
                            && deleted.open.document.text() == theirs.text() =>
                    {
                        // Deleted here (and still undoable), then saved in another tab: the edit
                        // wins, as for annotations, and it comes back where it was, with what
                        // this tab had merged in. Undo delete then has nothing left to restore,
                        // so it cannot add a second document with the same id.
                        let merged = merge(base.as_deref(), &deleted.open.document, &theirs);
                        let position = deleted.position.min(self.documents.len());
                        self.notice = Some(Notice {
                            kind: NoticeKind::Info,
                            message: format!(
                                "“{}” was changed in another tab after you deleted it here, so it is back.",
                                theirs.title
                            ),
                        });
                        self.documents.insert(
                            position,
                            OpenDocument {
                                document: Rc::new(merged.document),
                                history: Rc::default(),
                            },
                        );
                    }
                    other => {
                        self.deleted = other;
                        self.documents.push(OpenDocument {
                            document: theirs,
                            history: Rc::default(),
                        });
                    }
                }
                self.revision += 1;
                true
            }
            (Some(at), None) => {
                let ours = &self.documents[at].document;
                let untouched_here = base
                    .as_ref()
                    .is_some_and(|base| Rc::ptr_eq(base, ours) || **base == **ours);
                let title = ours.title.clone();
                if untouched_here {
                    self.documents.remove(at);
                    if self.active.as_ref() == Some(&id) {
                        self.active = None;
                        self.pending = None;
                        self.selected = None;
                    }
                    self.notice = Some(Notice {
                        kind: NoticeKind::Info,
                        message: format!("“{title}” was deleted in another tab."),
                    });
                } else {
                    self.notice = Some(Notice {
                        kind: NoticeKind::Info,
                        message: format!(
                            "“{title}” was deleted in another tab, but it has unsaved changes here, so it was kept."
                        ),
                    });
                }
                self.revision += 1;
                true
            }
            (Some(at), Some(theirs)) => {
                let open = &mut self.documents[at];
                if Rc::ptr_eq(&open.document, &theirs) {
                    return false;
                }
                let merged = merge(base.as_deref(), &open.document, &theirs);
                if let Some(selected) = &self.selected {
                    if let Some((_, new_id)) =
                        merged.renamed.iter().find(|(old, _)| old == selected)
                    {
                        self.selected = Some(new_id.clone());
                    }
                }
                open.document = if merged.differs_from_theirs {
                    Rc::new(merged.document)
                } else {
                    // Share the very Rc autosave holds as saved, so it is not written back.
                    theirs
                };
                if let Some(selected) = &self.selected {
                    if open.document.annotation(selected).is_none() {
                        self.selected = None;
                    }
                }
                self.revision += 1;
                true
            }
        }
    }
}

/// The context every component reads the state from and dispatches to.
pub type AppContext = yew::UseReducerHandle<AppState>;
