//! Unicode's canonical decomposition from the browser (`String.prototype.normalize`), which
//! already has the tables: what the find bar's accent-insensitive search asks of a
//! [`Decompose`] (`annotator_core::model::search`), once per distinct character.

use annotator_core::model::search::Decompose;

pub struct BrowserDecompose;

impl Decompose for BrowserDecompose {
    fn nfd(&self, text: &str) -> String {
        js_sys::JsString::from(text).normalize("NFD").into()
    }
}
