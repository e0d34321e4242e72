//! The article's keyboard caret: the keys that move it and select with it (the core's
//! `caret_keys` map), the caret drawn over the text, the DOM selection that mirrors it (so the
//! label keys tag it through the same path as a mouse selection), and what a screen reader
//! hears as it moves.
//!
//! The caret is kept in code points, never in DOM nodes: paragraphs are re-rendered as they
//! come into view, and a node-based caret would be lost with them.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent, Node};
use yew::prelude::*;

use crate::browser::announce::announce;
use crate::browser::article_point::{caret_rect, point_of, point_under};
use crate::browser::clock::now;
use crate::browser::intl_segmenter::BrowserSegmenter;
use crate::browser::kept_selection;
use crate::browser::text_selection::{boundary_offset, report_selection};
use crate::state::{Action, AppContext};
use annotator_core::model::caret::{Caret, Direction, Navigator, Unit};
use annotator_core::model::caret_keys::{caret_command, CaretCommand, Modifiers};
use annotator_core::model::excerpt::{quoted, shortened};
use annotator_core::model::word_snap::SnapRule;
use annotator_core::model::{AnnotationId, CharOffset, CharRange, Document, Paragraph};

/// Characters of text read out after a move.
const SPOKEN_CHARS: usize = 80;

/// The caret between renders.
#[derive(Default)]
struct CaretState {
    /// `None` until the article is first focused or clicked.
    caret: Option<Caret>,
    /// Space was pressed: moves grow the selection from the mark until Space again.
    marking: bool,
    /// The column Up and Down keep to, across lines of different lengths.
    goal_x: Option<f64>,
    /// The last change came from the keys: the DOM selection follows the caret (and is put
    /// back after a re-render replaced its nodes). A pointer press hands it to the mouse.
    keys_own_selection: bool,
    /// The annotations the caret is inside, to announce the ones it enters.
    inside: Vec<AnnotationId>,
    /// The selection is being made by a drag begun without Alt: it snaps to words. Any key
    /// (Alt pressed during the drag included) makes the rest of it exact.
    pointer_snaps: bool,
}

/// What the article element needs from the caret.
pub struct ArticleCaret {
    pub onkeydown: Callback<KeyboardEvent>,
    pub onfocus: Callback<FocusEvent>,
    pub onpointerdown: Callback<PointerEvent>,
}

/// Everything a key press needs, read at the time of the press.
#[derive(Clone)]
pub struct CaretInputs {
    pub article: NodeRef,
    /// The caret's own element, positioned over the article.
    pub mark: NodeRef,
    pub document: Rc<Document>,
    pub paragraphs: Rc<[Paragraph]>,
    pub per_chunk: usize,
    /// How a drag is shown before its label is picked (the schema's `preview_snap`).
    pub preview: SnapRule,
}

#[hook]
pub fn use_article_caret(inputs: CaretInputs, state: Option<AppContext>) -> ArticleCaret {
    let caret = use_mut_ref(CaretState::default);
    let segmenter = use_memo((), |_| BrowserSegmenter::new());
    let latest = use_mut_ref(|| inputs.clone());
    *latest.borrow_mut() = inputs.clone();

    // A mouse selection (or click) moves the caret there; a cleared selection (tagging,
    // Escape) leaves the caret where the selection ended. Every change is reported as the
    // pending selection, snapped to words when a drag made it.
    {
        let caret = Rc::clone(&caret);
        let latest = Rc::clone(&latest);
        let segmenter = Rc::clone(&segmenter);
        let dispatcher = state.as_ref().map(|s| s.dispatcher());
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .and_then(|w| w.document())
                .map(|document| {
                    EventListener::new(&document, "selectionchange", move |_| {
                        let inputs = latest.borrow();
                        follow_dom_selection(&caret, &inputs);
                        if let Some(dispatcher) = &dispatcher {
                            let snaps = caret.try_borrow().is_ok_and(|s| s.pointer_snaps);
                            report_selection(&inputs, snaps, &segmenter, dispatcher);
                        }
                    })
                });
            move || drop(listener)
        });
    }
    // After every render: the caret is drawn again (its text may have moved), and a selection is
    // put back if the render replaced its nodes: a keyboard one always, any one after a change
    // from elsewhere.
    {
        let caret = Rc::clone(&caret);
        let inputs = inputs.clone();
        use_effect(move || {
            // A render another tab or the team caused: the selection goes back where it was
            // in the text (the browser may have moved it with the nodes it was in).
            if let Some((anchor, focus)) = kept_selection::take() {
                mirror_selection(&inputs, Caret { anchor, focus });
            }
            let mut state = caret.borrow_mut();
            let Some(current) = state.caret else {
                return;
            };
            // Only while the article has focus: elsewhere (a row clicked in the list) a
            // selection put back would replace what the user just picked.
            if state.keys_own_selection && has_focus(&inputs.article) {
                match dom_selection_state() {
                    // Cleared since the keys made it (a label key tagged it): the caret stays
                    // where the selection ended.
                    DomSelection::Cleared => state.caret = Some(Caret::at(current.focus)),
                    DomSelection::Detached => mirror_selection(&inputs, current),
                    DomSelection::Live => {}
                }
            }
            let focus = state.caret.map_or(current.focus, |c| c.focus);
            drop(state);
            draw(&inputs, focus, false);
        });
    }

    // Callbacks are made on every render, so they hold this render's inputs.
    let onkeydown = {
        let caret = Rc::clone(&caret);
        let segmenter = Rc::clone(&segmenter);
        let inputs = inputs.clone();
        Callback::from(move |event: KeyboardEvent| {
            caret.borrow_mut().pointer_snaps = false;
            if event.is_composing() {
                return;
            }
            let held = Modifiers {
                shift: event.shift_key(),
                ctrl: event.ctrl_key(),
                alt: event.alt_key(),
                meta: event.meta_key(),
            };
            let key = event.key();
            let Some(command) = caret_command(&key, held) else {
                return;
            };
            // A label the schema put on `w` or `s` keeps its key.
            let label_key = state
                .as_ref()
                .is_some_and(|s| s.schema.label_for_key(&key).is_some());
            if label_key
                && matches!(
                    command,
                    CaretCommand::SelectWord | CaretCommand::SelectSentence
                )
            {
                return;
            }
            // While linking, the relation types' keys and Enter belong to the link.
            if state.as_ref().is_some_and(|s| s.linking.is_some())
                && !matches!(
                    command,
                    CaretCommand::Move { .. } | CaretCommand::Line { .. }
                )
            {
                return;
            }
            // Escape also clears the selected annotation (the global keys see it too).
            if command != CaretCommand::Collapse {
                event.prevent_default();
            }
            run(
                &inputs,
                &caret,
                &segmenter,
                command,
                state.as_ref().map(|s| s.dispatcher()),
            );
        })
    };

    let onfocus = {
        let caret = Rc::clone(&caret);
        let segmenter = Rc::clone(&segmenter);
        Callback::from(move |_: FocusEvent| {
            let mut state = caret.borrow_mut();
            let placed = match state.caret {
                Some(placed) => placed,
                None => {
                    let navigator =
                        Navigator::new(inputs.document.text(), &inputs.paragraphs, &*segmenter);
                    let at = first_visible_offset(&inputs)
                        .map_or_else(|| navigator.start(), |at| navigator.snap(at));
                    state.caret = Some(Caret::at(at));
                    Caret::at(at)
                }
            };
            drop(state);
            draw(&inputs, placed.focus, false);
        })
    };

    let onpointerdown = {
        let caret = Rc::clone(&caret);
        Callback::from(move |event: PointerEvent| {
            kept_selection::drag_started();
            let mut state = caret.borrow_mut();
            state.pointer_snaps = !event.alt_key();
            state.keys_own_selection = false;
            state.marking = false;
            state.goal_x = None;
        })
    };

    ArticleCaret {
        onkeydown,
        onfocus,
        onpointerdown,
    }
}

/// Carries out one caret command.
fn run(
    inputs: &CaretInputs,
    caret: &Rc<RefCell<CaretState>>,
    segmenter: &BrowserSegmenter,
    command: CaretCommand,
    dispatcher: Option<UseReducerDispatcher<crate::state::AppState>>,
) {
    let text = inputs.document.text();
    let navigator = Navigator::new(text, &inputs.paragraphs, segmenter);
    let mut state = caret.borrow_mut();
    let current = state.caret.unwrap_or_else(|| Caret::at(navigator.start()));
    let marking = state.marking;
    let mut spoken: Option<String> = None;
    let next = match command {
        CaretCommand::Move {
            unit,
            direction,
            extend,
        } => {
            state.goal_x = None;
            let to = navigator.step(current.focus, unit, direction);
            spoken = Some(moved_words(&navigator, inputs, current.focus, to, unit));
            current.moved_to(to, extend || marking)
        }
        CaretCommand::Line { direction, extend } => {
            let (to, x) = line_step(inputs, &navigator, current.focus, direction, state.goal_x);
            state.goal_x = x;
            spoken = Some(moved_words(
                &navigator,
                inputs,
                current.focus,
                to,
                Unit::LineEdge,
            ));
            current.moved_to(to, extend || marking)
        }
        CaretCommand::SelectWord => navigator.select_word(current),
        CaretCommand::SelectSentence => navigator.select_sentence(current),
        CaretCommand::Mark if marking => {
            state.marking = false;
            current
        }
        CaretCommand::Mark => {
            state.marking = true;
            spoken = Some("Start marked. Move to where the span ends and press Space.".into());
            Caret::at(current.focus)
        }
        CaretCommand::SelectAnnotation => {
            let chain = annotations_at(&inputs.document, current.focus);
            if chain.is_empty() {
                spoken = Some("No annotation here.".into());
            } else if let Some(dispatcher) = &dispatcher {
                dispatcher.dispatch(Action::ClickHighlight { chain, now: now() });
            }
            current
        }
        CaretCommand::Collapse => {
            state.marking = false;
            Caret::at(current.focus)
        }
    };
    state.caret = Some(next);
    state.keys_own_selection = true;
    // The annotations just entered are named before the text moved over.
    let inside = annotations_at(&inputs.document, next.focus);
    let entered: Vec<String> = inside
        .iter()
        .filter(|id| !state.inside.contains(id))
        .filter_map(|id| inputs.document.annotation(id))
        .map(|a| {
            format!(
                "In {} {}.",
                a.label.display_name(),
                quoted(&excerpt(text.slice(a.range).unwrap_or_default()))
            )
        })
        .collect();
    state.inside = inside;
    drop(state);

    mirror_selection(inputs, next);
    draw(inputs, next.focus, true);
    let selection = next.selection().filter(|_| {
        !matches!(
            command,
            CaretCommand::SelectAnnotation | CaretCommand::Collapse
        )
    });
    let words = match selection {
        Some(range) => Some(format!(
            "Selected {} ({} characters).",
            quoted(&excerpt(text.slice(range).unwrap_or_default())),
            range.len()
        )),
        None => spoken,
    };
    let message: Vec<String> = entered.into_iter().chain(words).collect();
    if !message.is_empty() {
        announce(&message.join(" "));
    }
}

/// At most [`SPOKEN_CHARS`] of `text`, on one line.
fn excerpt(text: &str) -> String {
    shortened(text, SPOKEN_CHARS).replace('\n', " ")
}

/// What a screen reader says after a move: the character, word or sentence arrived at, or the
/// line from the caret on.
fn moved_words(
    navigator: &Navigator<'_, BrowserSegmenter>,
    inputs: &CaretInputs,
    from: CharOffset,
    to: CharOffset,
    unit: Unit,
) -> String {
    let text = inputs.document.text();
    if from == to {
        return if to == navigator.end() {
            "End of the article.".into()
        } else if to == navigator.start() {
            "Start of the article.".into()
        } else {
            String::new()
        };
    }
    let span = |range: Option<CharRange>| {
        range
            .and_then(|r| text.slice(r))
            .map(excerpt)
            .unwrap_or_default()
    };
    match unit {
        Unit::Character => {
            let passed = text
                .slice(CharRange::spanning(from, to))
                .unwrap_or_default();
            if passed.contains('\n') {
                "line break".into()
            } else if passed.trim().is_empty() {
                "space".into()
            } else {
                passed.to_owned()
            }
        }
        Unit::Word => span(navigator.word_at(to)),
        Unit::Sentence => span(navigator.sentence_at(to)),
        Unit::Paragraph | Unit::LineEdge | Unit::Article => {
            let end = navigator.step(to, Unit::LineEdge, Direction::Forward);
            let rest = span(Some(CharRange::spanning(to, end)));
            if rest.is_empty() {
                "End of the line.".into()
            } else {
                rest
            }
        }
    }
}

/// The annotations whose span holds `at` (or ends right at it, when none holds it),
/// innermost first: what Enter selects, in the order repeated presses walk outward.
fn annotations_at(document: &Document, at: CharOffset) -> Vec<AnnotationId> {
    let holding = |inclusive_end: bool| {
        let mut found: Vec<(usize, AnnotationId)> = document
            .annotations()
            .iter()
            .filter(|a| {
                a.range.start() <= at
                    && (at < a.range.end() || inclusive_end && at == a.range.end())
            })
            .map(|a| (a.range.len(), a.id.clone()))
            .collect();
        found.sort_by_key(|(len, _)| *len);
        found.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
    };
    let inside = holding(false);
    if inside.is_empty() {
        holding(true)
    } else {
        inside
    }
}

fn has_focus(article: &NodeRef) -> bool {
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    match (active, article.cast::<Element>()) {
        (Some(active), Some(article)) => active.is_same_node(Some(&article)),
        _ => false,
    }
}

fn dom_point(inputs: &CaretInputs, at: CharOffset) -> Option<(Node, u32)> {
    let article = inputs.article.cast::<Element>()?;
    point_of(&article, &inputs.paragraphs, inputs.per_chunk, at)
}

/// What became of the DOM selection since the keys last set it.
enum DomSelection {
    Cleared,
    /// A render replaced the text nodes it was in.
    Detached,
    Live,
}

fn dom_selection_state() -> DomSelection {
    let Some(selection) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) else {
        return DomSelection::Cleared;
    };
    if selection.range_count() == 0 {
        return DomSelection::Cleared;
    }
    let connected = |node: Option<Node>| node.is_some_and(|n| n.is_connected());
    if connected(selection.anchor_node()) && connected(selection.focus_node()) {
        DomSelection::Live
    } else {
        DomSelection::Detached
    }
}

/// Makes the DOM selection the caret's: the label keys then tag it like a mouse selection.
fn mirror_selection(inputs: &CaretInputs, caret: Caret) {
    let Some(selection) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) else {
        return;
    };
    let (Some(anchor), Some(focus)) = (
        dom_point(inputs, caret.anchor),
        dom_point(inputs, caret.focus),
    ) else {
        return;
    };
    let same = |node: Option<Node>, offset: u32, point: &(Node, u32)| {
        node.is_some_and(|n| n.is_same_node(Some(&point.0))) && offset == point.1
    };
    if same(selection.anchor_node(), selection.anchor_offset(), &anchor)
        && same(selection.focus_node(), selection.focus_offset(), &focus)
    {
        return;
    }
    let _ = selection.set_base_and_extent(&anchor.0, anchor.1, &focus.0, focus.1);
}

/// A caret drawing waiting for the next frame.
struct PendingDraw {
    inputs: CaretInputs,
    at: CharOffset,
    scroll: bool,
}

thread_local! {
    /// The caret drawing waiting for the next frame; a newer one replaces it. A frame is
    /// requested whenever this is set.
    static PENDING_DRAW: RefCell<Option<PendingDraw>> = const { RefCell::new(None) };
    /// The frame's callback, made once: the caret is drawn again after every render of the
    /// article, and a fresh closure (and a cancelled frame) per render was part of each edit.
    static DRAW_IN_FRAME: js_sys::Function = Closure::<dyn Fn()>::new(|| {
        if let Some(pending) = PENDING_DRAW.with(|p| p.borrow_mut().take()) {
            draw_now(&pending.inputs, pending.at, pending.scroll);
        }
    })
    .into_js_value()
    .unchecked_into();
}

/// Places the caret's element at `at` in the next frame; `scroll` brings it into view. Measuring
/// text in the key's own handler would force the browser to lay the edited article out before
/// the script ends (milliseconds on a 1 MB article); in the frame, that layout is due anyway.
fn draw(inputs: &CaretInputs, at: CharOffset, scroll: bool) {
    // Only shown while the article has focus (styles/caret.css).
    if !has_focus(&inputs.article) {
        return;
    }
    let next = PendingDraw {
        inputs: inputs.clone(),
        at,
        scroll,
    };
    let requested = PENDING_DRAW.with(|p| p.borrow_mut().replace(next).is_some());
    if !requested {
        if let Some(window) = web_sys::window() {
            DRAW_IN_FRAME.with(|callback| {
                let _ = window.request_animation_frame(callback);
            });
        }
    }
}

fn draw_now(inputs: &CaretInputs, at: CharOffset, scroll: bool) {
    let Some(mark) = inputs.mark.cast::<HtmlElement>() else {
        return;
    };
    let Some(parent) = mark.parent_element() else {
        return;
    };
    let Some((x, y, height)) =
        dom_point(inputs, at).and_then(|(node, utf16)| caret_rect(&node, utf16))
    else {
        let _ = mark.style().set_property("visibility", "hidden");
        return;
    };
    let origin = parent.get_bounding_client_rect();
    let style = mark.style();
    let _ = style.set_property("visibility", "visible");
    let _ = style.set_property(
        "transform",
        &format!("translate({}px, {}px)", x - origin.left(), y - origin.top()),
    );
    let _ = style.set_property("height", &format!("{height}px"));
    if scroll {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        mark.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

/// One visual line up or down from `from`: the text under the point a line above or below the
/// caret, at the column kept from the last vertical move. Falls back to a paragraph step where
/// the browser cannot say what is under a point. Returns the column to keep.
fn line_step(
    inputs: &CaretInputs,
    navigator: &Navigator<'_, BrowserSegmenter>,
    from: CharOffset,
    direction: Direction,
    goal_x: Option<f64>,
) -> (CharOffset, Option<f64>) {
    let fallback = || (navigator.step(from, Unit::Paragraph, direction), None);
    let Some(article) = inputs.article.cast::<Element>() else {
        return fallback();
    };
    let Some((x, y, height)) =
        dom_point(inputs, from).and_then(|(node, utf16)| caret_rect(&node, utf16))
    else {
        return fallback();
    };
    let column = goal_x.unwrap_or(x);
    let viewport = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    let mut target = match direction {
        Direction::Forward => y + height * 1.5,
        Direction::Backward => y - height * 0.5,
    };
    // The line must be on screen for the browser to find text under it.
    if target < 0.0 || target > viewport {
        let by = if target < 0.0 {
            target - height
        } else {
            target - viewport + height
        };
        if let Some(window) = web_sys::window() {
            window.scroll_by_with_x_and_y(0.0, by);
        }
        target -= by;
    }
    let found = point_under(column, target)
        .filter(|(node, _)| article.contains(Some(node)))
        .and_then(|(node, offset)| boundary_offset(&node, offset))
        .map(|at| navigator.snap(at));
    match found {
        Some(to) if to != from => (to, Some(column)),
        // On the first or last line: to its edge, as text fields do.
        _ => (
            navigator.step(from, Unit::LineEdge, direction),
            Some(column),
        ),
    }
}

/// The first text in view, where a caret that was never placed starts (rather than scrolling
/// back to the top of a long article).
fn first_visible_offset(inputs: &CaretInputs) -> Option<CharOffset> {
    let article = inputs.article.cast::<Element>()?;
    let rect = article.get_bounding_client_rect();
    if rect.top() >= 0.0 {
        return None;
    }
    let (node, offset) = point_under(rect.left() + 4.0, 8.0)?;
    article
        .contains(Some(&node))
        .then(|| boundary_offset(&node, offset))
        .flatten()
}

/// A selection the user made (mouse, touch) moves the caret to it; a selection cleared by
/// tagging or Escape leaves the caret at its focus. A selection the keys made is left alone.
fn follow_dom_selection(caret: &Rc<RefCell<CaretState>>, inputs: &CaretInputs) {
    let Some(selection) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) else {
        return;
    };
    let Ok(mut state) = caret.try_borrow_mut() else {
        return;
    };
    if selection.range_count() == 0 {
        if let Some(current) = state.caret {
            state.caret = Some(Caret::at(current.focus));
            state.marking = false;
        }
        return;
    }
    if state.keys_own_selection {
        return;
    }
    let Some(article) = inputs.article.cast::<Element>() else {
        return;
    };
    let offset_of = |node: Option<Node>, offset: u32| {
        node.filter(|n| article.contains(Some(n)))
            .and_then(|n| boundary_offset(&n, offset))
    };
    let (Some(anchor), Some(focus)) = (
        offset_of(selection.anchor_node(), selection.anchor_offset()),
        offset_of(selection.focus_node(), selection.focus_offset()),
    ) else {
        return;
    };
    state.caret = Some(Caret { anchor, focus });
    state.goal_x = None;
    drop(state);
    draw(inputs, focus, false);
}
