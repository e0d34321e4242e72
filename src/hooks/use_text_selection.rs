//! The only code that reads the DOM `Selection`. It turns the browser's (node, UTF-16 offset)
//! boundary points into a code point range over the document text.
//!
//! Every piece of rendered text sits in an element carrying `data-start`, the code point offset
//! where that piece begins, and holds exactly one text node. So a boundary inside a text node is
//! `data-start` plus the code points before the UTF-16 offset *within that short piece*: no
//! scan of the whole article, whatever its length.

use std::cell::Cell;
use std::rc::Rc;

use gloo::events::EventListener;
use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, MouseEvent, Node, Range};
use yew::prelude::*;

use super::use_article_caret::CaretInputs;
use crate::browser::article_point::{point_of, text_at_edge};
use crate::browser::intl_segmenter::BrowserSegmenter;
use crate::state::{Action, AppState};
use annotator_core::model::selection::trim_whitespace;
use annotator_core::model::text::utf16_to_chars_in;
use annotator_core::model::word_snap::{SnapRule, SnappedSelection};
use annotator_core::model::{CharOffset, CharRange};

/// The name of the CSS highlight that shows a drag's snapped span (styles/marks.css).
const PREVIEW: &str = "snap-preview";

/// How the selection is being made: only a drag (mouse, pen, touch) snaps to words; a selection
/// the keys make is taken as it is, and so is a drag with Alt held (any key pressed during a drag
/// makes the rest of it exact, Alt included).
#[derive(Default)]
struct Gesture {
    snaps: Cell<bool>,
}

/// Keeps `AppState::pending` in step with what the user has selected inside the article, and
/// shows a drag's span as `preview` snaps it while the drag goes on.
#[hook]
pub fn use_text_selection(
    inputs: CaretInputs,
    preview: SnapRule,
    dispatcher: Option<UseReducerDispatcher<AppState>>,
) {
    let latest = use_mut_ref(|| (inputs.clone(), preview));
    *latest.borrow_mut() = (inputs.clone(), preview);
    let segmenter = use_memo((), |_| BrowserSegmenter::new());
    use_effect_with(inputs.article.clone(), move |article| {
        let article = article.clone();
        let gesture = Rc::new(Gesture::default());
        let listeners = web_sys::window()
            .and_then(|w| w.document())
            .zip(dispatcher)
            .map(|(document, dispatcher)| {
                // One closure for both events: a press inside the article without Alt snaps,
                // any key stops it.
                let gestures = ["pointerdown", "keydown"].map(|name| {
                    let (gesture, article) = (Rc::clone(&gesture), article.clone());
                    EventListener::new(&document, name, move |event| {
                        let snaps = event.dyn_ref::<MouseEvent>().is_some_and(|press| {
                            let target = event.target().and_then(|t| t.dyn_into::<Node>().ok());
                            !press.alt_key()
                                && article
                                    .cast::<Node>()
                                    .is_some_and(|a| a.contains(target.as_ref()))
                        });
                        gesture.snaps.set(snaps);
                    })
                });
                let changed = EventListener::new(&document, "selectionchange", move |_| {
                    let (inputs, preview) = &*latest.borrow();
                    let selection = article.cast::<Element>().and_then(|element| {
                        current_selection(&element, inputs, &gesture, &segmenter)
                    });
                    show_preview(&article, inputs, selection.map(|s| (s, *preview)));
                    dispatcher.dispatch(Action::SetPending { selection });
                });
                (gestures, changed)
            });
        move || drop(listeners)
    });
}

fn current_selection(
    article: &Element,
    inputs: &CaretInputs,
    gesture: &Gesture,
    segmenter: &BrowserSegmenter,
) -> Option<SnappedSelection> {
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.is_collapsed() || selection.range_count() == 0 {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    let text = inputs.document.text();
    let raw = range_in_article(&range, article, text.char_len())?;
    if gesture.snaps.get() {
        SnappedSelection::snapped(text, raw, segmenter)
    } else {
        trim_whitespace(text, raw).map(SnappedSelection::exact)
    }
}

/// Draws the span a drag will tag as a CSS highlight over the text (the browser's own selection
/// shows only what was dragged), or removes it. Browsers without CSS highlights show only the
/// selection; the label bar still says what will be tagged.
fn show_preview(
    article: &NodeRef,
    inputs: &CaretInputs,
    selection: Option<(SnappedSelection, SnapRule)>,
) {
    let global = js_sys::global();
    let Some(highlights) = Reflect::get(&global, &JsValue::from_str("CSS"))
        .ok()
        .filter(JsValue::is_object)
        .and_then(|css| Reflect::get(&css, &JsValue::from_str("highlights")).ok())
        .filter(JsValue::is_object)
    else {
        return;
    };
    let method = |name: &str| {
        Reflect::get(&highlights, &JsValue::from_str(name))
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
    };
    // Only a span that snapping grew or shrank: otherwise the selection shows it already.
    let shown = selection
        .map(|(selection, rule)| selection.for_rule(rule))
        .filter(|span| selection.is_some_and(|(s, _)| s.for_rule(SnapRule::Exact) != *span))
        .and_then(|span| dom_range(article, inputs, span));
    let highlight = shown.and_then(|range| {
        let class: Function = Reflect::get(&global, &JsValue::from_str("Highlight"))
            .ok()?
            .dyn_into()
            .ok()?;
        Reflect::construct(&class, &Array::of1(&range)).ok()
    });
    let name = JsValue::from_str(PREVIEW);
    let _ = match highlight {
        Some(highlight) => method("set").map(|set| set.call2(&highlights, &name, &highlight)),
        None => method("delete").map(|delete| delete.call1(&highlights, &name)),
    };
}

/// The DOM range over code points `span` of the rendered article.
fn dom_range(article: &NodeRef, inputs: &CaretInputs, span: CharRange) -> Option<Range> {
    let element = article.cast::<Element>()?;
    let start = point_of(&element, &inputs.paragraphs, inputs.per_chunk, span.start())?;
    let end = point_of(&element, &inputs.paragraphs, inputs.per_chunk, span.end())?;
    let range = element.owner_document()?.create_range().ok()?;
    range.set_start(&start.0, start.1).ok()?;
    range.set_end(&end.0, end.1).ok()?;
    Some(range)
}

/// The part of a DOM range that falls inside `article`, in code points.
pub fn range_in_article(range: &Range, article: &Element, len: usize) -> Option<CharRange> {
    if !range.intersects_node(article).unwrap_or(false) {
        return None;
    }
    let document = article.owner_document()?;
    let whole = document.create_range().ok()?;
    whole.select_node_contents(article).ok()?;
    let starts_before = range
        .compare_boundary_points(Range::START_TO_START, &whole)
        .ok()?
        <= 0;
    let ends_after = range
        .compare_boundary_points(Range::END_TO_END, &whole)
        .ok()?
        >= 0;
    let start = if starts_before {
        CharOffset::new(0)
    } else {
        boundary_offset(&range.start_container().ok()?, range.start_offset().ok()?)?
    };
    let end = if ends_after {
        CharOffset::new(len)
    } else {
        boundary_offset(&range.end_container().ok()?, range.end_offset().ok()?)?
    };
    CharRange::new(start, end).ok()?.clipped_to(len)
}

/// Code point offset of a DOM boundary point inside the rendered article.
pub fn boundary_offset(node: &Node, offset: u32) -> Option<CharOffset> {
    let (text_node, utf16) = if node.node_type() == Node::TEXT_NODE {
        (node.clone(), offset)
    } else {
        // Between children: the boundary is the start of the next text, or the end of the
        // previous one when there is no next.
        let children = node.child_nodes();
        let after = (offset..children.length())
            .filter_map(|i| children.item(i))
            .find_map(|child| text_at_edge(&child, true));
        match after {
            Some(text) => (text, 0),
            None => {
                let text = (0..offset.min(children.length()))
                    .rev()
                    .filter_map(|i| children.item(i))
                    .find_map(|child| text_at_edge(&child, false))?;
                let len = text.text_content().map_or(0, |t| t.encode_utf16().count()) as u32;
                (text, len)
            }
        }
    };
    let piece = text_node.parent_element()?.closest("[data-start]").ok()??;
    let piece_start: usize = piece.get_attribute("data-start")?.parse().ok()?;
    let content = text_node.text_content().unwrap_or_default();
    Some(CharOffset::new(
        piece_start + utf16_to_chars_in(&content, utf16 as usize),
    ))
}

/// Removes the browser's text selection (after tagging it, so the next key does not re-tag it).
pub fn clear_text_selection() {
    if let Some(Ok(Some(selection))) = web_sys::window().map(|w| w.get_selection()) {
        let _ = selection.remove_all_ranges();
    }
}

/// Whether the event target is somewhere the user types (shortcuts must not fire there).
pub fn is_typing_target(target: Option<web_sys::EventTarget>) -> bool {
    let Some(element) = target.and_then(|t| t.dyn_into::<Element>().ok()) else {
        return false;
    };
    let tag = element.tag_name().to_ascii_lowercase();
    matches!(tag.as_str(), "input" | "textarea" | "select")
        || element
            .closest("[contenteditable=''], [contenteditable='true']")
            .ok()
            .flatten()
            .is_some()
}
