//! [`LocalStore`]: `window.localStorage` as a [`Store`], the only code that touches it. Every
//! call can fail (storage disabled, quota full, a browser extension): each failure becomes a
//! [`StoreError`] with a message a person can act on, never a panic. What to write, read, merge
//! or move aside is decided in `annotator_core::persist`.

use annotator_core::persist::{Store, StoreError};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Storage;

use crate::browser::js_error::describe;
use crate::browser::js_string::exact_string;

#[wasm_bindgen]
extern "C" {
    /// `Storage` with a `getItem` that gives the JS string itself, not a copy in wasm memory: a
    /// document's text entry can be megabytes, and heads and lengths need none of it.
    #[wasm_bindgen(js_name = Storage)]
    type RawStorage;

    #[wasm_bindgen(method, catch, js_name = getItem)]
    fn get_item(this: &RawStorage, key: &str) -> Result<Option<js_sys::JsString>, JsValue>;
}

/// The localStorage limit of one site: Chromium and Firefox both stop at about 5 Mi UTF-16 code
/// units of keys plus values (measured here: Chromium 156 refused the write past 5,096 KiB of
/// 1 KiB values), i.e. 10 MiB as UTF-16 bytes. Browsers do not report it, so usage is compared
/// against this figure.
pub const APPROX_LIMIT_BYTES: u64 = 10 * 1024 * 1024;

/// `QuotaExceededError` in current browsers; Firefox has also used `NS_ERROR_DOM_QUOTA_REACHED`
/// (legacy codes 22 and 1014).
fn is_quota_error(error: &JsValue) -> bool {
    error.dyn_ref::<web_sys::DomException>().is_some_and(|e| {
        matches!(
            e.name().as_str(),
            "QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED"
        ) || e.code() == 22
            || e.code() == 1014
    })
}

/// The page's localStorage.
pub struct LocalStore(Storage);

impl LocalStore {
    /// `window.localStorage`, which throws in some private modes and with cookies blocked.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] with the browser's reason.
    pub fn open() -> Result<Self, StoreError> {
        let window =
            web_sys::window().ok_or_else(|| StoreError::Unavailable("no window".into()))?;
        match window.local_storage() {
            Ok(Some(storage)) => Ok(Self(storage)),
            Ok(None) => Err(StoreError::Unavailable(
                "localStorage is missing".to_owned(),
            )),
            Err(e) => Err(StoreError::Unavailable(describe(&e))),
        }
    }

    fn raw(&self, key: &str) -> Option<js_sys::JsString> {
        self.0
            .unchecked_ref::<RawStorage>()
            .get_item(key)
            .ok()
            .flatten()
    }
}

impl Store for LocalStore {
    /// Copied into wasm memory at its exact size (see [`crate::browser::js_string`]): the
    /// text and document entries of a long article are megabytes.
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        let value = self
            .0
            .unchecked_ref::<RawStorage>()
            .get_item(key)
            .map_err(|e| StoreError::Unavailable(describe(&e)))?;
        // Without a `TextEncoder` (no browser this app runs in), the ordinary copy.
        Ok(value.map(|value| exact_string(&value).unwrap_or_else(|| String::from(&value))))
    }

    fn head(&self, key: &str, units: u32) -> Option<String> {
        let value = self.raw(key)?;
        // `substring` counts UTF-16 units and may split a surrogate pair: drop a trailing half.
        let mut end = units.min(value.length());
        let high_surrogate = |at: u32| (0xD800..0xDC00).contains(&(value.char_code_at(at) as u32));
        if end > 0 && end < value.length() && high_surrogate(end - 1) {
            end -= 1;
        }
        Some(String::from(value.substring(0, end)))
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.0.set_item(key, value).map_err(|e| {
            if is_quota_error(&e) {
                StoreError::QuotaExceeded
            } else {
                StoreError::Write(describe(&e))
            }
        })
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.0
            .remove_item(key)
            .map_err(|e| StoreError::Write(describe(&e)))
    }

    fn keys(&self) -> Vec<String> {
        (0..self.0.length().unwrap_or(0))
            .filter_map(|i| self.0.key(i).ok().flatten())
            .collect()
    }

    fn units(&self, key: &str) -> Option<u64> {
        self.raw(key).map(|value| u64::from(value.length()))
    }

    /// Compared in JS, without copying the value (a text entry is megabytes).
    fn starts_with(&self, key: &str, prefix: &str) -> bool {
        self.raw(key)
            .is_some_and(|value| value.starts_with(prefix, 0))
    }
}
