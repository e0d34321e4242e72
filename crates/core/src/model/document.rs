//! [`Document`]: one article and its annotations, with every invariant checked on the way in.

use std::fmt;
use std::rc::Rc;

use super::annotation::{Annotation, AnnotationId};
use super::attributes::{self, InvalidDetail};
use super::label::Label;
use super::offsets::CharRange;
use super::orphan::Orphan;
use super::relation::{Relation, RelationKind};
use super::text::ArticleText;
use super::timestamp::Timestamp;

/// A library-unique document id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocumentId(Rc<str>);

impl DocumentId {
    pub fn new(id: &str) -> Self {
        Self(Rc::from(id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why an annotation cannot be added to a document.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("annotation {id}: an annotation needs at least one character")]
    EmptySpan { id: String },
    #[error(
        "annotation {id}: span {start}..{end} reaches past the end of the text ({len} characters)"
    )]
    PastEnd {
        id: String,
        start: usize,
        end: usize,
        len: usize,
    },
    #[error("annotation id {id} is used twice")]
    DuplicateId { id: String },
    #[error("that span is already tagged {label}")]
    AlreadyTagged { label: Label },
    /// `relation` reads "a1 said_by a2".
    #[error("relation {relation}: annotation {missing} does not exist")]
    MissingEnd { relation: String, missing: String },
    #[error("relation {relation}: an annotation cannot be linked to itself")]
    SelfLink { relation: String },
    #[error("{relation} is there already")]
    AlreadyLinked { relation: String },
    #[error("annotation {id}: {source}")]
    Detail { id: String, source: InvalidDetail },
    #[error("the article note: {0}")]
    DocumentNote(InvalidDetail),
}

/// An annotation taken out of a document with the relations that went with it, so that undo
/// (and a merge that revives it) can put both back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removed {
    pub annotation: Annotation,
    pub relations: Vec<Relation>,
}

/// Ids from hand-edited files can carry absurd numbers; following one to the end of u64 would
/// leave no fresh ids. Such ids are kept as they are and simply not continued.
const LARGEST_CONTINUED_NUMBER: u64 = 1 << 53;

/// An article: its normalised text and the annotations on it, kept in text order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub id: DocumentId,
    pub title: String,
    text: ArticleText,
    pub created: Timestamp,
    pub modified: Timestamp,
    /// Free text about the whole article.
    pub note: Option<Rc<str>>,
    // Invariant: sorted by `Annotation::text_order_key`, ids unique, every range non-empty and
    // inside the text, no two annotations with the same range and label.
    // Both lists are shared until changed (`Rc::make_mut`): an edit copies the document, and the
    // copy then copies only the list the edit changes.
    // Each annotation behind its own `Rc`, like the relations: copying the list for an edit
    // copies a pointer per annotation, and the edited one alone is copied whole.
    annotations: Rc<Vec<Rc<Annotation>>>,
    // Invariant: sorted (by `Relation`'s order), no duplicates, both ends in `annotations`, never
    // from an annotation to itself.
    // Each relation behind its own `Rc`: an edit that copies the list (a delete, a link) then
    // copies one pointer per relation, not two ids and a type.
    relations: Rc<Vec<Rc<Relation>>>,
    // Invariant: every position of `relations` once, ordered by its relation's target (`to`),
    // then by position. With `relations` sorted by source, it finds an annotation's relations by
    // binary search, not by a walk over all of them (which every view of the selected
    // annotation did, on every edit). Positions, not copies: copying it for an edit copies
    // numbers, not 5,000 relations.
    relations_by_target: Rc<Vec<usize>>,
    // Annotations a fix of the text took off it. Invariant: sorted by id, ids unique among them
    // (an order that does not depend on when, so undo puts one back exactly where it was).
    orphans: Rc<Vec<Rc<Orphan>>>,
    // Invariant: greater than the number of every `aN` id in `annotations` and `orphans`.
    next_number: u64,
}

impl Document {
    /// A new document with no annotations.
    pub fn new(id: DocumentId, title: String, text: ArticleText, now: Timestamp) -> Self {
        Self {
            id,
            title,
            text,
            created: now,
            modified: now,
            note: None,
            annotations: Rc::default(),
            relations: Rc::default(),
            relations_by_target: Rc::default(),
            orphans: Rc::default(),
            next_number: 1,
        }
    }

    /// Rebuilds a document from stored or imported parts, checking every invariant.
    ///
    /// # Errors
    /// The first [`DocumentError`] found among the annotations.
    pub fn from_parts(
        mut document: Document,
        annotations: Vec<Annotation>,
        next_number: u64,
    ) -> Result<Self, DocumentError> {
        document.next_number = document.next_number.max(next_number);
        // Checked in bulk, O(n log n): inserting one by one checks every earlier annotation
        // each time, which made loading 10,000 annotations take half a second.
        let len = document.text.char_len();
        let mut ids = std::collections::HashSet::with_capacity(annotations.len());
        for annotation in &annotations {
            let id = annotation.id.as_str().to_owned();
            let range = annotation.range;
            if range.is_empty() {
                return Err(DocumentError::EmptySpan { id });
            }
            if range.end().get() > len {
                return Err(DocumentError::PastEnd {
                    id,
                    start: range.start().get(),
                    end: range.end().get(),
                    len,
                });
            }
            if let Err(source) = check_details(annotation) {
                return Err(DocumentError::Detail { id, source });
            }
            if !ids.insert(annotation.id.clone()) {
                return Err(DocumentError::DuplicateId { id });
            }
        }
        let mut annotations = annotations;
        annotations.sort_by(|a, b| a.text_order_key().cmp(&b.text_order_key()));
        let mut by_span: Vec<&Annotation> = annotations.iter().collect();
        by_span.sort_by(|a, b| (a.range, &a.label).cmp(&(b.range, &b.label)));
        if let Some(pair) = by_span
            .windows(2)
            .find(|w| w[0].range == w[1].range && w[0].label == w[1].label)
        {
            return Err(DocumentError::AlreadyTagged {
                label: pair[1].label.clone(),
            });
        }
        for annotation in &annotations {
            if let Some(number) = annotation
                .id
                .number()
                .filter(|&n| n < LARGEST_CONTINUED_NUMBER)
            {
                document.next_number = document.next_number.max(number + 1);
            }
        }
        document.annotations = Rc::new(annotations.into_iter().map(Rc::new).collect());
        Ok(document)
    }

    /// Adds relations to a document just built by [`Document::from_parts`], checking each one.
    /// A relation given twice is kept once.
    ///
    /// # Errors
    /// The first [`DocumentError`] among them: a missing end or a self-link.
    pub fn with_relations(mut self, relations: Vec<Relation>) -> Result<Self, DocumentError> {
        let ids: std::collections::HashSet<&AnnotationId> =
            self.annotations.iter().map(|a| &a.id).collect();
        for relation in &relations {
            check_ends(relation, |id| ids.contains(id))?;
        }
        let mut relations = relations;
        relations.sort();
        relations.dedup();
        self.replace_relations(relations);
        Ok(self)
    }

    /// Sets the article's note on a document being built.
    ///
    /// # Errors
    /// [`DocumentError::DocumentNote`] for a note that is too long.
    pub fn with_note(mut self, note: Option<&str>) -> Result<Self, DocumentError> {
        let note = note.unwrap_or_default();
        attributes::check_note(note).map_err(DocumentError::DocumentNote)?;
        self.note = attributes::note_of(note);
        Ok(self)
    }

    /// Adds orphans to a document being built (from storage).
    ///
    /// # Errors
    /// [`DocumentError::DuplicateId`] when two orphans share an id.
    pub fn with_orphans(mut self, orphans: Vec<Orphan>) -> Result<Self, DocumentError> {
        let mut ids = std::collections::HashSet::with_capacity(orphans.len());
        for orphan in &orphans {
            if !ids.insert(orphan.id().clone()) {
                return Err(DocumentError::DuplicateId {
                    id: orphan.id().to_string(),
                });
            }
        }
        self.set_orphans(orphans);
        Ok(self)
    }

    /// Replaces the orphans; of two with one id, the first is kept.
    pub(crate) fn set_orphans(&mut self, orphans: Vec<Orphan>) {
        let mut ids = std::collections::HashSet::with_capacity(orphans.len());
        let mut kept = Vec::with_capacity(orphans.len());
        for orphan in orphans {
            if ids.insert(orphan.id().clone()) {
                self.continue_after(orphan.id());
                kept.push(Rc::new(orphan));
            }
        }
        kept.sort_by(|a, b| a.id().cmp(b.id()));
        self.orphans = Rc::new(kept);
    }

    /// The annotations a fix of the text took off it, for the user to place or delete.
    pub fn orphans(&self) -> &[Rc<Orphan>] {
        &self.orphans
    }

    pub fn orphan(&self, id: &AnnotationId) -> Option<&Rc<Orphan>> {
        self.orphans.iter().find(|o| o.id() == id)
    }

    /// Takes an orphan out of the list (to place or delete it).
    pub(crate) fn take_orphan(&mut self, id: &AnnotationId) -> Option<Rc<Orphan>> {
        let at = self.orphans.iter().position(|o| o.id() == id)?;
        Some(Rc::make_mut(&mut self.orphans).remove(at))
    }

    /// Keeps the next id number above `id`'s.
    fn continue_after(&mut self, id: &AnnotationId) {
        if let Some(number) = id.number().filter(|&n| n < LARGEST_CONTINUED_NUMBER) {
            self.next_number = self.next_number.max(number + 1);
        }
    }

    /// Whether `other` has this document's text, annotations, relations and orphans (what a
    /// fix of the text changes): by pointer first, so an unchanged document answers at once.
    pub(crate) fn same_body(&self, other: &Document) -> bool {
        self.text == other.text
            && self.annotations == other.annotations
            && self.relations == other.relations
            && self.orphans == other.orphans
    }

    /// Takes `other`'s text, annotations, relations and orphans (a fix of the text, or its
    /// undo), keeping this document's id, title, note and times.
    pub(crate) fn take_body(&mut self, other: &Document, now: Timestamp) {
        self.text = other.text.clone();
        self.annotations = Rc::clone(&other.annotations);
        self.relations = Rc::clone(&other.relations);
        self.relations_by_target = Rc::clone(&other.relations_by_target);
        self.orphans = Rc::clone(&other.orphans);
        self.next_number = self.next_number.max(other.next_number);
        self.modified = now;
    }

    /// This document on `text`, with `annotations` (in text order, checked by the caller to fit
    /// it), `relations` (between them) and `orphans`: what a fix of the text makes.
    pub(crate) fn rebuilt(
        &self,
        text: ArticleText,
        annotations: Vec<Rc<Annotation>>,
        relations: Option<Vec<Relation>>,
        orphans: Vec<Rc<Orphan>>,
        now: Timestamp,
    ) -> Document {
        let mut document = self.clone();
        document.text = text;
        document.annotations = Rc::new(annotations);
        if let Some(relations) = relations {
            document.replace_relations(relations);
        }
        document.orphans = Rc::new(orphans);
        document.modified = now;
        document
    }

    pub fn text(&self) -> &ArticleText {
        &self.text
    }

    /// All relations, in their order (by `from` id, `to` id, kind).
    pub fn relations(&self) -> Relations<'_> {
        Relations(&self.relations)
    }

    /// Where `relation` is in [`Document::relations`], or where it would go.
    fn find_relation(&self, relation: &Relation) -> Result<usize, usize> {
        // The same search as `Relations::contains`, with the position.
        self.relations.binary_search_by(|r| (**r).cmp(relation))
    }

    /// The relations that start or end at `id`, in their order (as in [`Document::relations`]).
    pub fn relations_of<'a>(
        &'a self,
        id: &'a AnnotationId,
    ) -> impl Iterator<Item = &'a Relation> + 'a {
        let from = self.relations.partition_point(|r| &r.from < id);
        let outgoing = self.relations.get(from..).unwrap_or_default();
        let relations = &self.relations;
        let target_of = |&at: &usize| relations.get(at).map(|r| &r.to);
        let to = self
            .relations_by_target
            .partition_point(|at| target_of(at).is_some_and(|to| to < id));
        let incoming = self.relations_by_target.get(to..).unwrap_or_default();
        let mut found: Vec<&Relation> = outgoing
            .iter()
            .take_while(|r| &r.from == id)
            .chain(
                incoming
                    .iter()
                    .map_while(|&at| relations.get(at).filter(|r| &r.to == id)),
            )
            .map(|r| &**r)
            .collect();
        found.sort();
        found.into_iter()
    }

    /// Adds a relation known to be missing from both lists.
    fn insert_relation(&mut self, at: usize, relation: Relation) {
        let relations = Rc::make_mut(&mut self.relations);
        relations.insert(at, Rc::new(relation));
        let by_target = Rc::make_mut(&mut self.relations_by_target);
        for position in by_target.iter_mut() {
            if *position >= at {
                *position += 1;
            }
        }
        let Some(new) = relations.get(at) else {
            return;
        };
        let target_at = by_target
            .partition_point(|&i| relations.get(i).is_some_and(|r| (&r.to, i) < (&new.to, at)));
        by_target.insert(target_at, at);
    }

    /// Adds relations missing from both lists (`added`: sorted, each once), in one pass over
    /// each list however many there are: undoing a deletion brings all of its relations back,
    /// and inserting them one by one moved the 5,000 that follow once for each.
    fn insert_relations(&mut self, added: &[Relation]) {
        if added.is_empty() {
            return;
        }
        let old = &self.relations;
        let mut merged = Vec::with_capacity(old.len() + added.len());
        // Where each old relation lands, and where each added one does.
        let mut moved = Vec::with_capacity(old.len());
        let mut placed = Vec::with_capacity(added.len());
        let mut next = added.iter().peekable();
        for relation in old.iter() {
            while let Some(new) = next.next_if(|new| *new < &**relation) {
                placed.push(merged.len());
                merged.push(Rc::new(new.clone()));
            }
            moved.push(merged.len());
            merged.push(Rc::clone(relation));
        }
        for new in next {
            placed.push(merged.len());
            merged.push(Rc::new(new.clone()));
        }
        let by_target = Rc::make_mut(&mut self.relations_by_target);
        for p in by_target.iter_mut() {
            *p = moved.get(*p).copied().unwrap_or(*p);
        }
        for at in placed {
            let Some(new) = merged.get(at) else {
                continue;
            };
            let target_at = by_target
                .partition_point(|&i| merged.get(i).is_some_and(|r| (&r.to, i) < (&new.to, at)));
            by_target.insert(target_at, at);
        }
        self.relations = Rc::new(merged);
    }

    /// Takes a relation out of both lists; false when it was not there.
    fn remove_relation(&mut self, relation: &Relation) -> bool {
        let Ok(at) = self.find_relation(relation) else {
            return false;
        };
        self.remove_relations_at(&[at]);
        true
    }

    /// Takes the relations at these positions (ascending, each once) out of both lists, in one
    /// pass over each however many there are: deleting an annotation takes all of its
    /// relations, and a pass per relation walked the 5,000 positions again for each one.
    fn remove_relations_at(&mut self, gone: &[usize]) {
        if gone.is_empty() {
            return;
        }
        // A new list of the relations kept (the old one is shared with the document before the
        // edit): the gone ones are not copied only to be dropped.
        let kept: Vec<Rc<Relation>> = self
            .relations
            .iter()
            .enumerate()
            .filter(|(position, _)| gone.binary_search(position).is_err())
            .map(|(_, relation)| Rc::clone(relation))
            .collect();
        self.relations = Rc::new(kept);
        let by_target = Rc::make_mut(&mut self.relations_by_target);
        by_target.retain(|p| gone.binary_search(p).is_err());
        for p in by_target.iter_mut() {
            // Moves down by the number of removed positions before it.
            *p -= gone.partition_point(|g| g < p);
        }
    }

    /// Sets all relations, already sorted and without duplicates.
    fn replace_relations(&mut self, relations: Vec<Relation>) {
        let relations: Vec<Rc<Relation>> = relations.into_iter().map(Rc::new).collect();
        self.relations_by_target = Rc::new(target_order(&relations));
        self.relations = Rc::new(relations);
    }

    /// Links two annotations.
    ///
    /// # Errors
    /// [`DocumentError::MissingEnd`], [`DocumentError::SelfLink`] or
    /// [`DocumentError::AlreadyLinked`]; nothing changes then.
    pub fn link(&mut self, relation: Relation, now: Timestamp) -> Result<(), DocumentError> {
        check_ends(&relation, |id| self.annotation(id).is_some())?;
        match self.find_relation(&relation) {
            Ok(_) => Err(DocumentError::AlreadyLinked {
                relation: relation.to_string(),
            }),
            Err(at) => {
                self.insert_relation(at, relation);
                self.modified = now;
                Ok(())
            }
        }
    }

    /// Removes a relation; false when there was no such relation.
    pub fn unlink(&mut self, relation: &Relation, now: Timestamp) -> bool {
        let removed = self.remove_relation(relation);
        if removed {
            self.modified = now;
        }
        removed
    }

    /// Sets (`Some`) or clears (`None`) an attribute value of an annotation. Returns the value it
    /// replaced, or `Ok(None)` with nothing changed when the annotation does not exist (see
    /// [`Document::annotation`] to tell the two apart).
    ///
    /// # Errors
    /// [`DocumentError::Detail`] for an unusable name or value.
    pub fn set_attribute(
        &mut self,
        id: &AnnotationId,
        name: &str,
        value: Option<&str>,
        now: Timestamp,
    ) -> Result<Option<Rc<str>>, DocumentError> {
        let Some(at) = self.annotations.iter().position(|a| &a.id == id) else {
            return Ok(None);
        };
        let annotation = Rc::make_mut(&mut self.annotations)
            .get_mut(at)
            .map(Rc::make_mut);
        let Some(annotation) = annotation else {
            return Ok(None);
        };
        let old =
            annotation
                .attributes
                .set(name, value)
                .map_err(|source| DocumentError::Detail {
                    id: id.to_string(),
                    source,
                })?;
        self.modified = now;
        Ok(old)
    }

    /// Sets the note of an annotation (`Some(id)`) or of the article (`None`); a blank note
    /// clears it. Returns the note it replaced.
    ///
    /// # Errors
    /// [`DocumentError::Detail`] / [`DocumentError::DocumentNote`] for a note that is too long.
    pub fn set_note(
        &mut self,
        id: Option<&AnnotationId>,
        note: &str,
        now: Timestamp,
    ) -> Result<Option<Rc<str>>, DocumentError> {
        let slot = match id {
            None => {
                attributes::check_note(note).map_err(DocumentError::DocumentNote)?;
                &mut self.note
            }
            Some(id) => {
                attributes::check_note(note).map_err(|source| DocumentError::Detail {
                    id: id.to_string(),
                    source,
                })?;
                let Some(at) = self.annotations.iter().position(|a| &a.id == id) else {
                    return Ok(None);
                };
                let Some(annotation) = Rc::make_mut(&mut self.annotations).get_mut(at) else {
                    return Ok(None);
                };
                &mut Rc::make_mut(annotation).note
            }
        };
        let old = std::mem::replace(slot, attributes::note_of(note));
        self.modified = now;
        Ok(old)
    }

    /// All annotations, in text order (start, then outer before inner).
    pub fn annotations(&self) -> &[Rc<Annotation>] {
        &self.annotations
    }

    /// Whether `other` holds the same article: the same title, note, text, spans (range and
    /// label, with their attribute values and notes) and relations between those spans, whatever
    /// the annotations' ids and the documents' times. How an import tells "identical" from
    /// "changed" when the file's format keeps no ids or times.
    pub fn same_content(&self, other: &Document) -> bool {
        // Both lists are in text order, which orders spans of one range by id: compare range by
        // range, and the spans of each range as a set (a range holds each label once).
        let (ours, theirs) = (&self.annotations, &other.annotations);
        self.title == other.title
            && self.note == other.note
            && self.text == other.text
            && ours.len() == theirs.len()
            && self.relations.len() == other.relations.len()
            && ours
                .chunk_by(|a, b| a.range == b.range)
                .zip(theirs.chunk_by(|a, b| a.range == b.range))
                .all(|(ours, theirs)| {
                    ours.len() == theirs.len()
                        && ours.first().map(|a| a.range) == theirs.first().map(|b| b.range)
                        && ours.iter().all(|a| {
                            theirs.iter().any(|b| {
                                a.label == b.label
                                    && a.attributes == b.attributes
                                    && a.note == b.note
                            })
                        })
                })
            && self.relations_by_span() == other.relations_by_span()
            && self.orphans.len() == other.orphans.len()
            && self.orphans.iter().zip(other.orphans.iter()).all(|(a, b)| {
                a.quote == b.quote && a.removed.annotation.label == b.removed.annotation.label
            })
    }

    /// The relations with each end named by its span (range and label, which is unique within a
    /// document), sorted: what [`Document::same_content`] compares.
    fn relations_by_span(&self) -> Vec<(SpanKey<'_>, SpanKey<'_>, &RelationKind)> {
        let spans: std::collections::HashMap<&AnnotationId, (CharRange, &Label)> = self
            .annotations
            .iter()
            .map(|a| (&a.id, (a.range, &a.label)))
            .collect();
        let mut relations: Vec<_> = self
            .relations
            .iter()
            .filter_map(|r| Some((*spans.get(&r.from)?, *spans.get(&r.to)?, &r.kind)))
            .collect();
        relations.sort();
        relations
    }

    pub fn annotation(&self, id: &AnnotationId) -> Option<&Annotation> {
        self.annotations.iter().find(|a| &a.id == id).map(|a| &**a)
    }

    /// The annotations with these ids, in the order of `ids` (`None` where there is none). One
    /// walk over the annotations however many ids (the other ends of an annotation's
    /// relations), where [`Document::annotation`] walks them once per id.
    pub fn annotations_with_ids(&self, ids: &[&AnnotationId]) -> Vec<Option<&Annotation>> {
        let mut found = vec![None; ids.len()];
        let mut missing = ids.len();
        for annotation in self.annotations.iter() {
            if missing == 0 {
                break;
            }
            for (slot, id) in found.iter_mut().zip(ids) {
                if slot.is_none() && annotation.id == **id {
                    *slot = Some(&**annotation);
                    missing -= 1;
                }
            }
        }
        found
    }

    /// The number the next new annotation id will carry.
    pub fn next_number(&self) -> u64 {
        self.next_number
    }

    fn check_insertable(&self, annotation: &Annotation) -> Result<(), DocumentError> {
        let id = annotation.id.as_str().to_owned();
        let range = annotation.range;
        if range.is_empty() {
            return Err(DocumentError::EmptySpan { id });
        }
        if range.end().get() > self.text.char_len() {
            return Err(DocumentError::PastEnd {
                id,
                start: range.start().get(),
                end: range.end().get(),
                len: self.text.char_len(),
            });
        }
        if self.annotation(&annotation.id).is_some() {
            return Err(DocumentError::DuplicateId { id });
        }
        if self
            .annotations
            .iter()
            .any(|a| a.range == range && a.label == annotation.label)
        {
            return Err(DocumentError::AlreadyTagged {
                label: annotation.label.clone(),
            });
        }
        Ok(())
    }

    /// Inserts at the sorted position. Callers have checked the annotation.
    fn place(&mut self, annotation: Annotation) {
        self.continue_after(&annotation.id);
        let key = annotation.text_order_key();
        let at = self
            .annotations
            .partition_point(|a| a.text_order_key() < key);
        Rc::make_mut(&mut self.annotations).insert(at, Rc::new(annotation));
    }

    /// Tags `range` with `label` under a fresh id.
    ///
    /// # Errors
    /// [`DocumentError`] when the range is empty, past the end, or already has this label.
    pub fn add(
        &mut self,
        range: CharRange,
        label: Label,
        now: Timestamp,
    ) -> Result<Annotation, DocumentError> {
        let annotation = Annotation::new(AnnotationId::numbered(self.next_number), label, range);
        self.insert(annotation.clone(), now)?;
        Ok(annotation)
    }

    /// [`Document::add`] under an id that also carries `tag` (`a5.k3x9q`). In a shared article
    /// several people add annotations at once, each on their own copy: a tag of their own
    /// (`team::session_tag`) keeps their ids apart without asking anyone, where plain
    /// numbers would collide and one record would overwrite the other.
    ///
    /// # Errors
    /// As [`Document::add`].
    pub fn add_tagged(
        &mut self,
        range: CharRange,
        label: Label,
        now: Timestamp,
        tag: &str,
    ) -> Result<Annotation, DocumentError> {
        let id = AnnotationId::new(&format!("a{}.{tag}", self.next_number));
        let annotation = Annotation::new(id, label, range);
        self.insert(annotation.clone(), now)?;
        // Tagged ids are not read back as numbers, so the count moves on here.
        self.next_number += 1;
        Ok(annotation)
    }

    /// Inserts a whole annotation (used by undo/redo to bring one back with its id).
    ///
    /// # Errors
    /// [`DocumentError`] when it breaks an invariant.
    pub fn insert(&mut self, annotation: Annotation, now: Timestamp) -> Result<(), DocumentError> {
        self.check_insertable(&annotation)?;
        check_details(&annotation).map_err(|source| DocumentError::Detail {
            id: annotation.id.to_string(),
            source,
        })?;
        self.place(annotation);
        self.modified = now;
        Ok(())
    }

    /// Removes an annotation and every relation that touches it, returning both.
    pub fn remove(&mut self, id: &AnnotationId, now: Timestamp) -> Option<Removed> {
        let at = self.annotations.iter().position(|a| &a.id == id)?;
        self.modified = now;
        let annotation = Rc::unwrap_or_clone(Rc::make_mut(&mut self.annotations).remove(at));
        let relations: Vec<Relation> = self.relations_of(id).cloned().collect();
        // Without relations the shared lists stay as they are, uncopied.
        let mut gone: Vec<usize> = relations
            .iter()
            .filter_map(|r| self.find_relation(r).ok())
            .collect();
        gone.sort_unstable();
        self.remove_relations_at(&gone);
        Some(Removed {
            annotation,
            relations,
        })
    }

    /// Puts back what [`Document::remove`] took out: the annotation, then its relations.
    ///
    /// # Errors
    /// [`DocumentError`] when the annotation no longer fits, or one of its relations' other end
    /// is gone; nothing changes then.
    pub fn restore(&mut self, removed: &Removed, now: Timestamp) -> Result<(), DocumentError> {
        let annotation = &removed.annotation;
        let ends: Vec<&AnnotationId> = removed
            .relations
            .iter()
            .flat_map(|r| [&r.from, &r.to])
            .filter(|id| *id != &annotation.id)
            .collect();
        let found = self.annotations_with_ids(&ends);
        let exists: Vec<&AnnotationId> = ends
            .iter()
            .zip(&found)
            .filter(|(_, a)| a.is_some())
            .map(|(id, _)| *id)
            .collect();
        let fits = |id: &AnnotationId| &annotation.id == id || exists.contains(&id);
        for relation in &removed.relations {
            check_ends(relation, fits)?;
        }
        self.insert(annotation.clone(), now)?;
        let mut missing: Vec<Relation> = removed
            .relations
            .iter()
            .filter(|r| self.find_relation(r).is_err())
            .cloned()
            .collect();
        missing.sort();
        missing.dedup();
        self.insert_relations(&missing);
        Ok(())
    }

    /// Changes an annotation's label, returning the old one.
    ///
    /// # Errors
    /// [`DocumentError::AlreadyTagged`] when the same span already carries `label` in another
    /// annotation (two identical annotations would be indistinguishable in a dataset).
    pub fn relabel(
        &mut self,
        id: &AnnotationId,
        label: Label,
        now: Timestamp,
    ) -> Result<Option<Label>, DocumentError> {
        let Some(at) = self.annotations.iter().position(|a| &a.id == id) else {
            return Ok(None);
        };
        let range = self.annotations[at].range;
        let old = self.annotations[at].label.clone();
        if old == label {
            return Ok(Some(old));
        }
        if self
            .annotations
            .iter()
            .any(|a| a.range == range && a.label == label)
        {
            return Err(DocumentError::AlreadyTagged { label });
        }
        if let Some(annotation) = Rc::make_mut(&mut self.annotations).get_mut(at) {
            Rc::make_mut(annotation).label = label;
        }
        self.modified = now;
        Ok(Some(old))
    }

    /// Sets who made and who last changed an annotation (provenance only: no invariant rests on
    /// it, and the modification time is the edit's). Returns whether the annotation exists.
    pub(crate) fn set_authors(
        &mut self,
        id: &AnnotationId,
        authors: impl FnOnce(&mut super::annotator::Authors),
    ) -> bool {
        let Some(at) = self.annotations.iter().position(|a| &a.id == id) else {
            return false;
        };
        if let Some(annotation) = Rc::make_mut(&mut self.annotations).get_mut(at) {
            authors(&mut Rc::make_mut(annotation).authors);
        }
        true
    }

    /// Changes annotations in place where `change` says it did (it must not touch ids, ranges
    /// or labels: those carry the invariants). For schema renames of attributes and values.
    pub(crate) fn edit_annotations(
        &mut self,
        now: Timestamp,
        mut change: impl FnMut(&mut Annotation) -> bool,
        done: &mut super::schema_edit::Renamed,
    ) {
        for annotation in Rc::make_mut(&mut self.annotations).iter_mut() {
            let mut changed = (**annotation).clone();
            if change(&mut changed) {
                *annotation = Rc::new(changed);
                done.changed += 1;
            }
        }
        if done.changed > 0 {
            self.modified = now;
        }
    }

    /// Replaces all relations (a merge's result), leaving out and returning those whose ends are
    /// missing or the same.
    pub(crate) fn set_relations(
        &mut self,
        relations: Vec<Relation>,
        now: Timestamp,
    ) -> Vec<Relation> {
        let ids: std::collections::HashSet<&AnnotationId> =
            self.annotations.iter().map(|a| &a.id).collect();
        let (mut kept, dropped): (Vec<_>, Vec<_>) = relations
            .into_iter()
            .partition(|r| check_ends(r, |id| ids.contains(id)).is_ok());
        kept.sort();
        kept.dedup();
        if !kept.iter().eq(self.relations.iter().map(|r| &**r)) {
            self.replace_relations(kept);
            self.modified = now;
        }
        dropped
    }

    /// Gives every relation of type `from` the type `to` (a schema rename); returns how many.
    pub(crate) fn rename_relations(
        &mut self,
        from: &RelationKind,
        to: &RelationKind,
        now: Timestamp,
    ) -> usize {
        if !self.relations.iter().any(|r| &r.kind == from) {
            return 0;
        }
        let mut relations: Vec<Relation> = self.relations.iter().map(|r| (**r).clone()).collect();
        let mut changed = 0;
        for relation in &mut relations {
            if &relation.kind == from {
                relation.kind = to.clone();
                changed += 1;
            }
        }
        relations.sort();
        relations.dedup();
        self.replace_relations(relations);
        self.modified = now;
        changed
    }

    /// Count of annotations per label: the built-in labels first in [`Label::ALL`] order (also
    /// when zero), then each custom label in use, by name.
    pub fn counts(&self) -> Vec<(Label, usize)> {
        let mut builtin = [0usize; 3];
        for a in self.annotations.iter() {
            match a.label {
                Label::Quote => builtin[0] += 1,
                Label::Entity => builtin[1] += 1,
                Label::Claim => builtin[2] += 1,
                Label::Custom(_) => {}
            }
        }
        let custom = super::label_tally::tally(
            self.annotations
                .iter()
                .map(|a| &a.label)
                .filter(|label| !label.is_builtin()),
        );
        Label::ALL.into_iter().zip(builtin).chain(custom).collect()
    }

    /// Checks every invariant; for tests and for paranoid loading.
    ///
    /// # Errors
    /// A description of the first broken invariant.
    pub fn check_invariants(&self) -> Result<(), String> {
        for pair in self.annotations.windows(2) {
            if pair[0].text_order_key() >= pair[1].text_order_key() {
                return Err(format!("annotations out of order: {:?}", pair));
            }
        }
        for (i, a) in self.annotations.iter().enumerate() {
            if a.range.is_empty() || a.range.end().get() > self.text.char_len() {
                return Err(format!("bad range on {a:?}"));
            }
            if let Some(n) = a.id.number().filter(|&n| n < LARGEST_CONTINUED_NUMBER) {
                if n >= self.next_number {
                    return Err(format!(
                        "id {} not below next number {}",
                        a.id, self.next_number
                    ));
                }
            }
            for b in &self.annotations[i + 1..] {
                if a.id == b.id {
                    return Err(format!("duplicate id {}", a.id));
                }
                if a.range == b.range && a.label == b.label {
                    return Err(format!("duplicate span {a:?} {b:?}"));
                }
            }
            check_details(a).map_err(|e| format!("{}: {e}", a.id))?;
        }
        for pair in self.relations.windows(2) {
            if pair[0] >= pair[1] {
                return Err(format!("relations out of order or repeated: {pair:?}"));
            }
        }
        if target_order(&self.relations) != *self.relations_by_target {
            return Err("the index of relations by target is not the relations".to_owned());
        }
        for relation in self.relations.iter() {
            check_ends(relation, |id| self.annotation(id).is_some()).map_err(|e| e.to_string())?;
        }
        for pair in self.orphans.windows(2) {
            if pair[0].id() >= pair[1].id() {
                return Err(format!(
                    "orphans out of order or repeated: {}",
                    pair[1].id()
                ));
            }
        }
        for orphan in self.orphans.iter() {
            if let Some(n) = orphan
                .id()
                .number()
                .filter(|&n| n < LARGEST_CONTINUED_NUMBER)
            {
                if n >= self.next_number {
                    return Err(format!("orphan id {} not below next number", orphan.id()));
                }
            }
        }
        Ok(())
    }
}

/// A document's relations, in their order (by `from` id, `to` id, kind).
#[derive(Clone, Copy, Debug, Default)]
pub struct Relations<'a>(&'a [Rc<Relation>]);

impl<'a> Relations<'a> {
    pub fn iter(self) -> impl DoubleEndedIterator<Item = &'a Relation> + ExactSizeIterator + Clone {
        self.0.iter().map(|relation| &**relation)
    }

    pub fn len(self) -> usize {
        self.0.len()
    }

    pub fn is_empty(self) -> bool {
        self.0.is_empty()
    }

    pub fn get(self, at: usize) -> Option<&'a Relation> {
        self.0.get(at).map(|relation| &**relation)
    }

    /// Whether `relation` is one of them (a binary search: they are in order).
    pub fn contains(self, relation: &Relation) -> bool {
        self.0.binary_search_by(|r| (**r).cmp(relation)).is_ok()
    }

    pub fn to_vec(self) -> Vec<Relation> {
        self.iter().cloned().collect()
    }
}

impl std::ops::Index<usize> for Relations<'_> {
    type Output = Relation;

    fn index(&self, at: usize) -> &Relation {
        &self.0[at]
    }
}

impl PartialEq<[Relation]> for Relations<'_> {
    fn eq(&self, other: &[Relation]) -> bool {
        self.iter().eq(other)
    }
}

impl PartialEq<&[Relation]> for Relations<'_> {
    fn eq(&self, other: &&[Relation]) -> bool {
        self.iter().eq(*other)
    }
}

impl<const N: usize> PartialEq<[Relation; N]> for Relations<'_> {
    fn eq(&self, other: &[Relation; N]) -> bool {
        self.iter().eq(other)
    }
}

impl PartialEq<Vec<Relation>> for Relations<'_> {
    fn eq(&self, other: &Vec<Relation>) -> bool {
        self.iter().eq(other)
    }
}

impl PartialEq for Relations<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl<'a> IntoIterator for Relations<'a> {
    type Item = &'a Relation;
    type IntoIter =
        std::iter::Map<std::slice::Iter<'a, Rc<Relation>>, fn(&Rc<Relation>) -> &Relation>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|relation| &**relation)
    }
}

/// The positions of `relations` ordered by their target (`to`), then by position.
fn target_order(relations: &[Rc<Relation>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..relations.len()).collect();
    order.sort_by_key(|&at| (relations.get(at).map(|r| &r.to), at));
    order
}

/// A span named by what makes it unique in a document: its range and label.
type SpanKey<'a> = (CharRange, &'a Label);

/// Checks the relation's ends: both exist (`exists`) and they differ.
fn check_ends(
    relation: &Relation,
    exists: impl Fn(&AnnotationId) -> bool,
) -> Result<(), DocumentError> {
    if relation.from == relation.to {
        return Err(DocumentError::SelfLink {
            relation: relation.to_string(),
        });
    }
    for end in [&relation.from, &relation.to] {
        if !exists(end) {
            return Err(DocumentError::MissingEnd {
                relation: relation.to_string(),
                missing: end.to_string(),
            });
        }
    }
    Ok(())
}

/// Checks what an annotation carries beyond its span: names, values and note. (Values built
/// through [`super::attributes::Attributes`] are checked already; a note is a plain field.)
fn check_details(annotation: &Annotation) -> Result<(), InvalidDetail> {
    if let Some(note) = &annotation.note {
        attributes::check_note(note)?;
    }
    Ok(())
}

/// The first non-empty line, trimmed and shortened: the title a pasted article gets by default.
pub fn default_title(text: &str) -> String {
    const MAX_TITLE_CHARS: usize = 120;
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if line.chars().count() <= MAX_TITLE_CHARS {
        return line.to_owned();
    }
    let mut short: String = line.chars().take(MAX_TITLE_CHARS - 1).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::new(
            DocumentId::new("d1"),
            "t".into(),
            ArticleText::normalize(text),
            Timestamp::from_unix_millis(0),
        )
    }

    fn range(s: usize, e: usize) -> CharRange {
        CharRange::from_raw(s, e).unwrap()
    }

    #[test]
    fn annotations_stay_in_text_order_outer_first() {
        let mut d = doc("0123456789");
        let now = Timestamp::from_unix_millis(5);
        d.add(range(4, 6), Label::Entity, now).unwrap();
        d.add(range(0, 10), Label::Claim, now).unwrap();
        d.add(range(0, 3), Label::Quote, now).unwrap();
        let order: Vec<_> = d.annotations().iter().map(|a| a.id.to_string()).collect();
        assert_eq!(order, ["a2", "a3", "a1"]);
        assert_eq!(d.modified, now);
        d.check_invariants().unwrap();
    }

    #[test]
    fn bad_spans_are_errors() {
        let mut d = doc("abc");
        let now = Timestamp::default();
        assert!(matches!(
            d.add(range(1, 1), Label::Quote, now),
            Err(DocumentError::EmptySpan { .. })
        ));
        assert!(matches!(
            d.add(range(1, 4), Label::Quote, now),
            Err(DocumentError::PastEnd { .. })
        ));
        d.add(range(0, 2), Label::Quote, now).unwrap();
        assert_eq!(
            d.add(range(0, 2), Label::Quote, now),
            Err(DocumentError::AlreadyTagged {
                label: Label::Quote
            })
        );
        d.add(range(0, 2), Label::Entity, now).unwrap();
        assert_eq!(
            d.relabel(&AnnotationId::new("a2"), Label::Quote, now),
            Err(DocumentError::AlreadyTagged {
                label: Label::Quote
            })
        );
    }

    #[test]
    fn ids_are_never_reused_after_removal() {
        let mut d = doc("abcdef");
        let now = Timestamp::default();
        let a = d.add(range(0, 1), Label::Quote, now).unwrap();
        d.remove(&a.id, now).unwrap();
        let b = d.add(range(0, 1), Label::Quote, now).unwrap();
        assert_ne!(a.id, b.id);
    }

    #[test]
    fn annotations_with_ids_are_found_in_the_order_asked_once_or_more() {
        let mut d = doc("0123456789");
        let now = Timestamp::default();
        let a = d.add(range(4, 6), Label::Entity, now).unwrap();
        let b = d.add(range(0, 2), Label::Quote, now).unwrap();
        let missing = AnnotationId::new("a9");
        let found = d.annotations_with_ids(&[&a.id, &missing, &b.id, &a.id]);
        let ids: Vec<Option<&str>> = found.iter().map(|x| x.map(|x| x.id.as_str())).collect();
        assert_eq!(ids, [Some("a1"), None, Some("a2"), Some("a1")]);
        assert!(d.annotations_with_ids(&[]).is_empty());
    }

    #[test]
    fn default_title_is_first_non_empty_line() {
        assert_eq!(
            default_title("\n  \n  Headline here  \nbody"),
            "Headline here"
        );
        assert_eq!(default_title("   "), "");
        assert_eq!(default_title(&"x".repeat(300)).chars().count(), 120);
    }
}
