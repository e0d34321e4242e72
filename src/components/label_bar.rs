//! The label bar: what is selected, one button per label of the schema (in its order, with its
//! key and colour, then any label the open document uses that the schema lacks), delete, undo
//! and redo. It is an ARIA toolbar: one Tab stop, the arrow keys, Home and End move between its
//! buttons (`roving_focus`).

use wasm_bindgen::JsCast;
use web_sys::{FocusEvent, HtmlElement, KeyboardEvent, MouseEvent};
use yew::prelude::*;

use super::label_class::label_class;
use super::roving_focus::{roving_target, step_for_key, tab_stop, Orientation};
use crate::browser::clock::now;
use crate::browser::text_case::key_cap;
use crate::browser::text_selection::clear_text_selection;
use crate::state::{Action, AppContext};
use annotator_core::model::excerpt::quoted;
use annotator_core::model::{Document, Label, Schema};

/// Longest excerpt of the selected text shown in the bar, in characters.
const EXCERPT_CHARS: usize = 60;

fn excerpt(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out.replace('\n', " ")
}

/// The labels offered, with their keys: the schema's in its order, then those the document uses
/// that the schema lacks (so every annotation can still be relabelled to what it was).
fn offered_labels(schema: &Schema, document: &Document) -> Vec<(Label, Option<char>)> {
    let mut labels: Vec<(Label, Option<char>)> = schema
        .labels
        .iter()
        .map(|spec| (spec.label.clone(), spec.key))
        .collect();
    for annotation in document.annotations() {
        if !labels.iter().any(|(label, _)| label == &annotation.label) {
            labels.push((annotation.label.clone(), None));
        }
    }
    labels
}

/// "Q, E or C" for the keys given; `None` when no label has a key.
fn keys_in_words(keys: &[String], last_joiner: &str) -> Option<String> {
    match keys {
        [] => None,
        [only] => Some(only.clone()),
        [rest @ .., last] => Some(format!("{}{last_joiner}{last}", rest.join(", "))),
    }
}

/// The toolbar's buttons in order, and which of them the event's target is. (Yew delegates
/// events to the app's root, so the event's `current_target` is not the bar.)
fn toolbar_buttons(event: &Event) -> (Vec<HtmlElement>, Option<usize>) {
    let bar = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest(".label-bar").ok().flatten());
    let Some(bar) = bar else {
        return (Vec::new(), None);
    };
    let buttons: Vec<HtmlElement> = bar
        .query_selector_all("button")
        .map(|list| {
            (0..list.length())
                .filter_map(|i| list.item(i)?.dyn_into().ok())
                .collect()
        })
        .unwrap_or_default();
    let target = event.target();
    let at = buttons
        .iter()
        .position(|b| target.as_ref().is_some_and(|t| t == b.as_ref()));
    (buttons, at)
}

/// Left/Right, Home and End move focus between the enabled buttons.
fn on_toolbar_key(event: KeyboardEvent) {
    if event.ctrl_key() || event.meta_key() || event.alt_key() || event.shift_key() {
        return;
    }
    let Some(step) = step_for_key(&event.key(), Orientation::Horizontal) else {
        return;
    };
    let (buttons, at) = toolbar_buttons(&event);
    if at.is_none() {
        return;
    }
    let enabled: Vec<bool> = buttons
        .iter()
        .map(|b| !b.has_attribute("disabled"))
        .collect();
    if let Some(to) = roving_target(&enabled, at, step) {
        event.prevent_default();
        let _ = buttons[to].focus();
    }
}

thread_local! {
    /// The button Tab returns to: the one focused last (an index over all the bar's buttons).
    /// Kept here, not in a hook: the bar is drawn by a plain function, and a focus moves the
    /// Tab stop in the page at once (see `on_focus`).
    static LAST_FOCUSED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The label toolbar, called by the root with its state.
pub fn label_bar(state: &AppContext) -> Html {
    let Some(open) = state.active_document() else {
        return Html::default();
    };
    let document = &open.document;
    let selected = state
        .selected
        .as_ref()
        .and_then(|id| document.annotation(id));
    let can_tag = state.pending.is_some() || selected.is_some();

    // Keeps the text selection alive: a mousedown on a button would otherwise collapse it in
    // some browsers before the click arrives.
    let keep_selection = Callback::from(|event: MouseEvent| event.prevent_default());

    let labels = offered_labels(&state.schema, document);
    let keys: Vec<String> = labels
        .iter()
        .filter_map(|(_, key)| key.map(key_cap))
        .collect();
    let can_tag_all = super::suggest_button::tag_all_source(state).is_some();
    // Every button of the bar in order: one per label, then Delete, Tag all, Find, Undo and Redo.
    let enabled: Vec<bool> = std::iter::repeat_n(can_tag, labels.len())
        .chain([
            selected.is_some(),
            can_tag_all,
            true,
            open.history.can_undo(),
            open.history.can_redo(),
        ])
        .collect();
    let stop = tab_stop(&enabled, LAST_FOCUSED.with(std::cell::Cell::get));
    let tabindex = |index: usize| if stop == Some(index) { "0" } else { "-1" };
    let on_key = Callback::from(on_toolbar_key);
    // The focused button becomes the one Tab stop, in the page now and at the next render.
    let on_focus = Callback::from(|event: FocusEvent| {
        if let (buttons, Some(at)) = toolbar_buttons(&event) {
            LAST_FOCUSED.with(|last| last.set(at));
            for (i, button) in buttons.iter().enumerate() {
                let _ = button.set_attribute("tabindex", if i == at { "0" } else { "-1" });
            }
        }
    });
    let label_count = labels.len();
    let buttons = labels.into_iter().enumerate().map(|(index, (label, key))| {
        let onclick = {
            let state = state.clone();
            let label = label.clone();
            Callback::from(move |_| {
                state.dispatch(Action::Tag {
                    label: label.clone(),
                    now: now(),
                });
                clear_text_selection();
            })
        };
        let current = selected.is_some_and(|a| a.label == label);
        let name = label.display_name().to_owned();
        let style = label_class(&state.schema, &label);
        html! {
            <button class={classes!("label-button", format!("label-{style}"))}
                tabindex={tabindex(index)}
                aria-keyshortcuts={key.map(|k| k.to_string())}
                aria-pressed={selected.map(|_| current.to_string())}
                disabled={!can_tag}
                onmousedown={keep_selection.clone()} onclick={onclick}>
                <span class="swatch" aria-hidden="true">{ "Aa" }</span>
                { name }
                if let Some(key) = key {
                    <kbd aria-hidden="true">{ key_cap(key) }</kbd>
                }
            </button>
        }
    });

    let status = if let Some(range) = state
        .pending
        .map(|p| p.for_rule(state.schema.preview_snap()))
    {
        let text = document.text().slice(range).unwrap_or_default();
        let press = keys_in_words(&keys, " or ")
            .map(|keys| format!(" or press {keys}"))
            .unwrap_or_default();
        format!(
            "Selected {} character{}: {} — choose a label{press}.",
            range.len(),
            if range.len() == 1 { "" } else { "s" },
            quoted(&excerpt(text))
        )
    } else if let Some(annotation) = selected {
        let text = document.text().slice(annotation.range).unwrap_or_default();
        let relabel = if keys.is_empty() {
            "a label button relabels".to_owned()
        } else {
            format!("{} relabels", keys.join("/"))
        };
        format!(
            "{} {} ({}–{}) — {relabel}, Delete removes.",
            annotation.label.display_name(),
            quoted(&excerpt(text)),
            annotation.range.start(),
            annotation.range.end()
        )
    } else {
        "Select text in the article, then choose a label. Click a highlight to select it."
            .to_owned()
    };

    let delete = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::DeleteSelected { now: now() }))
    };
    let tag_all = {
        let state = state.clone();
        Callback::from(move |_| super::suggest_button::tag_all(&state))
    };
    let find = {
        let state = state.clone();
        Callback::from(move |_| super::suggest_button::find(&state))
    };
    let undo = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Undo { now: now() }))
    };
    let redo = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Redo { now: now() }))
    };

    html! {
        <div class="label-bar" role="toolbar" aria-label="Labels"
            onkeydown={on_key} onfocusin={on_focus}>
            <div class="label-buttons">{ for buttons }</div>
            <div class="edit-buttons">
                <button onclick={delete} disabled={selected.is_none()} aria-keyshortcuts="Delete"
                    tabindex={tabindex(label_count)}>{ "Delete" }</button>
                <button onclick={tag_all} disabled={!can_tag_all}
                    title="Suggests the other places of this text, to accept or reject"
                    tabindex={tabindex(label_count + 1)}>{ "Tag all" }</button>
                <button onclick={find} aria-keyshortcuts="Control+F"
                    title="Finds text in the article (Ctrl+F)"
                    tabindex={tabindex(label_count + 2)}>{ "Find…" }</button>
                <button onclick={undo} disabled={!open.history.can_undo()} aria-keyshortcuts="Control+Z"
                    tabindex={tabindex(label_count + 3)}>{ "Undo" }</button>
                <button onclick={redo} disabled={!open.history.can_redo()} aria-keyshortcuts="Control+Shift+Z"
                    tabindex={tabindex(label_count + 4)}>{ "Redo" }</button>
            </div>
            <p class="selection-status">{ status }</p>
        </div>
    }
}
