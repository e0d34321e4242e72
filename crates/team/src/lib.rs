//! Team mode: articles shared through a Hocuspocus server (the Yjs server), kept as Yjs docs.
//!
//! - [`replica`]: this page's copy of one shared doc, three maps of string keys to string values
//!   (annotations, relations, article fields), with the rules by which copies agree and the
//!   checks a remote update must pass before it touches the copy.
//! - [`protocol`]: the frames Hocuspocus and its provider exchange over one WebSocket, several
//!   documents multiplexed on it.
//! - [`session`]: one document's conversation with the server, as a pure state machine: frames
//!   in, events and frames out. The page owns the socket and the app state.
//!
//! No web crate appears in this crate's `Cargo.toml` and nothing here does IO: all of it runs,
//! and is tested, natively.

pub mod changes;
pub mod limits;
pub mod protocol;
pub mod replica;
pub mod session;

mod base64;
mod update_check;
mod wire;

pub use changes::{Changes, SharedMap, RELATION_LINKED};
pub use limits::Limits;
pub use replica::{Replica, ReplicaError};
pub use wire::WireError;
