//! `use_schema_store` against real localStorage: another tab's schema (written from a
//! same-origin iframe, which fires `storage` events here as another tab's write does) is taken
//! in and coloured, and is not written back; an unreadable one changes nothing.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::Storage;

use annotator_core::model::schema::{Colour, LabelSpec};
use annotator_core::model::word_snap::SnapRule;
use annotator_core::model::{Label, Schema};
use annotator_core::persist::schema_entry::{encode_schema, schema_key};
use annotator_core::persist::stored;
use article_annotator::App;

use super::support::{document, fresh_root, is_webkit, wait_for};

fn local_storage() -> Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn clear_our_keys(storage: &Storage) {
    let keys: Vec<String> = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .filter(|k| k.starts_with(stored::KEY_PREFIX))
        .collect();
    for key in keys {
        storage.remove_item(&key).unwrap();
    }
}

fn other_tab() -> (web_sys::Element, Storage) {
    let frame = document().create_element("iframe").unwrap();
    document().body().unwrap().append_child(&frame).unwrap();
    let window: web_sys::Window = js_sys::Reflect::get(&frame, &"contentWindow".into())
        .unwrap()
        .unchecked_into();
    (frame, window.local_storage().unwrap().unwrap())
}

fn schema_css() -> String {
    document()
        .get_element_by_id("schema-colours")
        .and_then(|style| style.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn another_tabs_schema_is_taken_in_and_not_written_back() {
    // WebKitGTK at times never delivers an iframe's storage events (see storage.rs).
    if is_webkit() {
        gloo::console::log!("skipped in WebKit: iframe storage events are unreliable there");
        return;
    }
    let storage = local_storage();
    clear_our_keys(&storage);
    let root = fresh_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for("the app", || {
        root.query_selector(".topbar").unwrap().is_some()
    })
    .await;
    // Start-up wrote nothing: no schema was ever saved.
    assert_eq!(storage.get_item(&schema_key()).unwrap(), None);

    let (frame, theirs) = other_tab();
    // Unreadable: ignored.
    theirs.set_item(&schema_key(), "{not json").unwrap();
    let mut schema = Schema::default();
    schema.labels.push(LabelSpec {
        label: Label::parse_any("PERSON").unwrap(),
        colour: Colour::parse("#2e7d32").unwrap(),
        key: Some('p'),
        attributes: Vec::new(),
        snap: SnapRule::Exact,
    });
    // Pretty-printed, unlike what this app writes: a write-back would show.
    let value: serde_json::Value = serde_json::from_str(&encode_schema(&schema)).unwrap();
    let written = serde_json::to_string_pretty(&value).unwrap();
    theirs.set_item(&schema_key(), &written).unwrap();
    wait_for("the other tab's colours", || {
        let css = schema_css();
        css.contains(".lc-3,") && css.contains("{ --custom: #2e7d32;")
    })
    .await;
    // A write-back would follow the render at once; an absence cannot be polled for, so this
    // one test waits a fixed, ample time.
    gloo::timers::future::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(storage.get_item(&schema_key()).unwrap(), Some(written));

    frame.remove();
    app.destroy();
    root.remove();
    clear_our_keys(&storage);
}
