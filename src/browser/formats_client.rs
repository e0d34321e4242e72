//! The app's side of the formats worker: starts it on the first import or export, hands it
//! [`Job`]s and awaits their outcomes (`Outcome`, or the page's `ExportOutcome`). The worker answers every job once and in order, so
//! replies are matched to jobs by position. If the worker cannot load or dies, every job waiting
//! on it fails with a message, and the next job starts a fresh worker.

use std::cell::RefCell;
use std::collections::VecDeque;

use annotator_core::formats::job::Job;
use js_sys::{Function, Promise};
use serde::de::DeserializeOwned;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, Event, MessageEvent, Worker};

use super::deferred_drop::drop_after_frame;
use super::js_error::describe;
use crate::formats_worker::{to_js, LOAD_FAILED, READY};

/// The worker's script (assets/formats-worker-loader.js), next to index.html.
const WORKER_SCRIPT: &str = "./formats-worker-loader.js";

/// A job posted and not answered yet: how to settle its promise.
struct Waiting {
    resolve: Function,
    reject: Function,
}

struct Connection {
    worker: Worker,
    /// Jobs held back until the worker says it listens.
    unsent: Vec<JsValue>,
    ready: bool,
    waiting: VecDeque<Waiting>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(Event)>,
}

thread_local! {
    static CONNECTION: RefCell<Option<Connection>> = const { RefCell::new(None) };
}

/// Starts loading the worker (when a menu that will need it opens), so the job does not wait
/// for the download. Does nothing when it is loaded or loading.
pub fn warm_up() {
    CONNECTION.with(|connection| {
        let mut connection = connection.borrow_mut();
        if connection.is_none() {
            *connection = connect().ok();
        }
    });
}

/// Runs `job` in the worker.
///
/// # Errors
/// A message for the user when the worker cannot be started, stops, or sends something that is
/// not an outcome.
pub async fn run<O: DeserializeOwned>(job: &Job) -> Result<O, String> {
    let message =
        to_js(job).map_err(|e| format!("the job could not be handed to the worker ({e})"))?;
    run_crossed(message).await
}

/// Runs a job that is already a JS value (one the page handed over), as it is: a 1 MB text is
/// not read into this module and written out again on its way to the worker.
///
/// # Errors
/// As [`run`].
pub async fn run_crossed<O: DeserializeOwned>(message: JsValue) -> Result<O, String> {
    let mut problem = None;
    let promise = Promise::new(&mut |resolve, reject| {
        if let Err(e) = post(message.clone(), Waiting { resolve, reject }) {
            problem = Some(e);
        }
    });
    if let Some(problem) = problem {
        return Err(problem);
    }
    let reply = JsFuture::from(promise).await.map_err(|e| describe(&e))?;
    if let Some(text) = reply.as_string() {
        return Err(text);
    }
    serde_wasm_bindgen::from_value(reply)
        .map_err(|e| format!("the worker's answer could not be read ({e})"))
}

fn post(message: JsValue, waiting: Waiting) -> Result<(), String> {
    CONNECTION.with(|connection| {
        let mut connection = connection.borrow_mut();
        if connection.is_none() {
            *connection = Some(connect()?);
        }
        let Some(connection) = connection.as_mut() else {
            return Err("the import and export module could not be started".to_owned());
        };
        if connection.ready {
            connection
                .worker
                .post_message(&message)
                .map_err(|e| describe(&e))?;
        } else {
            connection.unsent.push(message);
        }
        connection.waiting.push_back(waiting);
        Ok(())
    })
}

fn connect() -> Result<Connection, String> {
    let worker = Worker::new(WORKER_SCRIPT).map_err(|e| {
        format!(
            "the import and export module could not be started ({})",
            describe(&e)
        )
    })?;
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(on_message);
    let on_error = Closure::<dyn Fn(Event)>::new(on_error);
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Connection {
        worker,
        unsent: Vec::new(),
        ready: false,
        waiting: VecDeque::new(),
        _on_message: on_message,
        _on_error: on_error,
    })
}

fn on_message(event: MessageEvent) {
    let data = event.data();
    if let Some(reason) = data
        .as_string()
        .and_then(|text| text.strip_prefix(LOAD_FAILED).map(str::to_owned))
    {
        fail_all(&format!("the import and export module stopped: {reason}"));
        return;
    }
    let settle = CONNECTION.with(|connection| {
        let mut connection = connection.borrow_mut();
        let connection = connection.as_mut()?;
        if data.as_string().as_deref() == Some(READY) {
            connection.ready = true;
            for message in std::mem::take(&mut connection.unsent) {
                if let Err(e) = connection.worker.post_message(&message) {
                    // That job's reply will never come: fail it now, in its place in line.
                    return Some(Err(describe(&e)));
                }
            }
            return None;
        }
        connection.waiting.pop_front().map(Ok)
    });
    match settle {
        Some(Ok(waiting)) => {
            let _ = waiting.resolve.call1(&JsValue::NULL, &data);
        }
        Some(Err(problem)) => fail_all(&problem),
        None => {}
    }
}

/// The worker could not load, or its code stopped: nothing more will come from it.
fn on_error(event: Event) {
    let detail = event
        .dyn_ref::<ErrorEvent>()
        .map(ErrorEvent::message)
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "it could not be loaded".to_owned());
    event.prevent_default();
    fail_all(&format!("the import and export module stopped: {detail}"));
}

/// Fails every waiting job and drops the worker; the next job starts a new one.
fn fail_all(problem: &str) {
    let gone = CONNECTION.with(|connection| connection.borrow_mut().take());
    if let Some(connection) = gone {
        connection.worker.terminate();
        let reason = JsValue::from_str(problem);
        for waiting in &connection.waiting {
            let _ = waiting.reject.call1(&JsValue::NULL, &reason);
        }
        // This may run inside one of its listeners: they are freed once that call is over.
        drop_after_frame(connection);
    }
}
