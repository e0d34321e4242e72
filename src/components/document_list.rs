//! The list of stored articles: open one, delete one (undoable), start a new one.

use yew::prelude::*;

use super::storage_panel::storage_panel;
use crate::browser::focus::{focus_after_render, ARTICLE, PASTE_FIELD};
use crate::state::{Action, AppContext};

/// Called by the root with its state: a plain function, not a component of its own (each
/// component is its own code in the bundle, and this one has no state to keep).
pub fn document_list(state: &AppContext) -> Html {
    let new_article = {
        let state = state.clone();
        Callback::from(move |_| {
            state.dispatch(Action::ShowPasteForm);
            focus_after_render(&[PASTE_FIELD]);
        })
    };
    let rows = state.documents.iter().map(|open| {
        let document = &open.document;
        let current = state.active.as_ref() == Some(&document.id);
        let open_it = {
            let (state, id) = (state.clone(), document.id.clone());
            // Focus goes to the opened article, where the work is.
            Callback::from(move |_| {
                state.dispatch(Action::OpenDocument { id: id.clone() });
                focus_after_render(&[ARTICLE]);
            })
        };
        let delete_it = {
            let (state, id) = (state.clone(), document.id.clone());
            Callback::from(move |_| state.dispatch(Action::DeleteDocument { id: id.clone() }))
        };
        let count = document.annotations().len();
        let shared = state.is_shared(&document.id).then_some(" · shared");
        html! {
            <li key={document.id.to_string()} class={classes!("doc-row", current.then_some("current"))}>
                <button class="doc-open" onclick={open_it}
                    aria-current={current.then_some("true")}>
                    // Long titles are cut short on screen; the button's name keeps them whole, and the
                    // tooltip shows them to the pointer (a span's title does not repeat in the name).
                    <span class="doc-title" title={document.title.clone()}>{ document.title.clone() }</span>
                    <span class="doc-count">{ format!("{count} annotation{}{}", if count == 1 { "" } else { "s" }, shared.unwrap_or_default()) }</span>
                </button>
                <button class="doc-delete icon" onclick={delete_it}
                    aria-label={format!("Delete {}", document.title)} title="Delete this article">
                    { "×" }
                </button>
            </li>
        }
    });
    html! {
        <nav class="documents" aria-label="Documents">
            <h2>{ "Articles" }</h2>
            <button class="new-article" onclick={new_article}
                aria-pressed={state.active.is_none().to_string()}>{ "New article" }</button>
            <ul>{ for rows }</ul>
            { storage_panel(state) }
            { super::export_buttons::annotator_button(state) }
            { super::team_panel::team_panel(state) }
        </nav>
    }
}
