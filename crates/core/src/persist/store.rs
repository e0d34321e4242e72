//! [`Store`]: the few operations the save engine needs from a key-value storage, and
//! [`MemoryStore`], the in-memory one the native tests (and the simulated tabs) use.
//!
//! The browser's `localStorage` implements it in the app crate; everything that decides what is
//! written, read or merged is written against this trait, so it runs natively too.

use std::collections::BTreeMap;

/// Why storage could not be used. The messages are for the user: each says what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("Saving is not possible in this browser ({0}). Your work lives only in this tab: export it before closing.")]
    Unavailable(String),
    #[error("Browser storage is full: your latest changes are NOT saved. Export your work, or delete a document to free space.")]
    QuotaExceeded,
    #[error("Saving failed: {0}")]
    Write(String),
}

/// A string-to-string storage with `localStorage`'s guarantees: each `set` and `remove` is
/// atomic (on failure the old value is still there), and nothing else is.
pub trait Store {
    /// The value under `key`.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the storage refuses to give it.
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;

    /// The first `units` UTF-16 code units of the value under `key` (`None`: no such key or
    /// unreadable), without reading the rest: entries of a long article are megabytes.
    fn head(&self, key: &str, units: u32) -> Option<String>;

    /// # Errors
    /// [`StoreError::QuotaExceeded`] when there is no room; the old value is kept.
    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError>;

    /// # Errors
    /// [`StoreError::Write`] when the storage refuses.
    fn remove(&mut self, key: &str) -> Result<(), StoreError>;

    /// Every key, in no particular order.
    fn keys(&self) -> Vec<String>;

    /// The length of the value under `key` in UTF-16 code units, without reading it.
    fn units(&self, key: &str) -> Option<u64>;

    /// Whether the value under `key` starts with `prefix`.
    fn starts_with(&self, key: &str, prefix: &str) -> bool {
        let units = prefix.encode_utf16().count();
        u32::try_from(units)
            .ok()
            .and_then(|units| self.head(key, units))
            .is_some_and(|head| head == prefix)
    }
}

/// Bytes one entry takes, counted as browsers count the quota: key and value in UTF-16.
pub fn entry_bytes(key: &str, value: &str) -> u64 {
    2 * (key.encode_utf16().count() + value.encode_utf16().count()) as u64
}

/// The UTF-16 prefix of `value` that is at most `units` code units long (a surrogate pair is
/// never split: the browser's `substring` would split it, and a `String` cannot hold half).
fn utf16_prefix(value: &str, units: u32) -> &str {
    let mut taken = 0u32;
    for (at, c) in value.char_indices() {
        let width = c.len_utf16() as u32;
        if taken + width > units {
            return &value[..at];
        }
        taken += width;
    }
    value
}

/// An in-memory [`Store`] with an optional quota (in bytes, counted as [`entry_bytes`]) and an
/// optional failure switch, for tests that simulate a full or broken storage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryStore {
    entries: BTreeMap<String, String>,
    /// `None`: unlimited.
    pub quota_bytes: Option<u64>,
    /// While set, every `set` and `remove` fails with [`StoreError::Write`].
    pub broken: bool,
    /// When set, only this many more `set`s and `remove`s succeed: a tab that crashes in the
    /// middle of a save.
    pub writes_left: Option<u32>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn may_write(&mut self) -> Result<(), StoreError> {
        if self.broken || self.writes_left == Some(0) {
            return Err(StoreError::Write(
                "the storage is broken (simulated)".to_owned(),
            ));
        }
        if let Some(left) = &mut self.writes_left {
            *left -= 1;
        }
        Ok(())
    }

    /// Bytes all entries take.
    pub fn used_bytes(&self) -> u64 {
        self.entries.iter().map(|(k, v)| entry_bytes(k, v)).sum()
    }

    /// Every entry, sorted by key.
    pub fn entries(&self) -> &BTreeMap<String, String> {
        &self.entries
    }
}

impl Store for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.entries.get(key).cloned())
    }

    fn head(&self, key: &str, units: u32) -> Option<String> {
        self.entries
            .get(key)
            .map(|value| utf16_prefix(value, units).to_owned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        if self.broken {
            return Err(StoreError::Write(
                "the storage is broken (simulated)".to_owned(),
            ));
        }
        if let Some(quota) = self.quota_bytes {
            let old = self.entries.get(key).map_or(0, |old| entry_bytes(key, old));
            if self.used_bytes() - old + entry_bytes(key, value) > quota {
                return Err(StoreError::QuotaExceeded);
            }
        }
        self.may_write()?;
        self.entries.insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        if self.broken {
            return Err(StoreError::Write(
                "the storage is broken (simulated)".to_owned(),
            ));
        }
        self.entries.remove(key);
        Ok(())
    }

    fn keys(&self) -> Vec<String> {
        self.entries.keys().cloned().collect()
    }

    fn units(&self, key: &str) -> Option<u64> {
        self.entries
            .get(key)
            .map(|value| value.encode_utf16().count() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_never_split_a_surrogate_pair() {
        let mut store = MemoryStore::new();
        store.set("k", "a😀b").unwrap();
        assert_eq!(store.head("k", 1).as_deref(), Some("a"));
        assert_eq!(store.head("k", 2).as_deref(), Some("a"));
        assert_eq!(store.head("k", 3).as_deref(), Some("a😀"));
        assert_eq!(store.head("k", 99).as_deref(), Some("a😀b"));
        assert!(store.starts_with("k", "a😀"));
        assert!(!store.starts_with("k", "a😀c"));
        assert_eq!(store.units("k"), Some(4));
    }

    #[test]
    fn a_full_store_refuses_and_keeps_the_old_value() {
        let mut store = MemoryStore {
            quota_bytes: Some(20),
            ..MemoryStore::default()
        };
        store.set("k", "12345").unwrap();
        assert_eq!(store.set("k", "1234567890"), Err(StoreError::QuotaExceeded));
        assert_eq!(store.get("k").unwrap().as_deref(), Some("12345"));
    }
}
