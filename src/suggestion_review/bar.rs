//! The review bar under the open article: which suggestion is under review and why, and the
//! keys and buttons that accept, reject and walk them. It draws the suggestions over the text
//! as CSS highlights after each render, and brings the one under review into view.

use std::rc::Rc;

use web_sys::{Element, HtmlElement, Range};
use yew::prelude::*;

use super::near_view::{bring_into_view, use_drawn_over, Drawn};
use super::session;
use crate::browser::css_highlight;
use annotator_core::model::excerpt::{quoted, shortened};
use annotator_core::model::suggestions::{Suggestion, Suggestions};
use annotator_core::model::{ArticleText, CharRange, Paragraph};

/// The CSS highlights (styles/suggestions.css): every suggestion, and the one under review.
const SUGGESTED: &str = "suggestion";
const CURRENT: &str = "suggestion-current";

#[derive(Properties, Clone)]
pub struct ReviewBarProps {
    pub list: Rc<Suggestions>,
    pub text: ArticleText,
    pub paragraphs: Rc<[Paragraph]>,
    /// The page's article element, whose text the suggestions are drawn over.
    pub article: Element,
}

impl PartialEq for ReviewBarProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.list, &other.list) && self.article == other.article
    }
}

impl ReviewBarProps {
    fn drawn(&self) -> Drawn<'_> {
        Drawn {
            article: &self.article,
            paragraphs: &self.paragraphs,
        }
    }

    fn range_of(&self, span: CharRange) -> Option<Range> {
        self.drawn().range_of(span)
    }

    /// The suggestions on screen now, as the code points from the first one's start to the last
    /// one's end (those between them are on screen too: text order is reading order).
    fn in_view(&self) -> Option<CharRange> {
        let drawn = self.drawn();
        let near = drawn.chunks_near_view();
        let on_screen =
            |s: &&Suggestion| near.contains(&drawn.chunk_of(s.range)) && drawn.on_screen(s.range);
        let items = self.list.items();
        let first = items.iter().find(on_screen)?;
        let last = items.iter().rev().find(on_screen)?;
        CharRange::new(first.range.start(), last.range.end()).ok()
    }

    /// Draws the suggestions near the screen, and the one under review apart. Only those: a
    /// range over the text costs a walk of the DOM, and thousands (Tag all on a long article)
    /// would take a tenth of a second; scrolling draws the others as they come near.
    fn draw(&self) {
        let drawn = self.drawn();
        let near = drawn.chunks_near_view();
        let current = self.list.current().map(|s| s.range);
        css_highlight::show(
            SUGGESTED,
            self.list
                .items()
                .iter()
                .filter(|s| Some(s.range) != current && near.contains(&drawn.chunk_of(s.range)))
                .filter_map(|s| drawn.range_of(s.range)),
        );
        css_highlight::show(CURRENT, current.and_then(|span| drawn.range_of(span)));
    }
}

pub fn clear_highlights() {
    css_highlight::clear(SUGGESTED);
    css_highlight::clear(CURRENT);
}

#[component]
pub fn ReviewBar(props: &ReviewBarProps) -> Html {
    let accept_ref = use_node_ref();
    use_drawn_over(props, &props.article, ReviewBarProps::draw, || {});
    // The one under review is brought into view when it changes.
    {
        let props = props.clone();
        let current = props.list.current().map(|s| s.range);
        use_effect_with(current, move |current| {
            if let Some(range) = current.and_then(|span| props.range_of(span)) {
                bring_into_view(&range);
            }
        });
    }
    // Reviewing starts on the bar's first button, so Enter, Delete, N and P work at once.
    {
        let accept_ref = accept_ref.clone();
        use_effect_with((), move |_| {
            if let Some(button) = accept_ref.cast::<HtmlElement>() {
                // Not scrolled to: the bar is held on screen, and the suggestion under review
                // is what the view goes to.
                let options = web_sys::FocusOptions::new();
                options.set_prevent_scroll(true);
                let _ = button.focus_with_options(&options);
            }
        });
    }

    let review = |change: fn(&mut Suggestions) -> Vec<Suggestion>| {
        Callback::from(move |_: MouseEvent| session::review(change))
    };
    let accept_in_view = {
        let props = props.clone();
        Callback::from(move |_: MouseEvent| {
            let within = props.in_view();
            session::review(|list| within.map(|w| list.take_within(w)).unwrap_or_default());
        })
    };
    let on_key = Callback::from(move |event: KeyboardEvent| {
        if event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        let change: fn(&mut Suggestions) -> Vec<Suggestion> = match event.key().as_str() {
            "Enter" => accept_current,
            "Delete" | "Backspace" => reject_current,
            "n" | "N" => next,
            "p" | "P" => previous,
            _ => return,
        };
        event.prevent_default();
        session::review(change);
    });

    let list = &props.list;
    let status = list.current().map(|current| {
        let text = props.text.slice(current.range).unwrap_or_default();
        format!(
            "{} of {}: {} {} — {}",
            list.position() + 1,
            list.len(),
            current.label.display_name(),
            quoted(&shortened(text, 60)),
            current.by.describe()
        )
    });
    html! {
        <section class="suggestion-bar" aria-label="Suggestions" onkeydown={on_key}>
            <h2 class="suggestion-title">{ "Suggestion" }</h2>
            <p class="suggestion-status" aria-live="polite">{ status }</p>
            <div class="suggestion-buttons">
                <button ref={accept_ref} aria-keyshortcuts="Enter" onclick={review(accept_current)}>
                    { "Accept" }<kbd aria-hidden="true">{ "Enter" }</kbd>
                </button>
                <button aria-keyshortcuts="Delete" onclick={review(reject_current)}>
                    { "Reject" }<kbd aria-hidden="true">{ "Del" }</kbd>
                </button>
                <button aria-keyshortcuts="P" onclick={review(previous)}>
                    { "Previous" }<kbd aria-hidden="true">{ "P" }</kbd>
                </button>
                <button aria-keyshortcuts="N" onclick={review(next)}>
                    { "Next" }<kbd aria-hidden="true">{ "N" }</kbd>
                </button>
                <button onclick={accept_in_view}
                    title="Accepts the suggestions you can see now, and only those">
                    { "Accept all in view" }
                </button>
                <button onclick={review(dismiss_all)}>{ "Dismiss all" }</button>
            </div>
        </section>
    }
}

fn accept_current(list: &mut Suggestions) -> Vec<Suggestion> {
    list.take_current().into_iter().collect()
}

fn reject_current(list: &mut Suggestions) -> Vec<Suggestion> {
    list.take_current();
    Vec::new()
}

fn next(list: &mut Suggestions) -> Vec<Suggestion> {
    list.step(true);
    Vec::new()
}

fn previous(list: &mut Suggestions) -> Vec<Suggestion> {
    list.step(false);
    Vec::new()
}

fn dismiss_all(list: &mut Suggestions) -> Vec<Suggestion> {
    *list = Suggestions::default();
    Vec::new()
}
