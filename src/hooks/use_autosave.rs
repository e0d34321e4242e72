//! Saves changed documents to localStorage at most [`SAVE_DELAY_MS`] after the first unsaved
//! change, and at once when the page is hidden or closed; applies what other tabs save.
//!
//! Only documents whose `Rc` changed since the last save are re-serialised, each under its own
//! key and always before the index, so an interrupted save leaves every key readable. A
//! document's text has a key of its own, written before the document entry and only when storage
//! does not hold it yet: saving an edit rewrites the annotations, never the text. A failed save
//! keeps everything in memory and is retried every [`RETRY_MS`] and after every change.
//!
//! Another tab's save reaches this tab as a `storage` event, some time after it was written, and
//! an engine may not deliver it at all. So a save never overwrites a document entry this tab has
//! not seen: it reads the entry first, and one written by another tab since is merged into this
//! tab's state (from the version both were made from) and saved with the next save instead.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::clock::{now, tab_id};
use crate::state::{Action, AppState, SaveStatus};
use crate::storage::{self, StorageError};
use annotator_core::model::{ArticleText, Document, DocumentId};
use annotator_core::persist::stored::{
    self, StoredDocument, StoredError, StoredIndex, TextFingerprint,
};

/// Delay between the first unsaved change and the save. A throttle, not a debounce: a stream of
/// edits cannot postpone the save.
pub const SAVE_DELAY_MS: u32 = 250;
/// How often a failed save is retried while nothing else changes.
pub const RETRY_MS: u32 = 5000;

#[derive(Clone, Default)]
struct Snapshot {
    documents: Vec<Rc<Document>>,
    active: Option<DocumentId>,
}

impl Snapshot {
    fn of(state: &AppState) -> Self {
        Self {
            documents: state
                .documents
                .iter()
                .map(|d| Rc::clone(&d.document))
                .collect(),
            active: state.active.clone(),
        }
    }

    fn index(&self) -> StoredIndex {
        StoredIndex {
            documents: self.documents.iter().map(|d| d.id.to_string()).collect(),
            active: self.active.as_ref().map(ToString::to_string),
            ..StoredIndex::default()
        }
    }
}

/// How many stored versions per document a tab remembers to find common ancestors.
const REMEMBERED_VERSIONS: usize = 16;

#[derive(Default)]
struct Saver {
    /// What storage holds, as far as this tab knows.
    saved: HashMap<DocumentId, Rc<Document>>,
    /// The version id of what storage holds, as far as this tab knows (the next save's parent).
    current_version: HashMap<DocumentId, String>,
    /// Recent stored versions this tab wrote or received, newest last: when another tab saves,
    /// the version its save was made from is the base of the merge.
    versions: HashMap<DocumentId, Vec<(String, Rc<Document>)>>,
    saved_index: Option<StoredIndex>,
    latest: Snapshot,
    timer: Option<Timeout>,
    dispatcher: Option<UseReducerDispatcher<AppState>>,
    /// Size of each of our keys; read from storage once, then kept up to date.
    sizes: Option<HashMap<String, u64>>,
    /// Bytes other keys on the origin take; read with `sizes` and again after a failure.
    other_bytes: u64,
    /// Which version of each document's entry this tab last wrote or read: a save that finds
    /// another version in storage has met a save this tab has not merged.
    entries: HashMap<DocumentId, String>,
    /// Documents another tab changed, whose `ExternalChange` is dispatched but not yet part of
    /// `latest` (that takes a render). A save in between must neither write nor remove them:
    /// `latest` still holds this tab's state from before the change.
    /// A list, not a set: it holds the few documents of one burst of another tab's saves.
    incoming: Vec<DocumentId>,
    /// Changes found by a save (another tab's entries it was about to overwrite), dispatched
    /// once the save is over.
    found: Vec<Action>,
    /// The fingerprint of each document's text, computed once per text (hashing a 1 MB text
    /// takes milliseconds): every save of the document records it.
    texts: HashMap<DocumentId, (ArticleText, TextFingerprint)>,
}

impl Saver {
    fn write(
        &mut self,
        storage: &web_sys::Storage,
        key: String,
        value: &str,
    ) -> Result<(), StorageError> {
        storage::write(storage, &key, value)?;
        let bytes = storage::entry_bytes(&key, value);
        self.sizes
            .get_or_insert_with(HashMap::new)
            .insert(key, bytes);
        Ok(())
    }

    /// Keeps the size of `key` up to date: `value` is what it now holds (`None`: removed).
    fn note_size(&mut self, key: &str, value: Option<&str>) {
        if let Some(sizes) = &mut self.sizes {
            match value {
                Some(value) => sizes.insert(key.to_owned(), storage::entry_bytes(key, value)),
                None => sizes.remove(key),
            };
        }
    }

    /// The fingerprint of a document's text, from the cache when it is the same text.
    fn fingerprint(&mut self, id: &DocumentId, text: &ArticleText) -> TextFingerprint {
        if let Some((known, fingerprint)) = self.texts.get(id) {
            if known.ptr_eq(text) {
                return *fingerprint;
            }
        }
        let fingerprint = TextFingerprint::of(text.as_str());
        self.texts.insert(id.clone(), (text.clone(), fingerprint));
        fingerprint
    }

    /// Writes what changed: removals first (they free space, and a deleted document needs no
    /// index entry to stay deleted; its document entry before its text entry), then documents
    /// (each one's text entry first, when storage does not hold it), then the index, so an
    /// interruption at any point leaves every stored key readable and every stored document
    /// findable with its text.
    fn flush(&mut self) -> Result<(), StorageError> {
        self.timer = None;
        let storage = storage::local_storage()?;
        if self.sizes.is_none() {
            let (ours, others) = storage::entry_sizes(&storage);
            self.sizes = Some(ours);
            self.other_bytes = others;
        }
        // Texts count too: a document whose text was written but not its entry (the quota ran
        // out in between) leaves no text behind when it is deleted.
        let mut gone: Vec<DocumentId> = Vec::new();
        for id in self.saved.keys().chain(self.texts.keys()) {
            let kept = self.latest.documents.iter().any(|d| &d.id == id);
            if !kept && !self.incoming.contains(id) && !gone.contains(id) {
                gone.push(id.clone());
            }
        }
        for id in gone {
            for key in [stored::document_key(&id), stored::text_key(&id)] {
                storage::remove(&storage, &key)?;
                self.note_size(&key, None);
            }
            self.forget(&id);
        }
        let saved_at = now();
        let writer = tab_id();
        for document in self.latest.documents.clone() {
            let unchanged = self
                .saved
                .get(&document.id)
                .is_some_and(|saved| Rc::ptr_eq(saved, &document));
            if unchanged || self.incoming.contains(&document.id) {
                continue;
            }
            if let Some(change) = self.unseen_save(&storage, &document.id) {
                // Written by another tab since this tab last looked: overwriting it would lose
                // that tab's edits. Merge it first; the merged document is saved next time.
                self.found.push(change);
                continue;
            }
            let text = document.text();
            let fingerprint = self.fingerprint(&document.id, text);
            let written =
                storage::ensure_text(&storage, &document.id, text.as_str(), fingerprint, saved_at)?;
            if let (Some(bytes), Some(sizes)) = (written, &mut self.sizes) {
                sizes.insert(stored::text_key(&document.id), bytes);
            }
            let parent = self.current_version.get(&document.id).map(String::as_str);
            let json = stored::encode_document(&document, fingerprint, saved_at, &writer, parent);
            self.write(&storage, stored::document_key(&document.id), &json)?;
            let id = document.id.clone();
            let version = stored::version_id(&writer, saved_at);
            self.entries.insert(id.clone(), version.clone());
            self.remember(&id, version, document);
        }
        let index = self.latest.index();
        if self.saved_index.as_ref() != Some(&index) {
            self.write(&storage, stored::index_key(), &stored::encode_index(&index))?;
            self.saved_index = Some(index);
        }
        Ok(())
    }

    fn remember(&mut self, id: &DocumentId, version: String, document: Rc<Document>) {
        let versions = self.versions.entry(id.clone()).or_default();
        if versions.len() == REMEMBERED_VERSIONS {
            versions.remove(0);
        }
        versions.push((version.clone(), Rc::clone(&document)));
        self.current_version.insert(id.clone(), version);
        self.saved.insert(id.clone(), document);
    }

    fn forget(&mut self, id: &DocumentId) -> Option<Rc<Document>> {
        self.versions.remove(id);
        self.entries.remove(id);
        self.current_version.remove(id);
        self.texts.remove(id);
        self.saved.remove(id)
    }

    /// Reads a document entry another tab wrote. Its text is the one this tab has whenever the
    /// fingerprints agree (no need to read and index megabytes again); otherwise it is read from
    /// its text entry, which that tab wrote first.
    fn decode_theirs(
        &mut self,
        id: &DocumentId,
        json: &str,
    ) -> Result<StoredDocument, StoredError> {
        let entry = stored::read_document(json)?;
        let Some(needed) = entry.needs_text() else {
            return entry.with_text_entry(None);
        };
        let ours = self.saved.get(id).map(|d| d.text().clone());
        if let Some(text) = ours {
            let fingerprint = self.fingerprint(id, &text);
            if fingerprint == needed {
                return entry.with_text(&text, fingerprint);
            }
        }
        let text_entry = storage::local_storage()
            .ok()
            .and_then(|s| s.get_item(&stored::text_key(id)).ok().flatten());
        let stored = entry.with_text_entry(text_entry.as_deref())?;
        self.texts
            .insert(id.clone(), (stored.document.text().clone(), stored.text));
        Ok(stored)
    }

    /// The document entry storage holds for `id` when another tab wrote it and this tab has not
    /// merged it yet, as the change to dispatch; the entry is then known (see [`Self::receive`]).
    /// An unreadable entry gives `None`, as before this check: the save replaces it.
    fn unseen_save(&mut self, storage: &web_sys::Storage, id: &DocumentId) -> Option<Action> {
        let key = stored::document_key(id);
        // The version is named in the entry's first characters: a look at them, not a read of
        // an entry that is hundreds of kilobytes for a long article, is enough when it is known.
        let head = storage::read_head(storage, &key, stored::VERSION_HEAD_UNITS)?;
        let version = stored::version_in_head(&head);
        if version.is_some() && self.entries.get(id) == version.as_ref() {
            return None;
        }
        let json = storage.get_item(&key).ok().flatten()?;
        let stored = self.decode_theirs(id, &json).ok()?;
        self.entries.insert(id.clone(), stored.version());
        self.receive(id, Some(stored))
    }

    /// Takes in what another tab stored for `id` (`None`: it removed the document) and returns
    /// the change to dispatch, or `None` when this tab already knows that version (a late event
    /// for an entry a save of this tab already read and merged).
    fn receive(&mut self, id: &DocumentId, stored: Option<StoredDocument>) -> Option<Action> {
        let (theirs, base) = match stored {
            Some(stored) => {
                let version = stored.version();
                let known = self
                    .versions
                    .get(id)
                    .is_some_and(|versions| versions.iter().any(|(v, _)| *v == version));
                if known {
                    return None;
                }
                let base = self.base_for(id, stored.parent.as_deref());
                let theirs = Rc::new(stored.document);
                self.remember(id, version, Rc::clone(&theirs));
                (Some(theirs), base)
            }
            None => (None, self.forget(id)),
        };
        if !self.incoming.contains(id) {
            self.incoming.push(id.clone());
        }
        Some(Action::ExternalChange {
            id: id.clone(),
            theirs,
            base,
        })
    }

    /// The common ancestor of this tab's state and a version another tab just saved.
    fn base_for(&self, id: &DocumentId, parent: Option<&str>) -> Option<Rc<Document>> {
        let remembered = parent.and_then(|parent| {
            self.versions
                .get(id)?
                .iter()
                .rev()
                .find(|(version, _)| version == parent)
                .map(|(_, document)| Rc::clone(document))
        });
        remembered.or_else(|| self.saved.get(id).cloned())
    }

    fn used_bytes(&self) -> Option<u64> {
        self.sizes.as_ref().map(|sizes| sizes.values().sum())
    }
}

/// Runs `save` between two performance marks, so a profile or `make bench` can see how long
/// saves take (`aa-save`). The previous measure is cleared first: the timeline stays small.
fn measured<T>(save: impl FnOnce() -> T) -> T {
    let performance = web_sys::window().and_then(|w| w.performance());
    if let Some(p) = &performance {
        p.clear_marks_with_mark_name("aa-save-start");
        let _ = p.mark("aa-save-start");
    }
    let result = save();
    if let Some(p) = &performance {
        p.clear_measures_with_measure_name("aa-save");
        let _ = p.measure_with_start_mark("aa-save", "aa-save-start");
    }
    result
}

fn flush_and_report(saver: &Rc<RefCell<Saver>>) {
    let result = measured(|| saver.borrow_mut().flush());
    let failed = matches!(
        result,
        Err(StorageError::QuotaExceeded | StorageError::Write(_))
    );
    if failed {
        // Something else may have filled the origin: measure again to tell the user why.
        saver.borrow_mut().sizes = None;
        if let Ok(storage) = storage::local_storage() {
            let (ours, others) = storage::entry_sizes(&storage);
            let mut s = saver.borrow_mut();
            s.sizes = Some(ours);
            s.other_bytes = others;
        }
    }
    let status = match result {
        Ok(()) => SaveStatus::Saved,
        Err(e @ StorageError::Unavailable(_)) => SaveStatus::Unavailable(e.to_string()),
        Err(e) => SaveStatus::Failed(e.to_string()),
    };
    // Dispatch with no borrow held: yew may render (and run our effects) synchronously.
    let (dispatcher, used, others, found) = {
        let mut saver = saver.borrow_mut();
        (
            saver.dispatcher.clone(),
            saver.used_bytes(),
            saver.other_bytes,
            std::mem::take(&mut saver.found),
        )
    };
    if let Some(dispatcher) = dispatcher {
        for change in found {
            dispatcher.dispatch(change);
        }
        if let Some(ours) = used {
            dispatcher.dispatch(Action::StorageUsed { ours, others });
        }
        dispatcher.dispatch(Action::SaveStatus(status));
    }
    if failed {
        schedule(saver, RETRY_MS);
    }
}

fn schedule(saver: &Rc<RefCell<Saver>>, delay: u32) {
    if saver.borrow().timer.is_some() {
        return;
    }
    let weak = Rc::downgrade(saver);
    let timer = Timeout::new(delay, move || {
        if let Some(saver) = weak.upgrade() {
            flush_and_report(&saver);
        }
    });
    saver.borrow_mut().timer = Some(timer);
}

/// Another tab wrote or removed one of our keys: merge it into this tab's state.
fn on_storage_event(saver: &Rc<RefCell<Saver>>, event: &web_sys::StorageEvent) {
    let Some(key) = event.key() else {
        return; // localStorage.clear() elsewhere: keep what this tab has; it is saved again.
    };
    if let Some(id) = stored::is_text_key(&key).map(DocumentId::new) {
        on_text_event(saver, &key, &id, event.new_value().as_deref());
        return;
    }
    let Some(id) = stored::is_document_key(&key).map(DocumentId::new) else {
        return;
    };
    let new_value = event.new_value();
    let stored = match new_value
        .as_deref()
        .map(|json| saver.borrow_mut().decode_theirs(&id, json))
    {
        Some(Ok(stored)) => Some(stored),
        // Unreadable (a newer app?), or its text entry is already gone or replaced (a later
        // event brings what replaced it): leave it alone; the next start-up moves it aside if
        // it is still unreadable then.
        Some(Err(_)) => return,
        None => None,
    };
    let (change, dispatcher) = {
        let mut saver = saver.borrow_mut();
        saver.note_size(&key, new_value.as_deref());
        let version = stored.as_ref().map(StoredDocument::version);
        let change = saver.receive(&id, stored);
        if let (Some(_), Some(version)) = (&change, version) {
            saver.entries.insert(id.clone(), version);
        }
        (change, saver.dispatcher.clone())
    };
    if let (Some(change), Some(dispatcher)) = (change, dispatcher) {
        dispatcher.dispatch(change);
    }
}

/// Another tab wrote or removed a text entry. A removed one that this tab's saved document still
/// needs (another tab moved it aside, or deleted the document while this tab kept it) is
/// written again by the next save, with the document entry.
fn on_text_event(saver: &Rc<RefCell<Saver>>, key: &str, id: &DocumentId, new_value: Option<&str>) {
    let resave = {
        let mut saver = saver.borrow_mut();
        saver.note_size(key, new_value);
        new_value.is_none() && saver.saved.remove(id).is_some()
    };
    if resave {
        schedule(saver, SAVE_DELAY_MS);
    }
}

#[hook]
pub fn use_autosave(state: &AppState, dispatcher: UseReducerDispatcher<AppState>) {
    let saver = use_mut_ref(Saver::default);
    {
        let saver = saver.clone();
        let snapshot = Snapshot::of(state);
        let loaded_versions = Rc::clone(&state.storage.loaded_versions);
        use_effect_with(state.revision, move |revision| {
            let first = saver.borrow().dispatcher.is_none();
            {
                let mut s = saver.borrow_mut();
                s.dispatcher = Some(dispatcher);
                if first && *revision == 0 {
                    // What was just loaded is what storage holds: nothing to write yet.
                    for document in &snapshot.documents {
                        match loaded_versions.get(&document.id) {
                            Some(version) => {
                                s.remember(&document.id, version.clone(), Rc::clone(document))
                            }
                            None => {
                                s.saved.insert(document.id.clone(), Rc::clone(document));
                            }
                        }
                    }
                }
                // Often the last reference to the documents before this edit: freed after the
                // frame, not in it.
                crate::deferred_drop::drop_after_frame(std::mem::replace(&mut s.latest, snapshot));
                // Rendered after every change dispatched so far: `latest` shows them all.
                s.incoming.clear();
            }
            schedule(&saver, SAVE_DELAY_MS);
        });
    }
    {
        let saver = saver.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let flush_now = {
                let saver = saver.clone();
                move |_: &Event| flush_and_report(&saver)
            };
            let on_pagehide = window
                .as_ref()
                .map(|window| EventListener::new(window, "pagehide", flush_now.clone()));
            let on_storage = window.as_ref().map(|window| {
                let saver = saver.clone();
                EventListener::new(window, "storage", move |event| {
                    if let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() {
                        on_storage_event(&saver, event);
                    }
                })
            });
            let on_hidden = window.and_then(|w| w.document()).map(|document| {
                let hidden_document = document.clone();
                EventListener::new(&document, "visibilitychange", move |event| {
                    if hidden_document.hidden() {
                        flush_now(event);
                    }
                })
            });
            move || {
                drop(on_pagehide);
                drop(on_storage);
                drop(on_hidden);
                // Unmounting (tests, hot reload) must not drop the last edits either.
                flush_and_report(&saver);
            }
        });
    }
}
