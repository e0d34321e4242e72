//! Moving focus to what the user acts on next, after the render an action causes.

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// The article (its keyboard caret).
pub const ARTICLE: &str = "article.article";
/// The paste form's text field.
pub const PASTE_FIELD: &str = "#article-text";

/// The first element matching one of `selectors`, in their order.
pub fn first_of(selectors: &[&str]) -> Option<HtmlElement> {
    let document = web_sys::window()?.document()?;
    selectors.iter().find_map(|selector| {
        document
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    })
}

/// Focuses `element` without scrolling: the article is long, and the reader is where they are.
pub fn focus_in_place(element: &HtmlElement) {
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = element.focus_with_options(&options);
}

/// After the current render: focuses the first element matching one of `selectors`.
pub fn focus_after_render(selectors: &'static [&'static str]) {
    Timeout::new(0, move || {
        if let Some(element) = first_of(selectors) {
            focus_in_place(&element);
        }
    })
    .forget();
}
