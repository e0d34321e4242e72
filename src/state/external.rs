//! Changes from outside this tab: another tab's saves and deletions (merged by
//! [`annotator_core::model::take_in`]), and entries a newer version of the app wrote.

use std::rc::Rc;

use annotator_core::model::{take_in, DocumentId, TakenIn};
use annotator_core::persist::{ExternalChange, NewerDocument};

use super::{AppState, Notice, NoticeKind};

impl AppState {
    pub(super) fn external(&mut self, change: ExternalChange) -> bool {
        match change {
            ExternalChange::Document { id, theirs, base } => {
                self.external_document(id, theirs, base)
            }
            ExternalChange::Newer(newer) => self.became_newer(newer),
            // The banner (components/notice_bar.rs) says it from now on.
            ExternalChange::ReadOnly { version } => {
                self.storage.read_only = Some(version);
                true
            }
        }
    }

    fn external_document(
        &mut self,
        id: DocumentId,
        theirs: Option<Rc<annotator_core::model::Document>>,
        base: Option<Rc<annotator_core::model::Document>>,
    ) -> bool {
        let info = |message: String| Notice {
            kind: NoticeKind::Info,
            message,
        };
        let text_before = self
            .documents
            .iter()
            .find(|d| d.document.id == id)
            .map(|d| d.document.text().clone());
        match take_in(&mut self.documents, &mut self.deleted, &id, theirs, base) {
            TakenIn::Nothing => return false,
            TakenIn::Added => {}
            TakenIn::Restored { title } => {
                self.notice = Some(info(format!(
                    "“{title}” was changed in another tab after you deleted it here, so it is back."
                )));
            }
            TakenIn::Removed { title } => {
                if self.active.as_ref() == Some(&id) {
                    self.active = None;
                    self.pending = None;
                    self.selected = None;
                }
                self.notice = Some(info(format!("“{title}” was deleted in another tab.")));
            }
            TakenIn::Kept { title } => {
                self.notice = Some(info(format!(
                    "“{title}” was deleted in another tab, but it has unsaved changes here, so it was kept."
                )));
            }
            TakenIn::Merged {
                renamed,
                dropped,
                dropped_relations,
            } => {
                if let Some(selected) = &self.selected {
                    if let Some((_, new_id)) = renamed.iter().find(|(old, _)| old == selected) {
                        self.selected = Some(new_id.clone());
                    }
                }
                let still_there = |s: &annotator_core::model::AnnotationId| {
                    self.documents
                        .iter()
                        .find(|d| d.document.id == id)
                        .is_some_and(|d| d.document.annotation(s).is_some())
                };
                if self.selected.as_ref().is_some_and(|s| !still_there(s)) {
                    self.selected = None;
                }
                let now = self.documents.iter().find(|d| d.document.id == id);
                if let (Some(before), Some(now)) = (&text_before, now) {
                    if !now.document.text().ptr_eq(before) && now.document.text() != before {
                        // A selection's offsets are of the old text.
                        if self.active.as_ref() == Some(&id) {
                            self.pending = None;
                        }
                        self.notice = Some(info(format!(
                            "The text of “{}” was fixed in another tab: its annotations moved with their words ({} orphaned in all: Fix text…), and this tab's undo steps for it were cleared.",
                            now.document.title,
                            now.document.orphans().len()
                        )));
                    }
                }
                if !dropped_relations.is_empty() {
                    let links: Vec<String> =
                        dropped_relations.iter().map(ToString::to_string).collect();
                    self.notice = Some(Notice {
                        kind: NoticeKind::Info,
                        message: format!(
                            "Merging another tab's changes left out {} of this tab's links, because an annotation at its end was removed there: {}.",
                            dropped_relations.len(),
                            links.join(", ")
                        ),
                    });
                }
                if !dropped.is_empty() {
                    let spans: Vec<String> = dropped
                        .iter()
                        .map(|a| format!("{} {}–{}", a.label, a.range.start(), a.range.end()))
                        .collect();
                    self.notice = Some(Notice {
                        kind: NoticeKind::Error,
                        message: format!(
                            "Merging another tab's changes could not keep {}: {}. Export now to keep a copy of this tab's work.",
                            if dropped.len() == 1 { "1 annotation" } else { "some annotations" },
                            spans.join(", ")
                        ),
                    });
                }
            }
        }
        self.revision += 1;
        true
    }

    /// A newer version of the app saved this document in another tab: it leaves the list of
    /// editable documents and is shown as read-only, with its raw entry to download.
    fn became_newer(&mut self, newer: NewerDocument) -> bool {
        if let Some(at) = self
            .documents
            .iter()
            .position(|d| d.document.id == newer.id)
        {
            self.documents.remove(at);
            if self.active.as_ref() == Some(&newer.id) {
                self.active = None;
                self.pending = None;
                self.selected = None;
            }
        }
        let title = newer.title.clone().unwrap_or_else(|| newer.id.to_string());
        self.notice = Some(Notice {
            kind: NoticeKind::Error,
            message: format!(
                "“{title}” was saved by a newer version of Article Annotator in another tab. This tab cannot read it, so it is read-only here and left as it is. Reload the page to get the newer version."
            ),
        });
        if !self.storage.newer.iter().any(|n| n.id == newer.id) {
            self.storage.newer.push(newer);
        }
        self.revision += 1;
        true
    }
}

/// What the user reads when a newer version of the app wrote this browser's document list.
pub fn read_only_message(version: u32) -> String {
    format!(
        "This browser's saved documents were written by a newer version of Article Annotator (storage schema {version}). This older page cannot save without damaging them, so it is read-only: nothing you change here is saved. Reload the page to get the newer version."
    )
}
