//! Relations drawn over the article as arcs with their type in words: the selected annotation's
//! (so a link is seen the moment it is made), or, with "Show all relations" on, every relation
//! with an end in view. Only those: drawing every relation of a long article is the hairball
//! other tools are known for.
//!
//! The arcs live in an SVG beside the article (never inside it: the article's text must stay
//! exactly the document's), in the same scrolling box, so they move with the text without being
//! redrawn on scroll. They are laid out again when the document, the selection or the toggle
//! change, when the window is resized (lines wrap differently), and, with everything shown, as
//! the reader scrolls (other relations come into view). Each end is the first line box of the
//! annotation's highlight, so a span that wraps is met where it starts.
//!
//! The drawing is for the eye only (`aria-hidden`): the side panel says the same in words.

use std::collections::HashMap;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{DomRect, Element};
use yew::prelude::*;

use annotator_core::model::{AnnotationId, Document, Relation};

/// One arc, in pixels from the top left of the box the article sits in.
#[derive(Clone, Debug, PartialEq)]
struct Arc {
    path: String,
    label: String,
    label_at: (f64, f64),
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

/// The first line box of each highlighted annotation in the article, by id.
fn first_boxes(wrap: &Element) -> HashMap<String, DomRect> {
    let mut boxes = HashMap::new();
    let Ok(marks) = wrap.query_selector_all("mark[data-id]") else {
        return boxes;
    };
    for i in 0..marks.length() {
        let Some(mark) = marks.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
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
) -> (String, (f64, f64), bool) {
    let x1 = from.left() + from.width() / 2.0 - origin.left();
    let y1 = from.top() - origin.top();
    let x2 = to.left() + to.width() / 2.0 - origin.left();
    let y2 = to.top() - origin.top();
    if (y1 - y2).abs() < 4.0 {
        let lift = ((x2 - x1).abs() / 4.0).clamp(14.0, 60.0);
        let (cx, cy) = ((x1 + x2) / 2.0, y1.min(y2) - lift);
        let label_at = ((x1 + 2.0 * cx + x2) / 4.0, (y1 + 2.0 * cy + y2) / 4.0);
        return (
            format!("M{x1:.1},{y1:.1} Q{cx:.1},{cy:.1} {x2:.1},{y2:.1}"),
            label_at,
            false,
        );
    }
    const GAP: f64 = 5.0;
    const LANE: f64 = 7.0;
    const CORNER: f64 = 6.0;
    let gutter = origin.width() - 6.0 - LANE * (lane % 4) as f64;
    let (top1, top2) = (y1 - GAP, y2 - GAP);
    let down = if top2 > top1 { CORNER } else { -CORNER };
    let path = format!(
        "M{x1:.1},{y1:.1} L{x1:.1},{top1:.1} L{:.1},{top1:.1} Q{gutter:.1},{top1:.1} {gutter:.1},{:.1} \
         L{gutter:.1},{:.1} Q{gutter:.1},{top2:.1} {:.1},{top2:.1} L{x2:.1},{top2:.1} L{x2:.1},{y2:.1}",
        gutter - CORNER,
        top1 + down,
        top2 - down,
        gutter - CORNER,
    );
    (path, (gutter - 4.0, (top1 + top2) / 2.0), true)
}

/// Whether a line box is in the window (with a margin of half a screen).
fn in_view(rect: &DomRect, height: f64) -> bool {
    rect.bottom() > -height / 2.0 && rect.top() < height * 1.5
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
    let boxes = first_boxes(wrap);
    let height = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(800.0);
    let wanted = |r: &Relation| match selected {
        Some(id) if r.touches(id) => true,
        _ => show_all,
    };
    let mut arcs = Vec::new();
    let mut lanes = 0;
    for relation in document.relations().iter().filter(|r| wanted(r)) {
        let (Some(from), Some(to)) = (
            boxes.get(relation.from.as_str()),
            boxes.get(relation.to.as_str()),
        ) else {
            continue;
        };
        let touches_selected = selected.is_some_and(|id| relation.touches(id));
        if !(touches_selected || in_view(from, height) || in_view(to, height)) {
            continue;
        }
        let (path, label_at, in_margin) = arc_between(from, to, &origin, lanes);
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
    // Lays out again from the latest props; kept in a cell for the listeners below.
    let redraw = {
        let (arcs, size, wrap) = (arcs.clone(), size.clone(), props.wrap.clone());
        let (document, selected, show_all) = (
            Rc::clone(&props.document),
            props.selected.clone(),
            props.show_all,
        );
        Rc::new(move || {
            let Some(wrap) = wrap.cast::<Element>() else {
                return;
            };
            let wanted = show_all
                || selected
                    .as_ref()
                    .is_some_and(|id| document.relations_of(id).next().is_some());
            if wanted {
                arcs.set(lay_out(&wrap, &document, selected.as_ref(), show_all));
            } else {
                arcs.set(Vec::new());
            }
            size.set((wrap.scroll_width(), wrap.scroll_height()));
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
                    let pending = Rc::new(std::cell::Cell::new(false));
                    // The frame asked for last; replaced (after it ran) by the next one.
                    let frame = std::cell::RefCell::new(None);
                    EventListener::new(&scroller, "scroll", move |_| {
                        if pending.replace(true) {
                            return;
                        }
                        let (latest, pending) = (Rc::clone(&latest), Rc::clone(&pending));
                        *frame.borrow_mut() =
                            Some(gloo::render::request_animation_frame(move |_| {
                                pending.set(false);
                                (latest.borrow())();
                            }));
                    })
                });
            move || drop((on_resize, on_scroll))
        });
    }
    if arcs.is_empty() {
        return Html::default();
    }
    let (width, height) = *size;
    let drawn = arcs.iter().map(|arc| {
        let class = classes!("arc", arc.selected.then_some("selected"), arc.in_margin.then_some("in-margin"));
        html! {
            <g class={class}>
                <path d={arc.path.clone()} marker-end="url(#arc-head)" />
                <text x={format!("{:.1}", arc.label_at.0)} y={format!("{:.1}", arc.label_at.1)}>{ arc.label.clone() }</text>
            </g>
        }
    });
    html! {
        <svg class="relation-arcs" aria-hidden="true" width={width.to_string()} height={height.to_string()}>
            <defs>
                <marker id="arc-head" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0 L8,4 L0,8 z" />
                </marker>
            </defs>
            { for drawn }
        </svg>
    }
}
