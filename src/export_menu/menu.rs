//! The Export menu: what to export (the open article or all of them) and in which dataset
//! format. Each entry states its offset unit; the file name states it too where it is not code
//! points. The dialogs module's formats worker produces the file (`export_run`, `formats::job`);
//! this component only picks.

use wasm_bindgen::JsCast;
use web_sys::{FocusEvent, HtmlElement, KeyboardEvent};
use yew::prelude::*;

use super::export_buttons::report_download;
use super::roving_focus::{roving_target, step_for_key, Orientation};
use crate::browser::dialogs_client;
use crate::browser::download::download;
use crate::state::{AppContext, AppState};
use annotator_core::formats::catalogue::ExportFormat;
use annotator_core::formats::job::{self, Carried, Job};
use annotator_core::formats::native;
use annotator_core::model::slug::slugify;
use annotator_core::model::Document;

/// Base of the file name when every article is exported.
const ALL_DOCUMENTS_BASE: &str = "all-articles";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    ThisArticle,
    AllArticles,
}

/// Exports in `format`: in the dialogs module's formats worker, or here for the native format, which the first
/// load has anyway (it is "Export all", the backup that must work even when nothing else does).
fn export(state: &AppContext, scope: Scope, format: ExportFormat) {
    let (documents, base) = chosen(state, scope);
    if format == ExportFormat::Native {
        let json = native::export(documents.iter().copied(), &state.schema);
        let name = format!("{base}{}", format.suffix());
        report_download(state, download(&name, "application/json", &json));
        return;
    }
    let job = Job::Export {
        format,
        documents: documents.into_iter().map(Carried::new).collect(),
        schema: job::carry_schema(&state.schema),
        base_name: base,
    };
    let state = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        report_download(&state, dialogs_client::run_export(&job).await);
    });
}

/// The documents `scope` covers, and the base of the file name.
fn chosen(state: &AppState, scope: Scope) -> (Vec<&Document>, String) {
    match (scope, state.active_document()) {
        (Scope::ThisArticle, Some(open)) => {
            (vec![open.document.as_ref()], slugify(&open.document.title))
        }
        _ => (
            state
                .documents
                .iter()
                .map(|d| d.document.as_ref())
                .collect(),
            ALL_DOCUMENTS_BASE.to_owned(),
        ),
    }
}

/// Focuses the menu's Export button (a closing menu hands focus back to it).
fn focus_button(button: &NodeRef) {
    if let Some(button) = button.cast::<HtmlElement>() {
        let _ = button.focus();
    }
}

/// The keys of a menu: Up/Down, Home and End move between its entries (they are not Tab stops);
/// Escape closes it and returns to the Export button; Tab closes it and moves on from there.
fn on_menu_key(
    open: UseStateHandle<bool>,
    button: NodeRef,
    menu: NodeRef,
) -> Callback<KeyboardEvent> {
    Callback::from(move |event: KeyboardEvent| {
        match event.key().as_str() {
            "Escape" => {
                // The page's Escape (clear the selected annotation) is not for a menu's Escape.
                event.prevent_default();
                event.stop_propagation();
                open.set(false);
                focus_button(&button);
                return;
            }
            "Tab" => {
                // From the button, the browser's own Tab (or Shift+Tab) then goes on to the
                // control after (or before) the menu, as it would had the menu not been open.
                focus_button(&button);
                open.set(false);
                return;
            }
            _ => {}
        }
        let Some(step) = step_for_key(&event.key(), Orientation::Vertical) else {
            return;
        };
        event.prevent_default();
        // Not the event's `current_target`: Yew delegates events to the app's root.
        let Some(menu) = menu.cast::<HtmlElement>() else {
            return;
        };
        let Ok(items) = menu.query_selector_all("[role^=menuitem]") else {
            return;
        };
        let items: Vec<HtmlElement> = (0..items.length())
            .filter_map(|i| items.item(i)?.dyn_into().ok())
            .collect();
        let enabled: Vec<bool> = items
            .iter()
            .map(|item| !item.has_attribute("disabled"))
            .collect();
        let target = event.target();
        let at = items
            .iter()
            .position(|item| target.as_ref().is_some_and(|t| t == item.as_ref()));
        if let Some(next) = roving_target(&enabled, at, step) {
            let _ = items[next].focus();
        }
    })
}

/// Closes the menu when focus moves to something outside it (Shift+Tab, a click elsewhere, a
/// screen reader's own navigation).
fn on_menu_focus_out(open: UseStateHandle<bool>, container: NodeRef) -> Callback<FocusEvent> {
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
    let chosen_scope = use_state_eq(|| Scope::ThisArticle);
    let button = use_node_ref();
    let container = use_node_ref();
    // Opened by ArrowUp on the button: focus starts on the last entry (the menu button pattern).
    let from_end = use_mut_ref(|| false);
    // Opening moves focus into the menu (so arrows and Escape work at once); a press anywhere
    // outside closes it.
    {
        let open = open.clone();
        let container = container.clone();
        let from_end = from_end.clone();
        use_effect_with(*open, move |is_open| {
            let mut listener = None;
            if *is_open {
                let entries = container
                    .cast::<HtmlElement>()
                    .and_then(|menu| {
                        menu.query_selector_all("[role=menu] [role^=menuitem]:not([disabled])")
                            .ok()
                    })
                    .map(|found| found.length().checked_sub(1).map(|last| (found, last)));
                if let Some(Some((found, last))) = entries {
                    let at = if from_end.replace(false) { last } else { 0 };
                    if let Some(entry) = found
                        .item(at)
                        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
                    {
                        let _ = entry.focus();
                    }
                }
                listener = web_sys::window()
                    .and_then(|w| w.document())
                    .map(|document| {
                        gloo::events::EventListener::new(&document, "mousedown", move |event| {
                            let inside = event
                                .target()
                                .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                                .zip(container.cast::<web_sys::Node>())
                                .is_some_and(|(target, menu)| menu.contains(Some(&target)));
                            if !inside {
                                open.set(false);
                            }
                        })
                    });
            }
            move || drop(listener)
        });
    }
    let Some(state) = state else {
        return Html::default();
    };
    let scope = match *chosen_scope {
        Scope::ThisArticle if state.active.is_some() => Scope::ThisArticle,
        _ => Scope::AllArticles,
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| {
            if !*open {
                // Most formats are written in the dialogs module's worker: fetch the module
                // while the user picks one.
                dialogs_client::warm_up();
            }
            open.set(!*open)
        })
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
            dialogs_client::warm_up();
            open.set(true);
        })
    };
    let scope_item = |item: Scope, name: String, disabled: bool| {
        let chosen_scope = chosen_scope.clone();
        html! {
            <button role="menuitemradio" aria-checked={(scope == item).to_string()} disabled={disabled}
                tabindex="-1"
                class="menu-scope" onclick={Callback::from(move |_| chosen_scope.set(item))}>
                { name }
            </button>
        }
    };
    let items = ExportFormat::ALL.into_iter().map(|format| {
        let onclick = {
            let state = state.clone();
            let open = open.clone();
            let button = button.clone();
            Callback::from(move |_| {
                focus_button(&button);
                open.set(false);
                export(&state, scope, format);
            })
        };
        // The name is the format (what a speech user says to pick it); the offset note is in
        // the description, from the title, so it is not read twice.
        html! {
            <button role="menuitem" tabindex="-1" onclick={onclick}
                title={format!("Offsets: {}. File: …{}", format.offset_note(), format.suffix())}>
                <span class="menu-name">{ format.menu_name() }</span>
                <span class="menu-note" aria-hidden="true">{ format.offset_note() }</span>
            </button>
        }
    });
    let count = state.documents.len();
    html! {
        <div class="export-menu" ref={container.clone()}
            onfocusout={on_menu_focus_out(open.clone(), container.clone())}>
            <button ref={button.clone()} aria-haspopup="menu" aria-expanded={open.to_string()}
                aria-controls="export-menu" onclick={toggle} onkeydown={on_button_key}
                disabled={state.documents.is_empty()}>
                { "Export" }<span aria-hidden="true">{ " ▾" }</span>
            </button>
            if *open {
                <div id="export-menu" role="menu" aria-label="Export" class="menu"
                    onkeydown={on_menu_key(open.clone(), button.clone(), container.clone())}>
                    <div role="group" aria-label="What to export">
                        { scope_item(Scope::ThisArticle, "This article".into(), state.active.is_none()) }
                        { scope_item(Scope::AllArticles, format!("All articles ({count})"), false) }
                    </div>
                    <div role="separator"></div>
                    <div role="group" aria-label="Format">{ for items }</div>
                </div>
            }
        </div>
    }
}
