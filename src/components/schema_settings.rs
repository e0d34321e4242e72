//! The "Labels & relations" toolbar button. The settings dialog is the schema editor
//! (`crate::schema_editor`), a module of its own that the first click loads: this hands it the
//! schema, the documents and whether the schema is locked, and applies what comes back as one
//! `SchemaAction::Replace` (renames carry existing annotations along).

use annotator_core::formats::job::Carried;
use annotator_core::persist::schema_entry::{decode_schema, encode_schema};
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::browser::clock::now;
use crate::browser::dialogs_client;
use crate::schema_editor::protocol::{CrossingRename, EditorRequest, SchemaChange};
use crate::state::{read_only_message, Action, AppContext, Notice, NoticeKind, SchemaAction};

/// Why the schema cannot be changed in this tab, if it cannot.
pub fn locked_reason(state: &AppContext) -> Option<String> {
    if let Some(version) = state.storage.read_only {
        return Some(read_only_message(version));
    }
    if let Some(refusal) = state.team_schema_refusal() {
        return Some(refusal.to_owned());
    }
    state.storage.newer_schema.then(|| {
        "A newer version of the app saved the label schema: this version shows the default \
         schema and cannot change the saved one."
            .to_owned()
    })
}

/// What the editor opens with.
fn request(state: &AppContext) -> EditorRequest {
    EditorRequest {
        schema: encode_schema(&state.schema),
        documents: state
            .documents
            .iter()
            .map(|open| Carried::new(&open.document))
            .collect(),
        locked: locked_reason(state),
    }
}

/// The change the user applied, for the reducer.
fn apply(state: &AppContext, change: SchemaChange) {
    let renames = change
        .renames
        .into_iter()
        .map(CrossingRename::rename)
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| "a rename did not cross intact".to_owned());
    match decode_schema(&change.schema)
        .map_err(|e| e.to_string())
        .and_then(|schema| Ok((schema, renames?)))
    {
        Ok((schema, renames)) => state.dispatch(Action::Schema(SchemaAction::Replace {
            schema,
            renames,
            now: now(),
        })),
        Err(e) => state.dispatch(Action::Notify(Notice {
            kind: NoticeKind::Error,
            message: format!("The label schema was not changed: it came back damaged ({e})."),
        })),
    }
}

/// Marks the button busy (and unpressable) while the module loads.
fn set_busy(button: &HtmlElement, busy: bool) {
    if busy {
        let _ = button.set_attribute("aria-busy", "true");
        let _ = button.set_attribute("disabled", "");
    } else {
        let _ = button.remove_attribute("aria-busy");
        let _ = button.remove_attribute("disabled");
    }
}

/// The toolbar button, called by the root with its state (a plain function: what it keeps
/// while the module loads is on the button itself); the dialog while it is open lives in a
/// host element of its own.
pub fn schema_settings(state: &AppContext) -> Html {
    let on_open = {
        let state = state.clone();
        Callback::from(move |event: MouseEvent| {
            // The button itself (Yew delegates events to its root: `current_target` is not it).
            let Some(opener) = event
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .and_then(|e| e.closest("button").ok().flatten())
                .and_then(|b| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(b).ok())
            else {
                return;
            };
            let request = request(&state);
            let state = state.clone();
            set_busy(&opener, true);
            wasm_bindgen_futures::spawn_local(async move {
                let on_apply = {
                    let state = state.clone();
                    move |change| apply(&state, change)
                };
                let on_close = {
                    let opener = opener.clone();
                    move || {
                        let _ = opener.focus();
                    }
                };
                let opened = dialogs_client::open_schema_editor(&request, on_apply, on_close).await;
                set_busy(&opener, false);
                if let Err(problem) = opened {
                    state.dispatch(Action::Notify(Notice {
                        kind: NoticeKind::Error,
                        message: format!("The label settings could not be opened: {problem}."),
                    }));
                }
            });
        })
    };
    html! {
        <button type="button" class="schema-settings-open" aria-haspopup="dialog"
            onclick={on_open}>
            { "Labels & relations" }
        </button>
    }
}
