//! "Suggest…" and "Tag all": what the page does to get suggestions. The suggesters, the lists
//! and their review run in the dialogs module (`crate::suggestion_review`); the page hands over
//! the articles' texts and what they have tagged, and tags what the user accepts.

use yew::prelude::*;

use crate::browser::clock::now;
use crate::browser::dialogs_client;
use crate::state::{Action, AppContext, AppState, Notice, NoticeKind};
use crate::suggestion_review::protocol::{Rule, Span};
use annotator_core::model::{Annotation, Document, Edit};

/// The annotation "Tag all" starts from: the selected one, or else the one just tagged.
pub fn tag_all_source(state: &AppState) -> Option<&Annotation> {
    let open = state.active_document()?;
    let id = match (&state.selected, open.history.last()) {
        (Some(id), _) => id,
        (None, Some(Edit::Added(added))) => &added.id,
        _ => return None,
    };
    open.document.annotation(id)
}

fn span_of(annotation: &Annotation) -> Span {
    (annotation.range, annotation.label.clone())
}

/// The open article first, then, with `every`, every other one.
fn articles(state: &AppState, every: bool) -> Vec<&Document> {
    let open = state.active_document().map(|open| &*open.document);
    let others = state
        .documents
        .iter()
        .map(|d| &*d.document)
        .filter(|d| every && !open.is_some_and(|open| std::ptr::eq(*d, open)));
    open.into_iter().chain(others).collect()
}

/// Tags what the user accepts in the review.
fn on_accept(state: &AppContext) -> impl Fn(Vec<annotator_core::model::suggestions::Suggestion>) {
    let dispatcher = state.dispatcher();
    move |accepted| {
        dispatcher.dispatch(Action::AcceptSuggestions {
            accepted,
            now: now(),
        })
    }
}

fn tell(state: &AppContext, kind: NoticeKind, message: String) {
    if !message.is_empty() {
        state.dispatch(Action::Notify(Notice { kind, message }));
    }
}

/// "Tag all" in the open article, from [`tag_all_source`].
pub fn tag_all(state: &AppContext) {
    let Some(span) = tag_all_source(state).map(span_of) else {
        return;
    };
    let rule = Rule::TagAll(span);
    let state = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let documents = articles(&state, false);
        match dialogs_client::run_tag_all(&rule, &documents, on_accept(&state)).await {
            Ok(summary) => tell(&state, NoticeKind::Info, summary),
            Err(problem) => tell(
                &state,
                NoticeKind::Error,
                format!("Tag all failed: {problem}."),
            ),
        }
    });
}

#[component]
pub fn SuggestButton() -> Html {
    let Some(state) = use_context::<AppContext>() else {
        return Html::default();
    };
    let onclick = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let rule = Rule::Dialog {
                tag_all: tag_all_source(&state).map(span_of),
            };
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let closed = state.clone();
                let on_close = move |summary| tell(&closed, NoticeKind::Info, summary);
                let documents = articles(&state, true);
                let opened = dialogs_client::open_suggest_dialog(
                    &rule,
                    &documents,
                    on_accept(&state),
                    on_close,
                );
                if let Err(problem) = opened.await {
                    tell(
                        &state,
                        NoticeKind::Error,
                        format!("Suggest could not open: {problem}."),
                    );
                }
            });
        })
    };
    html! {
        <button class="suggest-button" onclick={onclick}
            disabled={state.storage.read_only.is_some()}
            title="Suggests quotes and their speakers, the places of a tagged text, or the names of a list, to accept or reject">
            { "Suggest…" }
        </button>
    }
}
