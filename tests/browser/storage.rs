//! The whole app against real localStorage: paste, select, tag, unmount, remount, and find the
//! document and its annotation exactly as they were.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{HtmlTextAreaElement, Storage};

use article_annotator::export::stored;
use article_annotator::App;

use super::support::{click, document, dom_point, fresh_root, query, query_all, wait_for};

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

fn button(root: &web_sys::Element, name: &str) -> web_sys::Element {
    query_all(root, "button")
        .into_iter()
        .find(|b| {
            b.get_attribute("aria-label").as_deref() == Some(name)
                || b.text_content().unwrap_or_default().trim() == name
        })
        .unwrap_or_else(|| panic!("no button {name}"))
}

#[wasm_bindgen_test]
async fn work_survives_unmount_and_remount() {
    let storage = local_storage();
    clear_our_keys(&storage);
    let raw = "Headline 😀\r\n\r\nThe minister said \"北京 talks went well\" today.";
    let expected_text = raw.replace("\r\n", "\n");

    let root = fresh_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for("the paste form", || query(&root, "#article-text").is_some()).await;
    let textarea: HtmlTextAreaElement = query(&root, "#article-text").unwrap().unchecked_into();
    textarea.set_value(raw);
    let input = web_sys::InputEvent::new("input").unwrap();
    textarea.dispatch_event(&input).unwrap();
    click(&button(&root, "Annotate"));
    wait_for("the article text", || {
        query(&root, "article").and_then(|a| a.text_content()) == Some(expected_text.clone())
    })
    .await;
    let article = query(&root, "article").unwrap();
    assert_eq!(article.text_content().unwrap(), expected_text);

    // Select "北京 talks" (code points 31..39) with the Selection API, as a mouse drag would.
    let range = document().create_range().unwrap();
    let (node, offset) = dom_point(&article, 31);
    range.set_start(&node, offset).unwrap();
    let (node, offset) = dom_point(&article, 39);
    range.set_end(&node, offset).unwrap();
    let selection = web_sys::window().unwrap().get_selection().unwrap().unwrap();
    selection.remove_all_ranges().unwrap();
    selection.add_range(&range).unwrap();
    wait_for("the Quote button to enable", || {
        !button(&root, "Quote").has_attribute("disabled")
    })
    .await;
    click(&button(&root, "Quote"));
    wait_for("the highlight", || {
        query(&article, "mark[data-id]").is_some()
    })
    .await;
    assert_eq!(
        query(&article, "mark[data-id]")
            .unwrap()
            .text_content()
            .as_deref(),
        Some("北京 talks")
    );

    // Saved within the autosave delay, document key before the index.
    wait_for("the saved document", || {
        (0..storage.length().unwrap())
            .filter_map(|i| storage.key(i).unwrap())
            .filter(|k| k.starts_with(&format!("{}doc:", stored::KEY_PREFIX)))
            .any(|k| {
                storage
                    .get_item(&k)
                    .unwrap()
                    .is_some_and(|json| json.contains("\"start\":31,\"end\":39"))
            })
    })
    .await;
    wait_for("the index", || {
        storage.get_item(&stored::index_key()).unwrap().is_some()
    })
    .await;
    app.destroy();
    root.remove();

    let root = fresh_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for("the restored article", || {
        query(&root, "article").and_then(|a| a.text_content()) == Some(expected_text.clone())
    })
    .await;
    let article = query(&root, "article").unwrap();
    assert_eq!(article.text_content().unwrap(), expected_text);
    let marks = query_all(&article, "mark[data-id]");
    assert_eq!(marks.len(), 1);
    assert_eq!(
        marks[0].get_attribute("data-label").as_deref(),
        Some("Quote")
    );
    assert_eq!(marks[0].text_content().as_deref(), Some("北京 talks"));
    assert!(root.text_content().unwrap().contains("Annotations (1)"));
    app.destroy();
    root.remove();
    clear_our_keys(&storage);
}

#[wasm_bindgen_test]
async fn unreadable_saved_data_is_moved_aside_byte_for_byte_and_reported() {
    let storage = local_storage();
    clear_our_keys(&storage);
    let key = format!("{}doc:broken", stored::KEY_PREFIX);
    storage.set_item(&key, "{not json").unwrap();
    let root = fresh_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for("the error notice", || {
        query(&root, "[role=alert]")
            .and_then(|n| n.text_content())
            .is_some_and(|t| t.contains("broken"))
    })
    .await;
    app.destroy();
    root.remove();
    assert_eq!(
        storage.get_item(&key).unwrap(),
        None,
        "moved away from its key"
    );
    let moved: Vec<String> = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .filter(|k| stored::is_quarantine_key(k))
        .collect();
    assert_eq!(moved.len(), 1);
    let entry = stored::decode_quarantine(&storage.get_item(&moved[0]).unwrap().unwrap()).unwrap();
    assert_eq!(entry.original_key, key);
    assert_eq!(entry.raw, "{not json");
    clear_our_keys(&storage);
}

/// Each engine reports a full quota its own way (`QuotaExceededError`, Firefox's legacy
/// `NS_ERROR_DOM_QUOTA_REACHED`); all must become `StorageError::QuotaExceeded`.
#[wasm_bindgen_test]
async fn a_full_quota_is_recognised_in_this_engine() {
    use article_annotator::storage::{self, StorageError};
    let local = local_storage();
    let mut filler = Vec::new();
    for size in [1 << 20, 1 << 16, 1 << 12, 1 << 8, 1 << 4, 1] {
        let chunk = "x".repeat(size);
        loop {
            let key = format!("filler-{}", filler.len());
            if local.set_item(&key, &chunk).is_err() {
                break;
            }
            filler.push(key);
        }
    }
    let result = storage::write(
        &local,
        "article-annotator:doc:quota-probe",
        &"y".repeat(4096),
    );
    for key in &filler {
        local.remove_item(key).unwrap();
    }
    assert_eq!(result, Err(StorageError::QuotaExceeded));
    assert!(storage::write(&local, "article-annotator:doc:quota-probe", "ok").is_ok());
    local
        .remove_item("article-annotator:doc:quota-probe")
        .unwrap();
}
