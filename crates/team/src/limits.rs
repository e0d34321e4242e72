//! [`Limits`]: how much a remote update may carry and how large a shared doc may grow, so that a
//! hostile or broken peer cannot make every replica hold something the page cannot load.
//!
//! The page must keep its own edits within the same limits: a replica refuses a whole update
//! that breaks one, and since Yjs updates build on each other, a peer that refused one would
//! refuse every later exchange carrying it.

/// The bounds a remote update is checked against before it is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest update, in bytes, looked at at all (checked before decoding).
    pub max_update_bytes: usize,
    /// The longest value (UTF-8 bytes) an update may write.
    pub max_value_bytes: usize,
    /// The most keys any one map may hold after an update (an update that leaves a map above
    /// this, and above what it held before, is refused; one that only shrinks it never is).
    pub max_keys: usize,
    /// The longest key (UTF-8 bytes) an update may write.
    pub max_key_bytes: usize,
}

impl Limits {
    /// No bound at all: for the replica's own saved copy, which is checked for shape only.
    pub const UNLIMITED: Self = Self {
        max_update_bytes: usize::MAX,
        max_value_bytes: usize::MAX,
        max_keys: usize::MAX,
        max_key_bytes: usize::MAX,
    };
}

impl Default for Limits {
    /// Room for a long article (a few MB of text in the `text` field) with tens of thousands of
    /// annotations, and nothing a browser tab would struggle with.
    fn default() -> Self {
        Self {
            max_update_bytes: 32 * 1024 * 1024,
            max_value_bytes: 8 * 1024 * 1024,
            max_keys: 100_000,
            max_key_bytes: 1024,
        }
    }
}
