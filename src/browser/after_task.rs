//! Work that waits until the task under way is over: the key press or click, its listeners and
//! the render they cause. Moving focus back, clearing a live region and the like need the
//! render done, not the frame, and none of it has to run inside the key's own script.
//!
//! Everything queued in one task runs from one timer, set with one callback made once: a
//! `Timeout` per job costs a timer and a fresh JS closure each, and an edit used to set three
//! of them (the focus keeper twice, the live region once) inside its script.

use std::cell::RefCell;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

type Job = Box<dyn FnOnce()>;

thread_local! {
    /// The jobs waiting for the timer; a timer is set whenever this is not empty.
    static QUEUE: RefCell<Vec<Job>> = const { RefCell::new(Vec::new()) };
    /// The timer's callback, made on first use and kept for the page's life.
    static RUN: js_sys::Function = Closure::<dyn Fn()>::new(run_queued)
        .into_js_value()
        .unchecked_into();
}

/// Runs `job` once the current task is over (a zero-delay timer), after any job queued before.
pub fn after_task(job: impl FnOnce() + 'static) {
    let first = QUEUE.with(|queue| {
        let mut queue = queue.borrow_mut();
        queue.push(Box::new(job));
        queue.len() == 1
    });
    if first {
        if let Some(window) = web_sys::window() {
            RUN.with(|run| {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(run, 0);
            });
        }
    }
}

fn run_queued() {
    // Taken out first: a job may queue another, which then gets a timer of its own.
    let jobs = QUEUE.with(|queue| std::mem::take(&mut *queue.borrow_mut()));
    for job in jobs {
        job();
    }
}
