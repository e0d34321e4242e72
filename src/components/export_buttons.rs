//! The file actions of the toolbar: the Export menu, "Export all" (a native backup of every
//! article, also offered when saving fails) and "Import…".

use yew::prelude::*;

use super::export_menu::ExportMenu;
use super::import_button::ImportButton;
use crate::browser::download::download;
use crate::state::{Action, AppContext, AppState, Notice, NoticeKind};
use annotator_core::formats::native;

/// File name of "Export all".
pub const ALL_DOCUMENTS_FILE: &str = "all-articles.annotations.json";

/// Downloads every document as one native file (also offered when saving fails).
///
/// # Errors
/// A message for the user when the browser refuses the download.
pub fn export_all(state: &AppState) -> Result<(), String> {
    let json = native::export(
        state.documents.iter().map(|d| d.document.as_ref()),
        &state.schema,
    );
    download(ALL_DOCUMENTS_FILE, "application/json", &json)
}

/// Shows a failed download as an error notice.
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
        Callback::from(move |_| report_download(&state, export_all(&state)))
    };
    html! {
        <div class="export-buttons">
            <ExportMenu />
            <button onclick={export_everything} disabled={state.documents.is_empty()}
                title="Every article in the native format: a backup that Import restores exactly">
                { "Export all" }
            </button>
            <ImportButton on_files={props.on_import.clone()} />
        </div>
    }
}
