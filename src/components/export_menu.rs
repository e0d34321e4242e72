//! The Export button. Its menu (what to export, in which dataset format) is drawn by the dialogs
//! module (`crate::export_menu`), loaded at the first press: the page hands it every article as
//! storage encodes it and the schema, and shows what went wrong if an export failed.

use wasm_bindgen::JsCast;
use web_sys::{Element, FocusEvent, KeyboardEvent};
use yew::prelude::*;

use super::export_buttons::report_download;
use crate::browser::dialogs_client;
use crate::state::AppContext;

/// Closes the menu when focus moves to something outside the button and the menu (Shift+Tab, a
/// click elsewhere, a screen reader's own navigation).
fn on_focus_out(open: UseStateHandle<bool>, container: NodeRef) -> Callback<FocusEvent> {
    Callback::from(move |event: FocusEvent| {
        let to = event
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let stays = to
            .zip(container.cast::<web_sys::Node>())
            .is_some_and(|(to, menu)| menu.contains(Some(&to)));
        if !stays {
            open.set(false);
        }
    })
}

#[component]
pub fn ExportMenu() -> Html {
    let state = use_context::<AppContext>();
    let open = use_state_eq(|| false);
    let button = use_node_ref();
    let container = use_node_ref();
    let host = use_node_ref();
    // Opened by ArrowUp on the button: focus starts on the last entry (the menu button pattern).
    let from_end = use_mut_ref(|| false);
    {
        let (open, state) = (open.clone(), state.clone());
        let (button, container, host, from_end) = (
            button.clone(),
            container.clone(),
            host.clone(),
            from_end.clone(),
        );
        use_effect_with(*open, move |is_open| {
            let elements = (
                host.cast::<Element>(),
                button.cast::<Element>(),
                container.cast::<Element>(),
            );
            match (*is_open, state, elements) {
                (true, Some(state), (Some(host), Some(button), Some(container))) => {
                    let from_end = from_end.replace(false);
                    wasm_bindgen_futures::spawn_local(async move {
                        let closing = open.clone();
                        let reporting = state.clone();
                        let opened = dialogs_client::open_export_menu(
                            &state,
                            from_end,
                            [host, button, container],
                            move || closing.set(false),
                            move |message| report_download(&reporting, Err(message)),
                        );
                        if let Err(problem) = opened.await {
                            report_download(
                                &state,
                                Err(format!("The Export menu could not open: {problem}.")),
                            );
                            open.set(false);
                        }
                    });
                }
                _ => dialogs_client::close_export_menu(),
            }
        });
    }
    let Some(state) = state else {
        return Html::default();
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    // ArrowDown or ArrowUp on the closed menu's button opens it (the menu button pattern).
    let on_button_key = {
        let open = open.clone();
        Callback::from(move |event: KeyboardEvent| {
            let up = match event.key().as_str() {
                "ArrowDown" => false,
                "ArrowUp" => true,
                _ => return,
            };
            if *open {
                return;
            }
            event.prevent_default();
            *from_end.borrow_mut() = up;
            open.set(true);
        })
    };
    html! {
        <div class="export-menu" ref={container.clone()}
            onfocusout={on_focus_out(open.clone(), container)}>
            <button ref={button} aria-haspopup="menu" aria-expanded={open.to_string()}
                aria-controls="export-menu" onclick={toggle} onkeydown={on_button_key}
                disabled={state.documents.is_empty()}>
                { "Export" }<span aria-hidden="true">{ " ▾" }</span>
            </button>
            <div ref={host}></div>
        </div>
    }
}
