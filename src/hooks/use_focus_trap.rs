//! A modal dialog's focus: it moves into the dialog when the dialog opens, Tab and Shift+Tab go
//! round the dialog's controls and never reach the page behind, and when the dialog closes focus
//! goes back where it came from, or to the article when the dialog opened a new one (an
//! import). It never falls to `<body>`.

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};
use yew::prelude::*;

use crate::browser::focus;

/// What Tab may land on inside the dialog.
const FOCUSABLE: &str = "button:not([disabled]), select:not([disabled]), input:not([disabled]), \
                         textarea:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

fn focusables(dialog: &Element) -> Vec<HtmlElement> {
    let Ok(found) = dialog.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|i| found.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// Traps focus in `dialog` while the calling component is mounted; returns the dialog's
/// `onkeydown`.
#[hook]
pub fn use_focus_trap(dialog: NodeRef) -> Callback<KeyboardEvent> {
    {
        let dialog = dialog.clone();
        use_effect_with((), move |_| {
            let document = web_sys::window().and_then(|w| w.document());
            let before = document
                .as_ref()
                .and_then(|d| d.active_element())
                .and_then(|e| e.dyn_into::<HtmlElement>().ok());
            let article_before = focus::first_of(&[focus::ARTICLE]);
            // The dialog itself first, so a screen reader reads its title and text before
            // the first control.
            if let Some(dialog) = dialog.cast::<HtmlElement>() {
                let _ = dialog.focus();
            }
            move || {
                // After this render: the article a confirmed import opens exists only then.
                Timeout::new(0, move || {
                    let article = focus::first_of(&[focus::ARTICLE]);
                    let opened_another = match (&article, &article_before) {
                        (Some(now), Some(then)) => !now.is_same_node(Some(then)),
                        (Some(_), None) => true,
                        _ => false,
                    };
                    let back = before.filter(|b| b.is_connected() && b.tag_name() != "BODY");
                    let target = if opened_another {
                        article
                    } else {
                        back.or(article)
                    };
                    if let Some(target) = target {
                        focus::focus_in_place(&target);
                    }
                })
                .forget();
            }
        });
    }
    Callback::from(move |event: KeyboardEvent| {
        if event.key() != "Tab" {
            return;
        }
        let Some(dialog) = dialog.cast::<Element>() else {
            return;
        };
        let controls = focusables(&dialog);
        let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
            event.prevent_default();
            return;
        };
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        let on = |element: &HtmlElement| {
            active
                .as_ref()
                .is_some_and(|a| a.is_same_node(Some(element)))
        };
        let on_dialog = active
            .as_ref()
            .is_some_and(|a| a.is_same_node(Some(&dialog)));
        if event.shift_key() && (on(first) || on_dialog) {
            event.prevent_default();
            let _ = last.focus();
        } else if !event.shift_key() && on(last) {
            event.prevent_default();
            let _ = first.focus();
        }
    })
}
