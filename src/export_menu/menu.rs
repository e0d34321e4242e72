//! The Export menu: what to export (the open article or all of them) and in which dataset
//! format. Each entry states its offset unit; the file name states it too where it is not code
//! points. The formats worker writes the file (`crate::export_run`, `formats::job`); the native
//! format is written here. Drawn by the dialogs module beside the page's Export button
//! ([`super::mount`]).

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, FocusEvent, HtmlElement, KeyboardEvent};
use yew::prelude::*;

use crate::browser::clock::now;
use crate::browser::download::download;
use crate::components::roving_focus::{roving_target, step_for_key, Orientation};
use crate::formats_worker::to_js;
use annotator_core::formats::catalogue::ExportFormat;
use annotator_core::formats::job::{Carried, Job};
use annotator_core::formats::native;
use annotator_core::model::annotator::{sign_unnamed, unnamed};
use annotator_core::model::slug::slugify;
use annotator_core::model::AnnotatorName;
use annotator_core::persist::schema_entry::decode_schema;

/// Base of the file name when every article is exported.
const ALL_DOCUMENTS_BASE: &str = "all-articles";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    ThisArticle,
    AllArticles,
}

#[derive(Properties, Clone)]
pub struct ExportMenuProps {
    /// Every article, in list order, as storage encodes it.
    pub documents: Rc<Vec<Carried>>,
    /// The label schema's entry (native files carry it).
    pub schema: Rc<str>,
    /// The open article's place in `documents`.
    pub active: Option<usize>,
    /// Focus starts on the last entry (opened by ArrowUp on the button).
    pub from_end: bool,
    /// The page's Export button: a closing menu hands focus back to it.
    pub button: HtmlElement,
    /// The page's box around the button and this menu: a press outside closes the menu.
    pub container: Element,
    pub on_close: Callback<()>,
    /// Called with the message to show when an export failed.
    pub on_done: Callback<String>,
    /// Called with the name the person signed the annotations nobody is known to have made
    /// with, asked before the first export: the page records it in every article.
    pub on_sign: Callback<AnnotatorName>,
}

impl PartialEq for ExportMenuProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.documents, &other.documents) && self.active == other.active
    }
}

/// Exports the articles `scope` covers in `format`: in the formats worker, or here for the
/// native format.
async fn export(
    props: &ExportMenuProps,
    scope: Scope,
    format: ExportFormat,
    signed: Option<AnnotatorName>,
) -> Result<(), String> {
    let carried: Vec<Carried> = match (scope, props.active) {
        (Scope::ThisArticle, Some(at)) => props.documents.get(at).cloned().into_iter().collect(),
        _ => props.documents.to_vec(),
    };
    let base = match (scope, props.active) {
        (Scope::ThisArticle, Some(_)) => match carried.first().map(Carried::document) {
            Some(Ok(document)) => slugify(&document.title),
            _ => ALL_DOCUMENTS_BASE.to_owned(),
        },
        _ => ALL_DOCUMENTS_BASE.to_owned(),
    };
    // Signed just now, before this export: the page records it, and this file carries it.
    let carried = match &signed {
        Some(name) => carried
            .iter()
            .map(|c| {
                let document = c
                    .document()
                    .map_err(|e| format!("Nothing was exported: {e}."))?;
                Ok(sign_unnamed(&document, name, now())
                    .map_or_else(|| c.clone(), |d| Carried::new(&d)))
            })
            .collect::<Result<Vec<_>, String>>()?,
        None => carried,
    };
    if format == ExportFormat::Native {
        let documents = carried
            .iter()
            .map(Carried::document)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("Nothing was exported: {e}."))?;
        let schema = decode_schema(&props.schema).unwrap_or_default();
        let json = native::export(documents.iter(), &schema);
        let name = format!("{base}{}", format.suffix());
        return download(&name, "application/json", &json);
    }
    let job = Job::Export {
        format,
        documents: carried,
        schema: props.schema.to_string(),
        base_name: base,
    };
    let job = to_js(&job).map_err(|e| format!("Nothing was exported: {e}."))?;
    crate::export_run::run(job).await
}

/// Focuses the page's Export button (a closing menu hands focus back to it).
fn focus_button(button: &HtmlElement) {
    let _ = button.focus();
}

/// The keys of a menu: Up/Down, Home and End move between its entries (they are not Tab stops);
/// Escape closes it and returns to the Export button; Tab closes it and moves on from there.
fn on_menu_key(close: Callback<()>, button: HtmlElement, menu: NodeRef) -> Callback<KeyboardEvent> {
    Callback::from(move |event: KeyboardEvent| {
        match event.key().as_str() {
            "Escape" => {
                // The page's Escape (clear the selected annotation) is not for a menu's Escape.
                event.prevent_default();
                event.stop_propagation();
                focus_button(&button);
                close.emit(());
                return;
            }
            "Tab" => {
                // From the button, the browser's own Tab (or Shift+Tab) then goes on to the
                // control after (or before) the menu, as it would had the menu not been open.
                focus_button(&button);
                close.emit(());
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

#[component]
pub fn ExportMenu(props: &ExportMenuProps) -> Html {
    let chosen_scope = use_state_eq(|| Scope::ThisArticle);
    let menu = use_node_ref();
    // Opening moves focus into the menu (so arrows and Escape work at once); a press anywhere
    // outside the button and the menu closes it.
    {
        let (menu, props) = (menu.clone(), props.clone());
        use_effect_with((), move |_| {
            let entries = menu
                .cast::<HtmlElement>()
                .and_then(|menu| {
                    menu.query_selector_all("[role^=menuitem]:not([disabled])")
                        .ok()
                })
                .map(|found| found.length().checked_sub(1).map(|last| (found, last)));
            if let Some(Some((found, last))) = entries {
                let at = if props.from_end { last } else { 0 };
                if let Some(entry) = found
                    .item(at)
                    .and_then(|e| e.dyn_into::<HtmlElement>().ok())
                {
                    let _ = entry.focus();
                }
            }
            let listener = web_sys::window()
                .and_then(|w| w.document())
                .map(|document| {
                    let (container, on_close) = (props.container.clone(), props.on_close.clone());
                    gloo::events::EventListener::new(&document, "mousedown", move |event| {
                        let inside = event
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                            .is_some_and(|target| container.contains(Some(&target)));
                        if !inside {
                            on_close.emit(());
                        }
                    })
                });
            move || drop(listener)
        });
    }
    let scope = match *chosen_scope {
        Scope::ThisArticle if props.active.is_some() => Scope::ThisArticle,
        _ => Scope::AllArticles,
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
            let props = props.clone();
            Callback::from(move |_| {
                focus_button(&props.button);
                props.on_close.emit(());
                let props = props.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let documents = Rc::clone(&props.documents);
                    let signed = crate::annotator_dialog::mount::ask_once(move || {
                        documents
                            .iter()
                            .filter_map(|c| c.document().ok())
                            .map(|d| unnamed(&d))
                            .sum()
                    })
                    .await;
                    if let Some(name) = &signed {
                        props.on_sign.emit(name.clone());
                    }
                    if let Err(message) = export(&props, scope, format, signed).await {
                        props.on_done.emit(message);
                    }
                });
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
    // Focus leaving for something outside the button and the menu (Shift+Tab, a click elsewhere,
    // a screen reader's own navigation) closes it. Here, not on the page: the page's own
    // handlers do not hear events from what this module draws.
    let on_focus_out = {
        let (container, on_close) = (props.container.clone(), props.on_close.clone());
        Callback::from(move |event: FocusEvent| {
            let to = event
                .related_target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            if !to.is_some_and(|to| container.contains(Some(&to))) {
                on_close.emit(());
            }
        })
    };
    let count = props.documents.len();
    html! {
        <div id="export-menu" role="menu" aria-label="Export" class="menu" ref={menu.clone()}
            onfocusout={on_focus_out}
            onkeydown={on_menu_key(props.on_close.clone(), props.button.clone(), menu)}>
            <div role="group" aria-label="What to export">
                { scope_item(Scope::ThisArticle, "This article".into(), props.active.is_none()) }
                { scope_item(Scope::AllArticles, format!("All articles ({count})"), false) }
            </div>
            <div role="separator"></div>
            <div role="group" aria-label="Format">{ for items }</div>
        </div>
    }
}
