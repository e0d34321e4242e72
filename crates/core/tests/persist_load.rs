//! Start-up over damaged storage (`persist::load`), for the cases the storage fuzz target
//! found: an entry under another document's key, a damaged text entry whose start still looks
//! right, and an index naming a document twice. Each must load cleanly, and load the same the
//! next time.

use std::path::PathBuf;

use annotator_core::model::{ArticleText, Document, DocumentId, Timestamp};
use annotator_core::persist::{load, stored, MemoryStore, Store};

fn at(millis: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_900_000_000_000 + millis)
}

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/storage")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

fn document(id: &str) -> Document {
    Document::new(
        DocumentId::new(id),
        "T".into(),
        ArticleText::normalize("Some text."),
        at(0),
    )
}

/// A store holding document "da" as a save writes it, and its encoded entries.
fn store_with_da() -> (MemoryStore, stored::EncodedEntries) {
    let mut store = MemoryStore::new();
    let entries = stored::encode_entries(&document("da"), at(1), "t1", None);
    let id = DocumentId::new("da");
    store.set(&stored::text_key(&id), &entries.text).unwrap();
    store
        .set(&stored::document_key(&id), &entries.document)
        .unwrap();
    (store, entries)
}

#[test]
fn an_entry_under_another_documents_key_is_moved_aside_not_loaded_twice() {
    let (mut store, entries) = store_with_da();
    // The same document's entry, also under the key of "db".
    store
        .set(
            &stored::document_key(&DocumentId::new("db")),
            &entries.document,
        )
        .unwrap();
    let loaded = load(&mut store, at(2));
    let ids: Vec<&str> = loaded
        .documents
        .iter()
        .map(|d| d.document.id.as_str())
        .collect();
    assert_eq!(ids, ["da"]);
    assert_eq!(loaded.quarantined.len(), 1, "{:?}", loaded.quarantined);
    assert!(loaded.quarantined[0]
        .1
        .starts_with("article-annotator:doc:db"));
    assert_eq!(load(&mut store, at(3)).documents.len(), 1);

    // An older entry carries its text: it reads, but names another document than its key.
    let mut store = MemoryStore::new();
    let old = fixture("v2/doc-dmx1bs5v79hafjsj9.json");
    store
        .set(&stored::document_key(&DocumentId::new("dother")), &old)
        .unwrap();
    let loaded = load(&mut store, at(4));
    assert!(loaded.documents.is_empty());
    let why = &loaded.quarantined[0].1;
    assert!(
        why.contains(
            "stored under the key of document dother but holds document dmx1bs5v79hafjsj9"
        ),
        "{why}"
    );
    // Nothing was rewritten under the other document's key.
    assert_eq!(store.keys().len(), 1, "{:?}", store.keys());
}

#[test]
fn migrating_an_old_entry_rewrites_a_damaged_text_entry_whose_start_matches() {
    let mut store = MemoryStore::new();
    let id = DocumentId::new("dmx1bs5v79hafjsj9");
    store
        .set(
            &stored::document_key(&id),
            &fixture("v2/doc-dmx1bs5v79hafjsj9.json"),
        )
        .unwrap();
    // The current text entry of the same text, cut short after its header.
    let good = fixture("v3/text-dmx1bs5v79hafjsj9.json");
    let damaged = &good[..good.find("\"text\"").unwrap() + 10];
    store.set(&stored::text_key(&id), damaged).unwrap();
    let first = load(&mut store, at(0));
    assert_eq!(first.documents.len(), 1);
    assert_eq!(
        store
            .get(&stored::text_key(&id))
            .unwrap()
            .as_deref()
            .map(stored::decode_text)
            .map(|t| t.is_ok()),
        Some(true)
    );
    let again = load(&mut store, at(1));
    assert!(
        again.problems.is_empty() && again.quarantined.is_empty(),
        "{:?}",
        again.quarantined
    );
    assert_eq!(again.documents.len(), 1);
}

#[test]
fn an_index_naming_a_document_twice_loads_it_once() {
    let (mut store, _) = store_with_da();
    let index = stored::StoredIndex {
        documents: vec!["da".into(), "da".into()],
        active: Some("da".into()),
        ..Default::default()
    };
    store
        .set(&stored::index_key(), &stored::encode_index(&index))
        .unwrap();
    assert_eq!(load(&mut store, at(2)).documents.len(), 1);
}

/// The storage fuzz target's schema 4 and 5 seeds (see fuzz/fuzz_targets/storage.rs for the
/// layout) are what they claim: a library with relations, values, notes and a label schema that
/// loads whole, a newer schema entry that is left alone, and annotations with their authors. A seed that quietly failed to load would
/// leave those paths unfuzzed.
#[test]
fn the_storage_fuzz_seeds_load_whole() {
    use annotator_core::persist::schema_entry::schema_key;
    let seed = |name: &str| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../fuzz/seeds/storage")
            .join(name);
        let bytes = std::fs::read(path).unwrap();
        let mut store = MemoryStore::new();
        for entry in bytes.split(|&b| b == 0xFE) {
            let (&kind, rest) = entry.split_first().unwrap();
            let mut parts = rest.splitn(2, |&b| b == 0xFF);
            let suffix = String::from_utf8(parts.next().unwrap().to_vec()).unwrap();
            let value = String::from_utf8(parts.next().unwrap().to_vec()).unwrap();
            let id = DocumentId::new(&suffix);
            let key = match kind {
                0 => stored::index_key(),
                1 => stored::document_key(&id),
                2 => stored::text_key(&id),
                4 => schema_key(),
                _ => unreachable!("kind {kind}"),
            };
            store.set(&key, &value).unwrap();
        }
        load(&mut store, at(0))
    };
    let all = seed("seed-v4-all");
    assert!(all.problems.is_empty(), "{:?}", all.problems);
    assert!(all.quarantined.is_empty());
    assert_eq!(all.documents.len(), 2);
    let d = &all.documents[0].document;
    assert_eq!(d.relations().len(), 4);
    assert!(d.note.is_some());
    assert!(d.annotations().iter().any(|a| !a.attributes.is_empty()));
    assert!(d.annotations().iter().any(|a| a.note.is_some()));
    assert!(all.schema.is_some());
    let one = seed("seed-v4-doc-relations");
    assert_eq!(one.documents.len(), 1);
    assert_eq!(one.documents[0].document, *d);
    assert!(seed("seed-v4-schema").schema.is_some());
    let newer = seed("seed-v4-schema-newer");
    assert!(newer.newer_schema && newer.problems.is_empty());
    // Schema 5: who made and who last changed each annotation, in every form storage writes.
    let authors = seed("seed-v5-authors");
    assert!(authors.problems.is_empty(), "{:?}", authors.problems);
    assert_eq!(authors.documents.len(), 1);
    let annotations = authors.documents[0].document.annotations();
    let named = |n: Option<&annotator_core::model::AnnotatorName>| n.map(|n| n.as_str().to_owned());
    let by: Vec<(Option<String>, Option<String>)> = annotations
        .iter()
        .take(4)
        .map(|a| {
            (
                named(a.authors.made_by.as_ref()),
                named(a.authors.changed_by.as_ref()),
            )
        })
        .collect();
    let (ann, li) = (Some("ann".to_owned()), Some("李 雷".to_owned()));
    assert_eq!(
        by,
        [
            (ann.clone(), ann.clone()),
            (li.clone(), ann.clone()),
            (ann, None),
            (None, None),
        ]
    );
}
