//! "Export JSON" (the open article) and "Export all" (every article), in the native format.

use yew::prelude::*;

use crate::download::download;
use crate::export::native;
use crate::model::slug::slugify;
use crate::state::{Action, AppContext, Notice, NoticeKind};

/// File name of "Export all".
pub const ALL_DOCUMENTS_FILE: &str = "all-articles.annotations.json";

#[component]
pub fn ExportButtons() -> Html {
    let Some(state) = use_context::<AppContext>() else {
        return Html::default();
    };
    let report = |state: &AppContext, result: Result<(), String>| {
        if let Err(message) = result {
            state.dispatch(Action::Notify(Notice {
                kind: NoticeKind::Error,
                message,
            }));
        }
    };
    let export_one = {
        let state = state.clone();
        Callback::from(move |_| {
            if let Some(open) = state.active_document() {
                let document = &open.document;
                let file = format!("{}.annotations.json", slugify(&document.title));
                let json = native::export([document.as_ref()]);
                report(&state, download(&file, "application/json", &json));
            }
        })
    };
    let export_all = {
        let state = state.clone();
        Callback::from(move |_| {
            let json = native::export(state.documents.iter().map(|d| d.document.as_ref()));
            report(
                &state,
                download(ALL_DOCUMENTS_FILE, "application/json", &json),
            );
        })
    };
    html! {
        <div class="export-buttons">
            <button onclick={export_one} disabled={state.active.is_none()}>{ "Export JSON" }</button>
            <button onclick={export_all} disabled={state.documents.is_empty()}>{ "Export all" }</button>
        </div>
    }
}
