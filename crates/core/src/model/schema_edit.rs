//! Changing the schema when annotations already use it: renames that follow into every
//! document, and how often a part is used (asked before it is removed).

use std::rc::Rc;

use super::document::Document;
use super::label::Label;
use super::relation::RelationKind;
use super::schema::{Schema, SchemaError};
use super::timestamp::Timestamp;

/// A part of the schema that annotations can use.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Part {
    Label(Label),
    Attribute {
        label: Label,
        name: Rc<str>,
    },
    Value {
        label: Label,
        name: Rc<str>,
        value: Rc<str>,
    },
    Relation(RelationKind),
}

/// A rename of one part, from its old name to a new one.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rename {
    pub part: Part,
    pub to: Rc<str>,
}

/// What a rename did to one document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Renamed {
    /// Annotations or relations that now carry the new name.
    pub changed: usize,
    /// Annotations left with the old label because the same span already carries the new one
    /// (a document never holds one span twice with one label).
    pub kept: usize,
}

impl Schema {
    /// Renames a part of the schema itself (the documents follow with [`Document::rename`]).
    ///
    /// # Errors
    /// [`SchemaError::NothingToRename`] when the part is not in the schema,
    /// [`SchemaError::NameTaken`] when the new name is, [`SchemaError::Name`] for an unusable name.
    pub fn rename(&mut self, rename: &Rename) -> Result<(), SchemaError> {
        let to = &*rename.to;
        let missing = || SchemaError::NothingToRename(part_name(&rename.part));
        match &rename.part {
            Part::Label(label) => {
                let new = Label::parse_any(to).map_err(|e| SchemaError::Name(e.to_string()))?;
                if self.label(&new).is_some() {
                    return Err(SchemaError::NameTaken(to.to_owned()));
                }
                let spec = self
                    .labels
                    .iter_mut()
                    .find(|s| &s.label == label)
                    .ok_or_else(missing)?;
                spec.label = new.clone();
                for relation in &mut self.relations {
                    for end in relation.from.iter_mut().chain(relation.to.iter_mut()) {
                        if end == label {
                            *end = new.clone();
                        }
                    }
                }
            }
            Part::Attribute { label, name } => {
                super::attributes::check_name(to).map_err(|e| SchemaError::Name(e.to_string()))?;
                let spec = self
                    .labels
                    .iter_mut()
                    .find(|s| &s.label == label)
                    .ok_or_else(missing)?;
                if spec.attributes.iter().any(|a| &*a.name == to) {
                    return Err(SchemaError::NameTaken(to.to_owned()));
                }
                let attribute = spec
                    .attributes
                    .iter_mut()
                    .find(|a| &a.name == name)
                    .ok_or_else(missing)?;
                attribute.name = rename.to.clone();
            }
            Part::Value { label, name, value } => {
                super::attributes::check_value(name, to)
                    .map_err(|e| SchemaError::Name(e.to_string()))?;
                let attribute = self
                    .labels
                    .iter_mut()
                    .find(|s| &s.label == label)
                    .and_then(|s| s.attributes.iter_mut().find(|a| &a.name == name))
                    .ok_or_else(missing)?;
                if attribute.values.iter().any(|v| &**v == to) {
                    return Err(SchemaError::NameTaken(to.to_owned()));
                }
                let slot = attribute
                    .values
                    .iter_mut()
                    .find(|v| *v == value)
                    .ok_or_else(missing)?;
                *slot = rename.to.clone();
            }
            Part::Relation(kind) => {
                let new = RelationKind::parse(to).map_err(|e| SchemaError::Name(e.to_string()))?;
                if self.relation(&new).is_some() {
                    return Err(SchemaError::NameTaken(to.to_owned()));
                }
                let spec = self
                    .relations
                    .iter_mut()
                    .find(|s| &s.kind == kind)
                    .ok_or_else(missing)?;
                spec.kind = new;
            }
        }
        Ok(())
    }
}

impl Document {
    /// Follows a schema rename: every annotation or relation using the old name gets the new
    /// one. An unusable new name changes nothing.
    pub fn rename(&mut self, rename: &Rename, now: Timestamp) -> Renamed {
        let mut done = Renamed::default();
        match &rename.part {
            Part::Label(label) => {
                let Ok(new) = Label::parse_any(&rename.to) else {
                    return done;
                };
                let ids: Vec<_> = self
                    .annotations()
                    .iter()
                    .filter(|a| &a.label == label)
                    .map(|a| a.id.clone())
                    .collect();
                for id in ids {
                    match self.relabel(&id, new.clone(), now) {
                        Ok(_) => done.changed += 1,
                        Err(_) => done.kept += 1,
                    }
                }
            }
            Part::Attribute { label, name } => {
                if super::attributes::check_name(&rename.to).is_err() {
                    return done;
                }
                self.edit_annotations(
                    now,
                    |a| {
                        &a.label == label
                            && a.attributes.get(&rename.to).is_none()
                            && a.attributes.rename(name, &rename.to)
                    },
                    &mut done,
                );
            }
            Part::Value { label, name, value } => {
                if super::attributes::check_value(name, &rename.to).is_err() {
                    return done;
                }
                self.edit_annotations(
                    now,
                    |a| &a.label == label && a.attributes.rename_value(name, value, &rename.to),
                    &mut done,
                );
            }
            Part::Relation(kind) => {
                let Ok(new) = RelationKind::parse(&rename.to) else {
                    return done;
                };
                done.changed = self.rename_relations(kind, &new, now);
            }
        }
        done
    }
}

/// How many annotations (or relations) in `documents` use `part`.
pub fn uses<'a>(part: &Part, documents: impl IntoIterator<Item = &'a Document>) -> usize {
    documents
        .into_iter()
        .map(|d| match part {
            Part::Label(label) => d.annotations().iter().filter(|a| &a.label == label).count(),
            Part::Attribute { label, name } => d
                .annotations()
                .iter()
                .filter(|a| &a.label == label && a.attributes.get(name).is_some())
                .count(),
            Part::Value { label, name, value } => d
                .annotations()
                .iter()
                .filter(|a| &a.label == label && a.attributes.get(name) == Some(value))
                .count(),
            Part::Relation(kind) => d.relations().iter().filter(|r| &r.kind == kind).count(),
        })
        .sum()
}

fn part_name(part: &Part) -> String {
    match part {
        Part::Label(label) => format!("label {label}"),
        Part::Attribute { label, name } => format!("attribute {name} of {label}"),
        Part::Value { label, name, value } => format!("value {value} of {label} {name}"),
        Part::Relation(kind) => format!("relation type {kind}"),
    }
}
