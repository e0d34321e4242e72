//! Files dropped anywhere on the page are imported (through the same confirmation dialog as
//! "Import…"). Returns whether files are being dragged over the page, to show where to drop.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::DragEvent;
use yew::prelude::*;

use crate::browser::upload::files_of;

/// Whether the drag carries files (not a text selection dragged within the page).
fn carries_files(event: &DragEvent) -> bool {
    event
        .data_transfer()
        .is_some_and(|transfer| transfer.types().includes(&"Files".into(), 0))
}

#[hook]
pub fn use_file_drop(import: Callback<Vec<web_sys::File>>) -> bool {
    let dragging = use_state_eq(|| false);
    {
        let dragging = dragging.clone();
        use_effect_with((), move |_| {
            let document = web_sys::window().and_then(|w| w.document());
            let listeners = document.map(|document| {
                let options = EventListenerOptions::enable_prevent_default();
                let over = {
                    let dragging = dragging.clone();
                    EventListener::new_with_options(&document, "dragover", options, move |e| {
                        if let Some(event) = e.dyn_ref::<DragEvent>().filter(|e| carries_files(e)) {
                            // Without this the browser opens the file instead of dropping it.
                            event.prevent_default();
                            dragging.set(true);
                        }
                    })
                };
                let leave = {
                    let dragging = dragging.clone();
                    EventListener::new(&document, "dragleave", move |e| {
                        // Leaving the window reports no related target.
                        let to_outside = e
                            .dyn_ref::<web_sys::MouseEvent>()
                            .is_some_and(|e| e.related_target().is_none());
                        if to_outside {
                            dragging.set(false);
                        }
                    })
                };
                let drop = {
                    let dragging = dragging.clone();
                    EventListener::new_with_options(&document, "drop", options, move |e| {
                        let Some(event) = e.dyn_ref::<DragEvent>() else {
                            return;
                        };
                        dragging.set(false);
                        let Some(list) = event.data_transfer().and_then(|t| t.files()) else {
                            return;
                        };
                        if list.length() > 0 {
                            event.prevent_default();
                            import.emit(files_of(&list));
                        }
                    })
                };
                [over, leave, drop]
            });
            move || drop(listeners)
        });
    }
    *dragging
}
