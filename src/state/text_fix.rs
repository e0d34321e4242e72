//! A document's body replaced in one undoable step: its text fixed, an orphan placed or deleted
//! (in the Fix text dialog, `crate::text_fix_dialog`), or a file's quotes attached (the import
//! review). The dialogs module works out the document; here it becomes the edit, and only when
//! the article is still the one the module started from.

use std::rc::Rc;

use annotator_core::model::{Document, Edit, Timestamp};

use super::AppState;

impl AppState {
    /// Replaces the open document's body `before` with `after`; whether it did (else the notice
    /// says why).
    pub(super) fn replace_body(
        &mut self,
        before: Rc<Document>,
        after: Rc<Document>,
        now: Timestamp,
    ) -> bool {
        let shared = self.active.as_ref().is_some_and(|id| self.is_shared(id));
        if shared && before.text() != after.text() {
            self.error(
                "Not changed: a shared article's text is fixed, because everyone's offsets rest on it.",
            );
            return true;
        }
        let changed = self.edit(now, |document| {
            let edit = Edit::Replaced { before, after };
            edit.apply(document, now).map_err(|_| {
                "Nothing was changed: the article changed meanwhile (in another tab?). Try again.".to_owned()
            })?;
            Ok(edit)
        });
        if changed {
            // Offsets of an old text mean nothing in a new one.
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
}
