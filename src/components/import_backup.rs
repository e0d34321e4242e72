//! "Import backup": reads a native export file chosen by the user, checks all of it, and hands it
//! to the import dialog. Nothing is stored until the user confirms there.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::export::native;
use crate::state::{Action, AppContext, Notice, NoticeKind};

/// Largest backup file read, in bytes. Bigger than any library localStorage can hold.
pub const MAX_BACKUP_BYTES: f64 = 50.0 * 1024.0 * 1024.0;

async fn read_backup(file: web_sys::File) -> Result<Vec<crate::model::Document>, String> {
    if file.size() > MAX_BACKUP_BYTES {
        return Err(format!(
            "the file is {:.1} MB; backups over {} MB are refused",
            file.size() / 1_048_576.0,
            MAX_BACKUP_BYTES / 1_048_576.0
        ));
    }
    let text = JsFuture::from(file.text())
        .await
        .map_err(|_| "the browser could not read the file".to_owned())?
        .as_string()
        .ok_or_else(|| "the file is not text".to_owned())?;
    native::import(&text).map_err(|e| e.to_string())
}

#[component]
pub fn ImportBackup() -> Html {
    let Some(state) = use_context::<AppContext>() else {
        return Html::default();
    };
    let input = use_node_ref();
    let open_picker = {
        let input = input.clone();
        Callback::from(move |_| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_change = {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: Event| {
            let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            // Choosing the same file again must fire `change` again.
            input.set_value("");
            let dispatcher = dispatcher.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let file_name = file.name();
                match read_backup(file).await {
                    Ok(documents) => dispatcher.dispatch(Action::ImportLoaded {
                        file_name,
                        documents,
                    }),
                    Err(problem) => dispatcher.dispatch(Action::Notify(Notice {
                        kind: NoticeKind::Error,
                        message: format!("Nothing was imported from “{file_name}”: {problem}."),
                    })),
                }
            });
        })
    };
    html! {
        <>
            <button onclick={open_picker}>{ "Import backup" }</button>
            <input ref={input} type="file" accept=".json,application/json" class="visually-hidden"
                tabindex="-1" aria-hidden="true" onchange={on_change} />
        </>
    }
}
