//! The paste form: article text, a title that follows the first line until edited, "Annotate".

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::browser::clock::{new_document_id, now};
use crate::browser::durability::{estimate, request_persistence, Persistence};
use crate::state::{Action, AppContext};
use annotator_core::model::document::default_title;
use annotator_core::model::ArticleText;

/// Largest article accepted, in code points. Browsers give an origin ~5 MiB of localStorage
/// (counted in UTF-16), so a bigger document could never be saved.
pub const MAX_ARTICLE_CHARS: usize = 2_000_000;

#[component]
pub fn PasteForm() -> Html {
    let state = use_context::<AppContext>();
    // Uncontrolled: a pasted megabyte should not be copied back into the DOM on every keystroke.
    let text_area = use_node_ref();
    let title = use_state(String::new);
    let title_edited = use_state(|| false);
    let error = use_state(|| None::<String>);

    let on_text = {
        let (title, title_edited, error) = (title.clone(), title_edited.clone(), error.clone());
        Callback::from(move |event: InputEvent| {
            if !*title_edited {
                let value = event.target_unchecked_into::<HtmlTextAreaElement>().value();
                title.set(default_title(&value));
            }
            if error.is_some() {
                error.set(None);
            }
        })
    };
    let on_title = {
        let (title, title_edited) = (title.clone(), title_edited.clone());
        Callback::from(move |event: InputEvent| {
            let value = event.target_unchecked_into::<HtmlInputElement>().value();
            title_edited.set(!value.trim().is_empty());
            title.set(value);
        })
    };
    let on_submit = {
        let (text_area, title, error) = (text_area.clone(), title.clone(), error.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(state) = &state else { return };
            let text = text_area
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            if text.trim().is_empty() {
                error.set(Some(
                    "Paste an article first: the text is empty.".to_owned(),
                ));
                return;
            }
            let article = ArticleText::normalize(&text);
            if article.char_len() > MAX_ARTICLE_CHARS {
                error.set(Some(format!(
                    "This text has {} characters; the limit is {MAX_ARTICLE_CHARS} so that it can be saved in the browser. Split it into several articles.",
                    article.char_len()
                )));
                return;
            }
            let chosen = title.trim();
            let title = if chosen.is_empty() {
                default_title(article.as_str())
            } else {
                chosen.to_owned()
            };
            state.dispatch(Action::CreateDocument {
                id: new_document_id(),
                title,
                text: article,
                now: now(),
            });
            // The first save follows this click: the user gesture browsers want before they
            // grant (or prompt for) persistent storage.
            if state.storage.persistence == Persistence::Unknown {
                let dispatcher = state.dispatcher();
                wasm_bindgen_futures::spawn_local(async move {
                    dispatcher.dispatch(Action::Persistence(request_persistence().await));
                    dispatcher.dispatch(Action::Estimate(estimate().await));
                });
            }
        })
    };

    html! {
        <form class="paste-form" onsubmit={on_submit} novalidate=true>
            <h2>{ "New article" }</h2>
            <p class="hint">
                { "Paste the article as plain text. Line endings become \\n; every offset counts Unicode code points of that text." }
            </p>
            <label for="article-text">{ "Article text" }</label>
            <textarea id="article-text" rows="16" ref={text_area} oninput={on_text}
                aria-invalid={error.is_some().to_string()}
                aria-describedby="paste-error" spellcheck="false" />
            <label for="article-title">{ "Title" }</label>
            <input id="article-title" type="text" value={(*title).clone()} oninput={on_title} />
            <p id="paste-error" class="field-error" role={error.is_some().then_some("alert")}>
                { (*error).clone().unwrap_or_default() }
            </p>
            <button type="submit" class="primary">{ "Annotate" }</button>
        </form>
    }
}
