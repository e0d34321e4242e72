//! Nothing from the network can make the crate panic, and a refused update leaves the replica
//! exactly as it was: random bytes, valid updates with bytes changed or cut, and well-formed
//! updates of the shared doc's shape whose origins and deletions point anywhere, fed to every
//! entry point that reads bytes. (The page's wasm is built with `panic = "abort"`.)

mod common;

use annotator_team::protocol::decode;
use annotator_team::session::Session;
use annotator_team::{Changes, Limits, Replica, SharedMap};
use proptest::prelude::*;
use proptest::sample::Index;
use yrs::encoding::write::Write;

/// A replica with history: sets, overwrites and removals from two clients.
fn populated() -> Replica {
    let mut replica = Replica::new(1);
    let mut other = Replica::new(2);
    for (n, key) in ["a1", "a2", "a3", "a1"].into_iter().enumerate() {
        common::local(&mut replica, &common::set(key, &format!("v{n}")));
        let update = common::local(&mut other, &common::set(key, &format!("w{n}")));
        common::remote(&mut replica, &update);
    }
    common::local(&mut replica, &common::remove("a2"));
    replica
}

/// Applies `update` and checks the promise: refused means unchanged; accepted means a replica
/// that still saves, restores and answers.
fn apply_checked(
    replica: &mut Replica,
    update: &[u8],
    limits: &Limits,
) -> Result<(), TestCaseError> {
    let before = replica.save();
    match replica.apply_remote(update, limits) {
        Err(_) => prop_assert_eq!(replica.save(), before),
        Ok(_) => {
            let saved = replica.save();
            let restored = Replica::from_saved(replica.client_id(), &saved);
            prop_assert!(restored.is_ok(), "{:?}", restored.err());
            // Restoring re-examines what waits for a predecessor (the replica's module
            // documentation): only without any is the copy the same at once.
            if let (Ok(restored), false) = (restored, replica.has_waiting_updates()) {
                prop_assert_eq!(restored.snapshot(), replica.snapshot());
            }
            prop_assert!(replica.diff_since(&replica.state_vector()).is_ok());
            let next = if replica.get(SharedMap::Annotations, "after").as_deref() == Some("x") {
                "y"
            } else {
                "x"
            };
            prop_assert!(replica.apply_local(&common::set("after", next)).is_some());
        }
    }
    Ok(())
}

/// Valid updates of every kind the crate makes: single writes, batches, removals, whole states.
fn valid_updates() -> Vec<Vec<u8>> {
    let mut source = populated();
    let mut updates = vec![source.save(), source.diff_since(&[1, 1, 1]).expect("valid")];
    updates.push(common::local(
        &mut source,
        &Changes {
            annotations: vec![("a1".into(), Some("changed".into())), ("a3".into(), None)],
            relations: vec![("a1|r|a3".into(), true)],
            article: vec![("title".into(), Some("\"T\"".into()))],
        },
    ));
    updates.push(common::local(&mut source, &common::remove("a1")));
    updates.push(common::local(
        &mut Replica::new(9),
        &common::set("new", "value"),
    ));
    updates
}

#[derive(Clone, Debug)]
enum Mutation {
    Replace(Index, u8),
    Insert(Index, u8),
    Remove(Index),
    Truncate(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Replace(at, byte)),
        1 => (any::<Index>(), prop_oneof![Just(0x00u8), Just(0x7f), Just(0x80), Just(0xff), any::<u8>()])
            .prop_map(|(at, byte)| Mutation::Insert(at, byte)),
        1 => any::<Index>().prop_map(Mutation::Remove),
        1 => any::<Index>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for mutation in mutations {
        if bytes.is_empty() {
            break;
        }
        match *mutation {
            Mutation::Replace(ref at, byte) => {
                let at = at.index(bytes.len());
                bytes[at] = byte;
            }
            Mutation::Insert(ref at, byte) => {
                let at = at.index(bytes.len() + 1);
                bytes.insert(at, byte);
            }
            Mutation::Remove(ref at) => {
                bytes.remove(at.index(bytes.len()));
            }
            Mutation::Truncate(ref at) => bytes.truncate(at.index(bytes.len())),
        }
    }
    bytes
}

/// One block of a well-formed update whose references are arbitrary.
#[derive(Clone, Debug)]
enum Block {
    Gc(u32),
    Skip(u32),
    /// A string or (`None`) a deleted run of the given length; with an origin and/or right
    /// origin, or named into a root map under a key.
    Item {
        origin: Option<(u64, u32)>,
        right: Option<(u64, u32)>,
        root: u8,
        key: u8,
        value: Result<u8, u32>,
    },
}

fn client() -> impl Strategy<Value = u64> {
    prop_oneof![Just(1u64), Just(2), Just(3), Just(9), Just((1 << 53) - 1)]
}

fn clock() -> impl Strategy<Value = u32> {
    prop_oneof![4 => 0..8u32, 1 => Just(i32::MAX as u32 - 1), 1 => any::<u32>()]
}

fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        1 => (1..4u32).prop_map(Block::Gc),
        1 => (1..4u32).prop_map(Block::Skip),
        6 => (prop::option::of((client(), clock())), prop::option::of((client(), clock())), 0..3u8, 0..3u8, prop_oneof![any::<u8>().prop_map(Ok), (1..4u32).prop_map(Err)])
            .prop_map(|(origin, right, root, key, value)| Block::Item { origin, right, root, key, value }),
    ]
}

/// (client, first clock, blocks) lists, then deletions as (client, clock, length).
type Shaped = (Vec<(u64, u32, Vec<Block>)>, Vec<(u64, u32, u32)>);

fn shaped() -> impl Strategy<Value = Shaped> {
    (
        prop::collection::vec(
            (client(), clock(), prop::collection::vec(block(), 1..4)),
            0..3,
        ),
        prop::collection::vec((client(), clock(), 1..4u32), 0..3),
    )
}

/// Encodes a [`Shaped`] update as Yjs v1 would.
fn encode(shaped: &Shaped) -> Vec<u8> {
    let (clients, deletions) = shaped;
    let mut bytes = Vec::new();
    let mut seen = Vec::new();
    let clients: Vec<_> = clients
        .iter()
        .filter(|(client, ..)| {
            let fresh = !seen.contains(client);
            seen.push(*client);
            fresh
        })
        .collect();
    bytes.write_var(clients.len());
    for (client, clock, blocks) in clients {
        bytes.write_var(blocks.len());
        bytes.write_var(*client);
        bytes.write_var(*clock);
        for block in blocks {
            match block {
                Block::Gc(len) => {
                    bytes.write_u8(0);
                    bytes.write_var(*len);
                }
                Block::Skip(len) => {
                    bytes.write_u8(10);
                    bytes.write_var(*len);
                }
                Block::Item {
                    origin,
                    right,
                    root,
                    key,
                    value,
                } => {
                    let content = if value.is_ok() { 8 } else { 1 };
                    let info = content
                        | if origin.is_some() { 0x80 } else { 0 }
                        | if right.is_some() { 0x40 } else { 0 }
                        | 0x20;
                    bytes.write_u8(info);
                    for (client, clock) in origin.iter().chain(right.iter()) {
                        bytes.write_var(*client);
                        bytes.write_var(*clock);
                    }
                    if origin.is_none() && right.is_none() {
                        bytes.write_var(1u8);
                        bytes.write_string(
                            ["annotations", "relations", "article"][usize::from(*root)],
                        );
                        bytes.write_string(&format!("k{key}"));
                    }
                    match value {
                        Ok(value) => {
                            bytes.write_var(1u8);
                            bytes.write_u8(119);
                            bytes.write_string(&format!("v{value}"));
                        }
                        Err(len) => bytes.write_var(*len),
                    }
                }
            }
        }
    }
    let mut seen = Vec::new();
    let deletions: Vec<_> = deletions
        .iter()
        .filter(|(client, ..)| {
            let fresh = !seen.contains(client);
            seen.push(*client);
            fresh
        })
        .collect();
    bytes.write_var(deletions.len());
    for (client, clock, len) in deletions {
        bytes.write_var(*client);
        bytes.write_var(1u8);
        bytes.write_var(*clock);
        bytes.write_var(*len);
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn random_bytes_are_refused_without_a_trace(bytes in prop::collection::vec(any::<u8>(), 0..128)) {
        let mut replica = populated();
        apply_checked(&mut replica, &bytes, &Limits::default())?;
        let _ = Replica::from_saved(3, &bytes);
        let _ = replica.diff_since(&bytes);
        let _ = replica.unacknowledged(&bytes);
        let _ = replica.missing_from(&bytes);
        let _ = replica.removals_missing_from(&bytes);
        let _ = decode(&bytes);
    }

    #[test]
    fn changed_valid_updates_are_taken_or_refused_cleanly(
        which in any::<Index>(),
        mutations in prop::collection::vec(mutation(), 1..4),
        fresh in any::<bool>(),
    ) {
        let updates = valid_updates();
        let update = mutate(updates[which.index(updates.len())].clone(), &mutations);
        let mut replica = if fresh { Replica::new(4) } else { populated() };
        apply_checked(&mut replica, &update, &Limits::default())?;
        let _ = Replica::from_saved(4, &update);
    }

    #[test]
    fn well_formed_updates_pointing_anywhere_never_break_a_replica(
        updates in prop::collection::vec(shaped(), 1..5),
        max_keys in 1..6usize,
    ) {
        let limits = Limits { max_keys, ..Limits::default() };
        let mut replica = populated();
        for shaped in &updates {
            apply_checked(&mut replica, &encode(shaped), &limits)?;
        }
        let mut fresh = Replica::new(4);
        for shaped in updates.iter().rev() {
            apply_checked(&mut fresh, &encode(shaped), &limits)?;
        }
    }

    #[test]
    fn random_frames_never_break_a_session(frames in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..64), 1..6)) {
        let mut session = Session::new("d", "token", populated(), Limits::default());
        session.on_open();
        for frame in &frames {
            let mut framed = vec![1, b'd'];
            framed.extend_from_slice(frame);
            for bytes in [frame, &framed] {
                let before = session.replica().save();
                if session.on_frame(bytes).is_err() {
                    prop_assert_eq!(session.replica().save(), before);
                }
            }
        }
    }
}
