//! The side panel: counts per label and every annotation in text order. Clicking a row scrolls to
//! its highlight and flashes it; focusing a row selects it, which shows its label in the text.

use std::rc::Rc;

use yew::prelude::*;

use super::annotation_rows::AnnotationRows;
use super::article_view::SameDocument;
use crate::state::AppContext;

#[component]
pub fn AnnotationList() -> Html {
    let Some(state) = use_context::<AppContext>() else {
        return Html::default();
    };
    let Some(document) = state
        .active_document()
        .map(|open| Rc::clone(&open.document))
    else {
        return Html::default();
    };
    let counts = document.counts().into_iter().map(|(label, count)| {
        html! {
            <li class={format!("count count-{}", label.style_class())}>
                <span class={classes!("tag", format!("tag-{}", label.style_class()))}>{ label.display_name() }</span>
                <span class="count-number">{ count }</span>
            </li>
        }
    });
    let total = document.annotations().len();
    html! {
        <aside class="annotations" aria-label="Annotations">
            <h2>{ format!("Annotations ({total})") }</h2>
            <ul class="counts" aria-label="Counts per label">{ for counts }</ul>
            if total == 0 {
                <p class="empty">{ "No annotations yet. Select text in the article and press Q, E or C." }</p>
            } else {
                <AnnotationRows document={SameDocument(document)} selected={state.selected.clone()}
                    dispatcher={state.dispatcher()} />
            }
        </aside>
    }
}
