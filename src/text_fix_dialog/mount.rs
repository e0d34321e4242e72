//! Mounting the Fix text dialog for the page: what the dialogs module's export does.

use std::cell::RefCell;
use std::rc::Rc;

use annotator_core::formats::job::Carried;
use annotator_core::model::{AnnotationId, CharRange, Document};
use wasm_bindgen::JsValue;
use yew::{AppHandle, Callback};

use super::dialog::{TextFixDialog, TextFixDialogProps};
use crate::formats_worker::to_js;

thread_local! {
    static OPEN: RefCell<Option<AppHandle<TextFixDialog>>> = const { RefCell::new(None) };
}

/// Renders the dialog into `host` for `request` (a `Carried` document). The callbacks get, in
/// turn: `[base, fixed]` (both `Carried`), "ID START END" for an orphan to place, an orphan's
/// id to delete, and nothing once the dialog has closed.
///
/// # Errors
/// A message when `request` cannot be read.
pub fn open(
    host: web_sys::Element,
    request: &JsValue,
    [on_fix, on_place, on_delete, on_close]: [js_sys::Function; 4],
) -> Result<(), String> {
    let carried: Carried = serde_wasm_bindgen::from_value(request.clone())
        .map_err(|e| format!("the dialog could not read what it was given ({e})"))?;
    let document = carried.document()?;
    let props = TextFixDialogProps {
        document: Rc::new(document),
        on_fix: Callback::from(move |(base, fixed): (Rc<Document>, Rc<Document>)| {
            if let Ok(pair) = to_js(&[Carried::new(&base), Carried::new(&fixed)]) {
                let _ = on_fix.call1(&JsValue::NULL, &pair);
            }
        }),
        on_place: Callback::from(move |(id, at): (AnnotationId, CharRange)| {
            let place = format!("{id} {} {}", at.start().get(), at.end().get());
            let _ = on_place.call1(&JsValue::NULL, &JsValue::from_str(&place));
        }),
        on_delete: Callback::from(move |id: AnnotationId| {
            let _ = on_delete.call1(&JsValue::NULL, &JsValue::from_str(id.as_str()));
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
