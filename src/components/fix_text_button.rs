//! "Fix text…": opens the dialog (in the dialogs module, `crate::text_fix_dialog`) that edits
//! the open article's text and lists its orphans, the annotations a fix took off their text,
//! for the user to place or delete. The button says how many there are.

use std::rc::Rc;

use yew::prelude::*;

use crate::browser::clock::now;
use crate::browser::dialogs_client;
use crate::state::{Action, AppContext, Notice, NoticeKind};

/// Called by the root with its state (a plain function: no state of its own to keep).
pub fn fix_text_button(state: &AppContext) -> Html {
    let Some(open) = state.active_document() else {
        return Html::default();
    };
    let orphans = open.document.orphans().len();
    let onclick = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(before) = state
                .active_document()
                .map(|open| Rc::clone(&open.document))
            else {
                return;
            };
            let dispatcher = state.dispatcher();
            let on_change = {
                let dispatcher = dispatcher.clone();
                move |before, after| {
                    dispatcher.dispatch(Action::ReplaceBody {
                        before,
                        after,
                        now: now(),
                    });
                }
            };
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(problem) = dialogs_client::open_text_fix(before, on_change).await {
                    dispatcher.dispatch(Action::Notify(Notice {
                        kind: NoticeKind::Error,
                        message: format!("Fix text could not open: {problem}."),
                    }));
                }
            });
        })
    };
    let label = match orphans {
        0 => "Fix text…".to_owned(),
        1 => "Fix text… (1 orphan)".to_owned(),
        n => format!("Fix text… ({n} orphans)"),
    };
    html! {
        <button class="fix-text-button" onclick={onclick}
            disabled={state.storage.read_only.is_some()}
            title="Edits the article's text; annotations move with their words, or are kept aside to place">
            { label }
        </button>
    }
}
