//! The overlay for the page: what the dialogs module's arc exports do (`src/bin/dialogs.rs`).
//! One overlay at a time, in the host element the page gives (inside the article's box).

use std::cell::RefCell;

use gloo::events::EventListener;
use gloo::render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::JsValue;
use web_sys::Element;

use super::layout::{lay_out, Arc};
use super::protocol::ArcsRequest;
use super::svg;
use annotator_core::model::drawn_relations::unpack;

/// The overlay while relations are drawn.
struct Overlay {
    host: Element,
    request: ArcsRequest,
    /// What is drawn now, so a layout that changes nothing (most frames of a scroll) leaves the
    /// SVG alone.
    drawn: (Vec<Arc>, (i32, i32)),
    /// The frame the next layout waits for; replaced when a newer one is asked for, so there
    /// is at most one layout per frame however fast the events come.
    frame: Option<AnimationFrame>,
    _on_resize: Option<EventListener>,
    /// With everything shown, scrolling brings other relations into view.
    on_scroll: Option<EventListener>,
}

thread_local! {
    static OVERLAY: RefCell<Option<Overlay>> = const { RefCell::new(None) };
}

/// Draws what `request` (an [`ArcsRequest`]) asks for in `host`, in the next animation frame,
/// replacing what was drawn (in this host or another).
///
/// # Errors
/// A message when `request` cannot be read.
pub fn draw(host: Element, request: JsValue) -> Result<(), String> {
    let request: ArcsRequest = serde_wasm_bindgen::from_value(request)
        .map_err(|e| format!("the relation arcs could not read what they were given ({e})"))?;
    let stale = OVERLAY.with(|overlay| {
        overlay
            .borrow()
            .as_ref()
            .is_some_and(|drawn| drawn.host != host)
    });
    if stale {
        take_down();
    }
    OVERLAY.with(|overlay| {
        let mut overlay = overlay.borrow_mut();
        let overlay = overlay.get_or_insert_with(|| Overlay {
            _on_resize: web_sys::window()
                .map(|window| EventListener::new(&window, "resize", |_| schedule())),
            host: host.clone(),
            request: ArcsRequest::default(),
            drawn: (Vec::new(), (0, 0)),
            frame: None,
            on_scroll: None,
        });
        overlay.on_scroll = if request.show_all {
            overlay.on_scroll.take().or_else(|| {
                let scroller = host.closest(".main").ok().flatten()?;
                Some(EventListener::new(&scroller, "scroll", |_| schedule()))
            })
        } else {
            None
        };
        overlay.request = request;
    });
    schedule();
    Ok(())
}

/// Takes the overlay down if it is in `host` (the page's article view is going away).
pub fn clear(host: &Element) {
    let here = OVERLAY.with(|overlay| {
        overlay
            .borrow()
            .as_ref()
            .is_some_and(|drawn| &drawn.host == host)
    });
    if here {
        take_down();
    }
}

/// Removes the drawing and its listeners.
fn take_down() {
    if let Some(overlay) = OVERLAY.with(|overlay| overlay.borrow_mut().take()) {
        overlay.host.set_text_content(None);
    }
}

/// Lays out again in the next frame.
fn schedule() {
    let frame = request_animation_frame(|_| redraw());
    OVERLAY.with(|overlay| {
        if let Some(overlay) = overlay.borrow_mut().as_mut() {
            overlay.frame = Some(frame);
        }
    });
}

/// Lays the arcs out and draws them, unless they are what is drawn already.
fn redraw() {
    OVERLAY.with(|overlay| {
        let mut overlay = overlay.borrow_mut();
        let Some(overlay) = overlay.as_mut() else {
            return;
        };
        // The host is an empty box in the article's box: the arcs are placed from the latter.
        let Some(wrap) = overlay.host.parent_element() else {
            return;
        };
        let relations = unpack(&overlay.request.relations).unwrap_or_default();
        let arcs = lay_out(
            &wrap,
            &relations,
            overlay.request.selected.as_deref(),
            overlay.request.show_all,
        );
        let rect = wrap.get_bounding_client_rect();
        let size = (rect.width().ceil() as i32, rect.height().ceil() as i32);
        if overlay.drawn.0 == arcs && overlay.drawn.1 == size {
            return;
        }
        overlay.host.set_text_content(None);
        if !arcs.is_empty() {
            let drawing = overlay
                .host
                .owner_document()
                .and_then(|document| svg::draw(&document, &arcs, size));
            if let Some(drawing) = drawing {
                let _ = overlay.host.append_child(&drawing);
            }
        }
        overlay.drawn = (arcs, size);
    });
}
