//! Whatever a browser's storage holds under our keys (damaged entries, entries of any schema,
//! a newer app's, the label schema entry), start-up never panics, and a save after it writes
//! nothing that the next start-up cannot read: a label schema that loaded saves and loads back
//! the same, and one a newer app wrote is left byte-identical. The input is a list of entries:
//! a kind byte (index, document, text, quarantine, label schema), then key suffix and value
//! separated by 0xFF, entries separated by 0xFE.
#![no_main]

use std::rc::Rc;

use annotator_core::model::{DocumentId, Timestamp};
use annotator_core::persist::schema_entry::{save_schema, schema_key};
use annotator_core::persist::{load, stored, MemoryStore, SaveEngine, Snapshot, Store};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut store = MemoryStore::new();
    for entry in data.split(|&b| b == 0xFE) {
        let Some((&kind, rest)) = entry.split_first() else {
            continue;
        };
        let mut parts = rest.splitn(2, |&b| b == 0xFF);
        let suffix = String::from_utf8_lossy(parts.next().unwrap_or_default());
        let value = String::from_utf8_lossy(parts.next().unwrap_or_default());
        let id = DocumentId::new(&suffix);
        let key = match kind % 5 {
            0 => stored::index_key(),
            1 => stored::document_key(&id),
            2 => stored::text_key(&id),
            3 => format!("{}quarantine:{suffix}", stored::KEY_PREFIX),
            _ => schema_key(),
        };
        let _ = store.set(&key, &value);
    }
    let now = Timestamp::from_unix_millis(1_900_000_000_000);
    let loaded = load(&mut store, now);
    let mut ids: Vec<_> = loaded
        .documents
        .iter()
        .map(|d| d.document.id.clone())
        .collect();
    ids.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    ids.dedup();
    assert_eq!(
        ids.len(),
        loaded.documents.len(),
        "a document was loaded twice"
    );
    let documents: Vec<_> = loaded
        .documents
        .iter()
        .map(|d| (Rc::new(d.document.clone()), Some(d.lineage())))
        .collect();
    let newer = loaded.newer.iter().map(|n| n.id.clone()).collect();
    let mut engine = SaveEngine::new(
        "tfuzz".into(),
        &documents,
        newer,
        loaded.newer_index.is_some(),
    );
    engine.rendered(Snapshot {
        documents: documents.iter().map(|(d, _)| Rc::clone(d)).collect(),
        active: loaded.active,
    });
    let _ = engine.flush(&mut store, now);
    // The app writes the label schema only when it may: not over a newer app's entry, not in a
    // read-only store.
    let schema_entry = store.get(&schema_key()).ok().flatten();
    let writable = !loaded.newer_schema && loaded.newer_index.is_none();
    if writable {
        let schema = loaded.schema.clone().unwrap_or_default();
        let _ = save_schema(&mut store, &schema);
    }
    // Everything the first start-up left and the save wrote reads back whole.
    let again = load(&mut store, now);
    assert_eq!(again.documents.len(), loaded.documents.len());
    if writable {
        assert_eq!(again.schema, Some(loaded.schema.unwrap_or_default()));
    } else if loaded.newer_schema {
        assert!(again.newer_schema);
        assert_eq!(store.get(&schema_key()).ok().flatten(), schema_entry);
    }
});
