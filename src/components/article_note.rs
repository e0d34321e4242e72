//! The article's own note ("checked against the ministry transcript"), shown in the side panel
//! while no annotation is selected. Saved when the field loses focus, as one undoable edit.

use std::rc::Rc;

use yew::prelude::*;

use crate::browser::clock::now;
use crate::state::{Action, AppState};
use annotator_core::model::Document;

pub struct ArticleNoteProps {
    pub document: Rc<Document>,
    pub dispatcher: UseReducerDispatcher<AppState>,
}

pub fn article_note(props: &ArticleNoteProps) -> Html {
    let onchange = {
        let dispatcher = props.dispatcher.clone();
        Callback::from(move |event: Event| {
            if let Some(area) = event.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                dispatcher.dispatch(Action::SetNote {
                    id: None,
                    note: area.value(),
                    now: now(),
                });
            }
        })
    };
    html! {
        <div class="field article-note">
            <label for="article-note">{ "Article note" }</label>
            <textarea id="article-note" rows="2"
                value={props.document.note.as_deref().unwrap_or_default().to_owned()}
                onchange={onchange} placeholder="About the whole article: source, checks, doubts" />
        </div>
    }
}
