//! Where the arcs go. Each end is the first line box of the annotation's highlight, so a span
//! that wraps is met where it starts.
//!
//! Only what is drawn is measured. Asking where a highlight is makes the browser lay out its
//! paragraph, and paragraphs out of view are not laid out (`content-visibility: auto`): measuring
//! every highlight of a long article took 70–600 ms (bench/NOTES.md, session 7). So the selected
//! annotation's ends are found by id, and "show all" looks only inside the paragraphs in view
//! (whose own boxes are known without laying out their text) and draws the relations with both
//! ends there.

use std::collections::{HashMap, HashSet};

use wasm_bindgen::JsCast;
use web_sys::{DomRect, Element};

use crate::components::css_string::css_string;
use annotator_core::model::drawn_relations::DrawnRelation;

/// One arc, in pixels from the top left of the box the article sits in.
#[derive(Clone, Debug, PartialEq)]
pub struct Arc {
    pub path: String,
    pub label: String,
    pub label_at: (i32, i32),
    /// Runs down the right margin: its label sits beside the margin, not over the text.
    pub in_margin: bool,
    /// Drawn stronger: it touches the selected annotation.
    pub selected: bool,
}

/// The first line box of the highlight of annotation `id`, if it is drawn.
fn first_box_of(wrap: &Element, id: &str) -> Option<DomRect> {
    let selector = format!("mark[data-id={}]", css_string(id));
    let mark = wrap.query_selector(&selector).ok()??;
    mark.get_client_rects().get(0)
}

/// The first line box of each highlight in the paragraphs within `band` (top and bottom, in
/// viewport pixels), by annotation id.
fn boxes_in_band(wrap: &Element, band: (f64, f64)) -> HashMap<String, DomRect> {
    let mut boxes = HashMap::new();
    let meets = |e: &Element| {
        let rect = e.get_bounding_client_rect();
        rect.bottom() > band.0 && rect.top() < band.1
    };
    let elements = |parent: &Element, selector: &str| -> Vec<Element> {
        let Ok(list) = parent.query_selector_all(selector) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
            .collect()
    };
    // Chunks first (a few dozen), then the paragraphs of those in view, then their marks.
    for chunk in elements(wrap, ".chunk").iter().filter(|c| meets(c)) {
        for para in elements(chunk, ".para").iter().filter(|p| meets(p)) {
            for mark in elements(para, "mark[data-id]") {
                let Some(id) = mark.get_attribute("data-id") else {
                    continue;
                };
                // Pieces of one span come in text order: the first one seen is where it starts.
                if boxes.contains_key(&id) {
                    continue;
                }
                if let Some(rect) = mark.get_client_rects().get(0) {
                    boxes.insert(id, rect);
                }
            }
        }
    }
    boxes
}

/// The arc from one line box to another. On one line, a curve over the text. Across lines, a
/// connector that never crosses text: along the gap above the first line to the right margin,
/// down the margin (in its own `lane`, so connectors side by side stay apart), and along the gap
/// above the second line back to it.
fn arc_between(
    from: &DomRect,
    to: &DomRect,
    origin: &DomRect,
    lane: usize,
) -> (String, (i32, i32), bool) {
    // Whole pixels: an SVG path needs no more, and printing floats would add their formatting
    // code to the module.
    let px = |v: f64| v.round() as i32;
    let x1 = px(from.left() + from.width() / 2.0 - origin.left());
    let y1 = px(from.top() - origin.top());
    let x2 = px(to.left() + to.width() / 2.0 - origin.left());
    let y2 = px(to.top() - origin.top());
    if (y1 - y2).abs() < 4 {
        let lift = ((x2 - x1).abs() / 4).clamp(14, 60);
        let (cx, cy) = ((x1 + x2) / 2, y1.min(y2) - lift);
        let label_at = ((x1 + 2 * cx + x2) / 4, (y1 + 2 * cy + y2) / 4);
        return (format!("M{x1},{y1} Q{cx},{cy} {x2},{y2}"), label_at, false);
    }
    const GAP: i32 = 5;
    const LANE: i32 = 7;
    const CORNER: i32 = 6;
    let lane = i32::try_from(lane % 4).unwrap_or(0);
    let gutter = px(origin.width()) - 6 - LANE * lane;
    let (top1, top2) = (y1 - GAP, y2 - GAP);
    let down = if top2 > top1 { CORNER } else { -CORNER };
    let path = format!(
        "M{x1},{y1} L{x1},{top1} L{},{top1} Q{gutter},{top1} {gutter},{} \
         L{gutter},{} Q{gutter},{top2} {},{top2} L{x2},{top2} L{x2},{y2}",
        gutter - CORNER,
        top1 + down,
        top2 - down,
        gutter - CORNER,
    );
    (path, (gutter - 4, (top1 + top2) / 2), true)
}

/// Lays out the arcs of `relations` over the article in `wrap`: with `show_all`, those with both
/// ends in view, and always those that touch `selected`. Records the time taken as the
/// `relations-drawn` performance measure.
pub fn lay_out(
    wrap: &Element,
    relations: &[DrawnRelation<'_>],
    selected: Option<&str>,
    show_all: bool,
) -> Vec<Arc> {
    let performance = web_sys::window().and_then(|w| w.performance());
    if let Some(p) = &performance {
        let _ = p.mark("relations-start");
    }
    let origin = wrap.get_bounding_client_rect();
    let height = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(800.0);
    // With everything shown: the highlights in the paragraphs in view (and half a screen more).
    let mut boxes = if show_all {
        boxes_in_band(wrap, (-height / 2.0, height * 1.5))
    } else {
        HashMap::new()
    };
    let in_band: HashSet<String> = boxes.keys().cloned().collect();
    let mut box_of = |id: &str| -> Option<DomRect> {
        if let Some(rect) = boxes.get(id) {
            return Some(rect.clone());
        }
        let rect = first_box_of(wrap, id)?;
        boxes.insert(id.to_owned(), rect.clone());
        Some(rect)
    };
    let mut arcs = Vec::new();
    let mut lanes = 0;
    for relation in relations {
        let touches_selected = selected.is_some_and(|id| relation.from == id || relation.to == id);
        let both_in_view = in_band.contains(relation.from) && in_band.contains(relation.to);
        if !(touches_selected || both_in_view) {
            continue;
        }
        let (Some(from), Some(to)) = (box_of(relation.from), box_of(relation.to)) else {
            continue;
        };
        let (path, label_at, in_margin) = arc_between(&from, &to, &origin, lanes);
        lanes += usize::from(in_margin);
        arcs.push(Arc {
            path,
            label: relation.name.to_owned(),
            label_at,
            in_margin,
            selected: touches_selected,
        });
    }
    if let Some(p) = &performance {
        let _ = p.mark("relations-end");
        let _ = p.measure_with_start_mark_and_end_mark(
            "relations-drawn",
            "relations-start",
            "relations-end",
        );
    }
    arcs
}
