//! Speaking through the page's live regions (components/live_region.rs renders them, empty, on
//! the first render: a region that appears together with its text is often not read at all).

use std::cell::RefCell;

use gloo::timers::callback::Timeout;

use super::after_task::after_task;

/// The polite region: edits, caret moves, notices.
pub const POLITE_REGION_ID: &str = "live-polite";
/// The assertive region: errors, which interrupt.
pub const ASSERTIVE_REGION_ID: &str = "live-assertive";

/// How long the region stays empty before the new words go in. Clearing first makes the same
/// words said twice be read twice; the pause also lets a held arrow key speak only where it
/// stops.
const CLEAR_MS: u32 = 60;

thread_local! {
    /// The words waiting to go into each region (polite, assertive).
    static PENDING: RefCell<[Option<Timeout>; 2]> = const { RefCell::new([None, None]) };
    /// The words said during the task under way, put in once it is over (`after_task`).
    static QUEUED: RefCell<[Option<String>; 2]> = const { RefCell::new([None, None]) };
}

/// Reads `text` out politely, replacing what was queued and not yet read.
pub fn announce(text: &str) {
    say(0, POLITE_REGION_ID, text);
}

/// Reads `text` out at once (errors).
pub fn announce_urgently(text: &str) {
    say(1, ASSERTIVE_REGION_ID, text);
}

/// The region is cleared and filled after the task that spoke (an edit's key press and its
/// render): nobody hears the difference, and the key's script does not wait for the DOM.
fn say(slot: usize, region_id: &'static str, text: &str) {
    let first = QUEUED.with(|queued| queued.borrow_mut()[slot].replace(text.to_owned()).is_none());
    if first {
        after_task(move || speak(slot, region_id));
    }
}

fn speak(slot: usize, region_id: &'static str) {
    let Some(text) = QUEUED.with(|queued| queued.borrow_mut()[slot].take()) else {
        return;
    };
    let Some(region) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(region_id))
    else {
        return;
    };
    region.set_text_content(Some(""));
    let timeout = Timeout::new(CLEAR_MS, move || region.set_text_content(Some(&text)));
    // Dropping the previous timeout cancels it.
    PENDING.with(|pending| pending.borrow_mut()[slot] = Some(timeout));
}
