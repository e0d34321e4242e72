//! **Join a team…**: the sync server's address, the corpus and the token the team gave out.
//! The fields are checked here; whether the token opens the corpus only the server can say, and
//! its answer shows in the team's status once connected.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::messages::TeamSettings;
use crate::hooks::use_modal_dialog;
use crate::hooks::use_modal_dialog::is_escape;

const TITLE_ID: &str = "team-title";
const PROBLEM_ID: &str = "team-problem";

/// The server a developer starts with `make team-server`.
pub const DEFAULT_URL: &str = "ws://127.0.0.1:1234";

#[derive(Properties, Clone, PartialEq)]
pub struct JoinDialogProps {
    /// The team joined last, to change or join again.
    pub defaults: Option<TeamSettings>,
    /// Called once the dialog has closed: with the settings to join, or `None` when cancelled.
    pub on_close: Callback<Option<TeamSettings>>,
}

/// Why `settings` cannot be used, in a sentence.
pub fn problem_with(settings: &TeamSettings) -> Option<&'static str> {
    let url = settings.url.trim();
    if !(url.starts_with("ws://") || url.starts_with("wss://"))
        || url.len() < 8
        || url.contains(char::is_whitespace)
    {
        return Some(
            "The server's address starts with ws:// or wss:// (for example ws://127.0.0.1:1234).",
        );
    }
    let corpus = settings.corpus.trim();
    if corpus.is_empty()
        || corpus.chars().count() > 64
        || !corpus
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Some("The corpus name is 1 to 64 letters, digits, dots, dashes or underscores.");
    }
    if settings.token.trim().is_empty() || settings.token.contains(['\n', '\r']) {
        return Some("The token is what your team's server gave you for this corpus.");
    }
    None
}

#[component]
pub fn JoinDialog(props: &JoinDialogProps) -> Html {
    let dialog = use_node_ref();
    let (url, corpus, token) = (use_node_ref(), use_node_ref(), use_node_ref());
    let on_dialog_key = use_modal_dialog(dialog.clone());
    let problem = use_state(|| None::<&'static str>);
    let finish = {
        let (dialog, on_close) = (dialog.clone(), props.on_close.clone());
        Callback::from(move |settings: Option<TeamSettings>| {
            if let Some(dialog) = dialog.cast::<web_sys::HtmlDialogElement>() {
                dialog.close();
            }
            on_close.emit(settings);
        })
    };
    let on_submit = {
        let (url, corpus, token) = (url.clone(), corpus.clone(), token.clone());
        let (problem, finish, defaults) = (problem.clone(), finish.clone(), props.defaults.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let value = |field: &NodeRef| {
                field
                    .cast::<HtmlInputElement>()
                    .map(|f| f.value().trim().to_owned())
                    .unwrap_or_default()
            };
            let corpus = value(&corpus);
            // The articles known to be shared belong to the corpus they were shared into.
            let shared = defaults
                .as_ref()
                .filter(|d| d.corpus == corpus)
                .map(|d| d.shared.clone())
                .unwrap_or_default();
            let settings = TeamSettings {
                url: value(&url),
                corpus,
                token: value(&token),
                shared,
            };
            match problem_with(&settings) {
                None => finish.emit(Some(settings)),
                Some(why) => problem.set(Some(why)),
            }
        })
    };
    let on_cancel = {
        let finish = finish.clone();
        Callback::from(move |_: MouseEvent| finish.emit(None))
    };
    let on_escape = {
        let (dialog, finish) = (dialog.clone(), finish.clone());
        Callback::from(move |event: Event| {
            if is_escape(&event, &dialog) {
                event.prevent_default();
                finish.emit(None);
            }
        })
    };
    // The fields start from the team joined last, once: bound values would be put back on
    // every render, and a refusal (which renders) would wipe what was typed.
    {
        let (url, corpus, token) = (url.clone(), corpus.clone(), token.clone());
        let defaults = props.defaults.clone();
        use_effect_with((), move |_| {
            let start = |field: &NodeRef, pick: fn(&TeamSettings) -> &String, fallback: &str| {
                if let Some(field) = field.cast::<HtmlInputElement>() {
                    field.set_value(defaults.as_ref().map_or(fallback, |d| pick(d).as_str()));
                }
            };
            start(&url, |d| &d.url, DEFAULT_URL);
            start(&corpus, |d| &d.corpus, "");
            start(&token, |d| &d.token, "");
        });
    }
    let invalid = problem.is_some().to_string();
    html! {
        <dialog ref={dialog} class="dialog team-dialog" aria-labelledby={TITLE_ID}
            tabindex="-1" oncancel={on_escape} onkeydown={on_dialog_key}>
            <h2 id={TITLE_ID}>{ "Join a team" }</h2>
            <p>{ "Work on one shared corpus with your team: its articles join your list, marked \
                  shared, and everyone's annotations appear as they are made. Edits made \
                  offline are kept here and sent when the server is back. Your own articles \
                  stay local until you share them." }</p>
            <form onsubmit={on_submit}>
                <div class="field">
                    <label for="team-url">{ "Server" }</label>
                    <input ref={url} id="team-url" type="url"
                        aria-invalid={invalid.clone()} aria-describedby={PROBLEM_ID} />
                </div>
                <div class="field">
                    <label for="team-corpus">{ "Corpus" }</label>
                    <input ref={corpus} id="team-corpus" type="text"
                        maxlength="64" autocomplete="off" placeholder="e.g. election-quotes"
                        aria-invalid={invalid.clone()} aria-describedby={PROBLEM_ID} />
                </div>
                <div class="field">
                    <label for="team-token">{ "Token" }</label>
                    <input ref={token} id="team-token" type="password"
                        autocomplete="off" aria-invalid={invalid} aria-describedby={PROBLEM_ID} />
                </div>
                <p id={PROBLEM_ID} class="problem" role="alert">{ problem.unwrap_or_default() }</p>
                <div class="dialog-buttons">
                    <button type="submit" class="primary">{ "Join" }</button>
                    <button type="button" onclick={on_cancel}>{ "Cancel" }</button>
                </div>
            </form>
        </dialog>
    }
}
