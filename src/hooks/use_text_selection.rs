//! The only code that reads the DOM `Selection`. It turns the browser's (node, UTF-16 offset)
//! boundary points into a code point range over the document text.
//!
//! Every piece of rendered text sits in an element carrying `data-start`, the code point offset
//! where that piece begins, and holds exactly one text node. So a boundary inside a text node is
//! `data-start` plus the code points before the UTF-16 offset *within that short piece*: no
//! scan of the whole article, whatever its length.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node, Range};
use yew::prelude::*;

use crate::browser::article_point::text_at_edge;
use crate::state::{Action, AppState};
use annotator_core::model::selection::trim_whitespace;
use annotator_core::model::text::utf16_to_chars_in;
use annotator_core::model::{ArticleText, CharOffset, CharRange};

/// Keeps `AppState::pending` in step with what the user has selected inside `article`.
#[hook]
pub fn use_text_selection(
    article: NodeRef,
    text: ArticleText,
    dispatcher: Option<UseReducerDispatcher<AppState>>,
) {
    let latest_text = use_mut_ref(|| text.clone());
    *latest_text.borrow_mut() = text;
    use_effect_with(article, move |article| {
        let article = article.clone();
        let document = web_sys::window().and_then(|w| w.document());
        let listener = dispatcher.zip(document).map(|(dispatcher, document)| {
            EventListener::new(&document, "selectionchange", move |_| {
                let range = article
                    .cast::<Element>()
                    .and_then(|element| current_range(&element, &latest_text));
                dispatcher.dispatch(Action::SetPending { range });
            })
        });
        move || drop(listener)
    });
}

fn current_range(article: &Element, text: &Rc<RefCell<ArticleText>>) -> Option<CharRange> {
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.is_collapsed() || selection.range_count() == 0 {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    let text = text.borrow();
    let raw = range_in_article(&range, article, text.char_len())?;
    trim_whitespace(&text, raw)
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
