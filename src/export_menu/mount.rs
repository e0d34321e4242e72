//! Opening and closing the menu for the page: what the dialogs module's export-menu exports do.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement};
use yew::{AppHandle, Callback};

use super::menu::{ExportMenu, ExportMenuProps};
use annotator_core::formats::job::Carried;
use annotator_core::model::AnnotatorName;

thread_local! {
    static OPEN: RefCell<Option<AppHandle<ExportMenu>>> = const { RefCell::new(None) };
}

/// Draws the menu in `host` for `request` (`[documents, schema, active, from_end]`: the
/// documents as `Carried`, in list order; the schema entry; the open one's index or -1; whether
/// focus starts on the last entry). `button` is the page's Export button (focus returns there),
/// `container` holds it and the menu (a press outside closes the menu). `on_close` is called when
/// the menu wants to close, `on_done` with a message when an export failed, `on_sign` with the
/// name the person signed the unnamed annotations with before the first export.
///
/// # Errors
/// A message when `request` cannot be read.
pub fn open(
    host: Element,
    request: &JsValue,
    button: Element,
    container: Element,
    on_close: js_sys::Function,
    on_done: js_sys::Function,
    on_sign: js_sys::Function,
) -> Result<(), String> {
    let request = js_sys::Array::from(request);
    let documents: Vec<Carried> = serde_wasm_bindgen::from_value(request.get(0))
        .map_err(|e| format!("the articles did not reach the menu intact ({e})"))?;
    let schema = request.get(1).as_string().unwrap_or_default();
    let active = request
        .get(2)
        .as_f64()
        .filter(|i| *i >= 0.0)
        .map(|i| i as usize);
    let props = ExportMenuProps {
        documents: Rc::new(documents),
        schema: Rc::from(schema),
        active,
        from_end: request.get(3).is_truthy(),
        button: button
            .dyn_into::<HtmlElement>()
            .map_err(|_| "the Export button is not a button")?,
        container,
        on_close: Callback::from(move |()| {
            let _ = on_close.call0(&JsValue::NULL);
        }),
        on_done: Callback::from(move |message: String| {
            let _ = on_done.call1(&JsValue::NULL, &message.into());
        }),
        on_sign: Callback::from(move |name: AnnotatorName| {
            let _ = on_sign.call1(&JsValue::NULL, &name.as_str().into());
        }),
    };
    close();
    let handle = yew::Renderer::<ExportMenu>::with_root_and_props(host, props).render();
    OPEN.with(|open| *open.borrow_mut() = Some(handle));
    Ok(())
}

/// Takes the menu down (nothing happens when it is not open).
pub fn close() {
    if let Some(handle) = OPEN.with(|open| open.borrow_mut().take()) {
        handle.destroy();
    }
}
