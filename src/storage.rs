//! The only code that touches `localStorage`. Every call here can fail (storage disabled, quota
//! full, another tab, a browser extension): each failure becomes a [`StorageError`] with a message
//! a person can act on, never a panic.

use wasm_bindgen::JsCast;
use web_sys::Storage;

use crate::export::stored::{self, StoredIndex, KEY_PREFIX};
use crate::model::{Document, DocumentId};

/// Why storage could not be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    #[error("this browser does not allow saving here ({0}); your work lives only in this tab — export it before closing")]
    Unavailable(String),
    #[error("browser storage is full; your latest changes are NOT saved — export your work, then delete a document to free space")]
    QuotaExceeded,
    #[error("saving failed: {0}")]
    Write(String),
}

/// Describes a thrown JS value: `DOMException` name and message where there is one.
fn describe(error: &wasm_bindgen::JsValue) -> String {
    if let Some(exception) = error.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", exception.name(), exception.message());
    }
    error
        .as_string()
        .unwrap_or_else(|| "unknown error".to_owned())
}

fn is_quota_error(error: &wasm_bindgen::JsValue) -> bool {
    error.dyn_ref::<web_sys::DomException>().is_some_and(|e| {
        matches!(
            e.name().as_str(),
            "QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED"
        ) || e.code() == 22
            || e.code() == 1014
    })
}

/// `window.localStorage`, which throws in some private modes and with cookies blocked.
///
/// # Errors
/// [`StorageError::Unavailable`] with the browser's reason.
pub fn local_storage() -> Result<Storage, StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError::Unavailable("no window".into()))?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err(StorageError::Unavailable(
            "localStorage is missing".to_owned(),
        )),
        Err(e) => Err(StorageError::Unavailable(describe(&e))),
    }
}

/// # Errors
/// [`StorageError::QuotaExceeded`] when the browser refuses for lack of space.
pub fn write(storage: &Storage, key: &str, value: &str) -> Result<(), StorageError> {
    storage.set_item(key, value).map_err(|e| {
        if is_quota_error(&e) {
            StorageError::QuotaExceeded
        } else {
            StorageError::Write(describe(&e))
        }
    })
}

/// # Errors
/// [`StorageError::Write`] when the browser refuses.
pub fn remove(storage: &Storage, key: &str) -> Result<(), StorageError> {
    storage
        .remove_item(key)
        .map_err(|e| StorageError::Write(describe(&e)))
}

/// What was found in storage at start-up.
#[derive(Debug, Default)]
pub struct LoadedLibrary {
    pub documents: Vec<Document>,
    pub active: Option<DocumentId>,
    /// One line per key that could not be read; those keys are left untouched.
    pub problems: Vec<String>,
}

/// Reads the index and every document key. Documents missing from the index (a save
/// interrupted between the document and the index write) are recovered at the end of the list.
pub fn load(storage: &Storage) -> LoadedLibrary {
    let mut loaded = LoadedLibrary::default();
    let mut order: Vec<String> = Vec::new();
    match storage.get_item(&stored::index_key()) {
        Ok(Some(json)) => match stored::decode_index(&json) {
            Ok(StoredIndex { documents, active }) => {
                order = documents;
                loaded.active = active.map(|id| DocumentId::new(&id));
            }
            Err(e) => loaded
                .problems
                .push(format!("The document list could not be read ({e}).")),
        },
        Ok(None) => {}
        Err(e) => loaded.problems.push(format!(
            "The document list could not be read ({}).",
            describe(&e)
        )),
    }
    let doc_prefix = format!("{KEY_PREFIX}doc:");
    let length = storage.length().unwrap_or(0);
    for i in 0..length {
        if let Ok(Some(key)) = storage.key(i) {
            if let Some(id) = key.strip_prefix(&doc_prefix) {
                if !order.iter().any(|known| known == id) {
                    order.push(id.to_owned());
                }
            }
        }
    }
    for id in order {
        let key = stored::document_key(&DocumentId::new(&id));
        match storage.get_item(&key) {
            Ok(Some(json)) => match stored::decode_document(&json) {
                Ok(document) => loaded.documents.push(document),
                Err(e) => loaded.problems.push(format!(
                    "Document {id} could not be read and was left as it is ({e})."
                )),
            },
            Ok(None) => {}
            Err(e) => loaded.problems.push(format!(
                "Document {id} could not be read ({}).",
                describe(&e)
            )),
        }
    }
    loaded
}
