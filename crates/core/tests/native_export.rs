#![cfg(not(target_arch = "wasm32"))]
//! The two JSON formats of `src/formats` and `src/persist`: the native `article-annotator` v2
//! dataset export (with import; v1 files still read) and the versioned localStorage envelope.
//!
//! Why: the export is the product — people feed it to Python and check `text[start:end]`. A
//! golden file pins its exact bytes for a document full of emoji, ZWJ sequences, combining marks,
//! CJK, RTL and pasted CRLF, with nested and crossing spans, attribute values (one the schema
//! lacks), notes (several lines, quotes, a tab, emoji), relations (one of a type the schema
//! lacks) and the schema. Import and storage must give back exactly what was written, and must
//! turn every kind of broken input into a typed error that names the record, never a panic (a
//! panic in WASM kills the page, and with it unsaved work).

#[path = "support/formats.rs"]
mod support;

use std::path::PathBuf;

use annotator_core::formats::native::{
    self, ImportError, RecordError, FORMAT, OFFSET_UNIT, VERSION,
};
use annotator_core::model::attributes::{InvalidDetail, MAX_NOTE_CHARS};
use annotator_core::model::label::InvalidLabel;
use annotator_core::model::schema::{AttributeSpec, RelationSpec, SchemaError};
use annotator_core::model::timestamp::TimestampError;
use annotator_core::model::{
    AnnotationId, ArticleText, ByteOffset, CharRange, Document, DocumentError, DocumentId, Label,
    RangeError, Relation, RelationKind, Schema, TextError, Timestamp,
};
use annotator_core::persist::stored::{
    self, StoredError, StoredIndex, STORE_FORMAT, STORE_VERSION,
};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// The fixture document.
// ---------------------------------------------------------------------------------------------

/// 2026-11-29T04:14:43.123Z.
const CREATED_MS: i64 = 1_795_925_683_123;

/// As pasted: CRLF and a lone CR, precomposed and combining accents, astral emoji, a skin tone,
/// ZWJ sequences, CJK, Arabic and Hebrew.
const FIXTURE_RAW: &str = "Café owner said: \"We love 北京市 and 日本語!\" 😀👍🏽\r\n\r\n\
The family 👩‍👩‍👧‍👦 waved 🏳️‍🌈 flags.\r\n\
مرحبا بالعالم means hello world; שלום too.\r\
Zalgo: Z\u{351}\u{358}a\u{301}l\u{327}go e\u{301}nds here.";

fn find(text: &ArticleText, needle: &str) -> CharRange {
    let byte = text
        .as_str()
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let start = text.char_of_byte(ByteOffset::new(byte)).unwrap().get();
    CharRange::from_raw(start, start + needle.chars().count()).unwrap()
}

fn fixture_document() -> Document {
    let text = ArticleText::normalize(FIXTURE_RAW);
    let mut d = Document::new(
        DocumentId::new("d-fixture-1"),
        "Fixture: emoji, ZWJ, combining marks, CJK & RTL".into(),
        text.clone(),
        Timestamp::from_unix_millis(CREATED_MS),
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
        // Crossing: the claim ends inside the quote.
        ("The family 👩‍👩‍👧‍👦 waved", Label::Claim),
        ("👩‍👩‍👧‍👦 waved 🏳️‍🌈 flags.", Label::Quote),
        // One span, two labels.
        ("🏳️‍🌈", Label::Entity),
        ("🏳️‍🌈", Label::Claim),
        // Across a (normalised) line break.
        ("flags.\nمرحبا", Label::Quote),
        ("مرحبا بالعالم", Label::Entity),
        ("שלום", Label::Entity),
        ("Z\u{351}\u{358}a\u{301}l\u{327}go", Label::Quote),
        ("e\u{301}nds", Label::Claim),
    ];
    for (i, (needle, label)) in spans.into_iter().enumerate() {
        let now = Timestamp::from_unix_millis(CREATED_MS + 1000 * (i as i64 + 1));
        d.add(find(&text, needle), label, now).unwrap();
    }
    d
}

/// The fixture with what version 2 added: attribute values (one the default schema lacks, and
/// an attribute it lacks), notes on annotations and on the article, and relations (one of a type
/// the schema lacks). Made at a later time than the fixture's last span.
fn rich_document() -> Document {
    let mut d = fixture_document();
    let at = Timestamp::from_unix_millis(CREATED_MS + 20_000);
    let id = AnnotationId::new;
    for (annotation, name, value) in [
        ("a1", "check_worthy", "yes"),
        ("a2", "type", "direct"),
        ("a3", "kind", "place"),
        ("a3", "id", "Q956"),
        ("a5", "kind", "emoji"),
        ("a11", "wikipedia", "Hello world"),
    ] {
        d.set_attribute(&id(annotation), name, Some(value), at)
            .unwrap();
    }
    d.set_note(
        Some(&id("a2")),
        "Quoted in 北京 — check the 👩‍👩‍👧‍👦 source.\nSecond line, \"quoted\", tab\there.",
        at,
    )
    .unwrap();
    d.set_note(None, "Article note: emoji 😀, RTL שלום.\r\nCRLF kept.", at)
        .unwrap();
    for (kind, from, to) in [
        ("said_by", "a2", "a5"),
        ("about", "a2", "a3"),
        ("continues", "a7", "a10"),
        ("made_by", "a6", "a8"),
        ("same_as", "a11", "a12"),
        ("located_in", "a3", "a4"),
    ] {
        let relation = Relation::new(RelationKind::parse(kind).unwrap(), id(from), id(to));
        d.link(relation, at).unwrap();
    }
    d
}

/// A second, plain document, so the file holds more than one record.
fn plain_document() -> Document {
    Document::new(
        DocumentId::new("d-plain-2"),
        "Plain".into(),
        ArticleText::normalize("Nothing tagged here.\n"),
        Timestamp::from_unix_millis(CREATED_MS + 60_000),
    )
}

fn golden_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/native/fixture.annotations.json")
}

// ---------------------------------------------------------------------------------------------
// Export: golden file and the text[start:end] contract.
// ---------------------------------------------------------------------------------------------

/// Set `UPDATE_GOLDEN=1` to rewrite the golden file after a deliberate format change (then read
/// the diff: every offset in it is a promise to dataset users).
#[test]
fn export_matches_the_golden_file_byte_for_byte() {
    let exported = native::export(
        [&rich_document(), &plain_document()],
        &annotator_core::model::Schema::default(),
    );
    let path = golden_path();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &exported).unwrap();
    }
    let golden = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1 once)", path.display()));
    assert_eq!(exported, golden, "export differs from {}", path.display());
}

#[test]
fn every_exported_span_text_is_text_start_to_end_in_code_points() {
    let file: Value = serde_json::from_str(&native::export(
        [&fixture_document()],
        &annotator_core::model::Schema::default(),
    ))
    .unwrap();
    assert_eq!(file["format"], FORMAT);
    assert_eq!(file["version"], VERSION);
    assert_eq!(file["offset_unit"], OFFSET_UNIT);
    let document = &file["documents"][0];
    let text: Vec<char> = document["text"].as_str().unwrap().chars().collect();
    let annotations = document["annotations"].as_array().unwrap();
    assert_eq!(annotations.len(), 14);
    for a in annotations {
        let (start, end) = (
            a["start"].as_u64().unwrap() as usize,
            a["end"].as_u64().unwrap() as usize,
        );
        let python_slice: String = text[start..end].iter().collect();
        assert_eq!(
            a["text"].as_str().unwrap(),
            python_slice,
            "annotation {}",
            a["id"]
        );
    }
}

#[test]
fn exported_text_is_normalised_and_offsets_count_code_points() {
    let file: Value = serde_json::from_str(&native::export(
        [&fixture_document()],
        &annotator_core::model::Schema::default(),
    ))
    .unwrap();
    let document = &file["documents"][0];
    let text = document["text"].as_str().unwrap();
    assert!(!text.contains('\r'), "CRLF and CR were normalised on paste");
    assert!(text.starts_with("Café owner said: \"We love 北京市 and 日本語!\" 😀👍🏽\n\nThe family"));
    let span = |id: &str| -> (u64, u64) {
        let a = document["annotations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap();
        (a["start"].as_u64().unwrap(), a["end"].as_u64().unwrap())
    };
    // Counted with Python's len(): "Café owner said: \"We love " is 26 code points, the quote
    // ends at 39, then a space; 😀👍🏽 is 3 code points (the skin tone is its own).
    assert_eq!(span("a3"), (26, 29), "北京市");
    assert_eq!(span("a5"), (40, 43), "😀👍🏽");
    // After "😀👍🏽\n\n" (43 + 2): "The family " (11), a 7-code-point ZWJ family, " waved" (6).
    assert_eq!(span("a6"), (45, 45 + 11 + 7 + 6), "The family 👩‍👩‍👧‍👦 waved");
    // Dates are RFC 3339 UTC with milliseconds.
    assert_eq!(document["created"], "2026-11-29T04:14:43.123Z");
    assert_eq!(document["modified"], "2026-11-29T04:14:57.123Z");
}

#[test]
fn relations_attributes_and_notes_are_written_as_documented() {
    let file: Value = serde_json::from_str(&native::export(
        [&rich_document()],
        &annotator_core::model::Schema::default(),
    ))
    .unwrap();
    let document = &file["documents"][0];
    assert_eq!(
        document["note"],
        "Article note: emoji 😀, RTL שלום.\r\nCRLF kept."
    );
    let annotation = |id: &str| {
        document["annotations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        annotation("a3")["attributes"],
        json!({"id": "Q956", "kind": "place"})
    );
    assert!(annotation("a2")["note"]
        .as_str()
        .unwrap()
        .contains("tab\there"));
    // Members a span does not use are left out.
    let bare = annotation("a4");
    assert!(bare.get("attributes").is_none() && bare.get("note").is_none());
    // Relations by ids of the same document, in the document's order (from, to, type).
    let relations = document["relations"].as_array().unwrap();
    assert_eq!(relations.len(), 6);
    assert_eq!(
        relations[0],
        json!({"type": "same_as", "from": "a11", "to": "a12"})
    );
    let ids: Vec<&Value> = document["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["id"])
        .collect();
    for relation in relations {
        assert!(ids.contains(&&relation["from"]) && ids.contains(&&relation["to"]));
    }
    // The schema the file was made with.
    assert_eq!(file["schema"]["labels"][0]["name"], "quote");
    assert_eq!(file["schema"]["relations"][0]["name"], "said_by");
}

#[test]
fn exported_annotations_are_listed_in_text_order() {
    let file: Value = serde_json::from_str(&native::export(
        [&fixture_document()],
        &annotator_core::model::Schema::default(),
    ))
    .unwrap();
    let keys: Vec<(u64, u64)> = file["documents"][0]["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["start"].as_u64().unwrap(), a["end"].as_u64().unwrap()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by_key(|&(start, end)| (start, std::cmp::Reverse(end)));
    assert_eq!(keys, sorted);
}

// ---------------------------------------------------------------------------------------------
// Import: round trip and every rejection.
// ---------------------------------------------------------------------------------------------

#[test]
fn import_of_export_gives_the_same_documents() {
    let documents = vec![rich_document(), plain_document()];
    let imported = native::import(&native::export(
        &documents,
        &annotator_core::model::Schema::default(),
    ))
    .unwrap();
    assert_eq!(imported, documents);
    for d in &imported {
        d.check_invariants().unwrap();
    }
}

#[test]
fn import_of_the_golden_file_gives_the_fixture() {
    let golden = std::fs::read_to_string(golden_path()).unwrap();
    assert_eq!(
        native::import(&golden).unwrap(),
        vec![rich_document(), plain_document()]
    );
}

#[test]
fn the_schema_member_round_trips() {
    let documents = [rich_document()];
    let (_, schema) =
        native::import_with_schema(&native::export(&documents, &Schema::default())).unwrap();
    assert_eq!(schema, Some(Schema::default()));
    // A schema of the user's own: a free-text attribute, a value list, a relation type with any
    // label at its ends and no key.
    let mut own = Schema::default();
    own.labels[0].attributes.push(AttributeSpec {
        name: "speaker_role".into(),
        values: vec!["official".into(), "witness".into()],
    });
    own.labels[1].attributes.push(AttributeSpec {
        name: "wikipedia".into(),
        values: Vec::new(),
    });
    own.relations.push(RelationSpec {
        kind: RelationKind::parse("located_in").unwrap(),
        key: None,
        from: Vec::new(),
        to: Vec::new(),
        reading_order: false,
    });
    own.check().unwrap();
    let (imported, schema) = native::import_with_schema(&native::export(&documents, &own)).unwrap();
    assert_eq!(schema, Some(own));
    assert_eq!(imported, documents);
    // The golden file's, and none in a version 1 file.
    let golden = std::fs::read_to_string(golden_path()).unwrap();
    assert_eq!(
        native::import_with_schema(&golden).unwrap().1,
        Some(Schema::default())
    );
    let v1 = std::fs::read_to_string(golden_path().with_file_name("fixture.v1.annotations.json"))
        .unwrap();
    assert_eq!(native::import_with_schema(&v1).unwrap().1, None);
}

#[test]
fn import_of_an_empty_file_is_no_documents() {
    let empty = native::export(
        std::iter::empty::<&Document>(),
        &annotator_core::model::Schema::default(),
    );
    assert_eq!(native::import(&empty), Ok(vec![]));
}

/// A valid two-document file (the second one is the rich fixture, named "victim"), edited by
/// `f`.
fn edited(f: impl FnOnce(&mut Value)) -> String {
    let mut victim = rich_document();
    victim.id = DocumentId::new("victim");
    let mut file: Value = serde_json::from_str(&native::export(
        [&plain_document(), &victim],
        &annotator_core::model::Schema::default(),
    ))
    .unwrap();
    f(&mut file);
    serde_json::to_string(&file).unwrap()
}

/// Imports an edited file; expects the second record to be rejected and the message to name it.
fn record_error(f: impl FnOnce(&mut Value)) -> RecordError {
    match native::import(&edited(f)) {
        Err(error @ ImportError::Record { .. }) => {
            let message = error.to_string();
            assert!(
                message.starts_with("document 1 (\"victim\"): "),
                "{message}"
            );
            let ImportError::Record { index, id, source } = error else {
                unreachable!()
            };
            assert_eq!((index, id.as_str()), (1, "victim"));
            source
        }
        other => panic!("expected a record error, got {other:?}"),
    }
}

#[test]
fn import_rejects_a_wrong_format() {
    let json = edited(|v| v["format"] = json!("w3c-annotation"));
    assert_eq!(
        native::import(&json),
        Err(ImportError::WrongFormat {
            found: "w3c-annotation".into()
        })
    );
}

#[test]
fn import_rejects_version_3() {
    let json = edited(|v| v["version"] = json!(3));
    let error = native::import(&json).unwrap_err();
    assert_eq!(error, ImportError::UnsupportedVersion { found: 3 });
    assert!(error.to_string().contains("version 3"), "{error}");
}

/// Files written before relations existed still read, with the same documents.
#[test]
fn version_1_files_still_read() {
    let path = golden_path().with_file_name("fixture.v1.annotations.json");
    let json = std::fs::read_to_string(&path).unwrap();
    let documents = native::import(&json).unwrap();
    assert_eq!(documents, vec![fixture_document(), plain_document()]);
}

#[test]
fn import_rejects_utf16_offsets() {
    let json = edited(|v| v["offset_unit"] = json!("utf16"));
    assert_eq!(
        native::import(&json),
        Err(ImportError::WrongOffsetUnit {
            found: "utf16".into()
        })
    );
}

#[test]
fn import_rejects_invalid_json_and_wrong_shapes() {
    for bad in [
        "",
        "{not json",
        "[]",
        "null",
        "{\"format\": \"article-annotator\"}",
    ] {
        assert!(
            matches!(native::import(bad), Err(ImportError::Json(_))),
            "{bad:?}"
        );
    }
    let negative = edited(|v| v["documents"][1]["annotations"][0]["start"] = json!(-1));
    assert!(matches!(
        native::import(&negative),
        Err(ImportError::Json(_))
    ));
}

#[test]
fn import_rejects_start_after_end_naming_the_annotation() {
    let source = record_error(|v| {
        let a = &mut v["documents"][1]["annotations"][1];
        a["start"] = json!(9);
        a["end"] = json!(4);
    });
    let RecordError::Range {
        id,
        source: range_error,
    } = &source
    else {
        panic!("{source:?}")
    };
    assert_eq!(range_error, &RangeError::Reversed { start: 9, end: 4 });
    assert!(
        source.to_string().contains(&format!("annotation {id}")),
        "{source}"
    );
}

#[test]
fn import_rejects_an_end_past_the_text() {
    let len = fixture_document().text().char_len();
    let source = record_error(|v| {
        let a = &mut v["documents"][1]["annotations"][2];
        a["end"] = json!(len + 1);
        a["text"] = json!("whatever");
    });
    let RecordError::Document(DocumentError::PastEnd {
        id,
        end,
        len: reported,
        ..
    }) = &source
    else {
        panic!("{source:?}")
    };
    assert_eq!((*end, *reported), (len + 1, len));
    assert!(
        source.to_string().contains(&format!("annotation {id}")),
        "{source}"
    );
}

#[test]
fn import_rejects_span_text_that_disagrees_with_the_offsets() {
    let source = record_error(|v| {
        let annotations = v["documents"][1]["annotations"].as_array_mut().unwrap();
        let beijing = annotations.iter_mut().find(|a| a["id"] == "a3").unwrap();
        beijing["text"] = json!("Beijing");
    });
    let RecordError::TextMismatch {
        id,
        expected,
        found,
        ..
    } = &source
    else {
        panic!("{source:?}")
    };
    assert_eq!(expected, "Beijing");
    assert_eq!(found, "北京市");
    assert!(
        source.to_string().contains(&format!("annotation {id}")),
        "{source}"
    );
}

#[test]
fn import_rejects_utf16_offsets_passed_off_as_code_points() {
    // What a consumer that counted like JavaScript would write: the span after three astral
    // characters, in UTF-16 units. The text check catches it instead of shifting the span.
    let fixture = fixture_document();
    let text = fixture.text();
    let range = find(text, "The family 👩‍👩‍👧‍👦 waved");
    let utf16 = |n| text.utf16_of(n).unwrap().get();
    let (start, end) = (utf16(range.start()), utf16(range.end()));
    assert_eq!(
        (start, end),
        (range.start().get() + 3, range.end().get() + 3 + 4)
    );
    let source = record_error(|v| {
        let annotations = v["documents"][1]["annotations"].as_array_mut().unwrap();
        let a = annotations.iter_mut().find(|a| a["id"] == "a6").unwrap();
        a["start"] = json!(start);
        a["end"] = json!(end);
    });
    assert!(
        matches!(&source, RecordError::TextMismatch { id, .. } if id == "a6"),
        "{source:?}"
    );
}

#[test]
fn import_rejects_text_containing_a_carriage_return() {
    let source = record_error(|v| {
        let text = v["documents"][1]["text"].as_str().unwrap().to_owned();
        v["documents"][1]["text"] = json!(format!("{text}\r\n"));
    });
    let at = fixture_document().text().char_len();
    assert_eq!(source, RecordError::Text(TextError::CarriageReturn { at }));
}

#[test]
fn import_rejects_bad_timestamps() {
    for field in ["created", "modified"] {
        for bad in ["yesterday", "2026-02-30T00:00:00Z", "2026-11-29 04:14", ""] {
            let source = record_error(|v| v["documents"][1][field] = json!(bad));
            assert_eq!(
                source,
                RecordError::Timestamp(TimestampError(bad.into())),
                "{field} = {bad:?}"
            );
        }
    }
}

#[test]
fn import_rejects_a_duplicate_annotation_id() {
    let source = record_error(|v| v["documents"][1]["annotations"][4]["id"] = json!("a1"));
    assert_eq!(
        source,
        RecordError::Document(DocumentError::DuplicateId { id: "a1".into() })
    );
    assert!(source.to_string().contains("a1"), "{source}");
}

/// The relation of the victim with this type.
fn relation_of<'a>(v: &'a mut Value, kind: &str) -> &'a mut Value {
    v["documents"][1]["relations"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["type"] == kind)
        .unwrap()
}

#[test]
fn import_rejects_a_relation_to_a_missing_annotation() {
    let source = record_error(|v| relation_of(v, "said_by")["to"] = json!("a99"));
    assert_eq!(
        source,
        RecordError::Document(DocumentError::MissingEnd {
            relation: "a2 said_by a99".into(),
            missing: "a99".into()
        })
    );
    assert_eq!(
        source.to_string(),
        "relation a2 said_by a99: annotation a99 does not exist"
    );
}

#[test]
fn import_rejects_a_self_link() {
    let source = record_error(|v| relation_of(v, "about")["to"] = json!("a2"));
    assert_eq!(
        source.to_string(),
        "relation a2 about a2: an annotation cannot be linked to itself"
    );
    assert!(matches!(
        source,
        RecordError::Document(DocumentError::SelfLink { .. })
    ));
}

#[test]
fn import_rejects_an_unusable_relation_type() {
    let source = record_error(|v| relation_of(v, "said_by")["type"] = json!("said by\n"));
    let RecordError::RelationKind {
        relation,
        source: why,
    } = &source
    else {
        panic!("{source:?}")
    };
    assert_eq!(relation, "a2 said by\n a5");
    assert!(matches!(why, InvalidLabel::ControlCharacter(_)), "{why:?}");
    assert!(
        source.to_string().starts_with("relation a2 said by\n a5: "),
        "{source}"
    );
    let source = record_error(|v| relation_of(v, "said_by")["type"] = json!(""));
    assert!(
        matches!(
            &source,
            RecordError::RelationKind {
                source: InvalidLabel::Empty,
                ..
            }
        ),
        "{source:?}"
    );
}

#[test]
fn import_rejects_a_note_that_is_too_long() {
    let long = "x".repeat(MAX_NOTE_CHARS + 1);
    let source = record_error(|v| {
        let annotations = v["documents"][1]["annotations"].as_array_mut().unwrap();
        let a = annotations.iter_mut().find(|a| a["id"] == "a4").unwrap();
        a["note"] = json!(long.clone());
    });
    assert_eq!(
        source,
        RecordError::Detail {
            id: "a4".into(),
            source: InvalidDetail::NoteTooLong
        }
    );
    assert_eq!(
        source.to_string(),
        format!("annotation a4: a note is longer than {MAX_NOTE_CHARS} characters")
    );
    let source = record_error(|v| v["documents"][1]["note"] = json!(long));
    assert_eq!(
        source.to_string(),
        format!("the article note: a note is longer than {MAX_NOTE_CHARS} characters")
    );
    // Exactly the limit is fine.
    let json = edited(|v| v["documents"][1]["note"] = json!("x".repeat(MAX_NOTE_CHARS)));
    assert!(native::import(&json).is_ok());
}

#[test]
fn import_rejects_an_unusable_attribute_value_naming_the_annotation() {
    let source = record_error(|v| {
        let annotations = v["documents"][1]["annotations"].as_array_mut().unwrap();
        let a = annotations.iter_mut().find(|a| a["id"] == "a2").unwrap();
        a["attributes"]["type"] = json!(" direct");
    });
    assert_eq!(
        source.to_string(),
        "annotation a2: the value of \"type\" contains a control character or surrounding whitespace"
    );
}

#[test]
fn import_keeps_attribute_values_and_relation_types_the_schema_lacks() {
    let documents = native::import(&edited(|_| {})).unwrap();
    let victim = &documents[1];
    let a5 = victim.annotation(&AnnotationId::new("a5")).unwrap();
    assert_eq!(a5.attributes.get("kind"), Some("emoji"));
    let a11 = victim.annotation(&AnnotationId::new("a11")).unwrap();
    assert_eq!(a11.attributes.get("wikipedia"), Some("Hello world"));
    assert!(victim
        .relations()
        .iter()
        .any(|r| r.to_string() == "a3 located_in a4"));
}

#[test]
fn import_rejects_a_schema_with_a_duplicate_key() {
    let json = edited(|v| v["schema"]["labels"][1]["key"] = json!("q"));
    let error = native::import(&json).unwrap_err();
    assert_eq!(
        error,
        ImportError::Schema(SchemaError::DuplicateKey {
            key: 'q',
            first: "quote".into(),
            second: "entity".into()
        })
    );
    assert_eq!(
        error.to_string(),
        "the file's schema: key 'q' is used by both \"quote\" and \"entity\""
    );
}

#[test]
fn import_keeps_a_custom_label_and_exports_it_back() {
    let json = edited(|v| v["documents"][1]["annotations"][0]["label"] = json!("PERSON"));
    let documents = native::import(&json).unwrap();
    let label = &documents[1].annotations()[0].label;
    assert_eq!(label.as_str(), "PERSON");
    assert!(!label.is_builtin());
    let reexported: Value = serde_json::from_str(&native::export(
        &documents,
        &annotator_core::model::Schema::default(),
    ))
    .unwrap();
    assert_eq!(reexported, serde_json::from_str::<Value>(&json).unwrap());
}

#[test]
fn import_rejects_an_unusable_label_naming_the_record() {
    let json = edited(|v| v["documents"][1]["annotations"][0]["label"] = json!(" opinion\t"));
    let error = native::import(&json).unwrap_err();
    let ImportError::Record {
        index: 1,
        source: RecordError::Label { id, .. },
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    let message = error.to_string();
    assert!(
        message.contains("opinion") && message.contains(id.as_str()),
        "{message}"
    );
}

#[test]
fn import_rejects_two_documents_with_the_same_id() {
    let json = edited(|v| {
        let first_id = v["documents"][0]["id"].clone();
        v["documents"][1]["id"] = first_id;
    });
    let result = native::import(&json);
    assert!(
        matches!(result, Err(ImportError::DuplicateDocument { index: 1, .. })),
        "{result:?}"
    );
}

#[test]
fn import_accepts_a_file_edited_by_hand_with_offset_timestamps() {
    let json = edited(|v| v["documents"][1]["created"] = json!("2026-11-29T05:14:43.123+01:00"));
    let documents = native::import(&json).unwrap();
    assert_eq!(
        documents[1].created,
        Timestamp::from_unix_millis(CREATED_MS)
    );
}

// ---------------------------------------------------------------------------------------------
// The localStorage envelope.
// ---------------------------------------------------------------------------------------------

#[test]
fn stored_document_round_trips_including_the_next_id() {
    let mut d = rich_document();
    // Delete the newest annotation: only the envelope remembers that a14 was used.
    let newest = d
        .annotations()
        .iter()
        .map(|a| a.id.clone())
        .max_by_key(|id| id.number())
        .unwrap();
    d.remove(&newest, Timestamp::from_unix_millis(CREATED_MS + 99_000))
        .unwrap();
    let saved_at = Timestamp::from_unix_millis(CREATED_MS + 100_000);
    let entries = stored::encode_entries(&d, saved_at, "tab-1", None);
    let decoded = stored::decode_document(&entries.document, Some(&entries.text))
        .unwrap()
        .document;
    assert_eq!(decoded, d);
    assert_eq!(decoded.next_number(), 15);
}

#[test]
fn stored_index_round_trips() {
    for index in [
        StoredIndex::default(),
        StoredIndex {
            documents: vec!["d1".into(), "d-北京".into()],
            active: Some("d-北京".into()),
            migrated_from: None,
        },
    ] {
        assert_eq!(
            stored::decode_index(&stored::encode_index(&index)),
            Ok(index)
        );
    }
}

#[test]
fn storage_keys_are_namespaced() {
    assert_eq!(stored::index_key(), "article-annotator:index");
    assert_eq!(
        stored::document_key(&DocumentId::new("d1")),
        "article-annotator:doc:d1"
    );
    assert_eq!(
        stored::text_key(&DocumentId::new("d1")),
        "article-annotator:text:d1"
    );
}

/// The stored document entry of a document, without its text entry.
fn encoded(d: &Document) -> String {
    stored::encode_entries(d, Timestamp::default(), "tab-1", None).document
}

fn edited_envelope(json: &str, f: impl FnOnce(&mut Value)) -> String {
    let mut value: Value = serde_json::from_str(json).unwrap();
    f(&mut value);
    serde_json::to_string(&value).unwrap()
}

#[test]
fn newer_schema_version_is_recognised_even_when_its_shape_changed() {
    let encoded = encoded(&fixture_document());
    let newer = edited_envelope(&encoded, |v| v["version"] = json!(STORE_VERSION + 1));
    assert_eq!(
        stored::decode_document(&newer, None),
        Err(StoredError::NewerVersion {
            found: STORE_VERSION + 1
        })
    );
    let reshaped = json!({"format": STORE_FORMAT, "version": 7, "docs": {"x": 1}}).to_string();
    assert_eq!(
        stored::decode_document(&reshaped, None),
        Err(StoredError::NewerVersion { found: 7 })
    );
    assert_eq!(
        stored::decode_index(&reshaped),
        Err(StoredError::NewerVersion { found: 7 })
    );
}

#[test]
fn foreign_entries_are_a_wrong_format() {
    let foreign = json!({"format": "someone-else", "version": 1}).to_string();
    assert_eq!(
        stored::decode_document(&foreign, None),
        Err(StoredError::WrongFormat {
            found: "someone-else".into()
        })
    );
    assert_eq!(
        stored::decode_index(&foreign),
        Err(StoredError::WrongFormat {
            found: "someone-else".into()
        })
    );
}

#[test]
fn garbage_is_a_json_or_shape_error() {
    for not_json in ["", "{", "not json", "{\"format\": "] {
        assert!(
            matches!(
                stored::decode_document(not_json, None),
                Err(StoredError::Json(_))
            ),
            "{not_json:?}"
        );
        assert!(
            matches!(stored::decode_index(not_json), Err(StoredError::Json(_))),
            "{not_json:?}"
        );
    }
    let header_only = json!({"format": STORE_FORMAT, "version": STORE_VERSION}).to_string();
    for wrong_shape in [
        "[1, 2]",
        "null",
        "42",
        "{\"format\": 1, \"version\": 1}",
        header_only.as_str(),
    ] {
        assert!(
            matches!(
                stored::decode_document(wrong_shape, None),
                Err(StoredError::Shape(_))
            ),
            "{wrong_shape:?}"
        );
    }
    // An index envelope is not a document envelope.
    let index = stored::encode_index(&StoredIndex::default());
    assert!(matches!(
        stored::decode_document(&index, None),
        Err(StoredError::Shape(_))
    ));
}

#[test]
fn stored_record_errors_are_reported_as_records() {
    let entries = stored::encode_entries(&fixture_document(), Timestamp::default(), "tab-1", None);
    let broken = edited_envelope(&entries.document, |v| {
        v["document"]["annotations"][0]["end"] = json!(100_000)
    });
    assert!(matches!(
        stored::decode_document(&broken, Some(&entries.text)),
        Err(StoredError::Record(RecordError::Document(
            DocumentError::PastEnd { .. }
        )))
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
    prop::collection::vec(fragment, 0..50).prop_map(|parts| parts.concat())
}

/// Any instant RFC 3339 can write with a four-digit year (0000 to 9999).
fn timestamp() -> impl Strategy<Value = Timestamp> {
    (-62_167_219_200_000i64..=253_402_300_799_999).prop_map(Timestamp::from_unix_millis)
}

#[derive(Clone, Debug)]
enum Step {
    Add(Index, usize, Label),
    Remove(Index),
}

/// The built-in labels and two custom ones, which every format must carry as well.
fn labels() -> Vec<Label> {
    let mut labels = Label::ALL.to_vec();
    labels.push(Label::parse_any("PERSON").unwrap());
    labels.push(Label::parse_any("Quotation mark “”").unwrap());
    labels
}

/// A random document with random attribute values, notes and relations (see
/// `support::with_details`); `removals` tells whether annotations were deleted (which the native
/// format does not record, see `import_forgets_ids_of_deleted_annotations`), taking their
/// relations with them.
fn random_document(allow_removals: bool) -> impl Strategy<Value = Document> {
    (bare_random_document(allow_removals), support::details(12))
        .prop_map(|(document, details)| support::with_details(document, details))
}

/// [`random_document`] before its details are added.
fn bare_random_document(allow_removals: bool) -> impl Strategy<Value = Document> {
    let step = prop_oneof![
        3 => (any::<Index>(), 1usize..12, prop::sample::select(labels())).prop_map(|(i, n, l)| Step::Add(i, n, l)),
        1 => any::<Index>().prop_map(Step::Remove),
    ];
    (
        any::<String>(),
        any::<String>(),
        tricky_text(),
        timestamp(),
        timestamp(),
        prop::collection::vec(step, 0..20),
    )
        .prop_map(move |(id, title, text, created, modified, steps)| {
            let mut d = Document::new(
                DocumentId::new(&id),
                title,
                ArticleText::normalize(&text),
                created,
            );
            let len = d.text().char_len();
            for step in steps {
                match step {
                    Step::Add(start, n, label) if len > 0 => {
                        let start = start.index(len);
                        let range = CharRange::from_raw(start, (start + n).min(len)).unwrap();
                        let _ = d.add(range, label, modified);
                    }
                    Step::Remove(pick) if allow_removals && !d.annotations().is_empty() => {
                        let id = d.annotations()[pick.index(d.annotations().len())]
                            .id
                            .clone();
                        d.remove(&id, modified);
                    }
                    _ => {}
                }
            }
            d.modified = modified;
            d
        })
}

proptest! {
    #[test]
    fn import_of_export_is_identity(documents in prop::collection::vec(random_document(false), 0..4)) {
        // Document ids in one file are unique (import rejects duplicates, tested above).
        let mut documents = documents;
        for (i, d) in documents.iter_mut().enumerate() {
            d.id = DocumentId::new(&format!("{i}{}", d.id));
        }
        let exported = native::export(&documents, &annotator_core::model::Schema::default());
        prop_assert_eq!(native::import(&exported), Ok(documents));
    }

    #[test]
    fn import_forgets_ids_of_deleted_annotations(d in random_document(true)) {
        let imported = native::import(&native::export([&d], &annotator_core::model::Schema::default())).unwrap().remove(0);
        // Everything in the file comes back...
        prop_assert_eq!(&imported.id, &d.id);
        prop_assert_eq!(&imported.title, &d.title);
        prop_assert_eq!(imported.text(), d.text());
        prop_assert_eq!((imported.created, imported.modified), (d.created, d.modified));
        prop_assert_eq!(imported.annotations(), d.annotations());
        prop_assert_eq!(imported.relations(), d.relations());
        prop_assert_eq!(&imported.note, &d.note);
        imported.check_invariants().unwrap();
        // ...but the next id is rebuilt from the surviving ids only.
        let highest = d.annotations().iter().filter_map(|a| a.id.number()).max().unwrap_or(0);
        prop_assert_eq!(imported.next_number(), highest + 1);
    }

    #[test]
    fn relations_survive_the_removal_of_other_annotations_and_go_with_their_own(
        d in random_document(false),
        pick in any::<Index>(),
    ) {
        // Removing a span takes its relations out of the document, and so out of the file.
        let mut d = d;
        if !d.annotations().is_empty() {
            let id = d.annotations()[pick.index(d.annotations().len())].id.clone();
            let removed = d.remove(&id, d.modified).unwrap();
            prop_assert!(removed.relations.iter().all(|r| r.touches(&id)));
        }
        let imported = native::import(&native::export([&d], &Schema::default())).unwrap().remove(0);
        prop_assert_eq!(imported.relations(), d.relations());
        imported.check_invariants().unwrap();
    }

    #[test]
    fn the_schema_comes_back_with_the_documents(documents in prop::collection::vec(random_document(false), 0..3)) {
        let mut documents = documents;
        for (i, d) in documents.iter_mut().enumerate() {
            d.id = DocumentId::new(&format!("{i}{}", d.id));
        }
        let exported = native::export(&documents, &Schema::default());
        prop_assert_eq!(native::import_with_schema(&exported), Ok((documents, Some(Schema::default()))));
    }

    #[test]
    fn stored_envelope_round_trips_exactly(d in random_document(true)) {
        let entries = stored::encode_entries(&d, d.modified, "tab-1", None);
        prop_assert_eq!(stored::decode_document(&entries.document, Some(&entries.text)).map(|s| s.document), Ok(d));
    }

    #[test]
    fn decoding_arbitrary_strings_never_panics(s in any::<String>()) {
        let _ = stored::decode_document(&s, None);
        let _ = stored::decode_document(&s, Some(&s));
        let _ = stored::decode_index(&s);
        let _ = stored::decode_text(&s);
        let _ = native::import(&s);
    }

    #[test]
    fn decoding_damaged_valid_entries_never_panics(
        d in random_document(true),
        cut in any::<Index>(),
        cut_len in 0usize..8,
        insert in prop_oneof![any::<String>(), "[0-9]{1,22}".prop_map(String::from), Just("-1".to_owned()), Just("\"\\r\"".to_owned())],
    ) {
        let entries = stored::encode_entries(&d, d.modified, "tab-1", None);
        for valid in [entries.document.clone(), entries.text.clone(), native::export([&d], &annotator_core::model::Schema::default())] {
            let chars: Vec<char> = valid.chars().collect();
            let at = cut.index(chars.len() + 1);
            let end = (at + cut_len).min(chars.len());
            let damaged: String = chars[..at].iter().chain(insert.chars().collect::<Vec<_>>().iter()).chain(chars[end..].iter()).collect();
            for (document, text) in [(damaged.as_str(), entries.text.as_str()), (entries.document.as_str(), damaged.as_str())] {
                if let Ok(decoded) = stored::decode_document(document, Some(text)) {
                    decoded.document.check_invariants().unwrap();
                }
            }
            if let Ok(text) = stored::decode_text(&damaged) {
                prop_assert_eq!(text.fingerprint, stored::TextFingerprint::of(text.text.as_str()));
            }
            if let Ok(documents) = native::import(&damaged) {
                for decoded in documents {
                    decoded.check_invariants().unwrap();
                }
            }
        }
    }

    #[test]
    fn arbitrary_timestamp_and_offset_fields_are_errors_not_panics(
        created in any::<String>(),
        start in any::<u64>(),
        end in any::<u64>(),
    ) {
        let json = edited(|v| {
            v["documents"][0]["created"] = json!(created);
            let a = &mut v["documents"][1]["annotations"][0];
            a["start"] = json!(start);
            a["end"] = json!(end);
        });
        let _ = native::import(&json);
        let _ = Timestamp::parse_rfc3339(&created);
    }

    #[test]
    fn timestamps_round_trip_through_rfc3339(t in timestamp()) {
        prop_assert_eq!(Timestamp::parse_rfc3339(&t.to_rfc3339()), Ok(t));
    }
}
