//! Remote updates that break the shared doc's shape or its limits are refused, and leave the
//! replica exactly as it was; updates Yjs itself writes for the shared doc are accepted.

mod common;

use annotator_team::{Changes, Limits, Replica, ReplicaError, SharedMap};
use common::{local, remote, remove, set};
use yrs::{Any, Doc, Map, MapPrelim, Text, Transact, WriteTxn};

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Updates written by Yjs 13.6.33 (the server's) under client id 7, one after the other.
const YJS_SET_A1: &str = "0101070028010b616e6e6f746174696f6e730261310177077b2278223a317d00";
const YJS_SET_TITLE_AND_RELATION: &str = "0102070128010761727469636c65057469746c6501770322542228010972656c6174696f6e730761317c727c61320177013100";
const YJS_OVERWRITE_A1: &str = "01010703a807000177077b2278223a327d0107010001";
const YJS_DELETE_A1: &str = "000107010301";
/// `Y.encodeStateAsUpdate` after the four above: garbage-collected runs included.
const YJS_FULL_STATE: &str = "0104070021010b616e6e6f746174696f6e730261310128010761727469636c65057469746c6501770322542228010972656c6174696f6e730761317c727c613201770131a107000101070200010301";
/// Yjs writes under client id 8: a number, a nested map, text in `article`, a map outside the
/// three, an array in `annotations`.
const YJS_NUMBER: &str = "0101080028010b616e6e6f746174696f6e73016e017d0500";
const YJS_NESTED_MAP: &str = "0101080127010b616e6e6f746174696f6e73016d0100";
const YJS_TEXT: &str = "0101080204010761727469636c6502686900";
const YJS_OTHER_ROOT: &str = "010108042801046576696c016b0177017600";
const YJS_ARRAY: &str = "0101dae1896e0008010b616e6e6f746174696f6e730177017800";

/// A replica with a little of everything in it.
fn populated() -> Replica {
    let mut replica = Replica::new(1);
    local(
        &mut replica,
        &Changes {
            annotations: vec![
                ("a1".into(), Some("{}".into())),
                ("a2".into(), Some("{}".into())),
            ],
            relations: vec![("a1|r|a2".into(), true)],
            article: vec![("title".into(), Some("\"T\"".into()))],
        },
    );
    local(&mut replica, &remove("a2"));
    replica
}

/// Applies `update`, which must be refused with `expected`, and checks nothing changed.
fn assert_refused(replica: &mut Replica, update: &[u8], limits: &Limits, expected: &ReplicaError) {
    let before = replica.save();
    let snapshot = replica.snapshot();
    let refused = replica.apply_remote(update, limits).expect_err("refused");
    assert_eq!(&refused, expected);
    assert_eq!(replica.save(), before);
    assert_eq!(replica.snapshot(), snapshot);
}

fn update_of(client_id: u64, write: impl FnOnce(&mut yrs::TransactionMut)) -> Vec<u8> {
    let doc = Doc::with_client_id(client_id);
    let mut txn = doc.transact_mut();
    write(&mut txn);
    txn.encode_update_v1()
}

#[test]
fn updates_yjs_writes_for_the_shared_doc_are_accepted() {
    let mut replica = populated();
    let seen = remote(&mut replica, &hex(YJS_SET_A1));
    assert_eq!(
        seen.annotations,
        vec![("a1".to_owned(), Some("{\"x\":1}".to_owned()))]
    );
    remote(&mut replica, &hex(YJS_SET_TITLE_AND_RELATION));
    remote(&mut replica, &hex(YJS_OVERWRITE_A1));
    assert_eq!(
        replica.get(SharedMap::Annotations, "a1").as_deref(),
        Some("{\"x\":2}")
    );
    let seen = remote(&mut replica, &hex(YJS_DELETE_A1));
    assert_eq!(seen.annotations, vec![("a1".to_owned(), None)]);
    let mut fresh = Replica::new(2);
    remote(&mut fresh, &hex(YJS_FULL_STATE));
    let expected = Changes {
        annotations: vec![],
        relations: vec![("a1|r|a2".into(), true)],
        article: vec![("title".into(), Some("\"T\"".into()))],
    };
    assert_eq!(fresh.snapshot(), expected);
}

#[test]
fn values_that_are_not_strings_are_refused() {
    let mut replica = populated();
    let limits = Limits::default();
    for update in [YJS_NUMBER, YJS_NESTED_MAP] {
        assert_refused(
            &mut replica,
            &hex(update),
            &limits,
            &ReplicaError::NotAString,
        );
    }
    let from_yrs = [
        update_of(5, |txn| {
            txn.get_or_insert_map("annotations")
                .insert(txn, "k", Any::Bool(true));
        }),
        update_of(5, |txn| {
            txn.get_or_insert_map("annotations")
                .insert(txn, "k", Any::Null);
        }),
        update_of(5, |txn| {
            txn.get_or_insert_map("article")
                .insert(txn, "k", MapPrelim::default());
        }),
        update_of(5, |txn| {
            txn.get_or_insert_map("article")
                .insert(txn, "k", Any::Buffer(vec![1, 2].into()));
        }),
    ];
    for update in from_yrs {
        assert_refused(&mut replica, &update, &limits, &ReplicaError::NotAString);
    }
}

#[test]
fn writes_outside_the_three_maps_are_refused() {
    let mut replica = populated();
    let limits = Limits::default();
    assert_refused(
        &mut replica,
        &hex(YJS_OTHER_ROOT),
        &limits,
        &ReplicaError::UnknownMap {
            name: "evil".into(),
        },
    );
    // Text and arrays write entries without a key.
    let no_key = ReplicaError::NotAMapEntry {
        what: "it has no key",
    };
    assert_refused(&mut replica, &hex(YJS_TEXT), &limits, &no_key);
    assert_refused(&mut replica, &hex(YJS_ARRAY), &limits, &no_key);
    let text_from_yrs = update_of(5, |txn| {
        let text = txn.get_or_insert_text("article");
        text.insert(txn, 0, "hello");
    });
    assert_refused(&mut replica, &text_from_yrs, &limits, &no_key);
}

#[test]
fn keys_and_values_above_the_limits_are_refused() {
    let mut replica = populated();
    let limits = Limits {
        max_key_bytes: 8,
        max_value_bytes: 16,
        ..Limits::default()
    };
    let long_key = update_of(5, |txn| {
        txn.get_or_insert_map("annotations")
            .insert(txn, "a-very-long-key", "v");
    });
    assert_refused(
        &mut replica,
        &long_key,
        &limits,
        &ReplicaError::KeyTooLong {
            bytes: 15,
            limit: 8,
        },
    );
    let long_value = update_of(5, |txn| {
        txn.get_or_insert_map("article")
            .insert(txn, "text", "é".repeat(10));
    });
    assert_refused(
        &mut replica,
        &long_value,
        &limits,
        &ReplicaError::ValueTooLarge {
            bytes: 20,
            limit: 16,
        },
    );
    // At the limits exactly, accepted.
    let at_limits = update_of(5, |txn| {
        txn.get_or_insert_map("article")
            .insert(txn, "12345678", "é".repeat(8));
    });
    assert!(replica.apply_remote(&at_limits, &limits).is_ok());
}

#[test]
fn updates_above_the_size_limit_are_refused_before_decoding() {
    let mut replica = populated();
    let update = update_of(5, |txn| {
        txn.get_or_insert_map("annotations")
            .insert(txn, "k", "v".repeat(100));
    });
    let limits = Limits {
        max_update_bytes: update.len() - 1,
        ..Limits::default()
    };
    let expected = ReplicaError::UpdateTooLarge {
        bytes: update.len(),
        limit: update.len() - 1,
    };
    assert_refused(&mut replica, &update, &limits, &expected);
    // Garbage above the limit gets the same answer: it is never read.
    assert_refused(&mut replica, &vec![0xff; update.len()], &limits, &expected);
}

#[test]
fn updates_that_would_put_a_map_above_max_keys_are_refused() {
    let limits = Limits {
        max_keys: 3,
        ..Limits::default()
    };
    let mut replica = Replica::new(1);
    local(&mut replica, &set("a1", "1"));
    local(&mut replica, &set("a2", "2"));
    let mut peer = Replica::new(2);
    let two_more = local(
        &mut peer,
        &Changes {
            annotations: vec![
                ("b1".into(), Some("1".into())),
                ("b2".into(), Some("2".into())),
            ],
            ..Changes::default()
        },
    );
    let expected = ReplicaError::TooManyKeys {
        map: SharedMap::Annotations,
        keys: 4,
        limit: 3,
    };
    assert_refused(&mut replica, &two_more, &limits, &expected);
    // Other maps have room of their own.
    let elsewhere = local(
        &mut Replica::new(3),
        &Changes {
            article: vec![
                ("a".into(), Some("1".into())),
                ("b".into(), Some("2".into())),
                ("c".into(), Some("3".into())),
            ],
            ..Changes::default()
        },
    );
    assert!(replica.apply_remote(&elsewhere, &limits).is_ok());
}

#[test]
fn at_max_keys_overwrites_and_swaps_are_still_accepted() {
    let limits = Limits {
        max_keys: 2,
        ..Limits::default()
    };
    let mut replica = Replica::new(1);
    let mut peer = Replica::new(2);
    let both = local(
        &mut peer,
        &Changes {
            annotations: vec![
                ("a1".into(), Some("1".into())),
                ("a2".into(), Some("2".into())),
            ],
            ..Changes::default()
        },
    );
    replica.apply_remote(&both, &limits).expect("two keys fit");
    // Overwriting a key adds none.
    let overwrite = local(&mut peer, &set("a1", "changed"));
    replica
        .apply_remote(&overwrite, &limits)
        .expect("an overwrite fits");
    // Removing one key and adding another in one update keeps the count.
    let swap = local(
        &mut peer,
        &Changes {
            annotations: vec![("a2".into(), None), ("a3".into(), Some("3".into()))],
            ..Changes::default()
        },
    );
    let seen = replica.apply_remote(&swap, &limits).expect("a swap fits");
    assert_eq!(
        seen.annotations,
        vec![
            ("a2".to_owned(), None),
            ("a3".to_owned(), Some("3".to_owned()))
        ]
    );
    assert_eq!(replica.snapshot(), peer.snapshot());
    // A map already above the limit (the limit was lowered) still takes removals.
    let lower = Limits {
        max_keys: 1,
        ..limits
    };
    let removal = local(&mut peer, &remove("a1"));
    replica
        .apply_remote(&removal, &lower)
        .expect("a removal never adds");
}

/// An item whose origin is missing waits inside yrs, and joins the doc when the origin
/// arrives: what it would add counts then. Here client 8 writes key "k" after (9, 0), which has
/// not arrived; when it does, (9, 0) is a removed value of "k" (as a server sends a value
/// overwritten since), which adds no key by itself, but lets client 8's value in.
#[test]
fn keys_waiting_for_a_missing_origin_count_when_it_arrives() {
    use yrs::encoding::write::Write;
    let limits = Limits {
        max_keys: 1,
        ..Limits::default()
    };
    let mut replica = Replica::new(1);
    local(&mut replica, &set("a", "live"));

    let mut waiting = Vec::new();
    for number in [1u64, 1, 8, 0] {
        waiting.write_var(number);
    }
    waiting.write_u8(0x80 | 0x08);
    for number in [9u64, 0, 1] {
        waiting.write_var(number);
    }
    waiting.write_u8(119);
    waiting.write_string("revived");
    waiting.write_var(0u64);
    let seen = replica
        .apply_remote(&waiting, &limits)
        .expect("it waits, adding nothing yet");
    assert!(seen.is_empty());
    assert!(replica.has_waiting_updates());
    assert_eq!(replica.len(SharedMap::Annotations), 1);

    let mut origin = Vec::new();
    for number in [1u64, 1, 9, 0] {
        origin.write_var(number);
    }
    origin.write_u8(0x20 | 0x01);
    origin.write_var(1u64);
    origin.write_string("annotations");
    origin.write_string("k");
    origin.write_var(1u64);
    origin.write_var(0u64);
    let expected = ReplicaError::TooManyKeys {
        map: SharedMap::Annotations,
        keys: 2,
        limit: 1,
    };
    assert_refused(&mut replica, &origin, &limits, &expected);
    // With room, it lets the waiting value in.
    let seen = replica
        .apply_remote(&origin, &Limits::default())
        .expect("room enough");
    assert_eq!(
        seen.annotations,
        vec![("k".to_owned(), Some("revived".to_owned()))]
    );
    assert!(!replica.has_waiting_updates());
}

#[test]
fn updates_out_of_order_or_under_our_own_id_are_refused() {
    let mut replica = populated();
    let limits = Limits::default();
    let mut peer = Replica::new(2);
    let _first = local(&mut peer, &set("p1", "1"));
    let second = local(&mut peer, &set("p2", "2"));
    assert_refused(
        &mut replica,
        &second,
        &limits,
        &ReplicaError::OutOfOrder {
            client: 2,
            clock: 1,
            have: 0,
        },
    );
    // Client 1 is the replica's own id, under which it has written 4 values (clocks 0 to 3).
    let mut twin = Replica::new(1);
    for n in 0..4 {
        local(&mut twin, &set(&format!("t{n}"), "x"));
    }
    let fifth = local(&mut twin, &set("t4", "x"));
    assert_refused(
        &mut replica,
        &fifth,
        &limits,
        &ReplicaError::OwnClientId {
            clock: 5,
            own_clock: 4,
        },
    );
    // Its own past writes, echoed back, are known already and change nothing.
    let echo = replica.diff_since(&[0]).expect("valid");
    assert!(remote(&mut replica, &echo).is_empty());
}

#[test]
fn garbage_and_truncated_updates_are_refused() {
    let mut replica = populated();
    let limits = Limits::default();
    let valid = hex(YJS_SET_TITLE_AND_RELATION);
    for cut in 0..valid.len() {
        let before = replica.save();
        assert!(
            replica.apply_remote(&valid[..cut], &limits).is_err(),
            "cut at {cut}"
        );
        assert_eq!(replica.save(), before);
    }
    let mut trailing = valid.clone();
    trailing.push(0);
    assert!(replica.apply_remote(&trailing, &limits).is_err());
    for garbage in [
        vec![],
        vec![0xff],
        vec![0x80; 20],
        vec![1, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0],
    ] {
        let before = replica.save();
        assert!(replica.apply_remote(&garbage, &limits).is_err());
        assert_eq!(replica.save(), before);
    }
}

#[test]
fn saved_copies_and_state_vectors_are_checked_too() {
    assert!(Replica::from_saved(1, &hex(YJS_NESTED_MAP)).is_err());
    assert!(Replica::from_saved(1, &[0xff, 0xff]).is_err());
    let replica = populated();
    assert!(replica.diff_since(&[0x05, 0x01]).is_err());
    assert!(replica
        .diff_since(&[0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00])
        .is_err());
    assert!(replica.diff_since(&hex("010704")).is_ok());
}
