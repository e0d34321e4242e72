//! From the DOM `Selection` to the pending span: the browser's (node, UTF-16 offset) boundary
//! points as a code point range over the document text, snapped to words for a drag, and the
//! snapped span drawn while dragging.
//!
//! Every piece of rendered text sits in an element carrying `data-start`, the code point offset
//! where that piece begins, and holds exactly one text node. So a boundary inside a text node is
//! `data-start` plus the code points before the UTF-16 offset *within that short piece*: no
//! scan of the whole article, whatever its length.

use wasm_bindgen::JsCast;
use web_sys::{Element, Node, Range};
use yew::prelude::*;

use crate::browser::article_point::text_at_edge;
use crate::browser::css_highlight;
use crate::browser::intl_segmenter::BrowserSegmenter;
use crate::hooks::CaretInputs;
use crate::state::{Action, AppState};
use annotator_core::model::selection::trim_whitespace;
use annotator_core::model::text::utf16_to_chars_in;
use annotator_core::model::word_snap::{SnapRule, SnappedSelection};
use annotator_core::model::{CharOffset, CharRange};

/// The name of the CSS highlight that shows a drag's snapped span (styles/marks.css).
const PREVIEW: &str = "snap-preview";

/// Keeps `AppState::pending` in step with what the user has selected inside the article, and
/// shows a drag's span as `inputs.preview` snaps it while the drag goes on. Called on every
/// `selectionchange` by the article's caret (hooks/use_article_caret.rs), which knows how the
/// selection is being made: `snaps` only for a drag (mouse, pen, touch) begun without Alt.
pub fn report_selection(
    inputs: &CaretInputs,
    snaps: bool,
    segmenter: &BrowserSegmenter,
    dispatcher: &UseReducerDispatcher<AppState>,
) {
    let selection = inputs
        .article
        .cast::<Element>()
        .and_then(|element| current_selection(&element, inputs, snaps, segmenter));
    show_preview(inputs, selection.map(|s| (s, inputs.preview)));
    dispatcher.dispatch(Action::SetPending { selection });
}

fn current_selection(
    article: &Element,
    inputs: &CaretInputs,
    snaps: bool,
    segmenter: &BrowserSegmenter,
) -> Option<SnappedSelection> {
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.is_collapsed() || selection.range_count() == 0 {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    let text = inputs.document.text();
    let raw = range_in_article(&range, article, text.char_len())?;
    if snaps {
        SnappedSelection::snapped(text, raw, segmenter)
    } else {
        trim_whitespace(text, raw).map(SnappedSelection::exact)
    }
}

/// Draws the span a drag will tag as a CSS highlight over the text (the browser's own selection
/// shows only what was dragged), or removes it. Browsers without CSS highlights show only the
/// selection; the label bar still says what will be tagged.
fn show_preview(inputs: &CaretInputs, selection: Option<(SnappedSelection, SnapRule)>) {
    // Only a span that snapping grew or shrank: otherwise the selection shows it already.
    let shown = selection
        .map(|(selection, rule)| selection.for_rule(rule))
        .filter(|span| selection.is_some_and(|(s, _)| s.for_rule(SnapRule::Exact) != *span))
        .and_then(|span| dom_range(inputs, span));
    // Browsers without CSS highlights show the selection alone.
    css_highlight::show(PREVIEW, shown);
}

/// The DOM range over code points `span` of the rendered article.
fn dom_range(inputs: &CaretInputs, span: CharRange) -> Option<Range> {
    let element = inputs.article.cast::<Element>()?;
    css_highlight::dom_range(&element, &inputs.paragraphs, inputs.per_chunk, span)
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
