//! The label bar: what is selected, the three label buttons, delete, undo and redo.

use web_sys::MouseEvent;
use yew::prelude::*;

use crate::browser::clock::now;
use crate::hooks::clear_text_selection;
use crate::state::{Action, AppContext};
use annotator_core::model::Label;

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

#[component]
pub fn LabelBar() -> Html {
    let Some(state) = use_context::<AppContext>() else {
        return Html::default();
    };
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

    let buttons = Label::ALL.map(|label| {
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
        let shortcut = label.shortcut().unwrap_or_default();
        let name = label.display_name().to_owned();
        html! {
            <button class={classes!("label-button", format!("label-{}", label.as_str()))}
                aria-label={name.clone()}
                aria-keyshortcuts={shortcut.to_string()}
                aria-pressed={selected.map(|_| current.to_string())}
                disabled={!can_tag}
                onmousedown={keep_selection.clone()} onclick={onclick}>
                <span class="swatch" aria-hidden="true">{ "Aa" }</span>
                { name }
                <kbd aria-hidden="true">{ shortcut.to_ascii_uppercase() }</kbd>
            </button>
        }
    });

    let status = if let Some(range) = state.pending {
        let text = document.text().slice(range).unwrap_or_default();
        format!(
            "Selected {} character{}: “{}” — choose a label or press Q, E or C.",
            range.len(),
            if range.len() == 1 { "" } else { "s" },
            excerpt(text)
        )
    } else if let Some(annotation) = selected {
        let text = document.text().slice(annotation.range).unwrap_or_default();
        format!(
            "{} “{}” ({}–{}) — Q/E/C relabels, Delete removes.",
            annotation.label.display_name(),
            excerpt(text),
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
    let undo = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Undo { now: now() }))
    };
    let redo = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Redo { now: now() }))
    };

    html! {
        <div class="label-bar" role="toolbar" aria-label="Labels">
            <div class="label-buttons">{ for buttons }</div>
            <div class="edit-buttons">
                <button onclick={delete} disabled={selected.is_none()} aria-keyshortcuts="Delete">{ "Delete" }</button>
                <button onclick={undo} disabled={!open.history.can_undo()} aria-keyshortcuts="Control+Z">{ "Undo" }</button>
                <button onclick={redo} disabled={!open.history.can_redo()} aria-keyshortcuts="Control+Shift+Z">{ "Redo" }</button>
            </div>
            <p class="selection-status" aria-live="polite">{ status }</p>
        </div>
    }
}
