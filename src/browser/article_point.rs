//! From code point offsets in the rendered article to the DOM points they are drawn at, and
//! from points on screen back to DOM points: what the keyboard caret needs to be drawn, to
//! make a DOM selection, and to move by visual lines.
//!
//! The article is chunks (`[data-chunk]`) of paragraphs (`.para`); a paragraph is either one
//! text node (a plain chunk, `data-start` on the paragraph) or pieces (`.piece[data-start]`),
//! each holding exactly one text node inside its highlights (components/paragraph_view.rs).

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DomRect, Element, Node};

use annotator_core::model::{CharOffset, Paragraph};

/// The first (or last) non-empty text node in `node`'s subtree, `node` included.
pub fn text_at_edge(node: &Node, first: bool) -> Option<Node> {
    if node.node_type() == Node::TEXT_NODE {
        return node
            .text_content()
            .is_some_and(|t| !t.is_empty())
            .then(|| node.clone());
    }
    let children = node.child_nodes();
    let count = children.length();
    let order: Box<dyn Iterator<Item = u32>> = if first {
        Box::new(0..count)
    } else {
        Box::new((0..count).rev())
    };
    order
        .filter_map(|i| children.item(i))
        .find_map(|child| text_at_edge(&child, first))
}

fn start_of(element: &Element) -> Option<usize> {
    element.get_attribute("data-start")?.parse().ok()
}

/// The text node and UTF-16 offset where code point `offset` of the article is drawn.
/// `paragraph` is the index of the block holding it, `per_chunk` the blocks per chunk.
fn point_at(
    article: &Element,
    per_chunk: usize,
    paragraph: usize,
    offset: CharOffset,
) -> Option<(Node, u32)> {
    let chunk = article
        .query_selector(&format!(
            "[data-chunk=\"{}\"]",
            paragraph / per_chunk.max(1)
        ))
        .ok()??;
    let block = chunk
        .children()
        .item((paragraph % per_chunk.max(1)) as u32)?;
    // A plain paragraph starts where its own `data-start` says; else the last piece starting
    // at or before the offset holds it.
    let holder = match start_of(&block) {
        Some(_) => block,
        None => {
            let pieces = block.children();
            (0..pieces.length())
                .rev()
                .filter_map(|i| pieces.item(i))
                .find(|piece| start_of(piece).is_some_and(|s| s <= offset.get()))?
        }
    };
    let start = start_of(&holder)?;
    let text = text_at_edge(&holder, true)?;
    let content = text.text_content().unwrap_or_default();
    let utf16: usize = content
        .chars()
        .take(offset.get().checked_sub(start)?)
        .map(char::len_utf16)
        .sum();
    Some((text, utf16 as u32))
}

/// The text node and UTF-16 offset where code point `at` of the article is drawn, given the
/// article's blocks (as the core's `paragraphs` cuts them).
pub fn point_of(
    article: &Element,
    paragraphs: &[Paragraph],
    per_chunk: usize,
    at: CharOffset,
) -> Option<(Node, u32)> {
    let paragraph = paragraphs
        .partition_point(|p| p.chars.end() <= at)
        .min(paragraphs.len().saturating_sub(1));
    point_at(article, per_chunk, paragraph, at)
}

/// Where a caret at the DOM point is drawn, in viewport coordinates: a thin box one line high.
/// A collapsed range has no box at some line ends, so the character before (or after) lends
/// its edge.
pub fn caret_rect(node: &Node, utf16: u32) -> Option<(f64, f64, f64)> {
    let document = node.owner_document()?;
    let range = document.create_range().ok()?;
    let _ = range.set_start(node, utf16);
    let _ = range.set_end(node, utf16);
    let usable = |rect: &DomRect| rect.height() > 0.0;
    if let Some(rect) = range
        .get_client_rects()
        .and_then(|r| r.get(0))
        .filter(usable)
    {
        return Some((rect.left(), rect.top(), rect.height()));
    }
    let len = node.text_content().map_or(0, |t| t.encode_utf16().count()) as u32;
    if utf16 > 0 {
        let _ = range.set_start(node, utf16 - 1);
        let _ = range.set_end(node, utf16);
        let rects = range.get_client_rects()?;
        let rect = rects.get(rects.length().checked_sub(1)?).filter(usable)?;
        return Some((rect.right(), rect.top(), rect.height()));
    }
    if len > 0 {
        let _ = range.set_end(node, 1);
        let rect = range.get_client_rects()?.get(0).filter(usable)?;
        return Some((rect.left(), rect.top(), rect.height()));
    }
    None
}

/// The DOM point under viewport coordinates `(x, y)`: `caretPositionFromPoint` (the standard,
/// Firefox and Chromium) or `caretRangeFromPoint` (WebKit). Called through reflection because
/// each engine has only one of them.
pub fn point_under(x: f64, y: f64) -> Option<(Node, u32)> {
    let document = web_sys::window()?.document()?;
    let call = |name: &str| -> Option<JsValue> {
        let function: Function = Reflect::get(&document, &JsValue::from_str(name))
            .ok()?
            .dyn_into()
            .ok()?;
        function
            .call2(&document, &JsValue::from_f64(x), &JsValue::from_f64(y))
            .ok()
            .filter(|v| !v.is_null() && !v.is_undefined())
    };
    if let Some(position) = call("caretPositionFromPoint") {
        let node: Node = Reflect::get(&position, &JsValue::from_str("offsetNode"))
            .ok()?
            .dyn_into()
            .ok()?;
        let offset = Reflect::get(&position, &JsValue::from_str("offset"))
            .ok()?
            .as_f64()?;
        return Some((node, offset as u32));
    }
    let range: web_sys::Range = call("caretRangeFromPoint")?.dyn_into().ok()?;
    Some((range.start_container().ok()?, range.start_offset().ok()?))
}
