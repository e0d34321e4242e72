//! The Suggest dialog: the suggesters, each run over the open article or, as a choice, every
//! article: the other places of the selected (or just tagged) span, direct quotes with their
//! speakers, and a dictionary pasted or read from a CSV or JSON Lines file. What they find goes
//! to the review bar; nothing is tagged until accepted.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::{HtmlDialogElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::protocol::Span;
use super::session;
use super::session::Given;
use crate::browser::intl_segmenter::BrowserSegmenter;
use crate::browser::upload::{files_of, read_files};
use crate::hooks::use_modal_dialog;
use crate::hooks::use_modal_dialog::is_escape;
use annotator_core::model::suggest::{dictionary, quote_suggestions};
use annotator_core::model::suggestions::Suggestion;
use annotator_core::model::Label;

const TITLE_ID: &str = "suggest-title";

thread_local! {
    static OPEN: RefCell<Option<yew::AppHandle<SuggestDialog>>> = const { RefCell::new(None) };
}

#[derive(Properties, Clone)]
pub struct SuggestDialogProps {
    pub articles: Rc<Vec<Given>>,
    pub tag_all: Option<Span>,
    /// Called with what a run found, in words ("" when closed without a run).
    pub on_close: Callback<String>,
}

impl PartialEq for SuggestDialogProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.articles, &other.articles) && self.tag_all == other.tag_all
    }
}

/// Opens the dialog in `host` for `articles` (the open one first).
pub fn open(
    host: web_sys::Element,
    articles: Vec<Given>,
    tag_all: Option<Span>,
    on_close: Option<js_sys::Function>,
) {
    close();
    let props = SuggestDialogProps {
        articles: Rc::new(articles),
        tag_all,
        on_close: Callback::from(move |summary: String| {
            if let Some(on_close) = &on_close {
                let _ = on_close.call1(&wasm_bindgen::JsValue::NULL, &summary.into());
            }
        }),
    };
    let handle = yew::Renderer::<SuggestDialog>::with_root_and_props(host, props).render();
    OPEN.with(|open| *open.borrow_mut() = Some(handle));
}

/// Takes the dialog down.
pub fn close() {
    if let Some(handle) = OPEN.with(|open| open.borrow_mut().take()) {
        handle.destroy();
    }
}

/// The articles a run covers: the open one, or every one.
fn in_scope(articles: &[Given], every: bool) -> &[Given] {
    if every {
        articles
    } else {
        &articles[..articles.len().min(1)]
    }
}

#[component]
pub fn SuggestDialog(props: &SuggestDialogProps) -> Html {
    let every = use_state_eq(|| false);
    let source = use_state(String::new);
    let default_label = use_state(|| Label::Entity);
    let outcome = use_state(String::new);
    let dialog = use_node_ref();
    let on_dialog_key = use_modal_dialog(dialog.clone());

    let close_with = {
        let (dialog, on_close) = (dialog.clone(), props.on_close.clone());
        Rc::new(move |summary: String| {
            if let Some(dialog) = dialog.cast::<HtmlDialogElement>() {
                dialog.close();
            }
            on_close.emit(summary);
        })
    };
    // A run adds to the review and closes the dialog, unless it found nothing new: then it
    // stays, saying so, for another try.
    let finish = {
        let (articles, close_with, outcome) = (
            Rc::clone(&props.articles),
            Rc::clone(&close_with),
            outcome.clone(),
        );
        Rc::new(
            move |rule: &str, found: Vec<(String, Vec<Suggestion>)>, note: String| {
                let counts = session::add_found(&articles, found);
                session::redraw();
                let summary = format!("{}{note}", session::summary(rule, counts));
                if counts.0 > 0 {
                    close_with(summary);
                } else {
                    outcome.set(summary);
                }
            },
        )
    };
    let on_every = {
        let every = every.clone();
        Callback::from(move |event: Event| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                every.set(input.checked());
            }
        })
    };
    let run_tag_all = props.tag_all.clone().map(|span| {
        let (articles, every, finish) = (
            Rc::clone(&props.articles),
            every.clone(),
            Rc::clone(&finish),
        );
        Callback::from(move |_: MouseEvent| {
            let found = session::tag_all(in_scope(&articles, *every), &span);
            finish("Tag all", found, String::new());
        })
    });
    let run_quotes = {
        let (articles, every, finish) = (
            Rc::clone(&props.articles),
            every.clone(),
            Rc::clone(&finish),
        );
        Callback::from(move |_: MouseEvent| {
            let found = in_scope(&articles, *every)
                .iter()
                .map(|a| (a.id.clone(), quote_suggestions(&a.text, true)))
                .collect();
            finish("Quotes and speakers", found, String::new());
        })
    };
    let on_text = {
        let source = source.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(area) = event.target_dyn_into::<HtmlTextAreaElement>() {
                source.set(area.value());
            }
        })
    };
    let on_label = {
        let default_label = default_label.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                if let Ok(label) = Label::parse_any(&select.value()) {
                    default_label.set(label);
                }
            }
        })
    };
    let on_file = {
        let (source, outcome) = (source.clone(), outcome.clone());
        Callback::from(move |event: Event| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let files = input
                .files()
                .map(|list| files_of(&list))
                .unwrap_or_default();
            let (source, outcome) = (source.clone(), outcome.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match read_files(files).await {
                    Ok(read) => source.set(
                        read.iter()
                            .map(|file| String::from_utf8_lossy(&file.bytes).into_owned())
                            .collect::<Vec<_>>()
                            .join("\n"),
                    ),
                    Err(message) => outcome.set(format!("The list could not be read: {message}.")),
                }
            });
        })
    };
    let run_dictionary = {
        let (articles, every, finish) = (
            Rc::clone(&props.articles),
            every.clone(),
            Rc::clone(&finish),
        );
        let (source, default_label, outcome) =
            (source.clone(), default_label.clone(), outcome.clone());
        Callback::from(move |_: MouseEvent| {
            let read = dictionary::parse(&source, &default_label);
            if read.entries.is_empty() {
                outcome.set(refused("The list has no name or phrase to find", &read));
                return;
            }
            let segmenter = BrowserSegmenter::new();
            let found = in_scope(&articles, *every)
                .iter()
                .map(|a| {
                    (
                        a.id.clone(),
                        dictionary::suggestions(&a.text, &read, &segmenter),
                    )
                })
                .collect();
            let note = if read.refused.is_empty() {
                String::new()
            } else {
                format!(" {}", refused("Some lines were left out", &read))
            };
            finish("Dictionary", found, note);
        })
    };
    let cancel = {
        let close_with = Rc::clone(&close_with);
        Callback::from(move |_: MouseEvent| close_with(String::new()))
    };
    let on_escape = {
        let close_with = Rc::clone(&close_with);
        let dialog = dialog.clone();
        Callback::from(move |event: Event| {
            if is_escape(&event, &dialog) {
                event.prevent_default();
                close_with(String::new());
            }
        })
    };
    let label_options = [Label::Entity, Label::Quote, Label::Claim].map(|label| {
        html! {
            <option value={label.as_str().to_owned()} selected={*default_label == label}>
                { label.display_name().to_owned() }
            </option>
        }
    });

    html! {
        <dialog ref={dialog} class="dialog suggest-dialog" aria-labelledby={TITLE_ID}
            tabindex="-1" oncancel={on_escape} onkeydown={on_dialog_key}>
            <h2 id={TITLE_ID}>{ "Suggest spans to review" }</h2>
            <p class="suggest-intro">
                { "Suggestions are drawn dashed and are not annotations: they are never saved or exported until you accept them." }
            </p>
            <label class="suggest-scope">
                <input type="checkbox" checked={*every} onchange={on_every} />
                { format!(" In every article ({})", props.articles.len()) }
            </label>
            <div class="dialog-buttons suggest-runs">
                <button type="button" onclick={run_tag_all.clone().unwrap_or_default()}
                    disabled={run_tag_all.is_none()}
                    title="Every other place of the text of the selected (or just tagged) annotation">
                    { "Tag all like the selected" }
                </button>
                <button type="button" onclick={run_quotes}
                    title="The text between quotation marks of any script, and who said it">
                    { "Quotes and speakers" }
                </button>
            </div>
            <fieldset class="suggest-dictionary">
                <legend>{ "Dictionary" }</legend>
                <label for="suggest-dictionary-text">
                    { "Names or phrases, one per line; or CSV (phrase,label); or JSON Lines ({\"text\": …, \"label\": …}, spaCy patterns too)" }
                </label>
                <textarea id="suggest-dictionary-text" rows="5" value={(*source).clone()}
                    oninput={on_text} spellcheck="false" />
                <label>
                    { "Label for lines without one " }
                    <select onchange={on_label}>{ for label_options }</select>
                </label>
                <label class="suggest-file">
                    { "Or read a file " }
                    <input type="file" accept=".csv,.jsonl,.json,.txt,text/csv,text/plain"
                        onchange={on_file} />
                </label>
                <div class="dialog-buttons">
                    <button type="button" onclick={run_dictionary}>{ "Find these" }</button>
                </div>
            </fieldset>
            <p class="suggest-outcome" role="status">{ (*outcome).clone() }</p>
            <div class="dialog-buttons">
                <button type="button" onclick={cancel}>{ "Close" }</button>
            </div>
        </dialog>
    }
}

/// `lead`, and which lines were left out and why (the first few).
fn refused(lead: &str, read: &dictionary::Dictionary) -> String {
    let lines: Vec<String> = read
        .refused
        .iter()
        .take(3)
        .map(|(line, why)| format!("line {line}: {why}"))
        .collect();
    let more = read.refused.len().saturating_sub(lines.len());
    let mut message = lead.to_owned();
    if !lines.is_empty() {
        message.push_str(&format!(" ({}", lines.join("; ")));
        if more > 0 {
            message.push_str(&format!("; {more} more"));
        }
        message.push(')');
    }
    message.push('.');
    message
}
