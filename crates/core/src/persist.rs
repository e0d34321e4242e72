//! Persistence: the storage schema and its migrations ([`stored`], [`migrate`]), what a tab
//! finds at start-up ([`load()`]), and the save-and-merge engine ([`engine::SaveEngine`]), all
//! over the small [`Store`] trait that the browser's localStorage implements in the app crate.

pub mod engine;
mod header;
pub mod load;
pub mod migrate;
pub mod schema_entry;
pub mod store;
pub mod stored;

pub use engine::{ExternalChange, Flushed, Received, SaveEngine, Snapshot};
pub use load::{load, LoadedLibrary, NewerDocument};
pub use store::{MemoryStore, Store, StoreError};
