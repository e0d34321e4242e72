//! What the settings dialog holds while it is open: the draft, the message beside each field
//! whose edit was refused, the removal waiting for a "yes", and what the last schema file did.
//! A reducer of its own: nothing here reaches the app's state before Apply.

use std::collections::BTreeMap;
use std::rc::Rc;

use annotator_core::model::schema_edit::Part;
use annotator_core::model::Schema;
use yew::Reducible;

use super::draft::{Edit, SchemaDraft};

/// A removal of a part annotations use, waiting for the user to confirm it.
#[derive(Clone, Debug, PartialEq)]
pub struct Removal {
    pub part: Part,
    /// Annotations (or relations) that use it.
    pub uses: usize,
}

/// What the last "Import schema…" or "Reset to default" did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileMessage {
    Read { file_name: String },
    Refused { file_name: String, problem: String },
    Reset,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SettingsState {
    pub draft: SchemaDraft,
    /// Field id → why its last edit was refused. Ids name positions, so a change that moves
    /// rows clears them all.
    pub errors: BTreeMap<String, String>,
    pub confirm: Option<Removal>,
    pub file: Option<FileMessage>,
}

#[derive(Clone, Debug)]
pub enum SettingsAction {
    /// `field` is the id of the control the edit came from: its error is shown beside it.
    Edit {
        field: String,
        edit: Edit,
    },
    /// Remove button: at once when nothing uses the part, else asks first.
    AskRemove {
        part: Part,
        uses: usize,
    },
    ConfirmRemove,
    KeepPart,
    FileRead {
        file_name: String,
        read: Result<Schema, String>,
    },
    Reset,
}

impl SettingsState {
    pub fn new(schema: Schema) -> Self {
        Self {
            draft: SchemaDraft::new(schema),
            errors: BTreeMap::new(),
            confirm: None,
            file: None,
        }
    }

    /// The message for a field's refused edit, if any.
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }

    fn edit(&mut self, field: String, edit: Edit) {
        let moves_rows = matches!(edit, Edit::Remove(_) | Edit::Adopt(_) | Edit::ReplaceAll(_));
        let result = self.draft.apply(edit);
        if moves_rows {
            self.errors.clear();
            self.confirm = None;
        }
        match result {
            Ok(()) => {
                self.errors.remove(&field);
            }
            Err(message) => {
                self.errors.insert(field, message);
            }
        }
    }
}

impl Reducible for SettingsState {
    type Action = SettingsAction;

    fn reduce(self: Rc<Self>, action: SettingsAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            SettingsAction::Edit { field, edit } => next.edit(field, edit),
            SettingsAction::AskRemove { part, uses: 0 } => {
                next.edit(String::new(), Edit::Remove(part));
            }
            SettingsAction::AskRemove { part, uses } => next.confirm = Some(Removal { part, uses }),
            SettingsAction::ConfirmRemove => {
                if let Some(removal) = next.confirm.take() {
                    next.edit(String::new(), Edit::Remove(removal.part));
                }
            }
            SettingsAction::KeepPart => next.confirm = None,
            SettingsAction::FileRead { file_name, read } => match read {
                Ok(schema) => {
                    next.edit(String::new(), Edit::ReplaceAll(schema));
                    next.file = Some(FileMessage::Read { file_name });
                }
                Err(problem) => next.file = Some(FileMessage::Refused { file_name, problem }),
            },
            SettingsAction::Reset => {
                next.edit(String::new(), Edit::ReplaceAll(Schema::default()));
                next.file = Some(FileMessage::Reset);
            }
        }
        Rc::new(next)
    }
}
