//! Saves changed documents to localStorage at most [`SAVE_DELAY_MS`] after the first unsaved
//! change, and at once when the page is hidden or closed.
//!
//! Only documents whose `Rc` changed since the last save are re-serialised, each under its own
//! key and always before the index, so an interrupted save leaves every key readable.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::export::stored::{self, StoredIndex};
use crate::model::{Document, DocumentId};
use crate::state::{Action, AppState, SaveStatus};
use crate::storage::{self, StorageError};

/// Delay between the first unsaved change and the save. A throttle, not a debounce: a stream of
/// edits cannot postpone the save.
pub const SAVE_DELAY_MS: u32 = 250;
/// How often a failed save is retried while nothing else changes.
const RETRY_MS: u32 = 5000;

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
        }
    }
}

#[derive(Default)]
struct Saver {
    saved: HashMap<DocumentId, Rc<Document>>,
    saved_index: Option<StoredIndex>,
    latest: Snapshot,
    timer: Option<Timeout>,
    dispatcher: Option<UseReducerDispatcher<AppState>>,
}

impl Saver {
    /// Writes what changed. Documents first, then removals, then the index.
    fn flush(&mut self) -> Result<(), StorageError> {
        self.timer = None;
        let storage = storage::local_storage()?;
        for document in &self.latest.documents {
            let unchanged = self
                .saved
                .get(&document.id)
                .is_some_and(|saved| Rc::ptr_eq(saved, document));
            if !unchanged {
                storage::write(
                    &storage,
                    &stored::document_key(&document.id),
                    &stored::encode_document(document),
                )?;
                self.saved.insert(document.id.clone(), Rc::clone(document));
            }
        }
        let gone: Vec<DocumentId> = self
            .saved
            .keys()
            .filter(|id| !self.latest.documents.iter().any(|d| &d.id == *id))
            .cloned()
            .collect();
        for id in gone {
            storage::remove(&storage, &stored::document_key(&id))?;
            self.saved.remove(&id);
        }
        let index = self.latest.index();
        if self.saved_index.as_ref() != Some(&index) {
            storage::write(
                &storage,
                &stored::index_key(),
                &stored::encode_index(&index),
            )?;
            self.saved_index = Some(index);
        }
        Ok(())
    }
}

fn flush_and_report(saver: &Rc<RefCell<Saver>>) {
    let result = saver.borrow_mut().flush();
    let failed = matches!(
        result,
        Err(StorageError::QuotaExceeded | StorageError::Write(_))
    );
    let status = match result {
        Ok(()) => SaveStatus::Saved,
        Err(e @ StorageError::Unavailable(_)) => SaveStatus::Unavailable(e.to_string()),
        Err(e) => SaveStatus::Failed(e.to_string()),
    };
    // Dispatch with no borrow held: yew may render (and run our effects) synchronously.
    let dispatcher = saver.borrow().dispatcher.clone();
    if let Some(dispatcher) = dispatcher {
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

#[hook]
pub fn use_autosave(state: &AppState, dispatcher: UseReducerDispatcher<AppState>) {
    let saver = use_mut_ref(Saver::default);
    {
        let saver = saver.clone();
        let snapshot = Snapshot::of(state);
        use_effect_with(state.revision, move |revision| {
            let first = saver.borrow().dispatcher.is_none();
            {
                let mut s = saver.borrow_mut();
                s.dispatcher = Some(dispatcher);
                if first && *revision == 0 {
                    // What was just loaded is what storage holds: nothing to write yet.
                    s.saved = snapshot
                        .documents
                        .iter()
                        .map(|d| (d.id.clone(), Rc::clone(d)))
                        .collect();
                }
                s.latest = snapshot;
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
                drop(on_hidden);
                // Unmounting (tests, hot reload) must not drop the last edits either.
                flush_and_report(&saver);
            }
        });
    }
}
