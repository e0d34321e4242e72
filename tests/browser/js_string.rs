//! Large strings come into wasm through `TextEncoder`, at their exact size and unchanged.

use article_annotator::browser::js_string::exact_string;
use js_sys::JsString;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn text_outside_ascii_arrives_unchanged_and_at_its_exact_size() {
    let text = "“Curly” 😀 👩‍👩‍👧‍👦 e\u{301} 北京市 שלום\r\nend";
    let arrived = exact_string(&JsString::from(text)).expect("TextEncoder exists");
    assert_eq!(arrived, text);
    assert_eq!(arrived.capacity(), text.len());
}

#[wasm_bindgen_test]
fn a_lone_surrogate_becomes_the_replacement_character() {
    let lone = JsString::from_char_code1(0xD83D);
    let mixed = lone.concat(&JsString::from("x").into());
    assert_eq!(exact_string(&mixed).as_deref(), Some("\u{FFFD}x"));
}
