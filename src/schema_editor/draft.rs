//! The schema the settings dialog edits: a copy of the library's schema and the renames made on
//! it, applied together by one `SchemaAction::Replace` (or dropped by Cancel). Pure, so every
//! edit is tested natively (tests/state_schema.rs).
//!
//! Renames are recorded in the order they were made, each naming the part as it was called at
//! that moment; replaying them in order carries existing annotations along. Removing a part never
//! touches annotations: they keep the label or value, which the findings then list.

use std::rc::Rc;

use annotator_core::model::attributes;
use annotator_core::model::schema::{AttributeSpec, Colour, Finding, LabelSpec, RelationSpec};
use annotator_core::model::schema_edit::{Part, Rename};
use annotator_core::model::word_snap::SnapRule;
use annotator_core::model::{Document, Label, RelationKind, Schema, Timestamp};

/// Colours a new custom label gets, the first one no label uses yet: dark enough to read as
/// text on white, and apart from the built-in labels' blue, orange and purple.
const NEW_LABEL_COLOURS: [&str; 8] = [
    "#2e7d32", "#c62828", "#00796b", "#ad1457", "#4e342e", "#283593", "#827717", "#37474f",
];

/// Which end of a relation type a label list restricts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    From,
    To,
}

/// One change the user makes in the dialog.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    AddLabel(String),
    SetColour {
        label: Label,
        colour: String,
    },
    SetLabelKey {
        label: Label,
        key: Option<char>,
    },
    /// How a drag becomes this label's span.
    SetSnap {
        label: Label,
        snap: SnapRule,
    },
    AddAttribute {
        label: Label,
        name: String,
    },
    AddValue {
        label: Label,
        name: Rc<str>,
        value: String,
    },
    AddRelation(String),
    SetRelationKey {
        kind: RelationKind,
        key: Option<char>,
    },
    /// Allows (or stops allowing) `label` at one end of a relation type.
    SetRelationEnd {
        kind: RelationKind,
        end: End,
        label: Label,
        allowed: bool,
    },
    SetReadingOrder {
        kind: RelationKind,
        on: bool,
    },
    /// Renames a part; annotations follow when the draft is applied.
    Rename {
        part: Part,
        to: String,
    },
    /// Removes a part from the schema; annotations using it keep it.
    Remove(Part),
    /// "Add to schema" on a finding.
    Adopt(Finding),
    /// An imported schema file, or the default schema: nothing is renamed then.
    ReplaceAll(Schema),
}

/// The library's schema as the dialog is editing it.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaDraft {
    pub schema: Schema,
    /// In the order made; replayed on the documents by `SchemaAction::Replace`.
    pub renames: Vec<Rename>,
}

impl SchemaDraft {
    pub fn new(schema: Schema) -> Self {
        Self {
            schema,
            renames: Vec::new(),
        }
    }

    /// Whether applying the draft would change anything.
    pub fn differs_from(&self, schema: &Schema) -> bool {
        self.schema != *schema || !self.renames.is_empty()
    }

    /// Makes one edit.
    ///
    /// # Errors
    /// A sentence for the user when the edit cannot be made (an unusable or taken name, a bad
    /// colour); the draft is then unchanged.
    pub fn apply(&mut self, edit: Edit) -> Result<(), String> {
        match edit {
            Edit::AddLabel(name) => self.add_label(name.trim()),
            Edit::SetColour { label, colour } => {
                let colour = Colour::parse(&colour).map_err(|e| e.to_string())?;
                if let Some(spec) = self.label_mut(&label) {
                    spec.colour = colour;
                }
                Ok(())
            }
            Edit::SetLabelKey { label, key } => {
                if let Some(spec) = self.label_mut(&label) {
                    spec.key = key;
                }
                Ok(())
            }
            Edit::SetSnap { label, snap } => {
                if let Some(spec) = self.label_mut(&label) {
                    spec.snap = snap;
                }
                Ok(())
            }
            Edit::AddAttribute { label, name } => self.add_attribute(&label, name.trim()),
            Edit::AddValue { label, name, value } => self.add_value(&label, &name, value.trim()),
            Edit::AddRelation(name) => self.add_relation(name.trim()),
            Edit::SetRelationKey { kind, key } => {
                if let Some(spec) = self.relation_mut(&kind) {
                    spec.key = key;
                }
                Ok(())
            }
            Edit::SetRelationEnd {
                kind,
                end,
                label,
                allowed,
            } => {
                if let Some(spec) = self.relation_mut(&kind) {
                    let labels = match end {
                        End::From => &mut spec.from,
                        End::To => &mut spec.to,
                    };
                    labels.retain(|l| l != &label);
                    if allowed {
                        labels.push(label);
                    }
                }
                Ok(())
            }
            Edit::SetReadingOrder { kind, on } => {
                if let Some(spec) = self.relation_mut(&kind) {
                    spec.reading_order = on;
                }
                Ok(())
            }
            Edit::Rename { part, to } => self.rename(part, to.trim()),
            Edit::Remove(part) => {
                self.remove(&part);
                Ok(())
            }
            Edit::Adopt(finding) => self.adopt(&finding),
            Edit::ReplaceAll(mut schema) => {
                // The guidelines are the user's writing: a schema without any (the default, a
                // file from before guidelines) keeps the ones in force; a file with its own
                // brings them.
                if schema.guidelines.is_empty() {
                    schema.guidelines = std::mem::take(&mut self.schema.guidelines);
                }
                *self = Self::new(schema);
                Ok(())
            }
        }
    }

    fn label_mut(&mut self, label: &Label) -> Option<&mut LabelSpec> {
        self.schema.labels.iter_mut().find(|s| &s.label == label)
    }

    fn relation_mut(&mut self, kind: &RelationKind) -> Option<&mut RelationSpec> {
        self.schema.relations.iter_mut().find(|s| &s.kind == kind)
    }

    fn attribute_mut(&mut self, label: &Label, name: &str) -> Option<&mut AttributeSpec> {
        self.label_mut(label)
            .and_then(|spec| spec.attributes.iter_mut().find(|a| &*a.name == name))
    }

    fn add_label(&mut self, name: &str) -> Result<(), String> {
        let label = Label::parse_any(name).map_err(|e| e.to_string())?;
        if self.schema.label(&label).is_some() {
            return Err(format!("“{name}” is already a label"));
        }
        let colour = self.colour_for(&label)?;
        self.schema.labels.push(LabelSpec {
            label,
            colour,
            key: None,
            attributes: Vec::new(),
            snap: SnapRule::default(),
        });
        Ok(())
    }

    /// A built-in label's usual colour; otherwise the first of [`NEW_LABEL_COLOURS`] no label
    /// uses yet (they repeat once all are taken).
    fn colour_for(&self, label: &Label) -> Result<Colour, String> {
        if let Some(spec) = Schema::default().label(label) {
            return Ok(spec.colour.clone());
        }
        let used = |hex: &&str| self.schema.labels.iter().any(|s| s.colour.as_str() == *hex);
        let hex = NEW_LABEL_COLOURS
            .iter()
            .find(|hex| !used(hex))
            .or_else(|| NEW_LABEL_COLOURS.get(self.schema.labels.len() % NEW_LABEL_COLOURS.len()))
            .copied()
            .unwrap_or("#37474f");
        Colour::parse(hex).map_err(|e| e.to_string())
    }

    fn add_attribute(&mut self, label: &Label, name: &str) -> Result<(), String> {
        attributes::check_name(name).map_err(|e| e.to_string())?;
        let spec = self
            .label_mut(label)
            .ok_or_else(|| format!("label “{label}” is not in the schema"))?;
        if spec.attributes.iter().any(|a| &*a.name == name) {
            return Err(format!("{label} already has an attribute “{name}”"));
        }
        spec.attributes.push(AttributeSpec {
            name: Rc::from(name),
            values: Vec::new(),
        });
        Ok(())
    }

    fn add_value(&mut self, label: &Label, name: &str, value: &str) -> Result<(), String> {
        if value.is_empty() {
            return Err("a value cannot be empty".to_owned());
        }
        attributes::check_value(name, value).map_err(|e| e.to_string())?;
        let attribute = self
            .attribute_mut(label, name)
            .ok_or_else(|| format!("{label} has no attribute “{name}”"))?;
        if attribute.values.iter().any(|v| &**v == value) {
            return Err(format!("“{value}” is already one of the values of {name}"));
        }
        attribute.values.push(Rc::from(value));
        Ok(())
    }

    fn add_relation(&mut self, name: &str) -> Result<(), String> {
        let kind = RelationKind::parse(name).map_err(|e| e.to_string())?;
        if self.schema.relation(&kind).is_some() {
            return Err(format!("“{name}” is already a relation type"));
        }
        self.schema.relations.push(RelationSpec {
            kind,
            key: None,
            from: Vec::new(),
            to: Vec::new(),
            reading_order: false,
        });
        Ok(())
    }

    fn rename(&mut self, part: Part, to: &str) -> Result<(), String> {
        let current = match &part {
            Part::Label(label) => label.as_str(),
            Part::Attribute { name, .. } => name,
            Part::Value { value, .. } => value,
            Part::Relation(kind) => kind.as_str(),
        };
        if current == to {
            return Ok(());
        }
        let rename = Rename {
            part,
            to: Rc::from(to),
        };
        self.schema.rename(&rename).map_err(|e| e.to_string())?;
        self.renames.push(rename);
        Ok(())
    }

    fn remove(&mut self, part: &Part) {
        match part {
            Part::Label(label) => self.schema.labels.retain(|s| &s.label != label),
            Part::Attribute { label, name } => {
                if let Some(spec) = self.label_mut(label) {
                    spec.attributes.retain(|a| &a.name != name);
                }
            }
            Part::Value { label, name, value } => {
                if let Some(attribute) = self.attribute_mut(label, name) {
                    attribute.values.retain(|v| v != value);
                }
            }
            Part::Relation(kind) => self.schema.relations.retain(|s| &s.kind != kind),
        }
    }

    /// Takes what the documents hold into the schema: an unknown label or relation type is
    /// added (a relation type then links any labels), an unknown attribute as free text (every
    /// value it has is then known), an unknown value into its attribute's list, and the labels
    /// of an unexpected link into its type's ends.
    fn adopt(&mut self, finding: &Finding) -> Result<(), String> {
        match finding {
            Finding::UnknownLabel { label, .. } => self.add_label(label.as_str()),
            Finding::UnknownAttribute { label, name, .. } => self.add_attribute(label, name),
            Finding::UnknownValue {
                label, name, value, ..
            } => self.add_value(label, name, value),
            Finding::UnknownRelation { kind, .. } => self.add_relation(kind.as_str()),
            Finding::UnexpectedEnds { kind, from, to, .. } => {
                let spec = self
                    .relation_mut(kind)
                    .ok_or_else(|| format!("relation type “{kind}” is not in the schema"))?;
                // An empty list already allows any label.
                if !spec.from.is_empty() && !spec.from.contains(from) {
                    spec.from.push(from.clone());
                }
                if !spec.to.is_empty() && !spec.to.contains(to) {
                    spec.to.push(to.clone());
                }
                Ok(())
            }
        }
    }
}

/// The documents as they will be once `renames` are applied: what the findings and the "used by"
/// counts must look at, since the draft already uses the new names.
pub fn documents_after<'a>(
    renames: &[Rename],
    documents: impl IntoIterator<Item = &'a Document>,
) -> Vec<Document> {
    documents
        .into_iter()
        .map(|document| {
            let mut document = document.clone();
            for rename in renames {
                // Only counted, never kept: the time of change does not matter.
                document.rename(rename, Timestamp::from_unix_millis(0));
            }
            document
        })
        .collect()
}
