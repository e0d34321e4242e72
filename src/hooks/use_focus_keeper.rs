//! Focus never falls to the page. When an action removes or disables the control that had
//! focus (the Delete button once nothing is selected, Undo with nothing left to undo, a label
//! button after tagging, a deleted document's entry, a closed menu), focus goes to what the
//! user acts on next: the article's caret, or the paste form when no article is open.
//!
//! A click on the page's background also leaves focus on `<body>`; that is the user's doing,
//! and the control they left is still there, so it is left alone.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::browser::after_task::after_task;
use crate::browser::focus;
use yew::prelude::*;

/// Where focus goes, first match first.
const FALLBACKS: [&str; 2] = [focus::ARTICLE, focus::PASTE_FIELD];

fn lost(element: &Element) -> bool {
    !element.is_connected()
        || element.has_attribute("disabled")
        || element
            .closest("[hidden], [inert]")
            .ok()
            .flatten()
            .is_some()
}

thread_local! {
    /// A check is queued for the task under way: a key press both renders the root and reaches
    /// the keydown listener, and one check after both is enough.
    static QUEUED: Cell<bool> = const { Cell::new(false) };
}

/// After the action under way has rendered: puts focus back if the control that had it is gone.
fn check_soon(last_focused: Rc<RefCell<Option<Element>>>) {
    if QUEUED.replace(true) {
        return;
    }
    after_task(move || {
        QUEUED.set(false);
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        let on_page = active
            .as_ref()
            .is_none_or(|a| a.tag_name() == "BODY" || a.has_attribute("disabled"));
        let left_behind = last_focused.borrow().as_ref().is_some_and(lost);
        if !(on_page && left_behind) {
            return;
        }
        if let Some(target) = focus::first_of(&FALLBACKS) {
            focus::focus_in_place(&target);
        }
    });
}

/// Checked after every render of the caller (the app root renders on every state change) and
/// after every key press and click (a component's own state, such as a menu closing, does not
/// render the root).
#[hook]
pub fn use_focus_keeper() {
    let last_focused = use_mut_ref(|| None::<Element>);
    {
        let last_focused = last_focused.clone();
        use_effect_with((), move |_| {
            let listeners = web_sys::window()
                .and_then(|w| w.document())
                .map(|document| {
                    let remembered = Rc::clone(&last_focused);
                    let focusin = EventListener::new(&document, "focusin", move |event| {
                        *remembered.borrow_mut() =
                            event.target().and_then(|t| t.dyn_into::<Element>().ok());
                    });
                    let after_action = |kind: &'static str| {
                        let last_focused = Rc::clone(&last_focused);
                        EventListener::new(&document, kind, move |_| {
                            check_soon(Rc::clone(&last_focused))
                        })
                    };
                    [focusin, after_action("keydown"), after_action("click")]
                });
            move || drop(listeners)
        });
    }
    use_effect(move || check_soon(last_focused));
}
