//! The Compare dialog: the annotators' files, their report, and its downloads.

use std::rc::Rc;

use annotator_core::agreement::adjudication_record::{
    AdjudicationRecord, CodingRecord, FORMAT as ADJUDICATION, VERSION as ADJUDICATION_VERSION,
};
use annotator_core::agreement::report_csv::report_csv;
use annotator_core::agreement::{pair_articles, report, Report, Study};
use annotator_core::model::Document;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, HtmlInputElement};
use yew::prelude::*;

use super::adjudication_view::AdjudicationView;
use super::adjudications;
use super::annotator_files::{read, unique_name, AnnotatorFile};
use super::focus_next::focus_next;
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
    /// Hands a gold article (a native JSON file) to the page's import.
    pub on_gold: Callback<web_sys::File>,
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

/// The study and its report, of the files that were read, once there are two.
fn report_of(files: &[AnnotatorFile]) -> Option<Rc<(Study, Rc<Report>)>> {
    let annotators: Vec<(String, Vec<Document>)> = files
        .iter()
        .filter_map(|f| {
            let (_, documents) = f.read.as_ref().ok()?;
            Some((f.name.clone(), documents.as_ref().clone()))
        })
        .collect();
    (annotators.len() >= 2).then(|| {
        let study = pair_articles(&annotators);
        let report = Rc::new(report(&study));
        Rc::new((study, report))
    })
}

/// Starts (or resumes, when one is kept) the adjudication of `article` between the annotators
/// of the report's pair `pair`; returns where it is kept.
fn start_adjudication(
    study: &Study,
    report: &Report,
    article: usize,
    pair: usize,
) -> Result<String, String> {
    let pair = report.corpus.pairs.get(pair).ok_or("no such pair")?;
    let index = |name: &str| study.annotators.iter().position(|n| n == name);
    let (Some(a), Some(b)) = (index(&pair.a), index(&pair.b)) else {
        return Err("those annotators are not in the files any more".to_owned());
    };
    let shared = study.articles.get(article).ok_or("no such article")?;
    let (Some(first), Some(second)) = (&shared.codings[a], &shared.codings[b]) else {
        return Err(format!(
            "{} and {} do not both have this article",
            pair.a, pair.b
        ));
    };
    let names = [pair.a.clone(), pair.b.clone()];
    let codings = [CodingRecord::of(first), CodingRecord::of(second)];
    let key = adjudications::key_of(&shared.text, &names, &codings);
    if adjudications::load(&key).is_err() {
        let record = AdjudicationRecord {
            format: ADJUDICATION.to_owned(),
            version: ADJUDICATION_VERSION,
            title: shared.title.clone(),
            text: shared.text.clone(),
            names,
            codings,
            decisions: Vec::new(),
            adjudicator: adjudications::adjudicator(),
        };
        adjudications::save(&key, &record)?;
    }
    Ok(key)
}

/// The adjudications kept from earlier, to resume or discard.
fn kept_adjudications(on_resume: &Callback<String>, on_discard: &Callback<String>) -> Html {
    let kept = adjudications::stored();
    if kept.is_empty() {
        return Html::default();
    }
    html! {
        <section class="adj-kept" aria-labelledby="adj-kept-title">
            <h3 id="adj-kept-title">{ "Adjudications under way" }</h3>
            <ul>
                { for kept.into_iter().map(|(key, record)| {
                    let (what, readable) = match &record {
                        Ok(r) => (format!("“{}”: {} and {}, {} decided", r.title, r.names[0], r.names[1], r.decisions.len()), true),
                        Err(problem) => (format!("one that cannot be read ({problem})"), false),
                    };
                    let resume = { let (k, cb) = (key.clone(), on_resume.clone()); Callback::from(move |_: MouseEvent| cb.emit(k.clone())) };
                    let discard = { let (k, cb) = (key.clone(), on_discard.clone()); Callback::from(move |_: MouseEvent| cb.emit(k.clone())) };
                    html! {
                        <li>
                            <span>{ what.clone() }</span>
                            if readable {
                                <button type="button" onclick={resume} aria-label={format!("Resume {what}")}>{ "Resume" }</button>
                            }
                            <button type="button" onclick={discard} aria-label={format!("Discard {what}")}>{ "Discard" }</button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
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
    let study = use_memo(files.files.clone(), |files| report_of(files));
    let report: Option<Rc<Report>> = study.as_ref().as_ref().map(|s| Rc::clone(&s.1));
    let adjudicating = use_state(|| None::<String>);
    // Bumped when a kept adjudication is discarded, so the list is read again.
    let kept_version = use_state(|| 0u32);

    let add = {
        let files = files.clone();
        Callback::from(move |picked: Vec<web_sys::File>| {
            files.dispatch(FilesAction::Reading(picked.len()));
            // One after another: the annotators are then listed (and the report's pairs made)
            // in the order the files were picked, not in the order their reads happen to end.
            let files = files.clone();
            wasm_bindgen_futures::spawn_local(async move {
                for file in picked {
                    files.dispatch(FilesAction::Read(read(file).await));
                }
            });
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
            let report: &Report = report;
            let written = if csv {
                download("agreement-report.csv", "text/csv", &report_csv(report))
            } else {
                serde_json::to_string_pretty(report)
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
        .map_or(0, |r| (*pair).min(r.corpus.pairs.len().saturating_sub(1)));
    let on_adjudicate = {
        let (study, adjudicating, problem) = (study.clone(), adjudicating.clone(), problem.clone());
        Callback::from(move |article: usize| {
            let Some(study) = study.as_ref().as_ref() else {
                return;
            };
            match start_adjudication(&study.0, &study.1, article, shown_pair) {
                Ok(key) => {
                    problem.set(None);
                    adjudicating.set(Some(key));
                    focus_next(&["#adjudication-title"]);
                }
                Err(e) => problem.set(Some(format!("The adjudication could not be started: {e}."))),
            }
        })
    };
    let on_resume = {
        let adjudicating = adjudicating.clone();
        Callback::from(move |key: String| {
            adjudicating.set(Some(key));
            focus_next(&["#adjudication-title"]);
        })
    };
    let on_discard = {
        let kept_version = kept_version.clone();
        Callback::from(move |key: String| {
            adjudications::remove(&key);
            kept_version.set(*kept_version + 1);
            focus_next(&[".adj-kept button", ".compare-add button"]);
        })
    };
    let on_back = {
        let adjudicating = adjudicating.clone();
        Callback::from(move |()| {
            adjudicating.set(None);
            focus_next(&["#agreement-title", ".compare-add button"]);
        })
    };

    html! {
        <dialog ref={dialog} class="dialog compare-dialog" aria-labelledby={TITLE_ID}
            tabindex="-1" oncancel={on_escape} onkeydown={on_dialog_key}
            ondragover={on_drag_over} ondrop={on_drop}>
            <h2 id={TITLE_ID}>{ "Compare annotators" }</h2>
            // While adjudicating, the files and their status give the view their room (a phone
            // would scroll past them to every difference); Back to the report brings them back.
            if adjudicating.is_none() {
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
            }
            if let Some(problem) = (*problem).clone() {
                <p class="compare-problem" role="alert">{ problem }</p>
            }
            if let Some(key) = (*adjudicating).clone() {
                <AdjudicationView key_name={key} on_back={on_back} on_gold={props.on_gold.clone()} />
            } else {
                { kept_adjudications(&on_resume, &on_discard) }
                if let Some(report) = report.clone() {
                    <ReportView report={report} pair={shown_pair} on_pair={on_pair}
                        on_adjudicate={on_adjudicate} />
                }
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
