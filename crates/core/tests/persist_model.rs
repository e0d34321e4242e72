//! A model-based test of the save-and-merge engine: two or three simulated tabs share one
//! in-memory store and are driven by proptest through random edits, undo and redo, document
//! creation and deletion, saves, `storage` events delivered late, out of order or never,
//! crashes in the middle of a save, reloads, a full quota, and entries a newer version wrote.
//!
//! Each tab is the app's own core: [`OpenDocument`] for edits and undo, [`take_in`] for other
//! tabs' changes, [`SaveEngine`] for saving, and [`load`] when it (re)starts. Only the browser is
//! simulated: events are queued per tab when a key's value changes, a render applies the
//! changes the engine handed out and tells the engine what is shown.
//!
//! Tabs also link and unlink annotations, set attribute values and write notes (of an
//! annotation or of the article). Those are named by the spans they are on, like spans are.
//!
//! Invariants:
//! - no span a tab saw saved (a save that found nothing to merge) is missing at the end, unless
//!   some tab deleted it (removed, relabelled away, undid its addition, deleted its document);
//!   likewise no saved relation, attribute value or note, unless some tab unlinked it (whatever
//!   another tab relabelled its ends to), set another value or note in its place (the later
//!   edit wins), undid it, or deleted a span it is on;
//! - undo and redo only ever touch a span this tab itself made or removed;
//! - every merge keeps every annotation (`dropped` is empty);
//! - once every event is delivered and every tab has saved, all tabs and the store agree;
//! - an entry a newer version wrote is byte-identical at the end, and so is the whole store
//!   when the newer version wrote the index;
//! - storage always loads without problems: no save, interrupted anywhere, leaves an unreadable
//!   entry.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use annotator_core::model::attributes::note_of;
use annotator_core::model::{
    restore, take_in, AnnotatorName, ArticleText, CharRange, DeletedDocument, Document, DocumentId,
    Edit, Label, OpenDocument, Relation, RelationKind, Restored, Step, TakenIn, Timestamp,
};
use annotator_core::persist::stored::{self, STORE_FORMAT, STORE_VERSION};
use annotator_core::persist::{load, ExternalChange, MemoryStore, SaveEngine, Snapshot, Store};
use proptest::prelude::*;

/// A span's identity across tabs: ids are renamed by merges, spans are not (a document never
/// holds two annotations with the same range and label).
type Span = (String, usize, usize, Label);

/// A span within its document: (start, end, label).
type Place = (usize, usize, Label);

/// Something a tab's user made that must not get lost: a span, or a relation, value or note
/// named by the spans it is on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Fact {
    Span(Span),
    Relation {
        doc: String,
        from: Place,
        to: Place,
        kind: String,
    },
    Value {
        doc: String,
        on: Place,
        name: String,
        value: String,
    },
    /// `on` is `None` for the article's note.
    Note {
        doc: String,
        on: Option<Place>,
        text: String,
    },
}

impl Fact {
    /// The spans it is on: it goes when one of them is deleted.
    fn spans(&self) -> Vec<Span> {
        let span = |doc: &String, p: &Place| (doc.clone(), p.0, p.1, p.2.clone());
        match self {
            Fact::Span(span) => vec![span.clone()],
            Fact::Relation { doc, from, to, .. } => vec![span(doc, from), span(doc, to)],
            Fact::Value { doc, on, .. } => vec![span(doc, on)],
            Fact::Note { doc, on, .. } => on.iter().map(|p| span(doc, p)).collect(),
        }
    }
}

const KINDS: [&str; 2] = ["said_by", "about"];
const NAMES: [&str; 2] = ["type", "id"];
const VALUES: [&str; 3] = ["direct", "北京 😀", "Q42"];
const NOTES: [&str; 3] = ["", "Check «this»\r\nline 2 👩‍👩‍👧‍👦", "other"];

/// Values and notes are matched by range, whatever the label: a relabel (here or merged in from
/// another tab) keeps them on the annotation, so an edit of them is an edit of the same ones.
fn same_range(a: &Place, b: &Place) -> bool {
    (a.0, a.1) == (b.0, b.1)
}

fn same_place(a: &Option<Place>, b: &Option<Place>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same_range(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// A value or note without its span's label: (document, range, attribute name, value or note).
type Loose = (String, Option<(usize, usize)>, String, String);

/// A value or note without its span's label (see [`same_range`]).
fn loose(fact: &Fact) -> Option<Loose> {
    match fact {
        Fact::Value {
            doc,
            on,
            name,
            value,
        } => Some((doc.clone(), Some((on.0, on.1)), name.clone(), value.clone())),
        Fact::Note { doc, on, text } => Some((
            doc.clone(),
            on.as_ref().map(|p| (p.0, p.1)),
            String::new(),
            text.clone(),
        )),
        Fact::Span(_) | Fact::Relation { .. } => None,
    }
}

/// A relation without its ends' labels: (document, from range, to range, kind). An unlink (or
/// undo) in one tab removes the relation whatever another tab relabelled its ends to since, so
/// an unlinked relation is matched like this.
type LooseLink = (String, (usize, usize), (usize, usize), String);

/// A relation without its ends' labels (see [`LooseLink`]).
fn loose_link(fact: &Fact) -> Option<LooseLink> {
    match fact {
        Fact::Relation {
            doc,
            from,
            to,
            kind,
        } => Some((doc.clone(), (from.0, from.1), (to.0, to.1), kind.clone())),
        _ => None,
    }
}

fn place(a: &annotator_core::model::Annotation) -> Place {
    (a.range.start().get(), a.range.end().get(), a.label.clone())
}

/// Every fact a document holds.
fn facts_of(document: &Document) -> BTreeSet<Fact> {
    let doc = document.id.to_string();
    let mut facts: BTreeSet<Fact> = spans_of(document).into_iter().map(Fact::Span).collect();
    for a in document.annotations() {
        for (name, value) in a.attributes.iter() {
            facts.insert(Fact::Value {
                doc: doc.clone(),
                on: place(a),
                name: name.to_owned(),
                value: value.to_owned(),
            });
        }
        if let Some(text) = &a.note {
            facts.insert(Fact::Note {
                doc: doc.clone(),
                on: Some(place(a)),
                text: text.to_string(),
            });
        }
    }
    for r in document.relations() {
        let (Some(from), Some(to)) = (document.annotation(&r.from), document.annotation(&r.to))
        else {
            continue;
        };
        facts.insert(Fact::Relation {
            doc: doc.clone(),
            from: place(from),
            to: place(to),
            kind: r.kind.to_string(),
        });
    }
    if let Some(text) = &document.note {
        facts.insert(Fact::Note {
            doc,
            on: None,
            text: text.to_string(),
        });
    }
    facts
}

const TEXT: &str = "Zoë said 😀 “北京 is near.”\nThe claim: rates rose 3%. He left.";
const NEWER_ID: &str = "dnewer";

fn at(millis: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_900_000_000_000 + millis)
}

fn spans_of(document: &Document) -> BTreeSet<Span> {
    document
        .annotations()
        .iter()
        .map(|a| {
            (
                document.id.to_string(),
                a.range.start().get(),
                a.range.end().get(),
                a.label.clone(),
            )
        })
        .collect()
}

/// Who made and who last changed each span.
type Authorship = BTreeMap<Span, (Option<String>, Option<String>)>;

fn authors_of(document: &Document) -> Authorship {
    let name = |n: &Option<AnnotatorName>| n.as_ref().map(|n| n.as_str().to_owned());
    document
        .annotations()
        .iter()
        .map(|a| {
            (
                span_of(&document.id, &a.range, &a.label),
                (name(&a.authors.made_by), name(&a.authors.changed_by)),
            )
        })
        .collect()
}

/// The annotator of the `incarnation`-th tab: most tabs have one (names in three scripts), every
/// fourth has none set.
fn annotator(incarnation: usize) -> Option<AnnotatorName> {
    const NAMES: [&str; 3] = ["ann", "李 雷", "👩🏽‍💻 dev"];
    (!incarnation.is_multiple_of(4)).then(|| AnnotatorName::parse(NAMES[incarnation % 3]).unwrap())
}

#[derive(Clone, Debug)]
enum Op {
    Add {
        tab: usize,
        doc: usize,
        start: usize,
        len: usize,
        label: usize,
    },
    Remove {
        tab: usize,
        doc: usize,
        pick: usize,
    },
    Relabel {
        tab: usize,
        doc: usize,
        pick: usize,
        label: usize,
    },
    Link {
        tab: usize,
        doc: usize,
        from: usize,
        to: usize,
        kind: usize,
    },
    Unlink {
        tab: usize,
        doc: usize,
        pick: usize,
    },
    /// Sets one of [`VALUES`] or, for `None`, clears the value.
    SetAttribute {
        tab: usize,
        doc: usize,
        pick: usize,
        name: usize,
        value: Option<usize>,
    },
    /// The note of an annotation, or (`pick` `None`) of the article.
    SetNote {
        tab: usize,
        doc: usize,
        pick: Option<usize>,
        note: usize,
    },
    Undo {
        tab: usize,
        doc: usize,
    },
    Redo {
        tab: usize,
        doc: usize,
    },
    Create {
        tab: usize,
    },
    DeleteDocument {
        tab: usize,
        doc: usize,
    },
    /// "Undo delete".
    Restore {
        tab: usize,
    },
    Render {
        tab: usize,
    },
    Save {
        tab: usize,
    },
    /// Delivers the `pick`th queued event (not always the oldest: engines reorder).
    Deliver {
        tab: usize,
        pick: usize,
    },
    /// The browser never delivers this event; the tab is reloaded before the end.
    Lose {
        tab: usize,
        pick: usize,
    },
    /// The tab saves, but only `writes` keys get written before it dies; it restarts.
    Crash {
        tab: usize,
        writes: u32,
    },
    /// The page is hidden (saved) and loaded again.
    Reload {
        tab: usize,
    },
    /// The quota becomes what is stored now plus `room` bytes.
    Quota {
        room: u64,
    },
    Unlimited,
}

fn op() -> impl Strategy<Value = Op> {
    let tab = 0..3usize;
    prop_oneof![
        6 => (tab.clone(), 0..4usize, 0..60usize, 1..12usize, 0..3usize)
            .prop_map(|(tab, doc, start, len, label)| Op::Add { tab, doc, start, len, label }),
        2 => (tab.clone(), 0..4usize, any::<usize>())
            .prop_map(|(tab, doc, pick)| Op::Remove { tab, doc, pick }),
        2 => (tab.clone(), 0..4usize, any::<usize>(), 0..3usize)
            .prop_map(|(tab, doc, pick, label)| Op::Relabel { tab, doc, pick, label }),
        6 => (tab.clone(), 0..4usize, any::<usize>(), any::<usize>(), 0..KINDS.len())
            .prop_map(|(tab, doc, from, to, kind)| Op::Link { tab, doc, from, to, kind }),
        1 => (tab.clone(), 0..4usize, any::<usize>())
            .prop_map(|(tab, doc, pick)| Op::Unlink { tab, doc, pick }),
        3 => (tab.clone(), 0..4usize, any::<usize>(), 0..NAMES.len(), proptest::option::weighted(0.8, 0..VALUES.len()))
            .prop_map(|(tab, doc, pick, name, value)| Op::SetAttribute { tab, doc, pick, name, value }),
        1 => (tab.clone(), 0..4usize, proptest::option::weighted(0.7, any::<usize>()), 0..NOTES.len())
            .prop_map(|(tab, doc, pick, note)| Op::SetNote { tab, doc, pick, note }),
        3 => (tab.clone(), 0..4usize).prop_map(|(tab, doc)| Op::Undo { tab, doc }),
        2 => (tab.clone(), 0..4usize).prop_map(|(tab, doc)| Op::Redo { tab, doc }),
        1 => tab.clone().prop_map(|tab| Op::Create { tab }),
        1 => (tab.clone(), 0..4usize).prop_map(|(tab, doc)| Op::DeleteDocument { tab, doc }),
        1 => tab.clone().prop_map(|tab| Op::Restore { tab }),
        4 => tab.clone().prop_map(|tab| Op::Render { tab }),
        5 => tab.clone().prop_map(|tab| Op::Save { tab }),
        6 => (tab.clone(), any::<usize>()).prop_map(|(tab, pick)| Op::Deliver { tab, pick }),
        1 => (tab.clone(), any::<usize>()).prop_map(|(tab, pick)| Op::Lose { tab, pick }),
        1 => (tab.clone(), 0..6u32).prop_map(|(tab, writes)| Op::Crash { tab, writes }),
        1 => tab.clone().prop_map(|tab| Op::Reload { tab }),
        1 => (0..3000u64).prop_map(|room| Op::Quota { room }),
        1 => Just(Op::Unlimited),
    ]
}

/// One browser tab: its documents as the reducer holds them, and its save engine.
struct Tab {
    engine: SaveEngine,
    documents: Vec<OpenDocument>,
    deleted: Option<DeletedDocument>,
    active: Option<DocumentId>,
    read_only: bool,
    /// Changes the engine handed out, dispatched but not yet rendered.
    dispatched: Vec<ExternalChange>,
    /// `storage` events not delivered yet: (key, new value).
    events: Vec<(String, Option<String>)>,
    /// An event was lost: the tab may never learn of a change until it reloads.
    lost_event: bool,
    /// The documents as last rendered: what the engine saves, and what "Saved" refers to.
    rendered: Vec<Rc<Document>>,
    /// The annotator working in this tab (some tabs have none set).
    by: Option<AnnotatorName>,
}

struct World {
    store: MemoryStore,
    tabs: Vec<Tab>,
    clock: i64,
    incarnations: usize,
    created: usize,
    /// Spans some tab saw saved.
    saved: BTreeSet<Span>,
    /// Spans some tab deleted (or relabelled away, or whose document it deleted).
    deleted: BTreeSet<Span>,
    /// Relations, values and notes some tab saw saved.
    saved_facts: BTreeSet<Fact>,
    /// Relations, values and notes some tab unlinked, replaced, undid or whose document it
    /// deleted.
    deleted_facts: BTreeSet<Fact>,
    /// Spans each tab itself added or removed: what its undo and redo may touch.
    own: Vec<BTreeSet<Span>>,
    /// The newer version's entries, as they must stay.
    newer_entries: Vec<(String, String)>,
}

impl World {
    fn new(tabs: usize, newer_document: bool, newer_index: bool) -> Self {
        let mut store = MemoryStore::new();
        // One article that every tab starts with, saved by an earlier session.
        let seed = Document::new(
            DocumentId::new("dseed"),
            "Seed".into(),
            ArticleText::normalize(TEXT),
            at(0),
        );
        let entries = stored::encode_entries(&seed, at(0), "tseed", None);
        store
            .set(&stored::text_key(&seed.id), &entries.text)
            .unwrap();
        store
            .set(&stored::document_key(&seed.id), &entries.document)
            .unwrap();
        let mut index = vec![seed.id.to_string()];
        let mut newer_entries = Vec::new();
        if newer_document {
            let id = DocumentId::new(NEWER_ID);
            let document = format!(
                r#"{{"format":"{STORE_FORMAT}","version":{},"document":{{"id":"{NEWER_ID}","title":"From the future","layers":[1,2]}}}}"#,
                STORE_VERSION + 1
            );
            let text = format!(
                r#"{{"format":"{STORE_FORMAT}","version":{},"text":"x"}}"#,
                STORE_VERSION + 1
            );
            newer_entries.push((stored::document_key(&id), document));
            newer_entries.push((stored::text_key(&id), text));
            index.push(NEWER_ID.to_owned());
        }
        let index_json = if newer_index {
            let json = format!(
                r#"{{"format":"{STORE_FORMAT}","version":{},"documents":{index:?},"shards":4}}"#,
                STORE_VERSION + 1
            );
            newer_entries.push((stored::index_key(), json.clone()));
            json
        } else {
            stored::encode_index(&stored::StoredIndex {
                documents: index,
                active: Some("dseed".into()),
                ..Default::default()
            })
        };
        store.set(&stored::index_key(), &index_json).unwrap();
        for (key, value) in &newer_entries {
            store.set(key, value).unwrap();
        }
        let mut world = Self {
            store,
            tabs: Vec::new(),
            clock: 10,
            incarnations: 0,
            created: 0,
            saved: BTreeSet::new(),
            deleted: BTreeSet::new(),
            saved_facts: BTreeSet::new(),
            deleted_facts: BTreeSet::new(),
            own: vec![BTreeSet::new(); tabs],
            newer_entries,
        };
        for _ in 0..tabs {
            let tab = world.start_tab();
            world.tabs.push(tab);
        }
        world
    }

    fn now(&mut self) -> Timestamp {
        self.clock += 7;
        at(self.clock)
    }

    /// A tab as the app starts one: what `load` finds, and an engine that knows it is stored.
    fn start_tab(&mut self) -> Tab {
        let now = self.now();
        let loaded = load(&mut self.store, now);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        self.incarnations += 1;
        let documents: Vec<(Rc<Document>, Option<stored::Lineage>)> = loaded
            .documents
            .iter()
            .map(|d| (Rc::new(d.document.clone()), Some(d.lineage())))
            .collect();
        let newer = loaded.newer.iter().map(|n| n.id.clone()).collect();
        let read_only = loaded.newer_index.is_some();
        let mut engine = SaveEngine::new(
            format!("t{}", self.incarnations),
            &documents,
            newer,
            read_only,
        );
        let open: Vec<OpenDocument> = documents
            .iter()
            .map(|(d, _)| OpenDocument::new(Rc::clone(d)))
            .collect();
        let rendered: Vec<Rc<Document>> = open.iter().map(|d| Rc::clone(&d.document)).collect();
        engine.rendered(Snapshot {
            documents: rendered.clone(),
            active: loaded.active.clone(),
        });
        Tab {
            by: annotator(self.incarnations),
            rendered,
            engine,
            documents: open,
            deleted: None,
            active: loaded.active,
            read_only,
            dispatched: Vec::new(),
            events: Vec::new(),
            lost_event: false,
        }
    }

    fn apply(&mut self, op: &Op) {
        let tabs = self.tabs.len();
        match *op {
            Op::Add {
                tab,
                doc,
                start,
                len,
                label,
            } => {
                let now = self.now();
                let t = &mut self.tabs[tab % tabs];
                if t.read_only || t.documents.is_empty() {
                    return;
                }
                let d = doc % t.documents.len();
                let chars = t.documents[d].document.text().char_len();
                let start = start % chars;
                let end = (start + len).min(chars);
                let range = CharRange::from_raw(start, end).unwrap();
                let label = Label::ALL[label].clone();
                let added = t.documents[d].edit(now, t.by.as_ref(), |document| {
                    document
                        .add(range, label, now)
                        .map(Edit::Added)
                        .map_err(|e| e.to_string())
                });
                if let Ok(Edit::Added(a)) = added {
                    let id = t.documents[d].document.id.to_string();
                    self.own[tab % tabs].insert((id, start, end, a.label));
                }
            }
            Op::Remove { tab, doc, pick } => {
                let now = self.now();
                let t = &mut self.tabs[tab % tabs];
                let Some((d, id)) = pick_annotation(t, doc, pick) else {
                    return;
                };
                if let Ok(Edit::Removed(removed)) =
                    t.documents[d].edit(now, t.by.as_ref(), |document| {
                        document
                            .remove(&id, now)
                            .map(Edit::Removed)
                            .ok_or_else(String::new)
                    })
                {
                    let a = &removed.annotation;
                    let span = span_of(&t.documents[d].document.id, &a.range, &a.label);
                    self.deleted.insert(span.clone());
                    self.own[tab % tabs].insert(span);
                }
            }
            Op::Relabel {
                tab,
                doc,
                pick,
                label,
            } => {
                let now = self.now();
                let t = &mut self.tabs[tab % tabs];
                let Some((d, id)) = pick_annotation(t, doc, pick) else {
                    return;
                };
                let to = Label::ALL[label].clone();
                let relabelled = t.documents[d].edit(now, t.by.as_ref(), |document| match document
                    .relabel(&id, to.clone(), now)
                {
                    Ok(Some(from)) if from != to => Ok(Edit::Relabelled { id, from, to }),
                    _ => Err(String::new()),
                });
                if let Ok(Edit::Relabelled { id, from, to }) = relabelled {
                    let document = &t.documents[d].document;
                    let range = document.annotation(&id).unwrap().range;
                    let old = span_of(&document.id, &range, &from);
                    self.deleted.insert(old.clone());
                    self.own[tab % tabs].insert(old);
                    self.own[tab % tabs].insert(span_of(&document.id, &range, &to));
                }
            }
            Op::Link {
                tab,
                doc,
                from,
                to,
                kind,
            } => {
                let now = self.now();
                let t = &mut self.tabs[tab % tabs];
                let (Some((d, from)), Some((_, to))) =
                    (pick_annotation(t, doc, from), pick_annotation(t, doc, to))
                else {
                    return;
                };
                let relation = Relation::new(
                    RelationKind::parse(KINDS[kind]).unwrap(),
                    from.clone(),
                    to.clone(),
                );
                // Refused (a self-link, or linked already): nothing changes, as in the app.
                let _ = t.documents[d].edit(now, t.by.as_ref(), |document| {
                    document
                        .link(relation.clone(), now)
                        .map(|()| Edit::Linked(relation))
                        .map_err(|e| e.to_string())
                });
            }
            Op::Unlink { tab, doc, pick } => {
                let now = self.now();
                let t = &mut self.tabs[tab % tabs];
                if t.read_only || t.documents.is_empty() {
                    return;
                }
                let d = doc % t.documents.len();
                let before = facts_of(&t.documents[d].document);
                let relations = t.documents[d].document.relations();
                let Some(relation) = relations.get(pick % relations.len().max(1)).cloned() else {
                    return;
                };
                t.documents[d]
                    .edit(now, t.by.as_ref(), |document| {
                        if document.unlink(&relation, now) {
                            Ok(Edit::Unlinked(relation))
                        } else {
                            Err(String::new())
                        }
                    })
                    .unwrap();
                let after = facts_of(&t.documents[d].document);
                self.deleted_facts
                    .extend(before.difference(&after).cloned());
            }
            Op::SetAttribute {
                tab,
                doc,
                pick,
                name,
                value,
            } => {
                let now = self.now();
                let t = &mut self.tabs[tab % tabs];
                let Some((d, id)) = pick_annotation(t, doc, pick) else {
                    return;
                };
                let (name, value) = (NAMES[name], value.map(|v| VALUES[v]));
                let document = &t.documents[d].document;
                let a = document.annotation(&id).unwrap();
                // The reducer sets only a value that differs.
                if a.attributes.get(name) == value {
                    return;
                }
                let (doc_id, on) = (document.id.to_string(), place(a));
                t.documents[d]
                    .edit(now, t.by.as_ref(), |document| {
                        let from = document
                            .set_attribute(&id, name, value, now)
                            .map_err(|e| e.to_string())?;
                        Ok(Edit::AttributeSet {
                            id: id.clone(),
                            name: Rc::from(name),
                            from,
                            to: value.map(Rc::from),
                        })
                    })
                    .unwrap();
                // The later edit wins: every other value saved for it is replaced.
                self.replaced(|f| {
                    matches!(f, Fact::Value { doc, on: o, name: n, value: v }
                        if *doc == doc_id && same_range(o, &on) && n == name && Some(v.as_str()) != value)
                });
            }
            Op::SetNote {
                tab,
                doc,
                pick,
                note,
            } => {
                let now = self.now();
                let t = &mut self.tabs[tab % tabs];
                let target = match pick {
                    Some(pick) => pick_annotation(t, doc, pick).map(|(d, id)| (d, Some(id))),
                    None if !t.read_only && !t.documents.is_empty() => {
                        Some((doc % t.documents.len(), None))
                    }
                    None => None,
                };
                let Some((d, id)) = target else {
                    return;
                };
                let text = NOTES[note];
                let document = &t.documents[d].document;
                let (current, on) = match &id {
                    Some(id) => {
                        let a = document.annotation(id).unwrap();
                        (a.note.clone(), Some(place(a)))
                    }
                    None => (document.note.clone(), None),
                };
                let wanted = note_of(text);
                if current == wanted {
                    return;
                }
                let doc_id = document.id.to_string();
                t.documents[d]
                    .edit(now, t.by.as_ref(), |document| {
                        let from = document
                            .set_note(id.as_ref(), text, now)
                            .map_err(|e| e.to_string())?;
                        Ok(Edit::NoteSet {
                            id: id.clone(),
                            from,
                            to: wanted.clone(),
                        })
                    })
                    .unwrap();
                self.replaced(|f| {
                    matches!(f, Fact::Note { doc, on: o, text: x }
                        if *doc == doc_id && same_place(o, &on) && Some(x.as_str()) != wanted.as_deref())
                });
            }
            Op::Undo { tab, doc } | Op::Redo { tab, doc } => {
                let forward = matches!(op, Op::Redo { .. });
                let now = self.now();
                let t = &mut self.tabs[tab % tabs];
                if t.read_only || t.documents.is_empty() {
                    return;
                }
                let d = doc % t.documents.len();
                let before = spans_of(&t.documents[d].document);
                let facts_before = facts_of(&t.documents[d].document);
                let step = t.documents[d].step(now, t.by.as_ref(), forward);
                let after = spans_of(&t.documents[d].document);
                let facts_after = facts_of(&t.documents[d].document);
                self.deleted_facts
                    .extend(facts_before.difference(&facts_after).cloned());
                // What undo or redo brings back replaces what stood there before.
                for fact in facts_after.difference(&facts_before) {
                    match fact {
                        Fact::Value { doc, on, name, .. } => {
                            let (doc, on, name) = (doc.clone(), on.clone(), name.clone());
                            self.replaced(|f| {
                                matches!(f, Fact::Value { doc: d, on: o, name: n, .. }
                                    if *d == doc && same_range(o, &on) && *n == name)
                                    && f != fact
                            });
                        }
                        Fact::Note { doc, on, .. } => {
                            let (doc, on) = (doc.clone(), on.clone());
                            self.replaced(|f| {
                                matches!(f, Fact::Note { doc: d, on: o, .. }
                                    if *d == doc && same_place(o, &on))
                                    && f != fact
                            });
                        }
                        Fact::Span(_) | Fact::Relation { .. } => {}
                    }
                }
                let touched: BTreeSet<Span> =
                    before.symmetric_difference(&after).cloned().collect();
                match step {
                    Step::Applied(_) => {}
                    Step::Nothing | Step::Dropped(..) => assert!(touched.is_empty()),
                }
                for span in &touched {
                    assert!(
                        self.own[tab % tabs].contains(span),
                        "tab {tab} {} touched {span:?}, which it never made or removed",
                        if forward { "redo" } else { "undo" }
                    );
                }
                for span in before.difference(&after) {
                    self.deleted.insert(span.clone());
                }
            }
            Op::Create { tab } => {
                let now = self.now();
                self.created += 1;
                let t = &mut self.tabs[tab % tabs];
                if t.read_only {
                    return;
                }
                let id = DocumentId::new(&format!("dnew{}", self.created));
                let document = Document::new(
                    id.clone(),
                    format!("New {}", self.created),
                    ArticleText::normalize(&TEXT[..40]),
                    now,
                );
                t.documents.push(OpenDocument::new(Rc::new(document)));
                t.active = Some(id);
            }
            Op::DeleteDocument { tab, doc } => {
                let t = &mut self.tabs[tab % tabs];
                if t.read_only || t.documents.is_empty() {
                    return;
                }
                let position = doc % t.documents.len();
                let open = t.documents.remove(position);
                self.deleted.extend(spans_of(&open.document));
                self.deleted_facts.extend(facts_of(&open.document));
                if t.active.as_ref() == Some(&open.document.id) {
                    t.active = None;
                }
                t.deleted = Some(DeletedDocument { position, open });
            }
            Op::Restore { tab } => {
                let t = &mut self.tabs[tab % tabs];
                if t.read_only {
                    return;
                }
                let id = t.deleted.as_ref().map(|d| d.open.document.id.clone());
                if let Restored::Back | Restored::Merged = restore(&mut t.documents, &mut t.deleted)
                {
                    t.active = id;
                }
                let ids: Vec<&DocumentId> = t.documents.iter().map(|d| &d.document.id).collect();
                let distinct: BTreeSet<&DocumentId> = ids.iter().copied().collect();
                assert_eq!(
                    ids.len(),
                    distinct.len(),
                    "two documents with one id: {ids:?}"
                );
            }
            Op::Render { tab } => self.render(tab % tabs),
            Op::Save { tab } => self.save(tab % tabs),
            Op::Deliver { tab, pick } => {
                let t = &mut self.tabs[tab % tabs];
                if t.events.is_empty() {
                    return;
                }
                let (key, value) = t.events.remove(pick % t.events.len());
                let received = t.engine.storage_event(&self.store, &key, value.as_deref());
                t.dispatched.extend(received.change);
                if received.resave {
                    self.save(tab % tabs);
                }
            }
            Op::Lose { tab, pick } => {
                let t = &mut self.tabs[tab % tabs];
                if !t.events.is_empty() {
                    t.events.remove(pick % t.events.len());
                    t.lost_event = true;
                }
            }
            Op::Crash { tab, writes } => {
                self.render(tab % tabs);
                self.store.writes_left = Some(writes);
                self.save(tab % tabs);
                self.store.writes_left = None;
                self.restart(tab % tabs);
            }
            Op::Reload { tab } => {
                self.save(tab % tabs);
                self.restart(tab % tabs);
            }
            Op::Quota { room } => self.store.quota_bytes = Some(self.store.used_bytes() + room),
            Op::Unlimited => self.store.quota_bytes = None,
        }
    }

    /// A value or note was set in place of every one `which` picks: those are replaced, whether
    /// saved already or still to be saved from a tab's earlier render.
    fn replaced(&mut self, which: impl Fn(&Fact) -> bool) {
        let shown = self.tabs.iter().flat_map(|t| {
            t.documents
                .iter()
                .map(|d| &d.document)
                .chain(&t.rendered)
                .flat_map(|d| facts_of(d))
        });
        let gone: Vec<Fact> = self
            .saved_facts
            .iter()
            .cloned()
            .chain(shown)
            .filter(|f| which(f))
            .collect();
        self.deleted_facts.extend(gone);
    }

    fn restart(&mut self, tab: usize) {
        let fresh = self.start_tab();
        self.tabs[tab] = fresh;
    }

    /// The reducer takes in what was dispatched, and the view renders: the engine is told.
    fn render(&mut self, tab: usize) {
        let t = &mut self.tabs[tab];
        for change in std::mem::take(&mut t.dispatched) {
            match change {
                ExternalChange::Document { id, theirs, base } => {
                    if let TakenIn::Merged { dropped, .. } =
                        take_in(&mut t.documents, &mut t.deleted, &id, theirs, base)
                    {
                        assert!(dropped.is_empty(), "a merge dropped {dropped:?}");
                    }
                }
                ExternalChange::Newer(newer) => {
                    t.documents.retain(|d| d.document.id != newer.id);
                }
                ExternalChange::ReadOnly { .. } => t.read_only = true,
            }
        }
        if t.active
            .as_ref()
            .is_some_and(|a| !t.documents.iter().any(|d| &d.document.id == a))
        {
            t.active = None;
        }
        t.rendered = t.documents.iter().map(|d| Rc::clone(&d.document)).collect();
        t.engine.rendered(Snapshot {
            documents: t.rendered.clone(),
            active: t.active.clone(),
        });
    }

    /// A save; every key whose value changed becomes an event for each other tab.
    fn save(&mut self, tab: usize) {
        let before = self.store.entries().clone();
        let now = self.now();
        let t = &mut self.tabs[tab];
        let flushed = t.engine.flush(&mut self.store, now);
        if flushed.result.is_ok() && !flushed.held_back && !t.read_only {
            // The tab now shows "Saved": what it shows is stored.
            for document in &t.rendered {
                self.saved.extend(spans_of(document));
                self.saved_facts.extend(
                    facts_of(document)
                        .into_iter()
                        .filter(|f| !matches!(f, Fact::Span(_))),
                );
            }
        }
        t.dispatched.extend(flushed.found);
        let after = self.store.entries();
        let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        for key in keys {
            if before.get(key) != after.get(key) {
                for (other, t) in self.tabs.iter_mut().enumerate() {
                    if other != tab {
                        t.events.push((key.clone(), after.get(key).cloned()));
                    }
                }
            }
        }
        let loaded = load(&mut self.store.clone(), now);
        assert!(
            loaded.problems.is_empty(),
            "after a save: {:?}",
            loaded.problems
        );
    }

    /// Delivers everything, renders and saves until nothing changes any more.
    fn settle(&mut self) {
        self.store.quota_bytes = None;
        for tab in 0..self.tabs.len() {
            if self.tabs[tab].lost_event {
                self.render(tab);
                self.save(tab);
                self.restart(tab);
            }
        }
        for _round in 0..40 {
            let before = self.store.entries().clone();
            let mut busy = false;
            for tab in 0..self.tabs.len() {
                while !self.tabs[tab].events.is_empty() {
                    busy = true;
                    self.apply(&Op::Deliver { tab, pick: 0 });
                }
                busy |= !self.tabs[tab].dispatched.is_empty();
                self.render(tab);
                self.save(tab);
                busy |= !self.tabs[tab].dispatched.is_empty();
            }
            if !busy && &before == self.store.entries() {
                return;
            }
        }
        panic!("the tabs never settled");
    }

    fn check_end(&mut self) {
        let now = self.now();
        let stored = load(&mut self.store.clone(), now);
        assert!(stored.problems.is_empty(), "{:?}", stored.problems);
        let in_store: BTreeMap<String, BTreeSet<Span>> = stored
            .documents
            .iter()
            .map(|d| (d.document.id.to_string(), spans_of(&d.document)))
            .collect();
        let facts_in_store: BTreeSet<Fact> = stored
            .documents
            .iter()
            .flat_map(|d| facts_of(&d.document))
            .collect();
        let replaced: BTreeSet<_> = self.deleted_facts.iter().filter_map(loose).collect();
        let loose_in_store: BTreeSet<_> = facts_in_store.iter().filter_map(loose).collect();
        let unlinked: BTreeSet<_> = self.deleted_facts.iter().filter_map(loose_link).collect();
        for fact in self.saved_facts.difference(&self.deleted_facts) {
            if fact.spans().iter().any(|s| self.deleted.contains(s))
                || loose(fact).is_some_and(|key| replaced.contains(&key))
                || loose_link(fact).is_some_and(|key| unlinked.contains(&key))
            {
                continue;
            }
            let kept = match loose(fact) {
                Some(key) => loose_in_store.contains(&key),
                None => facts_in_store.contains(fact),
            };
            assert!(
                kept,
                "saved {fact:?} is lost; the store holds {facts_in_store:?}"
            );
        }
        for span in self.saved.difference(&self.deleted) {
            assert!(
                in_store
                    .get(&span.0)
                    .is_some_and(|spans| spans.contains(span)),
                "saved span {span:?} is lost; the store holds {in_store:?}"
            );
        }
        // Who made and changed what travels with the spans: every tab shows what the store
        // holds, and only names tabs worked under.
        let authors_in_store: Authorship = stored
            .documents
            .iter()
            .flat_map(|d| authors_of(&d.document))
            .collect();
        let names: BTreeSet<String> = (0..=self.incarnations)
            .filter_map(annotator)
            .map(|n| n.as_str().to_owned())
            .collect();
        for (span, (made_by, changed_by)) in &authors_in_store {
            for name in [made_by, changed_by].into_iter().flatten() {
                assert!(names.contains(name), "{span:?} names {name:?}");
            }
        }
        for (i, tab) in self.tabs.iter().enumerate() {
            let authors: Authorship = tab
                .documents
                .iter()
                .flat_map(|d| authors_of(&d.document))
                .collect();
            assert_eq!(
                authors, authors_in_store,
                "tab {i} and the store disagree on authors"
            );
            let shown: BTreeMap<String, BTreeSet<Span>> = tab
                .documents
                .iter()
                .map(|d| (d.document.id.to_string(), spans_of(&d.document)))
                .collect();
            assert_eq!(shown, in_store, "tab {i} and the store disagree");
            let facts: BTreeSet<Fact> = tab
                .documents
                .iter()
                .flat_map(|d| facts_of(&d.document))
                .collect();
            assert_eq!(
                facts, facts_in_store,
                "tab {i} and the store disagree on details"
            );
        }
        for (key, value) in &self.newer_entries {
            assert_eq!(
                self.store.get(key).unwrap().as_ref(),
                Some(value),
                "{key} changed"
            );
        }
    }
}

fn span_of(id: &DocumentId, range: &CharRange, label: &Label) -> Span {
    (
        id.to_string(),
        range.start().get(),
        range.end().get(),
        label.clone(),
    )
}

fn pick_annotation(
    tab: &Tab,
    doc: usize,
    pick: usize,
) -> Option<(usize, annotator_core::model::AnnotationId)> {
    if tab.read_only || tab.documents.is_empty() {
        return None;
    }
    let d = doc % tab.documents.len();
    let annotations = tab.documents[d].document.annotations();
    let a = annotations.get(pick % annotations.len().max(1))?;
    Some((d, a.id.clone()))
}

fn run(tabs: usize, newer_document: bool, newer_index: bool, ops: &[Op]) {
    let mut world = World::new(tabs, newer_document, newer_index);
    for op in ops {
        world.apply(op);
    }
    world.settle();
    world.check_end();
    if newer_index {
        let start = World::new(tabs, newer_document, newer_index);
        assert_eq!(
            world.store.entries(),
            start.store.entries(),
            "a read-only store changed"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PERSIST_MODEL_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(400),
        max_shrink_iters: 4000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn tabs_over_one_store_never_lose_saved_work(
        tabs in 2..=3usize,
        newer_document in proptest::bool::weighted(0.3),
        newer_index in proptest::bool::weighted(0.05),
        ops in proptest::collection::vec(op(), 1..80),
    ) {
        run(tabs, newer_document, newer_index, &ops);
    }
}

/// A deletion's text-key event arriving alone (its document-key event lost) must not make the
/// other tab write the deleted article back.
#[test]
fn a_lone_text_event_of_a_deletion_does_not_bring_the_article_back() {
    let mut world = World::new(2, false, false);
    world.apply(&Op::DeleteDocument { tab: 0, doc: 0 });
    world.render(0);
    world.save(0);
    let events = world.tabs[1].events.clone();
    assert_eq!(events.len(), 3, "document, text and index: {events:?}");
    let text_event = events
        .iter()
        .position(|(key, _)| stored::is_text_key(key).is_some())
        .unwrap();
    world.apply(&Op::Deliver {
        tab: 1,
        pick: text_event,
    });
    world.tabs[1].events.clear();
    world.render(1);
    world.save(1);
    assert!(
        world
            .store
            .get(&stored::document_key(&DocumentId::new("dseed")))
            .unwrap()
            .is_none(),
        "the deleted article was saved again"
    );
    assert!(world.tabs[1].documents.is_empty());
}

/// Defect 1, as first seen in Chromium: two tabs each add an annotation under the same id
/// before seeing the other's save; the merge renames one. The undo there removes this tab's own
/// annotation (under its new id), and the other tab's stays, here and in storage.
#[test]
fn undo_after_a_renaming_merge_undoes_this_tabs_own_edit() {
    let mut world = World::new(2, false, false);
    for op in [
        Op::Add {
            tab: 0,
            doc: 0,
            start: 0,
            len: 3,
            label: 0,
        },
        Op::Add {
            tab: 1,
            doc: 0,
            start: 10,
            len: 4,
            label: 1,
        },
        Op::Render { tab: 0 },
        Op::Render { tab: 1 },
        Op::Save { tab: 1 },
        Op::Save { tab: 0 },
        Op::Render { tab: 0 },
    ] {
        world.apply(&op);
    }
    let document = &world.tabs[0].documents[0];
    let mut history = (*document.history).clone();
    let mut copy = (*document.document).clone();
    assert!(
        matches!(history.undo(&mut copy, at(99)), Step::Applied(Edit::Added(a)) if a.range == CharRange::from_raw(0, 3).unwrap()),
        "the undo applies to this tab's own annotation under its new id"
    );
    world.apply(&Op::Undo { tab: 0, doc: 0 });
    world.settle();
    world.check_end();
    let seed = DocumentId::new("dseed");
    let stored = load(&mut world.store.clone(), at(999));
    let spans = spans_of(
        &stored
            .documents
            .iter()
            .find(|d| d.document.id == seed)
            .unwrap()
            .document,
    );
    assert_eq!(
        spans,
        BTreeSet::from([("dseed".to_owned(), 10, 14, Label::Entity)])
    );
}

/// Undo after another tab relabelled this tab's annotation: the step no longer fits and is
/// dropped; the other tab's label stays.
#[test]
fn undo_of_an_addition_another_tab_relabelled_is_dropped() {
    let mut world = World::new(2, false, false);
    for op in [
        Op::Add {
            tab: 0,
            doc: 0,
            start: 0,
            len: 3,
            label: 0,
        },
        Op::Render { tab: 0 },
        Op::Save { tab: 0 },
        Op::Deliver { tab: 1, pick: 0 },
        Op::Render { tab: 1 },
        Op::Relabel {
            tab: 1,
            doc: 0,
            pick: 0,
            label: 2,
        },
        Op::Render { tab: 1 },
        Op::Save { tab: 1 },
        Op::Deliver { tab: 0, pick: 0 },
        Op::Render { tab: 0 },
    ] {
        world.apply(&op);
    }
    let open = &mut world.tabs[0].documents[0];
    assert!(matches!(open.step(at(99), None, false), Step::Dropped(..)));
    assert_eq!(open.document.annotations()[0].label, Label::Claim);
}

/// A save that raced this tab's saves (made from a version this tab no longer remembers, as
/// localStorage has no transactions across tabs) is merged without a base: it deletes nothing.
/// Guessing the last saved copy as base made this tab's additions look like deletions.
#[test]
fn a_racing_save_from_a_forgotten_version_deletes_nothing() {
    let mut world = World::new(2, false, false);
    // What tab 1 reads, before any of tab 0's saves lands.
    let mut stale = world.store.clone();
    for i in 0..annotator_core::persist::engine::REMEMBERED_VERSIONS + 1 {
        world.apply(&Op::Add {
            tab: 0,
            doc: 0,
            start: i * 3,
            len: 2,
            label: 0,
        });
        world.render(0);
        world.save(0);
    }
    let ours = spans_of(&world.tabs[0].documents[0].document);
    world.apply(&Op::Add {
        tab: 1,
        doc: 0,
        start: 50,
        len: 3,
        label: 1,
    });
    world.render(1);
    let theirs_added = spans_of(&world.tabs[1].documents[0].document);
    assert_eq!(theirs_added.len(), 1);
    let flushed = world.tabs[1].engine.flush(&mut stale, at(5_000));
    assert!(flushed.result.is_ok() && !flushed.held_back);
    let key = stored::document_key(&DocumentId::new("dseed"));
    let theirs = stale.get(&key).unwrap().unwrap();
    world.store.set(&key, &theirs).unwrap();
    world.tabs[0].events.clear();
    world.tabs[0].events.push((key, Some(theirs)));
    world.apply(&Op::Deliver { tab: 0, pick: 0 });
    world.render(0);
    let merged = spans_of(&world.tabs[0].documents[0].document);
    assert!(
        merged.is_superset(&ours),
        "this tab's annotations were taken for deleted"
    );
    assert!(
        merged.is_superset(&theirs_added),
        "the other tab's addition is kept"
    );
}

/// Events can come out of order. One for a version that a later one already replaced must not
/// be taken in after it: merged with its own older base, it would shuffle annotation ids, and a
/// relation in the next version would land on the wrong annotation.
#[test]
fn a_late_event_for_a_replaced_version_is_not_taken_in_again() {
    let mut world = World::new(2, false, false);
    let document_key = stored::document_key(&DocumentId::new("dseed"));
    for (start, label) in [(0, 0), (0, 1)] {
        world.apply(&Op::Add {
            tab: 0,
            doc: 0,
            start,
            len: 1,
            label,
        });
        world.render(0);
        world.save(0);
    }
    let document_events: Vec<usize> = world.tabs[1]
        .events
        .iter()
        .enumerate()
        .filter(|(_, (key, _))| *key == document_key)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(document_events.len(), 2, "one per save");
    // The second save's event first, then the first save's.
    world.apply(&Op::Deliver {
        tab: 1,
        pick: document_events[1],
    });
    world.apply(&Op::Deliver {
        tab: 1,
        pick: document_events[0],
    });
    assert_eq!(
        world.tabs[1].dispatched.len(),
        1,
        "the replaced version was handed out again"
    );
    world.render(1);
    assert_eq!(
        spans_of(&world.tabs[1].documents[0].document),
        spans_of(&world.tabs[0].documents[0].document)
    );
}
