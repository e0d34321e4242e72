//! [`Replica`]: this page's copy of one shared doc (a Yjs doc of three string maps, see
//! [`SharedMap`]), the only thing that reads or writes it.
//!
//! ## How replicas agree
//!
//! Every replica that has taken the same updates holds the same maps, whatever order it took
//! them in and however often (Yjs is a CRDT; `tests/convergence.rs` checks it; an update that
//! comes before an earlier one of the same writer is refused until that one is in, see below).
//! For edits made at the same time on different replicas, key by key:
//!
//! - Sets of different keys never conflict: both stay.
//! - Sets of the same key: one value wins, the same on every replica. Yjs keeps a key's writes
//!   in a list, and the key's value is the last write in it. A write goes right after the
//!   write it replaced (the value its replica showed); writes that replaced the same write, or
//!   that both found the key never set, are ordered by client id, lower first. So **when two
//!   replicas set a key from the same state, the higher client id wins**, whichever was written
//!   or arrived last. When they had seen different states, the list decides, not the ids alone:
//!   say C set the key, A saw C's value and replaced it, and B set the key without having seen
//!   C's value. A's write follows C's; B's and C's replaced nothing and are ordered by id. If B's
//!   id is below C's the list is B, C, A and A wins; if above, it is C, A, B and B wins, whatever
//!   A's id. `tests/semantics.rs` pins these cases; Yjs 13.6.33, which the server runs, gives the
//!   same results.
//! - A removal racing a set of the same key keeps the set: the removal deletes the write it saw,
//!   and the set is a newer write it did not see.
//!
//! ## Remote updates are checked before they are applied
//!
//! A remote update is refused, and the doc left exactly as it was, when it
//!
//! - is larger than [`Limits::max_update_bytes`] (checked before anything is decoded);
//! - is not a well-formed Yjs v1 update, or writes anything but a string under a key of one of
//!   the three maps, or a key or value above the limits (read from the update's own bytes by
//!   `update_check`, in time linear in the update, before yrs decodes it);
//! - starts a client's writes past the clock received from that client
//!   ([`ReplicaError::OutOfOrder`]): the Hocuspocus server relays each client's updates in
//!   order, and a sync step 1 fetches whatever came between (the session does it);
//! - reaches past this replica's own clock under its own client id
//!   ([`ReplicaError::OwnClientId`]);
//! - would leave a map with more than [`Limits::max_keys`] keys (and more than it had). The
//!   update, with any update yrs still holds waiting for a missing predecessor, cannot add more
//!   keys than the string values it carries: when that bound keeps every map within the limit
//!   (the usual case) the update is applied straight away. Only otherwise is it applied to a
//!   copy restored from [`Replica::save`], whose maps are counted, and which replaces the doc
//!   if it passes; that costs time linear in the whole doc, about what restoring the offline
//!   copy costs (`benches/replica.rs`, natively, 12,000 keys and a 1 MB text: about 7 ms,
//!   against under 0.1 ms straight away).
//!
//! ## Client ids
//!
//! Each replica writes under its own client id, which no other replica may share: two writers
//! under one id corrupt the doc for everyone, as in Yjs. Only the low 53 bits are used (Yjs's
//! ids are JavaScript-safe integers). Pick a fresh random id for every replica made, restored
//! ones included, as Yjs does for every doc it loads: a remote update that reaches past this
//! replica's own clock under its own id (writes it never made, or deletions of writes it has
//! not made yet) is refused, and a copy restored under the id that saved it would meet exactly
//! that if its last writes reached the server after it was saved. [`Replica::missing_from`]
//! counts the writes of earlier ids too.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use yrs::types::map::MapEvent;
use yrs::types::Observable;
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{
    Any, ClientID, Doc, Map, MapRef, Options, Out, ReadTxn, Snapshot, StateVector, Transact,
    Update, ID,
};

use crate::changes::{Changes, SharedMap};
use crate::limits::Limits;
use crate::update_check::{check_snapshot, check_state_vector, check_update, MAX_CLIENT_ID};

/// Why a remote update, a saved copy or a state vector was refused. The doc is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReplicaError {
    #[error("the update is {bytes} bytes, above the limit of {limit}")]
    UpdateTooLarge { bytes: usize, limit: usize },
    #[error("not a well-formed Yjs update: {what}")]
    Malformed { what: &'static str },
    #[error("not a well-formed Yjs state vector: {what}")]
    MalformedStateVector { what: &'static str },
    #[error("the update writes into {name:?}, which is not one of the shared maps")]
    UnknownMap { name: String },
    #[error("the update writes something that is not a map entry: {what}")]
    NotAMapEntry { what: &'static str },
    #[error("the update writes a value that is not a string")]
    NotAString,
    #[error("the update writes a key of {bytes} bytes, above the limit of {limit}")]
    KeyTooLong { bytes: usize, limit: usize },
    #[error("the update writes a value of {bytes} bytes, above the limit of {limit}")]
    ValueTooLarge { bytes: usize, limit: usize },
    #[error("the update would leave {keys} keys in {}, above the limit of {limit}", map.name())]
    TooManyKeys {
        map: SharedMap,
        keys: usize,
        limit: usize,
    },
    /// The update starts a client's writes past what this replica holds of that client: it
    /// follows an update not received yet. A sync step 1 gets both (the session does that).
    #[error(
        "the update starts client {client}'s writes at clock {clock}, past the {have} received"
    )]
    OutOfOrder { client: u64, clock: u32, have: u32 },
    /// Another replica writes under this one's client id (or forges it).
    #[error(
        "the update reaches clock {clock} of this replica's own client id, which is at {own_clock}"
    )]
    OwnClientId { clock: u32, own_clock: u32 },
}

/// The name this crate's map observers are registered under.
const OBSERVER: &str = "annotator-team";

/// Keys the doc's observers saw change, until the replica reads them.
type Touched = Arc<Mutex<Vec<(SharedMap, Arc<str>)>>>;

/// One shared doc.
pub struct Replica {
    client_id: u64,
    doc: Doc,
    maps: Maps,
    touched: Touched,
}

/// The doc's three root maps.
struct Maps {
    annotations: MapRef,
    relations: MapRef,
    article: MapRef,
}

impl Maps {
    fn get(&self, map: SharedMap) -> &MapRef {
        match map {
            SharedMap::Annotations => &self.annotations,
            SharedMap::Relations => &self.relations,
            SharedMap::Article => &self.article,
        }
    }
}

impl std::fmt::Debug for Replica {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replica")
            .field("client_id", &self.client_id)
            .field("snapshot", &self.snapshot())
            .finish()
    }
}

impl Replica {
    /// An empty doc, written to under `client_id` (its low 53 bits).
    pub fn new(client_id: u64) -> Self {
        Self::attach(client_id & MAX_CLIENT_ID, new_doc(client_id))
    }

    /// Restores an offline copy made by [`Replica::save`], to be written to under `client_id`.
    ///
    /// # Errors
    /// The copy is not a Yjs update of the shared doc's shape (sizes are not limited: the copy
    /// is this page's own).
    pub fn from_saved(client_id: u64, saved: &[u8]) -> Result<Self, ReplicaError> {
        check_update(saved, &Limits::UNLIMITED, client_id & MAX_CLIENT_ID)?;
        Self::restore(client_id, saved)
    }

    /// The id this replica writes under.
    pub fn client_id(&self) -> u64 {
        self.client_id
    }

    /// The whole doc as one Yjs v1 update: the offline copy, and what [`Replica::from_saved`]
    /// reads back. It includes updates still waiting for a missing predecessor.
    pub fn save(&self) -> Vec<u8> {
        self.doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default())
    }

    /// Applies this page's own edits; returns the Yjs v1 update to send to the others, or `None`
    /// when nothing changed (setting a key to the value it holds, removing an absent key or
    /// linking a linked relation changes nothing). Entries apply in order, so a key listed twice
    /// ends with its last entry.
    pub fn apply_local(&mut self, changes: &Changes) -> Option<Vec<u8>> {
        let mut changed = false;
        let update = {
            let mut txn = self.doc.transact_mut();
            for (map, key, value) in changes.entries() {
                let map_ref = self.maps.get(map);
                let current = map_ref.get(&txn, key);
                match value {
                    Some(value) => {
                        let unchanged = match (&current, map) {
                            (Some(_), SharedMap::Relations) => true,
                            (Some(current), _) => string_of(current) == Some(value),
                            (None, _) => false,
                        };
                        if !unchanged {
                            map_ref.insert(&mut txn, key, value);
                            changed = true;
                        }
                    }
                    None => {
                        if current.is_some() {
                            map_ref.remove(&mut txn, key);
                            changed = true;
                        }
                    }
                }
            }
            changed.then(|| txn.encode_update_v1())
        };
        self.touched_keys();
        update
    }

    /// Applies an update from another replica (or the server), if it passes the checks in the
    /// module documentation; returns the keys whose value it changed, each with the value it
    /// holds now (`None`: removed). A write that lost to a concurrent one, or an update already
    /// taken, changes nothing and is not listed.
    ///
    /// # Errors
    /// Why the update was refused; the doc is then exactly as it was.
    pub fn apply_remote(
        &mut self,
        update: &[u8],
        limits: &Limits,
    ) -> Result<Changes, ReplicaError> {
        if update.len() > limits.max_update_bytes {
            return Err(ReplicaError::UpdateTooLarge {
                bytes: update.len(),
                limit: limits.max_update_bytes,
            });
        }
        let shape = check_update(update, limits, self.client_id)?;
        let own_clock = self.own_clock();
        if shape.own_clock_end > own_clock {
            return Err(ReplicaError::OwnClientId {
                clock: shape.own_clock_end,
                own_clock,
            });
        }
        {
            let txn = self.doc.transact();
            let state = txn.state_vector();
            for &(client, clock) in &shape.first_clocks {
                let have = state.get(&ClientID::new(client));
                if clock > have {
                    return Err(ReplicaError::OutOfOrder {
                        client,
                        clock,
                        have,
                    });
                }
            }
        }
        let decoded = decode(update)?;
        let before = self.key_counts();
        let could_add = shape
            .string_values
            .saturating_add(self.pending_string_values());
        let surely_fits = before
            .iter()
            .all(|&keys| keys.saturating_add(could_add) <= limits.max_keys);
        self.touched_keys();
        if surely_fits {
            integrate(&self.doc, decoded)?;
            return Ok(self.take_changes());
        }
        // Restoring re-examines updates that wait for a predecessor, and may hold back one the
        // live doc had let in (yrs lets in a block whose own predecessors are missing when
        // nothing in it depends on them): then the page hears of every difference. Otherwise
        // the copy is the doc, and the keys the update touched say it all.
        let old = self.has_waiting_updates().then(|| self.snapshot());
        let copy = Self::restore(self.client_id, &self.save())?;
        integrate(&copy.doc, decoded)?;
        let after = copy.key_counts();
        for ((map, keys), keys_before) in SharedMap::ALL.into_iter().zip(after).zip(before) {
            if keys > limits.max_keys && keys > keys_before {
                return Err(ReplicaError::TooManyKeys {
                    map,
                    keys,
                    limit: limits.max_keys,
                });
            }
        }
        let changes = match old {
            Some(old) => {
                copy.touched_keys();
                difference(&old, &copy.snapshot())
            }
            None => copy.take_changes(),
        };
        *self = copy;
        Ok(changes)
    }

    /// Whether yrs holds updates (or deletions) waiting for a predecessor not received yet.
    /// They join the doc when it arrives; until then [`Replica::save`] keeps them.
    pub fn has_waiting_updates(&self) -> bool {
        let txn = self.doc.transact();
        txn.store().pending_update().is_some() || txn.store().pending_ds().is_some()
    }

    /// Every entry of every map, as sets in key order: the whole state, for loading it.
    pub fn snapshot(&self) -> Changes {
        let txn = self.doc.transact();
        let mut changes = Changes::default();
        for map in SharedMap::ALL {
            let mut entries: Vec<(String, String)> = self
                .maps
                .get(map)
                .iter(&txn)
                .filter_map(|(key, value)| Some((key.to_owned(), string_of(&value)?.to_owned())))
                .collect();
            entries.sort_unstable();
            for (key, value) in entries {
                changes.push(map, key, Some(value));
            }
        }
        changes
    }

    /// The value `key` holds in `map`, if any.
    pub fn get(&self, map: SharedMap, key: &str) -> Option<String> {
        let txn = self.doc.transact();
        let value = self.maps.get(map).get(&txn, key)?;
        string_of(&value).map(str::to_owned)
    }

    /// How many keys `map` holds.
    pub fn len(&self, map: SharedMap) -> usize {
        let txn = self.doc.transact();
        count(self.maps.get(map).len(&txn))
    }

    /// Whether no map holds any key.
    pub fn is_empty(&self) -> bool {
        self.key_counts().iter().all(|&keys| keys == 0)
    }

    /// What this replica has seen, as a Yjs v1 state vector: the question of a sync step 1.
    pub fn state_vector(&self) -> Vec<u8> {
        self.doc.transact().state_vector().encode_v1()
    }

    /// Everything this replica holds that a replica at `state_vector` lacks, as a Yjs v1
    /// update: the answer of a sync step 2.
    ///
    /// # Errors
    /// `state_vector` is not a Yjs v1 state vector.
    pub fn diff_since(&self, state_vector: &[u8]) -> Result<Vec<u8>, ReplicaError> {
        let state_vector = decode_state_vector(state_vector)?;
        Ok(self.doc.transact().encode_state_as_update_v1(&state_vector))
    }

    /// How many of this replica's own writes (clock units of its client id: one per value set)
    /// the server's stored state vector does not cover yet. A malformed state vector covers
    /// nothing.
    ///
    /// Removals are not counted: Yjs deletions do not advance the clock, so no state vector can
    /// say whether one was stored.
    pub fn unacknowledged(&self, stored_state_vector: &[u8]) -> usize {
        let own = self.own_clock();
        let stored = decode_state_vector(stored_state_vector)
            .map(|stored| stored.get(&ClientID::new(self.client_id)))
            .unwrap_or(0);
        count(own.saturating_sub(stored))
    }

    /// Like [`Replica::unacknowledged`] but for every client's writes this replica holds: what
    /// the server's stored copy lacks of what this replica has, whoever wrote it (edits made
    /// offline under an earlier client id included).
    pub fn missing_from(&self, stored_state_vector: &[u8]) -> usize {
        let stored = decode_state_vector(stored_state_vector).unwrap_or_default();
        let ours = self.doc.transact().state_vector();
        ours.iter()
            .map(|(client, &clock)| count(clock.saturating_sub(stored.get(client))))
            .fold(0, usize::saturating_add)
    }

    /// How many removals this replica holds that `stored_deletions` lacks: our server's
    /// acknowledgement of the removals on disk (a Yjs v1 snapshot, whose state vector is not
    /// read). A removal advances no clock, so only this can say one is stored. Nothing is counted
    /// without an acknowledgement to compare with, or with a malformed one.
    pub fn removals_missing_from(&self, stored_deletions: &[u8]) -> usize {
        if stored_deletions.is_empty() || check_snapshot(stored_deletions).is_err() {
            return 0;
        }
        let Ok(stored) = Snapshot::decode_v1(stored_deletions) else {
            return 0;
        };
        let ours = self.doc.transact().snapshot().delete_set;
        let mut missing = 0usize;
        for (client, ranges) in ours.iter() {
            for range in ranges.iter() {
                let unstored = range
                    .clone()
                    .filter(|&clock| !stored.delete_set.contains(&ID::new(*client, clock)))
                    .count();
                missing = missing.saturating_add(unstored);
            }
        }
        missing
    }

    /// The removals this replica holds, as [`Replica::removals_missing_from`] reads them: what
    /// our server acknowledges, for tests and fakes of it.
    pub fn removals(&self) -> Vec<u8> {
        let ds = self.doc.transact().snapshot().delete_set;
        Snapshot::new(StateVector::default(), ds).encode_v1()
    }

    fn own_clock(&self) -> u32 {
        self.doc
            .transact()
            .state_vector()
            .get(&ClientID::new(self.client_id))
    }

    /// A replica of `saved`, known to have passed [`check_update`] (or to be this crate's own).
    fn restore(client_id: u64, saved: &[u8]) -> Result<Self, ReplicaError> {
        let doc = new_doc(client_id);
        integrate(&doc, decode(saved)?)?;
        Ok(Self::attach(client_id & MAX_CLIENT_ID, doc))
    }

    fn attach(client_id: u64, doc: Doc) -> Self {
        let touched: Touched = Arc::default();
        let map_ref = |map: SharedMap| {
            let map_ref = doc.get_or_insert_map(map.name());
            let sink = Arc::clone(&touched);
            map_ref.observe(OBSERVER, move |txn, event: &MapEvent| {
                if let Ok(mut sink) = sink.lock() {
                    sink.extend(event.keys(txn).keys().map(|key| (map, Arc::clone(key))));
                }
            });
            map_ref
        };
        let maps = Maps {
            annotations: map_ref(SharedMap::Annotations),
            relations: map_ref(SharedMap::Relations),
            article: map_ref(SharedMap::Article),
        };
        Self {
            client_id,
            doc,
            maps,
            touched,
        }
    }

    /// The keys changed since last asked, each once, in map then key order.
    fn touched_keys(&self) -> Vec<(SharedMap, Arc<str>)> {
        let mut keys = match self.touched.lock() {
            Ok(mut touched) => std::mem::take(&mut *touched),
            Err(_) => Vec::new(),
        };
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    fn take_changes(&self) -> Changes {
        let keys = self.touched_keys();
        let txn = self.doc.transact();
        let mut changes = Changes::default();
        for (map, key) in keys {
            let value = self.maps.get(map).get(&txn, &key);
            let value = value.as_ref().and_then(string_of).map(str::to_owned);
            changes.push(map, key.to_string(), value);
        }
        changes
    }

    fn key_counts(&self) -> [usize; 3] {
        let txn = self.doc.transact();
        SharedMap::ALL.map(|map| count(self.maps.get(map).len(&txn)))
    }

    /// The string values held by updates yrs keeps waiting for a missing predecessor: they
    /// join the doc when it arrives, so they count towards what the next update could add.
    fn pending_string_values(&self) -> usize {
        let txn = self.doc.transact();
        let Some(pending) = txn.store().pending_update() else {
            return 0;
        };
        check_update(
            &pending.update.encode_v1(),
            &Limits::UNLIMITED,
            self.client_id,
        )
        .map_or(usize::MAX, |shape| shape.string_values)
    }
}

/// The entries whose value differs between two snapshots, with their values in `after`.
fn difference(before: &Changes, after: &Changes) -> Changes {
    let before: BTreeMap<(SharedMap, &str), Option<&str>> = before
        .entries()
        .map(|(map, key, value)| ((map, key), value))
        .collect();
    let after: BTreeMap<(SharedMap, &str), Option<&str>> = after
        .entries()
        .map(|(map, key, value)| ((map, key), value))
        .collect();
    let mut changes = Changes::default();
    let keys: BTreeSet<&(SharedMap, &str)> = before.keys().chain(after.keys()).collect();
    for &(map, key) in keys {
        let value = after.get(&(map, key)).copied().flatten();
        if before.get(&(map, key)).copied().flatten() != value {
            changes.push(map, key.to_owned(), value.map(str::to_owned));
        }
    }
    changes
}

fn new_doc(client_id: u64) -> Doc {
    Doc::with_options(Options {
        client_id: ClientID::new(client_id & MAX_CLIENT_ID),
        ..Options::default()
    })
}

fn decode(update: &[u8]) -> Result<Update, ReplicaError> {
    Update::decode_v1(update).map_err(|_| ReplicaError::Malformed {
        what: "yrs could not decode it",
    })
}

fn decode_state_vector(state_vector: &[u8]) -> Result<StateVector, ReplicaError> {
    check_state_vector(state_vector)?;
    StateVector::decode_v1(state_vector).map_err(|_| ReplicaError::MalformedStateVector {
        what: "yrs could not decode it",
    })
}

/// Applies a checked update. yrs fails only on an item whose parent is given by id, which
/// [`check_update`] refuses, so the doc is never left half-changed.
fn integrate(doc: &Doc, update: Update) -> Result<(), ReplicaError> {
    doc.transact_mut()
        .apply_update(update)
        .map_err(|_| ReplicaError::NotAMapEntry {
            what: "its parent is not a map",
        })
}

fn string_of(value: &Out) -> Option<&str> {
    match value {
        Out::Any(Any::String(text)) => Some(text),
        _ => None,
    }
}

fn count(n: u32) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
