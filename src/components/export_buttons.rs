//! "Export JSON" (the open article) and "Export all" (every article), in the native format.

use yew::prelude::*;

use super::import_backup::ImportBackup;
use crate::download::download;
use crate::export::native;
use crate::model::slug::slugify;
use crate::state::{Action, AppContext, AppState, Notice, NoticeKind};

/// File name of "Export all".
pub const ALL_DOCUMENTS_FILE: &str = "all-articles.annotations.json";

/// Downloads every document as one native file (also offered when saving fails).
///
/// # Errors
/// A message for the user when the browser refuses the download.
pub fn export_all(state: &AppState) -> Result<(), String> {
    let json = native::export(state.documents.iter().map(|d| d.document.as_ref()));
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

#[component]
pub fn ExportButtons() -> Html {
    let Some(state) = use_context::<AppContext>() else {
        return Html::default();
    };
    let export_one = {
        let state = state.clone();
        Callback::from(move |_| {
            if let Some(open) = state.active_document() {
                let document = &open.document;
                let file = format!("{}.annotations.json", slugify(&document.title));
                let json = native::export([document.as_ref()]);
                report_download(&state, download(&file, "application/json", &json));
            }
        })
    };
    let export_everything = {
        let state = state.clone();
        Callback::from(move |_| report_download(&state, export_all(&state)))
    };
    html! {
        <div class="export-buttons">
            <button onclick={export_one} disabled={state.active.is_none()}>{ "Export JSON" }</button>
            <button onclick={export_everything} disabled={state.documents.is_empty()}>{ "Export all" }</button>
            <ImportBackup />
        </div>
    }
}
