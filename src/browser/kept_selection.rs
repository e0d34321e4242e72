//! The person's text selection in the article, kept across a render another tab or the team
//! caused.
//!
//! Such a render may split or replace the text nodes the selection is in (a highlight added
//! in the same paragraph), and the browser then moves the selection: a label key pressed next
//! would tag text the person never selected. So just before such a change is handed to the
//! reducer, the selection is read in code points ([`across_external_change`]), and the
//! article's caret puts it back after the render ([`take`], in `hooks/use_article_caret.rs`),
//! where the same code points now lie.
//!
//! A drag is another matter: the browser extends it from where the press landed, which a
//! render can move under it. The team's changes, which come while people select, wait until
//! the press ends ([`after_drag`]).

use std::cell::{Cell, RefCell};

use annotator_core::model::CharOffset;
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use web_sys::Node;

use super::text_selection::boundary_offset;

thread_local! {
    /// `(anchor, focus)` of the selection read before the change being rendered.
    static KEPT: Cell<Option<(CharOffset, CharOffset)>> = const { Cell::new(None) };
    /// A press in the article has not ended yet.
    static DRAGGING: Cell<bool> = const { Cell::new(false) };
    /// What waits for the press to end.
    static WAITING: RefCell<Vec<Box<dyn FnOnce()>>> = const { RefCell::new(Vec::new()) };
    /// The window's listeners that end a press, made on the first one.
    static ENDS: RefCell<Vec<EventListener>> = const { RefCell::new(Vec::new()) };
}

/// A press (mouse, pen or finger) began in the article.
pub fn drag_started() {
    DRAGGING.with(|dragging| dragging.set(true));
    ENDS.with(|ends| {
        let mut ends = ends.borrow_mut();
        if !ends.is_empty() {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        // Wherever the press ends (outside the article, outside the window), or when the
        // window loses focus mid-press.
        for event in ["pointerup", "pointercancel", "blur"] {
            ends.push(EventListener::new(&window, event, |_| drag_ended()));
        }
    });
}

/// Runs `run` now, or when the press under way in the article ends.
pub fn after_drag(run: impl FnOnce() + 'static) {
    if DRAGGING.with(Cell::get) {
        WAITING.with(|waiting| waiting.borrow_mut().push(Box::new(run)));
    } else {
        run();
    }
}

fn drag_ended() {
    DRAGGING.with(|dragging| dragging.set(false));
    let waiting = WAITING.with(|waiting| std::mem::take(&mut *waiting.borrow_mut()));
    for run in waiting {
        run();
    }
}

/// Runs `dispatch` (of a change that did not come from this page's person) with the article's
/// text selection kept for the render it causes. Yew renders in a microtask after the dispatch,
/// before the next task (any input of the person's); what that render did not take is dropped
/// then, so it never applies to a later render.
pub fn across_external_change(dispatch: impl FnOnce()) {
    KEPT.with(|kept| kept.set(selection_in_article()));
    dispatch();
    Timeout::new(0, || KEPT.with(|kept| kept.set(None))).forget();
}

/// The selection kept for this render, once.
pub fn take() -> Option<(CharOffset, CharOffset)> {
    KEPT.with(Cell::take)
}

fn selection_in_article() -> Option<(CharOffset, CharOffset)> {
    let window = web_sys::window()?;
    let selection = window.get_selection().ok()??;
    if selection.range_count() == 0 || selection.is_collapsed() {
        return None;
    }
    let article = window
        .document()?
        .query_selector("article.article")
        .ok()??;
    let offset = |node: Option<Node>, at: u32| {
        node.filter(|n| article.contains(Some(n)))
            .and_then(|n| boundary_offset(&n, at))
    };
    Some((
        offset(selection.anchor_node(), selection.anchor_offset())?,
        offset(selection.focus_node(), selection.focus_offset())?,
    ))
}
