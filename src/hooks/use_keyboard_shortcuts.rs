//! Global keys: `q`/`e`/`c` tag or relabel, Delete/Backspace remove, Ctrl/Cmd+Z undo,
//! Ctrl/Cmd+Shift+Z and Ctrl/Cmd+Y redo, Escape clears the selection.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use super::use_text_selection::{clear_text_selection, is_typing_target};
use crate::clock::now;
use crate::components::import_dialog::IMPORT_DIALOG_ID;
use crate::model::Label;
use crate::state::{Action, AppState};

/// What a key press asks for, if anything.
fn action_for(event: &KeyboardEvent) -> Option<Action> {
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
        "Delete" | "Backspace" => Some(Action::DeleteSelected { now: now() }),
        "Escape" => Some(Action::Select {
            id: None,
            reveal: false,
        }),
        _ => Label::from_shortcut(&key).map(|label| Action::Tag { label, now: now() }),
    }
}

/// By id, not a selector: a selector walks the whole article (tens of thousands of elements on
/// a long one) on every key press.
fn dialog_open() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(IMPORT_DIALOG_ID))
        .is_some()
}

#[hook]
pub fn use_keyboard_shortcuts(dispatcher: UseReducerDispatcher<AppState>) {
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
                        // A dialog is open (import): Escape closes it, and tagging keys must
                        // not edit the article behind it.
                        if dialog_open() {
                            if event.key() == "Escape" {
                                dispatcher.dispatch(Action::ImportCancel);
                            }
                            return;
                        }
                        let Some(action) = action_for(event) else {
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
