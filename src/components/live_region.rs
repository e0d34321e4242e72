//! The page's live regions, rendered empty from the start so screen readers are listening
//! before anything is said (browser/announce.rs fills them). Edits are read from the state's
//! announcement, notices from the notice; the article's caret speaks through the same region.

use yew::prelude::*;

use crate::browser::announce::{
    announce, announce_urgently, ASSERTIVE_REGION_ID, POLITE_REGION_ID,
};
use crate::state::{AppContext, NoticeKind};

/// Reads out the state's announcement and notice as they change (the root's hook).
#[hook]
pub fn use_live_region(state: &AppContext) {
    use_effect_with(state.announcement.clone(), |announcement| {
        if announcement.serial > 0 {
            announce(&announcement.text);
        }
    });
    use_effect_with(state.notice.clone(), |notice| match notice {
        Some(notice) if notice.kind == NoticeKind::Error => announce_urgently(&notice.message),
        Some(notice) => announce(&notice.message),
        None => {}
    });
}

/// The two regions, drawn by the root.
pub fn live_regions() -> Html {
    // yew renders no children here, so it never touches the text announce() puts in. The
    // assertive one has no `alert` role: an empty alert would stand in the page's list of
    // alerts while nothing is wrong.
    html! {
        <>
            <div id={POLITE_REGION_ID} class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
            <div id={ASSERTIVE_REGION_ID} class="visually-hidden" aria-live="assertive" aria-atomic="true"></div>
        </>
    }
}
