//! Every replica that has seen the same updates holds the same maps, whatever order they came
//! in and however often: 2 to 4 replicas writing and removing a few keys of each map, updates
//! delivered along the way at random, then all of them to everyone, shuffled and duplicated.
//!
//! An update that arrives before an earlier one of the same writer is refused as
//! `OutOfOrder` (the session then asks the server for what came between); here the receiver
//! holds it back and retries it after each update it takes, as a stand-in.

mod common;

use annotator_team::{Changes, Limits, Replica, ReplicaError, SharedMap};
use proptest::prelude::*;
use proptest::sample::Index;

#[derive(Clone, Debug)]
enum Step {
    /// Replica `replica` writes `value` (or removes, when `None`) at `key` of map `map`.
    Write {
        replica: Index,
        map: usize,
        key: u8,
        value: Option<u8>,
    },
    /// An update made so far reaches a replica.
    Deliver { to: Index, update: Index },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (any::<Index>(), 0..3usize, 0..4u8, prop::option::weighted(0.7, 0..3u8))
            .prop_map(|(replica, map, key, value)| Step::Write { replica, map, key, value }),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(to, update)| Step::Deliver { to, update }),
    ]
}

fn changes(map: usize, key: u8, value: Option<String>) -> Changes {
    let key = format!("k{key}");
    match SharedMap::ALL.get(map) {
        Some(SharedMap::Relations) => Changes {
            relations: vec![(key, value.is_some())],
            ..Changes::default()
        },
        Some(SharedMap::Article) => Changes {
            article: vec![(key, value)],
            ..Changes::default()
        },
        _ => Changes {
            annotations: vec![(key, value)],
            ..Changes::default()
        },
    }
}

/// `items` in an order drawn from `draws`.
fn shuffled<T: Clone>(items: &[T], draws: &[Index]) -> Vec<T> {
    let mut items = items.to_vec();
    for i in (1..items.len()).rev() {
        if let Some(draw) = draws.get(i % draws.len().max(1)) {
            items.swap(i, draw.index(i + 1));
        }
    }
    items
}

/// A replica and the updates it holds back until their predecessors arrive.
struct Receiver {
    replica: Replica,
    held: Vec<Vec<u8>>,
}

impl Receiver {
    fn receive(&mut self, update: &[u8]) -> Result<(), TestCaseError> {
        let limits = Limits::default();
        match self.replica.apply_remote(update, &limits) {
            Err(ReplicaError::OutOfOrder { .. }) => {
                self.held.push(update.to_vec());
                return Ok(());
            }
            Err(refused) => return Err(TestCaseError::fail(format!("refused: {refused}"))),
            Ok(_) => {}
        }
        // Each update taken may let held ones in.
        loop {
            let before = self.held.len();
            let held = std::mem::take(&mut self.held);
            for update in held {
                match self.replica.apply_remote(&update, &limits) {
                    Err(ReplicaError::OutOfOrder { .. }) => self.held.push(update),
                    Err(refused) => return Err(TestCaseError::fail(format!("refused: {refused}"))),
                    Ok(_) => {}
                }
            }
            if self.held.len() == before {
                return Ok(());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn replicas_that_saw_the_same_updates_hold_the_same_maps(
        ids in prop::collection::hash_set(0u64..1_000, 4),
        count in 2..=4usize,
        steps in prop::collection::vec(step(), 1..40),
        draws in prop::collection::vec(any::<Index>(), 1..16),
        duplicates in prop::collection::vec(any::<Index>(), 0..8),
    ) {
        let mut replicas: Vec<Receiver> = ids
            .into_iter()
            .take(count)
            .map(|id| Receiver { replica: Replica::new(id), held: Vec::new() })
            .collect();
        let mut updates: Vec<(usize, Vec<u8>)> = Vec::new();
        for (n, step) in steps.into_iter().enumerate() {
            match step {
                Step::Write { replica, map, key, value } => {
                    let writer = replica.index(count);
                    let value = value.map(|value| format!("v{value}-{writer}-{n}"));
                    if let Some(receiver) = replicas.get_mut(writer) {
                        if let Some(update) = receiver.replica.apply_local(&changes(map, key, value)) {
                            updates.push((writer, update));
                        }
                    }
                }
                Step::Deliver { to, update } => {
                    if updates.is_empty() {
                        continue;
                    }
                    let (from, update) = &updates[update.index(updates.len())];
                    let to = to.index(count);
                    if *from != to {
                        replicas[to].receive(update)?;
                    }
                }
            }
        }
        for (r, receiver) in replicas.iter_mut().enumerate() {
            let mut order = shuffled(&updates, &draws[r % draws.len()..]);
            for duplicate in &duplicates {
                if !updates.is_empty() {
                    order.push(updates[duplicate.index(updates.len())].clone());
                }
            }
            for (_, update) in order {
                receiver.receive(&update)?;
            }
            prop_assert!(receiver.held.is_empty());
        }
        let expected = replicas[0].replica.snapshot();
        for receiver in &replicas {
            prop_assert_eq!(&receiver.replica.snapshot(), &expected);
        }
        // A newcomer that gets one replica's whole state agrees too, and so does its saved copy.
        let mut newcomer = Replica::new(5_000);
        common::sync(&replicas[count - 1].replica, &mut newcomer);
        prop_assert_eq!(&newcomer.snapshot(), &expected);
        let restored = Replica::from_saved(5_000, &newcomer.save()).expect("our own copy");
        prop_assert_eq!(&restored.snapshot(), &expected);
    }
}
