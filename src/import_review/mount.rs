//! Mounting the import review for the page: what the dialogs module's exports do
//! (`src/bin/dialogs.rs`).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use yew::{AppHandle, Callback};

use super::protocol::{ReviewAnswer, ReviewRequest};
use super::review::Review;
use super::{ImportReview, ImportReviewProps};
use crate::formats_worker::to_js;

thread_local! {
    static OPEN: RefCell<Option<AppHandle<ImportReview>>> = const { RefCell::new(None) };
}

/// Renders the review into `host`, replacing one still open. `on_answer` is called with each
/// [`ReviewAnswer`].
///
/// # Errors
/// A message when `request` cannot be read.
pub fn open(
    host: web_sys::Element,
    request: JsValue,
    on_answer: js_sys::Function,
) -> Result<(), String> {
    let request: ReviewRequest = serde_wasm_bindgen::from_value(request)
        .map_err(|e| format!("the import review could not read what it was given ({e})"))?;
    let props = ImportReviewProps {
        review: Rc::new(Review::from_request(request)?),
        on_answer: Callback::from(move |answer: ReviewAnswer| {
            if let Ok(answer) = to_js(&answer) {
                let _ = on_answer.call1(&JsValue::NULL, &answer);
            }
        }),
    };
    close();
    let handle = yew::Renderer::<ImportReview>::with_root_and_props(host, props).render();
    OPEN.with(|open| *open.borrow_mut() = Some(handle));
    Ok(())
}

/// Takes the review down.
pub fn close() {
    if let Some(handle) = OPEN.with(|open| open.borrow_mut().take()) {
        handle.destroy();
    }
}
