//! Keeps the label schema in localStorage: writes its entry whenever the schema changes after
//! start-up, and takes in the entry other tabs write (`storage` events). What the entry holds is
//! `annotator_core::persist::schema_entry`; this file holds the effect and the listener. The
//! listener also takes in the annotator's name (`browser::annotator_name`), the other setting
//! kept for every tab: one listener for both keeps the first load smaller.
//!
//! Never written while storage is read-only or a newer version of the app owns the entry (then
//! also not when another tab of that version writes it later), and never in response to another
//! tab's write: storage already holds what that tab wrote.

use annotator_core::model::Schema;
use annotator_core::persist::schema_entry::{decode_schema, save_schema, schema_key};
use annotator_core::persist::stored::StoredError;
use annotator_core::persist::{Store, StoreError};
use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::browser::annotator_name;
use crate::browser::local_store::LocalStore;
use crate::state::{Action, AppState, Notice, NoticeKind, SchemaAction};

/// What a save found.
#[derive(Debug, PartialEq, Eq)]
pub enum SchemaSaved {
    Written,
    /// Storage already holds this schema (another tab's write that this tab took in).
    AlreadyStored,
}

/// Writes `schema` unless storage already holds it.
///
/// # Errors
/// A sentence for the user: the store refused the write, or a newer version of the app wrote the
/// entry since start-up (it is left alone).
pub fn save_if_changed(store: &mut impl Store, schema: &Schema) -> Result<SchemaSaved, String> {
    match store
        .get(&schema_key())
        .map(|json| json.map(|j| decode_schema(&j)))
    {
        Ok(Some(Ok(stored))) if stored == *schema => return Ok(SchemaSaved::AlreadyStored),
        Ok(Some(Err(StoredError::NewerVersion { found }))) => {
            return Err(format!(
                "a newer version of the app (storage schema {found}) saved the label schema in \
                 another tab, and this version leaves it alone"
            ))
        }
        // A damaged entry is replaced; a read that failed will fail the write too.
        _ => {}
    }
    save_schema(store, schema).map_err(|e| match e {
        StoreError::QuotaExceeded => {
            "browser storage is full (free space by deleting or exporting articles)".to_owned()
        }
        other => other.to_string(),
    })?;
    Ok(SchemaSaved::Written)
}

fn notify_failure(dispatcher: &UseReducerDispatcher<AppState>, problem: &str) {
    dispatcher.dispatch(Action::Notify(Notice {
        kind: NoticeKind::Error,
        message: format!(
            "The label schema could not be saved: {problem}. This tab keeps using it; \
             export it (Labels & relations → Export schema) to keep a copy."
        ),
    }));
}

/// Another tab wrote the schema entry: its schema, if this tab can read it.
fn external_schema(event: &web_sys::StorageEvent) -> Option<Schema> {
    if event.key()? != schema_key() {
        return None;
    }
    // A removed entry (storage cleared elsewhere) or one this version cannot read changes
    // nothing here.
    decode_schema(&event.new_value()?).ok()
}

#[hook]
pub fn use_schema_store(state: &AppState, dispatcher: UseReducerDispatcher<AppState>) {
    let started = use_mut_ref(|| false);
    // The schema last taken in from another tab: rendering it must not write it back.
    let taken_in = use_mut_ref(|| None::<Schema>);
    {
        let dispatcher = dispatcher.clone();
        let taken_in = taken_in.clone();
        let locked = state.storage.newer_schema || state.storage.read_only.is_some();
        use_effect_with(std::rc::Rc::clone(&state.schema), move |schema| {
            // The first run sees what start-up loaded (or the default): nothing to write.
            let first = !std::mem::replace(&mut *started.borrow_mut(), true);
            let from_other_tab = taken_in.borrow_mut().take().as_ref() == Some(&**schema);
            if first || locked || from_other_tab {
                return;
            }
            let result = LocalStore::open()
                .map_err(|e| e.to_string())
                .and_then(|mut store| save_if_changed(&mut store, schema));
            if let Err(problem) = result {
                notify_failure(&dispatcher, &problem);
            }
        });
    }
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|window| {
            EventListener::new(&window, "storage", move |event| {
                let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else {
                    return;
                };
                // Set in a dialog of this tab or in another tab; `None`: storage was cleared.
                if event.key().is_none_or(|key| key == annotator_name::KEY) {
                    let name = annotator_name::read().name().cloned();
                    dispatcher.dispatch(Action::SetAnnotator(name));
                }
                if let Some(schema) = external_schema(event) {
                    *taken_in.borrow_mut() = Some(schema.clone());
                    dispatcher.dispatch(Action::Schema(SchemaAction::External(schema)));
                }
            })
        });
        move || drop(listener)
    });
}
