//! Loads the schema editor's module on first use and opens it in a host element of its own.
//! The module (`src/bin/schema_editor.rs`, built by Trunk as `schema-editor.js` and
//! `schema-editor_bg.wasm`) is an ES module the page imports when the user first opens the
//! settings; later openings reuse it.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Element;

use super::deferred_drop::drop_after_frame;
use super::js_error::describe;
use crate::formats_worker::to_js;
use crate::schema_editor::protocol::{EditorRequest, SchemaChange};

/// The editor's module, next to index.html.
const MODULE: &str = "schema-editor.js";

// A dynamic `import()` resolves against the module that makes it (this snippet's own file), so
// it is handed an absolute URL.
#[wasm_bindgen(inline_js = "export function import_editor(url) { \
    return import(url).then((m) => m.default().then(() => m)); }")]
extern "C" {
    fn import_editor(url: &str) -> Promise;
}

/// The editor while it is open: its host element and the callbacks it holds.
struct Opened {
    host: Element,
    _on_apply: Closure<dyn Fn(JsValue)>,
    _on_close: Closure<dyn Fn()>,
}

thread_local! {
    static LOADED: RefCell<Option<JsValue>> = const { RefCell::new(None) };
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
    LOADED.with(|loaded| {
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

/// The module, imported once.
async fn module() -> Result<JsValue, String> {
    if let Some(module) = LOADED.with(|loaded| loaded.borrow().clone()) {
        return Ok(module);
    }
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .ok_or("the page has no address")?;
    let url = web_sys::Url::new_with_base(MODULE, &base).map_err(|e| describe(&e))?;
    let module = JsFuture::from(import_editor(&url.href()))
        .await
        .map_err(|e| format!("the settings could not be loaded ({})", describe(&e)))?;
    LOADED.with(|loaded| *loaded.borrow_mut() = Some(module.clone()));
    Ok(module)
}
