//! The page's side of the guidelines panel: while it is open, the dialogs module draws it in the
//! side panel's box ([`GUIDELINES_HOST_ID`]) for the schema in force and the selected
//! annotation's label; the schema the user saves there (the same one with new guidelines)
//! replaces the one in force, as the settings dialog's does.

use annotator_core::model::Schema;
use annotator_core::persist::schema_entry::{decode_schema, encode_schema};
use yew::UseReducerDispatcher;

use crate::browser::clock::now;
use crate::browser::dialogs_client;
use crate::state::{Action, AppState, Notice, NoticeKind, SchemaAction};

/// The box the guidelines panel is drawn in, at the top of the side panel.
pub const GUIDELINES_HOST_ID: &str = "guidelines-host";

/// Shows the panel for `schema` at `label`'s section (`""`: where it is), or takes it down
/// when not `open`. `locked` says why the schema cannot be changed (`""`: it can).
pub fn show(
    open: bool,
    schema: &Schema,
    label: String,
    locked: String,
    dispatcher: UseReducerDispatcher<AppState>,
) {
    let host = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(GUIDELINES_HOST_ID));
    let Some(host) = host else {
        return;
    };
    if !open {
        dialogs_client::hide_guidelines(&host);
        return;
    }
    let request = [encode_schema(schema), label, locked];
    wasm_bindgen_futures::spawn_local(async move {
        let saving = dispatcher.clone();
        let on_save = move |encoded: String| {
            saving.dispatch(match decode_schema(&encoded) {
                Ok(schema) => Action::Schema(SchemaAction::Replace {
                    schema,
                    renames: Vec::new(),
                    now: now(),
                }),
                Err(e) => Action::Notify(Notice {
                    kind: NoticeKind::Error,
                    message: format!(
                        "The guidelines were not saved: they came back damaged ({e})."
                    ),
                }),
            });
        };
        if let Err(problem) = dialogs_client::show_guidelines(host, request, on_save).await {
            dispatcher.dispatch(Action::Notify(Notice {
                kind: NoticeKind::Error,
                message: format!("The guidelines could not be shown: {problem}."),
            }));
        }
    });
}
