//! "Suggest…", "Tag all" and "Find…" (the last two in the label bar): what the page does to
//! get suggestions or the find bar.
//! The suggesters, the lists, their review and the find bar run in the dialogs module
//! (`crate::suggestion_review`, `crate::find_bar`); the page hands over the articles' texts and
//! what they have tagged, and tags what the user accepts.

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
    if let Some(span) = tag_all_source(state).map(span_of) {
        run_in_open_article(state, Rule::TagAll(span), "Tag all");
    }
}

/// The find bar over the open article (Ctrl+F, "Find…"), its matches to be tagged with one of
/// the schema's labels.
pub fn find(state: &AppContext) {
    let labels = state
        .schema
        .labels
        .iter()
        .map(|l| l.label.clone())
        .collect();
    run_in_open_article(state, Rule::Find { labels }, "Find");
}

fn run_in_open_article(state: &AppContext, rule: Rule, what: &'static str) {
    let state = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let documents = articles(&state, false);
        match dialogs_client::run_tag_all(&rule, &documents, on_accept(&state)).await {
            Ok(summary) => tell(&state, NoticeKind::Info, summary),
            Err(problem) => tell(
                &state,
                NoticeKind::Error,
                format!("{what} failed: {problem}."),
            ),
        }
    });
}

/// "Suggest…", called by the root with its state (a plain function: no state of its own to
/// keep).
pub fn suggest_button(state: &AppContext) -> Html {
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
            title="Quotes, speakers or listed names to review">
            { "Suggest…" }
        </button>
    }
}
