//! [`SaveEngine`]: the save-and-merge engine of one tab, as a pure state machine over a
//! [`Store`]. The browser hook only wires it: it calls [`SaveEngine::rendered`] after each
//! render, [`SaveEngine::flush`] on its timer and when the page is hidden, and
//! [`SaveEngine::storage_event`] for each `storage` event; it dispatches what they return.
//!
//! Only documents whose `Rc` changed since the last save are re-serialised, each under its own
//! key and always before the index, so an interrupted save leaves every key readable. A
//! document's text has a key of its own, written before the document entry and only when storage
//! does not hold it yet: saving an edit rewrites the annotations, never the text.
//!
//! Another tab's save reaches this tab as a `storage` event, some time after it was written, and
//! an engine may not deliver it at all. So a save never overwrites a document entry this tab has
//! not seen: it reads the entry first, and one written by another tab since is merged into this
//! tab's state (from the version both were made from) and saved with the next save instead.
//! Events also come late and out of order: each entry names the versions its content already
//! holds (its parent and a bounded lineage), so a late event for one of those is nothing new,
//! while an event for a version no later one holds is another tab's work and is merged. An event
//! for a document since deleted, whose deletion this tab has taken in, is nothing new either.
//!
//! An entry written by a newer version of the app is never written, moved or removed: its
//! document becomes read-only here ([`ExternalChange::Newer`]), and a newer index makes the
//! whole store read-only ([`ExternalChange::ReadOnly`]).

use std::collections::HashMap;
use std::rc::Rc;

use super::load::{entry_sizes, NewerDocument};
use super::store::{entry_bytes, Store, StoreError};
use super::stored::{self, Lineage, StoredDocument, StoredError, StoredIndex, TextFingerprint};
use crate::model::{ArticleText, Document, DocumentId, Timestamp};

/// How many stored versions per document a tab remembers to find common ancestors.
pub const REMEMBERED_VERSIONS: usize = 16;

/// How many superseded versions a document's entry remembers (see `Known::superseded`).
const REMEMBERED_SUPERSEDED: usize = 64;

/// How many earlier versions a saved entry names as superseded: enough for the events a
/// browser can still be delivering late, a few hundred bytes per entry.
const LINEAGE_IN_ENTRY: usize = 24;

/// What the tab shows: its documents in list order and the open one.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub documents: Vec<Rc<Document>>,
    pub active: Option<DocumentId>,
}

/// Something another tab (or a newer version of the app) did to storage, for the tab's state
/// to take in.
#[derive(Clone, Debug)]
pub enum ExternalChange {
    /// Another tab saved (`theirs`) or deleted (`None`) a document. `base` is the version both
    /// tabs' states descend from, when this tab still remembers it: it tells this tab's edits
    /// from the other tab's. Without it the merge deletes nothing.
    Document {
        id: DocumentId,
        theirs: Option<Rc<Document>>,
        base: Option<Rc<Document>>,
    },
    /// A newer version of the app saved this document: it is read-only here from now on.
    Newer(NewerDocument),
    /// A newer version of the app wrote the index: nothing is saved from this tab any more.
    ReadOnly { version: u32 },
}

/// What a [`SaveEngine::flush`] did.
#[derive(Debug)]
pub struct Flushed {
    pub result: Result<(), StoreError>,
    /// Changes of other tabs found while saving (entries this tab was about to overwrite), to
    /// take in before the next save writes the merged result.
    pub found: Vec<ExternalChange>,
    /// Some document was not written because another tab's change to it is not taken in yet:
    /// what the tab shows is not all saved, even if `result` is `Ok`. The next save (after the
    /// render that takes the change in) writes it.
    pub held_back: bool,
}

/// What a [`SaveEngine::storage_event`] found.
#[derive(Debug, Default)]
pub struct Received {
    pub change: Option<ExternalChange>,
    /// A document's text entry was removed while its document is kept: save soon, to write it
    /// back.
    pub resave: bool,
}

/// What this tab knows of one document's stored state. One map of these, not one map per field:
/// each map type is its own copy of the hash table code in the bundle.
#[derive(Default)]
struct Known {
    /// What storage holds, as far as this tab knows (`None`: write it at the next save).
    saved: Option<Rc<Document>>,
    /// Recent stored versions this tab wrote or received, newest last (the newest is the next
    /// save's parent): when another tab saves, the version its save was made from is the base
    /// of the merge.
    versions: Vec<(String, Rc<Document>)>,
    /// Which version of the document's entry this tab last wrote or read: a save that finds
    /// another version in storage has met a save this tab has not merged.
    entry: Option<String>,
    /// The fingerprint of the document's text, computed once per text (hashing a 1 MB text
    /// takes milliseconds): every save of the document records it.
    text: Option<(ArticleText, TextFingerprint)>,
    /// Versions that a version this tab wrote or received was made from, newest last: their
    /// content is in that later version already. An event for one of them that comes late is
    /// nothing new (merged against its own older base, it would shuffle annotation ids, and a
    /// relation in the next version would land on the wrong annotation).
    superseded: Vec<String>,
}

/// A version id's writer and time (see [`stored::version_id`]).
fn split_version(version: &str) -> Option<(&str, i64)> {
    let (writer, millis) = version.rsplit_once('@')?;
    Some((writer, millis.parse().ok()?))
}

/// The save-and-merge state of one tab; see the module documentation.
#[derive(Default)]
pub struct SaveEngine {
    /// The tab id recorded as the writer of every save.
    writer: String,
    known: HashMap<DocumentId, Known>,
    saved_index: Option<StoredIndex>,
    latest: Snapshot,
    /// Size of each of our keys; read from storage once, then kept up to date.
    sizes: Option<HashMap<String, u64>>,
    /// Bytes other keys on the origin take; read with `sizes` and again after a failure.
    other_bytes: u64,
    /// Documents another tab changed, whose change is handed out but not yet part of `latest`
    /// (that takes a render). A save in between must neither write nor remove them: `latest`
    /// still holds this tab's state from before the change. A list: one burst holds a few.
    incoming: Vec<DocumentId>,
    /// Documents a newer version of the app saved: never written or removed by this tab, and
    /// kept in the index it writes.
    newer: Vec<DocumentId>,
    /// A newer version of the app wrote the index: this tab writes nothing at all.
    read_only: bool,
}

impl SaveEngine {
    /// An engine for the tab `writer`, which starts with what [`super::load()`] found:
    /// `documents` with the stored version each was read from (and the earlier versions that
    /// one holds), the documents a newer version saved, and whether the index was a newer one.
    pub fn new(
        writer: String,
        documents: &[(Rc<Document>, Option<Lineage>)],
        newer: Vec<DocumentId>,
        read_only: bool,
    ) -> Self {
        let mut engine = Self {
            writer,
            newer,
            read_only,
            ..Self::default()
        };
        for (document, lineage) in documents {
            match lineage {
                Some(lineage) => {
                    for earlier in &lineage.earlier {
                        engine.supersede(&document.id, Some(earlier.clone()));
                    }
                    let version = lineage.version.clone();
                    engine.remember(&document.id, version, Rc::clone(document));
                }
                None => engine.known(&document.id).saved = Some(Rc::clone(document)),
            }
        }
        engine.latest = Snapshot {
            documents: documents.iter().map(|(d, _)| Rc::clone(d)).collect(),
            active: None,
        };
        engine
    }

    /// The tab rendered `snapshot`, which includes every change handed out so far. Returns the
    /// previous snapshot: often the last reference to the documents before an edit, which the
    /// caller may free after the frame instead of inside it.
    pub fn rendered(&mut self, snapshot: Snapshot) -> Snapshot {
        self.incoming.clear();
        std::mem::replace(&mut self.latest, snapshot)
    }

    /// Whether nothing may be saved from this tab (a newer version wrote the index).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Bytes our keys take, once known.
    pub fn used_bytes(&self) -> Option<u64> {
        self.sizes.as_ref().map(|sizes| sizes.values().sum())
    }

    /// Bytes other keys of the origin take (they share the quota).
    pub fn other_bytes(&self) -> u64 {
        self.other_bytes
    }

    fn measure(&mut self, store: &impl Store) {
        let (ours, others) = entry_sizes(store);
        self.sizes = Some(ours.into_iter().collect());
        self.other_bytes = others;
    }

    fn write(
        &mut self,
        store: &mut impl Store,
        key: String,
        value: &str,
    ) -> Result<(), StoreError> {
        // Encoding plain strings and numbers cannot fail, but should it ever, an empty entry
        // must not replace a good one.
        if value.is_empty() {
            return Err(StoreError::Write(format!("{key} could not be encoded")));
        }
        store.set(&key, value)?;
        let bytes = entry_bytes(&key, value);
        self.sizes
            .get_or_insert_with(HashMap::new)
            .insert(key, bytes);
        Ok(())
    }

    /// Keeps the size of `key` up to date: `value` is what it now holds (`None`: removed).
    fn note_size(&mut self, key: &str, value: Option<&str>) {
        if let Some(sizes) = &mut self.sizes {
            match value {
                Some(value) => sizes.insert(key.to_owned(), entry_bytes(key, value)),
                None => sizes.remove(key),
            };
        }
    }

    /// The fingerprint of a document's text, from the cache when it is the same text.
    fn fingerprint(&mut self, id: &DocumentId, text: &ArticleText) -> TextFingerprint {
        let known = self.known(id);
        if let Some((cached, fingerprint)) = &known.text {
            if cached.ptr_eq(text) {
                return *fingerprint;
            }
        }
        let fingerprint = TextFingerprint::of(text.as_str());
        known.text = Some((text.clone(), fingerprint));
        fingerprint
    }

    /// Writes what changed: removals first (they free space, and a deleted document needs no
    /// index entry to stay deleted; its document entry before its text entry), then documents
    /// (each one's text entry first, when storage does not hold it), then the index, so an
    /// interruption at any point leaves every stored key readable and every stored document
    /// findable with its text. A failure keeps everything in memory: the next flush tries again.
    pub fn flush(&mut self, store: &mut impl Store, now: Timestamp) -> Flushed {
        let mut found = Vec::new();
        let result = self.try_flush(store, now, &mut found);
        if matches!(
            result,
            Err(StoreError::QuotaExceeded | StoreError::Write(_))
        ) {
            // Something else may have filled the origin: measure again to tell the user why.
            self.measure(store);
        }
        let held_back = !found.is_empty()
            || self
                .latest
                .documents
                .iter()
                .any(|d| self.incoming.contains(&d.id));
        Flushed {
            result,
            found,
            held_back,
        }
    }

    fn try_flush(
        &mut self,
        store: &mut impl Store,
        now: Timestamp,
        found: &mut Vec<ExternalChange>,
    ) -> Result<(), StoreError> {
        if self.read_only {
            return Ok(());
        }
        if self.sizes.is_none() {
            self.measure(store);
        }
        // Texts count too: a document whose text was written but not its entry (the quota ran
        // out in between) leaves no text behind when it is deleted.
        let mut gone: Vec<DocumentId> = Vec::new();
        for (id, known) in &self.known {
            if known.saved.is_none() && known.text.is_none() {
                continue;
            }
            let kept = self.latest.documents.iter().any(|d| &d.id == id);
            if !kept
                && !self.incoming.contains(id)
                && !self.newer.contains(id)
                && !gone.contains(id)
            {
                gone.push(id.clone());
            }
        }
        for id in gone {
            if let Some(change) = self.unseen_save(store, &id) {
                // Edited in another tab since this tab last looked: an edit beats a delete, so
                // the document comes back here with that edit instead of being removed.
                found.push(change);
                continue;
            }
            for key in [stored::document_key(&id), stored::text_key(&id)] {
                store.remove(&key)?;
                self.note_size(&key, None);
            }
            self.forget(&id);
        }
        for document in self.latest.documents.clone() {
            let unchanged = self
                .known
                .get(&document.id)
                .and_then(|known| known.saved.as_ref())
                .is_some_and(|saved| Rc::ptr_eq(saved, &document));
            if unchanged
                || self.incoming.contains(&document.id)
                || self.newer.contains(&document.id)
            {
                continue;
            }
            if let Some(change) = self.unseen_save(store, &document.id) {
                // Written by another tab (or a newer app) since this tab last looked:
                // overwriting it would lose that work. Take it in first; the merged document is
                // saved next time.
                found.push(change);
                continue;
            }
            let text = document.text();
            let fingerprint = self.fingerprint(&document.id, text);
            let text_key = stored::text_key(&document.id);
            if !store.starts_with(&text_key, &stored::text_entry_prefix(fingerprint)) {
                let value = stored::encode_text(text.as_str(), now);
                self.write(store, text_key, &value)?;
            }
            let parent = self
                .known
                .get(&document.id)
                .and_then(|known| known.versions.last())
                .map(|(version, _)| version.clone());
            let json = stored::encode_document(
                &document,
                fingerprint,
                now,
                &self.writer,
                parent.as_deref(),
                &self.lineage(&document.id),
            );
            self.write(store, stored::document_key(&document.id), &json)?;
            let id = document.id.clone();
            self.supersede(&id, parent);
            let version = stored::version_id(&self.writer, now);
            self.known(&id).entry = Some(version.clone());
            self.remember(&id, version, document);
        }
        let index = self.index();
        if self.saved_index.as_ref() != Some(&index) {
            if let Some(version) = self.newer_index_in(store) {
                self.read_only = true;
                found.push(ExternalChange::ReadOnly { version });
                return Ok(());
            }
            self.write(store, stored::index_key(), &stored::encode_index(&index))?;
            self.saved_index = Some(index);
        }
        Ok(())
    }

    /// The index to store: the documents shown, then those a newer version saved (this tab
    /// cannot show them, but must not lose them from the list).
    fn index(&self) -> StoredIndex {
        let shown = self.latest.documents.iter().map(|d| &d.id);
        StoredIndex {
            documents: shown.chain(&self.newer).map(ToString::to_string).collect(),
            active: self.latest.active.as_ref().map(ToString::to_string),
            ..StoredIndex::default()
        }
    }

    /// The schema version of the stored index when a newer version of the app wrote it.
    fn newer_index_in(&self, store: &impl Store) -> Option<u32> {
        let json = store.get(&stored::index_key()).ok().flatten()?;
        stored::newer_schema(&json)
    }

    fn known(&mut self, id: &DocumentId) -> &mut Known {
        self.known.entry(id.clone()).or_default()
    }

    fn remember(&mut self, id: &DocumentId, version: String, document: Rc<Document>) {
        let known = self.known(id);
        if known.versions.len() == REMEMBERED_VERSIONS {
            known.versions.remove(0);
        }
        known.versions.push((version, Rc::clone(&document)));
        known.saved = Some(document);
    }

    /// `parent`, which a version this tab wrote or received was made from, is superseded.
    fn supersede(&mut self, id: &DocumentId, parent: Option<String>) {
        let Some(parent) = parent else {
            return;
        };
        let superseded = &mut self.known(id).superseded;
        if superseded.contains(&parent) {
            return;
        }
        if superseded.len() == REMEMBERED_SUPERSEDED {
            superseded.remove(0);
        }
        superseded.push(parent);
    }

    /// The versions whose content a save of `id` now holds, for the entry to carry (see
    /// [`StoredDocument::supersedes`]): those this tab wrote or received, and those they
    /// superseded, the most recent [`LINEAGE_IN_ENTRY`].
    fn lineage(&self, id: &DocumentId) -> Vec<String> {
        let Some(known) = self.known.get(id) else {
            return Vec::new();
        };
        let held = known.versions.iter().map(|(version, _)| version);
        let mut lineage: Vec<String> = Vec::new();
        for version in known.superseded.iter().chain(held).rev() {
            if lineage.len() == LINEAGE_IN_ENTRY {
                break;
            }
            if !lineage.contains(version) {
                lineage.push(version.clone());
            }
        }
        lineage.reverse();
        lineage
    }

    /// Whether a later version this tab knows holds `version`'s content: one made from it, or
    /// a later save by the same tab, whether this tab received that save or only a version
    /// made from it. (A tab's saves are one line: each is made from its state after the one
    /// before, whatever else it took in between.)
    fn is_superseded(&self, id: &DocumentId, version: &str) -> bool {
        let Some(known) = self.known.get(id) else {
            return false;
        };
        let later_save_of_its_writer = split_version(version).is_some_and(|(writer, at)| {
            let held = known.versions.iter().map(|(other, _)| other);
            held.chain(&known.superseded).any(|other| {
                split_version(other).is_some_and(|(w, other_at)| w == writer && other_at > at)
            })
        });
        later_save_of_its_writer || known.superseded.iter().any(|v| v == version)
    }

    fn forget(&mut self, id: &DocumentId) -> Option<Rc<Document>> {
        self.known.remove(id)?.saved
    }

    /// Reads a document entry another tab wrote. Its text is the one this tab has whenever the
    /// fingerprints agree (no need to read and index megabytes again); otherwise it is read from
    /// its text entry, which that tab wrote first.
    fn decode_theirs(
        &mut self,
        store: &impl Store,
        id: &DocumentId,
        json: &str,
    ) -> Result<StoredDocument, StoredError> {
        let entry = stored::read_document(json)?;
        let Some(needed) = entry.needs_text() else {
            return entry.with_text_entry(None);
        };
        let ours = self
            .known
            .get(id)
            .and_then(|known| known.saved.as_ref())
            .map(|d| d.text().clone());
        if let Some(text) = ours {
            let fingerprint = self.fingerprint(id, &text);
            if fingerprint == needed {
                return entry.with_text(&text, fingerprint);
            }
        }
        let text_entry = store.get(&stored::text_key(id)).ok().flatten();
        let stored = entry.with_text_entry(text_entry.as_deref())?;
        self.known(id).text = Some((stored.document.text().clone(), stored.text));
        Ok(stored)
    }

    /// The document entry storage holds for `id` when another tab wrote it and this tab has not
    /// taken it in yet, as the change to hand out; the entry is then known. An entry this tab
    /// cannot read because it is damaged gives `None`, as before this check: the save replaces
    /// it. One a newer version wrote makes the document read-only.
    fn unseen_save(&mut self, store: &impl Store, id: &DocumentId) -> Option<ExternalChange> {
        let key = stored::document_key(id);
        // The version is named in the entry's first characters: a look at them, not a read of
        // an entry that is hundreds of kilobytes for a long article, is enough when it is known.
        let head = store.head(&key, stored::VERSION_HEAD_UNITS)?;
        let version = stored::version_in_head(&head);
        let entry = self.known.get(id).and_then(|known| known.entry.as_ref());
        if version.is_some() && entry == version.as_ref() {
            return None;
        }
        let json = store.get(&key).ok().flatten()?;
        match self.decode_theirs(store, id, &json) {
            Ok(stored) => {
                self.known(id).entry = Some(stored.version());
                self.receive(id, Some(stored))
            }
            Err(StoredError::NewerVersion { found }) => Some(self.became_newer(id, &json, found)),
            Err(_) => None,
        }
    }

    /// A newer version of the app saved document `id`: this tab leaves it alone from now on.
    fn became_newer(&mut self, id: &DocumentId, json: &str, version: u32) -> ExternalChange {
        self.forget(id);
        if !self.newer.contains(id) {
            self.newer.push(id.clone());
        }
        if !self.incoming.contains(id) {
            self.incoming.push(id.clone());
        }
        ExternalChange::Newer(NewerDocument {
            id: id.clone(),
            title: stored::newer_entry_title(json),
            version,
        })
    }

    /// Takes in what another tab stored for `id` (`None`: it removed the document) and returns
    /// the change to hand out, or `None` when this tab already knows that version (a late event
    /// for an entry a save of this tab already read and merged) or that removal.
    fn receive(
        &mut self,
        id: &DocumentId,
        stored: Option<StoredDocument>,
    ) -> Option<ExternalChange> {
        let (theirs, base) = match stored {
            Some(stored) => {
                let version = stored.version();
                let known = self
                    .known
                    .get(id)
                    .is_some_and(|known| known.versions.iter().any(|(v, _)| *v == version));
                if known {
                    return None;
                }
                let base = self.base_for(id, &stored);
                self.supersede(id, stored.parent.clone());
                for earlier in stored.supersedes {
                    self.supersede(id, Some(earlier));
                }
                let theirs = Rc::new(stored.document);
                self.remember(id, version, Rc::clone(&theirs));
                (Some(theirs), base)
            }
            // Removed, and this tab had it stored: the last stored version is what both tabs
            // agreed on, so it tells whether this tab changed the document since.
            None => (None, Some(self.forget(id)?)),
        };
        if !self.incoming.contains(id) {
            self.incoming.push(id.clone());
        }
        Some(ExternalChange::Document {
            id: id.clone(),
            theirs,
            base,
        })
    }

    /// A common ancestor of this tab's state and a version another tab just saved: of the
    /// versions it holds (its parent and lineage) that this tab remembers, the latest (every
    /// version this tab remembers is in its state). Guessing (say, the last stored copy) would
    /// make this tab's own additions since that copy look like the other tab's deletions; with
    /// no base the merge deletes nothing.
    fn base_for(&self, id: &DocumentId, theirs: &StoredDocument) -> Option<Rc<Document>> {
        let versions = &self.known.get(id)?.versions;
        let held = |version: &String| {
            theirs.parent.as_ref() == Some(version) || theirs.supersedes.contains(version)
        };
        versions
            .iter()
            .filter(|(version, _)| held(version))
            .max_by_key(|(version, _)| split_version(version).map(|(_, at)| at))
            .map(|(_, document)| Rc::clone(document))
    }

    /// Another tab wrote (`new_value`) or removed (`None`) `key`, as a `storage` event says.
    /// A `None` key (another tab cleared the whole storage) is not passed here: this tab keeps
    /// what it has, and it is saved again.
    pub fn storage_event(
        &mut self,
        store: &impl Store,
        key: &str,
        new_value: Option<&str>,
    ) -> Received {
        if let Some(id) = stored::is_text_key(key).map(DocumentId::new) {
            return self.text_event(store, key, &id, new_value);
        }
        if key == stored::index_key() {
            return self.index_event(new_value);
        }
        let Some(id) = stored::is_document_key(key).map(DocumentId::new) else {
            return Received::default();
        };
        self.note_size(key, new_value);
        let stored_here = self.known.get(&id).is_some_and(|k| k.saved.is_some());
        if new_value.is_some() && !stored_here && store.head(key, 1).is_none() {
            // A late event for a document deleted since, whose deletion this tab has taken in
            // (or never had it). A tab deletes only after taking in what storage holds, so that
            // deletion saw this version: bringing it back would undo the user's delete.
            return Received::default();
        }
        let change = match new_value {
            Some(json) => match self.decode_theirs(store, &id, json) {
                Ok(stored) => {
                    // Events can come late: this version may have been written over since. By
                    // a version made from it, which holds its content (take that in instead, or
                    // nothing if it is known), or blindly, by a tab that had not seen it: then
                    // this event is the only copy of that work, and it is merged.
                    let stored = match self.successor_in(store, &id, key, &stored) {
                        Some(successor) => {
                            // What the event's version was made from is superseded too (an
                            // entry written before lineages were recorded does not say so).
                            self.supersede(&id, stored.parent);
                            successor
                        }
                        None => stored,
                    };
                    if self.is_superseded(&id, &stored.version()) {
                        return Received::default();
                    }
                    let version = stored.version();
                    let written_over = self
                        .version_in(store, key)
                        .is_some_and(|now| now != version);
                    let change = self.receive(&id, Some(stored));
                    if change.is_some() {
                        if written_over {
                            // Storage holds another tab's version, not this one: the merge is
                            // written by the next save (which takes that version in first, if
                            // this tab has not seen it), not taken for what is stored.
                            self.known(&id).saved = None;
                        } else {
                            self.known(&id).entry = Some(version);
                        }
                    }
                    change
                }
                Err(StoredError::NewerVersion { found }) => {
                    Some(self.became_newer(&id, json, found))
                }
                // Damaged, or its text entry is already gone or replaced (a later event brings
                // what replaced it): leave it alone; the next start-up moves it aside if it is
                // still unreadable then.
                Err(_) => None,
            },
            // A late event: the entry was written again since (by this tab, say, keeping its
            // edits), and storage is what counts.
            None if store.head(key, 1).is_some() => None,
            None => self.receive(&id, None),
        };
        Received {
            change,
            resave: false,
        }
    }

    /// The version of the document entry under `key`. The entry's first characters name it: the
    /// same version means the same entry, found without reading a megabyte.
    fn version_in(&self, store: &impl Store, key: &str) -> Option<String> {
        store
            .head(key, stored::VERSION_HEAD_UNITS)
            .and_then(|head| stored::version_in_head(&head))
    }

    /// What storage holds under `key` now, when it was made from the version `event_json`
    /// (`event`) that an event brought: the newer version, which holds that one's content.
    fn successor_in(
        &mut self,
        store: &impl Store,
        id: &DocumentId,
        key: &str,
        event: &StoredDocument,
    ) -> Option<StoredDocument> {
        let now_holds = self.version_in(store, key);
        if now_holds.is_none_or(|version| version == event.version()) {
            return None;
        }
        let current = store.get(key).ok().flatten()?;
        let current = self.decode_theirs(store, id, &current).ok()?;
        (current.parent.as_deref() == Some(event.version().as_str())).then_some(current)
    }

    fn index_event(&mut self, new_value: Option<&str>) -> Received {
        let newer = new_value.and_then(stored::newer_schema);
        match newer {
            Some(version) if !self.read_only => {
                self.read_only = true;
                Received {
                    change: Some(ExternalChange::ReadOnly { version }),
                    resave: false,
                }
            }
            // Any other index write: documents missing from an index are found at start-up
            // anyway, and rewriting ours after every other tab's would only churn.
            _ => Received::default(),
        }
    }

    /// Another tab wrote or removed a text entry. A removed one whose document entry is gone
    /// too was a deletion of the document (its own event may come late or never). A removed one
    /// that this tab's document still needs (another tab moved it aside, or deleted the document
    /// while this tab kept it) is written again by the next save, with the document entry.
    fn text_event(
        &mut self,
        store: &impl Store,
        key: &str,
        id: &DocumentId,
        new_value: Option<&str>,
    ) -> Received {
        self.note_size(key, new_value);
        let saved = self
            .known
            .get(id)
            .is_some_and(|known| known.saved.is_some());
        if new_value.is_some() || !saved {
            return Received::default();
        }
        if store.head(&stored::document_key(id), 1).is_none() {
            return Received {
                change: self.receive(id, None),
                resave: false,
            };
        }
        self.known(id).saved = None;
        Received {
            change: None,
            resave: true,
        }
    }
}
