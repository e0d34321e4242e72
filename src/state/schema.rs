//! Changing the library's label schema: the settings view's edits (renames follow into every
//! document), a schema file imported, and one another tab saved.

use std::rc::Rc;

use annotator_core::model::schema_edit::Rename;
use annotator_core::model::{Schema, Timestamp};

use super::{AppState, Notice, NoticeKind};

/// What can happen to the schema.
#[derive(Clone, Debug, PartialEq)]
pub enum SchemaAction {
    /// The settings view's result: the new schema, and the renames to carry into every document
    /// (applied in order, before the schema is replaced).
    Replace {
        schema: Schema,
        renames: Vec<Rename>,
        now: Timestamp,
    },
    /// Another tab saved a schema.
    External(Schema),
}

impl AppState {
    pub(super) fn schema_action(&mut self, action: SchemaAction) -> bool {
        match action {
            SchemaAction::Replace {
                schema,
                renames,
                now,
            } => {
                if self.storage.newer_schema {
                    self.error(
                        "The schema was not changed: a newer version of the app saved it, \
                         and this version leaves it alone.",
                    );
                    return true;
                }
                if let Some(refusal) = self.team_schema_refusal() {
                    self.error(format!("The schema was not changed. {refusal}"));
                    return true;
                }
                if let Err(e) = schema.check() {
                    self.error(format!("The schema was not changed: {e}."));
                    return true;
                }
                let mut kept = 0;
                for rename in &renames {
                    for open in &mut self.documents {
                        let mut document = (*open.document).clone();
                        let done = document.rename(rename, now);
                        kept += done.kept;
                        if done.changed > 0 {
                            open.document = Rc::new(document);
                        }
                    }
                }
                if kept > 0 {
                    self.notice = Some(Notice {
                        kind: NoticeKind::Info,
                        message: format!(
                            "{kept} annotation{} kept {} old label: the same span already carries the new one.",
                            if kept == 1 { "" } else { "s" },
                            if kept == 1 { "its" } else { "their" },
                        ),
                    });
                }
                self.schema = Rc::new(schema);
                self.revision += 1;
                true
            }
            SchemaAction::External(schema) => {
                if *self.schema == schema {
                    return false;
                }
                self.schema = Rc::new(schema);
                true
            }
        }
    }
}
