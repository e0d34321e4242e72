//! [`OrphanRecord`]: an orphan as a document entry stores it (`"orphans": […]`, absent when
//! there are none; entries written before orphans existed read as having none).
//!
//! `{"id": "a3", "label": "entity", "start": 10, "end": 18, "exact": "Jane Dow",
//!   "prefix": "…", "suffix": "…", "attributes": {…}, "note": "…",
//!   "relations": [{"type": "said_by", "from": "a2", "to": "a3"}]}`
//!
//! `start` and `end` are where it was in the text before the fix that orphaned it: a record of
//! where it came from, never checked against the text.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::formats::native::{RecordError, RelationRecord};
use crate::model::anchor::TextQuote;
use crate::model::attributes::{check_note, note_of, Attributes};
use crate::model::orphan::Orphan;
use crate::model::{Annotation, AnnotationId, CharRange, Label, Removed};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrphanRecord {
    id: String,
    label: String,
    start: usize,
    end: usize,
    exact: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    suffix: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    attributes: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    relations: Vec<RelationRecord>,
}

impl OrphanRecord {
    pub fn of(orphan: &Orphan) -> Self {
        let a = &orphan.removed.annotation;
        Self {
            id: a.id.as_str().to_owned(),
            label: a.label.as_str().to_owned(),
            start: a.range.start().get(),
            end: a.range.end().get(),
            exact: orphan.quote.exact.clone(),
            prefix: orphan.quote.prefix.clone(),
            suffix: orphan.quote.suffix.clone(),
            attributes: a
                .attributes
                .iter()
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                .collect(),
            note: a.note.as_deref().map(str::to_owned),
            relations: orphan
                .removed
                .relations
                .iter()
                .map(|r| RelationRecord {
                    kind: r.kind.as_str().to_owned(),
                    from: r.from.as_str().to_owned(),
                    to: r.to.as_str().to_owned(),
                })
                .collect(),
        }
    }

    /// The orphan this record describes.
    ///
    /// # Errors
    /// [`RecordError`] for a range, label, value, note or relation type the app cannot hold.
    pub fn into_orphan(self) -> Result<Orphan, RecordError> {
        let id = self.id;
        let range =
            CharRange::from_raw(self.start, self.end).map_err(|source| RecordError::Range {
                id: id.clone(),
                source,
            })?;
        let label = Label::parse_any(&self.label).map_err(|source| RecordError::Label {
            id: id.clone(),
            source,
        })?;
        let detail = |source| RecordError::Detail {
            id: id.clone(),
            source,
        };
        let attributes = Attributes::from_pairs(&self.attributes).map_err(detail)?;
        if let Some(note) = &self.note {
            check_note(note).map_err(detail)?;
        }
        let mut relations = self
            .relations
            .into_iter()
            .map(RelationRecord::into_relation)
            .collect::<Result<Vec<_>, RecordError>>()?;
        relations.sort();
        relations.dedup();
        Ok(Orphan {
            removed: Removed {
                annotation: Annotation {
                    attributes,
                    note: self.note.as_deref().and_then(note_of),
                    ..Annotation::new(AnnotationId::new(&id), label, range)
                },
                relations,
            },
            quote: TextQuote {
                exact: self.exact,
                prefix: self.prefix,
                suffix: self.suffix,
            },
        })
    }
}
