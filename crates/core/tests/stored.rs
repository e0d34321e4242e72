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
//! localStorage key: `index.json` for `article-annotator:index`, `doc-<id>.json` for
//! `article-annotator:doc:<id>` and (since schema 3) `text-<id>.json` for
//! `article-annotator:text:<id>` (a `:` would not survive a checkout on Windows). The v1 files
//! were written by the encoder of the first release; never edit a fixture of a released schema.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use annotator_core::formats::native;
use annotator_core::model::{
    AnnotationId, ArticleText, ByteOffset, CharRange, Document, DocumentId, Label, Timestamp,
};
use annotator_core::persist::migrate::V1_WRITER;
use annotator_core::persist::stored::{
    self, EncodedEntries, QuarantineEntry, StoredDocument, StoredError, StoredIndex,
    TextFingerprint, KEY_PREFIX, QUARANTINE_FORMAT, QUARANTINE_VERSION, STORE_FORMAT,
    STORE_VERSION,
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
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/storage")
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
    if let Some(id) = stem.strip_prefix("text-") {
        return stored::text_key(&DocumentId::new(id));
    }
    let id = stem
        .strip_prefix("doc-")
        .unwrap_or_else(|| panic!("{name}: expected index.json, doc-<id>.json or text-<id>.json"));
    stored::document_key(&DocumentId::new(id))
}

/// Decodes the document entry under `key` of a storage snapshot, with its text entry if any.
fn decode_in(
    snapshot: &BTreeMap<String, String>,
    key: &str,
) -> Result<StoredDocument, StoredError> {
    let id = stored::is_document_key(key).unwrap();
    let text = snapshot.get(&stored::text_key(&DocumentId::new(id)));
    stored::decode_document(&snapshot[key], text.map(String::as_str))
}

/// Encodes both entries of a document and decodes them back, as a save and a load would.
fn round_trip(
    d: &Document,
    saved_at: Timestamp,
    writer: &str,
    parent: Option<&str>,
) -> Result<StoredDocument, StoredError> {
    let entries = stored::encode_entries(d, saved_at, writer, parent);
    stored::decode_document(&entries.document, Some(&entries.text))
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
        text,
        ..
    } = stored::decode_document(&rich_v1(), None).unwrap();
    assert_eq!(migrated_from, Some(1));
    assert_eq!(
        text,
        TextFingerprint::of(ArticleText::normalize(RICH_RAW).as_str())
    );
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
    let stored = stored::decode_document(&plain_v1(), None).unwrap();
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
        let stored = stored::decode_document(&json, None).unwrap();
        assert_eq!(stored.migrated_from, Some(1));
        assert_eq!(
            json!(stored.saved_at.to_rfc3339()),
            original["document"]["modified"]
        );
        assert_eq!(stored.writer, V1_WRITER);
        assert_eq!((stored.parent, stored.supersedes), (None, Vec::new()));
    }
    let index_json = v1("index.json");
    let index = stored::decode_index(&index_json).unwrap();
    assert_eq!(index.migrated_from, Some(1));
    let original = value(&index_json);
    assert_eq!(json!(index.documents), original["documents"]);
    assert_eq!(json!(index.active), original["active"]);
}

/// The whole chain from schema 1: saved_at and writer added, then the text taken out for its
/// own key, named by its fingerprint; every annotation keeps the text it repeated (checked on
/// read), and written again the entry holds what the v1 one did.
#[test]
fn v1_entries_migrate_step_by_step_to_the_current_schema() {
    for json in [rich_v1(), plain_v1()] {
        let original = value(&json);
        let stored = stored::decode_document(&json, None).unwrap();
        let text = stored.document.text().as_str();
        assert_eq!(json!(text), original["document"]["text"]);
        assert_eq!(stored.text, TextFingerprint::of(text));
        let rewritten = value(&stored::encode_document(
            &stored.document,
            stored.text,
            stored.saved_at,
            &stored.writer,
            None,
            &[],
        ));
        assert_eq!(rewritten["version"], STORE_VERSION);
        assert_eq!(rewritten["writer"], V1_WRITER);
        let document = &rewritten["document"];
        assert_eq!(document["text_chars"], json!(stored.text.chars));
        assert_eq!(document["text_fnv1a64"], json!(stored.text.hex()));
        assert_eq!(document.get("text"), None);
        for same in ["id", "title", "created", "modified"] {
            assert_eq!(document[same], original["document"][same], "{same}");
        }
        let spans = |annotations: &Value| -> Vec<Value> {
            annotations
                .as_array()
                .unwrap()
                .iter()
                .map(|a| json!([a["id"], a["label"], a["start"], a["end"]]))
                .collect()
        };
        assert_eq!(
            spans(&document["annotations"]),
            spans(&original["document"]["annotations"])
        );
        assert_eq!(rewritten["next_annotation"], original["next_annotation"]);
    }
}

#[test]
fn v1_saved_at_keeps_a_hand_edited_offset_timestamp() {
    let json = edited(&plain_v1(), |v| {
        v["document"]["modified"] = json!("2026-11-29T06:14:51.913+01:00");
    });
    let stored = stored::decode_document(&json, None).unwrap();
    assert_eq!(stored.saved_at, ms(PLAIN_MODIFIED_MS));
    assert_eq!(stored.document.modified, ms(PLAIN_MODIFIED_MS));
}

// ---------------------------------------------------------------------------------------------
// Schema 2 fixtures: the text inside the document entry; migrated, each gets its text entry.
// ---------------------------------------------------------------------------------------------

/// 2026-11-29T05:20:00.000Z, and a tab id: what the v2 fixtures (and the current ones) were
/// saved with.
const SAVED_AT_MS: i64 = 1_795_929_600_000;
const WRITER: &str = "tab-mx1e2k4-7f3q";

fn v2(name: &str) -> String {
    std::fs::read_to_string(fixture_dir(2).join(name)).unwrap()
}

#[test]
fn v2_documents_migrate_keeping_who_saved_them_and_when() {
    for expected in [rich_document(), plain_document()] {
        let json = v2(&format!("doc-{}.json", expected.id));
        assert!(
            value(&json)["document"]["text"].is_string(),
            "a v2 entry holds its text"
        );
        let stored = stored::decode_document(&json, None).unwrap();
        assert_eq!(
            stored,
            StoredDocument {
                text: TextFingerprint::of(expected.text().as_str()),
                document: expected,
                saved_at: ms(SAVED_AT_MS),
                writer: WRITER.into(),
                parent: None,
                supersedes: Vec::new(),
                migrated_from: Some(2),
            }
        );
    }
}

/// What the loader writes for a v2 entry (its text entry, then the document entry) is exactly
/// what the current schema's fixtures hold: the same document, saved by the same tab, at the
/// same time, with the same parent.
#[test]
fn v2_entries_rewritten_in_the_current_schema_are_the_current_fixtures() {
    let current = storage_snapshot(&fixture_dir(STORE_VERSION));
    for id in [RICH_ID, PLAIN_ID] {
        let old = stored::decode_document(&v2(&format!("doc-{id}.json")), None).unwrap();
        let document = stored::encode_document(
            &old.document,
            old.text,
            old.saved_at,
            &old.writer,
            old.parent.as_deref(),
            &old.supersedes,
        );
        let text = stored::encode_text(old.document.text().as_str(), ms(SAVED_AT_MS));
        let id = DocumentId::new(id);
        assert_eq!(document, current[&stored::document_key(&id)]);
        assert_eq!(text, current[&stored::text_key(&id)]);
    }
    let index = stored::decode_index(&v2("index.json")).unwrap();
    assert_eq!(index.migrated_from, Some(2));
    assert_eq!(stored::encode_index(&index), current[&stored::index_key()]);
}

#[test]
fn v2_to_v3_takes_the_text_out_and_names_it_by_its_fingerprint() {
    let original = v2(&format!("doc-{RICH_ID}.json"));
    let stored = stored::decode_document(&original, None).unwrap();
    assert_eq!(stored.migrated_from, Some(2));
    assert_eq!(
        stored.document.text().as_str(),
        rich_document().text().as_str()
    );
    assert_eq!(
        stored.text,
        TextFingerprint::of(rich_document().text().as_str())
    );
    assert_eq!(stored.text.chars, 186);
    // A v2 entry without its text says so; other broken shapes are shape errors too.
    let without_text = edited(&original, |v| {
        v["document"].as_object_mut().unwrap().remove("text");
    });
    assert_eq!(
        stored::decode_document(&without_text, None).map(drop),
        Err(StoredError::Shape(
            "v2 document entry has no document.text string".into()
        ))
    );
    for broken in [
        json!({"format": STORE_FORMAT, "version": 2, "document": {"id": "x"}}),
        json!({"format": STORE_FORMAT, "version": 2, "document": {"text": 5}}),
        json!({"format": STORE_FORMAT, "version": 2, "document": "text"}),
        json!({"format": STORE_FORMAT, "version": 2}),
        value(&edited(&original, |v| v["document"]["text"] = json!(5))),
    ] {
        let error = stored::decode_document(&broken.to_string(), None).unwrap_err();
        assert!(
            matches!(&error, StoredError::Shape(_)),
            "{broken}: {error:?}"
        );
    }
}

#[test]
fn v2_quoted_texts_are_still_checked() {
    let broken = edited(&v2(&format!("doc-{RICH_ID}.json")), |v| {
        v["document"]["annotations"][2]["text"] = json!("Beijing");
    });
    let error = stored::decode_document(&broken, None).unwrap_err();
    assert!(
        matches!(&error, StoredError::Record(e) if e.to_string().contains("\"Beijing\"")),
        "{error:?}"
    );
    let crlf = edited(&v2(&format!("doc-{PLAIN_ID}.json")), |v| {
        v["document"]["text"] = json!("Nothing\r\n");
    });
    assert!(matches!(
        stored::decode_document(&crlf, None),
        Err(StoredError::Record(_))
    ));
}

// ---------------------------------------------------------------------------------------------
// Text entries: a document entry is readable only with the text it was saved with.
// ---------------------------------------------------------------------------------------------

#[test]
fn text_fingerprints_are_fnv1a_64_over_utf8_and_count_code_points() {
    // Reference values of FNV-1a 64 (Fowler, Noll, Vo: isthe.com/chongo/tech/comp/fnv).
    for (text, hash) in [
        ("", 0xcbf2_9ce4_8422_2325),
        ("a", 0xaf63_dc4c_8601_ec8c),
        ("foobar", 0x8594_4171_f739_67e8),
    ] {
        assert_eq!(
            TextFingerprint::of(text),
            TextFingerprint {
                chars: text.len(),
                fnv1a64: hash
            }
        );
    }
    let emoji = TextFingerprint::of("👩‍👩‍👧‍👦");
    assert_eq!(
        emoji.chars, 7,
        "code points, not bytes (25) or UTF-16 units (11)"
    );
    assert_eq!(TextFingerprint::of("").hex(), "cbf29ce484222325");
    assert_eq!(
        TextFingerprint::of("foobar").to_string(),
        "6 code points, FNV-1a 85944171f73967e8"
    );
    assert_ne!(TextFingerprint::of("ab"), TextFingerprint::of("ba"));
}

#[test]
fn a_missing_or_different_text_entry_is_a_clear_error() {
    let d = rich_document();
    let entries = stored::encode_entries(&d, ms(SAVED_AT_MS), WRITER, None);
    let key = "article-annotator:text:dmx1bs5v79hafjsj9";
    let missing = stored::decode_document(&entries.document, None).unwrap_err();
    assert_eq!(missing, StoredError::MissingText { key: key.into() });
    assert_eq!(
        missing.to_string(),
        "its text entry article-annotator:text:dmx1bs5v79hafjsj9 is missing"
    );
    // Another document's text.
    let plain = stored::encode_entries(&plain_document(), ms(SAVED_AT_MS), WRITER, None);
    let other = stored::decode_document(&entries.document, Some(&plain.text)).unwrap_err();
    assert_eq!(
        other,
        StoredError::TextMismatch {
            key: key.into(),
            expected: entries.fingerprint,
            found: plain.fingerprint,
        }
    );
    assert_eq!(
        other.to_string(),
        format!(
            "its text entry {key} holds another text (40 code points, FNV-1a {}) than the one it \
             was saved with (186 code points, FNV-1a {})",
            plain.fingerprint.hex(),
            entries.fingerprint.hex()
        )
    );
    // The same length, one character changed, fingerprint and all: the hash tells them apart.
    let swapped = d.text().as_str().replacen("Café", "Cafe", 1);
    let swapped = stored::encode_text(&swapped, ms(SAVED_AT_MS));
    assert!(matches!(
        stored::decode_document(&entries.document, Some(&swapped)),
        Err(StoredError::TextMismatch { found, .. }) if found.chars == 186
    ));
    // A document entry pointing at the wrong fingerprint.
    let wrong = edited(&entries.document, |v| {
        v["document"]["text_chars"] = json!(185)
    });
    assert!(matches!(
        stored::decode_document(&wrong, Some(&entries.text)),
        Err(StoredError::TextMismatch { expected, .. }) if expected.chars == 185
    ));
}

#[test]
fn an_unreadable_text_entry_is_a_clear_error() {
    let entries = stored::encode_entries(&rich_document(), ms(SAVED_AT_MS), WRITER, None);
    let key = "article-annotator:text:dmx1bs5v79hafjsj9";
    let reason = |text: &str| match stored::decode_document(&entries.document, Some(text)) {
        Err(StoredError::UnreadableText { key: found, reason }) => {
            assert_eq!(found, key);
            reason
        }
        other => panic!("{other:?}"),
    };
    assert!(reason(&prefix(&entries.text, 300)).starts_with("not valid JSON"));
    assert!(reason("").starts_with("not valid JSON"));
    // Edited inside, with the fingerprint of the text it had: the text is checked, not trusted.
    let edited_text = edited(&entries.text, |v| {
        v["text"] = json!(v["text"].as_str().unwrap().replacen("Café", "Cafe", 1));
    });
    let why = reason(&edited_text);
    assert!(
        why.starts_with("the text (186 code points, FNV-1a ")
            && why.contains("is not the one the entry describes"),
        "{why}"
    );
    assert!(matches!(
        stored::decode_text(&edited_text),
        Err(StoredError::CorruptText { claimed, found }) if claimed == entries.fingerprint && found.chars == 186
    ));
    // A text entry a newer app wrote is not damaged: the document is newer, and left alone.
    let newer = edited(&entries.text, |v| v["version"] = json!(STORE_VERSION + 1));
    assert_eq!(
        stored::decode_document(&entries.document, Some(&newer)),
        Err(StoredError::NewerVersion {
            found: STORE_VERSION + 1
        })
    );
    let older = edited(&entries.text, |v| v["version"] = json!(2));
    assert_eq!(
        reason(&older),
        "unexpected shape: schema 2 had no text entries"
    );
    for field in ["chars", "fnv1a64", "saved_at", "text"] {
        let missing = edited(&entries.text, |v| {
            v.as_object_mut().unwrap().remove(field);
        });
        assert!(
            reason(&missing).starts_with("unexpected shape"),
            "without {field}"
        );
    }
    let crlf = edited(&entries.text, |v| v["text"] = json!("a\r\nb"));
    assert!(stored::decode_text(&crlf).is_err());
    let bad_time = edited(&entries.text, |v| v["saved_at"] = json!("soon"));
    assert!(reason(&bad_time).contains("saved_at"));
}

#[test]
fn the_text_entry_prefix_tells_texts_apart_without_reading_them() {
    let rich = rich_document();
    let a = stored::encode_text(rich.text().as_str(), ms(SAVED_AT_MS));
    let b = stored::encode_text(rich.text().as_str(), ms(SAVED_AT_MS + 99));
    let fingerprint = TextFingerprint::of(rich.text().as_str());
    let prefix = stored::text_entry_prefix(fingerprint);
    assert!(
        a.starts_with(&prefix) && b.starts_with(&prefix),
        "whenever it was written"
    );
    assert!(prefix.len() < 120, "{prefix}");
    let plain = stored::encode_text(plain_document().text().as_str(), ms(SAVED_AT_MS));
    assert!(!plain.starts_with(&prefix));
    assert!(!stored::encode_index(&expected_library().0).starts_with(&prefix));
}

#[test]
fn an_entry_migrated_from_v1_or_v2_ignores_any_text_entry() {
    // A text entry left by an interrupted migration, or by nobody: the v1/v2 entry has its own.
    let junk = stored::encode_text("junk", ms(0));
    for (json, expected) in [
        (rich_v1(), rich_document()),
        (v2(&format!("doc-{PLAIN_ID}.json")), plain_document()),
    ] {
        for text in [None, Some(junk.as_str()), Some("{not json")] {
            let stored = stored::decode_document(&json, text).unwrap();
            assert_eq!(stored.document, expected);
            let entry = stored::read_document(&json).unwrap();
            assert_eq!(entry.needs_text(), None);
            assert_eq!(entry.id(), expected.id.as_str());
        }
    }
    let current = stored::encode_entries(&plain_document(), ms(0), "t", None);
    let entry = stored::read_document(&current.document).unwrap();
    assert_eq!(entry.needs_text(), Some(current.fingerprint));
}

#[test]
fn migrated_documents_re_encode_as_the_current_schema() {
    for json in [rich_v1(), plain_v1()] {
        let old = stored::decode_document(&json, None).unwrap();
        let upgraded = stored::encode_entries(&old.document, old.saved_at, &old.writer, None);
        assert_eq!(upgraded.fingerprint, old.text);
        assert_eq!(value(&upgraded.document)["version"], STORE_VERSION);
        assert_eq!(value(&upgraded.text)["version"], stored::TEXT_VERSION);
        let new = stored::decode_document(&upgraded.document, Some(&upgraded.text)).unwrap();
        assert_eq!(new.migrated_from, None);
        assert_eq!(
            (&new.document, new.saved_at, &new.writer, new.text),
            (&old.document, old.saved_at, &old.writer, old.text)
        );
        // Encoding is a fixed point once current.
        assert_eq!(
            stored::encode_entries(&new.document, new.saved_at, &new.writer, None),
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
            let written = match stored::is_text_key(key) {
                Some(_) => version.min(stored::TEXT_VERSION),
                None => version,
            };
            assert_eq!(value(json)["version"], written, "v{version} {key}");
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
            if stored::is_text_key(key).is_some() {
                assert!(
                    version >= 3,
                    "v{version} {key}: text entries came with schema 3"
                );
                let text = stored::decode_text(json).unwrap();
                let id = stored::is_text_key(key).unwrap();
                let document = expected_documents.iter().find(|d| d.id.as_str() == id);
                assert_eq!(
                    Some(text.text.as_str()),
                    document.map(|d| d.text().as_str()),
                    "v{version} {key}"
                );
                continue;
            }
            let id = stored::is_document_key(key).unwrap();
            let stored =
                decode_in(&snapshot, key).unwrap_or_else(|e| panic!("v{version} {key}: {e}"));
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

/// Set `UPDATE_STORAGE_FIXTURES=1` to write `v{STORE_VERSION}/` after a schema change. Older
/// directories are never written: they are the record of what older versions stored.
#[test]
fn current_schema_fixture_matches_the_encoder_byte_for_byte() {
    let (index, documents) = expected_library();
    let mut written = BTreeMap::new();
    written.insert("index.json".to_owned(), stored::encode_index(&index));
    for d in &documents {
        let entries = stored::encode_entries(d, ms(SAVED_AT_MS), WRITER, None);
        written.insert(format!("doc-{}.json", d.id), entries.document);
        written.insert(format!("text-{}.json", d.id), entries.text);
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
    let d = rich_document();
    let entries = stored::encode_entries(&d, ms(SAVED_AT_MS), WRITER, None);
    let fingerprint = TextFingerprint::of(d.text().as_str());
    assert_eq!(entries.fingerprint, fingerprint);
    assert_eq!(fingerprint.chars, 186);
    assert!(
        entries.document.starts_with(&format!(
            "{{\"format\":\"article-annotator-store\",\"version\":5,\
             \"saved_at\":\"2026-11-29T05:20:00.000Z\",\"writer\":\"tab-mx1e2k4-7f3q\",\
             \"parent\":null,\"next_annotation\":16,\"document\":{{\"id\":\"dmx1bs5v79hafjsj9\",\
             \"title\":{},\"text_chars\":186,\"text_fnv1a64\":\"{}\",\
             \"created\":\"2026-11-29T04:14:43.123Z\",\"modified\":\"2026-11-29T04:15:05.579Z\",\
             \"annotations\":[{{\"id\":\"a1\",\"label\":\"claim\",\"start\":0,\"end\":39}},\
             {{\"id\":\"a2\",\"label\":\"quote\",\"start\":17,\"end\":39}},",
            json!(RICH_TITLE),
            fingerprint.hex()
        )),
        "{}",
        entries.document
    );
    assert!(entries.document.ends_with(
        "{\"id\":\"a14\",\"label\":\"quote\",\"start\":165,\"end\":174}],\"relations\":[]}}"
    ));
    // The text is in the text entry only: no annotated text is repeated either.
    let without_title = entries
        .document
        .replacen(&json!(RICH_TITLE).to_string(), "\"\"", 1);
    for (_, _, _, _, quoted) in RICH_ANNOTATIONS {
        assert!(!without_title.contains(quoted), "{quoted}");
    }
    assert!(!without_title.contains("Zalgo"));
    assert_eq!(
        entries.text,
        format!(
            "{{\"format\":\"article-annotator-store\",\"version\":3,\"chars\":186,\
             \"fnv1a64\":\"{}\",\"saved_at\":\"2026-11-29T05:20:00.000Z\",\"text\":{}}}",
            fingerprint.hex(),
            json!(d.text().as_str())
        )
    );
    assert!(entries
        .text
        .starts_with(&stored::text_entry_prefix(fingerprint)));
    let stored = stored::decode_document(&entries.document, Some(&entries.text)).unwrap();
    assert_eq!(
        stored,
        StoredDocument {
            document: d,
            saved_at: ms(SAVED_AT_MS),
            writer: WRITER.into(),
            parent: None,
            supersedes: Vec::new(),
            migrated_from: None,
            text: fingerprint,
        }
    );
    let index = stored::encode_index(&expected_library().0);
    assert_eq!(
        index,
        "{\"format\":\"article-annotator-store\",\"version\":5,\
         \"documents\":[\"dmx1bs5v79hafjsj9\",\"dmx1dxc948ux1m11\"],\"active\":\"dmx1dxc948ux1m11\"}"
    );
}

/// The lineage an entry carries reads back as written, its version still sits in the entry's
/// first characters, and an entry written without one (before it was recorded) reads as none.
#[test]
fn an_entry_carries_the_versions_it_supersedes() {
    let d = plain_document();
    let fingerprint = TextFingerprint::of(d.text().as_str());
    let lineage = vec![
        "tab-a@1900000000059".to_owned(),
        "tab-b@1900000000080".to_owned(),
    ];
    let json = stored::encode_document(
        &d,
        fingerprint,
        ms(SAVED_AT_MS),
        WRITER,
        Some("tab-b@1900000000080"),
        &lineage,
    );
    let text = stored::encode_text(d.text().as_str(), ms(SAVED_AT_MS));
    let read = stored::decode_document(&json, Some(&text)).unwrap();
    assert_eq!(read.supersedes, lineage);
    let head: String = json
        .chars()
        .take(stored::VERSION_HEAD_UNITS as usize)
        .collect();
    assert_eq!(stored::version_in_head(&head), Some(read.version()));
    let without = stored::encode_document(&d, fingerprint, ms(SAVED_AT_MS), WRITER, None, &[]);
    assert!(!without.contains("supersedes"), "{without}");
    let read = stored::decode_document(&without, Some(&text)).unwrap();
    assert!(read.supersedes.is_empty());
}

#[test]
fn a_current_envelope_needs_saved_at_writer_and_its_text_fingerprint() {
    let entries = stored::encode_entries(&plain_document(), ms(SAVED_AT_MS), WRITER, None);
    let decode = |json: &str| stored::decode_document(json, Some(&entries.text));
    assert!(decode(&entries.document).is_ok());
    for field in ["saved_at", "writer", "next_annotation", "document"] {
        let missing = edited(&entries.document, |v| {
            v.as_object_mut().unwrap().remove(field);
        });
        // The message names the field, and no line or column: those would point into the
        // migration's re-printed JSON, not into anything the user has.
        let error = decode(&missing).unwrap_err();
        assert!(
            matches!(&error, StoredError::Shape(m)
                if m.contains(&format!("`{field}`")) && !m.contains(" at line ")),
            "without {field}: {error:?}"
        );
    }
    for field in [
        "id",
        "title",
        "text_chars",
        "text_fnv1a64",
        "created",
        "annotations",
    ] {
        let missing = edited(&entries.document, |v| {
            v["document"].as_object_mut().unwrap().remove(field);
        });
        assert!(
            matches!(decode(&missing), Err(StoredError::Shape(_))),
            "without document.{field}"
        );
    }
    for bad in ["", "yesterday", "2026-02-30T00:00:00Z"] {
        let json = edited(&entries.document, |v| v["saved_at"] = json!(bad));
        let error = decode(&json).unwrap_err();
        assert!(
            matches!(&error, StoredError::Shape(m) if m.contains("saved_at")),
            "{error:?}"
        );
    }
    for bad in [
        json!("CBF29CE484222325"),
        json!("cbf29ce48422232"),
        json!("x"),
        json!(7),
    ] {
        let json = edited(&entries.document, |v| {
            v["document"]["text_fnv1a64"] = bad.clone()
        });
        let error = decode(&json).unwrap_err();
        assert!(matches!(&error, StoredError::Shape(_)), "{bad}: {error:?}");
    }
}

#[test]
fn a_current_entry_is_read_as_not_migrated() {
    let entries = stored::encode_entries(&rich_document(), ms(SAVED_AT_MS), WRITER, None);
    let stored = stored::decode_document(&entries.document, Some(&entries.text)).unwrap();
    assert_eq!(stored.migrated_from, None);
    let index = stored::decode_index(&stored::encode_index(&expected_library().0)).unwrap();
    assert_eq!(index.migrated_from, None);
}

// ---------------------------------------------------------------------------------------------
// What is not ours, not readable, or not yet known.
// ---------------------------------------------------------------------------------------------

fn decode_all(json: &str) -> [Result<(), StoredError>; 3] {
    [
        stored::decode_document(json, None).map(drop),
        stored::decode_index(json).map(drop),
        stored::decode_text(json).map(drop),
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
        value(&edited(
            &stored::encode_text("text", ms(SAVED_AT_MS)),
            |v| v["version"] = json!(next),
        )),
    ];
    for v in newer {
        let found = u32::try_from(v["version"].as_u64().unwrap()).unwrap();
        let json = v.to_string();
        for result in decode_all(&json) {
            assert_eq!(result, Err(StoredError::NewerVersion { found }), "{json}");
        }
        assert_eq!(stored::newer_schema(&json), Some(found));
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
                stored::encode_entries(&plain_document(), ms(SAVED_AT_MS), WRITER, None).document,
            )
        };
        assert!(
            matches!(
                stored::decode_document(&index, None),
                Err(StoredError::Shape(_))
            ),
            "v{version}"
        );
        assert!(
            matches!(stored::decode_index(&document), Err(StoredError::Shape(_))),
            "v{version}"
        );
        assert!(
            matches!(stored::decode_text(&document), Err(StoredError::Shape(_))),
            "v{version}"
        );
    }
    // Nor is a text entry either of them, nor a document entry's text.
    let entries = stored::encode_entries(&plain_document(), ms(SAVED_AT_MS), WRITER, None);
    for result in [
        stored::decode_document(&entries.text, None).map(drop),
        stored::decode_index(&entries.text).map(drop),
    ] {
        assert!(matches!(result, Err(StoredError::Shape(_))), "{result:?}");
    }
    let error = stored::decode_document(&entries.document, Some(&entries.document)).unwrap_err();
    assert!(
        matches!(&error, StoredError::UnreadableText { reason, .. } if reason.starts_with("unexpected shape")),
        "{error:?}"
    );
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
        let result = stored::decode_document(&broken, None);
        assert!(matches!(result, Err(StoredError::Shape(_))), "{result:?}");
    }
}

#[test]
fn broken_records_in_migrated_entries_are_record_errors() {
    let broken = edited(&rich_v1(), |v| {
        v["document"]["annotations"][2]["text"] = json!("Beijing");
    });
    assert!(matches!(
        stored::decode_document(&broken, None),
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
        let error = stored::decode_document(&raw, None).unwrap_err();
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

/// Decodes `json` as every kind of entry (a document entry with `text` as its text entry):
/// whatever reads must be a valid document that writes back and reads again unchanged.
fn check_decodes_or_errs(json: &str, text: Option<&str>) {
    if let Ok(stored) = stored::decode_document(json, text) {
        stored.document.check_invariants().unwrap();
        assert_eq!(
            stored.text,
            TextFingerprint::of(stored.document.text().as_str())
        );
        let reread = round_trip(&stored.document, stored.saved_at, &stored.writer, None).unwrap();
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
    if let Ok(text) = stored::decode_text(json) {
        assert_eq!(text.fingerprint, TextFingerprint::of(text.text.as_str()));
        let again = stored::decode_text(&stored::encode_text(text.text.as_str(), text.saved_at));
        assert_eq!(again, Ok(text));
    }
    let _ = stored::decode_quarantine(json);
}

/// Any parent a tab might record.
fn parent() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        any::<String>().prop_map(Some),
        "tab-[a-z0-9]{4}@[0-9]{13}".prop_map(Some)
    ]
}

proptest! {
    /// The round trip the app lives on: a save writes both entries, a load reads them back.
    #[test]
    fn current_entries_round_trip(d in random_document(), saved_at in timestamp(), writer in any::<String>(), parent in parent()) {
        let entries = stored::encode_entries(&d, saved_at, &writer, parent.as_deref());
        let text = TextFingerprint::of(d.text().as_str());
        prop_assert_eq!(entries.fingerprint, text);
        let decoded = stored::decode_document(&entries.document, Some(&entries.text));
        prop_assert_eq!(
            &decoded,
            &Ok(StoredDocument { document: d.clone(), saved_at, writer: writer.clone(), parent: parent.clone(), supersedes: Vec::new(), migrated_from: None, text })
        );
        prop_assert_eq!(decoded.unwrap().document.next_number(), d.next_number());
        // A save of the same document with the text already stored writes the same entry.
        prop_assert_eq!(
            &stored::encode_document(&d, text, saved_at, &writer, parent.as_deref(), &[]),
            &entries.document
        );
        // A tab that has the text already joins the entry with it, and keeps its own copy.
        let reused = stored::read_document(&entries.document).unwrap().with_text(d.text(), text).unwrap();
        prop_assert!(reused.document.text().ptr_eq(d.text()));
        prop_assert_eq!(reused.document, d);
    }

    #[test]
    fn a_document_entry_reads_only_with_the_text_it_was_saved_with(d in random_document(), other in tricky_text()) {
        let entries = stored::encode_entries(&d, d.modified, "tab", None);
        let key = stored::text_key(&d.id);
        prop_assert_eq!(
            stored::decode_document(&entries.document, None),
            Err(StoredError::MissingText { key: key.clone() })
        );
        let other = ArticleText::normalize(&other);
        let found = TextFingerprint::of(other.as_str());
        let result = stored::decode_document(&entries.document, Some(&stored::encode_text(other.as_str(), d.modified)));
        if other.as_str() == d.text().as_str() {
            prop_assert!(result.is_ok());
        } else {
            prop_assert_eq!(
                result,
                Err(StoredError::TextMismatch { key: key.clone(), expected: entries.fingerprint, found })
            );
            let entry = stored::read_document(&entries.document).unwrap();
            prop_assert_eq!(
                entry.with_text(&other, found).map(drop),
                Err(StoredError::TextMismatch { key, expected: entries.fingerprint, found })
            );
        }
    }

    #[test]
    fn v1_entries_of_any_document_migrate(d in random_document()) {
        // A v1 entry, as the first release wrote it: the document as a native record, then the
        // id counter.
        let v1 = json!({
            "format": STORE_FORMAT,
            "version": 1,
            "document": native::document_record(&d),
            "next_annotation": d.next_number(),
        });
        let stored = stored::decode_document(&v1.to_string(), None).unwrap();
        prop_assert_eq!(stored.migrated_from, Some(1));
        prop_assert_eq!(stored.saved_at, d.modified);
        prop_assert_eq!(&stored.writer, V1_WRITER);
        prop_assert_eq!(stored.text, TextFingerprint::of(d.text().as_str()));
        prop_assert_eq!(stored.document, d);
    }

    #[test]
    fn v2_entries_of_any_document_migrate(d in random_document(), saved_at in timestamp(), writer in any::<String>(), parent in parent()) {
        let v2 = json!({
            "format": STORE_FORMAT,
            "version": 2,
            "saved_at": saved_at.to_rfc3339(),
            "writer": writer,
            "parent": parent,
            "next_annotation": d.next_number(),
            "document": native::document_record(&d),
        });
        // A text entry under its key changes nothing for an entry that carries its text.
        let unrelated = stored::encode_text("unrelated", saved_at);
        for text_entry in [None, Some(unrelated.as_str())] {
            let stored = stored::decode_document(&v2.to_string(), text_entry).unwrap();
            prop_assert_eq!(
                &stored,
                &StoredDocument { document: d.clone(), saved_at, writer: writer.clone(), parent: parent.clone(), supersedes: Vec::new(), migrated_from: Some(2), text: TextFingerprint::of(d.text().as_str()) }
            );
        }
    }

    #[test]
    fn text_entries_round_trip(text in tricky_text(), saved_at in timestamp()) {
        let text = ArticleText::normalize(&text);
        let json = stored::encode_text(text.as_str(), saved_at);
        let fingerprint = TextFingerprint::of(text.as_str());
        prop_assert!(json.starts_with(&stored::text_entry_prefix(fingerprint)));
        prop_assert_eq!(stored::decode_text(&json), Ok(stored::StoredText { text, fingerprint, saved_at }));
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
        prop_assert_eq!(stored::is_text_key(&quarantine_key), None);
        prop_assert_eq!(stored::parse_quarantine_key(&quarantine_key), Some((now, key.as_str())));
    }

    #[test]
    fn document_and_text_keys_give_back_their_id(id in any::<String>()) {
        let id = DocumentId::new(&id);
        let key = stored::document_key(&id);
        prop_assert_eq!(stored::is_document_key(&key), Some(id.as_str()));
        prop_assert_eq!(stored::is_text_key(&key), None);
        prop_assert!(!stored::is_quarantine_key(&key));
        let key = stored::text_key(&id);
        prop_assert_eq!(stored::is_text_key(&key), Some(id.as_str()));
        prop_assert_eq!(stored::is_document_key(&key), None);
        prop_assert!(!stored::is_quarantine_key(&key));
    }

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        check_decodes_or_errs(&s, None);
        check_decodes_or_errs(&s, Some(&s));
        let _ = stored::is_document_key(&s);
        let _ = stored::is_text_key(&s);
        let _ = stored::parse_quarantine_key(&s);
    }

    #[test]
    fn arbitrary_json_never_panics(v in json_value(), text in json_value()) {
        check_decodes_or_errs(&v.to_string(), Some(&text.to_string()));
        let _ = stored::newer_schema(&v.to_string());
        let _ = stored::newer_entry_title(&v.to_string());
    }

    #[test]
    fn random_edits_of_valid_entries_never_panic(
        d in random_document(),
        which in 0usize..7,
        edits in prop::collection::vec((prop::collection::vec(any::<Index>(), 0..6), edit()), 1..4),
    ) {
        let EncodedEntries { document, text, .. } = stored::encode_entries(&d, d.modified, "tab", None);
        let v2 = fixture_dir(2).join(format!("doc-{RICH_ID}.json"));
        let base = match which {
            0 => rich_v1(),
            1 => plain_v1(),
            2 => v1("index.json"),
            3 => document.clone(),
            4 => text.clone(),
            5 => std::fs::read_to_string(v2).unwrap(),
            _ => stored::encode_quarantine("article-annotator:index", &rich_v1(), "why", d.created),
        };
        let mut v = value(&base);
        for (path, edit) in edits {
            apply(&mut v, &path, edit);
        }
        let json = v.to_string();
        // Damaged, the entry is read with its text entry intact; the text entry, damaged, is
        // read as the text of its intact document entry.
        check_decodes_or_errs(&json, Some(&text));
        if which == 4 {
            if let Ok(stored) = stored::decode_document(&document, Some(&json)) {
                prop_assert_eq!(stored.document, d.clone());
            }
        }
        // Whatever the edit, a version above ours is never read as anything else.
        if v.get("format") == Some(&json!(STORE_FORMAT)) {
            if let Some(found) = v.get("version").and_then(Value::as_u64).filter(|&n| n > u64::from(STORE_VERSION)) {
                if let Ok(found) = u32::try_from(found) {
                    prop_assert_eq!(stored::decode_document(&json, Some(&text)).map(drop), Err(StoredError::NewerVersion { found }));
                    prop_assert_eq!(stored::decode_index(&json).map(drop), Err(StoredError::NewerVersion { found }));
                    prop_assert_eq!(stored::decode_text(&json).map(drop), Err(StoredError::NewerVersion { found }));
                }
            }
        }
    }
}

#[test]
fn a_save_records_the_version_it_was_made_from() {
    let first = round_trip(&plain_document(), ms(SAVED_AT_MS), "tab-a", None).unwrap();
    let parent = first.version();
    assert_eq!(parent, format!("tab-a@{SAVED_AT_MS}"));
    let second = round_trip(
        &plain_document(),
        ms(SAVED_AT_MS + 1),
        "tab-b",
        Some(&parent),
    )
    .unwrap();
    assert_eq!(second.parent.as_deref(), Some(parent.as_str()));
    assert_eq!(second.version(), format!("tab-b@{}", SAVED_AT_MS + 1));
}

/// A save checks which version storage holds from the entry's first characters only: they must
/// name it exactly as decoding the whole entry does, or name none.
#[test]
fn an_entry_names_its_version_in_its_first_characters() {
    let head = |json: &str| prefix(json, stored::VERSION_HEAD_UNITS as usize);
    for document in [rich_document(), plain_document()] {
        for parent in [None, Some("t1a2b3c@1764393283123")] {
            let entries = stored::encode_entries(&document, ms(SAVED_AT_MS), WRITER, parent);
            let decoded = stored::decode_document(&entries.document, Some(&entries.text)).unwrap();
            assert_eq!(
                stored::version_in_head(&head(&entries.document)),
                Some(decoded.version())
            );
            assert_eq!(
                decoded.version(),
                stored::version_id(WRITER, ms(SAVED_AT_MS))
            );
        }
    }
    // Cut off before the writer's name ends, or an older schema without one: no version.
    let json = stored::encode_entries(&plain_document(), ms(SAVED_AT_MS), WRITER, None).document;
    let writer_at = json.find(WRITER).unwrap();
    assert_eq!(stored::version_in_head(&json[..writer_at + 2]), None);
    assert_eq!(stored::version_in_head(&plain_v1()), None);
    // Quotes inside a title are escaped, so a title cannot pose as the envelope's fields.
    let mut titled = plain_document();
    titled.title = r#"","saved_at":"2020-01-01T00:00:00.000Z","writer":"impostor"#.to_owned();
    let json = stored::encode_entries(&titled, ms(SAVED_AT_MS), WRITER, None).document;
    assert_eq!(
        stored::version_in_head(&json),
        Some(stored::version_id(WRITER, ms(SAVED_AT_MS)))
    );
}

// ---------------------------------------------------------------------------------------------
// Schema 5: who made and who last changed each annotation.
// ---------------------------------------------------------------------------------------------

#[test]
fn authors_are_stored_once_when_the_maker_changed_it_last_and_read_back() {
    use annotator_core::model::{AnnotatorName, Authors};
    let name = |n: &str| Some(AnnotatorName::parse(n).unwrap());
    let d = rich_document();
    let kinds = [
        Authors::made(name("ann").as_ref()),
        Authors {
            made_by: name("ann"),
            changed_by: name("李 雷"),
        },
        // Changed by somebody who had set no name.
        Authors {
            made_by: name("👩🏽‍💻 dev"),
            changed_by: None,
        },
        // Made before names were kept, changed since by a named annotator.
        Authors {
            made_by: None,
            changed_by: name("bob"),
        },
        Authors::default(),
    ];
    let annotations: Vec<_> = d
        .annotations()
        .iter()
        .zip(kinds.iter().cycle())
        .map(|(a, authors)| annotator_core::model::Annotation {
            authors: authors.clone(),
            ..(**a).clone()
        })
        .collect();
    let next = d.next_number();
    let d = Document::from_parts(d, annotations, next).unwrap();
    let entries = stored::encode_entries(&d, ms(SAVED_AT_MS), WRITER, None);
    let json = value(&entries.document);
    let records = json["document"]["annotations"].as_array().unwrap();
    // The maker is written, the changer only where it is somebody else; `null` for nobody.
    assert_eq!(records[0]["made_by"], "ann");
    assert!(records[0].get("changed_by").is_none());
    assert_eq!(records[1]["changed_by"], "李 雷");
    assert_eq!(records[2]["changed_by"], Value::Null);
    assert!(records[2].get("changed_by").is_some());
    assert!(records[3].get("made_by").is_none());
    assert_eq!(records[3]["changed_by"], "bob");
    assert!(records[4].get("made_by").is_none() && records[4].get("changed_by").is_none());
    let back = stored::decode_document(&entries.document, Some(&entries.text)).unwrap();
    assert_eq!(back.document, d);
    for (a, authors) in back.document.annotations().iter().zip(kinds.iter().cycle()) {
        assert_eq!(&a.authors, authors, "{}", a.id);
    }
}

#[test]
fn a_bad_annotator_name_in_storage_is_a_clear_error() {
    let d = rich_document();
    let entries = stored::encode_entries(&d, ms(SAVED_AT_MS), WRITER, None);
    let bad = entries
        .document
        .replacen("\"end\":39}", "\"end\":39,\"made_by\":\"  \"}", 1);
    assert_ne!(bad, entries.document);
    let error = stored::decode_document(&bad, Some(&entries.text)).unwrap_err();
    assert!(
        error.to_string().contains("annotator name cannot be empty"),
        "{error}"
    );
}
