//! The schema as a file, in the settings dialog: "Export schema" downloads the draft as
//! `<labels>.schema.json`, "Import schema…" reads one into the draft (a file that cannot be read
//! changes nothing and says why), "Reset to default" puts the starting schema in the draft.
//! Each still waits for Apply.

use annotator_core::formats::schema_file::{self, SUFFIX};
use annotator_core::model::slug::slugify;
use annotator_core::model::Schema;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::dialog_state::{FileMessage, SettingsAction, SettingsState};
use crate::browser::download::download;
use crate::browser::upload::{files_of, read_files};

/// The exported file's name: its labels, so two schemas' files tell apart
/// (`quote-entity-claim.schema.json`).
pub fn file_name(schema: &Schema) -> String {
    let labels: Vec<&str> = schema.labels.iter().map(|s| s.label.as_str()).collect();
    let base = if labels.is_empty() {
        "labels".to_owned()
    } else {
        slugify(&labels.join(" "))
    };
    format!("{base}{SUFFIX}")
}

/// Reads a picked file as a schema file.
async fn read_schema(file: web_sys::File) -> SettingsAction {
    let file_name = file.name();
    let read = match read_files(vec![file]).await {
        Ok(files) => files
            .into_iter()
            .next()
            .ok_or_else(|| "the file was empty".to_owned())
            .and_then(|f| {
                String::from_utf8(f.bytes).map_err(|_| "the file is not UTF-8 text".to_owned())
            })
            .and_then(|json| schema_file::import(&json).map_err(|e| e.to_string())),
        Err(message) => Err(message),
    };
    SettingsAction::FileRead { file_name, read }
}

fn message(file: &FileMessage) -> Html {
    match file {
        FileMessage::Read { file_name } => html! {
            <p class="schema-file-message" role="status">
                { format!("Read “{file_name}”. Apply to use it, or Cancel to keep the schema as it was.") }
            </p>
        },
        FileMessage::Refused { file_name, problem } => html! {
            <p class="field-error" role="alert">
                { format!("“{file_name}” could not be read as a schema, and nothing changed: {problem}.") }
            </p>
        },
        FileMessage::Reset => html! {
            <p class="schema-file-message" role="status">
                { "The default schema is in place. Apply to use it, or Cancel to keep the schema as it was." }
            </p>
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct SchemaFileProps {
    pub settings: UseReducerHandle<SettingsState>,
}

#[component]
pub fn SchemaFile(props: &SchemaFileProps) -> Html {
    let picker = use_node_ref();
    let export_error = use_state(|| None::<String>);
    let draft = &props.settings.draft.schema;
    let valid = draft.check().is_ok();
    let export = {
        let schema = draft.clone();
        let export_error = export_error.clone();
        Callback::from(move |_| {
            let result = download(
                &file_name(&schema),
                "application/json",
                &schema_file::export(&schema),
            );
            export_error.set(result.err());
        })
    };
    let open_picker = {
        let picker = picker.clone();
        Callback::from(move |_| {
            if let Some(input) = picker.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_file = {
        let settings = props.settings.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let file = input
                .files()
                .and_then(|list| files_of(&list).into_iter().next());
            // Choosing the same file again must fire `change` again.
            input.set_value("");
            if let Some(file) = file {
                let settings = settings.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    settings.dispatch(read_schema(file).await);
                });
            }
        })
    };
    let reset = {
        let settings = props.settings.clone();
        Callback::from(move |_| settings.dispatch(SettingsAction::Reset))
    };
    html! {
        <section class="schema-section" aria-labelledby="schema-file-title">
            <h3 id="schema-file-title">{ "Schema file" }</h3>
            <div class="schema-file-buttons">
                <button type="button" onclick={open_picker}>{ "Import schema…" }</button>
                <input ref={picker} type="file" accept=".json,application/json" class="visually-hidden"
                    tabindex="-1" aria-hidden="true" onchange={on_file} />
                <button type="button" onclick={export} disabled={!valid}
                    title="Downloads the schema as shown here, edits included">
                    { "Export schema" }
                </button>
                <button type="button" onclick={reset}>{ "Reset to default" }</button>
            </div>
            { props.settings.file.as_ref().map(message).unwrap_or_default() }
            if let Some(problem) = (*export_error).clone() {
                <p class="field-error" role="alert">{ problem }</p>
            }
        </section>
    }
}
