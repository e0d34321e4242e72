//! `navigator.storage`: asks the browser to keep our data (persistent storage) and reads how much
//! of the origin's quota is in use. Both are best effort: browsers may refuse or not support them.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Whether the browser promised not to evict this site's storage under pressure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persistence {
    /// Not asked yet (asked on the first save that follows a user gesture).
    Unknown,
    Granted,
    Denied,
    /// No `navigator.storage` (old browser, insecure context).
    Unsupported,
}

/// What `navigator.storage.estimate()` reported, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Estimate {
    pub usage: u64,
    pub quota: u64,
}

fn manager() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    let manager = js_sys::Reflect::get(&navigator, &"storage".into()).ok()?;
    manager.dyn_into::<web_sys::StorageManager>().ok()
}

async fn boolean(promise: Result<js_sys::Promise, wasm_bindgen::JsValue>) -> Option<bool> {
    JsFuture::from(promise.ok()?).await.ok()?.as_bool()
}

/// Whether persistence is already granted, without asking.
pub async fn persisted() -> Persistence {
    let Some(manager) = manager() else {
        return Persistence::Unsupported;
    };
    match boolean(manager.persisted()).await {
        Some(true) => Persistence::Granted,
        Some(false) => Persistence::Unknown,
        None => Persistence::Unsupported,
    }
}

/// Asks for persistent storage. Call from a user gesture: browsers that prompt require one.
pub async fn request_persistence() -> Persistence {
    let Some(manager) = manager() else {
        return Persistence::Unsupported;
    };
    match boolean(manager.persist()).await {
        Some(true) => Persistence::Granted,
        Some(false) => Persistence::Denied,
        None => Persistence::Unsupported,
    }
}

/// The origin's usage and quota, where the browser tells.
pub async fn estimate() -> Option<Estimate> {
    let promise = manager()?.estimate().ok()?;
    // A dictionary, not an interface: there is no class to check with `instanceof`.
    let estimate: web_sys::StorageEstimate = JsFuture::from(promise).await.ok()?.unchecked_into();
    Some(Estimate {
        usage: estimate.get_usage()? as u64,
        quota: estimate.get_quota()? as u64,
    })
}
