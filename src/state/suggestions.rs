//! Accepting suggestions: the suggesters and the review live in the dialogs module
//! (`crate::suggestion_review`); what the user accepts there comes here to be tagged, with each
//! quote linked to its speaker, as one undoable edit.

use annotator_core::model::suggestions::{accept, Suggestion};
use annotator_core::model::{Edit, RelationKind, Timestamp};

use super::AppState;

impl AppState {
    pub(super) fn accept_suggestions(&mut self, accepted: Vec<Suggestion>, now: Timestamp) -> bool {
        let said_by = RelationKind::parse("said_by")
            .ok()
            .filter(|kind| self.schema.relation(kind).is_some());
        self.edit(now, |document| {
            let edits = accept(document, &accepted, said_by.as_ref(), now);
            if edits.is_empty() {
                Err("Nothing was tagged: that span is tagged already.".to_owned())
            } else {
                Ok(Edit::Batch(edits))
            }
        })
    }
}
