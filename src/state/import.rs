//! Importing files: what they hold ([`PendingImport`]; the formats worker reads them, off the
//! reducer, which only takes the result), what the import review is shown
//! ([`PendingImport::review_request`]), and adding the documents once the user confirmed.
//! Nothing is stored until then.

use std::rc::Rc;

use annotator_core::formats::dataset::OffsetUnit;
use annotator_core::formats::detect::{ImportFormat, InputFile};
use annotator_core::formats::job::{Carried, Job, Outcome, ReadFailure};
use annotator_core::model::label_map::{self, LabelMap};
use annotator_core::model::{Document, DocumentId, OpenDocument, Timestamp};

pub use crate::import_review::protocol::ImportChoice;
use crate::import_review::protocol::{LocalCopy, ReviewRequest};

use super::{AppState, Notice, NoticeKind};

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
    pub parsed: Result<Vec<Rc<Document>>, ReadFailure>,
    /// The same documents as the worker sent them, to hand to the import review as they are.
    carried: Rc<[Carried]>,
    /// When the files were read: documents whose format keeps no time of change carry this as
    /// their `modified`, which says nothing about which copy is newer.
    pub read_at: Timestamp,
}

impl PendingImport {
    /// The job that detects the format of `files` and reads them; `unit` is doccano's offset
    /// unit when the user chose one.
    pub fn read_job(files: &[InputFile], unit: Option<OffsetUnit>, now: Timestamp) -> Job {
        Job::Read {
            files: files.to_vec(),
            unit,
            now: now.unix_millis(),
        }
    }

    /// What the formats worker made of `files` (the [`Outcome`] of their [`read_job`] made at
    /// `read_at`: documents whose format keeps no time of change carry it, and the review tells
    /// them apart by it).
    ///
    /// # Errors
    /// [`ReadFailure`] when the files are in no format this app reads (a file that is in a
    /// known format but has a bad record gives a `PendingImport` whose `parsed` is the failure).
    ///
    /// [`read_job`]: PendingImport::read_job
    pub fn from_outcome(
        files: Rc<[InputFile]>,
        outcome: Outcome,
        read_at: Timestamp,
    ) -> Result<Self, ReadFailure> {
        let read = match outcome {
            Outcome::Read(read) => read,
            Outcome::NotRead(failure) => return Err(failure),
            Outcome::Failed(problem) => return Err(whole_file(problem)),
            Outcome::Exported(_) => {
                return Err(whole_file("the worker answered another job".to_owned()))
            }
        };
        let file_name = files
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(" + ");
        let carried: Rc<[Carried]> = read.documents.as_deref().unwrap_or_default().into();
        let parsed = read.documents.and_then(|carried| {
            carried
                .iter()
                .map(|c| c.document().map(Rc::new).map_err(whole_file))
                .collect()
        });
        Ok(Self {
            file_name,
            format: read.format,
            files,
            unit: read.unit,
            guessed_unit: read.guessed_unit,
            parsed,
            carried,
            read_at,
        })
    }

    /// The files, to read them again with another offset unit (the user's choice).
    pub fn files(&self) -> Rc<[InputFile]> {
        Rc::clone(&self.files)
    }

    /// The documents read, or none when the file was rejected.
    pub fn documents(&self) -> &[Rc<Document>] {
        self.parsed.as_deref().unwrap_or_default()
    }

    /// Imported documents whose id is already in the library.
    pub fn conflicts<'a>(&'a self, state: &'a AppState) -> impl Iterator<Item = &'a Rc<Document>> {
        self.documents()
            .iter()
            .filter(|d| state.documents.iter().any(|o| o.document.id == d.id))
    }

    /// What the import review is shown: the files as read, and how the documents the library
    /// already has compare with its copies.
    pub fn review_request(&self, state: &AppState) -> ReviewRequest {
        let local = self
            .documents()
            .iter()
            .filter_map(|document| {
                let local = state
                    .documents
                    .iter()
                    .find(|o| o.document.id == document.id)?;
                Some(LocalCopy {
                    id: document.id.to_string(),
                    modified: local.document.modified.unix_millis(),
                    same_content: local.document.same_content(document),
                    identical: *local.document == **document,
                })
            })
            .collect();
        ReviewRequest {
            file_name: self.file_name.clone(),
            format: self.format,
            unit: self.unit,
            guessed_unit: self.guessed_unit,
            read: match &self.parsed {
                Ok(_) => Ok(self.carried.to_vec()),
                Err(failure) => Err(failure.clone()),
            },
            read_at: self.read_at.unix_millis(),
            local,
        }
    }
}

/// A failure of the files as a whole.
fn whole_file(problem: String) -> ReadFailure {
    ReadFailure {
        record: "the file".to_owned(),
        problem,
    }
}

impl AppState {
    /// Files were read: show what they hold for confirmation, or say why nothing can be
    /// imported from them.
    pub(super) fn import_read(&mut self, read: Result<PendingImport, ReadFailure>) -> bool {
        match read {
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

    pub(super) fn confirm_import(
        &mut self,
        choice: ImportChoice,
        mapping: &LabelMap,
        fresh_ids: Vec<DocumentId>,
    ) -> bool {
        let Some(import) = self.pending_import.take() else {
            return false;
        };
        let Ok(documents) = import.parsed else {
            return true; // The review only offers Cancel for a rejected file.
        };
        let mut merged_spans = 0;
        let documents = documents.into_iter().map(|document| {
            if mapping.is_empty() {
                return document;
            }
            let (mapped, merged) = label_map::apply(&document, mapping);
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
                    self.documents.push(OpenDocument::new(document));
                    self.documents.last()
                }
                (Some(at), ImportChoice::Replace) => {
                    replaced += 1;
                    self.documents[at] = OpenDocument::new(document);
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
                        self.documents.push(OpenDocument::new(Rc::new(copy)));
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
}
