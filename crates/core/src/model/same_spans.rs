//! Annotations that share their range and label, merged into one: a document holds each
//! (range, label) once. They meet when labels are mapped on import (`PERSON` and `entity` on one
//! name, with `PERSON` mapped onto entity) and in files that hold several annotators' work on
//! one article. The first one is kept; the others' attribute values and notes fill in what it
//! lacks, their relations move onto it, and the annotators each had (the gold article's
//! `annotators` value) are all kept: when the spans were made by different annotators, the kept
//! one's `annotators` names every one of them (it keeps its own `made_by`).

use std::collections::HashMap;

use super::annotation::{Annotation, AnnotationId};
use super::label::Label;
use super::offsets::CharRange;
use super::relation::Relation;

/// The attribute that names who had a span (see `crate::agreement::adjudication`): merged by
/// union rather than by keeping the first value.
pub const ANNOTATORS: &str = "annotators";

/// The annotations and relations after merging, and how many annotations were merged away.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    pub annotations: Vec<Annotation>,
    pub relations: Vec<Relation>,
    pub merged: usize,
}

/// Merges every annotation into the first one of its range and label (see the module docs).
/// Relations end up sorted, each once; a relation between two merged annotations has nowhere
/// to go and is dropped.
pub fn merge_same_spans(annotations: Vec<Annotation>, relations: Vec<Relation>) -> Merged {
    let mut kept_at: HashMap<(CharRange, Label), usize> = HashMap::new();
    // A merged annotation's id -> the id of the one kept in its place.
    let mut moved: HashMap<AnnotationId, AnnotationId> = HashMap::new();
    let mut kept: Vec<Annotation> = Vec::with_capacity(annotations.len());
    for annotation in annotations {
        match kept_at.get(&(annotation.range, annotation.label.clone())) {
            Some(&at) => {
                let into = &mut kept[at];
                // Different makers of one span: each is named, as the gold article names them.
                if annotation.authors.made_by != into.authors.made_by {
                    let had = annotators_of(into);
                    let names = union(&had, &annotators_of(&annotation));
                    if names != had {
                        // A union of valid names: cannot be refused.
                        let _ = into.attributes.set(ANNOTATORS, Some(&names));
                    }
                }
                for (name, value) in annotation.attributes.iter() {
                    let merged = match into.attributes.get(name) {
                        None => Some(value.to_owned()),
                        Some(mine) if name == ANNOTATORS => Some(union(mine, value)),
                        Some(_) => None,
                    };
                    if let Some(merged) = merged {
                        // Valid already, or a union of valid names: cannot be refused.
                        let _ = into.attributes.set(name, Some(&merged));
                    }
                }
                if into.note.is_none() {
                    into.note = annotation.note.clone();
                }
                moved.insert(annotation.id, into.id.clone());
            }
            None => {
                kept_at.insert((annotation.range, annotation.label.clone()), kept.len());
                kept.push(annotation);
            }
        }
    }
    let end = |id: &AnnotationId| moved.get(id).unwrap_or(id).clone();
    let mut relations: Vec<Relation> = relations
        .iter()
        // A link between two spans merged into one has nowhere to go; a link of a span to
        // itself that the input had is left for the document to refuse.
        .filter(|r| r.from == r.to || end(&r.from) != end(&r.to))
        .map(|r| Relation::new(r.kind.clone(), end(&r.from), end(&r.to)))
        .collect();
    relations.sort();
    relations.dedup();
    Merged {
        annotations: kept,
        relations,
        merged: moved.len(),
    }
}

/// Who had a span: its `annotators` value, or else whoever made it (or nobody: "").
fn annotators_of(annotation: &Annotation) -> String {
    match annotation.attributes.get(ANNOTATORS) {
        Some(names) => names.to_owned(),
        None => annotation
            .authors
            .made_by
            .as_ref()
            .map_or_else(String::new, |name| name.as_str().to_owned()),
    }
}

/// "ann, bob" and "bob, cy" make "ann, bob, cy".
fn union(mine: &str, theirs: &str) -> String {
    let mut names: Vec<&str> = Vec::new();
    for name in mine.split(',').chain(theirs.split(',')).map(str::trim) {
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attributes, RelationKind};

    fn annotation(
        id: &str,
        start: usize,
        end: usize,
        label: Label,
        pairs: &[(&str, &str)],
    ) -> Annotation {
        Annotation {
            attributes: Attributes::from_pairs(pairs.iter().copied()).unwrap(),
            ..Annotation::new(
                AnnotationId::new(id),
                label,
                CharRange::from_raw(start, end).unwrap(),
            )
        }
    }

    #[test]
    fn the_first_is_kept_and_the_others_fill_it_in() {
        let said = RelationKind::parse("said_by").unwrap();
        let merged = merge_same_spans(
            vec![
                annotation("a1", 0, 5, Label::Quote, &[("annotators", "ann")]),
                annotation("a2", 6, 9, Label::Entity, &[]),
                annotation(
                    "a3",
                    0,
                    5,
                    Label::Quote,
                    &[("annotators", "bob, ann"), ("type", "direct")],
                ),
                annotation("a4", 6, 9, Label::Entity, &[]),
            ],
            vec![
                Relation::new(
                    said.clone(),
                    AnnotationId::new("a3"),
                    AnnotationId::new("a4"),
                ),
                Relation::new(
                    said.clone(),
                    AnnotationId::new("a1"),
                    AnnotationId::new("a2"),
                ),
            ],
        );
        assert_eq!(merged.merged, 2);
        assert_eq!(merged.annotations.len(), 2);
        let quote = &merged.annotations[0];
        assert_eq!(quote.attributes.get("annotators"), Some("ann, bob"));
        assert_eq!(quote.attributes.get("type"), Some("direct"));
        // Both relations now join a1 and a2: kept once.
        assert_eq!(
            merged.relations,
            vec![Relation::new(
                said,
                AnnotationId::new("a1"),
                AnnotationId::new("a2")
            )]
        );
    }

    #[test]
    fn a_link_between_merged_spans_is_dropped() {
        let same = RelationKind::parse("same_as").unwrap();
        let merged = merge_same_spans(
            vec![
                annotation("a1", 0, 5, Label::Entity, &[]),
                annotation("a2", 0, 5, Label::Entity, &[]),
            ],
            vec![Relation::new(
                same,
                AnnotationId::new("a1"),
                AnnotationId::new("a2"),
            )],
        );
        assert_eq!((merged.merged, merged.relations.len()), (1, 0));
    }
}
