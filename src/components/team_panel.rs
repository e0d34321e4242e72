//! Team mode in the articles list: **Join a team…**, or the joined team's link status with the
//! changes not on the server yet, **Share this article** and **Leave team**.

use yew::prelude::*;

use crate::browser::team_client;
use crate::state::AppContext;
use crate::team_link::messages::LinkState;

/// Called by the articles list with the state: a plain function, like the list itself.
pub fn team_panel(state: &AppContext) -> Html {
    let Some(team) = &state.team else {
        let join = {
            let dispatch = state.dispatcher();
            Callback::from(move |_: MouseEvent| team_client::open_join_dialog(dispatch.clone()))
        };
        return html! {
            <button class="team-join" onclick={join}>{ "Join a team…" }</button>
        };
    };
    let link = match team.link {
        LinkState::Connecting => "connecting…",
        LinkState::Syncing => "syncing…",
        LinkState::Connected => "connected",
        LinkState::Offline => "offline: your edits are kept here",
        LinkState::Rejected => "refused by the server",
    };
    let unsent = match team.unsent {
        0 => String::new(),
        1 => " · 1 change not on the server yet".to_owned(),
        n => format!(" · {n} changes not on the server yet"),
    };
    let leave = {
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| team_client::leave(&dispatch))
    };
    let share = state
        .active_document()
        .filter(|open| !state.is_shared(&open.document.id) && !team.read_only)
        .map(|open| {
            let (document, dispatch) = (open.document.clone(), state.dispatcher());
            html! {
                <button class="team-share"
                    onclick={Callback::from(move |_: MouseEvent| team_client::share(&document, &dispatch))}>
                    { "Share this article" }
                </button>
            }
        });
    html! {
        <section class="team" aria-label="Team">
            <p class="team-name">{ format!("Team corpus “{}”", team.corpus) }</p>
            <p class={classes!("team-status", (team.link == LinkState::Rejected).then_some("refused"))}
                role="status">
                { format!("{link}{unsent}") }
                if team.read_only { { " · read-only" } }
            </p>
            if let Some(message) = &team.message {
                <p class="team-message" role="alert">{ message.clone() }</p>
            }
            { for share }
            <button class="team-leave" onclick={leave}>{ "Leave team" }</button>
        </section>
    }
}
