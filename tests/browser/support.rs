//! Helpers shared by the browser tests: mounting into a fresh root, polling, DOM lookups.

use std::time::Duration;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, Node};

use annotator_core::model::{ArticleText, CharRange, Document, DocumentId, Label, Timestamp};

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh, attached `<div>` to mount a component into.
pub fn fresh_root() -> Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    root
}

/// Whether this is WebKit (WebKitGTK's MiniBrowser here). Chromium's user agent also names
/// AppleWebKit, but names Chrome too.
pub fn is_webkit() -> bool {
    let agent = web_sys::window()
        .unwrap()
        .navigator()
        .user_agent()
        .unwrap_or_default();
    agent.contains("AppleWebKit") && !agent.contains("Chrome")
}

/// Polls `condition` every 20 ms for up to 15 s: never a fixed sleep. (5 s ran out once in
/// Firefox on a machine busy with two builds; a pass costs no more for the longer cap.)
pub async fn wait_for(what: &str, mut condition: impl FnMut() -> bool) {
    for _ in 0..750 {
        if condition() {
            return;
        }
        gloo::timers::future::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {what}");
}

pub fn query(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

pub fn query_all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.unchecked_into::<Element>())
        .collect()
}

pub fn click(element: &Element) {
    element.unchecked_ref::<HtmlElement>().click();
}

/// A document with the given raw text and `(start, end, label)` spans.
pub fn document_with(text: &str, spans: &[(usize, usize, Label)]) -> Document {
    let mut doc = Document::new(
        DocumentId::new("dtest"),
        "Test".into(),
        ArticleText::normalize(text),
        Timestamp::from_unix_millis(0),
    );
    for (s, e, label) in spans {
        doc.add(
            CharRange::from_raw(*s, *e).unwrap(),
            label.clone(),
            Timestamp::from_unix_millis(0),
        )
        .unwrap();
    }
    doc
}

/// The DOM boundary point (text node, UTF-16 offset) of code point `offset` in a rendered
/// article — the inverse of what the app computes, built independently from the pieces.
pub fn dom_point(article: &Element, offset: usize) -> (Node, u32) {
    let pieces = query_all(article, "[data-start]");
    let mut chosen = None;
    for piece in &pieces {
        let start: usize = piece.get_attribute("data-start").unwrap().parse().unwrap();
        let text = piece.text_content().unwrap();
        let len = text.chars().count();
        if offset >= start && offset <= start + len {
            chosen = Some((piece.clone(), start, text));
            if offset < start + len {
                break;
            }
        }
    }
    let (piece, start, text) = chosen.expect("offset inside the article");
    let utf16: usize = text.chars().take(offset - start).map(char::len_utf16).sum();
    let mut node: Node = piece.into();
    while let Some(child) = node.first_child() {
        node = child;
    }
    (node, utf16 as u32)
}
