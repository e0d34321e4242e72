//! Which chunks of a long article have come near the viewport, so only those are rendered with
//! their highlights. The rest are plain text, the same text nodes and pieces (so `textContent`,
//! find-in-page and selection offsets are unchanged), without the `<mark>`s, which are most of
//! what opening a long article costs.
//!
//! A chunk stays highlighted once it has been near the viewport: scrolling back is instant, and
//! a chunk is never torn down under a selection in progress.

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};
use yew::prelude::*;

/// How far outside the viewport a chunk starts being highlighted: one and a half viewports, so
/// highlights are in place before a chunk scrolls into view.
const ROOT_MARGIN: &str = "150% 0px 150% 0px";

/// The attribute each chunk element carries: its index (set in `components::paragraph_chunk`).
pub const CHUNK_ATTRIBUTE: &str = "data-chunk";

/// Chunks near the viewport so far, one flag per chunk.
#[derive(Clone, Debug, PartialEq)]
pub struct NearView(Rc<[bool]>);

impl NearView {
    fn first(count: usize, initially: usize) -> Self {
        Self((0..count).map(|k| k < initially).collect())
    }

    pub fn contains(&self, chunk: usize) -> bool {
        self.0.get(chunk).copied().unwrap_or(false)
    }
}

impl Reducible for NearView {
    type Action = Vec<usize>;

    /// Adds chunks; the same `Rc` (no re-render) when they all were near already.
    fn reduce(self: Rc<Self>, chunks: Vec<usize>) -> Rc<Self> {
        if chunks
            .iter()
            .all(|&k| self.contains(k) || k >= self.0.len())
        {
            return self;
        }
        let mut flags = self.0.to_vec();
        for k in chunks {
            if let Some(flag) = flags.get_mut(k) {
                *flag = true;
            }
        }
        Rc::new(Self(flags.into()))
    }
}

fn chunk_index(entry: &IntersectionObserverEntry) -> Option<usize> {
    entry.target().get_attribute(CHUNK_ATTRIBUTE)?.parse().ok()
}

/// Watches the children of `container` that carry [`CHUNK_ATTRIBUTE`]. The first `initially`
/// chunks (the top of the article, where it opens) count as near from the first render.
#[hook]
pub fn use_chunks_near_view(container: NodeRef, count: usize, initially: usize) -> NearView {
    let near = use_reducer(|| NearView::first(count, initially));
    {
        let dispatcher = near.dispatcher();
        use_effect_with((container, count), move |(container, _)| {
            let on_change = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
                let shown: Vec<usize> = entries
                    .iter()
                    .filter_map(|e| e.dyn_into::<IntersectionObserverEntry>().ok())
                    .filter(IntersectionObserverEntry::is_intersecting)
                    .filter_map(|e| chunk_index(&e))
                    .collect();
                if !shown.is_empty() {
                    dispatcher.dispatch(shown);
                }
            });
            let options = IntersectionObserverInit::new();
            options.set_root_margin(ROOT_MARGIN);
            let observer = IntersectionObserver::new_with_options(
                on_change.as_ref().unchecked_ref(),
                &options,
            )
            .ok();
            if let (Some(observer), Some(container)) = (&observer, container.cast::<Element>()) {
                let children = container.children();
                for i in 0..children.length() {
                    if let Some(child) = children.item(i) {
                        if child.has_attribute(CHUNK_ATTRIBUTE) {
                            observer.observe(&child);
                        }
                    }
                }
            }
            move || {
                if let Some(observer) = observer {
                    observer.disconnect();
                }
                drop(on_change);
            }
        });
    }
    (*near).clone()
}
