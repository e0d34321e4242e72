#![cfg(not(target_arch = "wasm32"))]
//! The localStorage schema over time: migration of every older schema, the current envelope,
//! and quarantine envelopes for values that cannot be read.
//!
//! Why: people's annotations live only in their browser. An upgrade of the app must read what
//! every earlier version wrote, exactly, and a value it cannot read (corrupt, foreign, or written
//! by a newer version in another tab) must be recognised as such and kept byte for byte, never
//! overwritten or dropped. A panic while decoding would kill the page, so garbage of every kind
//! must come back as a typed error.
//!
//! `tests/fixtures/storage/vN/` holds entries exactly as schema N writes them, one file per
//! localStorage key: `index.json` for `article-annotator:index` and `doc-<id>.json` for
//! `article-annotator:doc:<id>` (a `:` would not survive a checkout on Windows). The v1 files
//! were written by the encoder of the first release; never edit a fixture of a released schema.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use article_annotator::export::migrate::{self, DOCUMENT_STEPS, INDEX_STEPS, V1_WRITER};
use article_annotator::export::stored::{
    self, QuarantineEntry, StoredDocument, StoredError, StoredIndex, KEY_PREFIX, QUARANTINE_FORMAT,
    QUARANTINE_VERSION, STORE_FORMAT, STORE_VERSION,
};
use article_annotator::model::{
    AnnotationId, ArticleText, ByteOffset, CharRange, Document, DocumentId, Label, Timestamp,
};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// The fixture library: what the v1 files hold, built again through the model.
// ---------------------------------------------------------------------------------------------

const RICH_ID: &str = "dmx1bs5v79hafjsj9";
const PLAIN_ID: &str = "dmx1dxc948ux1m11";
/// 2026-11-29T04:14:43.123Z.
const RICH_CREATED_MS: i64 = 1_795_925_683_123;
/// 2026-11-29T04:15:05.579Z: the relabel of a12, the last edit.
const RICH_MODIFIED_MS: i64 = RICH_CREATED_MS + 22_456;
/// 2026-11-29T05:14:43.912Z.
const PLAIN_CREATED_MS: i64 = RICH_CREATED_MS + 3_600_789;
/// 2026-11-29T05:14:51.913Z: the deletion of its last annotation.
const PLAIN_MODIFIED_MS: i64 = PLAIN_CREATED_MS + 8_001;

/// As pasted: CRLF line ends, emoji with a skin tone, ZWJ sequences, CJK, Arabic and Hebrew,
/// backslashes, a tab, quotes and stacked combining marks.
const RICH_RAW: &str = "Café owner said: \"We love 北京市 and 日本語!\" 😀👍🏽\r\n\r\n\
The family 👩‍👩‍👧‍👦 waved 🏳️‍🌈 flags.\r\n\
مرحبا بالعالم means hello world; שלום too.\r\n\
Path C:\\temp\\new and a tab\there; Zalgo: Z\u{351}\u{358}a\u{301}l\u{327}go e\u{301}nds here.";
const RICH_TITLE: &str = "Café 北京 — \"quotes\", emoji 👩‍👩‍👧‍👦 & שלום";

/// What the rich v1 document holds: (id, label, start, end, text), in text order. Offsets are
/// code points; a4 and a15 were deleted, a12 relabelled from entity to quote.
const RICH_ANNOTATIONS: [(&str, Label, usize, usize, &str); 13] = [
    (
        "a1",
        Label::Claim,
        0,
        39,
        "Café owner said: \"We love 北京市 and 日本語!\"",
    ),
    ("a2", Label::Quote, 17, 39, "\"We love 北京市 and 日本語!\""),
    ("a3", Label::Entity, 26, 29, "北京市"),
    ("a5", Label::Entity, 40, 43, "😀👍🏽"),
    ("a6", Label::Claim, 45, 69, "The family 👩‍👩‍👧‍👦 waved"),
    ("a7", Label::Quote, 56, 81, "👩‍👩‍👧‍👦 waved 🏳️‍🌈 flags."),
    ("a8", Label::Entity, 70, 74, "🏳️‍🌈"),
    ("a9", Label::Claim, 70, 74, "🏳️‍🌈"),
    ("a10", Label::Quote, 75, 87, "flags.\nمرحبا"),
    ("a11", Label::Entity, 82, 95, "مرحبا بالعالم"),
    ("a12", Label::Quote, 115, 119, "שלום"),
    ("a13", Label::Entity, 130, 141, "C:\\temp\\new"),
    (
        "a14",
        Label::Quote,
        165,
        174,
        "Z\u{351}\u{358}a\u{301}l\u{327}go",
    ),
];

fn ms(millis: i64) -> Timestamp {
    Timestamp::from_unix_millis(millis)
}

fn find(text: &ArticleText, needle: &str) -> CharRange {
    let byte = text
        .as_str()
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let start = text.char_of_byte(ByteOffset::new(byte)).unwrap().get();
    CharRange::from_raw(start, start + needle.chars().count()).unwrap()
}

/// The rich document, edited the way the v1 fixture was: 15 annotations added (nested, crossing,
/// one span with two labels), a15 and a4 deleted, a12 relabelled.
fn rich_document() -> Document {
    let text = ArticleText::normalize(RICH_RAW);
    let mut d = Document::new(
        DocumentId::new(RICH_ID),
        RICH_TITLE.into(),
        text.clone(),
        ms(RICH_CREATED_MS),
    );
    let spans = [
        (
            "Café owner said: \"We love 北京市 and 日本語!\"",
            Label::Claim,
        ),
        ("\"We love 北京市 and 日本語!\"", Label::Quote),
        ("北京市", Label::Entity),
        ("日本語", Label::Entity),
        ("😀👍🏽", Label::Entity),
        ("The family 👩‍👩‍👧‍👦 waved", Label::Claim),
        ("👩‍👩‍👧‍👦 waved 🏳️‍🌈 flags.", Label::Quote),
        ("🏳️‍🌈", Label::Entity),
        ("🏳️‍🌈", Label::Claim),
        ("flags.\nمرحبا", Label::Quote),
        ("مرحبا بالعالم", Label::Entity),
        ("שלום", Label::Entity),
        ("C:\\temp\\new", Label::Entity),
        ("Z\u{351}\u{358}a\u{301}l\u{327}go", Label::Quote),
        ("e\u{301}nds", Label::Claim),
    ];
    for (i, (needle, label)) in spans.into_iter().enumerate() {
        let now = ms(RICH_CREATED_MS + 1000 * (i as i64 + 1));
        d.add(find(&text, needle), label, now).unwrap();
    }
    d.remove(&AnnotationId::new("a15"), ms(RICH_CREATED_MS + 20_000))
        .unwrap();
    d.remove(&AnnotationId::new("a4"), ms(RICH_CREATED_MS + 21_000))
        .unwrap();
    d.relabel(
        &AnnotationId::new("a12"),
        Label::Quote,
        ms(RICH_MODIFIED_MS),
    )
    .unwrap();
    d
}

/// A document whose two annotations were both deleted: nothing left but the id counter.
fn plain_document() -> Document {
    let text = ArticleText::normalize("Nothing tagged here.\n\nSecond paragraph.\n");
    let mut d = Document::new(
        DocumentId::new(PLAIN_ID),
        "Nothing tagged here.".into(),
        text.clone(),
        ms(PLAIN_CREATED_MS),
    );
    let at = |delta| ms(PLAIN_CREATED_MS + delta);
    d.add(find(&text, "Nothing"), Label::Entity, at(5000))
        .unwrap();
    d.add(find(&text, "Second paragraph."), Label::Claim, at(6000))
        .unwrap();
    d.remove(&AnnotationId::new("a1"), at(7000)).unwrap();
    d.remove(
        &AnnotationId::new("a2"),
        at(PLAIN_MODIFIED_MS - PLAIN_CREATED_MS),
    )
    .unwrap();
    d
}

fn expected_library() -> (StoredIndex, Vec<Document>) {
    let index = StoredIndex {
        documents: vec![RICH_ID.into(), PLAIN_ID.into()],
        active: Some(PLAIN_ID.into()),
        migrated_from: None,
    };
    (index, vec![rich_document(), plain_document()])
}

// ---------------------------------------------------------------------------------------------
// Reading fixture directories as localStorage.
// ---------------------------------------------------------------------------------------------

fn fixtures_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/storage")
}

fn fixture_dir(version: u32) -> PathBuf {
    fixtures_root().join(format!("v{version}"))
}

/// The localStorage key a fixture file stands for.
fn key_of_file(name: &str) -> String {
    let stem = name
        .strip_suffix(".json")
        .unwrap_or_else(|| panic!("{name}: not a .json fixture"));
    if stem == "index" {
        return stored::index_key();
    }
    let id = stem
        .strip_prefix("doc-")
        .unwrap_or_else(|| panic!("{name}: expected index.json or doc-<id>.json"));
    stored::document_key(&DocumentId::new(id))
}

/// Every fixture of one schema: localStorage key → stored string, read byte for byte.
fn storage_snapshot(dir: &Path) -> BTreeMap<String, String> {
    let mut snapshot = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let value = std::fs::read_to_string(&path).unwrap();
        snapshot.insert(key_of_file(&name), value);
    }
    snapshot
}

/// Schema versions that have a fixture directory.
fn fixture_versions() -> Vec<u32> {
    let mut versions: Vec<u32> = std::fs::read_dir(fixtures_root())
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_prefix('v').and_then(|n| n.parse().ok())
        })
        .collect();
    versions.sort_unstable();
    versions
}

fn v1(name: &str) -> String {
    std::fs::read_to_string(fixture_dir(1).join(name)).unwrap()
}

fn rich_v1() -> String {
    v1(&format!("doc-{RICH_ID}.json"))
}

fn plain_v1() -> String {
    v1(&format!("doc-{PLAIN_ID}.json"))
}

/// The first `n` characters (a cut-off save).
fn prefix(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn value(json: &str) -> Value {
    serde_json::from_str(json).unwrap()
}

fn edited(json: &str, f: impl FnOnce(&mut Value)) -> String {
    let mut v = value(json);
    f(&mut v);
    v.to_string()
}

// ---------------------------------------------------------------------------------------------
// Schema 1 fixtures: they are real v1 data, and they load into exactly the documents they held.
// ---------------------------------------------------------------------------------------------

#[test]
fn v1_fixtures_are_untouched_v1_entries() {
    let snapshot = storage_snapshot(&fixture_dir(1));
    let keys: Vec<&str> = snapshot.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "article-annotator:doc:dmx1bs5v79hafjsj9",
            "article-annotator:doc:dmx1dxc948ux1m11",
            "article-annotator:index",
        ]
    );
    for (key, json) in &snapshot {
        // Exactly what serde_json::to_string wrote: compact, no trailing newline.
        assert!(json.starts_with("{\"format\":\"article-annotator-store\",\"version\":1,"));
        assert!(json.ends_with('}'), "{key}");
        let v = value(json);
        assert_eq!(v["version"], 1, "{key}");
        assert!(
            v.get("saved_at").is_none() && v.get("writer").is_none(),
            "{key}"
        );
    }
    // v1 wrote the document before the id counter; v2 writes it last.
    assert!(rich_v1().ends_with("]},\"next_annotation\":16}"));
    assert!(plain_v1().ends_with("\"annotations\":[]},\"next_annotation\":3}"));
}

#[test]
fn v1_index_migrates() {
    let (expected, _) = expected_library();
    let json = v1("index.json");
    assert_eq!(
        stored::decode_index(&json),
        Ok(StoredIndex {
            migrated_from: Some(1),
            ..expected
        })
    );
}

#[test]
fn v1_rich_document_migrates_to_exactly_what_it_held() {
    let StoredDocument {
        document: d,
        saved_at,
        writer,
        parent,
        migrated_from,
    } = stored::decode_document(&rich_v1()).unwrap();
    assert_eq!(migrated_from, Some(1));
    assert_eq!(parent, None, "schema 1 recorded no parent version");
    assert_eq!(writer, V1_WRITER);
    assert_eq!(writer, "migrated-from-v1");
    // A v1 entry was last saved when its document was last modified.
    assert_eq!(saved_at, ms(RICH_MODIFIED_MS));

    assert_eq!(d.id, DocumentId::new(RICH_ID));
    assert_eq!(d.title, RICH_TITLE);
    assert_eq!(d.text().as_str(), ArticleText::normalize(RICH_RAW).as_str());
    assert!(!d.text().as_str().contains('\r'));
    assert_eq!(d.text().char_len(), 186);
    assert_eq!(d.created.to_rfc3339(), "2026-11-29T04:14:43.123Z");
    assert_eq!(d.modified.to_rfc3339(), "2026-11-29T04:15:05.579Z");
    assert_eq!(
        d.next_number(),
        16,
        "a15 was deleted, but its number stays used"
    );

    let chars: Vec<char> = d.text().as_str().chars().collect();
    let found: Vec<_> = d
        .annotations()
        .iter()
        .map(|a| {
            let (start, end) = (a.range.start().get(), a.range.end().get());
            let text: String = chars[start..end].iter().collect();
            (a.id.to_string(), a.label.clone(), start, end, text)
        })
        .collect();
    let expected: Vec<_> = RICH_ANNOTATIONS
        .iter()
        .map(|(id, label, start, end, text)| {
            (
                id.to_string(),
                label.clone(),
                *start,
                *end,
                text.to_string(),
            )
        })
        .collect();
    assert_eq!(found, expected);
    d.check_invariants().unwrap();
    assert_eq!(d, rich_document());
}

#[test]
fn v1_document_without_annotations_migrates() {
    let stored = stored::decode_document(&plain_v1()).unwrap();
    assert_eq!(stored.migrated_from, Some(1));
    assert_eq!(stored.writer, V1_WRITER);
    assert_eq!(stored.saved_at, ms(PLAIN_MODIFIED_MS));
    let d = stored.document;
    assert_eq!(d.id.as_str(), PLAIN_ID);
    assert_eq!(d.title, "Nothing tagged here.");
    assert_eq!(
        d.text().as_str(),
        "Nothing tagged here.\n\nSecond paragraph.\n"
    );
    assert!(d.annotations().is_empty());
    assert_eq!(d.next_number(), 3, "a1 and a2 were used and deleted");
    assert_eq!(
        (d.created, d.modified),
        (ms(PLAIN_CREATED_MS), ms(PLAIN_MODIFIED_MS))
    );
    assert_eq!(d, plain_document());
}

#[test]
fn v1_migration_adds_saved_at_and_writer_and_keeps_everything_else() {
    for json in [rich_v1(), plain_v1()] {
        let original = value(&json);
        let (migrated, from) = migrate::migrate_document(original.clone()).unwrap();
        assert_eq!(from, Some(1));
        assert_eq!(migrated["version"], STORE_VERSION);
        assert_eq!(migrated["saved_at"], original["document"]["modified"]);
        assert_eq!(migrated["writer"], "migrated-from-v1");
        let mut rest = migrated.as_object().unwrap().clone();
        for added in ["saved_at", "writer", "version"] {
            rest.remove(added);
        }
        let mut before = original.as_object().unwrap().clone();
        before.remove("version");
        assert_eq!(rest, before);
    }
    let index = value(&v1("index.json"));
    let (migrated, from) = migrate::migrate_index(index.clone()).unwrap();
    assert_eq!(from, Some(1));
    assert_eq!(
        migrated,
        edited_value(index, |v| v["version"] = json!(STORE_VERSION))
    );
}

fn edited_value(mut v: Value, f: impl FnOnce(&mut Value)) -> Value {
    f(&mut v);
    v
}

#[test]
fn v1_saved_at_keeps_a_hand_edited_offset_timestamp() {
    let json = edited(&plain_v1(), |v| {
        v["document"]["modified"] = json!("2026-11-29T06:14:51.913+01:00");
    });
    let stored = stored::decode_document(&json).unwrap();
    assert_eq!(stored.saved_at, ms(PLAIN_MODIFIED_MS));
    assert_eq!(stored.document.modified, ms(PLAIN_MODIFIED_MS));
}

#[test]
fn migrated_documents_re_encode_as_the_current_schema() {
    for json in [rich_v1(), plain_v1()] {
        let old = stored::decode_document(&json).unwrap();
        let upgraded = stored::encode_document(&old.document, old.saved_at, &old.writer, None);
        let v = value(&upgraded);
        assert_eq!(v["version"], STORE_VERSION);
        let new = stored::decode_document(&upgraded).unwrap();
        assert_eq!(new.migrated_from, None);
        assert_eq!(
            (&new.document, new.saved_at, &new.writer),
            (&old.document, old.saved_at, &old.writer)
        );
        // Encoding is a fixed point once current.
        assert_eq!(
            stored::encode_document(&new.document, new.saved_at, &new.writer, None),
            upgraded
        );
    }
    let index = stored::decode_index(&v1("index.json")).unwrap();
    assert_eq!(index.migrated_from, Some(1));
    // migrated_from is not stored: the re-encoded index is simply current.
    assert_eq!(
        stored::decode_index(&stored::encode_index(&index)),
        Ok(StoredIndex {
            migrated_from: None,
            ..index
        })
    );
}

/// Every fixture of every schema, current and older, loads as the same library; nothing in a
/// fixture directory goes unchecked. Adding `vN/` for a new schema needs no change here.
#[test]
fn every_schema_fixture_loads_as_the_same_library() {
    let (expected_index, expected_documents) = expected_library();
    let versions = fixture_versions();
    assert_eq!(versions.first(), Some(&1));
    assert_eq!(
        versions.last(),
        Some(&STORE_VERSION),
        "add tests/fixtures/storage/v{STORE_VERSION}/ (UPDATE_STORAGE_FIXTURES=1)"
    );
    for version in versions {
        let from = (version < STORE_VERSION).then_some(version);
        let snapshot = storage_snapshot(&fixture_dir(version));
        let mut documents = Vec::new();
        for (key, json) in &snapshot {
            assert_eq!(value(json)["version"], version, "v{version} {key}");
            if key == &stored::index_key() {
                assert_eq!(
                    stored::decode_index(json),
                    Ok(StoredIndex {
                        migrated_from: from,
                        ..expected_index.clone()
                    }),
                    "v{version} {key}"
                );
                continue;
            }
            let id = stored::is_document_key(key).unwrap();
            let stored =
                stored::decode_document(json).unwrap_or_else(|e| panic!("v{version} {key}: {e}"));
            assert_eq!(stored.migrated_from, from, "v{version} {key}");
            assert_eq!(stored.document.id.as_str(), id, "v{version} {key}");
            documents.push(stored.document);
        }
        let order = |d: &Document| {
            expected_index
                .documents
                .iter()
                .position(|id| id == d.id.as_str())
        };
        documents.sort_by_key(order);
        assert_eq!(documents, expected_documents, "v{version}");
    }
}

// ---------------------------------------------------------------------------------------------
// The current schema: its fixture pins the bytes, and it round-trips.
// ---------------------------------------------------------------------------------------------

/// 2026-11-29T05:20:00.000Z, and a tab id: what the current-schema fixture was saved with.
const SAVED_AT_MS: i64 = 1_795_929_600_000;
const WRITER: &str = "tab-mx1e2k4-7f3q";

/// Set `UPDATE_STORAGE_FIXTURES=1` to write `v{STORE_VERSION}/` after a schema change. Older
/// directories are never written: they are the record of what older versions stored.
#[test]
fn current_schema_fixture_matches_the_encoder_byte_for_byte() {
    let (index, documents) = expected_library();
    let mut written = BTreeMap::new();
    written.insert("index.json".to_owned(), stored::encode_index(&index));
    for d in &documents {
        written.insert(
            format!("doc-{}.json", d.id),
            stored::encode_document(d, ms(SAVED_AT_MS), WRITER, None),
        );
    }
    let dir = fixture_dir(STORE_VERSION);
    if std::env::var_os("UPDATE_STORAGE_FIXTURES").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, json) in &written {
            std::fs::write(dir.join(name), json).unwrap();
        }
    }
    for (name, json) in &written {
        let path = dir.join(name);
        let fixture = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run with UPDATE_STORAGE_FIXTURES=1 once)",
                path.display()
            )
        });
        assert_eq!(json, &fixture, "{} differs", path.display());
    }
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), written.len(), "{names:?}");
}

#[test]
fn current_document_envelope_has_the_documented_fields_in_order() {
    let json = stored::encode_document(&plain_document(), ms(SAVED_AT_MS), WRITER, None);
    assert!(
        json.starts_with(
            "{\"format\":\"article-annotator-store\",\"version\":2,\
             \"saved_at\":\"2026-11-29T05:20:00.000Z\",\"writer\":\"tab-mx1e2k4-7f3q\",\
             \"parent\":null,\"next_annotation\":3,\"document\":{\"id\":\"dmx1dxc948ux1m11\","
        ),
        "{json}"
    );
    let stored = stored::decode_document(&json).unwrap();
    assert_eq!(
        stored,
        StoredDocument {
            document: plain_document(),
            saved_at: ms(SAVED_AT_MS),
            writer: WRITER.into(),
            parent: None,
            migrated_from: None,
        }
    );
    let index = stored::encode_index(&expected_library().0);
    assert_eq!(
        index,
        "{\"format\":\"article-annotator-store\",\"version\":2,\
         \"documents\":[\"dmx1bs5v79hafjsj9\",\"dmx1dxc948ux1m11\"],\"active\":\"dmx1dxc948ux1m11\"}"
    );
}

#[test]
fn a_current_envelope_needs_saved_at_and_writer() {
    let json = stored::encode_document(&plain_document(), ms(SAVED_AT_MS), WRITER, None);
    for field in ["saved_at", "writer", "next_annotation", "document"] {
        let missing = edited(&json, |v| {
            v.as_object_mut().unwrap().remove(field);
        });
        assert!(
            matches!(
                stored::decode_document(&missing),
                Err(StoredError::Shape(_))
            ),
            "without {field}"
        );
    }
    for bad in ["", "yesterday", "2026-02-30T00:00:00Z"] {
        let json = edited(&json, |v| v["saved_at"] = json!(bad));
        let error = stored::decode_document(&json).unwrap_err();
        assert!(
            matches!(&error, StoredError::Shape(m) if m.contains("saved_at")),
            "{error:?}"
        );
    }
}

#[test]
fn migrating_a_current_entry_changes_nothing() {
    let json = stored::encode_document(&rich_document(), ms(SAVED_AT_MS), WRITER, None);
    let v = value(&json);
    assert_eq!(migrate::migrate_document(v.clone()), Ok((v, None)));
    let index = value(&stored::encode_index(&expected_library().0));
    assert_eq!(migrate::migrate_index(index.clone()), Ok((index, None)));
}

#[test]
fn there_is_one_step_per_schema_upgrade() {
    let count = usize::try_from(STORE_VERSION - 1).unwrap();
    assert_eq!(DOCUMENT_STEPS.len(), count);
    assert_eq!(INDEX_STEPS.len(), count);
}

// ---------------------------------------------------------------------------------------------
// What is not ours, not readable, or not yet known.
// ---------------------------------------------------------------------------------------------

fn decode_all(json: &str) -> [Result<(), StoredError>; 2] {
    [
        stored::decode_document(json).map(drop),
        stored::decode_index(json).map(drop),
    ]
}

#[test]
fn a_newer_schema_is_recognised_whatever_its_shape() {
    let next = STORE_VERSION + 1;
    let newer = [
        json!({"format": STORE_FORMAT, "version": next}),
        json!({"format": STORE_FORMAT, "version": next, "doc": {"x": [1, 2, 3]}, "shards": 7}),
        json!({"format": STORE_FORMAT, "version": next, "document": "moved elsewhere"}),
        json!({"format": STORE_FORMAT, "version": u32::MAX}),
        value(&edited(&rich_v1(), |v| v["version"] = json!(next))),
        value(&edited(&stored::encode_index(&expected_library().0), |v| {
            v["version"] = json!(next);
        })),
    ];
    for v in newer {
        let found = u32::try_from(v["version"].as_u64().unwrap()).unwrap();
        let json = v.to_string();
        for result in decode_all(&json) {
            assert_eq!(result, Err(StoredError::NewerVersion { found }), "{json}");
        }
        assert_eq!(
            migrate::migrate_document(v.clone()),
            Err(StoredError::NewerVersion { found })
        );
        assert_eq!(
            migrate::migrate_index(v),
            Err(StoredError::NewerVersion { found })
        );
    }
    let message = StoredError::NewerVersion { found: 3 }.to_string();
    assert!(
        message.contains("newer version") && message.contains('3'),
        "{message}"
    );
}

#[test]
fn a_missing_or_impossible_version_is_a_shape_error() {
    for version in [
        None,
        Some(json!(0)),
        Some(json!(-1)),
        Some(json!(1.5)),
        Some(json!(2.0)),
        Some(json!("1")),
        Some(json!(null)),
        Some(json!(u64::from(u32::MAX) + 1)),
    ] {
        let json = edited(&rich_v1(), |v| match &version {
            Some(version) => v["version"] = version.clone(),
            None => {
                v.as_object_mut().unwrap().remove("version");
            }
        });
        for result in decode_all(&json) {
            assert!(
                matches!(result, Err(StoredError::Shape(_))),
                "version {version:?}: {result:?}"
            );
        }
    }
}

#[test]
fn entries_that_are_not_ours_are_a_wrong_format() {
    for v in [
        json!({"format": "someone-else", "version": 1}),
        json!({"format": "someone-else", "version": STORE_VERSION + 1}),
        json!({"format": "someone-else"}),
        json!({"format": QUARANTINE_FORMAT, "version": QUARANTINE_VERSION}),
        json!({"format": "article-annotator", "version": 1, "documents": []}),
    ] {
        let found = v["format"].as_str().unwrap().to_owned();
        for result in decode_all(&v.to_string()) {
            assert_eq!(
                result,
                Err(StoredError::WrongFormat {
                    found: found.clone()
                })
            );
        }
    }
    for no_format in [json!({"version": 1}), json!({"format": 1, "version": 1})] {
        for result in decode_all(&no_format.to_string()) {
            assert!(matches!(result, Err(StoredError::Shape(_))), "{result:?}");
        }
    }
}

#[test]
fn invalid_json_is_a_json_error() {
    let truncated = &prefix(&rich_v1(), 100);
    let deep = "[".repeat(100_000);
    for not_json in [
        "",
        " ",
        "{",
        "not json",
        "{\"format\": ",
        "{'format': 1}",
        truncated,
        &deep,
    ] {
        for result in decode_all(not_json) {
            assert!(matches!(result, Err(StoredError::Json(_))), "{result:?}");
        }
        assert!(matches!(
            stored::decode_quarantine(not_json),
            Err(StoredError::Json(_))
        ));
    }
}

#[test]
fn an_index_is_not_a_document_and_a_document_is_not_an_index() {
    for version in [1, STORE_VERSION] {
        let (index, document) = if version == 1 {
            (v1("index.json"), plain_v1())
        } else {
            (
                stored::encode_index(&expected_library().0),
                stored::encode_document(&plain_document(), ms(SAVED_AT_MS), WRITER, None),
            )
        };
        assert!(
            matches!(stored::decode_document(&index), Err(StoredError::Shape(_))),
            "v{version}"
        );
        assert!(
            matches!(stored::decode_index(&document), Err(StoredError::Shape(_))),
            "v{version}"
        );
    }
}

#[test]
fn a_v1_document_without_its_modified_time_cannot_be_migrated() {
    for broken in [
        edited(&plain_v1(), |v| {
            v["document"].as_object_mut().unwrap().remove("modified");
        }),
        edited(&plain_v1(), |v| v["document"]["modified"] = json!(17)),
        edited(&plain_v1(), |v| v["document"] = json!("text")),
    ] {
        let result = stored::decode_document(&broken);
        assert!(matches!(result, Err(StoredError::Shape(_))), "{result:?}");
    }
}

#[test]
fn broken_records_in_migrated_entries_are_record_errors() {
    let broken = edited(&rich_v1(), |v| {
        v["document"]["annotations"][2]["text"] = json!("Beijing");
    });
    assert!(matches!(
        stored::decode_document(&broken),
        Err(StoredError::Record(_))
    ));
}

// ---------------------------------------------------------------------------------------------
// Keys and quarantine envelopes.
// ---------------------------------------------------------------------------------------------

#[test]
fn keys_are_namespaced_and_told_apart() {
    assert_eq!(KEY_PREFIX, "article-annotator:");
    let doc = stored::document_key(&DocumentId::new("dmx1bs5v79hafjsj9"));
    assert_eq!(doc, "article-annotator:doc:dmx1bs5v79hafjsj9");
    assert_eq!(stored::is_document_key(&doc), Some("dmx1bs5v79hafjsj9"));
    assert_eq!(
        stored::is_document_key("article-annotator:doc:a:b"),
        Some("a:b")
    );
    let quarantine = stored::quarantine_key(&doc, ms(RICH_CREATED_MS));
    assert_eq!(
        quarantine,
        "article-annotator:quarantine:1795925683123:article-annotator:doc:dmx1bs5v79hafjsj9"
    );
    for not_a_document in [
        stored::index_key().as_str(),
        quarantine.as_str(),
        "article-annotator:docs",
        "article-annotator:Doc:x",
        "doc:x",
        "other-app:doc:x",
        "",
    ] {
        assert_eq!(
            stored::is_document_key(not_a_document),
            None,
            "{not_a_document}"
        );
    }
    assert!(stored::is_quarantine_key(&quarantine));
    assert!(stored::is_quarantine_key(
        "article-annotator:quarantine:not-ours"
    ));
    for not_quarantine in [
        doc.as_str(),
        "article-annotator:index",
        "quarantine:1:x",
        "",
    ] {
        assert!(
            !stored::is_quarantine_key(not_quarantine),
            "{not_quarantine}"
        );
    }
    assert_eq!(
        stored::parse_quarantine_key(&quarantine),
        Some((ms(RICH_CREATED_MS), doc.as_str()))
    );
    assert_eq!(
        stored::parse_quarantine_key(&stored::quarantine_key("article-annotator:index", ms(-5))),
        Some((ms(-5), "article-annotator:index"))
    );
    for malformed in [
        "article-annotator:quarantine:not-ours",
        "article-annotator:quarantine::x",
        "article-annotator:quarantine:+5:x",
        "article-annotator:quarantine:-:x",
        "article-annotator:quarantine:99999999999999999999:x",
        "article-annotator:quarantine:12",
    ] {
        assert_eq!(stored::parse_quarantine_key(malformed), None, "{malformed}");
    }
}

/// Values people might find in storage: broken saves, foreign data, text that JSON must escape.
fn awkward_raw_values() -> Vec<String> {
    vec![
        String::new(),
        "{".into(),
        "not json at all".into(),
        prefix(&rich_v1(), 517),
        rich_v1(),
        json!({"format": STORE_FORMAT, "version": 3, "shards": ["\u{0}"]}).to_string(),
        "\"quoted\" 'single' \\back\\slash\\ \\u0041 \\n literal".into(),
        "line\nbreak\r\ncrlf\rcr\ttab\u{0}nul\u{7f}del\u{1b}esc\u{2028}ls\u{2029}ps".into(),
        "😀👍🏽👩‍👩‍👧‍👦🏳️‍🌈 北京市 مرحبا שלום e\u{301} \u{feff}bom \u{fffd} \u{10ffff}".into(),
        "   leading and trailing whitespace \n\n".into(),
        "x".repeat(100_000),
    ]
}

#[test]
fn quarantine_keeps_the_raw_value_byte_for_byte() {
    let key = stored::document_key(&DocumentId::new(RICH_ID));
    for raw in awkward_raw_values() {
        let reason = "not valid JSON: EOF while parsing \"a\" at line 1 column 1";
        let json = stored::encode_quarantine(&key, &raw, reason, ms(SAVED_AT_MS));
        let entry = stored::decode_quarantine(&json).unwrap();
        assert_eq!(
            entry,
            QuarantineEntry {
                original_key: key.clone(),
                reason: reason.into(),
                moved_at: ms(SAVED_AT_MS),
                raw: raw.clone(),
            }
        );
        assert_eq!(entry.raw.as_bytes(), raw.as_bytes());
    }
}

#[test]
fn quarantine_envelope_has_the_documented_fields() {
    let json = stored::encode_quarantine(
        "article-annotator:index",
        "{\"format\":",
        "not valid JSON",
        ms(SAVED_AT_MS),
    );
    assert_eq!(
        value(&json),
        json!({
            "format": "article-annotator-quarantine",
            "version": 1,
            "original_key": "article-annotator:index",
            "reason": "not valid JSON",
            "moved_at": "2026-11-29T05:20:00.000Z",
            "raw": "{\"format\":",
        })
    );
    // A quarantined value is never mistaken for a live entry.
    for result in decode_all(&json) {
        assert_eq!(
            result,
            Err(StoredError::WrongFormat {
                found: QUARANTINE_FORMAT.into()
            })
        );
    }
}

#[test]
fn every_unreadable_entry_can_be_quarantined_with_its_reason() {
    let unreadable = [
        "{not json".to_owned(),
        json!({"format": STORE_FORMAT, "version": STORE_VERSION + 1, "new": true}).to_string(),
        json!({"format": STORE_FORMAT, "version": 0}).to_string(),
        edited(&rich_v1(), |v| {
            v["document"]["annotations"][0]["end"] = json!(100_000)
        }),
    ];
    for raw in unreadable {
        let error = stored::decode_document(&raw).unwrap_err();
        let key = stored::document_key(&DocumentId::new("d1"));
        let moved = stored::encode_quarantine(&key, &raw, &error.to_string(), ms(1));
        let entry = stored::decode_quarantine(&moved).unwrap();
        assert_eq!((entry.raw, entry.reason), (raw, error.to_string()));
    }
}

#[test]
fn unreadable_quarantine_envelopes_are_errors() {
    let valid = stored::encode_quarantine("k", "raw", "why", ms(0));
    assert!(stored::decode_quarantine(&valid).is_ok());
    let newer = edited(&valid, |v| v["version"] = json!(2));
    assert_eq!(
        stored::decode_quarantine(&newer),
        Err(StoredError::NewerVersion { found: 2 })
    );
    assert_eq!(
        stored::decode_quarantine(&plain_v1()),
        Err(StoredError::WrongFormat {
            found: STORE_FORMAT.into()
        })
    );
    for field in ["raw", "original_key", "reason", "moved_at", "version"] {
        let missing = edited(&valid, |v| {
            v.as_object_mut().unwrap().remove(field);
        });
        assert!(
            matches!(
                stored::decode_quarantine(&missing),
                Err(StoredError::Shape(_))
            ),
            "without {field}"
        );
    }
    let bad_time = edited(&valid, |v| v["moved_at"] = json!("soon"));
    assert!(matches!(
        stored::decode_quarantine(&bad_time),
        Err(StoredError::Shape(m)) if m.contains("moved_at")
    ));
    let raw_not_text = edited(&valid, |v| v["raw"] = json!({"a": 1}));
    assert!(matches!(
        stored::decode_quarantine(&raw_not_text),
        Err(StoredError::Shape(_))
    ));
}

// ---------------------------------------------------------------------------------------------
// Property tests.
// ---------------------------------------------------------------------------------------------

fn tricky_text() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        4 => "[a-zA-Z ]{1,6}",
        1 => Just("\r\n".to_owned()),
        1 => Just("\n".to_owned()),
        2 => prop::sample::select(vec!["😀", "👍🏽", "👩‍👩‍👧‍👦", "🏳️‍🌈", "e\u{301}", "北京市", "مرحبا", "שלום", "\"", "\\", "\u{0}", "\u{2028}"]).prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(fragment, 0..40).prop_map(|parts| parts.concat())
}

/// Any instant RFC 3339 can write with a four-digit year (0000 to 9999).
fn timestamp() -> impl Strategy<Value = Timestamp> {
    (-62_167_219_200_000i64..=253_402_300_799_999).prop_map(Timestamp::from_unix_millis)
}

/// A random document with annotations added and some removed.
fn random_document() -> impl Strategy<Value = Document> {
    let step = (
        any::<bool>(),
        any::<Index>(),
        1usize..12,
        prop::sample::select(Label::ALL.to_vec()),
    );
    (
        any::<String>(),
        any::<String>(),
        tricky_text(),
        timestamp(),
        timestamp(),
        prop::collection::vec(step, 0..16),
    )
        .prop_map(|(id, title, text, created, modified, steps)| {
            let mut d = Document::new(
                DocumentId::new(&id),
                title,
                ArticleText::normalize(&text),
                created,
            );
            let len = d.text().char_len();
            for (remove, pick, n, label) in steps {
                if remove && !d.annotations().is_empty() {
                    let id = d.annotations()[pick.index(d.annotations().len())]
                        .id
                        .clone();
                    d.remove(&id, modified);
                } else if len > 0 {
                    let start = pick.index(len);
                    let range = CharRange::from_raw(start, (start + n).min(len)).unwrap();
                    let _ = d.add(range, label, modified);
                }
            }
            d.modified = modified;
            d
        })
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        (0u32..5).prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        prop::sample::select(vec![
            STORE_FORMAT,
            "2026-11-29T04:14:43.123Z",
            "quote",
            "entity",
            "claim",
            "a1",
            "",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "format",
                    "version",
                    "document",
                    "annotations",
                    "start",
                    "end",
                    "text",
                    "id",
                    "label",
                    "x",
                ])
                .prop_map(str::to_owned),
                inner,
                0..4,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[derive(Clone, Debug)]
enum Edit {
    Replace(Value),
    Remove,
    Insert(String, Value),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => json_value().prop_map(Edit::Replace),
        1 => Just(Edit::Remove),
        1 => ("[a-z_]{1,12}", json_value()).prop_map(|(k, v)| Edit::Insert(k, v)),
    ]
}

/// Applies `edit` at a node reached by following `path` (each entry picks a child; the walk
/// stops early at a leaf). `Remove` takes the picked child out of its object or array.
fn apply(node: &mut Value, path: &[Index], edit: Edit) {
    if let Some((pick, rest)) = path.split_first() {
        match node {
            Value::Object(map) if !map.is_empty() => {
                let key = map.keys().nth(pick.index(map.len())).unwrap().clone();
                if rest.is_empty() && matches!(edit, Edit::Remove) {
                    map.remove(&key);
                    return;
                }
                return apply(map.get_mut(&key).unwrap(), rest, edit);
            }
            Value::Array(items) if !items.is_empty() => {
                let at = pick.index(items.len());
                if rest.is_empty() && matches!(edit, Edit::Remove) {
                    items.remove(at);
                    return;
                }
                return apply(&mut items[at], rest, edit);
            }
            _ => {}
        }
    }
    match (edit, node) {
        (Edit::Replace(v), node) => *node = v,
        (Edit::Remove, node) => *node = Value::Null,
        (Edit::Insert(k, v), Value::Object(map)) => {
            map.insert(k, v);
        }
        (Edit::Insert(_, v), node) => *node = v,
    }
}

fn check_decodes_or_errs(json: &str) {
    if let Ok(stored) = stored::decode_document(json) {
        stored.document.check_invariants().unwrap();
        // Whatever was read can be written back and read again unchanged.
        let again =
            stored::encode_document(&stored.document, stored.saved_at, &stored.writer, None);
        let reread = stored::decode_document(&again).unwrap();
        assert_eq!(reread.document, stored.document);
    }
    if let Ok(index) = stored::decode_index(json) {
        assert_eq!(
            stored::decode_index(&stored::encode_index(&index)),
            Ok(StoredIndex {
                migrated_from: None,
                ..index
            })
        );
    }
    let _ = stored::decode_quarantine(json);
}

proptest! {
    #[test]
    fn current_envelope_round_trips(d in random_document(), saved_at in timestamp(), writer in any::<String>()) {
        let json = stored::encode_document(&d, saved_at, &writer, None);
        prop_assert_eq!(
            stored::decode_document(&json),
            Ok(StoredDocument { document: d, saved_at, writer, parent: None, migrated_from: None })
        );
    }

    #[test]
    fn v1_entries_of_any_document_migrate(d in random_document()) {
        // A v1 entry, as the first release wrote it: the current one without saved_at and writer.
        let current = value(&stored::encode_document(&d, Timestamp::default(), "t", None));
        let v1 = json!({
            "format": STORE_FORMAT,
            "version": 1,
            "document": current["document"],
            "next_annotation": current["next_annotation"],
        });
        let stored = stored::decode_document(&v1.to_string()).unwrap();
        prop_assert_eq!(stored.migrated_from, Some(1));
        prop_assert_eq!(stored.saved_at, d.modified);
        prop_assert_eq!(&stored.writer, V1_WRITER);
        prop_assert_eq!(stored.document, d);
    }

    #[test]
    fn index_round_trips(documents in prop::collection::vec(any::<String>(), 0..5), active in any::<Option<String>>()) {
        let index = StoredIndex { documents, active, migrated_from: None };
        prop_assert_eq!(stored::decode_index(&stored::encode_index(&index)), Ok(index.clone()));
        // A stray migrated_from is never written.
        let marked = StoredIndex { migrated_from: Some(1), ..index.clone() };
        prop_assert_eq!(stored::encode_index(&marked), stored::encode_index(&index));
    }

    #[test]
    fn quarantine_round_trips(key in any::<String>(), raw in any::<String>(), reason in any::<String>(), now in timestamp()) {
        let entry = stored::decode_quarantine(&stored::encode_quarantine(&key, &raw, &reason, now));
        prop_assert_eq!(entry, Ok(QuarantineEntry { original_key: key.clone(), reason, moved_at: now, raw }));
        let quarantine_key = stored::quarantine_key(&key, now);
        prop_assert!(stored::is_quarantine_key(&quarantine_key));
        prop_assert_eq!(stored::is_document_key(&quarantine_key), None);
        prop_assert_eq!(stored::parse_quarantine_key(&quarantine_key), Some((now, key.as_str())));
    }

    #[test]
    fn document_keys_give_back_their_id(id in any::<String>()) {
        let key = stored::document_key(&DocumentId::new(&id));
        prop_assert_eq!(stored::is_document_key(&key), Some(id.as_str()));
        prop_assert!(!stored::is_quarantine_key(&key));
    }

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        check_decodes_or_errs(&s);
        let _ = stored::is_document_key(&s);
        let _ = stored::parse_quarantine_key(&s);
    }

    #[test]
    fn arbitrary_json_never_panics(v in json_value()) {
        check_decodes_or_errs(&v.to_string());
        let _ = migrate::migrate_document(v.clone());
        let _ = migrate::migrate_index(v);
    }

    #[test]
    fn random_edits_of_valid_entries_never_panic(
        d in random_document(),
        which in 0usize..5,
        edits in prop::collection::vec((prop::collection::vec(any::<Index>(), 0..6), edit()), 1..4),
    ) {
        let base = match which {
            0 => rich_v1(),
            1 => plain_v1(),
            2 => v1("index.json"),
            3 => stored::encode_document(&d, d.modified, "tab", None),
            _ => stored::encode_quarantine("article-annotator:index", &rich_v1(), "why", d.created),
        };
        let mut v = value(&base);
        for (path, edit) in edits {
            apply(&mut v, &path, edit);
        }
        let json = v.to_string();
        check_decodes_or_errs(&json);
        // Whatever the edit, a version above ours is never read as anything else.
        if v.get("format") == Some(&json!(STORE_FORMAT)) {
            if let Some(found) = v.get("version").and_then(Value::as_u64).filter(|&n| n > u64::from(STORE_VERSION)) {
                if let Ok(found) = u32::try_from(found) {
                    prop_assert_eq!(stored::decode_document(&json).map(drop), Err(StoredError::NewerVersion { found }));
                    prop_assert_eq!(stored::decode_index(&json).map(drop), Err(StoredError::NewerVersion { found }));
                }
            }
        }
    }
}

#[test]
fn a_save_records_the_version_it_was_made_from() {
    let first = stored::decode_document(&stored::encode_document(
        &plain_document(),
        ms(SAVED_AT_MS),
        "tab-a",
        None,
    ))
    .unwrap();
    let parent = first.version();
    assert_eq!(parent, format!("tab-a@{SAVED_AT_MS}"));
    let second = stored::decode_document(&stored::encode_document(
        &plain_document(),
        ms(SAVED_AT_MS + 1),
        "tab-b",
        Some(&parent),
    ))
    .unwrap();
    assert_eq!(second.parent.as_deref(), Some(parent.as_str()));
    assert_eq!(second.version(), format!("tab-b@{}", SAVED_AT_MS + 1));
}
