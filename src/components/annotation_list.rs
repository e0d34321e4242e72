//! The side panel: counts per label and every annotation in text order. Clicking a row scrolls to
//! its highlight and flashes it; focusing a row selects it, which shows its label in the text.

use std::rc::Rc;

use yew::prelude::*;

use super::annotation_rows::AnnotationRows;
use super::article_view::SameDocument;
use crate::state::AppState;
use annotator_core::model::AnnotationId;

/// Narrow props: the list renders again when the document or the selected annotation changes,
/// not on every state change (a text selection in the article, a save status).
#[derive(Properties, PartialEq)]
pub struct AnnotationListProps {
    pub document: SameDocument,
    pub selected: Option<AnnotationId>,
    pub dispatcher: UseReducerDispatcher<AppState>,
}

#[component]
pub fn AnnotationList(props: &AnnotationListProps) -> Html {
    let document = Rc::clone(&props.document.0);
    // Counting walks every annotation: once per document version, not per selection.
    let counts = use_memo(props.document.clone(), |document| document.0.counts());
    let counts = counts.iter().map(|(label, count)| {
        html! {
            <li class={format!("count count-{}", label.style_class())}>
                <span class={classes!("tag", format!("tag-{}", label.style_class()))}>{ label.display_name() }</span>
                <span class="count-number">{ *count }</span>
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
                <AnnotationRows document={SameDocument(document)} selected={props.selected.clone()}
                    dispatcher={props.dispatcher.clone()} />
            }
        </aside>
    }
}
