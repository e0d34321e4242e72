//! What the page and the schema editor module hand each other. Plain serde values: they cross
//! between the two wasm modules as JS values (serde-wasm-bindgen).

use annotator_core::formats::job::Carried;
use annotator_core::model::schema_edit::{Part, Rename};
use annotator_core::model::{Label, RelationKind};
use serde::{Deserialize, Serialize};

/// What the editor opens with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditorRequest {
    /// The schema in force, as storage encodes it.
    pub schema: String,
    /// Every document of the library: the editor shows what is in use before anything is
    /// removed, and what the documents hold that the schema lacks.
    pub documents: Vec<Carried>,
    /// Why the schema cannot be changed in this tab, if it cannot.
    pub locked: Option<String>,
}

/// What Apply hands back: the new schema (as storage encodes it) and the renames that carry
/// existing annotations along.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchemaChange {
    pub schema: String,
    pub renames: Vec<CrossingRename>,
}

/// A [`Rename`] as it crosses: what is renamed ("label", "attribute", "value" or "relation"),
/// the label (or the relation type), the attribute, the value, and the new name; unused places
/// are empty. The page reads five strings with far less code than the nested enum
/// (bench/NOTES.md, session 13).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossingRename(String, String, String, String, String);

impl From<&Rename> for CrossingRename {
    fn from(rename: &Rename) -> Self {
        let to = rename.to.to_string();
        let [what, owner, name, value] = match &rename.part {
            Part::Label(label) => ["label", label.as_str(), "", ""],
            Part::Attribute { label, name } => ["attribute", label.as_str(), name, ""],
            Part::Value { label, name, value } => ["value", label.as_str(), name, value],
            Part::Relation(kind) => ["relation", kind.as_str(), "", ""],
        }
        .map(str::to_owned);
        Self(what, owner, name, value, to)
    }
}

impl CrossingRename {
    /// The rename again; none when it did not cross intact.
    pub fn rename(self) -> Option<Rename> {
        let Self(what, owner, name, value, to) = self;
        let label = || Label::parse_any(&owner).ok();
        let part = match what.as_str() {
            "label" => Part::Label(label()?),
            "attribute" => Part::Attribute {
                label: label()?,
                name: name.into(),
            },
            "value" => Part::Value {
                label: label()?,
                name: name.into(),
                value: value.into(),
            },
            "relation" => Part::Relation(RelationKind::parse(&owner).ok()?),
            _ => return None,
        };
        Some(Rename {
            part,
            to: to.into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_rename_crosses_intact() {
        let quote = Label::parse_any("quote").unwrap();
        let parts = [
            Part::Label(Label::parse_any("ORG").unwrap()),
            Part::Attribute {
                label: quote.clone(),
                name: "type".into(),
            },
            Part::Value {
                label: quote,
                name: "type".into(),
                value: "direct".into(),
            },
            Part::Relation(RelationKind::parse("said_by").unwrap()),
        ];
        for part in parts {
            let rename = Rename {
                part,
                to: "new name".into(),
            };
            let crossed: CrossingRename = serde_json::from_str(
                &serde_json::to_string(&CrossingRename::from(&rename)).unwrap(),
            )
            .unwrap();
            assert_eq!(crossed.rename(), Some(rename));
        }
    }

    #[test]
    fn a_damaged_rename_is_refused() {
        let unknown = CrossingRename(
            "colour".into(),
            "quote".into(),
            String::new(),
            String::new(),
            "x".into(),
        );
        assert_eq!(unknown.rename(), None);
        let bad_label = CrossingRename(
            "label".into(),
            String::new(),
            String::new(),
            String::new(),
            "x".into(),
        );
        assert_eq!(bad_label.rename(), None);
    }
}
