//! A thrown JS value, in words for a message to the user.

use wasm_bindgen::{JsCast, JsValue};

/// `DOMException` name and message, an `Error`'s message, or the string that was thrown.
pub fn describe(error: &JsValue) -> String {
    if let Some(exception) = error.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", exception.name(), exception.message());
    }
    if let Some(error) = error.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    error
        .as_string()
        .unwrap_or_else(|| "unknown error".to_owned())
}
