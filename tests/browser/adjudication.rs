//! The adjudication the dialogs module keeps in localStorage: stored, listed, read back and
//! removed, and the view deciding a difference saves the decision at once and says what is left.

use std::collections::BTreeMap;

use wasm_bindgen_test::wasm_bindgen_test;
use yew::Callback;

use annotator_core::agreement::adjudication_record::{
    AdjudicationRecord, CodingRecord, SpanRecord, FORMAT, VERSION,
};
use article_annotator::compare_dialog::adjudication_view::{
    AdjudicationView, AdjudicationViewProps,
};
use article_annotator::compare_dialog::adjudications;

use super::support::{click, fresh_root, is_webkit, query, query_all, wait_for};

const TEXT: &str = "The minister said “we will not resign” 😀 on Monday.";

fn span(start: usize, end: usize, label: &str) -> SpanRecord {
    SpanRecord {
        start,
        end,
        label: label.to_owned(),
        attributes: BTreeMap::new(),
    }
}

fn record(names: [&str; 2]) -> AdjudicationRecord {
    AdjudicationRecord {
        format: FORMAT.to_owned(),
        version: VERSION,
        title: "Talks".to_owned(),
        text: TEXT.to_owned(),
        names: [names[0].to_owned(), names[1].to_owned()],
        codings: [
            CodingRecord {
                spans: vec![span(4, 12, "entity"), span(18, 38, "quote")],
                relations: Vec::new(),
            },
            CodingRecord {
                spans: vec![span(0, 12, "entity"), span(18, 38, "quote")],
                relations: Vec::new(),
            },
        ],
        decisions: Vec::new(),
        adjudicator: String::new(),
    }
}

#[wasm_bindgen_test]
fn adjudications_are_kept_listed_and_removed() {
    let names = ["ann".to_owned(), "bob".to_owned()];
    let key = adjudications::key_of(TEXT, &names, &record(["ann", "bob"]).codings);
    adjudications::save(&key, &record(["ann", "bob"])).unwrap();
    let broken = "article-annotator-adjudication:broken";
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .set_item(broken, "{")
        .unwrap();
    let stored = adjudications::stored();
    let mine = stored.iter().find(|(k, _)| k == &key).expect("listed");
    assert_eq!(mine.1.as_ref().unwrap().title, "Talks");
    let unreadable = stored.iter().find(|(k, _)| k == broken).expect("listed");
    assert!(unreadable
        .1
        .as_ref()
        .unwrap_err()
        .starts_with("not readable"));
    let (read, _) = AdjudicationRecord::read(&adjudications::load(&key).unwrap()).unwrap();
    assert_eq!(read, record(["ann", "bob"]));
    adjudications::remove(&key);
    adjudications::remove(broken);
    assert!(adjudications::load(&key).is_err());
    assert!(adjudications::stored()
        .iter()
        .all(|(k, _)| k != &key && k != broken));
}

#[wasm_bindgen_test]
async fn a_decision_is_saved_at_once_and_the_summary_follows() {
    // In WebKitGTK's MiniBrowser under the test runner a click on a mounted app's button at
    // times goes unheard, and the failed test takes the page (and every test after it) down:
    // the state `storage::skipped_in_webkit` describes. The decision is made in WebKit by the
    // Selenium smoke (tests/smoke/cross_browser.py) with a real click instead.
    if is_webkit() {
        gloo::console::log!("skipped in WebKit: see the comment in tests/browser/adjudication.rs");
        return;
    }
    let names = ["cy".to_owned(), "dee".to_owned()];
    let key = adjudications::key_of(TEXT, &names, &record(["cy", "dee"]).codings);
    adjudications::save(&key, &record(["cy", "dee"])).unwrap();
    let root = fresh_root();
    let props = AdjudicationViewProps {
        key_name: key.clone(),
        on_back: Callback::noop(),
        on_gold: Callback::noop(),
    };
    let handle =
        yew::Renderer::<AdjudicationView>::with_root_and_props(root.clone(), props).render();
    let status = || {
        query(&root, "[role=status]")
            .and_then(|s| s.text_content())
            .unwrap_or_default()
    };
    wait_for("the view", || {
        status().starts_with("1 of 1 disagreements left")
    })
    .await;
    // The marked words are the article's, as text: the quote's span, labelled in words.
    let marks = query_all(&root, "mark");
    assert_eq!(marks.len(), 2);
    assert!(marks[0].text_content().unwrap().contains("minister"));
    let accept = query_all(&root, ".adj-decide button")
        .into_iter()
        .find(|b| b.text_content().as_deref() == Some("Accept dee"))
        .expect("Accept dee");
    click(&accept);
    wait_for("the decision", || {
        status().starts_with("0 of 1 disagreements left")
    })
    .await;
    let (saved, _) = AdjudicationRecord::read(&adjudications::load(&key).unwrap()).unwrap();
    assert_eq!(saved.decisions.len(), 1);
    handle.destroy();
    root.remove();
    adjudications::remove(&key);
}
