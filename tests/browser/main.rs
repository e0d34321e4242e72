//! Browser tests (wasm-bindgen-test), run headless in Chromium, Firefox and WebKit by `make test`.
//! They cover what only a real DOM can show: how overlapping spans render, how DOM selections map
//! to code point offsets, and that work survives an unmount and remount through localStorage.
#![cfg(target_arch = "wasm32")]

mod adjudication;
mod annotator;
mod js_string;
mod relation_arcs;
mod render;
mod schema_store;
mod selection;
mod storage;
mod support;
mod text_case;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
