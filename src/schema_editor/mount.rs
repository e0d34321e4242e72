//! Mounting the editor for the page: what the dialogs module's exports do (`src/bin/dialogs.rs`).

use std::cell::RefCell;
use std::rc::Rc;

use annotator_core::model::Document;
use annotator_core::persist::schema_entry::decode_schema;
use wasm_bindgen::JsValue;
use yew::{AppHandle, Callback};

use super::protocol::{EditorRequest, SchemaChange};
use super::{SchemaEditor, SchemaEditorProps};
use crate::formats_worker::to_js;

thread_local! {
    static OPEN: RefCell<Option<AppHandle<SchemaEditor>>> = const { RefCell::new(None) };
}

/// Renders the editor into `host`, replacing one still open.
///
/// # Errors
/// A message when `request` cannot be read.
pub fn open(
    host: web_sys::Element,
    request: JsValue,
    on_apply: js_sys::Function,
    on_close: js_sys::Function,
) -> Result<(), String> {
    let request: EditorRequest = serde_wasm_bindgen::from_value(request)
        .map_err(|e| format!("the editor could not read what it was given ({e})"))?;
    let schema = decode_schema(&request.schema)
        .map_err(|e| format!("the label schema did not reach the editor intact ({e})"))?;
    let documents: Vec<Document> = request
        .documents
        .iter()
        .map(|carried| carried.document())
        .collect::<Result<_, _>>()?;
    let props = SchemaEditorProps {
        schema: Rc::new(schema),
        documents: Rc::new(documents),
        locked: request.locked,
        on_apply: Callback::from(move |change: SchemaChange| {
            if let Ok(change) = to_js(&change) {
                let _ = on_apply.call1(&JsValue::NULL, &change);
            }
        }),
        on_close: Callback::from(move |()| {
            let _ = on_close.call0(&JsValue::NULL);
        }),
    };
    close();
    let handle = yew::Renderer::<SchemaEditor>::with_root_and_props(host, props).render();
    OPEN.with(|open| *open.borrow_mut() = Some(handle));
    Ok(())
}

/// Takes the editor down.
pub fn close() {
    if let Some(handle) = OPEN.with(|open| open.borrow_mut().take()) {
        handle.destroy();
    }
}
