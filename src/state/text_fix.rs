//! Fixing the open article's text and placing or deleting its orphans. The dialog that edits
//! the text runs in the dialogs module (`crate::text_fix_dialog`) and hands back the document
//! it made (`annotator_core::model::text_fix`); here it becomes one undoable edit, and only
//! when the article is still the one the dialog started from.

use std::rc::Rc;

use annotator_core::model::text_fix::placed_orphan;
use annotator_core::model::{AnnotationId, CharRange, Document, Edit, Timestamp};

use super::AppState;

impl AppState {
    pub(super) fn fix_text(
        &mut self,
        before: Rc<Document>,
        fixed: Rc<Document>,
        now: Timestamp,
    ) -> bool {
        let changed = self.edit(now, |document| {
            let edit = Edit::Replaced {
                before,
                after: fixed,
            };
            edit.apply(document, now).map_err(|_| {
                "Nothing was changed: the article changed while its text was being fixed (in another tab?). Open Fix text again.".to_owned()
            })?;
            Ok(edit)
        });
        if changed {
            // Offsets of the old text mean nothing in the new one.
            self.pending = None;
            let gone = match (&self.selected, self.active_document()) {
                (Some(id), Some(open)) => open.document.annotation(id).is_none(),
                _ => false,
            };
            if gone {
                self.selected = None;
            }
        }
        changed
    }

    pub(super) fn place_orphan(
        &mut self,
        id: &AnnotationId,
        at: CharRange,
        now: Timestamp,
    ) -> bool {
        self.edit(now, |document| {
            let orphan = document
                .orphan(id)
                .cloned()
                .ok_or("That orphan was placed or deleted already (in another tab?).")?;
            let placed = placed_orphan(document, id, at).ok_or_else(|| {
                format!(
                    "It was not placed: those words are tagged {} already.",
                    orphan.removed.annotation.label.display_name()
                )
            })?;
            let edit = Edit::OrphanPlaced { orphan, placed };
            edit.apply(document, now)
                .map_err(|e| format!("It was not placed: {e}."))?;
            Ok(edit)
        })
    }

    pub(super) fn delete_orphan(&mut self, id: &AnnotationId, now: Timestamp) -> bool {
        self.edit(now, |document| {
            let orphan = document
                .orphan(id)
                .cloned()
                .ok_or("That orphan was placed or deleted already (in another tab?).")?;
            let edit = Edit::OrphanDeleted(orphan);
            edit.apply(document, now)
                .map_err(|e| format!("It was not deleted: {e}."))?;
            Ok(edit)
        })
    }
}
