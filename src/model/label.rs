//! The three tags a span can carry.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a span of text is. Serialised as `quote`, `entity`, `claim`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Quote,
    Entity,
    Claim,
}

/// A label name we do not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown label {0:?}: expected quote, entity or claim")]
pub struct UnknownLabel(pub String);

impl Label {
    /// Every label, in the order the label bar shows them.
    pub const ALL: [Label; 3] = [Label::Quote, Label::Entity, Label::Claim];

    /// The name used in exports and storage.
    pub const fn as_str(self) -> &'static str {
        match self {
            Label::Quote => "quote",
            Label::Entity => "entity",
            Label::Claim => "claim",
        }
    }

    /// The name shown to people.
    pub const fn display_name(self) -> &'static str {
        match self {
            Label::Quote => "Quote",
            Label::Entity => "Entity",
            Label::Claim => "Claim",
        }
    }

    /// The key that applies this label.
    pub const fn shortcut(self) -> char {
        match self {
            Label::Quote => 'q',
            Label::Entity => 'e',
            Label::Claim => 'c',
        }
    }

    /// The label whose shortcut is `key` (case-insensitive).
    pub fn from_shortcut(key: &str) -> Option<Label> {
        Label::ALL
            .into_iter()
            .find(|label| key.eq_ignore_ascii_case(label.shortcut().encode_utf8(&mut [0; 4])))
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Label {
    type Err = UnknownLabel;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Label::ALL
            .into_iter()
            .find(|label| label.as_str() == s)
            .ok_or_else(|| UnknownLabel(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_map_back_to_their_label() {
        for label in Label::ALL {
            assert_eq!(
                Label::from_shortcut(&label.shortcut().to_string()),
                Some(label)
            );
            assert_eq!(label.as_str().parse::<Label>(), Ok(label));
        }
        assert_eq!(Label::from_shortcut("Q"), Some(Label::Quote));
        assert_eq!(Label::from_shortcut("x"), None);
        assert!("Quote".parse::<Label>().is_err());
    }
}
