//! Global keys. With text selected, a label's key tags it; with an annotation selected, a label's
//! key relabels it, `r` starts a link, `1`–`9` pick a value of its first attribute with a fixed
//! set of values (`0` clears it) and `n` goes to its note. While linking, a relation type's key
//! picks the type and Escape cancels. Delete/Backspace remove, Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z
//! and Ctrl/Cmd+Y redo, Ctrl/Cmd+F opens the find bar, Escape clears the selection. Which key is
//! which label or relation type is the schema's.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;

use crate::browser::clock::now;
use crate::browser::text_case::lowercase;
use crate::browser::text_selection::{clear_text_selection, is_typing_target};
use crate::state::{Action, AppState};

/// The id of the selected annotation's note field (see `components::annotation_details`).
pub const NOTE_FIELD_ID: &str = "annotation-note";

/// What a key press asks for, if anything, given the state it was pressed in.
fn action_for(event: &KeyboardEvent, state: &AppState) -> Option<Action> {
    let key = event.key();
    let command = event.ctrl_key() || event.meta_key();
    if event.alt_key() {
        return None;
    }
    if command {
        return match key.to_ascii_lowercase().as_str() {
            "z" if event.shift_key() => Some(Action::Redo { now: now() }),
            "z" => Some(Action::Undo { now: now() }),
            "y" => Some(Action::Redo { now: now() }),
            _ => None,
        };
    }
    match key.as_str() {
        "Escape" if state.linking.is_some() => return Some(Action::CancelLink),
        "Escape" => {
            return Some(Action::Select {
                id: None,
                reveal: false,
            })
        }
        "Delete" | "Backspace" => return Some(Action::DeleteSelected { now: now() }),
        _ => {}
    }
    if state.linking.is_some() {
        return state
            .schema
            .relation_for_key(&key)
            .map(|spec| Action::PickLinkKind(Some(spec.kind.clone())));
    }
    let lower = lowercase(&key);
    if state.selected.is_some() && state.pending.is_none() {
        if lower == "r" {
            return Some(Action::StartLink);
        }
        if let Some(digit) = key.chars().next().and_then(|c| c.to_digit(10)) {
            if key.len() == 1 {
                if let Some((id, name, value)) = state.first_choice_value(digit) {
                    return Some(Action::SetAttribute {
                        id,
                        name,
                        value,
                        now: now(),
                    });
                }
            }
        }
    }
    state.schema.label_for_key(&key).map(|spec| Action::Tag {
        label: spec.label.clone(),
        now: now(),
    })
}

/// Moves focus to the selected annotation's note field.
fn focus_note() {
    let field = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(NOTE_FIELD_ID))
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    if let Some(field) = field {
        let _ = field.focus();
    }
}

/// Whether a modal dialog other than the import one is open: its own controls take the keys.
/// Such dialogs live at the top of `<body>` (the schema editor's in the host element the page
/// gives it there), so only `<body>`'s children and theirs are looked at: a selector over the
/// whole document walks every highlight of a long article, on every key (half a millisecond on
/// a 1 MB article).
fn other_dialog_open() -> bool {
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    else {
        return false;
    };
    let open_dialog = |element: &web_sys::Element| {
        element.tag_name().eq_ignore_ascii_case("dialog")
            && element.has_attribute("open")
            && !element.class_list().contains("import-dialog")
    };
    let children = body.children();
    (0..children.length())
        .filter_map(|i| children.item(i))
        .any(|child| {
            open_dialog(&child)
                || child
                    .first_element_child()
                    .is_some_and(|inner| open_dialog(&inner))
        })
}

/// The listener reads the state of the latest render from a cell, rather than being made again
/// on every render.
#[hook]
pub fn use_keyboard_shortcuts(state: &UseReducerHandle<AppState>) {
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    let dispatcher = state.dispatcher();
    use_effect_with((), move |_| {
        let listener = web_sys::window()
            .and_then(|w| w.document())
            .map(|document| {
                EventListener::new_with_options(
                    &document,
                    "keydown",
                    EventListenerOptions::enable_prevent_default(),
                    move |event| {
                        let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                            return;
                        };
                        if event.is_composing() || is_typing_target(event.target()) {
                            return;
                        }
                        let state = latest.borrow().clone();
                        if state.importing {
                            if event.key() == "Escape" {
                                dispatcher.dispatch(Action::ImportCancel);
                            }
                            return;
                        }
                        if other_dialog_open() {
                            return;
                        }
                        // The app's own find bar; the browser's find is one more Ctrl+F away,
                        // from the bar's field (a field's keys are left alone above).
                        let command = event.ctrl_key() || event.meta_key();
                        if command
                            && !event.alt_key()
                            && !event.shift_key()
                            && event.key().eq_ignore_ascii_case("f")
                            && state.active_document().is_some()
                        {
                            event.prevent_default();
                            crate::components::suggest_button::find(&state);
                            return;
                        }
                        if state.selected.is_some()
                            && state.linking.is_none()
                            && event.key().eq_ignore_ascii_case("n")
                            && !(event.ctrl_key() || event.meta_key() || event.alt_key())
                        {
                            event.prevent_default();
                            focus_note();
                            return;
                        }
                        let Some(action) = action_for(event, &state) else {
                            return;
                        };
                        event.prevent_default();
                        let clears_selection =
                            matches!(action, Action::Tag { .. } | Action::Select { .. });
                        dispatcher.dispatch(action);
                        if clears_selection {
                            clear_text_selection();
                        }
                    },
                )
            });
        move || drop(listener)
    });
}
