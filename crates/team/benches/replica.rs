//! What the replica costs on a large shared doc: 10,000 annotations (200-byte records), 2,000
//! relations and a 1 MB article text. Remote updates are checked from their own bytes when the
//! key bound allows (the usual case) and through a restored copy when it does not; this prints
//! both, with saving, restoring and the first sync, as the median of repeated runs.
//! `--quick` runs each once (a smoke test).

use std::time::Instant;

use annotator_team::{Changes, Limits, Replica};

fn median_ms(runs: usize, mut operation: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            operation();
            start.elapsed().as_secs_f64() * 1_000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn large_doc() -> Replica {
    let mut replica = Replica::new(1);
    let record = format!(
        "{{\"label\":\"quote\",\"start\":0,\"end\":10,\"note\":\"{}\"}}",
        "n".repeat(140)
    );
    let changes = Changes {
        annotations: (0..10_000)
            .map(|n| (format!("a{n}"), Some(record.clone())))
            .collect(),
        relations: (0..2_000)
            .map(|n| (format!("a{n}|cause|a{}", n + 1), true))
            .collect(),
        article: vec![
            ("title".into(), Some("\"A long article\"".into())),
            (
                "text".into(),
                Some(format!("\"{}\"", "lorem ipsum ".repeat(1_000_000 / 12))),
            ),
        ],
    };
    replica.apply_local(&changes);
    replica
}

fn main() {
    let quick = std::env::args().any(|arg| arg == "--quick");
    let runs = if quick { 1 } else { 15 };
    let doc = large_doc();
    let saved = doc.save();
    println!("doc: {} keys, saved copy {} bytes", 12_002, saved.len());

    let restore = median_ms(runs, || {
        Replica::from_saved(2, &saved).expect("valid");
    });
    println!("from_saved (check + decode + integrate): {restore:.2} ms");
    println!("save: {:.2} ms", median_ms(runs, || drop(doc.save())));
    println!(
        "snapshot: {:.2} ms",
        median_ms(runs, || drop(doc.snapshot()))
    );

    let first_sync = median_ms(runs, || {
        let mut fresh = Replica::new(3);
        fresh
            .apply_remote(&saved, &Limits::default())
            .expect("accepted");
    });
    println!(
        "first sync (apply_remote of the whole doc into an empty replica): {first_sync:.2} ms"
    );

    let mut peer = Replica::from_saved(4, &saved).expect("valid");
    let small = peer
        .apply_local(&Changes {
            annotations: vec![("a5".into(), Some("{\"label\":\"claim\"}".into()))],
            ..Changes::default()
        })
        .expect("a change");
    let small_update_ms = |limits: &Limits| {
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                let mut replica = Replica::from_saved(5, &saved).expect("valid");
                let start = Instant::now();
                replica
                    .apply_remote(&small, limits)
                    .expect("accepted: an overwrite adds no key");
                start.elapsed().as_secs_f64() * 1_000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[times.len() / 2]
    };
    let measured_fast = small_update_ms(&Limits::default());
    println!("small update, checked from its bytes: {measured_fast:.3} ms");
    // At the key limit the bound cannot clear it: the update goes through a restored copy.
    let measured_copy = small_update_ms(&Limits {
        max_keys: 10_000,
        ..Limits::default()
    });
    println!("small update at the key limit, checked on a restored copy: {measured_copy:.2} ms");
}
