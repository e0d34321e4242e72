//! Editing the open document: the pending selection, tagging and relabelling, deleting,
//! picking annotations, and undo/redo of this tab's own edits.

use annotator_core::model::word_snap::SnappedSelection;
use annotator_core::model::{AnnotationId, Edit, Label, Step, Timestamp};

use super::{AppState, Notice, NoticeKind};

impl AppState {
    /// Applies an edit to the active document and records it for undo.
    pub(super) fn edit(
        &mut self,
        now: Timestamp,
        make: impl FnOnce(&mut annotator_core::model::Document) -> Result<Edit, String>,
    ) -> bool {
        let Some(index) = self.active_index() else {
            return false;
        };
        match self.documents[index].edit(now, self.annotator.as_ref(), make) {
            Ok(edit) => {
                self.revision += 1;
                self.announce_edit("", &edit);
                true
            }
            Err(message) => {
                self.error(message);
                false
            }
        }
    }

    pub(super) fn step_history(&mut self, now: Timestamp, forward: bool) -> bool {
        let Some(index) = self.active_index() else {
            return false;
        };
        let open = &mut self.documents[index];
        match open.step(now, self.annotator.as_ref(), forward) {
            Step::Nothing => false,
            Step::Dropped(_, stale) => {
                let more = if forward {
                    open.history.can_redo()
                } else {
                    open.history.can_undo()
                };
                self.notice = Some(Notice {
                    kind: NoticeKind::Info,
                    message: format!(
                        "Nothing was {}: {stale}, so that step was dropped.{}",
                        if forward { "redone" } else { "undone" },
                        if more {
                            " Press again for the step before it."
                        } else {
                            ""
                        }
                    ),
                });
                true
            }
            Step::Applied(edit) => {
                self.announce_edit(if forward { "Redone" } else { "Undone" }, &edit);
                let open = &mut self.documents[index];
                self.selected = edit
                    .annotation_id()
                    .filter(|id| open.document.annotation(id).is_some())
                    .cloned();
                self.pending = None;
                self.revision += 1;
                true
            }
        }
    }

    pub(super) fn set_pending(&mut self, selection: Option<SnappedSelection>) -> bool {
        if self.pending == selection {
            return false;
        }
        self.pending = selection;
        if selection.is_some() {
            self.selected = None;
        }
        true
    }

    /// Tags the pending selection, or relabels the selected annotation when nothing is pending.
    pub(super) fn tag(&mut self, label: Label, now: Timestamp) -> bool {
        if let Some(selection) = self.pending {
            let rule = self
                .schema
                .label(&label)
                .map(|spec| spec.snap)
                .unwrap_or_default();
            let range = selection.for_rule(rule);
            // In a shared article, ids carry this page's tag: others add at the same time.
            let tag = self.active_tag();
            let added = self.edit(now, |document| {
                match tag {
                    Some(tag) => document.add_tagged(range, label, now, &tag),
                    None => document.add(range, label, now),
                }
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

    pub(super) fn delete_selected(&mut self, now: Timestamp) -> bool {
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
            self.linking = None;
        }
        true
    }

    /// `chain` lists the annotations under the pointer, innermost first; repeated clicks walk
    /// outward.
    pub(super) fn click_highlight(&mut self, chain: Vec<AnnotationId>, now: Timestamp) -> bool {
        if let Some(draft) = &self.linking {
            // The innermost highlight under the pointer that is not the link's source.
            if let Some(to) = chain.iter().find(|id| **id != draft.from).cloned() {
                return self.finish_link(to, now);
            }
            return false;
        }
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

    pub(super) fn select(&mut self, id: Option<AnnotationId>, reveal: bool) -> bool {
        if id == self.selected && !reveal {
            return false;
        }
        // A link runs from the annotation selected when it started.
        if self
            .linking
            .as_ref()
            .is_some_and(|d| Some(&d.from) != id.as_ref())
        {
            self.linking = None;
        }
        self.selected = id;
        self.pending = None;
        if reveal {
            self.reveal = self.reveal.wrapping_add(1);
        }
        true
    }
}
