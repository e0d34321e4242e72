#![cfg(not(target_arch = "wasm32"))]
//! The JSONL (spaCy / Prodigy style) export and import of `src/export/jsonl.rs`.
//!
//! Why: this is the file people load with Hugging Face `datasets` and slice in Python, so its exact
//! bytes are pinned by a golden file produced from the shared format fixture, every line must have
//! the same keys in the same order with the same types, and every span's `text` must be
//! `text[start:end]` in code points. Import must give back what export wrote (id, title, text,
//! note, spans with their attribute values, notes and authors, relations; not annotation ids or
//! times), read Prodigy's lines (whose relation `head` / `child` count tokens), and turn every
//! broken input into an error naming its line, span or relation, never a panic.

#[path = "support/formats.rs"]
mod support;

use annotator_core::formats::dataset::{ImportError, OffsetUnit, Problem};
use annotator_core::formats::{doccano, jsonl, native};
use annotator_core::model::{CharRange, Document};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;
use support::{carried_authors, carried_span_set as carried, source_documents, NOW};

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
/// the line has exactly these keys, in this order, with these types (the optional `attributes`,
/// `note`, `made_by`, `changed_by` and `meta.annotators` keys only where they have something to
/// hold, `meta.annotators` naming exactly the spans' authors, sorted).
fn canonical(line: &Value) -> String {
    let s = |v: &Value| serde_json::to_string(v).unwrap();
    let mut names = std::collections::BTreeSet::new();
    let mut optional_name = |object: &Value, key: &str| match object.get(key) {
        None => String::new(),
        Some(name) => {
            let name = name.as_str().expect("a name is a string");
            assert_eq!(name.trim(), name);
            assert!(!name.is_empty());
            names.insert(name.to_owned());
            format!(",\"{key}\":{}", s(&Value::from(name)))
        }
    };
    let optional_note = |object: &Value| match object.get("note") {
        None => String::new(),
        Some(note) => {
            assert!(note.is_string() && !note.as_str().unwrap().trim().is_empty());
            format!(",\"note\":{}", s(note))
        }
    };
    let span_copy = |span: &Value| {
        assert!(span["start"].is_u64() && span["end"].is_u64() && span["label"].is_string());
        format!(
            "{{\"start\":{},\"end\":{},\"label\":{}}}",
            s(&span["start"]),
            s(&span["end"]),
            s(&span["label"])
        )
    };
    let spans: Vec<String> = line["spans"]
        .as_array()
        .expect("spans is always a list")
        .iter()
        .map(|span| {
            assert!(span["start"].is_u64() && span["end"].is_u64());
            assert!(span["label"].is_string() && span["text"].is_string());
            let attributes = match span.get("attributes") {
                None => String::new(),
                Some(attributes) => {
                    let attributes = attributes.as_object().expect("attributes is an object");
                    assert!(!attributes.is_empty());
                    let mut names: Vec<&String> = attributes.keys().collect();
                    names.sort();
                    let pairs: Vec<String> = names
                        .into_iter()
                        .map(|name| {
                            assert!(attributes[name].is_string());
                            format!(
                                "{}:{}",
                                s(&Value::from(name.as_str())),
                                s(&attributes[name])
                            )
                        })
                        .collect();
                    format!(",\"attributes\":{{{}}}", pairs.join(","))
                }
            };
            format!(
                "{{\"start\":{},\"end\":{},\"label\":{},\"text\":{}{attributes}{}{}{}}}",
                s(&span["start"]),
                s(&span["end"]),
                s(&span["label"]),
                s(&span["text"]),
                optional_note(span),
                optional_name(span, "made_by"),
                optional_name(span, "changed_by"),
            )
        })
        .collect();
    let relations: Vec<String> = line["relations"]
        .as_array()
        .expect("relations is always a list")
        .iter()
        .map(|relation| {
            assert!(relation["head"].is_u64() && relation["child"].is_u64());
            assert!(relation["label"].is_string());
            format!(
                "{{\"head\":{},\"child\":{},\"label\":{},\"head_span\":{},\"child_span\":{}}}",
                s(&relation["head"]),
                s(&relation["child"]),
                s(&relation["label"]),
                span_copy(&relation["head_span"]),
                span_copy(&relation["child_span"]),
            )
        })
        .collect();
    assert!(line["text"].is_string());
    assert!(line["meta"]["id"].is_string() && line["meta"]["title"].is_string());
    let annotators = if names.is_empty() {
        String::new()
    } else {
        let names: Vec<Value> = names.into_iter().map(Value::from).collect();
        format!(",\"annotators\":{}", s(&Value::from(names)))
    };
    format!(
        "{{\"text\":{},\"meta\":{{\"id\":{},\"title\":{}{annotators}}},\"spans\":[{}],\"relations\":[{}]{}}}",
        s(&line["text"]),
        s(&line["meta"]["id"]),
        s(&line["meta"]["title"]),
        spans.join(","),
        relations.join(","),
        optional_note(line),
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

/// Prodigy's relation shape with span indices: `spans[head]` and `spans[child]` are the spans
/// `head_span` and `child_span` repeat, in the order the model links them (head = from).
#[test]
fn relations_name_their_spans_by_index_and_by_copy() {
    let source = source_documents();
    let mut checked = 0;
    for (line, document) in source_export().lines().zip(&source) {
        let value: Value = serde_json::from_str(line).unwrap();
        let spans = value["spans"].as_array().unwrap();
        let relations = value["relations"].as_array().unwrap();
        assert_eq!(relations.len(), document.relations().len());
        let mut from_file = Vec::new();
        for relation in relations {
            let head = &spans[relation["head"].as_u64().unwrap() as usize];
            let child = &spans[relation["child"].as_u64().unwrap() as usize];
            for (span, copy) in [
                (head, &relation["head_span"]),
                (child, &relation["child_span"]),
            ] {
                assert_eq!(
                    (&span["start"], &span["end"], &span["label"]),
                    (&copy["start"], &copy["end"], &copy["label"])
                );
            }
            from_file.push((
                head["text"].as_str().unwrap().to_owned(),
                relation["label"].as_str().unwrap().to_owned(),
                child["text"].as_str().unwrap().to_owned(),
            ));
            checked += 1;
        }
        let mut from_model: Vec<(String, String, String)> = document
            .relations()
            .iter()
            .map(|r| {
                let quoted = |id| {
                    let a = document.annotation(id).unwrap();
                    document.text().slice(a.range).unwrap().to_owned()
                };
                (quoted(&r.from), r.kind.to_string(), quoted(&r.to))
            })
            .collect();
        from_model.sort();
        from_file.sort();
        assert_eq!(from_file, from_model);
    }
    assert_eq!(checked, 5 + 3);
    // The relations are listed by head, then child.
    let first: Value = serde_json::from_str(source_export().lines().next().unwrap()).unwrap();
    let order: Vec<(u64, u64)> = first["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["head"].as_u64().unwrap(), r["child"].as_u64().unwrap()))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[test]
fn attribute_values_and_notes_are_written_only_where_there_are_some() {
    let exported = source_export();
    let lines: Vec<Value> = exported
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(
        lines[0]["note"],
        "Article note: emoji 😀, RTL שלום, CRLF-free."
    );
    assert!(lines[1].get("note").is_none() && lines[2].get("note").is_none());
    assert_eq!(lines[1]["relations"], Value::Array(vec![]));
    let quote = &lines[0]["spans"][1];
    assert_eq!(quote["attributes"], serde_json::json!({"type": "direct"}));
    assert_eq!(
        quote["note"],
        "Quoted in 北京 — check the 👩‍👩‍👧‍👦 source.\nSecond line, \"quoted\", tab\there."
    );
    let bare = &lines[0]["spans"][3];
    assert!(bare.get("attributes").is_none() && bare.get("note").is_none());
    // A name and a value the default schema lacks are written as they are.
    let merkel = &lines[2]["spans"][0];
    assert_eq!(merkel["attributes"]["wikipedia"], "Angela Merkel");
    assert_eq!(lines[2]["spans"][2]["attributes"]["kind"], "city");
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
        assert_eq!(carried_authors(back), carried_authors(original));
        assert!(back.same_content(original), "{}", original.id);
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

/// The relations of `document`, each end named by its quoted text and label: what a round trip
/// must keep, whatever the annotation ids.
fn relations_by_span(document: &Document) -> Vec<(String, String, String, String, String)> {
    let end = |id| {
        let a = document.annotation(id).unwrap();
        (
            document.text().slice(a.range).unwrap().to_owned(),
            a.label.to_string(),
        )
    };
    let mut relations: Vec<_> = document
        .relations()
        .iter()
        .map(|r| {
            let ((from, from_label), (to, to_label)) = (end(&r.from), end(&r.to));
            (from, from_label, r.kind.to_string(), to, to_label)
        })
        .collect();
    relations.sort();
    relations
}

/// Each span with its attribute values and note, by offsets and label.
type SpanDetails = (usize, usize, String, Vec<(String, String)>, Option<String>);
fn details_by_span(document: &Document) -> Vec<SpanDetails> {
    let mut details: Vec<_> = document
        .annotations()
        .iter()
        .map(|a| {
            (
                a.range.start().get(),
                a.range.end().get(),
                a.label.to_string(),
                a.attributes
                    .iter()
                    .map(|(n, v)| (n.to_owned(), v.to_owned()))
                    .collect(),
                a.note.as_deref().map(str::to_owned),
            )
        })
        .collect();
    details.sort();
    details
}

#[test]
fn relations_attribute_values_and_notes_come_back_exactly() {
    let source = source_documents();
    let imported = jsonl::import(&source_export(), NOW).unwrap();
    for (back, original) in imported.iter().zip(&source) {
        assert_eq!(relations_by_span(back), relations_by_span(original));
        assert_eq!(details_by_span(back), details_by_span(original));
        assert_eq!(back.note, original.note);
        assert!(back.same_content(original), "{}", original.id);
    }
    // The unknown type, the unknown attribute name and the unknown value are all there.
    let custom = &imported[2];
    assert!(custom
        .relations()
        .iter()
        .any(|r| r.kind.as_str() == "located_in"));
    let merkel = &custom.annotations()[0];
    assert_eq!(merkel.attributes.get("wikipedia"), Some("Angela Merkel"));
    assert_eq!(custom.annotations()[2].attributes.get("kind"), Some("city"));
    // Exporting the import gives the same bytes.
    assert_eq!(jsonl::export(&support::refs(&imported)), source_export());
}

#[test]
fn relation_ends_are_found_by_span_copy_alone_and_on_prodigy_lines_by_copy_only() {
    // No indices: the copies name the spans (the label picks one of two spans on one range).
    let by_copy = concat!(
        r#"{"text":"Olaf said: hi","spans":[{"start":0,"end":4,"label":"entity"},"#,
        r#"{"start":0,"end":4,"label":"PERSON"},{"start":11,"end":13,"label":"quote"}],"#,
        r#""relations":[{"label":"said_by","head_span":{"start":11,"end":13},"#,
        r#""child_span":{"start":0,"end":4,"label":"PERSON"}}]}"#,
    );
    let document = &jsonl::import(by_copy, NOW).unwrap()[0];
    assert_eq!(
        relations_by_span(document),
        [(
            "hi".into(),
            "quote".into(),
            "said_by".into(),
            "Olaf".into(),
            "PERSON".into()
        )]
    );
    // Prodigy's relation recipe: head and child are token indices (3 and 0 here), which would
    // be out of range (or the wrong spans) as span indices; the copies are what count.
    let prodigy = concat!(
        r#"{"text":"Olaf said : hi","tokens":[{"text":"Olaf","start":0,"end":4,"id":0},"#,
        r#"{"text":"said","start":5,"end":9,"id":1},{"text":":","start":10,"end":11,"id":2},"#,
        r#"{"text":"hi","start":12,"end":14,"id":3}],"#,
        r#""spans":[{"start":0,"end":4,"token_start":0,"token_end":0,"label":"PERSON"},"#,
        r#"{"start":12,"end":14,"token_start":3,"token_end":3,"label":"quote"}],"#,
        r#""relations":[{"head":3,"child":0,"head_span":{"start":12,"end":14,"token_start":3,"token_end":3,"label":"quote"},"#,
        r#""child_span":{"start":0,"end":4,"token_start":0,"token_end":0,"label":"PERSON"},"label":"said_by"}],"#,
        r#""answer":"accept"}"#,
    );
    let document = &jsonl::import(prodigy, NOW).unwrap()[0];
    assert_eq!(
        relations_by_span(document),
        [(
            "hi".into(),
            "quote".into(),
            "said_by".into(),
            "Olaf".into(),
            "PERSON".into()
        )]
    );
}

#[test]
fn offsets_in_relations_and_notes_survive_crlf_and_emoji() {
    let input = concat!(
        r#"{"text":"😀 A\r\nB 👩‍👩‍👧‍👦","spans":[{"start":2,"end":3,"label":"quote","note":"n\r\n2"},"#,
        r#"{"start":5,"end":6,"label":"entity","attributes":{"kind":"other","id":null}}],"#,
        r#""relations":[{"head":0,"child":1,"label":"said_by"}],"note":" kept \t as is "}"#,
    );
    let document = &jsonl::import(input, NOW).unwrap()[0];
    assert_eq!(document.text().as_str(), "😀 A\nB 👩‍👩‍👧‍👦");
    assert_eq!(
        relations_by_span(document),
        [(
            "A".into(),
            "quote".into(),
            "said_by".into(),
            "B".into(),
            "entity".into()
        )]
    );
    assert_eq!(document.annotations()[0].note.as_deref(), Some("n\r\n2"));
    assert_eq!(
        document.annotations()[1].attributes.get("kind"),
        Some("other")
    );
    assert_eq!(
        document.annotations()[1].attributes.len(),
        1,
        "null is no value"
    );
    assert_eq!(document.note.as_deref(), Some(" kept \t as is "));
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
fn a_span_given_twice_is_imported_once() {
    let documents = jsonl::import(
        r#"{"text":"abc","spans":[{"start":0,"end":1,"label":"PER"},{"start":0,"end":1,"label":"PER"}]}"#,
        NOW,
    )
    .unwrap();
    assert_eq!(documents[0].annotations().len(), 1);
}

/// Two spans on line 3 (after [`GOOD`]), then `relations`.
fn with_relations(relations: &str) -> String {
    format!(
        "{GOOD}{{\"text\":\"ab\",\"spans\":[{{\"start\":0,\"end\":1,\"label\":\"quote\"}},\
         {{\"start\":1,\"end\":2,\"label\":\"entity\"}}],\"relations\":[{relations}]}}"
    )
}

#[test]
fn a_relation_naming_a_span_out_of_range_names_line_and_relation() {
    let good = r#"{"head":0,"child":1,"label":"said_by"}"#;
    for (bad, needle) in [
        (
            r#"{"head":0,"child":2,"label":"said_by"}"#,
            "\"child\" is span index 2, but the line has 2 spans",
        ),
        (
            r#"{"head":7,"child":1,"label":"said_by"}"#,
            "\"head\" is span index 7",
        ),
    ] {
        let error = import_error(&with_relations(&format!("{good},{bad}")));
        assert_eq!(error.record, "line 3, relation 2", "{error}");
        assert!(matches!(error.problem, Problem::Shape(_)), "{error}");
        assert!(error.to_string().contains(needle), "{error}");
    }
}

#[test]
fn bad_relations_name_line_and_relation() {
    let cases = [
        (
            r#"{"child":1,"label":"x"}"#,
            "no \"head\" (a span index) and no \"head_span\"",
        ),
        (r#"{"head":0,"child":1}"#, "no \"label\""),
        (
            r#"{"head":0,"child":1,"label":3}"#,
            "\"label\" must be a string",
        ),
        (
            r#"{"head":-1,"child":1,"label":"x"}"#,
            "from 0 up, found -1",
        ),
        (
            r#"{"head":"0","child":1,"label":"x"}"#,
            "\"head\" must be a whole number",
        ),
        (r#"[0,1,"x"]"#, "a relation must be an object"),
        (
            r#"{"head":0,"child":1,"label":"x","child_span":{"start":0,"end":1}}"#,
            "\"child\" is span index 1, but \"child_span\" is span index 0",
        ),
        (
            r#"{"head_span":{"start":0,"end":2},"child":1,"label":"x"}"#,
            "\"head_span\" 0..2 is not one of the line's spans",
        ),
        (
            r#"{"head_span":{"start":0,"end":1,"label":"entity"},"child":1,"label":"x"}"#,
            "\"head_span\" 0..1 \"entity\" is not one of the line's spans",
        ),
        (
            r#"{"head_span":[0,1],"child":1,"label":"x"}"#,
            "\"head_span\" must be an object",
        ),
        (
            r#"{"head_span":{"end":1},"child":1,"label":"x"}"#,
            "no \"head_span.start\" offset",
        ),
    ];
    for (bad, needle) in cases {
        let error = import_error(&with_relations(bad));
        assert_eq!(error.record, "line 3, relation 1", "{bad}: {error}");
        assert!(matches!(error.problem, Problem::Shape(_)), "{bad}: {error}");
        assert!(error.to_string().contains(needle), "{bad}: {error}");
    }
    // Two spans on one range: a copy without a label cannot tell them apart.
    let error = import_error(
        r#"{"text":"ab","spans":[{"start":0,"end":1,"label":"q"},{"start":0,"end":1,"label":"e"}],"relations":[{"head":0,"child_span":{"start":0,"end":1},"label":"x"}]}"#,
    );
    assert_eq!(error.record, "line 1, relation 1");
    assert!(
        error.to_string().contains("matches several spans"),
        "{error}"
    );
    // An unusable type is a label error; a relation from a span to itself a document error.
    let error = import_error(&with_relations(r#"{"head":0,"child":1,"label":" x"}"#));
    assert_eq!(error.record, "line 3, relation 1");
    assert!(matches!(error.problem, Problem::Label(_)), "{error}");
    let error = import_error(&with_relations(r#"{"head":1,"child":1,"label":"x"}"#));
    assert_eq!(error.record, "line 3");
    assert!(matches!(error.problem, Problem::Document(_)), "{error}");
    let error = import_error(&format!("{GOOD}{}", r#"{"text":"a","relations":{}}"#));
    assert_eq!(error.record, "line 3");
    assert!(
        error.to_string().contains("\"relations\" must be a list"),
        "{error}"
    );
}

#[test]
fn bad_attribute_values_and_notes_name_their_record() {
    let span = |extra: &str| {
        format!(r#"{{"text":"ab","spans":[{{"start":0,"end":1,"label":"quote"{extra}}}]}}"#)
    };
    let cases = [
        (
            span(r#","attributes":["type"]"#),
            "line 1, span 1",
            "\"attributes\" must be an object",
        ),
        (
            span(r#","attributes":{"type":1}"#),
            "line 1, span 1",
            "attribute \"type\" must be a string",
        ),
        (
            span(r#","note":5"#),
            "line 1, span 1",
            "\"note\" must be a string",
        ),
        (
            r#"{"text":"ab","note":["x"]}"#.to_owned(),
            "line 1",
            "\"note\" must be a string",
        ),
    ];
    for (input, record, needle) in &cases {
        let error = import_error(input);
        assert_eq!(&error.record, record, "{input}: {error}");
        assert!(
            matches!(error.problem, Problem::Shape(_)),
            "{input}: {error}"
        );
        assert!(error.to_string().contains(needle), "{input}: {error}");
    }
    // Names and values the model refuses (empty, surrounding blanks) are named by their span.
    for attributes in [r#"{"":"x"}"#, r#"{"type":" direct"}"#, r#"{"type":""}"#] {
        let error = import_error(&span(&format!(",\"attributes\":{attributes}")));
        assert_eq!(error.record, "line 1, span 1", "{error}");
        assert!(matches!(error.problem, Problem::Invalid(_)), "{error}");
    }
    let long = "x".repeat(annotator_core::model::attributes::MAX_NOTE_CHARS + 1);
    let error = import_error(&format!(r#"{{"text":"ab","note":"{long}"}}"#));
    assert_eq!(error.record, "line 1");
    assert!(matches!(error.problem, Problem::Document(_)), "{error}");
}

#[test]
fn authors_are_written_per_span_and_listed_in_meta() {
    let exported = source_export();
    let lines: Vec<Value> = exported
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let span = &lines[0]["spans"][1];
    assert_eq!(span["label"], "quote");
    assert_eq!(
        (&span["made_by"], &span["changed_by"]),
        (&Value::from("ann"), &Value::from("李小龍"))
    );
    let only_changed = lines[0]["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s.get("made_by").is_none() && s.get("changed_by").is_some())
        .expect("a span with a changer and no known maker");
    assert_eq!(only_changed["changed_by"], "ann");
    assert_eq!(
        lines[0]["meta"]["annotators"],
        serde_json::json!(["ann", "李小龍", "👩🏽‍💻 Zoë"])
    );
    assert_eq!(lines[1]["meta"].get("annotators"), None, "no spans, nobody");
    assert_eq!(
        lines[2]["meta"]["annotators"],
        serde_json::json!(["Dana Ruiz", "ann"])
    );
}

#[test]
fn bad_annotator_names_name_their_span() {
    let span = |extra: &str| {
        format!(r#"{{"text":"ab","spans":[{{"start":0,"end":1,"label":"quote"{extra}}}]}}"#)
    };
    let too_long = format!(r#","made_by":"{}""#, "x".repeat(65));
    let cases = [
        (span(r#","made_by":5"#), "\"made_by\" must be a string"),
        (
            span(r#","changed_by":["ann"]"#),
            "\"changed_by\" must be a string",
        ),
        (
            span(r#","made_by":"  ""#),
            "\"made_by\": an annotator name cannot be empty",
        ),
        (
            span(r#","changed_by":"a\nb""#),
            "\"changed_by\": an annotator name is one line",
        ),
        (span(&too_long), "at most 64 characters"),
        (span(r#","made_by":"ann, bob""#), "cannot contain a comma"),
    ];
    for (input, needle) in &cases {
        let error = import_error(input);
        assert_eq!(error.record, "line 1, span 1", "{input}: {error}");
        assert!(error.to_string().contains(needle), "{input}: {error}");
    }
    // Surrounding blanks are trimmed, as a typed name is; `null` and `meta.annotators` say nothing.
    let read = jsonl::import(
        &format!(
            "{}\n",
            r#"{"text":"ab","meta":{"annotators":[1]},"spans":[{"start":0,"end":1,"label":"quote","made_by":" 李 ","changed_by":null}]}"#
        ),
        NOW,
    )
    .unwrap();
    assert_eq!(
        carried_authors(&read[0]),
        [(0, 1, "quote".to_owned(), Some("李".to_owned()), None)]
    );
}

#[test]
fn spans_two_annotators_share_are_imported_once_naming_both() {
    let line = r#"{"text":"Ada met Bob","spans":[{"start":0,"end":3,"label":"entity","made_by":"ann"},{"start":0,"end":3,"label":"entity","made_by":"bob"},{"start":8,"end":11,"label":"entity","made_by":"bob"}]}"#;
    let documents = jsonl::import(line, NOW).unwrap();
    let [ada, bob] = documents[0].annotations() else {
        panic!("two spans");
    };
    assert_eq!(ada.attributes.get("annotators"), Some("ann, bob"));
    assert_eq!(ada.authors.made_by.as_ref().unwrap().as_str(), "ann");
    assert_eq!(
        bob.attributes.get("annotators"),
        None,
        "one annotator alone"
    );
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
    let Problem::Json { line: None, .. } = &error.problem else {
        panic!("{error}");
    };
    let message = error.problem.to_string();
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

/// A document made of tricky text with random spans (built-in and custom labels), attribute
/// values, notes, relations and authors.
fn any_document() -> impl Strategy<Value = Document> {
    (
        support::any_document(&[], &[], JSONL_PIECES),
        support::details(8),
        prop::collection::vec(support::any_authors(), 0..6),
    )
        .prop_map(|(document, details, authors)| {
            support::with_authors(support::with_details(document, details), &authors)
        })
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
            prop_assert_eq!(relations_by_span(back), relations_by_span(original));
            prop_assert_eq!(details_by_span(back), details_by_span(original));
            prop_assert_eq!(carried_authors(back), carried_authors(original));
            prop_assert_eq!(&back.note, &original.note);
            prop_assert!(back.same_content(original));
            prop_assert!(back.check_invariants().is_ok());
        }
        prop_assert_eq!(jsonl::export(&support::refs(&imported)), exported);
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
