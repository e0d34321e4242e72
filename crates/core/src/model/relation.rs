//! [`Relation`]: a typed, directed link between two annotations of one document (a quote *said
//! by* an entity, a claim *about* one, the pieces of a split quote that *continues*).
//!
//! A relation is its three parts and nothing else, so it needs no id of its own: two tabs that
//! draw the same link agree on it, and a merge is a set merge. Exports number relations where a
//! format wants ids (brat `R1`, doccano's integers).

use std::fmt;
use std::rc::Rc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::annotation::AnnotationId;
use super::label::{InvalidLabel, Label};

/// The name of a relation type (`said_by`, `made_by`, ...): checked like a label name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelationKind(Rc<str>);

impl RelationKind {
    /// # Errors
    /// [`InvalidLabel`] for a name a label could not have either.
    pub fn parse(name: &str) -> Result<Self, InvalidLabel> {
        // The label rules, reused: a built-in label name is a fine relation name too.
        Label::parse_any(name)?;
        Ok(Self(Rc::from(name)))
    }

    /// A name from this crate's own literals, which are valid (the default schema's).
    pub(crate) fn known(name: &'static str) -> Self {
        debug_assert!(Label::parse_any(name).is_ok());
        Self(Rc::from(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name shown to people: `said_by` reads "said by".
    pub fn display_name(&self) -> String {
        self.0.replace('_', " ")
    }
}

/// As its name, checked when read like [`RelationKind::parse`].
impl Serialize for RelationKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RelationKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        RelationKind::parse(&name).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for RelationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `from` is `kind` `to`: "a3 said_by a7". Ordered by `from`, then `to`, then kind, which is the
/// order a document keeps them in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Relation {
    pub from: AnnotationId,
    pub to: AnnotationId,
    pub kind: RelationKind,
}

/// "a1 said_by a2".
impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.from, self.kind, self.to)
    }
}

impl Relation {
    pub fn new(kind: RelationKind, from: AnnotationId, to: AnnotationId) -> Self {
        Self { from, to, kind }
    }

    /// Whether `id` is one of its two ends.
    pub fn touches(&self, id: &AnnotationId) -> bool {
        &self.from == id || &self.to == id
    }

    /// The other end, seen from `id`.
    pub fn other_end(&self, id: &AnnotationId) -> &AnnotationId {
        if &self.from == id {
            &self.to
        } else {
            &self.from
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_checked_and_read_as_words() {
        let said_by = RelationKind::parse("said_by").unwrap();
        assert_eq!(said_by.display_name(), "said by");
        assert!(RelationKind::parse("").is_err());
        assert!(RelationKind::parse(" about").is_err());
        let r = Relation::new(said_by, AnnotationId::new("a1"), AnnotationId::new("a2"));
        assert!(r.touches(&AnnotationId::new("a2")));
        assert_eq!(r.other_end(&AnnotationId::new("a2")).as_str(), "a1");
    }
}
