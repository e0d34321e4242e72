//! The find bar, held at the bottom of the screen under the article (above the suggestions'
//! review): the query, how it matches, which match of how many, and what to do with them. The
//! matches are drawn over the text as CSS highlights (never as elements), the current one
//! apart, and brought into view as the user walks them.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::state::{self, Find};
use crate::browser::css_highlight;
use crate::suggestion_review::near_view::{bring_into_view, use_drawn_over, Drawn};
use crate::suggestion_review::session;
use annotator_core::model::excerpt::{quoted, shortened};
use annotator_core::model::search::SearchOptions;
use annotator_core::model::suggestions::{Suggester, Suggestion};
use annotator_core::model::{ArticleText, CharRange, Label, Paragraph};

/// The CSS highlights (styles/dialogs.css): every match near the screen, and the current one.
const MATCH: &str = "find-match";
const CURRENT: &str = "find-current";

#[derive(Properties, Clone, PartialEq)]
pub struct FindBarProps {
    pub find: Find,
    pub text: ArticleText,
    pub paragraphs: Rc<[Paragraph]>,
    /// The page's article element, whose text the matches are drawn over.
    pub article: Element,
}

impl FindBarProps {
    fn drawn(&self) -> Drawn<'_> {
        Drawn {
            article: &self.article,
            paragraphs: &self.paragraphs,
        }
    }

    fn current(&self) -> Option<CharRange> {
        self.find.matches.get(self.find.current).copied()
    }

    fn draw(&self) {
        let drawn = self.drawn();
        let near = drawn.chunks_near_view();
        let current = self.current();
        css_highlight::show(
            MATCH,
            self.find
                .matches
                .iter()
                .filter(|&&m| Some(m) != current && near.contains(&drawn.chunk_of(m)))
                .filter_map(|&m| drawn.range_of(m)),
        );
        css_highlight::show(CURRENT, current.and_then(|m| drawn.range_of(m)));
    }
}

/// Frames the current match is followed for at most, and frames it must stay on screen.
const FOLLOW_FRAMES: u32 = 120;
const STABLE_FRAMES: u32 = 12;

/// One frame of following the current match (see the bar's effect).
fn follow(
    latest: Rc<RefCell<FindBarProps>>,
    holder: Rc<RefCell<Option<AnimationFrame>>>,
    frames_left: u32,
    stable: u32,
) {
    let stable = {
        let props = latest.borrow();
        let drawn = props.drawn();
        match props.current() {
            Some(m) if !drawn.on_screen(m) => {
                if let Some(range) = drawn.range_of(m) {
                    bring_into_view(&range);
                }
                0
            }
            Some(_) => stable + 1,
            None => STABLE_FRAMES,
        }
    };
    if frames_left > 0 && stable < STABLE_FRAMES {
        let next = Rc::clone(&holder);
        let frame = request_animation_frame(move |_| follow(latest, next, frames_left - 1, stable));
        *holder.borrow_mut() = Some(frame);
    } else {
        holder.borrow_mut().take();
    }
}

pub fn clear_highlights() {
    css_highlight::clear(MATCH);
    css_highlight::clear(CURRENT);
}

/// Changes the bar, searches again if need be, and draws it.
fn change(text: &ArticleText, change: impl FnOnce(&mut Find)) {
    state::update(text, change);
    session::redraw();
}

fn step(forward: bool) {
    state::step(forward);
    session::redraw();
}

/// Closes the bar and puts the browser's selection on the current match, with focus in the
/// article: its label keys then tag it, as they tag a span selected by hand.
fn close(props: &FindBarProps) {
    if let Some(range) = props.current().and_then(|m| props.drawn().range_of(m)) {
        if let Some(selection) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) {
            let _ = selection.remove_all_ranges();
            let _ = selection.add_range(&range);
        }
    }
    if let Some(article) = props.article.dyn_ref::<HtmlElement>() {
        let _ = article.focus();
    }
    state::close();
    session::redraw();
}

/// Which of the options a checkbox sets.
type Pick = fn(&mut SearchOptions) -> &mut bool;

fn count_words(find: &Find) -> String {
    match find.matches.len() {
        _ if find.query.trim().is_empty() => "Type to find in the article.".to_owned(),
        0 => "No matches.".to_owned(),
        n => format!(
            "{} of {n} match{}",
            find.current + 1,
            if n == 1 { "" } else { "es" }
        ),
    }
}

#[component]
pub fn FindBar(props: &FindBarProps) -> Html {
    let field = use_node_ref();
    // On a phone the options fold away behind a button (styles/dialogs.css): the bar would
    // otherwise cover half the article.
    let options_open = use_state_eq(|| false);
    // Searched once when the bar opens or the text it was given changed; each keystroke and
    // option searches again in its own handler.
    {
        let text = props.text.clone();
        use_effect_with(text.clone(), move |_| state::update(&text, |_| {}));
    }
    let latest = use_drawn_over(props, &props.article, FindBarProps::draw, clear_highlights);
    // The current match is brought into view when it changes, and followed frame by frame
    // until it has stayed on screen a while: the chunks that come near render their
    // annotations after the scroll, and the text moves under it (more so on a busy machine).
    let following = use_mut_ref(|| None::<AnimationFrame>);
    {
        let (latest, following) = (latest.clone(), Rc::clone(&following));
        use_effect_with(props.current(), move |current| {
            if current.is_some() {
                follow(latest, following, FOLLOW_FRAMES, 0);
            }
        });
    }
    // The field takes focus when the bar opens, and again when it is asked for (Ctrl+F).
    {
        let field = field.clone();
        use_effect_with(props.find.summoned, move |_| {
            if let Some(field) = field.cast::<HtmlInputElement>() {
                let options = web_sys::FocusOptions::new();
                options.set_prevent_scroll(true);
                let _ = field.focus_with_options(&options);
                field.select();
            }
        });
    }

    let find = &props.find;
    let text = &props.text;
    let oninput = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(field) = event.target_dyn_into::<HtmlInputElement>() {
                let query = field.value();
                change(&text, |find| find.query = query);
            }
        })
    };
    let option = |pick: Pick| {
        let text = text.clone();
        Callback::from(move |event: Event| {
            if let Some(checkbox) = event.target_dyn_into::<HtmlInputElement>() {
                let on = checkbox.checked();
                change(&text, |find| *pick(&mut find.options) = on);
            }
        })
    };
    let onlabel = {
        let (text, labels) = (text.clone(), Rc::clone(&find.labels));
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                if let Some(label) = labels.iter().find(|l| l.as_str() == select.value()) {
                    let label = label.clone();
                    change(&text, |find| find.label = label);
                }
            }
        })
    };
    let tag = {
        let props = props.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(range) = props.current() {
                let label = props.find.label.clone();
                session::accept(
                    &props.find.id,
                    &[Suggestion::new(range, label, Suggester::Search)],
                );
                step(true);
            }
        })
    };
    let suggest = {
        let props = props.clone();
        Callback::from(move |_: MouseEvent| {
            let label = props.find.label.clone();
            let found = props
                .find
                .matches
                .iter()
                .map(|&m| Suggestion::new(m, label.clone(), Suggester::Search))
                .collect();
            state::close();
            // The review bar appears with them and takes focus.
            session::add_to(&props.find.id, found);
        })
    };
    let onkeydown = {
        let props = props.clone();
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "Enter" if !event.ctrl_key() && !event.meta_key() && !event.alt_key() => {
                // Only from the field: Enter on a button presses it.
                let in_field = event
                    .target_dyn_into::<HtmlInputElement>()
                    .is_some_and(|input| input.type_() == "search");
                if in_field {
                    event.prevent_default();
                    step(!event.shift_key());
                }
            }
            "Escape" => {
                event.prevent_default();
                close(&props);
            }
            _ => {}
        })
    };
    let onclose = {
        let props = props.clone();
        Callback::from(move |_: MouseEvent| close(&props))
    };
    let toggle_options = {
        let open = options_open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let previous = Callback::from(|_: MouseEvent| step(false));
    let next = Callback::from(|_: MouseEvent| step(true));

    let count = find.matches.len();
    let current_words = props
        .current()
        .and_then(|m| text.slice(m))
        .map(|words| quoted(&shortened(words, 40)));
    let label_name = find.label.display_name();
    let checkbox = |name: &str, on: bool, pick: Pick| {
        html! {
            <label class="find-option">
                <input type="checkbox" checked={on} onchange={option(pick)} />{ name.to_owned() }
            </label>
        }
    };
    html! {
        <section class="find-bar" role="search" aria-label="Find in the article" onkeydown={onkeydown}>
            <label class="find-field">
                <span class="visually-hidden">{ "Find in the article" }</span>
                <input ref={field} type="search" placeholder="Find in the article" autocomplete="off"
                    spellcheck="false" aria-describedby="find-count" aria-keyshortcuts="Enter Shift+Enter"
                    oninput={oninput} value={find.query.clone()} />
            </label>
            <p id="find-count" class="find-count" aria-live="polite">
                { count_words(find) }
                if let Some(words) = current_words {
                    <span class="find-words">{ format!(": {words}") }</span>
                }
            </p>
            <div class="find-buttons">
                <button aria-keyshortcuts="Shift+Enter" disabled={count == 0} onclick={previous}>{ "Previous" }</button>
                <button aria-keyshortcuts="Enter" disabled={count == 0} onclick={next}>{ "Next" }</button>
            </div>
            <fieldset id="find-options" class={classes!("find-options", options_open.then_some("open"))}>
                <legend class="visually-hidden">{ "How the text matches" }</legend>
                { checkbox("Match case", find.options.match_case, |o| &mut o.match_case) }
                { checkbox("Match accents", find.options.match_accents, |o| &mut o.match_accents) }
                { checkbox("Whole words", find.options.whole_words, |o| &mut o.whole_words) }
            </fieldset>
            <div class="find-tagging">
                <button class="find-options-toggle" aria-expanded={options_open.to_string()}
                    aria-controls="find-options" onclick={toggle_options}>{ "Options" }</button>
                <label class="find-label">{ "Label " }
                    <select onchange={onlabel}>
                        { for find.labels.iter().map(|l: &Label| html! {
                            <option value={l.as_str().to_owned()} selected={*l == find.label}>{ l.display_name() }</option>
                        }) }
                    </select>
                </label>
                <button disabled={count == 0} onclick={tag}>{ format!("Tag as {label_name}") }</button>
                <button disabled={count == 0} onclick={suggest}
                    title="Turns every match into a suggestion, to accept or reject one by one">
                    { format!("Suggest all {count}") }
                </button>
            </div>
            <button class="find-close" aria-keyshortcuts="Escape" onclick={onclose}>
                { "Close" }<kbd aria-hidden="true">{ "Esc" }</kbd>
            </button>
        </section>
    }
}
