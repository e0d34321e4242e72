//! Global keys: `q`/`e`/`c` tag or relabel, Delete/Backspace remove, Ctrl/Cmd+Z undo,
//! Ctrl/Cmd+Shift+Z and Ctrl/Cmd+Y redo, Escape clears the selection.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use super::use_text_selection::{clear_text_selection, is_typing_target};
use crate::browser::clock::now;
use crate::state::{Action, AppState};
use annotator_core::model::Label;

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

/// `dialog_open` is whether a dialog (the import one) is up: then Escape closes it, and the
/// tagging keys must not edit the article behind it. Kept from each render in a cell the listener
/// reads, rather than looking the dialog up in the DOM on every key press.
#[hook]
pub fn use_keyboard_shortcuts(dispatcher: UseReducerDispatcher<AppState>, dialog_open: bool) {
    let dialog = use_mut_ref(|| dialog_open);
    *dialog.borrow_mut() = dialog_open;
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
                        if *dialog.borrow() {
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
