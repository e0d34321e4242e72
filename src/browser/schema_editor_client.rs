//! Loads the schema editor's module on first use and opens it in a host element of its own.
//! The module (`src/bin/schema_editor.rs`, built by Trunk as `schema-editor.js` and
//! `schema-editor_bg.wasm`) is an ES module the page imports when the user first opens the
//! settings; later openings reuse it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Element;

use super::deferred_drop::drop_after_frame;
use super::js_error::describe;
use crate::formats_worker::to_js;
use crate::schema_editor::protocol::{EditorRequest, SchemaChange};

/// The script that loads the editor's module and hands it over (assets/schema-editor-loader.js),
/// next to index.html, and the events it sends.
const LOADER: &str = "schema-editor-loader.js";
const LOADED: &str = "schema-editor-loaded";
const FAILED: &str = "schema-editor-failed";

/// The editor while it is open: its host element and the callbacks it holds.
struct Opened {
    host: Element,
    _on_apply: Closure<dyn Fn(JsValue)>,
    _on_close: Closure<dyn Fn()>,
}

thread_local! {
    static MODULE: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    static ATTEMPTS: Cell<u32> = const { Cell::new(0) };
    static OPENED: RefCell<Option<Opened>> = const { RefCell::new(None) };
}

/// Opens the editor for `request`. `on_apply` gets the change the user applied; `on_close`
/// runs once the dialog has closed and the editor is taken down.
///
/// # Errors
/// A message for the user when the module cannot be loaded or refuses the request.
pub async fn open(
    request: &EditorRequest,
    on_apply: impl Fn(SchemaChange) + 'static,
    on_close: impl Fn() + 'static,
) -> Result<(), String> {
    let module = module().await?;
    let open: Function = Reflect::get(&module, &JsValue::from_str("open"))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or("the settings module cannot open")?;
    let request =
        to_js(request).map_err(|e| format!("the settings could not be handed over ({e})"))?;
    let body = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .ok_or("the page has no body")?;
    close();
    let host = body
        .owner_document()
        .ok_or("the page has no document")?
        .create_element("div")
        .map_err(|e| describe(&e))?;
    body.append_child(&host).map_err(|e| describe(&e))?;
    let on_apply = Closure::<dyn Fn(JsValue)>::new(move |change: JsValue| {
        if let Ok(change) = serde_wasm_bindgen::from_value::<SchemaChange>(change) {
            on_apply(change);
        }
    });
    let on_close = Rc::new(on_close);
    let on_close = Closure::<dyn Fn()>::new(move || {
        // The editor calls this from its own event handler: it is taken down once that is over.
        let on_close = Rc::clone(&on_close);
        Timeout::new(0, move || {
            close();
            on_close();
        })
        .forget();
    });
    let arguments = js_sys::Array::of4(&host, &request, on_apply.as_ref(), on_close.as_ref());
    OPENED.with(|opened| {
        *opened.borrow_mut() = Some(Opened {
            host,
            _on_apply: on_apply,
            _on_close: on_close,
        });
    });
    if let Err(e) = open.apply(&module, &arguments) {
        close();
        return Err(format!(
            "the settings could not be opened ({})",
            describe(&e)
        ));
    }
    Ok(())
}

/// Takes the editor down and removes its host (nothing happens when it is not open).
pub fn close() {
    let Some(opened) = OPENED.with(|o| o.borrow_mut().take()) else {
        return;
    };
    MODULE.with(|loaded| {
        if let Some(module) = loaded.borrow().as_ref() {
            if let Ok(close) = Reflect::get(module, &JsValue::from_str("close")) {
                if let Some(close) = close.dyn_ref::<Function>() {
                    let _ = close.call0(module);
                }
            }
        }
    });
    opened.host.remove();
    drop_after_frame(opened);
}

/// The module, loaded once.
async fn module() -> Result<JsValue, String> {
    if let Some(module) = MODULE.with(|module| module.borrow().clone()) {
        return Ok(module);
    }
    let module = JsFuture::from(load_module()?)
        .await
        .map_err(|e| format!("the settings could not be loaded ({})", describe(&e)))?;
    MODULE.with(|loaded| *loaded.borrow_mut() = Some(module.clone()));
    Ok(module)
}

/// Adds the loader script; the promise settles with the module, or with why it failed. A new
/// attempt gets a new address, since a browser remembers a module script that failed.
fn load_module() -> Result<Promise, String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let attempt = ATTEMPTS.with(|attempts| {
        attempts.set(attempts.get() + 1);
        attempts.get()
    });
    let script = document
        .create_element("script")
        .map_err(|e| describe(&e))?;
    script
        .set_attribute("type", "module")
        .map_err(|e| describe(&e))?;
    script
        .set_attribute("src", &format!("{LOADER}?attempt={attempt}"))
        .map_err(|e| describe(&e))?;
    let head = document.head().ok_or("the page has no head")?;
    let mut problem = None;
    let promise = Promise::new(&mut |resolve, reject| {
        let listen = |target: &web_sys::EventTarget, name: &str, settle: Function, detail: bool| {
            let listener = EventListener::once(target, name.to_owned(), move |event| {
                let value = if detail {
                    event
                        .dyn_ref::<web_sys::CustomEvent>()
                        .map(web_sys::CustomEvent::detail)
                        .unwrap_or(JsValue::UNDEFINED)
                } else {
                    JsValue::from_str("its script could not be fetched")
                };
                let _ = settle.call1(&JsValue::NULL, &value);
            });
            listener.forget();
        };
        listen(&window, LOADED, resolve, true);
        listen(&window, FAILED, reject.clone(), true);
        listen(&script, "error", reject, false);
        if let Err(e) = head.append_child(&script) {
            problem = Some(describe(&e));
        }
    });
    match problem {
        Some(problem) => Err(problem),
        None => Ok(promise),
    }
}
