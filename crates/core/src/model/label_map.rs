//! Mapping the labels of an imported dataset (`PERSON`, `ORG`, `Quotation`, …) onto ours: each
//! foreign label becomes quote, entity or claim, or stays a custom label.

use super::annotation::Annotation;
use super::document::Document;
use super::label::Label;
use super::label_tally::tally;
use super::same_spans::merge_same_spans;

/// The entity attribute that says what kind of thing it names (the default schema's).
const KIND: &str = "kind";

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

    /// Every `(from, to)`, in the order they were first mapped.
    pub fn pairs(&self) -> &[(Label, Label)] {
        &self.0
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
/// the same name in another case (`Quote`, `ENTITY`), a common synonym, or a named-entity type
/// of spaCy, OntoNotes or CoNLL (`PERSON`, `ORG`, `GPE`, `LOC`, `MISC`, …), which is an entity.
/// `None` keeps it.
pub fn suggest(label: &Label) -> Option<Label> {
    let Label::Custom(custom) = label else {
        return None;
    };
    // Every synonym is ASCII, so ASCII case folding finds them all, without Unicode's case
    // tables in the bundle.
    match custom.as_str().to_ascii_lowercase().as_str() {
        "quote" | "quotation" | "quotes" | "direct_quote" | "direct quote" => Some(Label::Quote),
        "entity" | "entities" | "ent" | "speaker" => Some(Label::Entity),
        "claim" | "claims" | "check_worthy_claim" | "factual_claim" => Some(Label::Claim),
        _ => entity_kind(custom.as_str()).map(|_| Label::Entity),
    }
}

/// The value of the entity's `kind` attribute that a named-entity type stands for: mapped onto
/// entity, a `PERSON` and an `ORG` stay told apart.
pub fn entity_kind(name: &str) -> Option<&'static str> {
    match name.to_ascii_lowercase().as_str() {
        "person" | "per" | "people" => Some("person"),
        "org" | "organization" | "organisation" => Some("organisation"),
        "gpe" | "loc" | "location" | "fac" | "facility" | "place" => Some("place"),
        "norp" | "product" | "event" | "work_of_art" | "law" | "language" | "misc" => Some("other"),
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
/// (say `PERSON` and `entity` on one name, with `PERSON` mapped to entity) they are merged
/// ([`merge_same_spans`]: the first kept, filled in by the others, relations moved onto it). The
/// count of merged spans is returned so the user can be told. Relations and the article's note are kept. A
/// named-entity type mapped onto entity sets the span's `kind` ([`entity_kind`]) where it has
/// none, so the type is not lost.
pub fn apply(document: &Document, map: &LabelMap) -> (Document, usize) {
    if map.is_empty() {
        return (document.clone(), 0);
    }
    let annotations: Vec<Annotation> = document
        .annotations()
        .iter()
        .map(|a| {
            let label = map.get(&a.label).unwrap_or(&a.label).clone();
            let mut attributes = a.attributes.clone();
            let kind = (label == Label::Entity)
                .then(|| entity_kind(a.label.as_str()))
                .flatten()
                .filter(|_| attributes.get(KIND).is_none());
            if let Some(kind) = kind {
                // A known name and value: cannot be refused.
                let _ = attributes.set(KIND, Some(kind));
            }
            Annotation {
                label,
                attributes,
                ..(**a).clone()
            }
        })
        .collect();
    let merged = merge_same_spans(annotations, document.relations().to_vec());
    let shell = Document::new(
        document.id.clone(),
        document.title.clone(),
        document.text().clone(),
        document.created,
    );
    let next = document.next_number();
    // Every range and id comes from a valid document, duplicates were just merged and relation
    // ends moved onto kept spans, so this cannot fail; should it ever, keeping the labels as
    // they were loses nothing.
    match Document::from_parts(shell, merged.annotations, next)
        .and_then(|d| d.with_relations(merged.relations))
        .and_then(|d| d.with_note(document.note.as_deref()))
    {
        Ok(mut mapped) => {
            mapped.modified = document.modified;
            (mapped, merged.merged)
        }
        Err(_) => (document.clone(), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ArticleText, CharRange, DocumentId, Relation, RelationKind, Timestamp};

    #[test]
    fn mapping_keeps_relations_values_and_notes_and_moves_them_off_merged_spans() {
        let now = Timestamp::from_unix_millis(0);
        let text = ArticleText::normalize("Merkel said: “Wir schaffen das.”");
        let mut d = Document::new(DocumentId::new("d"), "t".into(), text, now);
        let name = CharRange::from_raw(0, 6).unwrap();
        let quote = CharRange::from_raw(13, 32).unwrap();
        let person = Label::parse_any("PERSON").unwrap();
        let entity = d.add(name, Label::Entity, now).unwrap();
        let merkel = d.add(name, person.clone(), now).unwrap();
        let said = d.add(quote, Label::Quote, now).unwrap();
        d.set_attribute(&merkel.id, "id", Some("Q567"), now)
            .unwrap();
        d.set_note(Some(&merkel.id), "the chancellor", now).unwrap();
        d.set_note(None, "article note", now).unwrap();
        let said_by = RelationKind::parse("said_by").unwrap();
        d.link(
            Relation::new(said_by.clone(), said.id.clone(), merkel.id.clone()),
            now,
        )
        .unwrap();
        d.link(
            Relation::new(
                RelationKind::parse("same_as").unwrap(),
                entity.id.clone(),
                merkel.id.clone(),
            ),
            now,
        )
        .unwrap();
        let mut map = LabelMap::default();
        map.insert(person, Label::Entity);
        let (mapped, dropped) = apply(&d, &map);
        assert_eq!(dropped, 1);
        mapped.check_invariants().unwrap();
        // The quote is now said by the one entity left on the name; the same-as link between
        // the two merged spans has nowhere to go.
        assert_eq!(
            mapped.relations(),
            [Relation::new(said_by, said.id.clone(), entity.id.clone())]
        );
        let kept = mapped.annotation(&entity.id).unwrap();
        assert_eq!(kept.attributes.get("id"), Some("Q567"));
        assert_eq!(kept.note.as_deref(), Some("the chancellor"));
        assert_eq!(mapped.note.as_deref(), Some("article note"));
    }

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
        assert_eq!(suggest(&label("PERSON")), Some(Label::Entity));
        assert_eq!(suggest(&label("ORG")), Some(Label::Entity));
        assert_eq!(suggest(&label("gpe")), Some(Label::Entity));
        assert_eq!(suggest(&label("MISC")), Some(Label::Entity));
        assert_eq!(suggest(&label("CARDINAL")), None);
        assert_eq!(suggest(&label("Source")), None);
        assert_eq!(suggest(&Label::Claim), None);
    }

    #[test]
    fn named_entity_types_mapped_onto_entity_keep_their_kind() {
        let now = Timestamp::from_unix_millis(0);
        let text = ArticleText::normalize("Merkel met Macron in Paris for Acme.");
        let mut d = Document::new(DocumentId::new("d"), "t".into(), text.clone(), now);
        let span = |needle: &str| {
            let start = text.as_str().find(needle).unwrap();
            CharRange::from_raw(start, start + needle.len()).unwrap()
        };
        for (needle, name) in [("Merkel", "PERSON"), ("Paris", "GPE"), ("Acme", "ORG")] {
            d.add(span(needle), label(name), now).unwrap();
        }
        // A kind the file already gave is kept.
        let macron = d.add(span("Macron"), label("PER"), now).unwrap();
        d.set_attribute(&macron.id, "kind", Some("politician"), now)
            .unwrap();
        let map: LabelMap = ["PERSON", "GPE", "ORG", "PER"]
            .map(|name| (label(name), Label::Entity))
            .into();
        let (mapped, dropped) = apply(&d, &map);
        assert_eq!(dropped, 0);
        let kinds: Vec<(&str, Option<&str>)> = mapped
            .annotations()
            .iter()
            .map(|a| (text.slice(a.range).unwrap(), a.attributes.get("kind")))
            .collect();
        assert_eq!(
            kinds,
            [
                ("Merkel", Some("person")),
                ("Macron", Some("politician")),
                ("Paris", Some("place")),
                ("Acme", Some("organisation")),
            ]
        );
        assert!(mapped
            .annotations()
            .iter()
            .all(|a| a.label == Label::Entity));
    }
}
