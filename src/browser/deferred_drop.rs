//! Dropping big values after the frame instead of during the edit.
//!
//! Every edit of a long document replaces it, and the last reference to the old one goes with
//! the autosave's snapshot, in the effect that runs right after the render: freeing 10,000
//! annotations there took a tenth of an edit's script time on the L benchmark, all of it before
//! the browser could paint. Nothing waits for that memory, so it is freed a moment later.

use std::any::Any;
use std::cell::RefCell;

use gloo::timers::callback::Timeout;

/// Long enough for the frame showing the edit to be painted first.
const AFTER_THE_FRAME_MS: u32 = 50;

thread_local! {
    /// Values waiting to be dropped, and whether a timer to drop them is set.
    static PENDING: RefCell<(Vec<Box<dyn Any>>, bool)> = const { RefCell::new((Vec::new(), false)) };
}

/// Drops `value` [`AFTER_THE_FRAME_MS`] from now. Values handed over before the timer fires go
/// with it, so a burst of edits sets one timer.
pub fn drop_after_frame<T: 'static>(value: T) {
    let schedule = PENDING.with(|pending| {
        let mut pending = pending.borrow_mut();
        pending.0.push(Box::new(value));
        !std::mem::replace(&mut pending.1, true)
    });
    if schedule {
        Timeout::new(AFTER_THE_FRAME_MS, || {
            let values = PENDING.with(|pending| {
                let mut pending = pending.borrow_mut();
                pending.1 = false;
                std::mem::take(&mut pending.0)
            });
            // Dropped here, outside the borrow: a value's drop may hand over another.
            drop(values);
        })
        .forget();
    }
}
