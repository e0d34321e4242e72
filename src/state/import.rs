//! Importing files, the page's part: while the dialogs module reads and reviews them
//! ([`AppState::importing`]) the article's keys wait; the module asks for the library's copies
//! of the documents read ([`AppState::copies_of`]); and once the user confirmed, the finished
//! documents are placed in the library, next to or instead of copies already here. Nothing is
//! stored until then.

use std::rc::Rc;

use annotator_core::formats::job::Carried;
use annotator_core::model::{Document, OpenDocument};

use crate::import_review::protocol::{Imported, EVERY_ARTICLE};

use super::{AppState, Notice, NoticeKind};

/// The documents of an [`Imported`], read back.
///
/// # Errors
/// A message for the user when one did not cross from the dialogs module intact.
pub fn imported_documents(imported: &Imported) -> Result<Vec<Rc<Document>>, String> {
    imported
        .documents
        .iter()
        .map(|carried| carried.document().map(Rc::new))
        .collect::<Result<_, _>>()
        .map_err(|problem| format!("Nothing was imported: {problem}."))
}

impl AppState {
    /// The library's copies of the documents `ids` (of files being imported), for the review
    /// to compare; ids the library does not have are left out.
    /// [`EVERY_ARTICLE`] asks for every article, the open one first.
    pub fn copies_of(&self, ids: &[String]) -> Vec<Carried> {
        if let [every] = ids {
            if every == EVERY_ARTICLE {
                let open = self.active_document().map(|o| &o.document);
                let others = self
                    .documents
                    .iter()
                    .map(|o| &o.document)
                    .filter(|d| open.is_none_or(|open| !Rc::ptr_eq(open, d)));
                return open
                    .into_iter()
                    .chain(others)
                    .map(|d| Carried::new(d))
                    .collect();
            }
        }
        self.documents
            .iter()
            .filter(|o| ids.iter().any(|id| id == o.document.id.as_str()))
            .map(|o| Carried::new(&o.document))
            .collect()
    }

    /// Attaches a file's quotes: the library's article `before` (as the module got it) becomes
    /// `after`, opened, in one undoable edit.
    pub(super) fn attach_import(
        &mut self,
        source: &str,
        before: Rc<Document>,
        after: Rc<Document>,
    ) -> bool {
        if !std::mem::replace(&mut self.importing, false) {
            return false;
        }
        if !self.documents.iter().any(|d| d.document.id == after.id) {
            self.error(format!(
                "Nothing was attached from {source}: its article was deleted meanwhile."
            ));
            return true;
        }
        self.active = Some(after.id.clone());
        self.selected = None;
        let added = after
            .annotations()
            .len()
            .saturating_sub(before.annotations().len());
        let title = after.title.clone();
        let now = after.modified;
        if self.replace_body(before, after, now) {
            self.notice = Some(Notice {
                kind: NoticeKind::Info,
                message: format!(
                    "Attached {added} annotation{} from {source} to “{title}”. Undo takes {} back.",
                    if added == 1 { "" } else { "s" },
                    if added == 1 { "it" } else { "them" },
                ),
            });
        }
        true
    }

    /// An import ended without adding anything: `failure` says why, when it failed.
    pub(super) fn end_import(&mut self, failure: Option<String>) -> bool {
        let was_importing = std::mem::replace(&mut self.importing, false);
        if let Some(message) = failure {
            self.notice = Some(Notice {
                kind: NoticeKind::Error,
                message,
            });
            return true;
        }
        was_importing
    }

    /// Places the imported `documents`: each one the library has replaces its copy when
    /// `replace`, else it is skipped (the review left those out, unless another tab saved one
    /// meanwhile); the others are added.
    pub(super) fn confirm_import(
        &mut self,
        source: &str,
        documents: Vec<Rc<Document>>,
        replace: bool,
        skipped: u32,
        merged_spans: u32,
    ) -> bool {
        // Cancelled meanwhile (Escape while the review answered).
        if !std::mem::replace(&mut self.importing, false) {
            return false;
        }
        let (mut added, mut replaced, mut skipped) = (0_u32, 0_u32, skipped);
        let mut first = None;
        for document in documents {
            let existing = self
                .documents
                .iter()
                .position(|d| d.document.id == document.id);
            let imported = match existing {
                None => {
                    added += 1;
                    self.documents.push(OpenDocument::new(document));
                    self.documents.last()
                }
                Some(at) if replace => {
                    replaced += 1;
                    self.documents[at] = OpenDocument::new(document);
                    if self.active.as_ref() == Some(&self.documents[at].document.id) {
                        self.selected = None;
                        self.pending = None;
                    }
                    self.documents.get(at)
                }
                Some(_) => {
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
                "Imported {source}: {added} added, {replaced} replaced, {skipped} skipped.{}",
                match merged_spans {
                    0 => String::new(),
                    1 => " 1 span merged into an identical one (same place and label).".to_owned(),
                    n => format!(" {n} spans merged into identical ones (same place and label)."),
                }
            ),
        });
        self.revision += 1;
        true
    }
}
