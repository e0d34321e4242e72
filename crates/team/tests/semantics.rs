//! How replicas agree (crate `replica` module documentation): concurrent writes of different
//! keys, of the same key, and a removal racing a set, each exchanged between yrs docs the way
//! the server relays them.

mod common;

use annotator_team::{Changes, Replica, SharedMap};
use common::{local, remote, remove, set, sync};

fn annotation(replica: &Replica, key: &str) -> Option<String> {
    replica.get(SharedMap::Annotations, key)
}

#[test]
fn concurrent_sets_of_different_keys_both_stay() {
    let mut a = Replica::new(1);
    let mut b = Replica::new(2);
    let from_a = local(&mut a, &set("a1", "from a"));
    let from_b = local(&mut b, &set("a2", "from b"));
    remote(&mut a, &from_b);
    remote(&mut b, &from_a);
    for replica in [&a, &b] {
        assert_eq!(annotation(replica, "a1").as_deref(), Some("from a"));
        assert_eq!(annotation(replica, "a2").as_deref(), Some("from b"));
    }
    assert_eq!(a.snapshot(), b.snapshot());
}

/// Two replicas set one key from the same state: the higher client id wins, whichever applies
/// first and whichever id is whose.
#[test]
fn concurrent_sets_of_one_key_from_the_same_state_go_to_the_higher_client_id() {
    for (id_a, id_b) in [(1, 2), (2, 1), (7, 100), (100, 7), (3, (1 << 53) - 1)] {
        for previous in [None, Some("before")] {
            let mut a = Replica::new(id_a);
            let mut b = Replica::new(id_b);
            if let Some(previous) = previous {
                let mut c = Replica::new(50);
                let first = local(&mut c, &set("k", previous));
                remote(&mut a, &first);
                remote(&mut b, &first);
            }
            let from_a = local(&mut a, &set("k", "A"));
            let from_b = local(&mut b, &set("k", "B"));
            let seen_by_a = remote(&mut a, &from_b);
            let seen_by_b = remote(&mut b, &from_a);
            let winner = if id_a > id_b { "A" } else { "B" };
            assert_eq!(
                annotation(&a, "k").as_deref(),
                Some(winner),
                "{id_a} vs {id_b}, {previous:?}"
            );
            assert_eq!(
                annotation(&b, "k").as_deref(),
                Some(winner),
                "{id_a} vs {id_b}, {previous:?}"
            );
            // The side whose value lost hears of the winner's; the winner's side hears of
            // nothing, since nothing it shows changed.
            let (seen_by_winner, seen_by_loser) = if id_a > id_b {
                (seen_by_a, seen_by_b)
            } else {
                (seen_by_b, seen_by_a)
            };
            assert_eq!(
                seen_by_loser.annotations,
                vec![("k".to_owned(), Some(winner.to_owned()))]
            );
            assert!(seen_by_winner.is_empty());
        }
    }
}

/// A replaced C's value; B wrote without having seen it. A's write follows C's; B's write goes
/// before C's when B's id is below C's (and A wins), after A's when above (and B wins).
#[test]
fn concurrent_sets_after_different_values_follow_the_yata_order() {
    let id_c = 50;
    for (id_a, id_b, winner) in [
        (1, 2, "A"),
        (2, 1, "A"),
        (100, 7, "A"),
        (7, 100, "B"),
        (49, 51, "B"),
    ] {
        let mut a = Replica::new(id_a);
        let mut b = Replica::new(id_b);
        let mut c = Replica::new(id_c);
        let from_c = local(&mut c, &set("k", "C"));
        remote(&mut a, &from_c);
        let from_a = local(&mut a, &set("k", "A"));
        let from_b = local(&mut b, &set("k", "B"));
        remote(&mut a, &from_b);
        for update in [&from_c, &from_a] {
            remote(&mut b, update);
        }
        for update in [&from_a, &from_b] {
            remote(&mut c, update);
        }
        for replica in [&a, &b, &c] {
            assert_eq!(
                annotation(replica, "k").as_deref(),
                Some(winner),
                "a {id_a}, b {id_b}"
            );
        }
    }
}

#[test]
fn a_removal_racing_a_set_of_the_same_key_keeps_the_set() {
    for (id_remover, id_setter) in [(1, 2), (2, 1)] {
        let mut remover = Replica::new(id_remover);
        let mut setter = Replica::new(id_setter);
        let first = local(&mut remover, &set("k", "first"));
        remote(&mut setter, &first);
        let removal = local(&mut remover, &remove("k"));
        let new_value = local(&mut setter, &set("k", "second"));
        let seen_by_remover = remote(&mut remover, &new_value);
        let seen_by_setter = remote(&mut setter, &removal);
        for replica in [&remover, &setter] {
            assert_eq!(annotation(replica, "k").as_deref(), Some("second"));
        }
        assert_eq!(
            seen_by_remover.annotations,
            vec![("k".to_owned(), Some("second".to_owned()))]
        );
        // The removal took away a value the setter had already replaced: nothing it shows
        // changed.
        assert!(seen_by_setter.is_empty());
    }
}

#[test]
fn a_removal_after_the_set_it_saw_removes() {
    let mut a = Replica::new(1);
    let mut b = Replica::new(2);
    remote(&mut b, &local(&mut a, &set("k", "v")));
    let removal = local(&mut b, &remove("k"));
    assert_eq!(
        remote(&mut a, &removal).annotations,
        vec![("k".to_owned(), None)]
    );
    assert_eq!(annotation(&a, "k"), None);
}

#[test]
fn writes_that_change_nothing_produce_no_update() {
    let mut replica = Replica::new(1);
    assert_eq!(replica.apply_local(&Changes::default()), None);
    assert_eq!(replica.apply_local(&remove("absent")), None);
    local(&mut replica, &set("k", "v"));
    assert_eq!(replica.apply_local(&set("k", "v")), None);
    let link = Changes {
        relations: vec![("a1|r|a2".into(), true)],
        ..Changes::default()
    };
    local(&mut replica, &link);
    assert_eq!(replica.apply_local(&link), None);
    let unlink = Changes {
        relations: vec![("a1|r|a2".into(), false)],
        ..Changes::default()
    };
    local(&mut replica, &unlink);
    assert_eq!(replica.apply_local(&unlink), None);
    // A change and its undoing in one batch still writes (the value went through a new write).
    let both = Changes {
        article: vec![
            ("title".into(), Some("\"T\"".into())),
            ("title".into(), None),
        ],
        ..Changes::default()
    };
    assert!(replica.apply_local(&both).is_some());
    assert_eq!(replica.get(SharedMap::Article, "title"), None);
}

#[test]
fn an_update_seen_twice_changes_nothing_the_second_time() {
    let mut a = Replica::new(1);
    let mut b = Replica::new(2);
    let update = local(&mut a, &set("k", "v"));
    assert!(!remote(&mut b, &update).is_empty());
    assert!(remote(&mut b, &update).is_empty());
    assert!(remote(&mut a, &update).is_empty());
}

#[test]
fn all_three_maps_are_reported_and_snapshotted() {
    let mut a = Replica::new(1);
    let mut b = Replica::new(2);
    let changes = Changes {
        annotations: vec![
            ("a2".into(), Some("{\"n\":2}".into())),
            ("a1".into(), Some("{\"n\":1}".into())),
        ],
        relations: vec![("a1|cause|a2".into(), true)],
        article: vec![
            ("title".into(), Some("\"Title\"".into())),
            ("text".into(), Some("\"Text\"".into())),
        ],
    };
    let update = local(&mut a, &changes);
    let seen = remote(&mut b, &update);
    let sorted = Changes {
        annotations: vec![
            ("a1".into(), Some("{\"n\":1}".into())),
            ("a2".into(), Some("{\"n\":2}".into())),
        ],
        relations: vec![("a1|cause|a2".into(), true)],
        article: vec![
            ("text".into(), Some("\"Text\"".into())),
            ("title".into(), Some("\"Title\"".into())),
        ],
    };
    assert_eq!(seen, sorted);
    assert_eq!(a.snapshot(), sorted);
    assert_eq!(b.snapshot(), sorted);
    assert_eq!(
        b.get(SharedMap::Relations, "a1|cause|a2").as_deref(),
        Some(annotator_team::RELATION_LINKED)
    );
    assert_eq!(b.len(SharedMap::Annotations), 2);
}

#[test]
fn the_offline_copy_restores_everything_and_keeps_writing_after_it() {
    let mut a = Replica::new(1);
    local(&mut a, &set("k", "v"));
    local(&mut a, &set("k", "w"));
    local(&mut a, &set("gone", "x"));
    local(&mut a, &remove("gone"));
    let mut restored = Replica::from_saved(1, &a.save()).expect("our own copy");
    assert_eq!(restored.snapshot(), a.snapshot());
    assert_eq!(restored.state_vector(), a.state_vector());
    // Written under the same id, the next write follows the restored ones.
    let next = local(&mut restored, &set("k", "after"));
    let mut b = Replica::new(2);
    sync(&a, &mut b);
    remote(&mut b, &next);
    assert_eq!(annotation(&b, "k").as_deref(), Some("after"));
}

#[test]
fn unacknowledged_counts_own_writes_the_stored_state_vector_lacks() {
    let mut server = Replica::new(99);
    let mut a = Replica::new(1);
    assert_eq!(a.unacknowledged(&server.state_vector()), 0);
    let first = local(&mut a, &set("a1", "1"));
    local(
        &mut a,
        &Changes {
            annotations: vec![
                ("a2".into(), Some("2".into())),
                ("a3".into(), Some("3".into())),
            ],
            ..Changes::default()
        },
    );
    assert_eq!(a.unacknowledged(&server.state_vector()), 3);
    remote(&mut server, &first);
    assert_eq!(a.unacknowledged(&server.state_vector()), 2);
    sync(&a, &mut server);
    assert_eq!(a.unacknowledged(&server.state_vector()), 0);
    assert_eq!(a.missing_from(&server.state_vector()), 0);
    // Another client's writes are not ours to count, but missing_from sees them.
    let mut b = Replica::new(2);
    remote(&mut a, &local(&mut b, &set("b1", "1")));
    assert_eq!(a.unacknowledged(&server.state_vector()), 0);
    assert_eq!(a.missing_from(&server.state_vector()), 1);
    // A malformed state vector covers nothing.
    assert_eq!(a.unacknowledged(&[0xff]), 3);
}

#[test]
fn removals_count_until_the_server_acknowledges_its_delete_set() {
    let mut server = Replica::new(99);
    let mut a = Replica::new(1);
    sync_both(&mut a, &mut server, &set("kept", "1"));
    sync_both(&mut a, &mut server, &set("gone", "2"));
    assert_eq!(a.removals_missing_from(&server.removals()), 0);
    // A removal advances no clock: the state vector still covers everything.
    let removal = local(&mut a, &remove("gone"));
    assert_eq!(a.missing_from(&server.state_vector()), 0);
    assert_eq!(a.removals_missing_from(&server.removals()), 1);
    // Nothing acknowledged, or an acknowledgement that cannot be read: nothing counted.
    assert_eq!(a.removals_missing_from(&[]), 0);
    assert_eq!(a.removals_missing_from(&[0x05, 0xff]), 0);
    remote(&mut server, &removal);
    assert_eq!(a.removals_missing_from(&server.removals()), 0);
    // Removals another client made and the server has are nobody's to send.
    let mut b = Replica::new(2);
    sync(&server, &mut b);
    assert_eq!(b.removals_missing_from(&server.removals()), 0);
}

/// `changes` made on `a` and taken in by `server`.
fn sync_both(a: &mut Replica, server: &mut Replica, changes: &Changes) {
    let update = local(a, changes);
    remote(server, &update);
}

#[test]
fn changes_serialize_as_documented() {
    let changes = Changes {
        annotations: vec![("a1".into(), Some("{}".into())), ("a2".into(), None)],
        relations: vec![("r".into(), true)],
        article: vec![],
    };
    let json = serde_json::to_string(&changes).expect("serializable");
    assert_eq!(
        json,
        r#"{"annotations":[["a1","{}"],["a2",null]],"relations":[["r",true]],"article":[]}"#
    );
    let back: Changes = serde_json::from_str(r#"{"relations":[["r",false]]}"#)
        .expect("missing lists default to empty");
    assert_eq!(
        back,
        Changes {
            relations: vec![("r".into(), false)],
            ..Changes::default()
        }
    );
}
