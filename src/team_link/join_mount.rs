//! Mounting **Join a team…** in a host element of its own, and taking both down once it closes.

use std::cell::RefCell;

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsValue;
use yew::{AppHandle, Callback};

use super::join_dialog::{JoinDialog, JoinDialogProps};
use super::messages::TeamSettings;

thread_local! {
    static OPEN: RefCell<Option<(AppHandle<JoinDialog>, web_sys::Element)>> =
        const { RefCell::new(None) };
}

/// Renders the dialog into `host`, filled with `defaults` ([`TeamSettings::to_text`], or
/// empty); `on_join` is called with the settings, as text, when the person joins.
pub fn open(host: web_sys::Element, defaults: &str, on_join: js_sys::Function) {
    let defaults = TeamSettings::from_text(defaults);
    let props = JoinDialogProps {
        defaults,
        // Called from the dialog's own event handler: it is taken down once that is over.
        on_close: Callback::from(move |settings: Option<TeamSettings>| {
            let on_join = on_join.clone();
            Timeout::new(0, move || {
                close();
                if let Some(settings) = settings {
                    let _ = on_join.call1(&JsValue::NULL, &JsValue::from_str(&settings.to_text()));
                }
            })
            .forget();
        }),
    };
    close();
    let handle = yew::Renderer::<JoinDialog>::with_root_and_props(host.clone(), props).render();
    OPEN.with(|open| *open.borrow_mut() = Some((handle, host)));
}

fn close() {
    if let Some((handle, host)) = OPEN.with(|open| open.borrow_mut().take()) {
        handle.destroy();
        host.remove();
    }
}
