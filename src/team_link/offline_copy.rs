//! The page's copy of each shared document, kept in IndexedDB so that it outlives a reload: the
//! Yjs state (with every change not yet on the server) and what the server last said it stored
//! (its state vector and its removals). Without it a reload while offline would start from nothing, and the library's
//! version would be merged with the server's without a common base (deletions made offline would
//! come back). IndexedDB rather than localStorage: a 1 MB article's state is about 3 MB, and the
//! library already uses most of localStorage's 5 MB.
//!
//! Every failure is quiet: without the copy, team mode works as before, only not across reloads.

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransactionMode};

const DATABASE: &str = "article-annotator-team";
const STORE: &str = "documents";

/// What is kept of one shared document.
pub struct Kept {
    pub state: Vec<u8>,
    pub stored: Vec<u8>,
    /// The server's stored removals (empty in copies kept before they were acknowledged).
    pub deletions: Vec<u8>,
}

/// Settles when `request` succeeds (with its result) or fails.
async fn settled(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let mut handlers = None;
    let promise = Promise::new(&mut |resolve, reject| {
        let done = request.clone();
        let on_success = Closure::once(move || {
            let _ = resolve.call1(&JsValue::NULL, &done.result().unwrap_or(JsValue::UNDEFINED));
        });
        let on_error = Closure::once(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        request.set_onsuccess(Some(on_success.as_ref().unchecked_ref()));
        request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        handlers = Some((on_success, on_error));
    });
    let result = JsFuture::from(promise).await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    drop(handlers);
    result
}

async fn open() -> Option<IdbDatabase> {
    let factory = web_sys::window()?.indexed_db().ok()??;
    let request: IdbOpenDbRequest = factory.open_with_u32(DATABASE, 1).ok()?;
    let upgrade = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        let database = event
            .target()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
        if let Some(database) = database {
            let _ = database.create_object_store(STORE);
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let database = settled(&request).await.ok()?.dyn_into().ok();
    request.set_onupgradeneeded(None);
    drop(upgrade);
    database
}

/// The kept copies of the documents `names`, those there are.
pub async fn load(names: &[String]) -> Vec<(String, Kept)> {
    let Some(database) = open().await else {
        return Vec::new();
    };
    let Ok(store) = database
        .transaction_with_str(STORE)
        .and_then(|t| t.object_store(STORE))
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for name in names {
        let Ok(request) = store.get(&JsValue::from_str(name)) else {
            continue;
        };
        let Ok(value) = settled(&request).await else {
            continue;
        };
        // Nothing kept is `undefined`, which Array.from would throw on.
        let Ok(parts) = value.dyn_into::<Array>() else {
            continue;
        };
        if !(2..=3).contains(&parts.length()) {
            continue;
        }
        let bytes = |at| Uint8Array::new(&parts.get(at)).to_vec();
        found.push((
            name.clone(),
            Kept {
                state: bytes(0),
                stored: bytes(1),
                deletions: if parts.length() == 3 {
                    bytes(2)
                } else {
                    Vec::new()
                },
            },
        ));
    }
    database.close();
    found
}

/// Keeps `copies` (document name, copy), replacing what was kept for them.
pub async fn save(copies: Vec<(String, Kept)>) {
    let Some(database) = open().await else {
        return;
    };
    if let Ok(store) = database
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .and_then(|t| t.object_store(STORE))
    {
        for (name, kept) in copies {
            let value = Array::of3(
                &Uint8Array::from(kept.state.as_slice()),
                &Uint8Array::from(kept.stored.as_slice()),
                &Uint8Array::from(kept.deletions.as_slice()),
            );
            if let Ok(request) = store.put_with_key(&value, &JsValue::from_str(&name)) {
                let _ = settled(&request).await;
            }
        }
    }
    database.close();
}

/// Forgets the kept copies of the documents `names` (articles taken out of the corpus).
pub async fn forget(names: Vec<String>) {
    let Some(database) = open().await else {
        return;
    };
    if let Ok(store) = database
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .and_then(|t| t.object_store(STORE))
    {
        for name in names {
            if let Ok(request) = store.delete(&JsValue::from_str(&name)) {
                let _ = settled(&request).await;
            }
        }
    }
    database.close();
}

/// Forgets every kept copy (leaving the team).
pub async fn clear() {
    let Some(database) = open().await else {
        return;
    };
    if let Ok(request) = database
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .and_then(|t| t.object_store(STORE))
        .and_then(|store| store.clear())
    {
        let _ = settled(&request).await;
    }
    database.close();
}
