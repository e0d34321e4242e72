//! Actions on the list of documents: create, open, show the paste form, delete and restore.

use std::rc::Rc;

use annotator_core::model::{
    restore, ArticleText, DeletedDocument, Document, DocumentId, OpenDocument, Restored, Timestamp,
};

use super::{AppState, Notice, NoticeKind};

impl AppState {
    pub(super) fn create_document(
        &mut self,
        id: DocumentId,
        title: String,
        text: ArticleText,
        now: Timestamp,
    ) -> bool {
        if self.documents.iter().any(|d| d.document.id == id) {
            self.error("Could not create the document: its id is already taken. Try again.");
            return true;
        }
        let document = Document::new(id.clone(), title, text, now);
        self.documents.push(OpenDocument::new(Rc::new(document)));
        self.active = Some(id);
        self.pending = None;
        self.selected = None;
        self.notice = None;
        self.revision += 1;
        true
    }

    pub(super) fn show_paste_form(&mut self) -> bool {
        self.active = None;
        self.pending = None;
        self.selected = None;
        self.revision += 1;
        true
    }

    pub(super) fn open_document(&mut self, id: DocumentId) -> bool {
        if self.active.as_ref() == Some(&id) || !self.documents.iter().any(|d| d.document.id == id)
        {
            return false;
        }
        self.active = Some(id);
        self.pending = None;
        self.selected = None;
        self.revision += 1;
        true
    }

    pub(super) fn delete_document(&mut self, id: DocumentId) -> bool {
        let Some(position) = self.documents.iter().position(|d| d.document.id == id) else {
            return false;
        };
        let shared = self.is_shared(&id);
        let open = self.documents.remove(position);
        if self.active.as_ref() == Some(&id) {
            self.active = None;
            self.pending = None;
            self.selected = None;
        }
        self.notice = Some(Notice {
            kind: NoticeKind::DocumentDeleted,
            message: if shared {
                // team_client takes it out of the corpus when it sees it gone.
                format!(
                    "Deleted “{}” here and from the team's corpus; the others keep their copies as local articles.",
                    open.document.title
                )
            } else {
                format!("Deleted “{}”.", open.document.title)
            },
        });
        self.deleted = Some(DeletedDocument { position, open });
        self.revision += 1;
        true
    }

    pub(super) fn restore_deleted_document(&mut self) -> bool {
        let id = self.deleted.as_ref().map(|d| d.open.document.id.clone());
        match restore(&mut self.documents, &mut self.deleted) {
            Restored::Nothing => return false,
            Restored::Blocked { title } => {
                self.error(format!(
                    "Could not restore “{title}”: a different article with the same id was added since. Export all to keep both."
                ));
                return true;
            }
            Restored::Back | Restored::Merged => {}
        }
        self.active = id;
        self.pending = None;
        self.selected = None;
        self.notice = None;
        self.revision += 1;
        true
    }
}
