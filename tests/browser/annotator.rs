//! The annotator's name in a real browser: the dialog checks and keeps it
//! (`annotator_dialog`), asks once before the first export, and a mounted app takes in every
//! change, made in this tab (`browser::annotator_name::write`) or in another (a `storage` event).

use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{HtmlInputElement, Storage};

use annotator_core::model::AnnotatorName;
use article_annotator::annotator_dialog::dialog::Asked;
use article_annotator::annotator_dialog::mount;
use article_annotator::browser::annotator_name::{self, Stored, KEY};
use article_annotator::App;

use super::support::{click, document, fresh_root, is_webkit, query, wait_for};

fn local_storage() -> Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn button_text(root: &web_sys::Element) -> String {
    query(root, ".annotator-open")
        .and_then(|b| b.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_app_takes_in_the_name_set_here_and_in_another_tab() {
    // In WebKitGTK's MiniBrowser under the runner, a mounted app at times hears nothing of what
    // happens to it (see adjudication.rs and storage::skipped_in_webkit): one clean-clone run in
    // four timed out here and took two later tests down with it. The Selenium smoke checks the
    // same in WebKit on a real page: the name saved in the dialog shows on its button.
    if is_webkit() {
        gloo::console::log!("skipped in WebKit: see the comment above");
        return;
    }
    let storage = local_storage();
    storage.remove_item(KEY).unwrap();
    let root = fresh_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for("the app", || query(&root, ".topbar").is_some()).await;
    assert_eq!(button_text(&root), "Set your name…");

    // This tab's dialog keeps a name: the page hears of it at once. The page listens from an
    // effect, which may run after the first render the test waited for (WebKit at times does):
    // the write is made again on each poll until a listener hears one, as a person could only
    // make it once the page is up.
    let dana = AnnotatorName::parse(" Dana Ruiz ").unwrap();
    wait_for("the name on the button", || {
        annotator_name::write(Some(&dana)).unwrap();
        button_text(&root) == "Annotator: Dana Ruiz"
    })
    .await;
    assert_eq!(storage.get_item(KEY).unwrap().as_deref(), Some("Dana Ruiz"));

    // Another tab: a same-origin iframe's storage fires `storage` here as another tab's write
    // does.
    let frame = document().create_element("iframe").unwrap();
    document().body().unwrap().append_child(&frame).unwrap();
    let theirs: web_sys::Window = js_sys::Reflect::get(&frame, &"contentWindow".into())
        .unwrap()
        .unchecked_into();
    let theirs = theirs.local_storage().unwrap().unwrap();
    theirs.set_item(KEY, "👩🏽‍💻 李").unwrap();
    wait_for("the other tab's name", || {
        button_text(&root) == "Annotator: 👩🏽‍💻 李"
    })
    .await;
    // Declined there: this tab goes on without a name.
    theirs.set_item(KEY, "").unwrap();
    wait_for("no name", || button_text(&root) == "Set your name…").await;
    frame.remove();

    app.destroy();
    root.remove();
    storage.remove_item(KEY).unwrap();
}

fn field() -> HtmlInputElement {
    document()
        .get_element_by_id("annotator-name")
        .unwrap()
        .unchecked_into()
}

/// Save: the form's submit button (Enter in the field does the same).
fn submit() {
    let save = document()
        .query_selector(".annotator-dialog button[type=submit]")
        .unwrap()
        .unwrap();
    click(&save);
}

fn problem() -> String {
    document()
        .get_element_by_id("annotator-problem")
        .and_then(|p| p.text_content())
        .unwrap_or_default()
}

fn dialog_open() -> bool {
    document()
        .query_selector(".annotator-dialog")
        .unwrap()
        .is_some()
}

#[wasm_bindgen_test]
async fn the_dialog_refuses_a_bad_name_keeps_a_good_one_and_asks_only_once() {
    // A click on a mounted app's button at times goes unheard in WebKitGTK's MiniBrowser under
    // the runner (see adjudication.rs); the Selenium smoke sets the name there with real clicks.
    if is_webkit() {
        gloo::console::log!("skipped in WebKit: see adjudication.rs");
        return;
    }
    let storage = local_storage();
    storage.remove_item(KEY).unwrap();

    let host = fresh_root();
    mount::open(host, Asked::Settings, 0, |_| {});
    wait_for("the dialog", dialog_open).await;
    field().set_value("Ruiz, Dana");
    submit();
    wait_for("the problem said", || problem().contains("comma")).await;
    assert_eq!(
        field().get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(annotator_name::read(), Stored::Unasked, "nothing kept");
    field().set_value("  Dana Ruiz\u{a0}");
    submit();
    wait_for("the dialog closed", || !dialog_open()).await;
    assert_eq!(storage.get_item(KEY).unwrap().as_deref(), Some("Dana Ruiz"));

    // Reopened: the name is there, and Clear name forgets it.
    let host = fresh_root();
    mount::open(host, Asked::Settings, 0, |_| {});
    wait_for("the dialog", dialog_open).await;
    assert_eq!(field().value(), "Dana Ruiz");
    let clear = document()
        .query_selector(".annotator-dialog .dialog-buttons button:nth-child(2)")
        .unwrap()
        .unwrap();
    assert_eq!(clear.text_content().as_deref(), Some("Clear name"));
    click(&clear);
    wait_for("the dialog closed", || !dialog_open()).await;
    assert_eq!(annotator_name::read(), Stored::Declined);

    // Before an export: the name, and whether the annotations nobody made are the person's.
    let ask = || {
        wasm_bindgen_futures::JsFuture::from(wasm_bindgen_futures::future_to_promise(async {
            let signed = mount::ask_once(|| 2).await;
            Ok(signed.map_or(wasm_bindgen::JsValue::NULL, |n| n.as_str().into()))
        }))
    };
    let sign_box = || {
        document()
            .get_element_by_id("annotator-sign")
            .map(|b| b.unchecked_into::<HtmlInputElement>())
    };
    storage.remove_item(KEY).unwrap();
    let asked = ask();
    wait_for("the question", dialog_open).await;
    let label = document()
        .query_selector(".annotator-dialog label.sign")
        .unwrap()
        .and_then(|l| l.text_content())
        .unwrap_or_default();
    assert!(
        label.contains("the 2 annotations that name nobody"),
        "{label}"
    );
    assert!(sign_box().unwrap().checked(), "offered, checked");
    field().set_value("Ann");
    submit();
    assert_eq!(asked.await.unwrap().as_string().as_deref(), Some("Ann"));
    assert_eq!(storage.get_item(KEY).unwrap().as_deref(), Some("Ann"));

    // Asked again only when never asked: unticked, nothing is signed; going on without a name
    // is remembered.
    storage.remove_item(KEY).unwrap();
    let asked = ask();
    wait_for("the question", dialog_open).await;
    sign_box().unwrap().set_checked(false);
    field().set_value("Bob");
    submit();
    assert!(
        asked.await.unwrap().is_null(),
        "kept the name, signed nothing"
    );
    storage.remove_item(KEY).unwrap();
    let asked = ask();
    wait_for("the question", dialog_open).await;
    let without = document()
        .query_selector(".annotator-dialog .dialog-buttons button:last-child")
        .unwrap()
        .unwrap();
    assert_eq!(
        without.text_content().as_deref(),
        Some("Export without a name")
    );
    click(&without);
    assert!(asked.await.unwrap().is_null());
    assert_eq!(annotator_name::read(), Stored::Declined);
    assert_eq!(mount::ask_once(|| 2).await, None);
    assert!(!dialog_open(), "asked once only");
    storage.remove_item(KEY).unwrap();
}
