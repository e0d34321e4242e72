//! [`Schema`]: the labels a library uses, with their colours, keys and attributes, and the
//! relation types with which labels each may connect. The user owns it (the settings view edits
//! it); [`Schema::default`] is the starting schema.
//!
//! The schema guides, it never deletes: annotations may carry labels, values and relations the
//! schema does not know (an import brought them). [`Schema::findings`] reports those, and every
//! view and export keeps them.

use std::collections::HashSet;
use std::rc::Rc;

use super::annotation::Annotation;
use super::attributes;
use super::document::Document;
use super::label::Label;
use super::relation::{Relation, RelationKind};
use super::word_snap::SnapRule;

/// A colour as `#rrggbb` (lower case). Only this shape, so it can go into a style sheet as is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Colour(Rc<str>);

impl Colour {
    /// # Errors
    /// [`SchemaError::BadColour`] for anything but `#` and six hex digits.
    pub fn parse(text: &str) -> Result<Self, SchemaError> {
        let digits = text.strip_prefix('#').unwrap_or("");
        if digits.len() != 6 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(SchemaError::BadColour(text.to_owned()));
        }
        Ok(Self(Rc::from(text.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The red, green and blue parts.
    pub fn rgb(&self) -> (u8, u8, u8) {
        let part = |at: usize| u8::from_str_radix(self.0.get(at..at + 2).unwrap_or("0"), 16);
        (
            part(1).unwrap_or(0),
            part(3).unwrap_or(0),
            part(5).unwrap_or(0),
        )
    }
}

/// One attribute of a label: a fixed set of values, or free text when `values` is empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttributeSpec {
    pub name: Rc<str>,
    pub values: Vec<Rc<str>>,
}

impl AttributeSpec {
    pub fn is_free_text(&self) -> bool {
        self.values.is_empty()
    }
}

/// One label of the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelSpec {
    pub label: Label,
    pub colour: Colour,
    /// The key that applies it: `1`–`9` or a letter (lower case).
    pub key: Option<char>,
    pub attributes: Vec<AttributeSpec>,
    /// How a drag becomes this label's span.
    pub snap: SnapRule,
}

/// One relation type, and which labels it may connect (an empty list allows any label).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelationSpec {
    pub kind: RelationKind,
    /// The key that picks it while linking: `1`–`9` or a letter (lower case).
    pub key: Option<char>,
    pub from: Vec<Label>,
    pub to: Vec<Label>,
    /// Links run in reading order, the earlier span to the later one (the pieces of a split
    /// quote), whichever was picked first.
    pub reading_order: bool,
}

impl RelationSpec {
    /// Whether it may link an annotation labelled `from` to one labelled `to`.
    pub fn allows(&self, from: &Label, to: &Label) -> bool {
        (self.from.is_empty() || self.from.contains(from))
            && (self.to.is_empty() || self.to.contains(to))
    }
}

/// The label schema of a library.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schema {
    pub labels: Vec<LabelSpec>,
    pub relations: Vec<RelationSpec>,
    /// The annotation guidelines, Markdown-like ([`super::guidelines`]); empty when none.
    pub guidelines: String,
}

/// The longest guidelines a schema keeps, in code points: a long handbook, far under what
/// storage can hold beside the articles.
pub const GUIDELINES_MAX_CHARS: usize = 200_000;

/// Why a schema cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("colour {0:?} is not of the form #rrggbb")]
    BadColour(String),
    #[error("label {0:?} is listed twice")]
    DuplicateLabel(String),
    #[error("relation type {0:?} is listed twice")]
    DuplicateRelation(String),
    #[error("label {label:?} has the attribute {name:?} twice")]
    DuplicateAttribute { label: String, name: String },
    #[error("attribute {name:?} of {label:?} lists the value {value:?} twice")]
    DuplicateValue {
        label: String,
        name: String,
        value: String,
    },
    #[error("key {key:?} is not 1–9 or a letter")]
    BadKey { key: String },
    #[error("key {key:?} is used by both {first:?} and {second:?}")]
    DuplicateKey {
        key: char,
        first: String,
        second: String,
    },
    #[error("key {key:?} is taken by the app ({what})")]
    ReservedKey { key: char, what: &'static str },
    #[error("{0}")]
    Name(String),
    #[error("the guidelines are {0} characters long; at most {GUIDELINES_MAX_CHARS} are kept")]
    GuidelinesTooLong(usize),
    #[error("there is no {0:?} to rename")]
    NothingToRename(String),
    #[error("{0:?} already exists")]
    NameTaken(String),
}

/// Keys the app itself uses while an annotation is selected, which no label may take.
pub const RESERVED_KEYS: [(char, &str); 2] = [('r', "link"), ('n', "note")];

/// A key as the schema stores it: `1`–`9` or a lower-case letter.
///
/// # Errors
/// [`SchemaError::BadKey`] for anything else.
pub fn parse_key(text: &str) -> Result<Option<char>, SchemaError> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (None, _) => Ok(None),
        (Some(c), None) if ('1'..='9').contains(&c) || c.is_alphabetic() => {
            Ok(c.to_lowercase().next())
        }
        _ => Err(SchemaError::BadKey {
            key: text.to_owned(),
        }),
    }
}

fn colour(hex: &str) -> Colour {
    // Only called on the literals below, which are all valid.
    Colour::parse(hex).unwrap_or_else(|_| Colour(Rc::from("#5f6368")))
}

fn kind(name: &'static str) -> RelationKind {
    RelationKind::known(name)
}

fn choice(name: &str, values: &[&str]) -> AttributeSpec {
    AttributeSpec {
        name: Rc::from(name),
        values: values.iter().map(|v| Rc::from(*v)).collect(),
    }
}

impl Default for Schema {
    /// The starting schema: quote, entity and claim with the attributes and relation types our
    /// users' datasets need (PARC 3.0, PolNeAR, RiQuA, ClaimBuster).
    fn default() -> Self {
        let relation =
            |name: &'static str, key: char, from: &[Label], to: &[Label], reading_order: bool| {
                RelationSpec {
                    kind: kind(name),
                    key: Some(key),
                    from: from.to_vec(),
                    to: to.to_vec(),
                    reading_order,
                }
            };
        use Label::{Claim, Entity, Quote};
        Schema {
            labels: vec![
                LabelSpec {
                    label: Quote,
                    colour: colour("#1769aa"),
                    key: Some('q'),
                    attributes: vec![choice("type", &["direct", "indirect", "mixed"])],
                    snap: SnapRule::Words,
                },
                LabelSpec {
                    label: Entity,
                    colour: colour("#b35c00"),
                    key: Some('e'),
                    attributes: vec![
                        choice("kind", &["person", "organisation", "place", "other"]),
                        choice("id", &[]),
                    ],
                    snap: SnapRule::Words,
                },
                LabelSpec {
                    label: Claim,
                    colour: colour("#8e24aa"),
                    key: Some('c'),
                    attributes: vec![choice("check_worthy", &["yes", "no", "unsure"])],
                    snap: SnapRule::Words,
                },
            ],
            relations: vec![
                relation("said_by", 's', &[Quote], &[Entity], false),
                relation("made_by", 'm', &[Claim], &[Entity], false),
                relation("about", 'a', &[Claim, Quote], &[Entity], false),
                relation("same_as", 'i', &[Entity], &[Entity], false),
                relation("continues", 'o', &[Quote], &[Quote], true),
            ],
            guidelines: String::new(),
        }
    }
}

/// Something in the documents the schema does not describe: kept, and shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    UnknownLabel {
        label: Label,
        count: usize,
    },
    UnknownAttribute {
        label: Label,
        name: String,
        count: usize,
    },
    UnknownValue {
        label: Label,
        name: String,
        value: String,
        count: usize,
    },
    UnknownRelation {
        kind: RelationKind,
        count: usize,
    },
    /// A relation between labels its type does not allow.
    UnexpectedEnds {
        kind: RelationKind,
        from: Label,
        to: Label,
        count: usize,
    },
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let times = |count: &usize| {
            if *count == 1 {
                String::new()
            } else {
                format!(" ({count}×)")
            }
        };
        match self {
            // Names as they are spelled, quoted (not the types' Debug form).
            Finding::UnknownLabel { label, count } => write!(
                f,
                "label {:?} is not in the schema{}",
                label.as_str(),
                times(count)
            ),
            Finding::UnknownAttribute { label, name, count } => write!(
                f,
                "{label} has an attribute {name:?} the schema lacks{}",
                times(count)
            ),
            Finding::UnknownValue {
                label,
                name,
                value,
                count,
            } => write!(
                f,
                "{label} {name} = {value:?} is not one of the schema's values{}",
                times(count)
            ),
            Finding::UnknownRelation { kind, count } => write!(
                f,
                "relation type {:?} is not in the schema{}",
                kind.as_str(),
                times(count)
            ),
            Finding::UnexpectedEnds {
                kind,
                from,
                to,
                count,
            } => write!(
                f,
                "{} links {from} to {to}, which the schema does not allow{}",
                kind.display_name(),
                times(count)
            ),
        }
    }
}

impl Schema {
    pub fn label(&self, label: &Label) -> Option<&LabelSpec> {
        self.labels.iter().find(|spec| &spec.label == label)
    }

    /// How a drag is shown before its label is picked: the snap rule every label shares, else
    /// whole words (the default).
    pub fn preview_snap(&self) -> SnapRule {
        let mut rules = self.labels.iter().map(|spec| spec.snap);
        let first = rules.next().unwrap_or_default();
        if rules.all(|rule| rule == first) {
            first
        } else {
            SnapRule::default()
        }
    }

    /// The label whose key is `key` (case-insensitive).
    pub fn label_for_key(&self, key: &str) -> Option<&LabelSpec> {
        let key = single_key(key)?;
        self.labels.iter().find(|spec| spec.key == Some(key))
    }

    pub fn relation(&self, kind: &RelationKind) -> Option<&RelationSpec> {
        self.relations.iter().find(|spec| &spec.kind == kind)
    }

    /// The relation type whose key is `key` (case-insensitive).
    pub fn relation_for_key(&self, key: &str) -> Option<&RelationSpec> {
        let key = single_key(key)?;
        self.relations.iter().find(|spec| spec.key == Some(key))
    }

    /// The types that may link `from` to `to`, in schema order: the first is the default.
    pub fn relations_between<'a>(
        &'a self,
        from: &'a Label,
        to: &'a Label,
    ) -> impl Iterator<Item = &'a RelationSpec> + 'a {
        self.relations
            .iter()
            .filter(move |spec| spec.allows(from, to))
    }

    /// The relation a link from `from` to `to` of type `kind` becomes: turned round when the type
    /// runs in reading order and `to` comes first in the text.
    pub fn orient(&self, kind: RelationKind, from: &Annotation, to: &Annotation) -> Relation {
        let reading_order = self.relation(&kind).is_some_and(|spec| spec.reading_order);
        if reading_order && to.text_order_key() < from.text_order_key() {
            Relation::new(kind, to.id.clone(), from.id.clone())
        } else {
            Relation::new(kind, from.id.clone(), to.id.clone())
        }
    }

    /// Checks names, keys and colours: no label, relation type, attribute or value twice, no key
    /// used twice among the labels or among the relation types, no label on a reserved key.
    ///
    /// # Errors
    /// The first [`SchemaError`] found.
    pub fn check(&self) -> Result<(), SchemaError> {
        let length = self.guidelines.chars().count();
        if length > GUIDELINES_MAX_CHARS {
            return Err(SchemaError::GuidelinesTooLong(length));
        }
        let mut labels = HashSet::new();
        let mut keys: Vec<(char, String)> = Vec::new();
        for spec in &self.labels {
            if !labels.insert(&spec.label) {
                return Err(SchemaError::DuplicateLabel(spec.label.to_string()));
            }
            claim_key(&mut keys, spec.key, spec.label.as_str())?;
            if let Some((key, what)) = RESERVED_KEYS.iter().find(|(k, _)| Some(*k) == spec.key) {
                return Err(SchemaError::ReservedKey { key: *key, what });
            }
            let mut names = HashSet::new();
            for attribute in &spec.attributes {
                attributes::check_name(&attribute.name)
                    .map_err(|e| SchemaError::Name(e.to_string()))?;
                if !names.insert(&attribute.name) {
                    return Err(SchemaError::DuplicateAttribute {
                        label: spec.label.to_string(),
                        name: attribute.name.to_string(),
                    });
                }
                let mut values = HashSet::new();
                for value in &attribute.values {
                    attributes::check_value(&attribute.name, value)
                        .map_err(|e| SchemaError::Name(e.to_string()))?;
                    if !values.insert(value) {
                        return Err(SchemaError::DuplicateValue {
                            label: spec.label.to_string(),
                            name: attribute.name.to_string(),
                            value: value.to_string(),
                        });
                    }
                }
            }
        }
        let mut kinds = HashSet::new();
        let mut keys: Vec<(char, String)> = Vec::new();
        for spec in &self.relations {
            if !kinds.insert(&spec.kind) {
                return Err(SchemaError::DuplicateRelation(spec.kind.to_string()));
            }
            claim_key(&mut keys, spec.key, spec.kind.as_str())?;
        }
        Ok(())
    }

    /// What the documents hold that this schema does not describe, counted.
    pub fn findings<'a>(&self, documents: impl IntoIterator<Item = &'a Document>) -> Vec<Finding> {
        let mut findings: Vec<Finding> = Vec::new();
        let mut count = |finding: Finding| {
            let same = findings.iter_mut().find(|f| same_finding(f, &finding));
            match same {
                Some(existing) => bump(existing),
                None => findings.push(finding),
            }
        };
        for document in documents {
            for a in document.annotations() {
                let Some(spec) = self.label(&a.label) else {
                    count(Finding::UnknownLabel {
                        label: a.label.clone(),
                        count: 1,
                    });
                    continue;
                };
                for (name, value) in a.attributes.iter() {
                    match spec.attributes.iter().find(|at| &*at.name == name) {
                        None => count(Finding::UnknownAttribute {
                            label: a.label.clone(),
                            name: name.to_owned(),
                            count: 1,
                        }),
                        Some(at)
                            if !at.is_free_text() && !at.values.iter().any(|v| &**v == value) =>
                        {
                            count(Finding::UnknownValue {
                                label: a.label.clone(),
                                name: name.to_owned(),
                                value: value.to_owned(),
                                count: 1,
                            });
                        }
                        Some(_) => {}
                    }
                }
            }
            for r in document.relations() {
                let Some(spec) = self.relation(&r.kind) else {
                    count(Finding::UnknownRelation {
                        kind: r.kind.clone(),
                        count: 1,
                    });
                    continue;
                };
                let (Some(from), Some(to)) =
                    (document.annotation(&r.from), document.annotation(&r.to))
                else {
                    continue;
                };
                if !spec.allows(&from.label, &to.label) {
                    count(Finding::UnexpectedEnds {
                        kind: r.kind.clone(),
                        from: from.label.clone(),
                        to: to.label.clone(),
                        count: 1,
                    });
                }
            }
        }
        findings
    }

    /// The value an attribute of `label` has, and whether the schema knows it (for the list's
    /// tags: an unknown value is shown marked, never hidden).
    pub fn knows_value(&self, label: &Label, name: &str, value: &str) -> bool {
        self.label(label)
            .and_then(|spec| spec.attributes.iter().find(|a| &*a.name == name))
            .is_some_and(|a| a.is_free_text() || a.values.iter().any(|v| &**v == value))
    }
}

fn single_key(key: &str) -> Option<char> {
    let mut chars = key.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => c.to_lowercase().next(),
        _ => None,
    }
}

fn claim_key(
    keys: &mut Vec<(char, String)>,
    key: Option<char>,
    owner: &str,
) -> Result<(), SchemaError> {
    let Some(key) = key else {
        return Ok(());
    };
    if !(('1'..='9').contains(&key) || key.is_alphabetic()) || key.is_uppercase() {
        return Err(SchemaError::BadKey {
            key: key.to_string(),
        });
    }
    if let Some((_, first)) = keys.iter().find(|(k, _)| *k == key) {
        return Err(SchemaError::DuplicateKey {
            key,
            first: first.clone(),
            second: owner.to_owned(),
        });
    }
    keys.push((key, owner.to_owned()));
    Ok(())
}

fn same_finding(a: &Finding, b: &Finding) -> bool {
    use Finding::*;
    match (a, b) {
        (UnknownLabel { label: x, .. }, UnknownLabel { label: y, .. }) => x == y,
        (
            UnknownAttribute {
                label: l1,
                name: n1,
                ..
            },
            UnknownAttribute {
                label: l2,
                name: n2,
                ..
            },
        ) => l1 == l2 && n1 == n2,
        (
            UnknownValue {
                label: l1,
                name: n1,
                value: v1,
                ..
            },
            UnknownValue {
                label: l2,
                name: n2,
                value: v2,
                ..
            },
        ) => l1 == l2 && n1 == n2 && v1 == v2,
        (UnknownRelation { kind: x, .. }, UnknownRelation { kind: y, .. }) => x == y,
        (
            UnexpectedEnds {
                kind: k1,
                from: f1,
                to: t1,
                ..
            },
            UnexpectedEnds {
                kind: k2,
                from: f2,
                to: t2,
                ..
            },
        ) => k1 == k2 && f1 == f2 && t1 == t2,
        _ => false,
    }
}

fn bump(finding: &mut Finding) {
    match finding {
        Finding::UnknownLabel { count, .. }
        | Finding::UnknownAttribute { count, .. }
        | Finding::UnknownValue { count, .. }
        | Finding::UnknownRelation { count, .. }
        | Finding::UnexpectedEnds { count, .. } => *count += 1,
    }
}
