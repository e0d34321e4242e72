//! [`encode`] and [`decode`]: the frames of Hocuspocus 3 (server `@hocuspocus/server` 3.4.4 and
//! its provider `@hocuspocus/provider` 3.4.4), several documents multiplexed on one WebSocket.
//!
//! Every frame, either way, is lib0: `varString(document name)`, `varUint(message type)`, then
//! the payload of that type. Message types (Hocuspocus's `MessageType`):
//!
//! | type | name | payload |
//! | --- | --- | --- |
//! | 0 | Sync | a y-protocols sync message: `varUint` 0 (step 1) then `varUint8Array(state vector)`, 1 (step 2) then `varUint8Array(update)`, or 2 (update) then `varUint8Array(update)` |
//! | 1 | Awareness | `varUint8Array(awareness update)` |
//! | 2 | Auth | `varUint` 0 (token; client → server: then `varString(token)`; server → client: nothing, a request for the token), 1 (permission denied, then `varString(reason)`) or 2 (authenticated, then `varString(scope)`: `"read-write"` or `"readonly"`) |
//! | 3 | QueryAwareness | nothing |
//! | 4 | SyncReply | as Sync (the server reads it as Sync without answering step 1 with its own) |
//! | 5 | Stateless | `varString(payload)` |
//! | 6 | BroadcastStateless | `varString(payload)` (client → server only) |
//! | 7 | CLOSE | server → client: `varString(reason)`; client → server: nothing |
//! | 8 | SyncStatus | `varUint`: 1 when the server applied the client's step 2 or update, 0 when it did not (read-only) |
//!
//! Decoding is lenient in one way only, as lib0's readers are: bytes after a complete message
//! are ignored. A message type this crate does not know decodes as [`Incoming::Other`], to be
//! ignored; anything truncated, malformed or of an unknown sync or auth kind is an error.
//! Decoding never panics.

use yrs::encoding::write::Write;

use crate::wire::{Reader, WireError};

/// Hocuspocus's `MessageType`.
pub mod message_type {
    pub const SYNC: u64 = 0;
    pub const AWARENESS: u64 = 1;
    pub const AUTH: u64 = 2;
    pub const QUERY_AWARENESS: u64 = 3;
    pub const SYNC_REPLY: u64 = 4;
    pub const STATELESS: u64 = 5;
    pub const BROADCAST_STATELESS: u64 = 6;
    pub const CLOSE: u64 = 7;
    pub const SYNC_STATUS: u64 = 8;
}

/// y-protocols' sync message kinds (`messageYjsSyncStep1`, …).
pub mod sync_kind {
    pub const STEP_1: u64 = 0;
    pub const STEP_2: u64 = 1;
    pub const UPDATE: u64 = 2;
}

/// Hocuspocus's `AuthMessageType`.
pub mod auth_kind {
    pub const TOKEN: u64 = 0;
    pub const PERMISSION_DENIED: u64 = 1;
    pub const AUTHENTICATED: u64 = 2;
}

/// The scope the server grants a connection that may write.
pub const SCOPE_READ_WRITE: &str = "read-write";
/// The scope of a read-only connection.
pub const SCOPE_READ_ONLY: &str = "readonly";

/// A frame this client sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outgoing<'a> {
    /// The token the server's `onAuthenticate` checks; the first frame of every document.
    Auth { token: &'a str },
    /// "This is what I have": the server answers with its step 2 (and a step 1 of its own).
    SyncStep1 { state_vector: &'a [u8] },
    /// The answer to the server's step 1: what the server lacks.
    SyncStep2 { update: &'a [u8] },
    /// A change made here, as it happens.
    Update { update: &'a [u8] },
    /// A message for the server's `onStateless` hook.
    Stateless { payload: &'a str },
    /// "Stop sending me this document" (the provider's detach), keeping the socket open.
    Close,
}

/// The frame of `message` for `document`.
pub fn encode(document: &str, message: &Outgoing<'_>) -> Vec<u8> {
    let mut frame = Vec::new();
    frame.write_string(document);
    match *message {
        Outgoing::Auth { token } => {
            frame.write_var(message_type::AUTH);
            frame.write_var(auth_kind::TOKEN);
            frame.write_string(token);
        }
        Outgoing::SyncStep1 { state_vector } => {
            frame.write_var(message_type::SYNC);
            frame.write_var(sync_kind::STEP_1);
            frame.write_buf(state_vector);
        }
        Outgoing::SyncStep2 { update } => {
            frame.write_var(message_type::SYNC);
            frame.write_var(sync_kind::STEP_2);
            frame.write_buf(update);
        }
        Outgoing::Update { update } => {
            frame.write_var(message_type::SYNC);
            frame.write_var(sync_kind::UPDATE);
            frame.write_buf(update);
        }
        Outgoing::Stateless { payload } => {
            frame.write_var(message_type::STATELESS);
            frame.write_string(payload);
        }
        Outgoing::Close => frame.write_var(message_type::CLOSE),
    }
    frame
}

/// A y-protocols sync message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncMessage {
    /// The peer's state vector: it asks for what it lacks.
    Step1 { state_vector: Vec<u8> },
    /// The answer to a step 1.
    Step2 { update: Vec<u8> },
    /// A change as it happens.
    Update { update: Vec<u8> },
}

/// A frame the server sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Incoming {
    /// Sync (type 0) or SyncReply (type 4).
    Sync(SyncMessage),
    /// The server asks for the token again.
    TokenRequest,
    /// `read_only` unless the scope is exactly [`SCOPE_READ_WRITE`].
    Authenticated {
        read_only: bool,
    },
    PermissionDenied {
        reason: String,
    },
    /// Whether the server applied this client's last step 2 or update.
    SyncStatus {
        applied: bool,
    },
    Stateless(String),
    /// The server closed this document's connection (the socket may stay open for others).
    Close {
        reason: String,
    },
    /// Awareness (presence) states: not used by this app.
    Awareness,
    /// The server asks for awareness states: not used by this app.
    QueryAwareness,
    /// A message type this crate does not know.
    Other {
        message_type: u64,
    },
}

/// Why a frame could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    #[error("malformed frame: {0}")]
    Wire(#[from] WireError),
    #[error("unknown sync message kind {0}")]
    UnknownSyncKind(u64),
    #[error("unknown auth message kind {0}")]
    UnknownAuthKind(u64),
}

/// The document a frame is for, to route it to its session.
///
/// # Errors
/// The frame does not start with a `varString`.
pub fn document_of(frame: &[u8]) -> Result<&str, ProtocolError> {
    Ok(Reader::new(frame).var_string()?)
}

/// Reads a frame: the document it is for, and what it says.
///
/// # Errors
/// The frame is truncated or malformed, or of an unknown sync or auth kind.
pub fn decode(frame: &[u8]) -> Result<(String, Incoming), ProtocolError> {
    let mut reader = Reader::new(frame);
    let document = reader.var_string()?.to_owned();
    let incoming = match reader.var_u64()? {
        message_type::SYNC | message_type::SYNC_REPLY => Incoming::Sync(decode_sync(&mut reader)?),
        message_type::AWARENESS => {
            reader.var_bytes()?;
            Incoming::Awareness
        }
        message_type::AUTH => decode_auth(&mut reader)?,
        message_type::QUERY_AWARENESS => Incoming::QueryAwareness,
        message_type::STATELESS => Incoming::Stateless(reader.var_string()?.to_owned()),
        message_type::CLOSE => {
            // The server always gives a reason; a bare CLOSE (the client's form) has none.
            let reason = if reader.is_at_end() {
                ""
            } else {
                reader.var_string()?
            };
            Incoming::Close {
                reason: reason.to_owned(),
            }
        }
        message_type::SYNC_STATUS => Incoming::SyncStatus {
            applied: reader.var_u64()? == 1,
        },
        message_type => Incoming::Other { message_type },
    };
    Ok((document, incoming))
}

fn decode_sync(reader: &mut Reader<'_>) -> Result<SyncMessage, ProtocolError> {
    let kind = reader.var_u64()?;
    let bytes = reader.var_bytes();
    match kind {
        sync_kind::STEP_1 => Ok(SyncMessage::Step1 {
            state_vector: bytes?.to_vec(),
        }),
        sync_kind::STEP_2 => Ok(SyncMessage::Step2 {
            update: bytes?.to_vec(),
        }),
        sync_kind::UPDATE => Ok(SyncMessage::Update {
            update: bytes?.to_vec(),
        }),
        kind => Err(ProtocolError::UnknownSyncKind(kind)),
    }
}

fn decode_auth(reader: &mut Reader<'_>) -> Result<Incoming, ProtocolError> {
    match reader.var_u64()? {
        auth_kind::TOKEN => Ok(Incoming::TokenRequest),
        auth_kind::PERMISSION_DENIED => Ok(Incoming::PermissionDenied {
            reason: reader.var_string()?.to_owned(),
        }),
        auth_kind::AUTHENTICATED => Ok(Incoming::Authenticated {
            read_only: reader.var_string()? != SCOPE_READ_WRITE,
        }),
        kind => Err(ProtocolError::UnknownAuthKind(kind)),
    }
}
