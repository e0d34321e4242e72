//! [`Changes`]: what changed in a shared doc, in the words the page uses, and the three maps
//! ([`SharedMap`]) a shared doc is made of.
//!
//! The same shape goes both ways: the page hands the replica its own edits as `Changes`, and
//! gets back from it, as `Changes`, what a remote update did. A key listed with a value was set
//! (to that value); a key listed without was removed. Values are opaque JSON text that the page
//! writes and checks: this crate never parses them.

use serde::{Deserialize, Serialize};

/// The value a relation's key holds while the relation is linked: its presence is what counts.
pub const RELATION_LINKED: &str = "1";

/// The root types of every shared doc, each a Yjs map from string keys to string values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SharedMap {
    /// Annotation id → the annotation's record, as JSON text.
    Annotations,
    /// Relation key (opaque to this crate) → [`RELATION_LINKED`].
    Relations,
    /// Article field ("title", "text", "created", "note"; in a corpus's index, article ids) →
    /// JSON text.
    Article,
}

impl SharedMap {
    pub const ALL: [Self; 3] = [Self::Annotations, Self::Relations, Self::Article];

    /// The root's name in the Yjs doc, as every peer and the server see it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Annotations => "annotations",
            Self::Relations => "relations",
            Self::Article => "article",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|map| map.name() == name)
    }
}

/// What changed in a shared doc, map by map, each list in key order when it comes from the
/// replica.
///
/// Serialized with serde under these field names (`annotations`, `relations`, `article`), each
/// entry a two-element array: `{"annotations": [["a1", "{…}"], ["a2", null]], "relations":
/// [["a1|cause|a2", true]], "article": [["title", "\"…\""]]}`. `null` is a removal; for
/// relations `true` is linked and `false` unlinked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    /// `Some(record)`: set; `None`: removed.
    #[serde(default)]
    pub annotations: Vec<(String, Option<String>)>,
    /// `true`: linked; `false`: unlinked.
    #[serde(default)]
    pub relations: Vec<(String, bool)>,
    /// `Some(json)`: set; `None`: removed.
    #[serde(default)]
    pub article: Vec<(String, Option<String>)>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.annotations.is_empty() && self.relations.is_empty() && self.article.is_empty()
    }

    /// Every entry as (map, key, value), relations as [`RELATION_LINKED`] or `None`.
    pub fn entries(&self) -> impl Iterator<Item = (SharedMap, &str, Option<&str>)> {
        let annotations = self
            .annotations
            .iter()
            .map(|(key, value)| (SharedMap::Annotations, key.as_str(), value.as_deref()));
        let relations = self.relations.iter().map(|(key, linked)| {
            let value = linked.then_some(RELATION_LINKED);
            (SharedMap::Relations, key.as_str(), value)
        });
        let article = self
            .article
            .iter()
            .map(|(key, value)| (SharedMap::Article, key.as_str(), value.as_deref()));
        annotations.chain(relations).chain(article)
    }

    /// Adds an entry in the words of [`Changes::entries`].
    pub(crate) fn push(&mut self, map: SharedMap, key: String, value: Option<String>) {
        match map {
            SharedMap::Annotations => self.annotations.push((key, value)),
            SharedMap::Relations => self.relations.push((key, value.is_some())),
            SharedMap::Article => self.article.push((key, value)),
        }
    }
}
