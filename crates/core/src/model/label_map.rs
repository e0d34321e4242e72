//! Mapping the labels of an imported dataset (`PERSON`, `ORG`, `Quotation`, …) onto ours: each
//! foreign label becomes quote, entity or claim, or stays a custom label.

use super::annotation::Annotation;
use super::document::Document;
use super::label::Label;
use super::label_tally::tally;

/// Where each label goes; a label that is not a key stays as it is. A list, not a `BTreeMap`:
/// an import has a handful of custom labels, and each map type is its own B-tree code in the
/// bundle.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelMap(Vec<(Label, Label)>);

impl LabelMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// Where `from` goes, if it is mapped.
    pub fn get(&self, from: &Label) -> Option<&Label> {
        self.0.iter().find(|(f, _)| f == from).map(|(_, to)| to)
    }

    /// Maps `from` onto `to`, replacing where it went before.
    pub fn insert(&mut self, from: Label, to: Label) {
        match self.0.iter_mut().find(|(f, _)| *f == from) {
            Some(entry) => entry.1 = to,
            None => self.0.push((from, to)),
        }
    }

    /// Leaves `from` as it is.
    pub fn remove(&mut self, from: &Label) {
        self.0.retain(|(f, _)| f != from);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(Label, Label)> for LabelMap {
    fn from_iter<I: IntoIterator<Item = (Label, Label)>>(pairs: I) -> Self {
        let mut map = Self::new();
        for (from, to) in pairs {
            map.insert(from, to);
        }
        map
    }
}

impl<const N: usize> From<[(Label, Label); N]> for LabelMap {
    fn from(pairs: [(Label, Label); N]) -> Self {
        pairs.into_iter().collect()
    }
}

/// The built-in label a foreign name most likely means, to preselect in the mapping step:
/// the same name in another case (`Quote`, `ENTITY`), or a common synonym. `None` keeps it.
pub fn suggest(label: &Label) -> Option<Label> {
    let Label::Custom(custom) = label else {
        return None;
    };
    // Every synonym is ASCII, so ASCII case folding finds them all, without Unicode's case
    // tables in the bundle.
    match custom.as_str().to_ascii_lowercase().as_str() {
        "quote" | "quotation" | "quotes" => Some(Label::Quote),
        "entity" | "entities" | "ent" => Some(Label::Entity),
        "claim" | "claims" => Some(Label::Claim),
        _ => None,
    }
}

/// Every custom label used in `documents` with its number of spans, by name.
pub fn custom_labels<'a>(documents: impl IntoIterator<Item = &'a Document>) -> Vec<(Label, usize)> {
    tally(
        documents
            .into_iter()
            .flat_map(Document::annotations)
            .map(|a| &a.label)
            .filter(|label| !label.is_builtin()),
    )
}

/// `document` with every label mapped. When two spans of one range end up with the same label
/// (say `PERSON` and `entity` on one name, with `PERSON` mapped to entity) the later one is
/// dropped, since a document holds each (range, label) once; the count of dropped spans is
/// returned so the user can be told.
pub fn apply(document: &Document, map: &LabelMap) -> (Document, usize) {
    if map.is_empty() {
        return (document.clone(), 0);
    }
    let mut seen = std::collections::HashSet::new();
    let mut dropped = 0;
    let annotations: Vec<Annotation> = document
        .annotations()
        .iter()
        .filter_map(|a| {
            let label = map.get(&a.label).unwrap_or(&a.label).clone();
            if !seen.insert((a.range, label.clone())) {
                dropped += 1;
                return None;
            }
            Some(Annotation { label, ..a.clone() })
        })
        .collect();
    let shell = Document::new(
        document.id.clone(),
        document.title.clone(),
        document.text().clone(),
        document.created,
    );
    let next = document.next_number();
    // Every range and id comes from a valid document and duplicates were just dropped, so this
    // cannot fail; should it ever, keeping the labels as they were loses nothing.
    match Document::from_parts(shell, annotations, next) {
        Ok(mut mapped) => {
            mapped.modified = document.modified;
            (mapped, dropped)
        }
        Err(_) => (document.clone(), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ArticleText, CharRange, DocumentId, Timestamp};

    fn label(name: &str) -> Label {
        Label::parse_any(name).unwrap()
    }

    fn document() -> Document {
        let now = Timestamp::from_unix_millis(0);
        let mut d = Document::new(
            DocumentId::new("d"),
            "t".into(),
            ArticleText::normalize("Angela Merkel said so."),
            now,
        );
        let name = CharRange::from_raw(0, 13).unwrap();
        d.add(name, label("PERSON"), now).unwrap();
        d.add(name, Label::Entity, now).unwrap();
        d.add(
            CharRange::from_raw(14, 21).unwrap(),
            label("Quotation"),
            now,
        )
        .unwrap();
        d
    }

    #[test]
    fn mapping_relabels_and_merges_spans_that_become_identical() {
        let d = document();
        assert_eq!(
            custom_labels([&d]),
            [(label("PERSON"), 1), (label("Quotation"), 1)]
        );
        let map = LabelMap::from([
            (label("PERSON"), Label::Entity),
            (label("Quotation"), Label::Quote),
        ]);
        let (mapped, dropped) = apply(&d, &map);
        assert_eq!(dropped, 1);
        mapped.check_invariants().unwrap();
        let labels: Vec<_> = mapped
            .annotations()
            .iter()
            .map(|a| a.label.clone())
            .collect();
        assert_eq!(labels, [Label::Entity, Label::Quote]);
        assert_eq!(mapped.next_number(), d.next_number());
    }

    #[test]
    fn a_label_maps_to_one_target_at_a_time() {
        let person = label("PERSON");
        let mut map = LabelMap::new();
        map.insert(person.clone(), Label::Quote);
        map.insert(person.clone(), Label::Entity);
        assert_eq!(map.get(&person), Some(&Label::Entity));
        assert_eq!(map, LabelMap::from([(person.clone(), Label::Entity)]));
        map.remove(&person);
        assert_eq!(map.get(&person), None);
        assert!(map.is_empty());
    }

    #[test]
    fn an_empty_map_keeps_everything() {
        let d = document();
        assert_eq!(apply(&d, &LabelMap::new()), (d, 0));
    }

    #[test]
    fn suggestions_only_for_obvious_names() {
        assert_eq!(suggest(&label("Quotation")), Some(Label::Quote));
        assert_eq!(suggest(&label("ENTITY")), Some(Label::Entity));
        assert_eq!(suggest(&label("PERSON")), None);
        assert_eq!(suggest(&Label::Claim), None);
    }
}
