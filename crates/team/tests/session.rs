//! Sessions talking to a fake Hocuspocus server built on a third replica, which behaves as the
//! 3.4.4 server does: it holds every frame but Auth until the token is checked, answers a step
//! 1 with its own step 1 then its step 2, applies a step 2 or update and acknowledges it with a
//! SyncStatus frame, relays each applied update to every connection of the document (the
//! sender's included), and, as our server does, says what it stored in a stateless message.

mod common;

use std::collections::VecDeque;

use annotator_team::protocol::{encode, Outgoing};
use annotator_team::session::{Access, Event, Session, SessionError};
use annotator_team::{Changes, Limits, Replica, ReplicaError, SharedMap};
use common::{remove, set};
use yrs::encoding::write::Write;

const DOCUMENT: &str = "article-1";

/// A lib0 reader for the frames clients send (the crate decodes the server's).
struct Frame<'a>(&'a [u8]);

impl<'a> Frame<'a> {
    fn number(&mut self) -> u64 {
        let mut value = 0;
        let mut shift = 0;
        loop {
            let (&byte, rest) = self.0.split_first().expect("a byte");
            self.0 = rest;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return value;
            }
            shift += 7;
        }
    }

    fn bytes(&mut self) -> &'a [u8] {
        let len = usize::try_from(self.number()).expect("a length");
        let (bytes, rest) = self.0.split_at(len);
        self.0 = rest;
        bytes
    }

    fn string(&mut self) -> &'a str {
        std::str::from_utf8(self.bytes()).expect("UTF-8")
    }
}

/// A server frame for `DOCUMENT`: the type, then `payload`.
fn server_frame(message_type: u64, payload: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut frame = Vec::new();
    frame.write_string(DOCUMENT);
    frame.write_var(message_type);
    payload(&mut frame);
    frame
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = String::new();
    for chunk in bytes.chunks(3) {
        let bits = chunk
            .iter()
            .enumerate()
            .fold(0u32, |bits, (i, &b)| bits | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                text.push(char::from(ALPHABET[((bits >> (18 - 6 * i)) & 63) as usize]));
            } else {
                text.push('=');
            }
        }
    }
    text
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ConnectionState {
    Waiting,
    ReadWrite,
    ReadOnly,
    Denied,
}

struct Connection {
    state: ConnectionState,
    held: Vec<Vec<u8>>,
    outbox: VecDeque<Vec<u8>>,
    open: bool,
}

struct FakeServer {
    doc: Replica,
    connections: Vec<Connection>,
}

impl FakeServer {
    fn new() -> Self {
        Self {
            doc: Replica::new(1_000),
            connections: Vec::new(),
        }
    }

    fn connect(&mut self) -> usize {
        self.connections.push(Connection {
            state: ConnectionState::Waiting,
            held: Vec::new(),
            outbox: VecDeque::new(),
            open: true,
        });
        self.connections.len() - 1
    }

    fn disconnect(&mut self, connection: usize) {
        let connection = &mut self.connections[connection];
        connection.open = false;
        connection.outbox.clear();
    }

    fn send(&mut self, connection: usize, frame: Vec<u8>) {
        if self.connections[connection].open {
            self.connections[connection].outbox.push_back(frame);
        }
    }

    fn receive(&mut self, connection: usize, frame: &[u8]) {
        let mut reader = Frame(frame);
        assert_eq!(reader.string(), DOCUMENT);
        let message_type = reader.number();
        match self.connections[connection].state {
            ConnectionState::Denied => {}
            ConnectionState::Waiting if message_type != 2 => {
                self.connections[connection].held.push(frame.to_vec())
            }
            ConnectionState::Waiting => {
                assert_eq!(reader.number(), 0, "a token");
                let (state, answer) = match reader.string() {
                    "read-write" => (
                        ConnectionState::ReadWrite,
                        server_frame(2, |f| {
                            f.write_var(2u8);
                            f.write_string("read-write");
                        }),
                    ),
                    "read-only" => (
                        ConnectionState::ReadOnly,
                        server_frame(2, |f| {
                            f.write_var(2u8);
                            f.write_string("readonly");
                        }),
                    ),
                    _ => (
                        ConnectionState::Denied,
                        server_frame(2, |f| {
                            f.write_var(1u8);
                            f.write_string("permission-denied");
                        }),
                    ),
                };
                self.connections[connection].state = state;
                self.send(connection, answer);
                if state != ConnectionState::Denied {
                    for held in std::mem::take(&mut self.connections[connection].held) {
                        self.receive(connection, &held);
                    }
                }
            }
            state => {
                if message_type != 0 {
                    return;
                }
                match reader.number() {
                    0 => {
                        let their_state = reader.bytes();
                        let ours = self.doc.state_vector();
                        self.send(
                            connection,
                            server_frame(0, |f| {
                                f.write_var(0u8);
                                f.write_buf(&ours);
                            }),
                        );
                        let diff = self.doc.diff_since(their_state).expect("a state vector");
                        self.send(
                            connection,
                            server_frame(0, |f| {
                                f.write_var(1u8);
                                f.write_buf(&diff);
                            }),
                        );
                    }
                    _ => {
                        let update = reader.bytes();
                        if state == ConnectionState::ReadOnly {
                            self.send(connection, server_frame(8, |f| f.write_var(0u8)));
                            return;
                        }
                        let before = self.doc.save();
                        self.doc
                            .apply_remote(update, &Limits::default())
                            .expect("the server takes it");
                        // Yjs emits (and the server relays) an update only when something changed.
                        if self.doc.save() == before {
                            self.send(connection, server_frame(8, |f| f.write_var(1u8)));
                            return;
                        }
                        for other in 0..self.connections.len() {
                            if self.connections[other].state != ConnectionState::Waiting {
                                self.send(
                                    other,
                                    server_frame(0, |f| {
                                        f.write_var(2u8);
                                        f.write_buf(update);
                                    }),
                                );
                            }
                        }
                        self.send(connection, server_frame(8, |f| f.write_var(1u8)));
                        let stored = format!(
                            "{{\"stored\":\"{}\",\"deleted\":\"{}\"}}",
                            base64(&self.doc.state_vector()),
                            base64(&self.doc.removals())
                        );
                        for other in 0..self.connections.len() {
                            self.send(other, server_frame(5, |f| f.write_string(&stored)));
                        }
                    }
                }
            }
        }
    }
}

/// A session with its connection to the server, and every event it reported.
struct Client {
    session: Session,
    connection: Option<usize>,
    events: Vec<Event>,
}

impl Client {
    fn new(client_id: u64, token: &str) -> Self {
        let replica = Replica::new(client_id);
        Self {
            session: Session::new(DOCUMENT, token, replica, Limits::default()),
            connection: None,
            events: Vec::new(),
        }
    }

    fn connect(&mut self, server: &mut FakeServer) {
        let connection = server.connect();
        self.connection = Some(connection);
        for frame in self.session.on_open() {
            server.receive(connection, &frame);
        }
    }

    fn disconnect(&mut self, server: &mut FakeServer) {
        if let Some(connection) = self.connection.take() {
            server.disconnect(connection);
        }
        self.session.on_close();
    }

    fn edit(&mut self, server: &mut FakeServer, changes: &Changes) {
        if let Some(frame) = self.session.local(changes) {
            let connection = self.connection.expect("a frame only when connected");
            server.receive(connection, &frame);
        }
    }

    fn annotation(&self, key: &str) -> Option<String> {
        self.session.replica().get(SharedMap::Annotations, key)
    }

    fn last_stored(&self) -> Option<usize> {
        self.events.iter().rev().find_map(|event| match event {
            Event::Stored { unacknowledged, .. } => Some(*unacknowledged),
            _ => None,
        })
    }
}

/// Delivers frames both ways until nothing moves.
fn pump(server: &mut FakeServer, clients: &mut [&mut Client]) {
    loop {
        let mut moved = false;
        for client in clients.iter_mut() {
            let Some(connection) = client.connection else {
                continue;
            };
            while let Some(frame) = server.connections[connection].outbox.pop_front() {
                moved = true;
                let reaction = client
                    .session
                    .on_frame(&frame)
                    .expect("the server's frames are taken");
                client.events.extend(reaction.events);
                for reply in reaction.send {
                    server.receive(connection, &reply);
                }
            }
        }
        if !moved {
            return;
        }
    }
}

#[test]
fn the_session_opens_with_auth_then_sync_step_1() {
    let mut session = Session::new(DOCUMENT, "tk", Replica::new(1), Limits::default());
    let frames = session.on_open();
    let replica_state = Replica::new(1).state_vector();
    assert_eq!(
        frames,
        vec![
            encode(DOCUMENT, &Outgoing::Auth { token: "tk" }),
            encode(
                DOCUMENT,
                &Outgoing::SyncStep1 {
                    state_vector: &replica_state
                }
            ),
        ]
    );
    assert_eq!(session.access(), Access::Authenticating);
}

#[test]
fn two_sessions_see_each_others_edits_live() {
    let mut server = FakeServer::new();
    let mut a = Client::new(1, "read-write");
    let mut b = Client::new(2, "read-write");
    a.connect(&mut server);
    b.connect(&mut server);
    pump(&mut server, &mut [&mut a, &mut b]);
    for client in [&a, &b] {
        assert_eq!(client.session.access(), Access::ReadWrite);
        assert!(client.session.is_synced());
        // The session answered the server's step 1 (with nothing), which the server acknowledged.
        let handshake = [
            Event::Authenticated { read_only: false },
            Event::Synced,
            Event::Acknowledged { applied: true },
        ];
        assert_eq!(client.events, handshake);
    }
    a.edit(&mut server, &set("a1", "from a"));
    pump(&mut server, &mut [&mut a, &mut b]);
    assert_eq!(b.annotation("a1").as_deref(), Some("from a"));
    assert!(b.events.contains(&Event::Remote(set("a1", "from a"))));
    assert!(a.events.contains(&Event::Acknowledged { applied: true }));
    assert_eq!(a.last_stored(), Some(0));
    // The echo of its own update told A nothing new.
    assert!(!a
        .events
        .iter()
        .any(|event| matches!(event, Event::Remote(_))));
    b.edit(&mut server, &remove("a1"));
    pump(&mut server, &mut [&mut a, &mut b]);
    assert_eq!(a.annotation("a1"), None);
    assert_eq!(a.session.replica().snapshot(), server.doc.snapshot());
    assert_eq!(b.session.replica().snapshot(), server.doc.snapshot());
}

#[test]
fn offline_edits_reach_the_server_on_reconnect_and_everyone_converges() {
    let mut server = FakeServer::new();
    let mut a = Client::new(1, "read-write");
    let mut b = Client::new(2, "read-write");
    a.connect(&mut server);
    b.connect(&mut server);
    pump(&mut server, &mut [&mut a, &mut b]);
    a.edit(&mut server, &set("shared", "before"));
    pump(&mut server, &mut [&mut a, &mut b]);

    a.disconnect(&mut server);
    assert_eq!(a.session.access(), Access::Closed);
    // Offline: applied to the replica, no frame.
    assert_eq!(a.session.local(&set("offline", "a")), None);
    assert_eq!(a.session.local(&set("shared", "a's")), None);
    assert_eq!(a.annotation("offline").as_deref(), Some("a"));
    b.edit(&mut server, &set("online", "b"));
    b.edit(&mut server, &remove("shared"));
    pump(&mut server, &mut [&mut a, &mut b]);
    assert_eq!(server.doc.get(SharedMap::Annotations, "offline"), None);

    a.events.clear();
    a.connect(&mut server);
    pump(&mut server, &mut [&mut a, &mut b]);
    let expected = server.doc.snapshot();
    assert_eq!(a.session.replica().snapshot(), expected);
    assert_eq!(b.session.replica().snapshot(), expected);
    assert_eq!(
        server.doc.get(SharedMap::Annotations, "offline").as_deref(),
        Some("a")
    );
    assert_eq!(
        server.doc.get(SharedMap::Annotations, "online").as_deref(),
        Some("b")
    );
    // A's set of "shared" raced B's removal, so it stays.
    assert_eq!(
        server.doc.get(SharedMap::Annotations, "shared").as_deref(),
        Some("a's")
    );
    assert!(a.events.contains(&Event::Synced));
    assert!(a.events.contains(&Event::Remote(Changes {
        annotations: vec![("online".into(), Some("b".into()))],
        ..Changes::default()
    })));
    assert_eq!(a.last_stored(), Some(0));
}

#[test]
fn edits_before_the_token_is_checked_go_out_with_step_2() {
    let mut server = FakeServer::new();
    let mut a = Client::new(1, "read-write");
    a.connect(&mut server);
    assert_eq!(a.session.local(&set("early", "1")), None);
    pump(&mut server, &mut [&mut a]);
    assert_eq!(
        server.doc.get(SharedMap::Annotations, "early").as_deref(),
        Some("1")
    );
    assert_eq!(a.last_stored(), Some(0));
}

#[test]
fn a_read_only_session_keeps_its_edits_and_hears_the_others() {
    let mut server = FakeServer::new();
    let mut reader = Client::new(1, "read-only");
    let mut writer = Client::new(2, "read-write");
    reader.connect(&mut server);
    writer.connect(&mut server);
    pump(&mut server, &mut [&mut reader, &mut writer]);
    assert_eq!(reader.session.access(), Access::ReadOnly);
    assert!(reader
        .events
        .contains(&Event::Authenticated { read_only: true }));
    assert_eq!(reader.session.local(&set("mine", "x")), None);
    writer.edit(&mut server, &set("theirs", "y"));
    pump(&mut server, &mut [&mut reader, &mut writer]);
    assert_eq!(reader.annotation("theirs").as_deref(), Some("y"));
    assert_eq!(server.doc.get(SharedMap::Annotations, "mine"), None);
    // Reconnecting read-only does not send it either.
    reader.disconnect(&mut server);
    reader.connect(&mut server);
    pump(&mut server, &mut [&mut reader, &mut writer]);
    assert_eq!(server.doc.get(SharedMap::Annotations, "mine"), None);
    assert!(reader.session.is_synced());
}

#[test]
fn a_denied_session_sends_nothing() {
    let mut server = FakeServer::new();
    let mut a = Client::new(1, "wrong");
    a.connect(&mut server);
    pump(&mut server, &mut [&mut a]);
    assert_eq!(a.session.access(), Access::Denied);
    assert_eq!(
        a.events,
        vec![Event::Denied {
            reason: "permission-denied".into()
        }]
    );
    assert_eq!(a.session.local(&set("k", "v")), None);
    assert!(!a.session.is_synced());
}

#[test]
fn a_token_request_is_answered_and_a_close_ends_writing() {
    let mut session = Session::new(DOCUMENT, "tk", Replica::new(1), Limits::default());
    session.on_open();
    let request = server_frame(2, |f| f.write_var(0u8));
    let reaction = session.on_frame(&request).expect("a token request");
    assert_eq!(
        reaction.send,
        vec![encode(DOCUMENT, &Outgoing::Auth { token: "tk" })]
    );
    let authenticated = server_frame(2, |f| {
        f.write_var(2u8);
        f.write_string("read-write");
    });
    session.on_frame(&authenticated).expect("authenticated");
    assert!(session.local(&set("k", "v")).is_some());
    let close = server_frame(7, |f| f.write_string("Server closed the connection"));
    let reaction = session.on_frame(&close).expect("a close");
    assert_eq!(
        reaction.events,
        vec![Event::Closed {
            reason: "Server closed the connection".into()
        }]
    );
    assert_eq!(session.access(), Access::Closed);
    assert_eq!(session.local(&set("k", "w")), None);
    assert_eq!(session.leave(), encode(DOCUMENT, &Outgoing::Close));
}

#[test]
fn stateless_messages_are_read() {
    let mut server = Replica::new(1_000);
    let mut session = Session::new(DOCUMENT, "tk", Replica::new(1), Limits::default());
    session.local(&set("a", "1"));
    session.local(&set("b", "2"));
    let stored = |state: &[u8]| {
        server_frame(5, |f| {
            f.write_string(&format!("{{\"stored\":\"{}\"}}", base64(state)))
        })
    };
    let events = session
        .on_frame(&stored(&server.state_vector()))
        .expect("stored")
        .events;
    assert_eq!(
        events,
        vec![Event::Stored {
            unacknowledged: 2,
            missing: 2,
            stored_state_vector: server.state_vector(),
            stored_deletions: Vec::new(),
        }]
    );
    common::sync(session.replica(), &mut server);
    let events = session
        .on_frame(&stored(&server.state_vector()))
        .expect("stored")
        .events;
    assert!(matches!(
        events.as_slice(),
        [Event::Stored {
            unacknowledged: 0,
            missing: 0,
            ..
        }]
    ));

    // A removal counts until the server's stored removals hold it.
    session.local(&common::remove("a"));
    let stored_with = |state: &[u8], removals: &[u8]| {
        server_frame(5, |f| {
            f.write_string(&format!(
                "{{\"stored\":\"{}\",\"deleted\":\"{}\"}}",
                base64(state),
                base64(removals)
            ))
        })
    };
    let missing = |events: Vec<Event>| match events.as_slice() {
        [Event::Stored { missing, .. }] => *missing,
        other => panic!("not a stored event: {other:?}"),
    };
    let events = session
        .on_frame(&stored_with(&server.state_vector(), &server.removals()))
        .expect("stored")
        .events;
    assert_eq!(missing(events), 1);
    common::sync(session.replica(), &mut server);
    let events = session
        .on_frame(&stored_with(&server.state_vector(), &server.removals()))
        .expect("stored")
        .events;
    assert_eq!(missing(events), 0);

    let refused = server_frame(5, |f| f.write_string("{\"refused\":\"too large\"}"));
    assert_eq!(
        session.on_frame(&refused).expect("refused").events,
        vec![Event::Refused {
            message: "too large".into()
        }]
    );
    for payload in ["hello", "{\"other\":1}", "[1]"] {
        let frame = server_frame(5, |f| f.write_string(payload));
        assert_eq!(
            session.on_frame(&frame).expect("passed on").events,
            vec![Event::Stateless {
                payload: payload.into()
            }]
        );
    }
    for payload in [
        "{\"stored\":\"not base64!\"}",
        "{\"stored\":5}",
        "{\"stored\":\"/w==\"}",
        "{\"stored\":\"AA==\",\"deleted\":\"not base64!\"}",
        "{\"stored\":\"AA==\",\"deleted\":\"/w==\"}",
        "{\"stored\":\"AA==\",\"deleted\":7}",
    ] {
        let frame = server_frame(5, |f| f.write_string(payload));
        assert!(
            matches!(
                session.on_frame(&frame),
                Err(SessionError::MalformedStored { .. })
            ),
            "{payload}"
        );
    }
}

#[test]
fn an_update_out_of_order_waits_for_the_step_2_or_asks_for_one() {
    let mut session = Session::new(DOCUMENT, "tk", Replica::new(1), Limits::default());
    let mut peer = Replica::new(2);
    let first = peer.apply_local(&set("p1", "1")).expect("a change");
    let second = peer.apply_local(&set("p2", "2")).expect("a change");
    let update = |update: &[u8]| {
        server_frame(0, |f| {
            f.write_var(2u8);
            f.write_buf(update);
        })
    };
    let step_2 = |update: &[u8]| {
        server_frame(0, |f| {
            f.write_var(1u8);
            f.write_buf(update);
        })
    };
    session.on_open();
    // Before the step 2: ignored, the step 2 will bring it.
    assert_eq!(
        session.on_frame(&update(&second)).expect("ignored"),
        Default::default()
    );
    let full = peer.diff_since(&[0]).expect("valid");
    let events = session.on_frame(&step_2(&full)).expect("the step 2").events;
    assert_eq!(events.last(), Some(&Event::Synced));
    assert_eq!(session.replica().snapshot(), peer.snapshot());
    // After it: a step 1 asks for what came between.
    let third = peer.apply_local(&set("p3", "3")).expect("a change");
    let fourth = peer.apply_local(&set("p4", "4")).expect("a change");
    let reaction = session.on_frame(&update(&fourth)).expect("ask");
    let state_vector = session.replica().state_vector();
    assert_eq!(
        reaction.send,
        vec![encode(
            DOCUMENT,
            &Outgoing::SyncStep1 {
                state_vector: &state_vector
            }
        )]
    );
    // Asked once only, until the step 2 comes.
    assert!(session
        .on_frame(&update(&fourth))
        .expect("ignored")
        .send
        .is_empty());
    session.on_frame(&update(&third)).expect("in order");
    session.on_frame(&update(&fourth)).expect("in order");
    assert_eq!(session.replica().snapshot(), peer.snapshot());
    let _ = first;
}

#[test]
fn hostile_frames_are_errors_that_change_nothing() {
    let mut server = FakeServer::new();
    let mut a = Client::new(1, "read-write");
    a.connect(&mut server);
    pump(&mut server, &mut [&mut a]);
    a.edit(&mut server, &set("k", "v"));
    pump(&mut server, &mut [&mut a]);
    let session = &mut a.session;
    let before = session.replica().save();

    let mut not_a_string = Vec::new();
    for number in [1u64, 1, 77, 0] {
        not_a_string.write_var(number);
    }
    not_a_string.write_u8(0x28);
    not_a_string.write_var(1u8);
    not_a_string.write_string("annotations");
    not_a_string.write_string("n");
    not_a_string.write_var(1u8);
    not_a_string.write_u8(125);
    not_a_string.write_var(5u8);
    not_a_string.write_var(0u8);
    let update = server_frame(0, |f| {
        f.write_var(2u8);
        f.write_buf(&not_a_string);
    });
    assert_eq!(
        session.on_frame(&update),
        Err(SessionError::Update(ReplicaError::NotAString))
    );
    let step_2 = server_frame(0, |f| {
        f.write_var(1u8);
        f.write_buf(&not_a_string);
    });
    assert!(session.on_frame(&step_2).is_err());
    let bad_state_vector = server_frame(0, |f| {
        f.write_var(0u8);
        f.write_buf([5, 1]);
    });
    assert!(matches!(
        session.on_frame(&bad_state_vector),
        Err(SessionError::StateVector(_))
    ));
    let other_document = encode("other", &Outgoing::Update { update: &[0, 0] });
    assert_eq!(
        session.on_frame(&other_document),
        Err(SessionError::OtherDocument {
            document: "other".into()
        })
    );
    let wrong_kinds = [
        server_frame(0, |f| f.write_var(9u8)),
        server_frame(2, |f| f.write_var(9u8)),
    ];
    for frame in wrong_kinds {
        assert!(matches!(
            session.on_frame(&frame),
            Err(SessionError::Protocol(_))
        ));
    }
    let valid = server_frame(0, |f| {
        f.write_var(2u8);
        f.write_buf(
            Replica::new(5)
                .apply_local(&set("x", "y"))
                .expect("a change"),
        );
    });
    for cut in 0..valid.len() {
        assert!(session.on_frame(&valid[..cut]).is_err(), "cut at {cut}");
    }
    for garbage in [
        vec![],
        vec![0xff; 9],
        vec![9, b'a', b'r'],
        b"\x09article-1\x00\x02\xff\xff\xff\xff\x0f".to_vec(),
    ] {
        assert!(session.on_frame(&garbage).is_err());
    }
    assert_eq!(session.replica().save(), before);
    assert_eq!(session.access(), Access::ReadWrite);
    assert!(session.is_synced());
}
