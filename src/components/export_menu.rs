//! The Export menu: what to export (the open article or all of them) and in which dataset
//! format. Each entry states its offset unit; the file name states it too where it is not code
//! points. The formats worker produces the file (`formats::job`); this component only picks.

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;

use super::export_buttons::report_download;
use crate::browser::download::{download, download_bytes};
use crate::browser::formats_client;
use crate::state::{AppContext, AppState};
use annotator_core::formats::catalogue::ExportFormat;
use annotator_core::formats::job::{self, Carried, Job, Outcome};
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

/// Exports in `format`: in the formats worker, or here for the native format, which the first
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
        let result = match formats_client::run(&job).await {
            Ok(Outcome::Exported(file)) => download_bytes(&file.name, &file.mime, &file.bytes),
            Ok(Outcome::Failed(problem)) | Err(problem) => {
                Err(format!("Nothing was exported: {problem}."))
            }
            Ok(Outcome::Read(_) | Outcome::NotRead(_)) => {
                Err("Nothing was exported: the worker answered another job.".to_owned())
            }
        };
        report_download(&state, result);
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

/// Moves focus between menu entries with the arrow keys, as a menu should; Escape closes.
fn on_menu_key(open: UseStateHandle<bool>, button: NodeRef) -> Callback<KeyboardEvent> {
    Callback::from(move |event: KeyboardEvent| {
        let step: i32 = match event.key().as_str() {
            "ArrowDown" => 1,
            "ArrowUp" => -1,
            "Escape" => {
                open.set(false);
                if let Some(button) = button.cast::<HtmlElement>() {
                    let _ = button.focus();
                }
                return;
            }
            _ => return,
        };
        event.prevent_default();
        let Some(menu) = event
            .current_target()
            .and_then(|t| t.dyn_into::<HtmlElement>().ok())
        else {
            return;
        };
        let Ok(items) = menu.query_selector_all("[role^=menuitem]:not([disabled])") else {
            return;
        };
        let items: Vec<HtmlElement> = (0..items.length())
            .filter_map(|i| items.item(i)?.dyn_into().ok())
            .collect();
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        let at = items
            .iter()
            .position(|item| active.as_ref().is_some_and(|a| a == item.as_ref()));
        let len = items.len() as i32;
        if len == 0 {
            return;
        }
        let next = at.map_or(0, |at| (at as i32 + step).rem_euclid(len));
        if let Some(item) = items.get(next as usize) {
            let _ = item.focus();
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
    // Opening moves focus into the menu (so arrows and Escape work at once); a press anywhere
    // outside closes it.
    {
        let open = open.clone();
        let container = container.clone();
        use_effect_with(*open, move |is_open| {
            let mut listener = None;
            if *is_open {
                if let Some(menu) = container.cast::<HtmlElement>() {
                    if let Ok(Some(first)) =
                        menu.query_selector("[role=menu] [role^=menuitem]:not([disabled])")
                    {
                        if let Ok(first) = first.dyn_into::<HtmlElement>() {
                            let _ = first.focus();
                        }
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
                // Most formats are written by the worker: fetch it while the user picks one.
                formats_client::warm_up();
            }
            open.set(!*open)
        })
    };
    let scope_item = |item: Scope, name: String, disabled: bool| {
        let chosen_scope = chosen_scope.clone();
        html! {
            <button role="menuitemradio" aria-checked={(scope == item).to_string()} disabled={disabled}
                class="menu-scope" onclick={Callback::from(move |_| chosen_scope.set(item))}>
                { name }
            </button>
        }
    };
    let items = ExportFormat::ALL.into_iter().map(|format| {
        let onclick = {
            let state = state.clone();
            let open = open.clone();
            Callback::from(move |_| {
                open.set(false);
                export(&state, scope, format);
            })
        };
        html! {
            <button role="menuitem" aria-label={format.menu_name()} onclick={onclick}
                title={format!("Offsets: {}. File: …{}", format.offset_note(), format.suffix())}>
                <span class="menu-name">{ format.menu_name() }</span>
                <span class="menu-note">{ format.offset_note() }</span>
            </button>
        }
    });
    let count = state.documents.len();
    html! {
        <div class="export-menu" ref={container}>
            <button ref={button.clone()} aria-haspopup="menu" aria-expanded={open.to_string()}
                aria-controls="export-menu" onclick={toggle} disabled={state.documents.is_empty()}>
                { "Export" }<span aria-hidden="true">{ " ▾" }</span>
            </button>
            if *open {
                <div id="export-menu" role="menu" aria-label="Export" class="menu"
                    onkeydown={on_menu_key(open.clone(), button)}>
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
