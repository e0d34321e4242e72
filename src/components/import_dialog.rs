//! Confirms a backup import: what the file holds, which documents are already here (and whether
//! the local copy is newer), and what to do with those. Nothing is replaced without a choice.

use yew::prelude::*;

use crate::clock::new_document_id;
use crate::state::{Action, AppContext, ImportChoice};

#[component]
pub fn ImportDialog() -> Html {
    let Some(state) = use_context::<AppContext>() else {
        return Html::default();
    };
    let Some(import) = &state.pending_import else {
        return Html::default();
    };
    let conflicts = import.conflicts(&state).count();
    let choose = |choice: ImportChoice| {
        let state = state.clone();
        Callback::from(move |_| {
            let fresh_ids = (0..conflicts).map(|_| new_document_id()).collect();
            state.dispatch(Action::ImportConfirm { choice, fresh_ids });
        })
    };
    let cancel = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::ImportCancel))
    };
    let rows = import.documents.iter().map(|document| {
        let local = state
            .documents
            .iter()
            .find(|o| o.document.id == document.id)
            .map(|o| &o.document);
        let status = match local {
            None => "new".to_owned(),
            Some(local) if local.modified > document.modified => format!(
                "already here — the local copy is NEWER (changed {}, backup {})",
                local.modified, document.modified
            ),
            Some(local) if **local == **document => "already here, identical".to_owned(),
            Some(local) => format!(
                "already here — the backup is newer (local {}, backup {})",
                local.modified, document.modified
            ),
        };
        let counts = document
            .counts()
            .iter()
            .map(|(label, n)| format!("{n} {}", label.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        html! {
            <li key={document.id.to_string()}>
                <strong>{ document.title.clone() }</strong>
                <span class="import-counts">{ format!(" — {counts}") }</span>
                <span class={classes!("import-status", local.is_some().then_some("conflict"))}>{ format!(" ({status})") }</span>
            </li>
        }
    });
    html! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="import-title">
                <h2 id="import-title">{ format!("Import “{}”", import.file_name) }</h2>
                <p>{ format!("{} document(s) in this backup:", import.documents.len()) }</p>
                <ul class="import-list">{ for rows }</ul>
                if conflicts > 0 {
                    <p class="import-warning">
                        { format!("{conflicts} of them are already in this browser. Choose what to do with those:") }
                    </p>
                    <div class="dialog-buttons">
                        <button onclick={choose(ImportChoice::KeepBoth)}>{ "Keep both" }</button>
                        <button onclick={choose(ImportChoice::Replace)}>{ "Replace local copies" }</button>
                        <button onclick={choose(ImportChoice::SkipExisting)}>{ "Import only new ones" }</button>
                        <button onclick={cancel}>{ "Cancel" }</button>
                    </div>
                } else {
                    <div class="dialog-buttons">
                        <button class="primary" onclick={choose(ImportChoice::SkipExisting)}>{ "Import" }</button>
                        <button onclick={cancel}>{ "Cancel" }</button>
                    </div>
                }
            </div>
        </div>
    }
}
