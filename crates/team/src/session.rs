//! [`Session`]: one shared document's conversation with the Hocuspocus server, as a pure state
//! machine. The page owns the WebSocket: it hands the session each frame for this document
//! ([`crate::protocol::document_of`] routes them) and sends the frames the session returns.
//!
//! ## The conversation
//!
//! 1. When the socket opens (and again after every reconnect), [`Session::on_open`] gives the
//!    Auth frame, then a sync step 1 with this replica's state vector: the order the Hocuspocus
//!    provider sends them in (`onOpen`: `sendToken`, then `startSync`). The server holds
//!    everything but Auth until `onAuthenticate` has passed.
//! 2. The server answers Auth with Authenticated (scope `read-write` or `readonly`) or
//!    PermissionDenied; then it handles the step 1: it sends a step 1 of its own (its state
//!    vector), then its step 2 (what this replica lacks).
//! 3. The session answers the server's step 1 with a step 2: what the server lacks. This is how
//!    edits made offline, or before the server confirmed the token, reach the server. The
//!    server's step 2 is applied and reported ([`Event::Remote`]), then [`Event::Synced`].
//! 4. From then on, each edit here goes out as an update frame ([`Session::local`]), and the
//!    server relays every other client's updates, each reported as [`Event::Remote`]. The
//!    server acknowledges each step 2 or update it receives with a SyncStatus frame
//!    ([`Event::Acknowledged`]).
//! 5. Our server sends, after it has stored the document, a stateless message
//!    `{"stored":"<base64 state vector>","deleted":"<base64 snapshot of the removals>"}`
//!    ([`Event::Stored`]), and `{"refused":"…"}` when it
//!    would not take an update ([`Event::Refused`]).
//!
//! ## Edits that cannot go out yet
//!
//! An edit made while the session is not authenticated to write (before the socket opens,
//! while the token is being checked, after a denial, when the server granted read-only access,
//! or after a close) is applied to the replica all the same, and [`Session::local`] gives no
//! frame. It reaches the server in step 3 of the next connection that may write. (A read-only
//! session does not answer the server's step 1: the server would not apply the answer.)
//!
//! ## Updates out of order
//!
//! An update that follows one this replica has not received
//! ([`ReplicaError::OutOfOrder`]: during the first sync, the server may relay a newer update
//! before its step 2 brings the older ones) is not applied; the step 2 on its way brings it,
//! or, when none is, the session sends a step 1 of its own to get one.
//!
//! ## Hostile frames
//!
//! A frame that does not decode, that is for another document, or whose update the replica
//! refuses ([`crate::replica::Replica::apply_remote`]), is an error, and the replica is left as
//! it was, and so are the session's access and sync state.

use crate::changes::Changes;
use crate::limits::Limits;
use crate::protocol::{decode, encode, Incoming, Outgoing, ProtocolError, SyncMessage};
use crate::replica::{Replica, ReplicaError};
use crate::update_check::{check_snapshot, check_state_vector};

/// What the server lets this session do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// No connection: before [`Session::on_open`], after [`Session::on_close`], after the
    /// server closed the document, or after [`Session::leave`].
    Closed,
    /// Auth sent, no answer yet.
    Authenticating,
    ReadWrite,
    ReadOnly,
    /// The server refused the token.
    Denied,
}

/// Something the page should know about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The server accepted the token.
    Authenticated { read_only: bool },
    /// The server refused the token; nothing more will come on this connection.
    Denied { reason: String },
    /// Keys another replica set or removed, with the values they hold now.
    Remote(Changes),
    /// The server's step 2 arrived: this replica holds everything the server had when it
    /// answered this connection's step 1 (again after a step 1 the session sent to catch up
    /// with an update out of order).
    Synced,
    /// The server applied (or, when read-only, did not apply) this client's last step 2 or
    /// update. Applied is not stored: see [`Event::Stored`].
    Acknowledged { applied: bool },
    /// The server stored the document up to `stored_state_vector` (a Yjs v1 state vector), with
    /// the removals `stored_deletions` holds (a Yjs v1 snapshot; empty when the server sent
    /// none); `unacknowledged` of this replica's own writes are not stored yet
    /// ([`Replica::unacknowledged`]), and `missing` of all the writes and removals it holds
    /// ([`Replica::missing_from`], [`Replica::removals_missing_from`]).
    Stored {
        unacknowledged: usize,
        missing: usize,
        stored_state_vector: Vec<u8>,
        stored_deletions: Vec<u8>,
    },
    /// The server would not take an update, and says why.
    Refused { message: String },
    /// A stateless message that is neither of the above, for the page to read or ignore.
    Stateless { payload: String },
    /// The server closed this document's connection.
    Closed { reason: String },
}

/// What a frame led to: events for the page, and frames to send back, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reaction {
    pub events: Vec<Event>,
    pub send: Vec<Vec<u8>>,
}

/// Why a frame was not taken. The replica and the session are as they were.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    #[error("the frame is for document {document:?}, not this session's")]
    OtherDocument { document: String },
    #[error("the server's update was refused: {0}")]
    Update(ReplicaError),
    #[error("the server's sync step 1 was refused: {0}")]
    StateVector(ReplicaError),
    #[error("the server's stored message is malformed: {what}")]
    MalformedStored { what: &'static str },
}

/// One shared document's connection state and its replica.
#[derive(Debug)]
pub struct Session {
    document: String,
    token: String,
    replica: Replica,
    limits: Limits,
    access: Access,
    synced: bool,
    /// A server step 1 that came before the server said this session may write.
    deferred_step_1: Option<Vec<u8>>,
    /// Whether a step 1 of ours awaits the server's step 2.
    awaiting_step_2: bool,
}

impl Session {
    /// A session for `document`, authenticating with `token`, over `replica` (new, or restored
    /// from the offline copy), taking remote updates within `limits`.
    pub fn new(
        document: impl Into<String>,
        token: impl Into<String>,
        replica: Replica,
        limits: Limits,
    ) -> Self {
        Self {
            document: document.into(),
            token: token.into(),
            replica,
            limits,
            access: Access::Closed,
            synced: false,
            deferred_step_1: None,
            awaiting_step_2: false,
        }
    }

    pub fn document(&self) -> &str {
        &self.document
    }

    pub fn access(&self) -> Access {
        self.access
    }

    /// Whether the server's step 2 has arrived on this connection.
    pub fn is_synced(&self) -> bool {
        self.synced
    }

    pub fn replica(&self) -> &Replica {
        &self.replica
    }

    pub fn into_replica(self) -> Replica {
        self.replica
    }

    /// The token for the next Auth frame (a renewed one, say).
    pub fn set_token(&mut self, token: impl Into<String>) {
        self.token = token.into();
    }

    /// The socket opened (or reopened): the frames to send, Auth then sync step 1.
    pub fn on_open(&mut self) -> Vec<Vec<u8>> {
        self.access = Access::Authenticating;
        self.synced = false;
        self.deferred_step_1 = None;
        self.awaiting_step_2 = true;
        let state_vector = self.replica.state_vector();
        vec![
            encode(&self.document, &Outgoing::Auth { token: &self.token }),
            encode(
                &self.document,
                &Outgoing::SyncStep1 {
                    state_vector: &state_vector,
                },
            ),
        ]
    }

    /// The socket closed. Edits keep applying to the replica until the next [`Session::on_open`].
    pub fn on_close(&mut self) {
        self.access = Access::Closed;
        self.synced = false;
        self.deferred_step_1 = None;
        self.awaiting_step_2 = false;
    }

    /// Leaves the document while the socket stays open for others: the frame to send.
    pub fn leave(&mut self) -> Vec<u8> {
        self.on_close();
        encode(&self.document, &Outgoing::Close)
    }

    /// Applies this page's edits to the replica; returns the update frame to send, if the
    /// session may write now and anything changed (see the module documentation).
    pub fn local(&mut self, changes: &Changes) -> Option<Vec<u8>> {
        let update = self.replica.apply_local(changes)?;
        (self.access == Access::ReadWrite)
            .then(|| encode(&self.document, &Outgoing::Update { update: &update }))
    }

    /// Takes one frame from the server for this document.
    ///
    /// # Errors
    /// See the module documentation: nothing changed.
    pub fn on_frame(&mut self, frame: &[u8]) -> Result<Reaction, SessionError> {
        let (document, incoming) = decode(frame)?;
        if document != self.document {
            return Err(SessionError::OtherDocument { document });
        }
        let mut reaction = Reaction::default();
        match incoming {
            Incoming::Sync(SyncMessage::Step1 { state_vector }) => {
                if self.access == Access::ReadWrite {
                    reaction.send.push(self.step_2_for(&state_vector)?);
                } else if self.access == Access::Authenticating {
                    check_state_vector(&state_vector).map_err(SessionError::StateVector)?;
                    self.deferred_step_1 = Some(state_vector);
                }
            }
            Incoming::Sync(SyncMessage::Step2 { update }) => {
                // Answered, even if refused: a later update out of order asks again.
                self.awaiting_step_2 = false;
                self.apply_remote(&update, &mut reaction)?;
                self.synced = true;
                reaction.events.push(Event::Synced);
            }
            Incoming::Sync(SyncMessage::Update { update }) => {
                match self.apply_remote(&update, &mut reaction) {
                    // It follows an update this replica has not received: a step 2 brings both,
                    // the one on its way or one asked for now.
                    Err(SessionError::Update(ReplicaError::OutOfOrder { .. })) => {
                        if !self.awaiting_step_2 {
                            let state_vector = self.replica.state_vector();
                            reaction.send.push(encode(
                                &self.document,
                                &Outgoing::SyncStep1 {
                                    state_vector: &state_vector,
                                },
                            ));
                            self.awaiting_step_2 = true;
                        }
                    }
                    other => other?,
                }
            }
            Incoming::TokenRequest => {
                reaction.send.push(encode(
                    &self.document,
                    &Outgoing::Auth { token: &self.token },
                ));
            }
            Incoming::Authenticated { read_only } => {
                if !read_only {
                    if let Some(state_vector) = &self.deferred_step_1 {
                        reaction.send.push(self.step_2_for(state_vector)?);
                    }
                }
                self.deferred_step_1 = None;
                self.access = if read_only {
                    Access::ReadOnly
                } else {
                    Access::ReadWrite
                };
                reaction.events.push(Event::Authenticated { read_only });
            }
            Incoming::PermissionDenied { reason } => {
                self.access = Access::Denied;
                self.deferred_step_1 = None;
                reaction.events.push(Event::Denied { reason });
            }
            Incoming::SyncStatus { applied } => {
                reaction.events.push(Event::Acknowledged { applied })
            }
            Incoming::Stateless(payload) => reaction.events.extend(self.read_stateless(payload)?),
            Incoming::Close { reason } => {
                self.on_close();
                reaction.events.push(Event::Closed { reason });
            }
            Incoming::Awareness | Incoming::QueryAwareness | Incoming::Other { .. } => {}
        }
        Ok(reaction)
    }

    fn step_2_for(&self, state_vector: &[u8]) -> Result<Vec<u8>, SessionError> {
        let update = self
            .replica
            .diff_since(state_vector)
            .map_err(SessionError::StateVector)?;
        Ok(encode(
            &self.document,
            &Outgoing::SyncStep2 { update: &update },
        ))
    }

    fn apply_remote(&mut self, update: &[u8], reaction: &mut Reaction) -> Result<(), SessionError> {
        let changes = self
            .replica
            .apply_remote(update, &self.limits)
            .map_err(SessionError::Update)?;
        if !changes.is_empty() {
            reaction.events.push(Event::Remote(changes));
        }
        Ok(())
    }

    /// Our server's `{"stored": …}` and `{"refused": …}`; anything else is passed on.
    fn read_stateless(&self, payload: String) -> Result<Vec<Event>, SessionError> {
        let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(&payload) else {
            return Ok(vec![Event::Stateless { payload }]);
        };
        let stored = fields.get("stored");
        let refused = fields.get("refused");
        if stored.is_none() && refused.is_none() {
            return Ok(vec![Event::Stateless { payload }]);
        }
        let mut events = Vec::new();
        if let Some(stored) = stored {
            let encoded = stored.as_str().ok_or(SessionError::MalformedStored {
                what: "\"stored\" is not a string",
            })?;
            let stored_state_vector =
                crate::base64::decode(encoded).ok_or(SessionError::MalformedStored {
                    what: "\"stored\" is not padded standard base64",
                })?;
            // The state vector is checked here so that a malformed one is an error, not a
            // count of everything.
            check_state_vector(&stored_state_vector).map_err(|_| {
                SessionError::MalformedStored {
                    what: "\"stored\" is not a Yjs state vector",
                }
            })?;
            let stored_deletions = match fields.get("deleted") {
                None => Vec::new(),
                Some(deleted) => deleted
                    .as_str()
                    .and_then(crate::base64::decode)
                    .filter(|bytes| check_snapshot(bytes).is_ok())
                    .ok_or(SessionError::MalformedStored {
                        what: "\"deleted\" is not a base64 Yjs snapshot",
                    })?,
            };
            events.push(Event::Stored {
                unacknowledged: self.replica.unacknowledged(&stored_state_vector),
                missing: self
                    .replica
                    .missing_from(&stored_state_vector)
                    .saturating_add(self.replica.removals_missing_from(&stored_deletions)),
                stored_state_vector,
                stored_deletions,
            });
        }
        if let Some(refused) = refused {
            let message = match refused {
                serde_json::Value::String(message) => message.clone(),
                other => other.to_string(),
            };
            events.push(Event::Refused { message });
        }
        Ok(events)
    }
}
