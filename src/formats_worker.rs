//! The formats worker's side of the conversation (its own wasm binary, `src/bin/formats_worker.rs`,
//! which the first load does not fetch): each message is a [`Job`]; each gets exactly one
//! [`Outcome`] back, in order, so the app matches replies to jobs by position.

use annotator_core::formats::job::{self, Job, Outcome};
use serde::Serialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// What the worker posts once it listens. The wasm loads asynchronously, after the worker's
/// script has yielded once, and a message that arrives before `onmessage` is set is dropped:
/// the app holds its jobs back until this.
pub const READY: &str = "formats-worker-ready";

/// What the worker's loader (assets/formats-worker-loader.js) posts, followed by the reason,
/// when this module could not be downloaded or started.
pub const LOAD_FAILED: &str = "formats-worker-failed: ";

/// Answers jobs until the worker is terminated.
pub fn serve() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    let replies = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let outcome = match serde_wasm_bindgen::from_value::<Job>(event.data()) {
            Ok(job) => job::run(job),
            Err(e) => Outcome::Failed(format!("the worker could not read the job ({e})")),
        };
        let reply = to_js(&outcome).unwrap_or_else(|e| {
            // Still one reply per job, or the app would pair later replies with the wrong jobs.
            JsValue::from_str(&format!("the worker could not send its answer ({e})"))
        });
        let _ = replies.post_message(&reply);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page keeps it: so does its listener.
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str(READY));
}

/// `value` as a JS value; maps as plain objects, which is what `serde_wasm_bindgen::from_value`
/// reads back on the other side either way.
pub fn to_js(value: &impl Serialize) -> Result<JsValue, serde_wasm_bindgen::Error> {
    value.serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true))
}
