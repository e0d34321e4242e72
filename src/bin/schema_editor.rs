//! The schema editor's module: "Labels & relations" (`article_annotator::schema_editor`), loaded
//! by the page the first time the user opens it. Its two exports are all the page calls. They
//! live here, in the binary, so that the page's own module does not export (and carry) them.

use wasm_bindgen::prelude::*;

/// Renders the editor into `host` for `request` (an `EditorRequest`). `on_apply` is called with
/// a `SchemaChange`, `on_close` when the dialog has closed; the page then calls [`close`].
#[wasm_bindgen]
pub fn open(
    host: web_sys::Element,
    request: JsValue,
    on_apply: js_sys::Function,
    on_close: js_sys::Function,
) -> Result<(), JsValue> {
    article_annotator::schema_editor::mount::open(host, request, on_apply, on_close)
        .map_err(|problem| JsValue::from_str(&problem))
}

/// Takes the editor down (nothing happens when it is not open).
#[wasm_bindgen]
pub fn close() {
    article_annotator::schema_editor::mount::close();
}

fn main() {}
