//! "Show all relations": whether the article draws every relation in view, or only the selected
//! annotation's (the default, which keeps the text readable).

use yew::prelude::*;

use crate::state::{Action, AppContext};

/// Called by the root with its state (a plain function: no state of its own to keep).
pub fn relation_toggle(state: &AppContext) -> Html {
    let count = state
        .active_document()
        .map_or(0, |open| open.document.relations().len());
    let show_all = state.show_all_relations;
    let onclick = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::ShowAllRelations(!show_all)))
    };
    html! {
        <button class="relation-toggle" aria-pressed={show_all.to_string()} onclick={onclick}
            disabled={count == 0} title="Every relation in view, not only the selected annotation's">
            { format!("Show all relations ({count})") }
        </button>
    }
}
