//! What a span can be tagged as: one of the three built-in labels, or a custom label kept from
//! another tool's dataset (`PERSON`, `ORG`, …) so that importing and exporting it loses nothing.

use std::fmt;
use std::rc::Rc;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The longest custom label name we accept, in code points.
pub const MAX_LABEL_CHARS: usize = 64;

/// What a span of text is. Serialised as its name: `quote`, `entity`, `claim`, or the custom name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Label {
    Quote,
    Entity,
    Claim,
    /// A label from another tool, kept verbatim. Never equal to a built-in name.
    Custom(CustomLabel),
}

/// A custom label name. Invariant: non-empty, at most [`MAX_LABEL_CHARS`] code points, no
/// control characters, no surrounding whitespace, and not one of the built-in names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CustomLabel(Rc<str>);

impl CustomLabel {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A label name we cannot use.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidLabel {
    #[error("a label cannot be empty")]
    Empty,
    #[error("label {0:?} is longer than {MAX_LABEL_CHARS} characters")]
    TooLong(String),
    #[error("label {0:?} contains a control character")]
    ControlCharacter(String),
    #[error("label {0:?} starts or ends with whitespace")]
    SurroundingWhitespace(String),
}

/// A label name that is not one of the three built-in ones (where only those are allowed).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown label {0:?}: expected quote, entity or claim")]
pub struct UnknownLabel(pub String);

impl Label {
    /// The built-in labels, in the order the label bar shows them.
    pub const ALL: [Label; 3] = [Label::Quote, Label::Entity, Label::Claim];

    /// Any label name: a built-in one by its exact name, anything else as a custom label.
    ///
    /// # Errors
    /// [`InvalidLabel`] when the name is empty, too long, has control characters or surrounding
    /// whitespace.
    pub fn parse_any(name: &str) -> Result<Label, InvalidLabel> {
        if let Ok(builtin) = name.parse::<Label>() {
            return Ok(builtin);
        }
        if name.is_empty() {
            return Err(InvalidLabel::Empty);
        }
        if name.chars().count() > MAX_LABEL_CHARS {
            return Err(InvalidLabel::TooLong(name.to_owned()));
        }
        if name.chars().any(char::is_control) {
            return Err(InvalidLabel::ControlCharacter(name.to_owned()));
        }
        if name.trim() != name {
            return Err(InvalidLabel::SurroundingWhitespace(name.to_owned()));
        }
        Ok(Label::Custom(CustomLabel(Rc::from(name))))
    }

    /// The name used in exports and storage.
    pub fn as_str(&self) -> &str {
        match self {
            Label::Quote => "quote",
            Label::Entity => "entity",
            Label::Claim => "claim",
            Label::Custom(custom) => custom.as_str(),
        }
    }

    /// Whether this is one of the three built-in labels.
    pub const fn is_builtin(&self) -> bool {
        !matches!(self, Label::Custom(_))
    }

    /// The name shown to people.
    pub fn display_name(&self) -> &str {
        match self {
            Label::Quote => "Quote",
            Label::Entity => "Entity",
            Label::Claim => "Claim",
            Label::Custom(custom) => custom.as_str(),
        }
    }

    /// The CSS class suffix for this label's style; every custom label shares a neutral one.
    pub const fn style_class(&self) -> &'static str {
        match self {
            Label::Quote => "quote",
            Label::Entity => "entity",
            Label::Claim => "claim",
            Label::Custom(_) => "custom",
        }
    }

    /// The key that applies this label; custom labels have none.
    pub const fn shortcut(&self) -> Option<char> {
        match self {
            Label::Quote => Some('q'),
            Label::Entity => Some('e'),
            Label::Claim => Some('c'),
            Label::Custom(_) => None,
        }
    }

    /// The built-in label whose shortcut is `key` (case-insensitive).
    pub fn from_shortcut(key: &str) -> Option<Label> {
        let mut chars = key.chars();
        let (Some(key), None) = (chars.next(), chars.next()) else {
            return None;
        };
        Label::ALL
            .into_iter()
            .find(|label| label.shortcut() == Some(key.to_ascii_lowercase()))
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses a built-in label only; use [`Label::parse_any`] where custom labels are welcome.
impl FromStr for Label {
    type Err = UnknownLabel;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "quote" => Ok(Label::Quote),
            "entity" => Ok(Label::Entity),
            "claim" => Ok(Label::Claim),
            _ => Err(UnknownLabel(s.to_owned())),
        }
    }
}

impl Serialize for Label {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Label::parse_any(&name).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_map_back_to_their_label() {
        for label in Label::ALL {
            let key = label.shortcut().map(String::from).unwrap_or_default();
            assert_eq!(Label::from_shortcut(&key), Some(label.clone()));
            assert_eq!(label.as_str().parse::<Label>(), Ok(label));
        }
        assert_eq!(Label::from_shortcut("Q"), Some(Label::Quote));
        assert_eq!(Label::from_shortcut("x"), None);
        assert_eq!(Label::from_shortcut("qq"), None);
        assert!("Quote".parse::<Label>().is_err());
    }

    #[test]
    fn custom_labels_are_kept_verbatim_and_builtins_stay_builtin() {
        assert_eq!(Label::parse_any("quote"), Ok(Label::Quote));
        let person = Label::parse_any("PERSON").unwrap();
        assert!(!person.is_builtin());
        assert_eq!(person.as_str(), "PERSON");
        assert_eq!(person.style_class(), "custom");
        assert_eq!(person.shortcut(), None);
        // Case matters: "Quote" from another tool is a different label until mapped.
        assert!(!Label::parse_any("Quote").unwrap().is_builtin());
    }

    #[test]
    fn unusable_label_names_are_refused() {
        assert_eq!(Label::parse_any(""), Err(InvalidLabel::Empty));
        assert!(matches!(
            Label::parse_any(" ORG"),
            Err(InvalidLabel::SurroundingWhitespace(_))
        ));
        assert!(matches!(
            Label::parse_any("a\tb"),
            Err(InvalidLabel::ControlCharacter(_))
        ));
        assert!(matches!(
            Label::parse_any(&"x".repeat(65)),
            Err(InvalidLabel::TooLong(_))
        ));
        assert!(Label::parse_any(&"x".repeat(64)).is_ok());
    }

    #[test]
    fn labels_serialise_as_their_name() {
        let labels = vec![Label::Claim, Label::parse_any("ORG").unwrap()];
        let json = serde_json::to_string(&labels).unwrap();
        assert_eq!(json, r#"["claim","ORG"]"#);
        assert_eq!(serde_json::from_str::<Vec<Label>>(&json).unwrap(), labels);
        assert!(serde_json::from_str::<Label>(r#""""#).is_err());
    }
}
