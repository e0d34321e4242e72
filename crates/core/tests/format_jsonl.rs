#![cfg(not(target_arch = "wasm32"))]
//! The JSONL (spaCy / Prodigy style) export and import of `src/export/jsonl.rs`.
//!
//! Why: this is the file people load with Hugging Face `datasets` and slice in Python, so its
//! exact bytes are pinned by a golden file produced from the shared format fixture, every line
//! must have the same keys in the same order with the same types, and every span's `text` must
//! be `text[start:end]` in code points. Import must give back what export wrote (id, title,
//! text, spans; not annotation ids or times), read Prodigy's lines, and turn every broken input
//! into an error naming its line and span, never a panic.

#[path = "support/formats.rs"]
mod support;

use annotator_core::formats::dataset::{ImportError, OffsetUnit, Problem};
use annotator_core::formats::{doccano, jsonl, native};
use annotator_core::model::{CharRange, Document};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;
use support::{carried_span_set as carried, source_documents, NOW};

fn source_export() -> String {
    jsonl::export(&support::refs(&source_documents()))
}

fn import_error(input: &str) -> ImportError {
    jsonl::import(input, NOW).expect_err("the input should be refused")
}

// ---------------------------------------------------------------------------------------------
// Export: golden file and the shape promised to dataset users.
// ---------------------------------------------------------------------------------------------

/// Set `UPDATE_GOLDEN=1` to rewrite the golden file (see `support::assert_golden`).
#[test]
fn export_matches_the_golden_file_byte_for_byte() {
    support::assert_golden(&source_export(), "jsonl/source.jsonl");
}

/// Renders a parsed line back in the documented key order, compactly: equal to the line only if
/// the line has exactly these keys, in this order, with these types.
fn canonical(line: &Value) -> String {
    let s = |v: &Value| serde_json::to_string(v).unwrap();
    let spans: Vec<String> = line["spans"]
        .as_array()
        .expect("spans is always a list")
        .iter()
        .map(|span| {
            assert!(span["start"].is_u64() && span["end"].is_u64());
            assert!(span["label"].is_string() && span["text"].is_string());
            format!(
                "{{\"start\":{},\"end\":{},\"label\":{},\"text\":{}}}",
                s(&span["start"]),
                s(&span["end"]),
                s(&span["label"]),
                s(&span["text"])
            )
        })
        .collect();
    assert!(line["text"].is_string());
    assert!(line["meta"]["id"].is_string() && line["meta"]["title"].is_string());
    format!(
        "{{\"text\":{},\"meta\":{{\"id\":{},\"title\":{}}},\"spans\":[{}]}}",
        s(&line["text"]),
        s(&line["meta"]["id"]),
        s(&line["meta"]["title"]),
        spans.join(",")
    )
}

#[test]
fn every_line_has_the_same_keys_in_order_and_ends_with_a_newline() {
    let exported = source_export();
    assert!(exported.ends_with('\n'));
    let lines: Vec<&str> = exported.split_terminator('\n').collect();
    assert_eq!(lines.len(), 3, "one line per document");
    for line in lines {
        let value: Value = serde_json::from_str(line).unwrap();
        assert_eq!(canonical(&value), line);
    }
}

#[test]
fn every_span_text_is_text_start_to_end_in_code_points() {
    let mut checked = 0;
    for line in source_export().lines() {
        let value: Value = serde_json::from_str(line).unwrap();
        let text: Vec<char> = value["text"].as_str().unwrap().chars().collect();
        for span in value["spans"].as_array().unwrap() {
            let start = span["start"].as_u64().unwrap() as usize;
            let end = span["end"].as_u64().unwrap() as usize;
            let python_slice: String = text[start..end].iter().collect();
            assert_eq!(span["text"].as_str().unwrap(), python_slice);
            checked += 1;
        }
    }
    assert_eq!(checked, 14 + 6);
}

#[test]
fn empty_input_gives_an_empty_file() {
    assert_eq!(jsonl::export(&[]), "");
}

// ---------------------------------------------------------------------------------------------
// Import: round trip, other tools' lines, detection.
// ---------------------------------------------------------------------------------------------

#[test]
fn import_of_the_export_gives_back_what_the_format_carries() {
    let source = source_documents();
    let imported = jsonl::import(&source_export(), NOW).unwrap();
    assert_eq!(imported.len(), source.len());
    for (back, original) in imported.iter().zip(&source) {
        assert_eq!(carried(back), carried(original));
        // What the format does not carry: times are the import's, ids are renumbered.
        assert_eq!((back.created, back.modified), (NOW, NOW));
        let ids: Vec<&str> = back.annotations().iter().map(|a| a.id.as_str()).collect();
        let mut expected: Vec<String> = (1..=ids.len()).map(|n| format!("a{n}")).collect();
        let mut sorted: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
        sorted.sort();
        expected.sort();
        assert_eq!(sorted, expected);
    }
}

#[test]
fn prodigy_lines_with_extra_keys_and_without_meta_are_read() {
    let input = concat!(
        r#"{"text":"Apple pie in Berlin","_input_hash":-1,"_task_hash":7,"#,
        r#""tokens":[{"text":"Apple","start":0,"end":5,"id":0}],"#,
        r#""spans":[{"start":0,"end":5,"token_start":0,"token_end":0,"label":"ORG"},"#,
        r#"{"start":13,"end":19,"token_start":3,"token_end":3,"label":"GPE","text":"Berlin"}],"#,
        r#""answer":"reject","meta":{"source":"news","score":0.5}}"#,
        "\r\n\r\n",
        r#"{"text":"No spans key at all","meta":{"id":42,"title":"Numbered"}}"#,
    );
    let documents = jsonl::import(input, NOW).unwrap();
    assert_eq!(documents.len(), 2);
    let first = &documents[0];
    assert_eq!(
        first.title, "Apple pie in Berlin",
        "title defaults to the first line"
    );
    assert!(
        first.id.as_str().starts_with("doc-"),
        "a stable id is derived"
    );
    let spans: Vec<(&str, &str)> = first
        .annotations()
        .iter()
        .map(|a| (first.text().slice(a.range).unwrap(), a.label.as_str()))
        .collect();
    assert_eq!(spans, [("Apple", "ORG"), ("Berlin", "GPE")]);
    assert_eq!(documents[1].id.as_str(), "42");
    assert_eq!(documents[1].title, "Numbered");
    assert!(documents[1].annotations().is_empty());
}

#[test]
fn crlf_inside_the_text_is_normalised_and_offsets_follow() {
    let input =
        r#"{"text":"one\r\ntwo","spans":[{"start":5,"end":8,"label":"quote","text":"two"}]}"#;
    let documents = jsonl::import(input, NOW).unwrap();
    assert_eq!(documents[0].text().as_str(), "one\ntwo");
    assert_eq!(
        documents[0].annotations()[0].range,
        CharRange::from_raw(4, 7).unwrap()
    );
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let documents = jsonl::import(&format!("\u{feff}{}", source_export()), NOW).unwrap();
    assert_eq!(documents.len(), 3);
}

#[test]
fn detection_knows_jsonl_and_nothing_else() {
    assert!(jsonl::looks_like(&source_export()));
    assert!(jsonl::looks_like(&format!("\n\n{}", source_export())));
    let source = source_documents();
    let refs: Vec<&Document> = source.iter().collect();
    assert!(!jsonl::looks_like(&native::export(
        refs.iter().copied(),
        &annotator_core::model::Schema::default()
    )));
    for unit in [OffsetUnit::CodePoint, OffsetUnit::Utf16] {
        assert!(!jsonl::looks_like(&doccano::export(&refs, unit)));
    }
    assert!(!jsonl::looks_like(
        r#"[{"data":{"text":"x"},"annotations":[]}]"#
    ));
    assert!(!jsonl::looks_like(
        r#"{"@context":"http://www.w3.org/ns/anno.jsonld","type":"AnnotationCollection"}"#
    ));
    assert!(!jsonl::looks_like(""));
    assert!(!jsonl::looks_like("text,spans\n"));
}

// ---------------------------------------------------------------------------------------------
// Errors: one per kind, each naming its record.
// ---------------------------------------------------------------------------------------------

/// A valid first line and a blank one, so record numbers are seen to count real lines.
const GOOD: &str = "{\"text\":\"fine\",\"spans\":[]}\n\n";

#[test]
fn an_offset_past_the_end_names_line_and_span() {
    let error = import_error(&format!(
        "{GOOD}{}",
        r#"{"text":"abc","spans":[{"start":0,"end":1,"label":"quote"},{"start":1,"end":9,"label":"quote"}]}"#
    ));
    assert_eq!(error.record, "line 3, span 2");
    assert_eq!(
        error.problem,
        Problem::PastEnd {
            start: 1,
            end: 9,
            len: 3,
            unit: OffsetUnit::CodePoint
        }
    );
    assert!(error.to_string().starts_with("line 3, span 2: "), "{error}");
}

#[test]
fn start_not_before_end_names_line_and_span() {
    let error = import_error(&format!(
        "{GOOD}{}",
        r#"{"text":"abc","spans":[{"start":2,"end":2,"label":"claim"}]}"#
    ));
    assert_eq!(error.record, "line 3, span 1");
    assert_eq!(
        error.problem,
        Problem::StartNotBeforeEnd { start: 2, end: 2 }
    );
}

#[test]
fn quoted_text_that_disagrees_names_line_and_span() {
    // Offsets counted in UTF-16 (as JavaScript would) land one code point late after the emoji.
    let error = import_error(
        r#"{"text":"😀 Berlin.","spans":[{"start":3,"end":9,"label":"GPE","text":"Berlin"}]}"#,
    );
    assert_eq!(error.record, "line 1, span 1");
    assert!(
        matches!(&error.problem, Problem::TextMismatch { expected, found, .. }
            if expected == "Berlin" && found == "erlin."),
        "{error}"
    );
}

#[test]
fn an_unusable_label_names_line_and_span() {
    let error = import_error(
        r#"{"text":"abc","spans":[{"start":0,"end":1,"label":"quote"},{"start":0,"end":1,"label":" ORG"}]}"#,
    );
    assert_eq!(error.record, "line 1, span 2");
    assert!(matches!(error.problem, Problem::Label(_)), "{error}");
    let error = import_error(r#"{"text":"abc","spans":[{"start":0,"end":1,"label":""}]}"#);
    assert!(matches!(error.problem, Problem::Label(_)), "{error}");
}

#[test]
fn a_duplicate_span_names_line_and_span() {
    let error = import_error(
        r#"{"text":"abc","spans":[{"start":0,"end":1,"label":"PER"},{"start":0,"end":1,"label":"PER"}]}"#,
    );
    assert_eq!(error.record, "line 1, span 2");
    assert!(matches!(error.problem, Problem::DuplicateSpan { .. }));
}

#[test]
fn unknown_shapes_name_their_record() {
    let cases = [
        ("[1,2]", "line 1", "expected a JSON object, found an array"),
        (r#"{"spans":[]}"#, "line 1", "no \"text\""),
        (r#"{"text":7}"#, "line 1", "\"text\" must be a string"),
        (
            r#"{"text":"a","spans":{}}"#,
            "line 1",
            "\"spans\" must be a list",
        ),
        (
            r#"{"text":"a","meta":"x"}"#,
            "line 1",
            "\"meta\" must be an object",
        ),
        (r#"{"text":"a","meta":{"id":[1]}}"#, "line 1", "\"meta.id\""),
        (
            r#"{"text":"a","meta":{"title":1}}"#,
            "line 1",
            "\"meta.title\"",
        ),
        (
            r#"{"text":"a","spans":[[0,1,"x"]]}"#,
            "line 1, span 1",
            "must be an object",
        ),
        (
            r#"{"text":"a","spans":[{"end":1,"label":"x"}]}"#,
            "line 1, span 1",
            "no \"start\"",
        ),
        (
            r#"{"text":"a","spans":[{"start":-1,"end":1,"label":"x"}]}"#,
            "line 1, span 1",
            "from 0 up, found -1",
        ),
        (
            r#"{"text":"a","spans":[{"start":0.5,"end":1,"label":"x"}]}"#,
            "line 1, span 1",
            "found 0.5",
        ),
        (
            r#"{"text":"a","spans":[{"start":"0","end":1,"label":"x"}]}"#,
            "line 1, span 1",
            "found a string",
        ),
        (
            r#"{"text":"a","spans":[{"start":0,"end":1}]}"#,
            "line 1, span 1",
            "no \"label\"",
        ),
        (
            r#"{"text":"a","spans":[{"start":0,"end":1,"label":5}]}"#,
            "line 1, span 1",
            "\"label\" must be a string",
        ),
        (
            r#"{"text":"a","spans":[{"start":0,"end":1,"label":"x","text":1}]}"#,
            "line 1, span 1",
            "\"text\" must be a string",
        ),
    ];
    support::assert_shape_errors_after(GOOD, &cases, import_error);
}

#[test]
fn broken_json_names_its_line_and_column_not_line_one() {
    let error = import_error(&format!("{GOOD}{{\"text\": \"unterminated"));
    assert_eq!(error.record, "line 3");
    let Problem::Json(message) = &error.problem else {
        panic!("{error}");
    };
    assert!(message.contains("at column"), "{message}");
    assert!(!message.contains("line 1"), "{message}");
}

#[test]
fn a_file_without_documents_is_refused() {
    for input in ["", "\n  \n\t\n", "\u{feff}"] {
        let error = import_error(input);
        assert_eq!(error.record, "the file");
    }
}

// ---------------------------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------------------------

/// What is tricky in JSONL beyond the shared pieces: a slash, DEL, and a text that is JSON.
const JSONL_PIECES: &[&str] = &["/", "\u{7f}", "{\"spans\":[]}"];

/// A document made of tricky text with random spans (built-in and custom labels).
fn any_document() -> impl Strategy<Value = Document> {
    support::any_document(&[], &[], JSONL_PIECES)
}

/// Inputs near the format: lines built from JSONL fragments with odd numbers and values.
fn jsonl_like_input() -> impl Strategy<Value = String> {
    let number = prop_oneof![
        (0u64..40).prop_map(|n| n.to_string()),
        Just("-1".to_owned()),
        Just("1e3".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("null".to_owned()),
    ];
    let text = prop_oneof![
        prop::sample::select(support::pieces(JSONL_PIECES))
            .prop_map(|p| serde_json::to_string(p).unwrap()),
        Just("\"😀a\\r\\nb\"".to_owned()),
        Just("5".to_owned()),
    ];
    let span = (
        number.clone(),
        number,
        prop::sample::select(support::LABELS),
        any::<bool>(),
    )
        .prop_map(|(start, end, label, quoted)| {
            let label = serde_json::to_string(label).unwrap();
            let quoted = if quoted { ",\"text\":\"a\"" } else { "" };
            format!("{{\"start\":{start},\"end\":{end},\"label\":{label}{quoted}}}")
        });
    let line = (text, prop::collection::vec(span, 0..4))
        .prop_map(|(text, spans)| format!("{{\"text\":{text},\"spans\":[{}]}}", spans.join(",")));
    prop::collection::vec(line, 0..4).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #[test]
    fn import_of_export_keeps_what_the_format_carries(
        documents in prop::collection::vec(any_document(), 1..4),
    ) {
        let refs: Vec<&Document> = documents.iter().collect();
        let exported = jsonl::export(&refs);
        prop_assert!(jsonl::looks_like(&exported));
        prop_assert!(!doccano::looks_like(&exported));
        prop_assert_eq!(exported.lines().count(), documents.len());
        for line in exported.lines() {
            let value: Value = serde_json::from_str(line).unwrap();
            prop_assert_eq!(canonical(&value), line);
        }
        let imported = jsonl::import(&exported, NOW).unwrap();
        prop_assert_eq!(imported.len(), documents.len());
        for (back, original) in imported.iter().zip(&documents) {
            prop_assert_eq!(carried(back), carried(original));
            prop_assert!(back.check_invariants().is_ok());
        }
    }

    #[test]
    fn import_never_panics_on_arbitrary_text(input in any::<String>()) {
        let _ = jsonl::import(&input, NOW);
        let _ = jsonl::looks_like(&input);
    }

    #[test]
    fn import_never_panics_on_near_jsonl(input in jsonl_like_input()) {
        if let Ok(documents) = jsonl::import(&input, NOW) {
            for document in documents {
                prop_assert!(document.check_invariants().is_ok());
            }
        }
    }

    #[test]
    fn import_never_panics_on_a_damaged_export(cut in any::<Index>(), junk in any::<String>()) {
        let exported = source_export();
        let boundaries: Vec<usize> = exported.char_indices().map(|(b, _)| b).collect();
        let at = boundaries[cut.index(boundaries.len())];
        let damaged = format!("{}{junk}{}", &exported[..at], &exported[at..]);
        let _ = jsonl::import(&damaged, NOW);
        let _ = jsonl::import(&exported[..at], NOW);
    }
}
