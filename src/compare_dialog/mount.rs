//! Mounting the Compare dialog for the page: what the dialogs module's export does.

use std::cell::RefCell;

use gloo::timers::callback::Timeout;
use yew::{AppHandle, Callback};

use super::dialog::{CompareDialog, CompareDialogProps};

thread_local! {
    static OPEN: RefCell<Option<(AppHandle<CompareDialog>, web_sys::Element)>> =
        const { RefCell::new(None) };
}

/// Renders the dialog into `host`. Closing it takes it and `host` down: the page has nothing to
/// do then (the `<dialog>` hands focus back to the button that opened it). `on_gold` imports a
/// gold article (a `File`) the way a picked file is imported.
pub fn open(host: web_sys::Element, on_gold: js_sys::Function) {
    let props = CompareDialogProps {
        on_gold: Callback::from(move |file: web_sys::File| {
            let _ = on_gold.call1(&wasm_bindgen::JsValue::NULL, &file);
        }),
        // Called from the dialog's own event handler: it is taken down once that is over.
        on_close: Callback::from(|()| {
            Timeout::new(0, close).forget();
        }),
    };
    close();
    let handle = yew::Renderer::<CompareDialog>::with_root_and_props(host.clone(), props).render();
    OPEN.with(|open| *open.borrow_mut() = Some((handle, host)));
}

/// Takes the dialog and its host down.
pub fn close() {
    if let Some((handle, host)) = OPEN.with(|open| open.borrow_mut().take()) {
        handle.destroy();
        host.remove();
    }
}
