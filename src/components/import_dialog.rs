//! Confirms an import: the format detected, what the files hold (documents, spans per label),
//! how foreign labels map onto ours, which documents are already here (and whether the local
//! copy is newer), and what to do with those. Nothing is stored or replaced without a choice;
//! a rejected file shows the record and the problem, and changes nothing.

use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::modal_frame::ModalFrame;
use crate::browser::clock::new_document_id;
use crate::hooks::import_files::read_for_import;
use crate::state::{Action, AppContext, ImportChoice, PendingImport};
use annotator_core::formats::dataset::OffsetUnit;
use annotator_core::formats::detect::ImportFormat;
use annotator_core::model::Label;

/// The dialog element's id.
const IMPORT_DIALOG_ID: &str = "import-dialog";

/// Documents listed by name; a bigger import is summarised by its counts.
const LISTED_DOCUMENTS: usize = 50;

/// doccano files do not say what their offsets count: the user chooses, with our guess preset.
fn unit_choice(state: &AppContext, import: &PendingImport) -> Html {
    let option = |unit: OffsetUnit, name: &str| {
        let onchange = {
            let state = state.clone();
            let import = import.clone();
            Callback::from(move |_| {
                if import.unit != unit {
                    read_for_import(state.dispatcher(), import.files(), Some(unit));
                }
            })
        };
        let guessed = (unit == import.guessed_unit).then_some(" (guessed from the file)");
        html! {
            <label class="unit-option">
                <input type="radio" name="import-unit" checked={import.unit == unit} onchange={onchange} />
                { name }{ guessed.unwrap_or_default() }
            </label>
        }
    };
    html! {
        <fieldset class="import-unit">
            <legend>{ "The offsets in this file count" }</legend>
            { option(OffsetUnit::CodePoint, "code points (Python, spaCy)") }
            { option(OffsetUnit::Utf16, "UTF-16 code units (what doccano itself exports)") }
        </fieldset>
    }
}

/// One row per custom label: keep it, or map it onto quote, entity or claim.
fn label_mapping(state: &AppContext, import: &PendingImport) -> Html {
    let custom = import.custom_labels();
    if custom.is_empty() {
        return Html::default();
    }
    let rows = custom.into_iter().map(|(label, count)| {
        let target = import.mapping.get(&label).cloned();
        let onchange = {
            let state = state.clone();
            let from = label.clone();
            Callback::from(move |event: Event| {
                let Some(select) = event
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
                else {
                    return;
                };
                let to = select.value().parse::<Label>().ok();
                state.dispatch(Action::ImportMapLabel {
                    from: from.clone(),
                    to,
                });
            })
        };
        let name = label.as_str().to_owned();
        let options = Label::ALL.into_iter().map(|builtin| {
            html! {
                <option value={builtin.as_str().to_owned()} selected={target.as_ref() == Some(&builtin)}>
                    { builtin.display_name().to_owned() }
                </option>
            }
        });
        html! {
            <tr key={name.clone()}>
                <th scope="row"><span class="tag tag-custom">{ name.clone() }</span></th>
                <td>{ format!("{count} span{}", if count == 1 { "" } else { "s" }) }</td>
                <td>
                    <select aria-label={format!("Map {name} to")} onchange={onchange}>
                        <option value="" selected={target.is_none()}>{ "Keep as a custom label" }</option>
                        { for options }
                    </select>
                </td>
            </tr>
        }
    });
    html! {
        <div class="label-mapping">
            <h3>{ "Labels from the file" }</h3>
            <p>{ "Map each onto one of ours, or keep it: a custom label is kept, exported back, and shown in grey." }</p>
            <table>
                <thead><tr><th scope="col">{ "Label" }</th><th scope="col">{ "Spans" }</th><th scope="col">{ "Becomes" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}

#[component]
pub fn ImportDialog() -> Html {
    let Some(state) = use_context::<AppContext>() else {
        return Html::default();
    };
    let Some(import) = &state.pending_import else {
        return Html::default();
    };
    let cancel = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::ImportCancel))
    };
    let unit = (import.format == ImportFormat::Doccano).then(|| unit_choice(&state, import));
    let heading = html! {
        <>
            <h2 id="import-title">{ format!("Import “{}”", import.file_name) }</h2>
            <p class="import-format">{ "Format: " }<strong>{ import.format.name() }</strong></p>
            { unit.clone().unwrap_or_default() }
        </>
    };
    if let Err(error) = &import.parsed {
        return html! {
            <ModalFrame id={IMPORT_DIALOG_ID} labelled_by="import-title">
                    { heading }
                    <p class="import-error" role="alert">
                        { "Nothing can be imported from this file, and nothing was changed." }
                        <br />
                        <strong>{ error.record.clone() }</strong>{ format!(": {}.", error.problem) }
                    </p>
                    <div class="dialog-buttons">
                        <button onclick={cancel}>{ "Close" }</button>
                    </div>
            </ModalFrame>
        };
    }
    let conflicts = import.conflicts(&state).count();
    let choose = |choice: ImportChoice| {
        let state = state.clone();
        Callback::from(move |_| {
            let fresh_ids = (0..conflicts).map(|_| new_document_id()).collect();
            state.dispatch(Action::ImportConfirm { choice, fresh_ids });
        })
    };
    let documents = import.documents();
    let rows = documents.iter().take(LISTED_DOCUMENTS).map(|document| {
        let local = state
            .documents
            .iter()
            .find(|o| o.document.id == document.id)
            .map(|o| &o.document);
        // A file that keeps no time of change (JSONL, doccano, Label Studio, brat) gives its
        // documents the time they were read: comparing that with the local copy's would always
        // call the file's copy newer, and invite replacing newer local work.
        let undated = document.modified == import.read_at;
        let status = match local {
            None => "new".to_owned(),
            Some(local) if undated && local.same_content(document) => {
                "already here, identical".to_owned()
            }
            Some(_) if undated => "already here, with other content — the file does not say when it \
                                   was changed, so which copy is newer is not known"
                .to_owned(),
            Some(local) if local.modified > document.modified => format!(
                "already here — the local copy is NEWER (changed {}, file {})",
                local.modified, document.modified
            ),
            Some(local) if **local == **document => "already here, identical".to_owned(),
            Some(local) => format!(
                "already here — the file’s copy is newer (local {}, file {})",
                local.modified, document.modified
            ),
        };
        let counts = match document.annotations().len() {
            1 => "1 span".to_owned(),
            n => format!("{n} spans"),
        };
        html! {
            <li key={document.id.to_string()}>
                <strong>{ document.title.clone() }</strong>
                <span class="import-counts">{ format!(" — {counts}") }</span>
                <span class={classes!("import-status", local.is_some().then_some("conflict"))}>{ format!(" ({status})") }</span>
            </li>
        }
    });
    let spans: usize = documents.iter().map(|d| d.annotations().len()).sum();
    let per_label = import
        .mapped_counts()
        .into_iter()
        .map(|(label, n)| format!("{n} {}", label.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let summary = format!(
        "{} document{}, {spans} span{}: {per_label}.",
        documents.len(),
        if documents.len() == 1 { "" } else { "s" },
        if spans == 1 { "" } else { "s" },
    );
    html! {
        <ModalFrame id={IMPORT_DIALOG_ID} labelled_by="import-title">
                { heading }
                <p class="import-summary">{ summary }</p>
                { label_mapping(&state, import) }
                <ul class="import-list">{ for rows }</ul>
                if documents.len() > LISTED_DOCUMENTS {
                    <p>{ format!("…and {} more.", documents.len() - LISTED_DOCUMENTS) }</p>
                }
                if conflicts > 0 {
                    <p class="import-warning">
                        { match (conflicts, documents.len()) {
                            (1, 1) => "It is already in this browser. Choose what to do with it:".to_owned(),
                            (1, _) => "1 of them is already in this browser. Choose what to do with it:".to_owned(),
                            (n, _) => format!("{n} of them are already in this browser. Choose what to do with those:"),
                        } }
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
        </ModalFrame>
    }
}
