//! Bringing a large JS string into wasm memory at its exact size.
//!
//! wasm-bindgen copies a JS string into wasm by allocating its length in bytes and, at the first
//! character outside ASCII, growing the buffer to three bytes for every character left. A stored
//! 1 MB article with a curly quote near its start therefore took ~3 MB of wasm memory for a
//! moment, and wasm memory never shrinks: that moment set the page's memory for good. The
//! browser's `TextEncoder` gives the exact UTF-8 bytes instead, outside wasm memory, and only
//! those bytes are copied in.

use js_sys::{JsString, Uint8Array};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The standard `TextEncoder`, with `encode` taking the JS string itself (web-sys's binding
    /// takes a `&str`, which would copy the string into wasm first).
    #[wasm_bindgen(js_name = TextEncoder)]
    type Utf8Encoder;

    #[wasm_bindgen(constructor, js_class = TextEncoder, catch)]
    fn new() -> Result<Utf8Encoder, JsValue>;

    #[wasm_bindgen(method, js_class = TextEncoder)]
    fn encode(this: &Utf8Encoder, text: &JsString) -> Uint8Array;
}

/// `value` as a Rust string, allocated at its exact UTF-8 size. Lone surrogates (which UTF-8
/// cannot hold) become U+FFFD, as with every other way into Rust. `None` when the browser has no
/// `TextEncoder`.
pub fn exact_string(value: &JsString) -> Option<String> {
    let bytes = Utf8Encoder::new().ok()?.encode(value).to_vec();
    // `TextEncoder` always produces valid UTF-8.
    String::from_utf8(bytes).ok()
}
