//! The frames, byte for byte: what this crate encodes against what the Hocuspocus 3.4.4
//! provider writes, and what it decodes against frames made by the server's own
//! `OutgoingMessage` (hex below).

use annotator_team::protocol::{
    decode, document_of, encode, Incoming, Outgoing, ProtocolError, SyncMessage,
};
use annotator_team::WireError;

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// The server's `OutgoingMessage('doc-1')` frames.
const AUTHENTICATED_READ_WRITE: &str = "05646f632d3102020a726561642d7772697465";
const AUTHENTICATED_READ_ONLY: &str = "05646f632d31020208726561646f6e6c79";
const PERMISSION_DENIED: &str = "05646f632d310201117065726d697373696f6e2d64656e696564";
const TOKEN_REQUEST: &str = "05646f632d310200";
const SYNC_STATUS_APPLIED: &str = "05646f632d310801";
const SYNC_STATUS_NOT_APPLIED: &str = "05646f632d310800";
const STATELESS: &str = "05646f632d3105117b2273746f726564223a2241516345227d";
const CLOSE: &str = "05646f632d31071c53657276657220636c6f7365642074686520636f6e6e656374696f6e";
/// `createSyncMessage().writeFirstSyncStepFor(doc)` of a doc whose state vector is client 7 at
/// clock 4 (`010704`).
const SYNC_STEP_1: &str = "05646f632d31000003010704";
/// `createSyncMessage().writeUpdate(<empty update 0000>)`.
const SYNC_UPDATE: &str = "05646f632d310002020000";

#[test]
fn frames_from_the_server_decode() {
    let cases = [
        (
            AUTHENTICATED_READ_WRITE,
            Incoming::Authenticated { read_only: false },
        ),
        (
            AUTHENTICATED_READ_ONLY,
            Incoming::Authenticated { read_only: true },
        ),
        (
            PERMISSION_DENIED,
            Incoming::PermissionDenied {
                reason: "permission-denied".into(),
            },
        ),
        (TOKEN_REQUEST, Incoming::TokenRequest),
        (SYNC_STATUS_APPLIED, Incoming::SyncStatus { applied: true }),
        (
            SYNC_STATUS_NOT_APPLIED,
            Incoming::SyncStatus { applied: false },
        ),
        (
            STATELESS,
            Incoming::Stateless("{\"stored\":\"AQcE\"}".into()),
        ),
        (
            CLOSE,
            Incoming::Close {
                reason: "Server closed the connection".into(),
            },
        ),
        (
            SYNC_STEP_1,
            Incoming::Sync(SyncMessage::Step1 {
                state_vector: vec![1, 7, 4],
            }),
        ),
        (
            SYNC_UPDATE,
            Incoming::Sync(SyncMessage::Update { update: vec![0, 0] }),
        ),
    ];
    for (frame, expected) in cases {
        let frame = hex(frame);
        assert_eq!(
            decode(&frame),
            Ok(("doc-1".to_owned(), expected)),
            "{frame:02x?}"
        );
        assert_eq!(document_of(&frame), Ok("doc-1"));
    }
}

/// The provider's `AuthenticationMessage`, `SyncStepOneMessage`, `UpdateMessage`,
/// `StatelessMessage` and `CloseMessage`, written out from its source: document name, type,
/// then the payload.
#[test]
fn frames_to_the_server_are_the_providers() {
    let name = [5, b'd', b'o', b'c', b'-', b'1'];
    let framed = |rest: &[u8]| [&name[..], rest].concat();
    assert_eq!(
        encode("doc-1", &Outgoing::Auth { token: "tk" }),
        framed(&[2, 0, 2, b't', b'k'])
    );
    assert_eq!(
        encode(
            "doc-1",
            &Outgoing::SyncStep1 {
                state_vector: &[1, 7, 4]
            }
        ),
        hex(SYNC_STEP_1)
    );
    assert_eq!(
        encode("doc-1", &Outgoing::SyncStep2 { update: &[0, 0] }),
        framed(&[0, 1, 2, 0, 0])
    );
    assert_eq!(
        encode("doc-1", &Outgoing::Update { update: &[0, 0] }),
        hex(SYNC_UPDATE)
    );
    assert_eq!(
        encode("doc-1", &Outgoing::Stateless { payload: "hi" }),
        framed(&[5, 2, b'h', b'i'])
    );
    assert_eq!(encode("doc-1", &Outgoing::Close), framed(&[7]));
}

#[test]
fn names_and_payloads_of_any_length_round_trip() {
    let long_name = "ü".repeat(200);
    let big_update = vec![7u8; 70_000];
    let frame = encode(
        &long_name,
        &Outgoing::Update {
            update: &big_update,
        },
    );
    assert_eq!(
        decode(&frame),
        Ok((
            long_name,
            Incoming::Sync(SyncMessage::Update { update: big_update })
        ))
    );
}

#[test]
fn other_message_types_are_ignorable_and_bad_ones_are_errors() {
    let name = [1, b'd'];
    let framed = |rest: &[u8]| [&name[..], rest].concat();
    assert_eq!(
        decode(&framed(&[1, 2, 9, 9])),
        Ok(("d".into(), Incoming::Awareness))
    );
    assert_eq!(
        decode(&framed(&[3])),
        Ok(("d".into(), Incoming::QueryAwareness))
    );
    assert_eq!(
        decode(&framed(&[42, 1, 2, 3])),
        Ok(("d".into(), Incoming::Other { message_type: 42 }))
    );
    assert_eq!(
        decode(&framed(&[0, 3, 0])),
        Err(ProtocolError::UnknownSyncKind(3))
    );
    assert_eq!(
        decode(&framed(&[2, 5])),
        Err(ProtocolError::UnknownAuthKind(5))
    );
    assert_eq!(
        decode(&framed(&[0, 1, 5, 0])),
        Err(ProtocolError::Wire(WireError::Truncated))
    );
    assert_eq!(
        decode(&framed(&[5, 1, 0xff])),
        Err(ProtocolError::Wire(WireError::NotUtf8))
    );
    assert_eq!(decode(&[]), Err(ProtocolError::Wire(WireError::Truncated)));
    assert_eq!(
        decode(&[3, b'a']),
        Err(ProtocolError::Wire(WireError::Truncated))
    );
    assert_eq!(
        decode(&name),
        Err(ProtocolError::Wire(WireError::Truncated))
    );
    // Every cut of a valid frame is an error, except where a message is already complete.
    let frame = hex(PERMISSION_DENIED);
    for cut in 0..frame.len() {
        assert!(decode(&frame[..cut]).is_err(), "cut at {cut}");
    }
    // Bytes after a complete message are ignored, as lib0's readers do.
    let mut trailing = hex(SYNC_STATUS_APPLIED);
    trailing.push(0xff);
    assert_eq!(
        decode(&trailing),
        Ok(("doc-1".into(), Incoming::SyncStatus { applied: true }))
    );
}
