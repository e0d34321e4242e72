//! Messages for the user: save problems (persistent until fixed) and the latest notice.

use yew::prelude::*;

use crate::state::{Action, AppContext, NoticeKind, SaveStatus};

#[component]
pub fn NoticeBar() -> Html {
    let Some(state) = use_context::<AppContext>() else {
        return Html::default();
    };
    let save_banner = match &state.save_status {
        SaveStatus::Saved => Html::default(),
        SaveStatus::Failed(message) | SaveStatus::Unavailable(message) => html! {
            <div class="banner banner-error" role="alert">{ message.clone() }</div>
        },
    };
    let notice = state.notice.as_ref().map(|notice| {
        let dismiss = {
            let state = state.clone();
            Callback::from(move |_| state.dispatch(Action::DismissNotice))
        };
        let restore = {
            let state = state.clone();
            Callback::from(move |_| state.dispatch(Action::RestoreDeletedDocument))
        };
        let (class, role) = match notice.kind {
            NoticeKind::Error => ("banner banner-error", "alert"),
            NoticeKind::Info | NoticeKind::DocumentDeleted => ("banner banner-info", "status"),
        };
        html! {
            <div class={class} role={role}>
                <span>{ notice.message.clone() }</span>
                if notice.kind == NoticeKind::DocumentDeleted && state.deleted.is_some() {
                    <button onclick={restore}>{ "Undo delete" }</button>
                }
                <button class="icon" onclick={dismiss} aria-label="Dismiss message">{ "×" }</button>
            </div>
        }
    });
    html! {
        <div class="notices">
            { save_banner }
            { notice.unwrap_or_default() }
        </div>
    }
}
