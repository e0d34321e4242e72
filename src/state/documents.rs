//! Actions on the list of documents: create, open, show the paste form, delete and restore.

use std::rc::Rc;

use annotator_core::model::{
    merge, ArticleText, DeletedDocument, Document, DocumentId, OpenDocument, Timestamp,
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

    pub(super) fn restore_deleted_document(&mut self) -> bool {
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
}
