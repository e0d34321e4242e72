//! "Import…": picks one file (or brat .txt + .ann files) and hands them to the import dialog.
//! Nothing is stored until the user confirms there. Dropping files on the page does the same
//! (`hooks::use_file_drop`).

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::browser::upload::files_of;

/// What the file picker offers; detection looks at the content, so this only narrows the list.
const ACCEPT: &str = ".json,.jsonl,.jsonld,.ndjson,.txt,.ann,.zip,application/json,application/zip";

/// The button and its hidden file field. `on_files` imports the files picked
/// (`hooks::use_import`). A plain function: the button finds its field beside it.
pub fn import_button(on_files: &Callback<Vec<web_sys::File>>) -> Html {
    let open_picker = Callback::from(|event: MouseEvent| {
        let input = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|button| button.next_element_sibling())
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
        if let Some(input) = input {
            input.click();
        }
    });
    let on_change = {
        let on_files = on_files.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            if let Some(list) = input.files() {
                on_files.emit(files_of(&list));
            }
            // Choosing the same file again must fire `change` again.
            input.set_value("");
        })
    };
    html! {
        <>
            <button onclick={open_picker} aria-label="Import a file"
                title="Native JSON, JSONL, W3C, doccano, Label Studio or brat; or drop files on the page">
                { "Import…" }
            </button>
            <input type="file" multiple=true accept={ACCEPT} class="visually-hidden"
                tabindex="-1" aria-hidden="true" onchange={on_change} />
        </>
    }
}
