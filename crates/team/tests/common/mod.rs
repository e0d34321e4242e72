//! Helpers the test files share: building [`Changes`] and exchanging updates between replicas.

#![allow(dead_code)]

use annotator_team::{Changes, Limits, Replica};

/// Sets annotation `key` to `value`.
pub fn set(key: &str, value: &str) -> Changes {
    Changes {
        annotations: vec![(key.into(), Some(value.into()))],
        ..Changes::default()
    }
}

/// Removes annotation `key`.
pub fn remove(key: &str) -> Changes {
    Changes {
        annotations: vec![(key.into(), None)],
        ..Changes::default()
    }
}

/// Applies a local change that must produce an update.
pub fn local(replica: &mut Replica, changes: &Changes) -> Vec<u8> {
    replica
        .apply_local(changes)
        .expect("the change changes something")
}

/// Applies a remote update that must be accepted.
pub fn remote(replica: &mut Replica, update: &[u8]) -> Changes {
    replica
        .apply_remote(update, &Limits::default())
        .expect("the update is accepted")
}

/// Brings `to` up to date with `from` through a step 1 / step 2 exchange.
pub fn sync(from: &Replica, to: &mut Replica) -> Changes {
    let update = from
        .diff_since(&to.state_vector())
        .expect("a valid state vector");
    remote(to, &update)
}
