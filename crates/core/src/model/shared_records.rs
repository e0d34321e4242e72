//! A shared article as keyed records: what a team's sync engine holds and what crosses between
//! the page and it.
//!
//! In team mode an article lives on the server as three maps of strings (`crates/team`): its
//! fields (title, text, creation time, note), its annotations by id, and its relations by key.
//! The text never changes once shared, so every annotation is a record of its own and two
//! people editing different annotations never touch the same key. [`SharedChanges`] says which
//! keys one side changed; [`changes_between`] finds them between two versions of a document,
//! and [`apply_changes`] replays them onto one.
//!
//! The records come from other people's browsers, so [`apply_changes`] trusts none of them: a
//! record that does not parse, names a range outside the text, or breaks a rule of the model is
//! left out and counted, and the document stays whole. The document it builds is a function of
//! the records alone, whatever order they came in, so every member of a team sees the same one:
//! when two records tag the same span with the same label (two people tagged it at once), the
//! one with the smaller id is kept.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::annotation::{Annotation, AnnotationId};
use super::attributes::{check_note, note_of};
use super::document::{Document, DocumentId};
use super::label::Label;
use super::offsets::CharRange;
use super::relation::{Relation, RelationKind};
use super::text::ArticleText;
use super::timestamp::Timestamp;

/// The article's fields, by the keys its record map uses.
pub const TITLE: &str = "title";
pub const TEXT: &str = "text";
pub const CREATED: &str = "created";
pub const NOTE: &str = "note";

/// Keys one side changed, each with its new value as JSON text (`None`: removed). The same
/// shape as the sync engine's changes, so the page only renames the fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedChanges {
    /// Annotation id → its record ([`annotation_record`]), or `None` when deleted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<(String, Option<String>)>,
    /// Relation key ([`relation_key`]) → whether it is linked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<(String, bool)>,
    /// Article field ([`TITLE`], [`TEXT`], [`CREATED`], [`NOTE`]) → its value as a JSON string.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub article: Vec<(String, Option<String>)>,
}

impl SharedChanges {
    pub fn is_empty(&self) -> bool {
        self.annotations.is_empty() && self.relations.is_empty() && self.article.is_empty()
    }

    /// How many keys it changes: what the sync status counts.
    pub fn len(&self) -> usize {
        self.annotations.len() + self.relations.len() + self.article.len()
    }
}

/// An annotation's record as JSON text: the stored format's
/// ([`crate::persist::stored::encode_annotation`]).
pub fn annotation_record(annotation: &Annotation) -> String {
    crate::persist::stored::encode_annotation(annotation)
}

/// A relation's key: its three parts as a JSON array, so no id can run into another.
pub fn relation_key(relation: &Relation) -> String {
    serde_json::to_string(&[
        relation.from.as_str(),
        relation.kind.as_str(),
        relation.to.as_str(),
    ])
    .unwrap_or_default()
}

/// The relation a key names, when it names one.
fn relation_of(key: &str) -> Option<Relation> {
    let [from, kind, to]: [String; 3] = serde_json::from_str(key).ok()?;
    let kind = RelationKind::parse(&kind).ok()?;
    (from != to).then(|| Relation::new(kind, AnnotationId::new(&from), AnnotationId::new(&to)))
}

/// The annotation `id`'s record describes on a text of `len` code points, when it describes one
/// the model can hold, under its own id.
fn annotation_of(id: &str, record: &str, len: usize) -> Option<Annotation> {
    let annotation = crate::persist::stored::decode_annotation(record)?;
    let fits = annotation.id.as_str() == id
        && !annotation.range.is_empty()
        && annotation.range.end().get() <= len;
    fits.then_some(annotation)
}

/// A JSON string's text, or nothing.
fn string_of(value: &str) -> Option<String> {
    serde_json::from_str(value).ok()
}

fn json_string(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Everything a document holds, as records: what sharing an article sends.
pub fn snapshot(document: &Document) -> SharedChanges {
    let mut article = vec![
        (TITLE.to_owned(), Some(json_string(&document.title))),
        (TEXT.to_owned(), Some(json_string(document.text().as_str()))),
        (
            CREATED.to_owned(),
            Some(json_string(&document.created.to_rfc3339())),
        ),
    ];
    if let Some(note) = &document.note {
        article.push((NOTE.to_owned(), Some(json_string(note))));
    }
    SharedChanges {
        annotations: document
            .annotations()
            .iter()
            .map(|a| (a.id.to_string(), Some(annotation_record(a))))
            .collect(),
        relations: document
            .relations()
            .iter()
            .map(|r| (relation_key(r), true))
            .collect(),
        article,
    }
}

/// The keys `after` changed since `before` (two versions of one document, on one text).
///
/// Edits share every untouched annotation's `Rc` with the version before, so one walk over
/// both lists in text order compares pointers for all but the edited few: this runs after
/// every edit of a 10,000-annotation article.
pub fn changes_between(before: &Document, after: &Document) -> SharedChanges {
    let mut changes = SharedChanges::default();
    let (old, new) = (before.annotations(), after.annotations());
    if !(old.as_ptr() == new.as_ptr() && old.len() == new.len()) {
        // Annotations seen on one side only so far: a relabel or a move pairs them up again.
        // Lists, not maps: an edit leaves a handful, and the page's first load carries this.
        let mut gone: Vec<&Rc<Annotation>> = Vec::new();
        let mut came: Vec<&Rc<Annotation>> = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < old.len() || j < new.len() {
            match (old.get(i), new.get(j)) {
                (Some(a), Some(b)) if Rc::ptr_eq(a, b) => {
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a.text_order_key() == b.text_order_key() => {
                    if a != b {
                        came.push(b);
                    }
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a.text_order_key() < b.text_order_key() => {
                    gone.push(a);
                    i += 1;
                }
                (Some(a), None) => {
                    gone.push(a);
                    i += 1;
                }
                (_, Some(b)) => {
                    came.push(b);
                    j += 1;
                }
                (None, None) => break,
            }
        }
        gone.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        for b in came {
            if let Ok(at) = gone.binary_search_by(|a| a.id.cmp(&b.id)) {
                let moved = gone.remove(at);
                if **moved == **b {
                    continue;
                }
            }
            changes
                .annotations
                .push((b.id.to_string(), Some(annotation_record(b))));
        }
        changes
            .annotations
            .extend(gone.into_iter().map(|a| (a.id.to_string(), None)));
    }
    // Both lists are sorted: one walk finds what was linked and what unlinked.
    let (old, new) = (before.relations(), after.relations());
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        match (old.get(i), new.get(j)) {
            (Some(a), Some(b)) if a == b => {
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a < b => {
                changes.relations.push((relation_key(a), false));
                i += 1;
            }
            (Some(a), None) => {
                changes.relations.push((relation_key(a), false));
                i += 1;
            }
            (_, Some(b)) => {
                changes.relations.push((relation_key(b), true));
                j += 1;
            }
            (None, None) => break,
        }
    }
    if before.note != after.note {
        changes
            .article
            .push((NOTE.to_owned(), after.note.as_deref().map(json_string)));
    }
    if before.title != after.title {
        changes
            .article
            .push((TITLE.to_owned(), Some(json_string(&after.title))));
    }
    changes
}

/// What [`apply_changes`] made of the records.
#[derive(Clone, Debug, PartialEq)]
pub struct Applied {
    pub document: Document,
    /// Records left out: unreadable, outside the text, or breaking a rule of the model.
    pub refused: usize,
}

/// Why no document can be built from an article's records.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SharedError {
    #[error("the shared article has no text yet")]
    NoText,
    #[error("the shared article's text is unusable: {0}")]
    Text(String),
}

/// The document a shared article's records describe: `changes` holds them all (the article's
/// fields among them), as [`snapshot`] gives them or the sync engine loads them.
///
/// # Errors
/// [`SharedError`] when the records hold no usable text; everything else unusable is counted in
/// [`Applied::refused`] and left out.
pub fn document_from_records(
    id: DocumentId,
    changes: &SharedChanges,
    now: Timestamp,
) -> Result<Applied, SharedError> {
    let field = |name: &str| {
        changes
            .article
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .and_then(|(_, value)| value.as_deref())
            .and_then(string_of)
    };
    let text = field(TEXT).ok_or(SharedError::NoText)?;
    let text =
        ArticleText::try_from_normalized(&text).map_err(|e| SharedError::Text(e.to_string()))?;
    let title = field(TITLE).unwrap_or_else(|| super::document::default_title(text.as_str()));
    let created = field(CREATED)
        .and_then(|c| Timestamp::parse_rfc3339(&c).ok())
        .unwrap_or(now);
    let mut empty = Document::new(id, title, text, created);
    empty.modified = now;
    let fields = SharedChanges {
        article: changes
            .article
            .iter()
            .filter(|(key, _)| key == NOTE)
            .cloned()
            .collect(),
        ..changes.clone()
    };
    Ok(apply_changes(&empty, &fields, now))
}

/// Up to this many annotation records are replayed in place ([`replay_few`]); more rebuild the
/// article at once.
const FEW_RECORDS: usize = 64;

/// `records` replayed on `base` one by one, as [`apply_changes`] replays them at once: a record
/// that cannot be used removes the annotation and is counted; a span tagged alike twice keeps
/// the smaller id; an annotation that stays keeps its relations. `None` when the article would
/// break a rule this cannot settle (then everything is rebuilt).
fn replay_few(
    base: &Document,
    records: &[(String, Option<String>)],
    len: usize,
    now: Timestamp,
) -> Option<(Document, usize)> {
    let mut document = base.clone();
    let mut refused = 0;
    // Every record's annotation out first, then the new ones in, smallest id first: replayed
    // one record at a time, two annotations swapping labels in one batch would meet halfway.
    let mut incoming: Vec<Annotation> = Vec::new();
    let mut linked: Vec<Relation> = Vec::new();
    for (id, record) in records {
        let key = AnnotationId::new(id);
        linked.extend(document.relations_of(&key).cloned());
        document.remove(&key, now);
        incoming.retain(|a| a.id != key);
        if let Some(record) = record {
            match annotation_of(id, record, len) {
                Some(annotation) => incoming.push(annotation),
                None => refused += 1,
            }
        }
    }
    incoming.sort_by(|a, b| a.id.cmp(&b.id));
    for annotation in incoming {
        let twin = document
            .annotations()
            .iter()
            .find(|a| a.range == annotation.range && a.label == annotation.label)
            .map(|a| a.id.clone());
        if let Some(twin) = twin {
            if twin < annotation.id {
                continue;
            }
            linked.extend(document.relations_of(&twin).cloned());
            document.remove(&twin, now);
        }
        document.insert(annotation, now).ok()?;
    }
    for relation in linked {
        let _ = document.link(relation, now);
    }
    Some((document, refused))
}

/// `base` with `changes` replayed on it. Records that cannot be used are left out and counted;
/// when two records tag one span alike the smaller id wins, so the result depends only on the
/// records, not on the order they arrived in.
pub fn apply_changes(base: &Document, changes: &SharedChanges, now: Timestamp) -> Applied {
    let len = base.text().char_len();
    let mut refused = 0;
    // A few records (one edit's, one person's keystroke away) are replayed in place: rebuilding
    // a 10,000-annotation article for each took 8 ms natively, after every edit of a shared one.
    let few = (changes.annotations.len() <= FEW_RECORDS)
        .then(|| replay_few(base, &changes.annotations, len, now))
        .flatten();
    // The annotations after the change, by id: the base's, with the records replayed.
    let mut touched = false;
    let mut by_id: BTreeMap<AnnotationId, Rc<Annotation>> = BTreeMap::new();
    let mut document = base.clone();
    let few_replayed = few.is_some();
    if let Some((replayed, refused_here)) = few {
        document = replayed;
        refused += refused_here;
    } else if !changes.annotations.is_empty() {
        touched = true;
        by_id = base
            .annotations()
            .iter()
            .map(|a| (a.id.clone(), Rc::clone(a)))
            .collect();
        for (id, record) in &changes.annotations {
            let id_key = AnnotationId::new(id);
            match record {
                None => {
                    by_id.remove(&id_key);
                }
                Some(record) => match annotation_of(id, record, len) {
                    Some(annotation) => {
                        by_id.insert(id_key, Rc::new(annotation));
                    }
                    None => {
                        refused += 1;
                        by_id.remove(&id_key);
                    }
                },
            }
        }
    }
    if touched {
        // One span, one label: the smallest id of those tagging it alike (ids iterate in order).
        let mut spans: HashMap<(CharRange, &Label), ()> = HashMap::new();
        let kept: Vec<Annotation> = by_id
            .values()
            .filter(|a| spans.insert((a.range, &a.label), ()).is_none())
            .map(|a| Annotation::clone(a))
            .collect();
        let shell = Document::new(
            base.id.clone(),
            base.title.clone(),
            base.text().clone(),
            base.created,
        );
        // Every rule from_parts checks was checked above, record by record.
        match Document::from_parts(shell, kept, base.next_number()) {
            Ok(rebuilt) => document = rebuilt.with_note(base.note.as_deref()).unwrap_or(document),
            Err(_) => refused += changes.annotations.len(),
        }
    }
    // Relations: the base's (as the replay of a few records left them) that still have both
    // ends, with the changes replayed.
    let kept = if few_replayed {
        document.relations()
    } else {
        base.relations()
    };
    let mut relations: std::collections::BTreeSet<Relation> = kept.to_vec().into_iter().collect();
    for (key, linked) in &changes.relations {
        match (relation_of(key), linked) {
            (Some(relation), true) => {
                relations.insert(relation);
            }
            (Some(relation), false) => {
                relations.remove(&relation);
            }
            (None, _) => refused += 1,
        }
    }
    relations
        .retain(|r| document.annotation(&r.from).is_some() && document.annotation(&r.to).is_some());
    // A link the records ask for whose end is not there is refused; the base's links that went
    // with a deleted annotation are not: the deletion took them.
    refused += changes
        .relations
        .iter()
        .filter(|(_, linked)| *linked)
        .filter_map(|(key, _)| relation_of(key))
        .filter(|relation| !relations.contains(relation))
        .count();
    if touched || !changes.relations.is_empty() {
        document = document
            .clone()
            .with_relations(relations.into_iter().collect())
            .unwrap_or(document);
    }
    for (key, value) in &changes.article {
        let text = value.as_deref().map(string_of);
        match (key.as_str(), text) {
            (NOTE, None) => document.note = None,
            (NOTE, Some(Some(note))) if check_note(&note).is_ok() => {
                document.note = note_of(&note);
            }
            (TITLE, Some(Some(title))) if !title.trim().is_empty() => document.title = title,
            // The text and creation time are fixed once shared.
            (TEXT | CREATED, _) => {}
            _ => refused += 1,
        }
    }
    if !changes.is_empty() {
        document.modified = now.max(base.modified);
    }
    Applied { document, refused }
}
