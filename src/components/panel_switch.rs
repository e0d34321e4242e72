//! "Annotations (N)" and "Back to article": on a narrow screen the side panel sits below the
//! article, so these take the reader from the text to the list in one tap, and back to the same
//! place in the text. Where the panel is beside the article, styles/responsive.css hides both.

use std::cell::Cell;
use std::rc::Rc;

use web_sys::HtmlElement;
use yew::prelude::*;

use crate::state::AppContext;

/// Where the reader was in the article when they jumped to the list (the window's scroll
/// position), shared by the two buttons.
#[derive(Clone, Default)]
pub struct ReadingPlace(Rc<Cell<Option<f64>>>);

impl PartialEq for ReadingPlace {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Which way the button goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum PanelSide {
    Annotations,
    Article,
}

pub struct PanelSwitchProps {
    pub to: PanelSide,
    pub place: ReadingPlace,
}

const TO_ANNOTATIONS_ID: &str = "to-annotations";
const TO_ARTICLE_ID: &str = "to-article";

fn element(id: &str) -> Option<HtmlElement> {
    use wasm_bindgen::JsCast;
    web_sys::window()?
        .document()?
        .get_element_by_id(id)?
        .dyn_into()
        .ok()
}

/// Focus first, then scroll: focusing only scrolls as far as needed, the explicit scroll puts
/// the place where the reader wants it.
fn go_to_annotations(place: &ReadingPlace) {
    let Some(window) = web_sys::window() else {
        return;
    };
    place.0.set(window.scroll_y().ok());
    if let Some(back) = element(TO_ARTICLE_ID) {
        let _ = back.focus();
        back.scroll_into_view_with_bool(true);
    }
}

fn go_to_article(place: &ReadingPlace) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(jump) = element(TO_ANNOTATIONS_ID) {
        let _ = jump.focus();
    }
    match place.0.take() {
        Some(y) => window.scroll_to_with_x_and_y(0.0, y),
        // The reader scrolled down to the list on their own: back to the top of the article.
        None => {
            let workspace = window
                .document()
                .and_then(|d| d.query_selector(".workspace").ok().flatten());
            if let Some(workspace) = workspace {
                workspace.scroll_into_view_with_bool(true);
            }
        }
    }
}

/// Called by the root with its state (a plain function: no state of its own to keep).
pub fn panel_switch(state: &AppContext, props: &PanelSwitchProps) -> Html {
    let onclick = {
        let (to, place) = (props.to, props.place.clone());
        Callback::from(move |_: MouseEvent| match to {
            PanelSide::Annotations => go_to_annotations(&place),
            PanelSide::Article => go_to_article(&place),
        })
    };
    match props.to {
        PanelSide::Annotations => {
            let count = state
                .active_document()
                .map_or(0, |open| open.document.annotations().len());
            html! {
                <button id={TO_ANNOTATIONS_ID} class="panel-switch to-annotations" onclick={onclick}>
                    { format!("Annotations ({count})") }
                </button>
            }
        }
        PanelSide::Article => html! {
            <div class="panel-return">
                <button id={TO_ARTICLE_ID} class="panel-switch to-article" onclick={onclick}>
                    { "Back to article" }
                </button>
            </div>
        },
    }
}
