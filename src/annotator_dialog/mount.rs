//! Mounting the annotator dialog: from the page's Annotator button (what the dialogs module's
//! export does), or before the first export, waited for.

use std::cell::RefCell;
use std::rc::Rc;

use annotator_core::model::AnnotatorName;

use gloo::timers::callback::Timeout;
use yew::{AppHandle, Callback};

use super::dialog::{AnnotatorDialog, AnnotatorDialogProps, Asked};
use crate::browser::annotator_name::{self, Stored};

thread_local! {
    static OPEN: RefCell<Option<(AppHandle<AnnotatorDialog>, web_sys::Element)>> =
        const { RefCell::new(None) };
}

/// Renders the dialog into `host` (offering to sign `unnamed` annotations when there are any);
/// closing takes it and `host` down, then calls `on_closed` with the name the person also
/// signed those annotations with, if they did.
pub fn open(
    host: web_sys::Element,
    asked: Asked,
    unnamed: usize,
    on_closed: impl Fn(Option<AnnotatorName>) + 'static,
) {
    let on_closed = std::rc::Rc::new(on_closed);
    let props = AnnotatorDialogProps {
        asked,
        unnamed,
        // Called from the dialog's own event handler: it is taken down once that is over.
        on_close: Callback::from(move |signed: Option<AnnotatorName>| {
            let on_closed = std::rc::Rc::clone(&on_closed);
            Timeout::new(0, move || {
                close();
                on_closed(signed);
            })
            .forget();
        }),
    };
    close();
    let handle =
        yew::Renderer::<AnnotatorDialog>::with_root_and_props(host.clone(), props).render();
    OPEN.with(|open| *open.borrow_mut() = Some((handle, host)));
}

/// Takes the dialog and its host down.
pub fn close() {
    if let Some((handle, host)) = OPEN.with(|open| open.borrow_mut().take()) {
        handle.destroy();
        host.remove();
    }
}

/// Before an export: asks for the name when this browser was never asked, offering to sign the
/// `unnamed()` annotations nobody is known to have made, and returns once the dialog has closed
/// (whatever the answer: the export goes on) with the name they were signed with, if they were.
/// Returns `None` at once otherwise, or when the dialog cannot be shown.
pub async fn ask_once(unnamed: impl FnOnce() -> usize) -> Option<AnnotatorName> {
    if annotator_name::read() != Stored::Unasked {
        return None;
    }
    let host = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| Some((d.create_element("div").ok()?, d.body()?)))
        .and_then(|(host, body)| body.append_child(&host).ok().map(|_| host))?;
    let signed: Rc<RefCell<Option<AnnotatorName>>> = Rc::default();
    let unnamed = unnamed();
    let closed = js_sys::Promise::new(&mut |resolve, _| {
        let signed = Rc::clone(&signed);
        open(host.clone(), Asked::BeforeExport, unnamed, move |name| {
            *signed.borrow_mut() = name;
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        });
    });
    let _ = wasm_bindgen_futures::JsFuture::from(closed).await;
    signed.take()
}
