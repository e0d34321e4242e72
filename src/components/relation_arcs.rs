//! Relations drawn over the article as arcs with their type in words: the selected annotation's
//! (so a link is seen the moment it is made), or, with "Show all relations" on, every relation
//! with an end in view. Only those: drawing every relation of a long article is the hairball
//! other tools are known for.
//!
//! The arcs live in an SVG beside the article (never inside it: the article's text must stay
//! exactly the document's), in the same scrolling box, so they move with the text without being
//! redrawn on scroll. They are laid out again, in the next animation frame, when the document,
//! the selection or the toggle change, when the window is resized (lines wrap differently), and,
//! with everything shown, as the reader scrolls (other relations come into view). Each end is
//! the first line box of the annotation's highlight, so a span that wraps is met where it starts.
//!
//! Only what is drawn is measured. Asking where a highlight is makes the browser lay out its
//! paragraph, and paragraphs out of view are not laid out (`content-visibility: auto`): measuring
//! every highlight of a long article took 70–600 ms (bench/NOTES.md, session 7). So the selected
//! annotation's ends are found by id, "show all" looks only inside the paragraphs in view (whose
//! own boxes are known without laying out their text) and draws the relations with both ends
//! there, and nothing is measured at all when there is nothing to draw.
//!
//! The drawing is for the eye only (`aria-hidden`): the side panel says the same in words.

use std::collections::HashMap;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{DomRect, Element};
use yew::prelude::*;

use super::css_string::css_string;
use annotator_core::model::{AnnotationId, Document, Relation};

/// One arc, in pixels from the top left of the box the article sits in.
#[derive(Clone, Debug, PartialEq)]
struct Arc {
    path: String,
    label: String,
    label_at: (i32, i32),
    /// Runs down the right margin: its label sits beside the margin, not over the text.
    in_margin: bool,
    /// Drawn stronger: it touches the selected annotation.
    selected: bool,
}

#[derive(Properties)]
pub struct RelationArcsProps {
    pub document: Rc<Document>,
    pub selected: Option<AnnotationId>,
    pub show_all: bool,
    /// The box holding the article and these arcs (`position: relative`).
    pub wrap: NodeRef,
}

impl PartialEq for RelationArcsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.document, &other.document)
            && self.selected == other.selected
            && self.show_all == other.show_all
    }
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
    // code to the bundle.
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

/// Lays the arcs out; records the time taken as the `relations-drawn` performance measure.
fn lay_out(
    wrap: &Element,
    document: &Document,
    selected: Option<&AnnotationId>,
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
    let in_band: std::collections::HashSet<String> = boxes.keys().cloned().collect();
    let mut box_of = |id: &AnnotationId| -> Option<DomRect> {
        if let Some(rect) = boxes.get(id.as_str()) {
            return Some(rect.clone());
        }
        let rect = first_box_of(wrap, id.as_str())?;
        boxes.insert(id.to_string(), rect.clone());
        Some(rect)
    };
    // Without "show all", only the selected annotation's relations can be drawn: found by id,
    // not by a walk over every relation.
    let candidates: Vec<&Relation> = if show_all {
        document.relations().iter().collect()
    } else {
        selected
            .map(|id| document.relations_of(id).collect())
            .unwrap_or_default()
    };
    let mut arcs = Vec::new();
    let mut lanes = 0;
    for relation in candidates {
        let touches_selected = selected.is_some_and(|id| relation.touches(id));
        let both_in_view =
            in_band.contains(relation.from.as_str()) && in_band.contains(relation.to.as_str());
        if !(touches_selected || both_in_view) {
            continue;
        }
        let (Some(from), Some(to)) = (box_of(&relation.from), box_of(&relation.to)) else {
            continue;
        };
        let (path, label_at, in_margin) = arc_between(&from, &to, &origin, lanes);
        lanes += usize::from(in_margin);
        arcs.push(Arc {
            path,
            label: relation.kind.display_name(),
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

#[component]
pub fn RelationArcs(props: &RelationArcsProps) -> Html {
    let arcs = use_state_eq(Vec::<Arc>::new);
    let size = use_state_eq(|| (0, 0));
    // The frame the next layout waits for; replaced when a newer one is asked for.
    let frame = use_mut_ref(|| None::<gloo::render::AnimationFrame>);
    // Lays out again from the latest props, in the next frame; kept in a cell for the listeners.
    let redraw = {
        let (arcs, size, wrap) = (arcs.clone(), size.clone(), props.wrap.clone());
        let (document, selected, show_all) = (
            Rc::clone(&props.document),
            props.selected.clone(),
            props.show_all,
        );
        let frame = Rc::clone(&frame);
        Rc::new(move || {
            let wanted = show_all
                || selected
                    .as_ref()
                    .is_some_and(|id| document.relations_of(id).next().is_some());
            if !wanted {
                // Nothing to draw: nothing is measured, so an edit costs no layout here.
                frame.borrow_mut().take();
                arcs.set(Vec::new());
                return;
            }
            let (arcs, size, wrap) = (arcs.clone(), size.clone(), wrap.clone());
            let (document, selected) = (Rc::clone(&document), selected.clone());
            *frame.borrow_mut() = Some(gloo::render::request_animation_frame(move |_| {
                let Some(wrap) = wrap.cast::<Element>() else {
                    return;
                };
                arcs.set(lay_out(&wrap, &document, selected.as_ref(), show_all));
                let rect = wrap.get_bounding_client_rect();
                size.set((rect.width().ceil() as i32, rect.height().ceil() as i32));
            }));
        })
    };
    let latest = use_mut_ref(|| Rc::clone(&redraw));
    *latest.borrow_mut() = Rc::clone(&redraw);
    {
        let redraw = Rc::clone(&redraw);
        use_effect_with(
            (
                crate::components::article_view::SameDocument(Rc::clone(&props.document)),
                props.selected.clone(),
                props.show_all,
            ),
            move |_| redraw(),
        );
    }
    {
        let latest = Rc::clone(&latest);
        let wrap = props.wrap.clone();
        use_effect_with(props.show_all, move |&show_all| {
            let window = web_sys::window();
            let on_resize = window.as_ref().map(|w| {
                let latest = Rc::clone(&latest);
                EventListener::new(w, "resize", move |_| (latest.borrow())())
            });
            // With everything shown, scrolling brings other relations into view: laid out again
            // once per frame at most.
            let on_scroll = show_all
                .then(|| wrap.cast::<Element>()?.closest(".main").ok().flatten())
                .flatten()
                .map(|scroller| {
                    // `redraw` waits for the next frame and replaces a frame still waiting: at
                    // most one layout per frame however fast the scroll events come.
                    EventListener::new(&scroller, "scroll", move |_| (latest.borrow())())
                });
            move || drop((on_resize, on_scroll))
        });
    }
    if arcs.is_empty() {
        return Html::default();
    }
    let (width, height) = *size;
    let drawn = arcs.iter().map(|arc| {
        // About 6.5 px per character at the labels' 11 px; the plate sits under the text's anchor
        // (its middle, or its end for a label beside the margin).
        let plate_width = i32::try_from(arc.label.chars().count()).unwrap_or(0) * 13 / 2 + 6;
        let plate_x = if arc.in_margin {
            arc.label_at.0 - plate_width + 3
        } else {
            arc.label_at.0 - plate_width / 2
        };
        let class = classes!("arc", arc.selected.then_some("selected"), arc.in_margin.then_some("in-margin"));
        html! {
            <g class={class}>
                <path d={arc.path.clone()} marker-end={if arc.selected { "url(#arc-head-selected)" } else { "url(#arc-head)" }} />
                // A plate under the words, so the line does not run through the gaps between them.
                <rect class="plate" x={plate_x.to_string()} y={(arc.label_at.1 - 9).to_string()}
                    width={plate_width.to_string()} height="12" rx="3" />
                <text x={arc.label_at.0.to_string()} y={arc.label_at.1.to_string()}>{ arc.label.clone() }</text>
            </g>
        }
    });
    html! {
        <svg class="relation-arcs" aria-hidden="true" width={width.to_string()} height={height.to_string()}>
            <defs>
                <marker id="arc-head" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0 L8,4 L0,8 z" />
                </marker>
                <marker id="arc-head-selected" class="selected" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0 L8,4 L0,8 z" />
                </marker>
            </defs>
            { for drawn }
        </svg>
    }
}
