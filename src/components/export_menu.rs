//! The Export button. Its menu (what to export, in which dataset format) is drawn by the dialogs
//! module (`crate::export_menu`), loaded at the first press: the page hands it every article as
//! storage encodes it and the schema, and shows what went wrong if an export failed. A plain
//! function: whether the menu is open is the button's own `aria-expanded`.

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{Element, FocusEvent, KeyboardEvent, MouseEvent};
use yew::prelude::*;

use super::export_buttons::report_download;
use crate::browser::clock::now;
use crate::browser::dialogs_client;
use crate::state::{Action, AppContext};
use annotator_core::model::AnnotatorName;

/// The button an event of the menu's box happened on or in, the box beside it that the menu is
/// drawn in, and the box around both. (Yew delegates events to its root: `current_target` is
/// not the element the handler is on.)
fn parts(event: &Event) -> Option<[Element; 3]> {
    let target = event.target()?.dyn_into::<Element>().ok()?;
    let container = target.closest(".export-menu").ok()??;
    let button = container.query_selector("button[aria-haspopup]").ok()??;
    let host = button.next_element_sibling()?;
    Some([host, button, container])
}

fn is_open(button: &Element) -> bool {
    button.get_attribute("aria-expanded").as_deref() == Some("true")
}

fn close(button: &Element) {
    let _ = button.set_attribute("aria-expanded", "false");
    dialogs_client::close_export_menu();
}

/// Opens the menu (focus on its last entry when `from_end`, as ArrowUp asks).
fn open(state: &AppContext, [host, button, container]: [Element; 3], from_end: bool) {
    let _ = button.set_attribute("aria-expanded", "true");
    let state = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let (reporting, signing) = (state.clone(), state.clone());
        let closing = button.clone();
        // Called from the menu's own event handler: the button says closed at once, and the
        // menu is taken down once that handler is over, unless it was opened again meanwhile
        // (keys pressed faster than a task).
        let on_close = move || {
            let _ = closing.set_attribute("aria-expanded", "false");
            let closing = closing.clone();
            Timeout::new(0, move || {
                if !is_open(&closing) {
                    dialogs_client::close_export_menu();
                }
            })
            .forget();
        };
        let opened = dialogs_client::open_export_menu(
            &state,
            from_end,
            [host, button.clone(), container],
            on_close,
            move |message| report_download(&reporting, Err(message)),
            // Asked with the name before the first export: the annotations nobody is known to
            // have made are the person's.
            move |name: String| {
                if let Ok(name) = AnnotatorName::parse(&name) {
                    signing.dispatch(Action::SignUnnamed { name, now: now() });
                }
            },
        );
        if let Err(problem) = opened.await {
            report_download(
                &state,
                Err(format!("The Export menu could not open: {problem}.")),
            );
            close(&button);
        }
    });
}

pub fn export_menu(state: &AppContext) -> Html {
    let toggle = {
        let state = state.clone();
        Callback::from(move |event: MouseEvent| {
            let Some(parts) = parts(&event) else {
                return;
            };
            if is_open(&parts[1]) {
                close(&parts[1]);
            } else {
                open(&state, parts, false);
            }
        })
    };
    // ArrowDown or ArrowUp on the closed menu's button opens it (the menu button pattern).
    let on_button_key = {
        let state = state.clone();
        Callback::from(move |event: KeyboardEvent| {
            let up = match event.key().as_str() {
                "ArrowDown" => false,
                "ArrowUp" => true,
                _ => return,
            };
            let Some(parts) = parts(&event) else {
                return;
            };
            if is_open(&parts[1]) {
                return;
            }
            event.prevent_default();
            open(&state, parts, up);
        })
    };
    // Closes the menu when focus moves to something outside the button and the menu (Shift+Tab,
    // a click elsewhere, a screen reader's own navigation).
    let on_focus_out = Callback::from(|event: FocusEvent| {
        let Some([_, button, container]) = parts(&event) else {
            return;
        };
        let to = event
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let stays = to.is_some_and(|to| container.contains(Some(&to)));
        if !stays && is_open(&button) {
            close(&button);
        }
    });
    html! {
        <div class="export-menu" onfocusout={on_focus_out}>
            <button aria-haspopup="menu" aria-expanded="false"
                aria-controls="export-menu" onclick={toggle} onkeydown={on_button_key}
                disabled={state.documents.is_empty()}>
                { "Export" }<span aria-hidden="true">{ " ▾" }</span>
            </button>
            <div></div>
        </div>
    }
}
