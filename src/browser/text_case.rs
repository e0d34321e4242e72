//! Upper- and lower-casing through the browser's `String.prototype.toLowerCase` and
//! `toUpperCase`. Rust's `str::to_lowercase` would carry Unicode's case tables in the first load
//! (3.5 KB gzipped for the few places the app changes case); the browser has them already. ASCII
//! text, the common case, never leaves the wasm.

use js_sys::JsString;

/// `text` in lower case, by Unicode's rules (`"ÉLYSÉE"` → `"élysée"`).
pub fn lowercase(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    JsString::from(text).to_lower_case().into()
}

/// `text` as the annotation list's filter compares it: lower case, and without the diacritics
/// the find bar ignores (`"São"` → `"sao"`; `annotator_core::model::search`).
pub fn folded(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let decomposed: String = JsString::from(text).normalize("NFD").into();
    let bare: String = decomposed
        .chars()
        .filter(|&c| !annotator_core::model::search::is_ignored_diacritic(c))
        .collect();
    lowercase(&bare)
}

/// `text` in upper case, by Unicode's rules (`"ж"` → `"Ж"`).
pub fn uppercase(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_uppercase();
    }
    JsString::from(text).to_upper_case().into()
}

/// `key` (a label or relation key) as it is shown on a key cap.
pub fn key_cap(key: char) -> String {
    uppercase(key.encode_utf8(&mut [0; 4]))
}
