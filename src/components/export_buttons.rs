//! The file actions of the toolbar: the Export menu, "Export all" (a native backup of every
//! article, also offered when saving fails), "Import…" and "Compare…" (annotators' agreement).

use yew::prelude::*;

use super::export_menu::export_menu;
use super::import_button::import_button;
use crate::browser::dialogs_client;
use crate::state::{Action, AppContext, Notice, NoticeKind};

/// Downloads every document as one native file (also offered when saving fails). The dialogs
/// module writes it (`export_run::export_all`): the page's first load does not carry the
/// native writer. Saving failing fetches the module at once (`notice_bar`), so the backup it
/// offers is ready; when the module cannot be had, the message says so and the work stays in
/// this tab.
pub fn export_all(state: &AppContext) {
    in_module(state, InModule::ExportAll);
}

/// What the page asks of the dialogs module from the toolbar.
enum InModule {
    ExportAll,
    /// The Compare dialog, which imports a gold article through its callback.
    Compare(Callback<Vec<web_sys::File>>),
    /// The annotator's name (`annotator_button`).
    Annotator,
}

/// Has the dialogs module write "Export all" or open a dialog, saying why when it cannot. One
/// function for all, so the first load carries one waiting future, not one each.
fn in_module(state: &AppContext, what: InModule) {
    let state = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let done = match what {
            InModule::ExportAll => dialogs_client::export_all(&state).await,
            InModule::Compare(import) => dialogs_client::open_compare(Some(import)).await,
            InModule::Annotator => dialogs_client::open_compare(None).await,
        };
        report_download(&state, done);
    });
}

/// Shows a failed download (or a dialog that could not be opened) as an error notice.
pub fn report_download(state: &AppContext, result: Result<(), String>) {
    if let Err(message) = result {
        state.dispatch(Action::Notify(Notice {
            kind: NoticeKind::Error,
            message,
        }));
    }
}

pub struct ExportButtonsProps {
    /// Imports files (`hooks::use_import`).
    pub on_import: Callback<Vec<web_sys::File>>,
}

/// The toolbar's file actions: the Export menu, a one-click backup of everything, and Import.
/// Called by the root with its state (a plain function: no state of its own to keep).
pub fn export_buttons(state: &AppContext, props: &ExportButtonsProps) -> Html {
    let export_everything = {
        let state = state.clone();
        Callback::from(move |_| export_all(&state))
    };
    html! {
        <div class="export-buttons">
            { export_menu(state) }
            <button onclick={export_everything} disabled={state.documents.is_empty()}
                title="A native backup of every article, which Import restores">
                { "Export all" }
            </button>
            { import_button(&props.on_import) }
        </div>
    }
}

/// "Compare…": the annotators' agreement, in the dialogs module; a gold article it makes is
/// imported through `props.on_import`. Beside "Labels & relations", leading the toolbar's right
/// group: on a phone the file buttons' rows stay as they were, so the Export menu below them
/// keeps its room.
pub fn compare_button(state: &AppContext, props: &ExportButtonsProps) -> Html {
    let compare = {
        let state = state.clone();
        let import = props.on_import.clone();
        Callback::from(move |_| in_module(&state, InModule::Compare(import.clone())))
    };
    html! {
        <button class="compare-open" onclick={compare} title="Agreement between annotators' files">
            { "Compare…" }
        </button>
    }
}

/// The annotator's name, recorded with every annotation they make or change: the button says
/// who is annotating and opens the dialog (in the dialogs module) that sets or changes it. Under
/// the storage panel, with the other things about this browser: in the toolbar it took the row
/// a phone needs for the Export menu.
pub fn annotator_button(state: &AppContext) -> Html {
    let open = {
        let state = state.clone();
        Callback::from(move |_| in_module(&state, InModule::Annotator))
    };
    html! {
        <button class="annotator-open" onclick={open}
            title="Your name, recorded with each annotation you make or change">
            { state.annotator.as_ref().map_or_else(|| "Set your name…".to_owned(), |name| format!("Annotator: {name}")) }
        </button>
    }
}
