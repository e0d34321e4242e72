//! Adjudicating one article between two annotators: the differences one at a time (n / p walk
//! the disagreements), each decided (accept one side, both, neither, or a span of the
//! adjudicator's making), a summary of what is left, undo, and the gold article, downloaded or
//! added to the library. Every decision is saved at once (`super::adjudications`).

use std::collections::BTreeMap;
use std::rc::Rc;

use annotator_core::agreement::adjudication::{
    differences, gold, Decision, Difference, GoldSource, Kind,
};
use annotator_core::agreement::adjudication_record::AdjudicationRecord;
use annotator_core::agreement::study::Coding;
use annotator_core::agreement::CodedSpan;
use annotator_core::formats::native;
use annotator_core::model::{Document, Schema};
use web_sys::{HtmlInputElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

use super::adjudications;
use super::focus_next::focus_next;
use crate::browser::clock::now;
use crate::browser::download::download;

/// Code points of text shown on each side of a difference.
const CONTEXT: usize = 60;

#[derive(Properties, Clone, PartialEq)]
pub struct AdjudicationViewProps {
    /// Where the adjudication is stored.
    pub key_name: String,
    pub on_back: Callback<()>,
    /// Hands the gold article, as a native JSON file, to the page's import.
    pub on_gold: Callback<web_sys::File>,
}

/// The adjudication as loaded: what does not change while it is open.
struct Loaded {
    record: AdjudicationRecord,
    codings: [Coding; 2],
    differences: Vec<Difference>,
}

/// What changes: the decisions, the undo steps, where the adjudicator is.
#[derive(Clone, PartialEq)]
struct Progress {
    decisions: BTreeMap<usize, Decision>,
    /// Each step: the difference and what it was decided before.
    undo: Vec<(usize, Option<Decision>)>,
    current: usize,
}

fn load(key: &str) -> Result<Rc<Loaded>, String> {
    let json = adjudications::load(key)?;
    let (record, codings) = AdjudicationRecord::read(&json)?;
    let differences = differences(&codings[0].spans, &codings[1].spans);
    Ok(Rc::new(Loaded {
        record,
        codings,
        differences,
    }))
}

/// The text from `from` to `to` (code points).
fn slice(text: &str, from: usize, to: usize) -> String {
    text.chars()
        .skip(from)
        .take(to.saturating_sub(from))
        .collect()
}

/// One annotator's line: the words around the difference with their span marked and labelled
/// in words (a line without a span says so).
fn side(
    text: &str,
    name: &str,
    span: Option<&CodedSpan>,
    window: (usize, usize),
    class: &'static str,
) -> Html {
    let body = match span {
        Some(span) => html! {
            <>
                { slice(text, window.0, span.start) }
                <mark class={class}>
                    <span class="adj-label">{ format!("[{} ", span.label.as_str()) }</span>
                    { slice(text, span.start, span.end) }
                    <span class="adj-label">{ "]" }</span>
                </mark>
                { slice(text, span.end, window.1) }
            </>
        },
        None => html! { <em>{ "no span here" }</em> },
    };
    html! {
        <div class="adj-side">
            <span class="adj-who">{ format!("{name}: ") }</span>
            <span class="adj-text">{ body }</span>
        </div>
    }
}

fn decision_words(decision: Option<&Decision>, names: &[String; 2]) -> String {
    match decision {
        None => "undecided".to_owned(),
        Some(Decision::A) => format!("{}'s span accepted", names[0]),
        Some(Decision::B) => format!("{}'s span accepted", names[1]),
        Some(Decision::Both) => "both accepted".to_owned(),
        Some(Decision::Reject) => "rejected".to_owned(),
        Some(Decision::Edit { start, end, label }) => format!("edited: {label} {start}–{end}"),
    }
}

#[function_component(AdjudicationView)]
pub fn adjudication_view(props: &AdjudicationViewProps) -> Html {
    let loaded = use_memo(props.key_name.clone(), |key| load(key));
    let progress = use_state(|| None::<Progress>);
    let adjudicator = use_state(adjudications::adjudicator);
    let message = use_state(|| None::<String>);
    let editing = use_state(|| false);

    let loaded = match loaded.as_ref() {
        Ok(loaded) => Rc::clone(loaded),
        Err(problem) => {
            let back = props.on_back.reform(|_: MouseEvent| ());
            return html! {
                <section class="adjudication">
                    <p role="alert">{ format!("This adjudication cannot be opened: {problem}.") }</p>
                    <button type="button" onclick={back}>{ "Back to the report" }</button>
                </section>
            };
        }
    };
    let state = (*progress).clone().unwrap_or_else(|| Progress {
        decisions: loaded.record.decisions.iter().cloned().collect(),
        undo: Vec::new(),
        current: loaded
            .differences
            .iter()
            .position(|d| d.kind.is_disagreement())
            .unwrap_or(0),
    });
    let names = loaded.record.names.clone();
    let text = loaded.record.text.as_str();
    let count = loaded.differences.len();
    let disagreements = loaded
        .differences
        .iter()
        .filter(|d| d.kind.is_disagreement())
        .count();
    let decided_disagreements = loaded
        .differences
        .iter()
        .enumerate()
        .filter(|(i, d)| d.kind.is_disagreement() && state.decisions.contains_key(i))
        .count();
    let agreements = count - disagreements;
    let accepted_agreements = loaded
        .differences
        .iter()
        .enumerate()
        .filter(|(i, d)| !d.kind.is_disagreement() && state.decisions.contains_key(i))
        .count();

    // Saves the new progress and shows it.
    let commit = {
        let (progress, message, loaded, key) = (
            progress.clone(),
            message.clone(),
            Rc::clone(&loaded),
            props.key_name.clone(),
        );
        let adjudicator = (*adjudicator).clone();
        Rc::new(move |next: Progress| {
            let mut record = loaded.record.clone();
            record.decisions = next
                .decisions
                .iter()
                .map(|(i, d)| (*i, d.clone()))
                .collect();
            record.adjudicator = adjudicator.clone();
            message.set(adjudications::save(&key, &record).err());
            progress.set(Some(next));
        })
    };
    let decide = {
        let (commit, state) = (Rc::clone(&commit), state.clone());
        let differences = loaded.differences.clone();
        let decide: Rc<dyn Fn(usize, Decision)> = Rc::new(move |at: usize, decision: Decision| {
            let mut next = state.clone();
            let before = next.decisions.insert(at, decision);
            next.undo.push((at, before));
            // On to the next undecided disagreement, if any.
            let after = (1..=differences.len())
                .map(|step| (at + step) % differences.len())
                .find(|&i| {
                    differences[i].kind.is_disagreement() && !next.decisions.contains_key(&i)
                });
            if let Some(after) = after {
                next.current = after;
            }
            commit(next);
        });
        decide
    };
    let walk = {
        let (progress, state) = (progress.clone(), state.clone());
        let differences = loaded.differences.clone();
        Rc::new(move |forward: bool| {
            let n = differences.len();
            if n == 0 {
                return;
            }
            let found = (1..=n)
                .map(|step| {
                    if forward {
                        (state.current + step) % n
                    } else {
                        (state.current + n - step) % n
                    }
                })
                .find(|&i| differences[i].kind.is_disagreement());
            if let Some(found) = found {
                let mut next = state.clone();
                next.current = found;
                progress.set(Some(next));
            }
        })
    };
    let undo = {
        let (commit, state) = (Rc::clone(&commit), state.clone());
        Rc::new(move || {
            let mut next = state.clone();
            if let Some((at, before)) = next.undo.pop() {
                match before {
                    Some(decision) => next.decisions.insert(at, decision),
                    None => next.decisions.remove(&at),
                };
                next.current = at;
                commit(next);
            }
        })
    };
    let accept_agreements = {
        let (commit, state) = (Rc::clone(&commit), state.clone());
        let differences = loaded.differences.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = state.clone();
            for (i, d) in differences.iter().enumerate() {
                if !d.kind.is_disagreement() && !next.decisions.contains_key(&i) {
                    next.decisions.insert(i, Decision::A);
                    next.undo.push((i, None));
                }
            }
            commit(next);
        })
    };
    let on_key = {
        let (walk, undo) = (Rc::clone(&walk), Rc::clone(&undo));
        Callback::from(move |event: KeyboardEvent| {
            let typing = event.target_dyn_into::<HtmlInputElement>().is_some()
                || event.target_dyn_into::<HtmlSelectElement>().is_some();
            if typing || event.alt_key() {
                return;
            }
            let key = event.key();
            if (event.ctrl_key() || event.meta_key()) && key.eq_ignore_ascii_case("z") {
                event.prevent_default();
                undo();
            } else if !event.ctrl_key() && !event.meta_key() && (key == "n" || key == "p") {
                event.prevent_default();
                walk(key == "n");
            }
        })
    };
    let on_adjudicator = {
        let adjudicator = adjudicator.clone();
        Callback::from(move |event: Event| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                adjudications::set_adjudicator(&input.value());
                adjudicator.set(input.value().trim().to_owned());
            }
        })
    };
    let gold_document = {
        let (loaded, state, adjudicator) =
            (Rc::clone(&loaded), state.clone(), (*adjudicator).clone());
        move || -> Result<Document, String> {
            let source = GoldSource {
                title: &loaded.record.title,
                text: &loaded.record.text,
                names: [&loaded.record.names[0], &loaded.record.names[1]],
                codings: [&loaded.codings[0], &loaded.codings[1]],
                adjudicator: &adjudicator,
            };
            gold(&source, &loaded.differences, &state.decisions, now())
        }
    };
    let file_name = format!(
        "{}.gold.json",
        loaded.record.title.replace(['/', '\\'], "-")
    );
    let on_download = {
        let (gold_document, message, file_name) =
            (gold_document.clone(), message.clone(), file_name.clone());
        Callback::from(move |_: MouseEvent| {
            let written = gold_document().and_then(|d| {
                download(
                    &file_name,
                    "application/json",
                    &native::export([&d], &Schema::default()),
                )
            });
            message.set(
                written
                    .err()
                    .map(|e| format!("The gold article could not be written: {e}.")),
            );
        })
    };
    let on_add = {
        let (gold_document, message, on_gold) =
            (gold_document, message.clone(), props.on_gold.clone());
        Callback::from(move |_: MouseEvent| {
            let file = gold_document().and_then(|d| {
                let json = native::export([&d], &Schema::default());
                let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&json));
                web_sys::File::new_with_str_sequence(&parts, &file_name)
                    .map_err(|_| "the browser refused to make the file".to_owned())
            });
            match file {
                Ok(file) => on_gold.emit(file),
                Err(e) => message.set(Some(format!("The gold article could not be made: {e}."))),
            }
        })
    };

    let current = loaded.differences.get(state.current).copied();
    let detail = current.map(|difference| {
        let at = state.current;
        let a = difference.a.map(|i| &loaded.codings[0].spans[i]);
        let b = difference.b.map(|j| &loaded.codings[1].spans[j]);
        let starts = a.iter().chain(b.iter()).map(|s| s.start).min().unwrap_or(0);
        let ends = a.iter().chain(b.iter()).map(|s| s.end).max().unwrap_or(0);
        let window = (starts.saturating_sub(CONTEXT), ends + CONTEXT);
        let button = |words: String, decision: Decision, enabled: bool| {
            let decide = Rc::clone(&decide);
            let onclick = Callback::from(move |_: MouseEvent| decide(at, decision.clone()));
            html! { <button type="button" onclick={onclick} disabled={!enabled}>{ words }</button> }
        };
        let edit_form = (*editing).then(|| edit_form(at, a, b, &decide, &editing));
        let toggle_edit = {
            let editing = editing.clone();
            Callback::from(move |_: MouseEvent| editing.set(!*editing))
        };
        html! {
            <div class="adj-current" role="group"
                aria-label={format!("Difference {} of {}: {}", at + 1, count, difference.kind.describe(&names[0], &names[1]))}>
                <p class="adj-kind">
                    <strong>{ difference.kind.describe(&names[0], &names[1]) }</strong>
                    { format!(" — {}", decision_words(state.decisions.get(&at), &names)) }
                </p>
                { side(text, &names[0], a, window, "adj-a") }
                { side(text, &names[1], b, window, "adj-b") }
                <div class="adj-decide" role="group" aria-label="Decide">
                    { button(format!("Accept {}", names[0]), Decision::A, a.is_some()) }
                    { button(format!("Accept {}", names[1]), Decision::B, b.is_some()) }
                    { button("Accept both".to_owned(), Decision::Both, a.is_some() && b.is_some() && difference.kind != Kind::Same) }
                    { button("Reject".to_owned(), Decision::Reject, true) }
                    <button type="button" onclick={toggle_edit} aria-expanded={editing.to_string()}>{ "Edit…" }</button>
                </div>
                { for edit_form }
            </div>
        }
    });
    let prev = {
        let walk = Rc::clone(&walk);
        Callback::from(move |_: MouseEvent| walk(false))
    };
    let next = {
        let walk = Rc::clone(&walk);
        Callback::from(move |_: MouseEvent| walk(true))
    };
    let on_undo = Callback::from(move |_: MouseEvent| undo());
    let back = props.on_back.reform(|_: MouseEvent| ());

    html! {
        <section class="adjudication" aria-labelledby="adjudication-title" onkeydown={on_key}>
            <h3 id="adjudication-title" tabindex="-1">
                { format!("Adjudicating “{}”: {} and {}", loaded.record.title, names[0], names[1]) }
            </h3>
            <label class="adj-adjudicator">
                { "Adjudicator " }
                <input type="text" value={(*adjudicator).clone()} onchange={on_adjudicator}
                    placeholder="your name" />
            </label>
            <div class="adj-summary">
                <progress max={disagreements.max(1).to_string()} value={decided_disagreements.to_string()}
                    aria-label="Disagreements decided" />
                <p role="status">
                    { format!("{} of {} disagreements left; {} of {} agreements accepted.",
                        disagreements - decided_disagreements, disagreements, accepted_agreements, agreements) }
                </p>
            </div>
            <div class="adj-walk">
                <button type="button" onclick={prev} aria-keyshortcuts="p">{ "Previous disagreement" }</button>
                <button type="button" onclick={next} aria-keyshortcuts="n">{ "Next disagreement" }</button>
                <button type="button" onclick={accept_agreements} disabled={accepted_agreements == agreements}>
                    { format!("Accept where both agree ({})", agreements - accepted_agreements) }
                </button>
                <button type="button" onclick={on_undo} disabled={state.undo.is_empty()} aria-keyshortcuts="Control+Z">
                    { "Undo decision" }
                </button>
            </div>
            if count == 0 {
                <p>{ "Neither annotator tagged anything in this article." }</p>
            }
            { for detail }
            if let Some(message) = (*message).clone() {
                <p class="compare-problem" role="alert">{ message }</p>
            }
            <div class="adj-finish">
                <button type="button" onclick={on_add}>{ "Add the gold article to my articles" }</button>
                <button type="button" onclick={on_download}>{ "Download the gold article (JSON)" }</button>
                <button type="button" onclick={back}>{ "Back to the report" }</button>
            </div>
        </section>
    }
}

/// The adjudicator's own span: a label and each boundary taken from either annotator.
fn edit_form(
    at: usize,
    a: Option<&CodedSpan>,
    b: Option<&CodedSpan>,
    decide: &Rc<dyn Fn(usize, Decision)>,
    editing: &UseStateHandle<bool>,
) -> Html {
    let spans: Vec<&CodedSpan> = a.into_iter().chain(b).collect();
    let mut starts: Vec<usize> = spans.iter().map(|s| s.start).collect();
    let mut ends: Vec<usize> = spans.iter().map(|s| s.end).collect();
    let mut labels: Vec<String> = ["quote", "entity", "claim"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    labels.extend(spans.iter().map(|s| s.label.as_str().to_owned()));
    starts.sort_unstable();
    starts.dedup();
    ends.sort_unstable();
    ends.dedup();
    // Each label once, in first-seen order (ours first).
    let mut seen = std::collections::HashSet::new();
    labels.retain(|l| seen.insert(l.clone()));
    let (start_ref, end_ref, label_ref) =
        (NodeRef::default(), NodeRef::default(), NodeRef::default());
    let apply = {
        let (decide, editing) = (Rc::clone(decide), editing.clone());
        let (start_ref, end_ref, label_ref) =
            (start_ref.clone(), end_ref.clone(), label_ref.clone());
        Callback::from(move |_: MouseEvent| {
            let value = |r: &NodeRef| {
                r.cast::<HtmlSelectElement>()
                    .map(|s| s.value())
                    .unwrap_or_default()
            };
            let (start, end) = (
                value(&start_ref).parse::<usize>(),
                value(&end_ref).parse::<usize>(),
            );
            if let (Ok(start), Ok(end)) = (start, end) {
                if start < end {
                    decide(
                        at,
                        Decision::Edit {
                            start,
                            end,
                            label: value(&label_ref),
                        },
                    );
                    editing.set(false);
                    focus_next(&[".adj-decide button"]);
                }
            }
        })
    };
    html! {
        <div class="adj-edit" role="group" aria-label="Your span">
            <label>{ "Label " }
                <select ref={label_ref}>
                    { for labels.iter().map(|l| html! { <option value={l.clone()}>{ l.clone() }</option> }) }
                </select>
            </label>
            <label>{ "Starts at " }
                <select ref={start_ref}>
                    { for starts.iter().map(|s| html! { <option value={s.to_string()}>{ s.to_string() }</option> }) }
                </select>
            </label>
            <label>{ "Ends at " }
                <select ref={end_ref}>
                    { for ends.iter().map(|e| html! { <option value={e.to_string()}>{ e.to_string() }</option> }) }
                </select>
            </label>
            <button type="button" onclick={apply}>{ "Use this span" }</button>
        </div>
    }
}
