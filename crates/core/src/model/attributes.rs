//! What an annotation says beyond its label: attribute values (a quote's `type`, a claim's
//! `check_worthy`, an entity's Wikidata `id`) and a free-text note.
//!
//! Values are kept whether or not the label schema knows them: a value an import brings that the
//! schema lacks is shown and exported as it is, never dropped (see `super::schema::Schema::check`).

use std::collections::BTreeMap;
use std::rc::Rc;

/// The longest attribute name, in code points (as long as a label name).
pub const MAX_ATTRIBUTE_NAME_CHARS: usize = super::label::MAX_LABEL_CHARS;
/// The longest attribute value, in code points: long enough for a URL or a short phrase.
pub const MAX_ATTRIBUTE_VALUE_CHARS: usize = 1000;
/// The longest note, in code points.
pub const MAX_NOTE_CHARS: usize = 20_000;

/// Why an attribute name, value or note cannot be stored.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidDetail {
    #[error("an attribute name cannot be empty")]
    EmptyName,
    #[error("attribute name {0:?} is longer than {MAX_ATTRIBUTE_NAME_CHARS} characters")]
    NameTooLong(String),
    #[error("attribute name {0:?} contains a control character or surrounding whitespace")]
    BadName(String),
    #[error("the value of {name:?} is longer than {MAX_ATTRIBUTE_VALUE_CHARS} characters")]
    ValueTooLong { name: String },
    #[error("the value of {name:?} contains a control character or surrounding whitespace")]
    BadValue { name: String },
    #[error("a note is longer than {MAX_NOTE_CHARS} characters")]
    NoteTooLong,
}

/// Checks an attribute name: like a label name, non-empty, short, one clean line.
///
/// # Errors
/// [`InvalidDetail`] naming the problem.
pub fn check_name(name: &str) -> Result<(), InvalidDetail> {
    if name.is_empty() {
        return Err(InvalidDetail::EmptyName);
    }
    if name.chars().count() > MAX_ATTRIBUTE_NAME_CHARS {
        return Err(InvalidDetail::NameTooLong(name.to_owned()));
    }
    if name.chars().any(char::is_control) || name.trim() != name {
        return Err(InvalidDetail::BadName(name.to_owned()));
    }
    Ok(())
}

/// Checks an attribute value (non-empty: an empty value means "not set").
///
/// # Errors
/// [`InvalidDetail`] naming the attribute.
pub fn check_value(name: &str, value: &str) -> Result<(), InvalidDetail> {
    if value.chars().count() > MAX_ATTRIBUTE_VALUE_CHARS {
        return Err(InvalidDetail::ValueTooLong {
            name: name.to_owned(),
        });
    }
    if value.is_empty() || value.chars().any(char::is_control) || value.trim() != value {
        return Err(InvalidDetail::BadValue {
            name: name.to_owned(),
        });
    }
    Ok(())
}

/// Checks a note: any text (line breaks included) up to [`MAX_NOTE_CHARS`].
///
/// # Errors
/// [`InvalidDetail::NoteTooLong`].
pub fn check_note(note: &str) -> Result<(), InvalidDetail> {
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(InvalidDetail::NoteTooLong);
    }
    Ok(())
}

/// A note as stored: `None` for an empty or blank one, so "no note" has one spelling.
pub fn note_of(text: &str) -> Option<Rc<str>> {
    (!text.trim().is_empty()).then(|| Rc::from(text))
}

/// Attribute values by name, in name order. Invariant: every name and value passed
/// [`check_name`] / [`check_value`].
///
/// Shared until changed (`Rc`): every edit copies the document, and copying 5,000 maps made
/// each edit of a long article about twice as slow (bench/NOTES.md, session 7).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Attributes(Rc<BTreeMap<Rc<str>, Rc<str>>>);

impl Attributes {
    /// Builds from pairs, checking each one. A name given twice keeps its last value.
    ///
    /// # Errors
    /// The first [`InvalidDetail`].
    pub fn from_pairs<N: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (N, V)>,
    ) -> Result<Self, InvalidDetail> {
        let mut attributes = Attributes::default();
        for (name, value) in pairs {
            attributes.set(name.as_ref(), Some(value.as_ref()))?;
        }
        Ok(attributes)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|v| &**v)
    }

    /// Sets (`Some`) or clears (`None`) one value, returning the one it replaced.
    ///
    /// # Errors
    /// [`InvalidDetail`] for an unusable name or value; nothing changes then.
    pub fn set(
        &mut self,
        name: &str,
        value: Option<&str>,
    ) -> Result<Option<Rc<str>>, InvalidDetail> {
        check_name(name)?;
        match value {
            Some(value) => {
                check_value(name, value)?;
                Ok(Rc::make_mut(&mut self.0).insert(Rc::from(name), Rc::from(value)))
            }
            None if self.0.contains_key(name) => Ok(Rc::make_mut(&mut self.0).remove(name)),
            None => Ok(None),
        }
    }

    /// Renames an attribute (a schema rename), keeping its value. Returns whether it was set.
    pub(crate) fn rename(&mut self, from: &str, to: &str) -> bool {
        if !self.0.contains_key(from) {
            return false;
        }
        let map = Rc::make_mut(&mut self.0);
        match map.remove(from) {
            Some(value) => {
                map.insert(Rc::from(to), value);
                true
            }
            None => false,
        }
    }

    /// Replaces one value by another (a schema rename of a value). Returns whether it matched.
    pub(crate) fn rename_value(&mut self, name: &str, from: &str, to: &str) -> bool {
        if self.get(name) != Some(from) {
            return false;
        }
        match Rc::make_mut(&mut self.0).get_mut(name) {
            Some(value) => {
                *value = Rc::from(to);
                true
            }
            None => false,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (&**n, &**v))
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(|n| &**n)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_and_replaced() {
        let mut a = Attributes::default();
        assert_eq!(a.set("type", Some("direct")), Ok(None));
        assert_eq!(
            a.set("type", Some("indirect")).unwrap().as_deref(),
            Some("direct")
        );
        assert_eq!(a.get("type"), Some("indirect"));
        assert!(a.set("type", Some("")).is_err());
        assert!(a.set("type", Some(" x")).is_err());
        assert!(a.set("", Some("x")).is_err());
        assert!(a.set("t\n", Some("x")).is_err());
        assert_eq!(a.get("type"), Some("indirect"));
        assert_eq!(a.set("type", None).unwrap().as_deref(), Some("indirect"));
        assert!(a.is_empty());
    }

    #[test]
    fn blank_notes_are_no_note() {
        assert_eq!(note_of("  \n"), None);
        assert_eq!(
            note_of("Check the date.\nSecond line").as_deref(),
            Some("Check the date.\nSecond line")
        );
        assert!(check_note(&"x".repeat(MAX_NOTE_CHARS + 1)).is_err());
    }
}
