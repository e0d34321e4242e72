//! The Compare dialog: the annotators' files, their report, and its downloads.

use std::rc::Rc;

use annotator_core::agreement::report_csv::report_csv;
use annotator_core::agreement::{pair_articles, report, Report};
use annotator_core::model::Document;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, HtmlInputElement};
use yew::prelude::*;

use super::annotator_files::{name_from_file, read, unique_name, AnnotatorFile};
use super::report_view::ReportView;
use crate::browser::download::download;
use crate::browser::upload::files_of;
use crate::hooks::use_modal_dialog;
use crate::hooks::use_modal_dialog::closing;

const TITLE_ID: &str = "compare-title";
const FILES_ID: &str = "compare-files";

#[derive(Properties, Clone, PartialEq)]
pub struct CompareDialogProps {
    pub on_close: Callback<()>,
}

/// The files and how many are still being read.
#[derive(Clone, Default, PartialEq)]
struct Files {
    files: Vec<AnnotatorFile>,
    reading: usize,
}

enum FilesAction {
    Reading(usize),
    Read(AnnotatorFile),
    Remove(usize),
    Rename(usize, String),
}

impl Reducible for Files {
    type Action = FilesAction;

    fn reduce(self: Rc<Self>, action: FilesAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            FilesAction::Reading(count) => next.reading += count,
            FilesAction::Read(mut file) => {
                next.reading = next.reading.saturating_sub(1);
                let taken: Vec<&str> = next.files.iter().map(|f| f.name.as_str()).collect();
                file.name = unique_name(&file.name, &taken);
                next.files.push(file);
            }
            FilesAction::Remove(index) => {
                if index < next.files.len() {
                    next.files.remove(index);
                }
            }
            FilesAction::Rename(index, wanted) => {
                let taken: Vec<&str> = next
                    .files
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != index)
                    .map(|(_, f)| f.name.as_str())
                    .collect();
                let name = unique_name(&wanted, &taken);
                if let Some(file) = next.files.get_mut(index) {
                    file.name = name;
                }
            }
        }
        Rc::new(next)
    }
}

/// The report of the files that were read, once there are two.
fn report_of(files: &[AnnotatorFile]) -> Option<Rc<Report>> {
    let annotators: Vec<(String, Vec<Document>)> = files
        .iter()
        .filter_map(|f| {
            let (_, documents) = f.read.as_ref().ok()?;
            Some((f.name.clone(), documents.as_ref().clone()))
        })
        .collect();
    (annotators.len() >= 2).then(|| Rc::new(report(&pair_articles(&annotators))))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[function_component(CompareDialog)]
pub fn compare_dialog(props: &CompareDialogProps) -> Html {
    let dialog = use_node_ref();
    let on_dialog_key = use_modal_dialog(dialog.clone());
    let files = use_reducer(Files::default);
    let pair = use_state(|| 0usize);
    let problem = use_state(|| None::<String>);
    let report = use_memo(files.files.clone(), |files| report_of(files));

    let add = {
        let files = files.clone();
        Callback::from(move |picked: Vec<web_sys::File>| {
            files.dispatch(FilesAction::Reading(picked.len()));
            for file in picked {
                let files = files.clone();
                let name = name_from_file(&file.name());
                wasm_bindgen_futures::spawn_local(async move {
                    files.dispatch(FilesAction::Read(read(file, name).await));
                });
            }
        })
    };
    let on_pick = {
        let add = add.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            if let Some(list) = input.files() {
                add.emit(files_of(&list));
            }
            input.set_value("");
        })
    };
    let picker = use_node_ref();
    let open_picker = {
        let picker = picker.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = picker.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_drag_over = Callback::from(|event: DragEvent| {
        // Ours, not the page's behind the dialog (which would import the files).
        event.prevent_default();
        event.stop_propagation();
    });
    let on_drop = {
        let add = add.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            event.stop_propagation();
            if let Some(list) = event.data_transfer().and_then(|t| t.files()) {
                add.emit(files_of(&list));
            }
        })
    };
    let (on_close_click, on_escape) = closing(&dialog, &props.on_close);
    let save = |csv: bool| {
        let (report, problem) = (report.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(report) = report.as_ref() else {
                return;
            };
            let written = if csv {
                download("agreement-report.csv", "text/csv", &report_csv(report))
            } else {
                serde_json::to_string_pretty(report.as_ref())
                    .map_err(|e| e.to_string())
                    .and_then(|json| download("agreement-report.json", "application/json", &json))
            };
            problem.set(
                written
                    .err()
                    .map(|e| format!("The report could not be downloaded: {e}.")),
            );
        })
    };
    let on_pair = {
        let pair = pair.clone();
        Callback::from(move |index: usize| pair.set(index))
    };

    let readable = files.files.iter().filter(|f| f.read.is_ok()).count();
    let status = if files.reading > 0 {
        format!("Reading {}…", plural(files.reading, "file", "files"))
    } else if readable < 2 {
        format!(
            "{} read; add at least two annotators' files to compare them.",
            plural(readable, "file", "files")
        )
    } else {
        format!("Comparing {} annotators.", readable)
    };
    let shown_pair = report
        .as_ref()
        .as_ref()
        .map_or(0, |r| (*pair).min(r.corpus.pairs.len().saturating_sub(1)));

    html! {
        <dialog ref={dialog} class="dialog compare-dialog" aria-labelledby={TITLE_ID}
            tabindex="-1" oncancel={on_escape} onkeydown={on_dialog_key}
            ondragover={on_drag_over} ondrop={on_drop}>
            <h2 id={TITLE_ID}>{ "Compare annotators" }</h2>
            <p>
                { "Add each annotator's export of the same articles, in any format this app imports (or drop the files here). Articles are paired by their text, whatever their ids or titles. Nothing is added to your articles." }
            </p>
            <p class="compare-add">
                <button type="button" onclick={open_picker}>{ "Add annotators' files…" }</button>
                <input ref={picker} type="file" multiple=true class="visually-hidden" tabindex="-1"
                    aria-hidden="true" onchange={on_pick}
                    accept=".json,.jsonl,.jsonld,.ndjson,.zip,application/json,application/zip" />
            </p>
            if !files.files.is_empty() {
                <h3 id={FILES_ID}>{ "Annotators" }</h3>
                <ul class="compare-files" aria-labelledby={FILES_ID}>
                    { for files.files.iter().enumerate().map(|(index, file)| file_row(&files, index, file)) }
                </ul>
            }
            <p class="compare-status" role="status">{ status }</p>
            if let Some(problem) = (*problem).clone() {
                <p class="compare-problem" role="alert">{ problem }</p>
            }
            if let Some(report) = report.as_ref().clone() {
                <ReportView report={report} pair={shown_pair} on_pair={on_pair} />
            }
            <div class="dialog-buttons">
                <button type="button" onclick={save(false)} disabled={report.is_none()}>
                    { "Download report (JSON)" }
                </button>
                <button type="button" onclick={save(true)} disabled={report.is_none()}>
                    { "Download report (CSV)" }
                </button>
                <button type="button" onclick={on_close_click}>{ "Close" }</button>
            </div>
        </dialog>
    }
}

/// One file: its annotator's name (editable), what was read, and a way to take it out.
fn file_row(files: &UseReducerHandle<Files>, index: usize, file: &AnnotatorFile) -> Html {
    let on_rename = {
        let files = files.clone();
        Callback::from(move |event: Event| {
            if let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                files.dispatch(FilesAction::Rename(index, input.value()));
            }
        })
    };
    let on_remove = {
        let files = files.clone();
        Callback::from(move |_: MouseEvent| files.dispatch(FilesAction::Remove(index)))
    };
    let what = match &file.read {
        Ok((format, documents)) => format!(
            "{} · {} · {}",
            file.file_name,
            format,
            plural(documents.len(), "article", "articles")
        ),
        Err(problem) => format!("{}: not compared ({problem})", file.file_name),
    };
    html! {
        <li key={format!("{index}:{}", file.file_name)} class={classes!(file.read.is_err().then_some("unreadable"))}>
            <label>
                { "Annotator " }
                <input type="text" value={file.name.clone()} onchange={on_rename}
                    aria-label={format!("Name of the annotator of {}", file.file_name)} />
            </label>
            <span class="compare-file">{ what }</span>
            <button type="button" onclick={on_remove}
                aria-label={format!("Remove {}", file.name)}>{ "Remove" }</button>
        </li>
    }
}
