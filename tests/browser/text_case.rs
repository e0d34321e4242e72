//! Case changes go through the browser for text outside ASCII, and agree with Rust's.

use article_annotator::browser::text_case::{key_cap, lowercase, uppercase};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn case_changes_follow_unicode_outside_ascii() {
    for text in [
        "ÉLYSÉE Palace",
        "Жёлтый",
        "Straße",
        "İstanbul",
        "“Quoted” 😀 北京",
        "plain",
    ] {
        assert_eq!(lowercase(text), text.to_lowercase(), "{text}");
        assert_eq!(uppercase(text), text.to_uppercase(), "{text}");
    }
}

#[wasm_bindgen_test]
fn key_caps_are_upper_case() {
    assert_eq!(key_cap('q'), "Q");
    assert_eq!(key_cap('ж'), "Ж");
    assert_eq!(key_cap('7'), "7");
}
