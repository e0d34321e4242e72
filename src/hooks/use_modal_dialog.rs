//! A `<dialog>` shown as a modal one: `showModal()` when it mounts (the browser then keeps the
//! page behind it inert and hands focus back when it closes), focus on the dialog itself, and
//! Tab and Shift+Tab going round its controls. Past the last control the browser would leave
//! for its own toolbar; keyboard users expect the dialog's first control instead. Used by the
//! dialogs module (the import review and the schema editor).

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlDialogElement, HtmlElement, KeyboardEvent};
use yew::prelude::*;

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

/// Shows the `<dialog>` `dialog` refers to as a modal one; returns its `onkeydown`.
#[hook]
pub fn use_modal_dialog(dialog: NodeRef) -> Callback<KeyboardEvent> {
    {
        let dialog = dialog.clone();
        use_effect_with((), move |_| {
            if let Some(dialog) = dialog.cast::<HtmlDialogElement>() {
                if !dialog.open() {
                    let _ = dialog.show_modal();
                }
                // The dialog itself, named by its title: a screen reader reads the title and what
                // follows before the first control, and a phone does not open its keyboard for a
                // first text field.
                let _ = dialog.focus();
            }
        });
    }
    use_callback(dialog, |event: KeyboardEvent, dialog| {
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
        let on = |element: &Element| {
            active
                .as_ref()
                .is_some_and(|a| a.is_same_node(Some(element)))
        };
        if event.shift_key() && (on(first) || on(&dialog)) {
            event.prevent_default();
            let _ = last.focus();
        } else if !event.shift_key() && on(last) {
            event.prevent_default();
            let _ = first.focus();
        }
    })
}

/// The two ways a modal dialog closes: its Close button (`.0`, for `onclick`) and Escape (`.1`,
/// for `oncancel`, which the browser fires for it, and not for a file picker closed inside it).
/// Both close the `<dialog>` and call `on_close`.
pub fn closing(
    dialog: &NodeRef,
    on_close: &Callback<()>,
) -> (Callback<MouseEvent>, Callback<Event>) {
    let close = {
        let (dialog, on_close) = (dialog.clone(), on_close.clone());
        std::rc::Rc::new(move || {
            if let Some(dialog) = dialog.cast::<HtmlDialogElement>() {
                dialog.close();
            }
            on_close.emit(());
        })
    };
    let on_click = {
        let close = std::rc::Rc::clone(&close);
        Callback::from(move |_: MouseEvent| close())
    };
    let on_escape = {
        let dialog = dialog.clone();
        Callback::from(move |event: Event| {
            if is_escape(&event, &dialog) {
                event.prevent_default();
                close();
            }
        })
    };
    (on_click, on_escape)
}

/// Whether a `cancel` event that reached the dialog is the dialog's own (Escape), not a file
/// field's inside it: a picker closed without a choice fires a `cancel` that bubbles, and it
/// must close nothing (in the schema editor it would have thrown the draft away).
pub fn is_escape(event: &Event, dialog: &NodeRef) -> bool {
    event
        .target()
        .zip(dialog.cast::<Element>())
        .is_some_and(|(target, dialog)| target.loose_eq(&dialog))
}
