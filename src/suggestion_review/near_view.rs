//! Where spans of the open article are on screen: what the review bar and the find bar need to
//! draw their highlights near the screen only (a range over the text costs a walk of the DOM,
//! and thousands would take a tenth of a second) and to bring one into view.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::JsCast;
use web_sys::{Element, Range, ScrollIntoViewOptions, ScrollLogicalPosition};
use yew::prelude::*;

use crate::browser::css_highlight::dom_range;
use annotator_core::model::{CharRange, Paragraph};

/// The article's paragraphs per rendered chunk (components/paragraph_chunk.rs).
const PER_CHUNK: usize = crate::components::paragraph_chunk::PARAGRAPHS_PER_CHUNK;

/// The page's article element and the paragraphs it draws.
pub struct Drawn<'a> {
    pub article: &'a Element,
    pub paragraphs: &'a [Paragraph],
}

impl Drawn<'_> {
    pub fn range_of(&self, span: CharRange) -> Option<Range> {
        dom_range(self.article, self.paragraphs, PER_CHUNK, span)
    }

    /// The chunks of the article (`[data-chunk]`) on screen or within a screen of it.
    pub fn chunks_near_view(&self) -> Vec<usize> {
        let height = window_height();
        let Ok(chunks) = self.article.query_selector_all("[data-chunk]") else {
            return Vec::new();
        };
        (0..chunks.length())
            .filter_map(|i| chunks.item(i)?.dyn_into::<Element>().ok())
            .filter(|chunk| {
                let rect = chunk.get_bounding_client_rect();
                rect.bottom() > -height && rect.top() < 2.0 * height
            })
            .filter_map(|chunk| chunk.get_attribute("data-chunk")?.parse().ok())
            .collect()
    }

    pub fn chunk_of(&self, span: CharRange) -> usize {
        let paragraph = self
            .paragraphs
            .partition_point(|p| p.chars.end() <= span.start());
        paragraph / PER_CHUNK
    }

    /// Whether the text of `span` is on screen now.
    pub fn on_screen(&self, span: CharRange) -> bool {
        let height = window_height();
        self.range_of(span).is_some_and(|range| {
            let rect = range.get_bounding_client_rect();
            rect.height() > 0.0 && rect.bottom() > 0.0 && rect.top() < height
        })
    }
}

fn window_height() -> f64 {
    web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0)
}

/// What a bar draws over the page's `article` with `draw`: after every render (the page calls
/// again after each of its own: a re-rendered chunk has new text nodes, and ranges over the old
/// ones show nothing) and, at most once a frame, as the article scrolls (other spans come near
/// the screen). `undraw` when the bar goes. Returns the props of the latest render.
#[hook]
pub fn use_drawn_over<P: Clone + 'static>(
    props: &P,
    article: &Element,
    draw: fn(&P),
    undraw: fn(),
) -> Rc<RefCell<P>> {
    let latest = use_mut_ref(|| props.clone());
    *latest.borrow_mut() = props.clone();
    {
        let props = props.clone();
        use_effect(move || draw(&props));
    }
    {
        let (latest, article) = (Rc::clone(&latest), article.clone());
        use_effect_with((), move |_| {
            let frame: Rc<RefCell<Option<AnimationFrame>>> = Rc::default();
            let scroller = article.closest(".main").ok().flatten();
            let listener = scroller.map(|scroller| {
                EventListener::new(&scroller, "scroll", move |_| {
                    let latest = Rc::clone(&latest);
                    let scheduled = request_animation_frame(move |_| draw(&latest.borrow()));
                    *frame.borrow_mut() = Some(scheduled);
                })
            });
            move || {
                drop(listener);
                undraw();
            }
        });
    }
    latest
}

/// Scrolls the text of `range` to the middle of the screen when it is not on it.
pub fn bring_into_view(range: &Range) {
    let rect = range.get_bounding_client_rect();
    if rect.height() > 0.0 && rect.top() >= 0.0 && rect.bottom() <= window_height() {
        return;
    }
    let Some(element) = range
        .start_container()
        .ok()
        .and_then(|node| node.parent_element())
    else {
        return;
    };
    let options = ScrollIntoViewOptions::new();
    options.set_block(ScrollLogicalPosition::Center);
    element.scroll_into_view_with_scroll_into_view_options(&options);
}
