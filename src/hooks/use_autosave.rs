//! Wires the save engine ([`annotator_core::persist::SaveEngine`]) to the browser: saves at
//! most [`SAVE_DELAY_MS`] after the first unsaved change, and at once when the page is hidden or
//! closed; hands the engine every `storage` event; dispatches what it finds. What is written,
//! read and merged is decided by the engine, natively tested; this file holds timers and events.

use std::cell::RefCell;
use std::rc::Rc;

use annotator_core::persist::{Flushed, SaveEngine, Snapshot, StoreError};
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::browser::clock::{now, tab_id};
use crate::browser::kept_selection;
use crate::browser::local_store::LocalStore;
use crate::browser::user_timing::measured;
use crate::state::{Action, AppState, SaveStatus};

/// Delay between the first unsaved change and the save. A throttle, not a debounce: a stream of
/// edits cannot postpone the save.
pub const SAVE_DELAY_MS: u32 = 250;
/// How often a failed save is retried while nothing else changes.
pub const RETRY_MS: u32 = 5000;

struct Autosave {
    /// `None` until the first render's effect hands it what was loaded.
    engine: Option<SaveEngine>,
    timer: Option<Timeout>,
    dispatcher: Option<UseReducerDispatcher<AppState>>,
}

fn snapshot_of(state: &AppState) -> Snapshot {
    Snapshot {
        documents: state
            .documents
            .iter()
            .map(|d| Rc::clone(&d.document))
            .collect(),
        active: state.active.clone(),
    }
}

fn flush_and_report(autosave: &Rc<RefCell<Autosave>>) {
    let flushed = measured("aa-save", || {
        let mut autosave = autosave.borrow_mut();
        autosave.timer = None;
        let engine = autosave.engine.as_mut()?;
        Some(match LocalStore::open() {
            Ok(mut store) => engine.flush(&mut store, now()),
            Err(e) => Flushed {
                result: Err(e),
                found: Vec::new(),
                held_back: false,
            },
        })
    });
    let Some(Flushed {
        result,
        found,
        held_back,
    }) = flushed
    else {
        return;
    };
    let failed = matches!(
        result,
        Err(StoreError::QuotaExceeded | StoreError::Write(_))
    );
    let status = match result {
        Ok(()) => SaveStatus::Saved,
        Err(e @ StoreError::Unavailable(_)) => SaveStatus::Unavailable(e.to_string()),
        Err(e) => SaveStatus::Failed(e.to_string()),
    };
    // Dispatch with no borrow held: yew may render (and run our effects) synchronously.
    let (dispatcher, used, others) = {
        let autosave = autosave.borrow();
        let engine = autosave.engine.as_ref();
        (
            autosave.dispatcher.clone(),
            engine.and_then(SaveEngine::used_bytes),
            engine.map_or(0, SaveEngine::other_bytes),
        )
    };
    if let Some(dispatcher) = dispatcher {
        for change in found {
            kept_selection::across_external_change(|| {
                dispatcher.dispatch(Action::External(change));
            });
        }
        if let Some(ours) = used {
            dispatcher.dispatch(Action::StorageUsed { ours, others });
        }
        // Not "Saved" while another tab's change is still being taken in: the save after the
        // render that takes it in writes the rest.
        if !(held_back && status == SaveStatus::Saved) {
            dispatcher.dispatch(Action::SaveStatus(status));
        }
    }
    if failed {
        schedule(autosave, RETRY_MS);
    }
}

fn schedule(autosave: &Rc<RefCell<Autosave>>, delay: u32) {
    if autosave.borrow().timer.is_some() {
        return;
    }
    let weak = Rc::downgrade(autosave);
    let timer = Timeout::new(delay, move || {
        if let Some(autosave) = weak.upgrade() {
            flush_and_report(&autosave);
        }
    });
    autosave.borrow_mut().timer = Some(timer);
}

/// Another tab wrote or removed one of our keys: the engine says what it means for this tab.
fn on_storage_event(autosave: &Rc<RefCell<Autosave>>, event: &web_sys::StorageEvent) {
    // `None`: localStorage.clear() elsewhere. This tab keeps what it has; it is saved again.
    let Some(key) = event.key() else {
        return;
    };
    let Ok(store) = LocalStore::open() else {
        return;
    };
    let (received, dispatcher) = {
        let mut autosave = autosave.borrow_mut();
        let Some(engine) = autosave.engine.as_mut() else {
            return;
        };
        let received = engine.storage_event(&store, &key, event.new_value().as_deref());
        (received, autosave.dispatcher.clone())
    };
    if let (Some(change), Some(dispatcher)) = (received.change, dispatcher) {
        kept_selection::across_external_change(|| dispatcher.dispatch(Action::External(change)));
    }
    if received.resave {
        schedule(autosave, SAVE_DELAY_MS);
    }
}

#[hook]
pub fn use_autosave(state: &AppState, dispatcher: UseReducerDispatcher<AppState>) {
    let autosave = use_mut_ref(|| Autosave {
        engine: None,
        timer: None,
        dispatcher: None,
    });
    {
        let autosave = autosave.clone();
        let snapshot = snapshot_of(state);
        let loaded_versions = Rc::clone(&state.storage.loaded_versions);
        let newer: Vec<_> = state.storage.newer.iter().map(|n| n.id.clone()).collect();
        let read_only = state.storage.read_only.is_some();
        use_effect_with(state.revision, move |revision| {
            {
                let mut a = autosave.borrow_mut();
                a.dispatcher = Some(dispatcher);
                match &mut a.engine {
                    Some(engine) => {
                        // Often the last reference to the documents before this edit: freed
                        // after the frame, not in it.
                        crate::browser::deferred_drop::drop_after_frame(engine.rendered(snapshot));
                    }
                    None => {
                        // What was just loaded is what storage holds: nothing to write yet.
                        let loaded: Vec<_> = if *revision == 0 {
                            snapshot
                                .documents
                                .iter()
                                .map(|d| (Rc::clone(d), loaded_versions.get(&d.id).cloned()))
                                .collect()
                        } else {
                            Vec::new()
                        };
                        let mut engine = SaveEngine::new(tab_id(), &loaded, newer, read_only);
                        engine.rendered(snapshot);
                        a.engine = Some(engine);
                    }
                }
            }
            schedule(&autosave, SAVE_DELAY_MS);
        });
    }
    {
        let autosave = autosave.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let flush_now = {
                let autosave = autosave.clone();
                move |_: &Event| flush_and_report(&autosave)
            };
            let on_pagehide = window
                .as_ref()
                .map(|window| EventListener::new(window, "pagehide", flush_now.clone()));
            let on_storage = window.as_ref().map(|window| {
                let autosave = autosave.clone();
                EventListener::new(window, "storage", move |event| {
                    if let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() {
                        on_storage_event(&autosave, event);
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
                flush_and_report(&autosave);
            }
        });
    }
}
