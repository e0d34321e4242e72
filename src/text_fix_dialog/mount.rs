//! Mounting the Fix text dialog for the page: what the dialogs module's export does.

use std::cell::RefCell;
use std::rc::Rc;

use annotator_core::formats::job::Carried;
use annotator_core::model::Document;
use wasm_bindgen::JsValue;
use yew::{AppHandle, Callback};

use super::dialog::{TextFixDialog, TextFixDialogProps};
use crate::formats_worker::to_js;

thread_local! {
    static OPEN: RefCell<Option<AppHandle<TextFixDialog>>> = const { RefCell::new(None) };
}

/// Renders the dialog into `host` for `request` (a `Carried` document). `on_change` gets the
/// document each change made (`Carried`; the page keeps the one it was made from), `on_close`
/// nothing once the dialog has closed.
///
/// # Errors
/// A message when `request` cannot be read.
pub fn open(
    host: web_sys::Element,
    request: &JsValue,
    on_change: js_sys::Function,
    on_close: js_sys::Function,
) -> Result<(), String> {
    let carried: Carried = serde_wasm_bindgen::from_value(request.clone())
        .map_err(|e| format!("the dialog could not read what it was given ({e})"))?;
    let document = carried.document()?;
    let props = TextFixDialogProps {
        document: Rc::new(document),
        on_change: Callback::from(move |after: Rc<Document>| {
            if let Ok(after) = to_js(&Carried::new(&after)) {
                let _ = on_change.call1(&JsValue::NULL, &after);
            }
        }),
        on_close: Callback::from(move |()| {
            let _ = on_close.call0(&JsValue::NULL);
        }),
    };
    close();
    let handle = yew::Renderer::<TextFixDialog>::with_root_and_props(host, props).render();
    OPEN.with(|open| *open.borrow_mut() = Some(handle));
    Ok(())
}

/// Takes the dialog down.
pub fn close() {
    if let Some(handle) = OPEN.with(|open| open.borrow_mut().take()) {
        handle.destroy();
    }
}
