//! Showing the import review in the host element the page gave the import ([`super::session`]).

use std::cell::RefCell;
use std::rc::Rc;

use yew::{AppHandle, Callback};

use super::review::Review;
use super::{ImportReview, ImportReviewProps, ReviewAnswer};

thread_local! {
    static OPEN: RefCell<Option<AppHandle<ImportReview>>> = const { RefCell::new(None) };
}

/// Renders `review` into `host`, replacing the review shown (the files read again).
pub fn show(host: &web_sys::Element, review: Rc<Review>, on_answer: Callback<ReviewAnswer>) {
    close();
    let props = ImportReviewProps { review, on_answer };
    let handle = yew::Renderer::<ImportReview>::with_root_and_props(host.clone(), props).render();
    OPEN.with(|open| *open.borrow_mut() = Some(handle));
}

/// Takes the review down.
pub fn close() {
    if let Some(handle) = OPEN.with(|open| open.borrow_mut().take()) {
        handle.destroy();
    }
}
