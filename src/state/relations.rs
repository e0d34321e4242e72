//! Relations, attribute values and notes of the open document: starting a link from the
//! selected annotation and finishing it on another, removing one, setting a value or a note.
//! The rules (which type a link gets by default, which way a reading-order link runs) are the
//! schema's (`annotator_core::model::schema`); this only decides what the user sees next.

use std::rc::Rc;

use annotator_core::model::{AnnotationId, Edit, Relation, RelationKind, Timestamp};

use super::AppState;

/// A link being made: from the annotation that was selected when it started, with the type
/// the user picked so far (`None`: the schema's default for the two labels).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkDraft {
    pub from: AnnotationId,
    pub kind: Option<RelationKind>,
}

impl AppState {
    /// Starts a link from the selected annotation.
    pub(super) fn start_link(&mut self) -> bool {
        let Some(from) = self.selected.clone() else {
            self.error("Select an annotation first, then link it (R).");
            return true;
        };
        self.linking = Some(LinkDraft { from, kind: None });
        self.pending = None;
        true
    }

    pub(super) fn cancel_link(&mut self) -> bool {
        self.linking.take().is_some()
    }

    pub(super) fn pick_link_kind(&mut self, kind: Option<RelationKind>) -> bool {
        match &mut self.linking {
            Some(draft) if draft.kind != kind => {
                draft.kind = kind;
                true
            }
            _ => false,
        }
    }

    /// The type a link from `from` to `to` gets: the one picked, else the first the schema
    /// allows between their labels, else the first type there is.
    pub fn link_kind_for(&self, from: &AnnotationId, to: &AnnotationId) -> Option<RelationKind> {
        if let Some(kind) = self.linking.as_ref().and_then(|d| d.kind.clone()) {
            return Some(kind);
        }
        let document = &self.active_document()?.document;
        let (from, to) = (document.annotation(from)?, document.annotation(to)?);
        self.schema
            .relations_between(&from.label, &to.label)
            .next()
            .or_else(|| self.schema.relations.first())
            .map(|spec| spec.kind.clone())
    }

    /// Finishes the link on `to`. The link's source stays selected, so several targets can be
    /// linked one after the other (press R again).
    pub(super) fn finish_link(&mut self, to: AnnotationId, now: Timestamp) -> bool {
        let Some(draft) = self.linking.clone() else {
            return false;
        };
        if draft.from == to {
            self.error("An annotation cannot be linked to itself: pick another one.");
            return true;
        }
        let Some(kind) = self.link_kind_for(&draft.from, &to) else {
            self.error("The schema has no relation types: add one in Labels & relations.");
            return true;
        };
        let schema = Rc::clone(&self.schema);
        let linked = self.edit(now, |document| {
            let (Some(from), Some(target)) =
                (document.annotation(&draft.from), document.annotation(&to))
            else {
                return Err("That annotation no longer exists.".to_owned());
            };
            let relation = schema.orient(kind, from, target);
            document
                .link(relation.clone(), now)
                .map(|()| Edit::Linked(relation))
                .map_err(|e| format!("Not linked: {e}."))
        });
        self.linking = None;
        if linked {
            self.notice = None;
        }
        true
    }

    pub(super) fn unlink(&mut self, relation: Relation, now: Timestamp) -> bool {
        self.edit(now, |document| {
            if document.unlink(&relation, now) {
                Ok(Edit::Unlinked(relation))
            } else {
                Err("That relation no longer exists.".to_owned())
            }
        });
        true
    }

    pub(super) fn set_attribute(
        &mut self,
        id: AnnotationId,
        name: Rc<str>,
        value: Option<String>,
        now: Timestamp,
    ) -> bool {
        let value = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let current = self
            .active_document()
            .and_then(|d| d.document.annotation(&id))
            .map(|a| a.attributes.get(&name).map(str::to_owned));
        match current {
            None => return false,
            Some(current) if current == value => return false,
            Some(_) => {}
        }
        self.edit(now, |document| {
            let from = document
                .set_attribute(&id, &name, value.as_deref(), now)
                .map_err(|e| format!("Not set: {e}."))?;
            Ok(Edit::AttributeSet {
                id: id.clone(),
                name: name.clone(),
                from,
                to: value.as_deref().map(Rc::from),
            })
        });
        true
    }

    /// The note of an annotation (`Some(id)`) or of the article.
    pub(super) fn set_note(
        &mut self,
        id: Option<AnnotationId>,
        note: String,
        now: Timestamp,
    ) -> bool {
        let Some(open) = self.active_document() else {
            return false;
        };
        let current = match &id {
            Some(id) => match open.document.annotation(id) {
                Some(a) => a.note.clone(),
                None => return false,
            },
            None => open.document.note.clone(),
        };
        let wanted = annotator_core::model::attributes::note_of(&note);
        if current == wanted {
            return false;
        }
        self.edit(now, |document| {
            let from = document
                .set_note(id.as_ref(), &note, now)
                .map_err(|e| format!("Note not saved: {e}."))?;
            Ok(Edit::NoteSet {
                id: id.clone(),
                from,
                to: wanted,
            })
        });
        true
    }

    /// Picks value `number` (1-based) of the selected annotation's first attribute with a
    /// fixed set of values; 0 clears it. Returns false when there is no such value.
    pub fn first_choice_value(
        &self,
        number: u32,
    ) -> Option<(AnnotationId, Rc<str>, Option<String>)> {
        let id = self.selected.clone()?;
        let annotation = self.active_document()?.document.annotation(&id)?.clone();
        let spec = self.schema.label(&annotation.label)?;
        let attribute = spec.attributes.iter().find(|a| !a.is_free_text())?;
        let value = match number {
            0 => None,
            n => Some(
                attribute
                    .values
                    .get(usize::try_from(n - 1).ok()?)?
                    .to_string(),
            ),
        };
        Some((id, attribute.name.clone(), value))
    }
}
