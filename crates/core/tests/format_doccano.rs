#![cfg(not(target_arch = "wasm32"))]
//! The doccano JSONL export and import of `src/export/doccano.rs`, in both offset units.
//!
//! Why: doccano files do not say what their offsets count, and the two choices (code points,
//! UTF-16 units) only differ after an emoji, so a mix-up silently shifts spans. Golden files pin
//! both exports of the shared format fixture (and that the UTF-16 one is named as such), the
//! unit guess is checked on files where the answer is known, import must give back what export
//! wrote in either unit (relations, attribute values and notes too), read doccano's own variants
//! (both of its shapes: `label` triples, and `entities` / `relations` with database ids), and
//! turn every broken input into an error naming its line, span or relation, never a panic.

#[path = "support/formats.rs"]
mod support;

use annotator_core::formats::dataset::{ImportError, OffsetUnit, Problem};
use annotator_core::formats::{doccano, jsonl, native};
use annotator_core::model::{Annotation, Document};
use proptest::prelude::*;
use serde_json::Value;
use support::{carried_span_set as carried, source_documents, NOW, PIECES};

const UNITS: [OffsetUnit; 2] = [OffsetUnit::CodePoint, OffsetUnit::Utf16];

fn source_export(unit: OffsetUnit) -> String {
    doccano::export(&support::refs(&source_documents()), unit)
}

fn import_error(input: &str, unit: OffsetUnit) -> ImportError {
    doccano::import(input, unit, NOW).expect_err("the input should be refused")
}

fn spans_of(document: &Document) -> Vec<(&str, &str)> {
    document
        .annotations()
        .iter()
        .map(|a| (document.text().slice(a.range).unwrap(), a.label.as_str()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Export: golden files, file names, offsets.
// ---------------------------------------------------------------------------------------------

/// Set `UPDATE_GOLDEN=1` to rewrite the golden files (see `support::assert_golden`).
#[test]
fn export_matches_the_golden_files_byte_for_byte() {
    for unit in UNITS {
        let relative = format!("doccano/source{}", doccano::file_suffix(unit));
        support::assert_golden(&source_export(unit), &relative);
    }
}

#[test]
fn the_file_name_states_the_unit_when_it_is_utf16() {
    assert_eq!(
        doccano::file_suffix(OffsetUnit::CodePoint),
        ".doccano.jsonl"
    );
    assert_eq!(
        doccano::file_suffix(OffsetUnit::Utf16),
        ".doccano-utf16.jsonl"
    );
}

/// Slices `text` by offsets counted in `unit`, the way Python (code points) or JavaScript
/// (UTF-16) would.
fn slice_in(text: &str, unit: OffsetUnit, start: usize, end: usize) -> String {
    match unit {
        OffsetUnit::CodePoint => text.chars().skip(start).take(end - start).collect(),
        OffsetUnit::Utf16 => {
            let units: Vec<u16> = text.encode_utf16().collect();
            String::from_utf16(&units[start..end]).unwrap()
        }
    }
}

/// The keys of a parsed line, in the file's order (the crate builds serde_json with
/// `preserve_order`).
fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

/// `document` without relations, attribute values and span notes (its article note kept): what
/// a plain sequence labeling file holds.
fn without_details(document: &Document) -> Document {
    let bare = Document::new(
        document.id.clone(),
        document.title.clone(),
        document.text().clone(),
        document.created,
    );
    let annotations = document
        .annotations()
        .iter()
        .map(|a| Annotation::new(a.id.clone(), a.label.clone(), a.range))
        .collect();
    Document::from_parts(bare, annotations, 1)
        .unwrap()
        .with_note(document.note.as_deref())
        .unwrap()
}

#[test]
fn a_file_with_relations_or_details_has_entities_and_relations_with_offsets_in_the_unit() {
    let source = source_documents();
    for unit in UNITS {
        let exported = source_export(unit);
        assert!(exported.ends_with('\n'));
        let lines: Vec<&str> = exported.split_terminator('\n').collect();
        assert_eq!(lines.len(), source.len());
        for (line, document) in lines.iter().zip(&source) {
            assert!(line.starts_with("{\"text\":"), "{line}");
            let value: Value = serde_json::from_str(line).unwrap();
            // Every line is in the relation shape, the plain document's too.
            if document.note.is_some() {
                assert_eq!(
                    keys(&value),
                    [
                        "text",
                        "entities",
                        "relations",
                        "Comments",
                        "document_id",
                        "title"
                    ]
                );
                assert_eq!(
                    value["Comments"],
                    serde_json::json!([{"id": 0, "comment": document.note.as_deref().unwrap()}])
                );
            } else {
                assert_eq!(
                    keys(&value),
                    ["text", "entities", "relations", "document_id", "title"]
                );
            }
            assert_eq!(value["document_id"], document.id.as_str());
            assert_eq!(value["title"], document.title.as_str());
            let text = value["text"].as_str().unwrap();
            let entities = value["entities"].as_array().unwrap();
            assert_eq!(entities.len(), document.annotations().len());
            let mut quoted_by_id = std::collections::HashMap::new();
            for (entity, annotation) in entities.iter().zip(document.annotations()) {
                let start = entity["start_offset"].as_u64().unwrap() as usize;
                let end = entity["end_offset"].as_u64().unwrap() as usize;
                assert_eq!(entity["label"], annotation.label.as_str());
                let quoted = slice_in(text, unit, start, end);
                assert_eq!(quoted, document.text().slice(annotation.range).unwrap());
                assert_eq!(
                    entity.get("note").and_then(Value::as_str),
                    annotation.note.as_deref()
                );
                assert_eq!(
                    entity.get("attributes").is_some(),
                    !annotation.attributes.is_empty()
                );
                let id = entity["id"].as_u64().unwrap();
                quoted_by_id.insert(id, (quoted, annotation.label.to_string()));
            }
            // Each relation's ids name the entities the model links.
            let mut from_file: Vec<_> = value["relations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    let end = |key: &str| quoted_by_id[&r[key].as_u64().unwrap()].clone();
                    (
                        end("from_id"),
                        r["type"].as_str().unwrap().to_owned(),
                        end("to_id"),
                    )
                })
                .collect();
            let end = |id| {
                let a = document.annotation(id).unwrap();
                (
                    document.text().slice(a.range).unwrap().to_owned(),
                    a.label.to_string(),
                )
            };
            let mut from_model: Vec<_> = document
                .relations()
                .iter()
                .map(|r| (end(&r.from), r.kind.to_string(), end(&r.to)))
                .collect();
            from_file.sort();
            from_model.sort();
            assert_eq!(from_file, from_model);
        }
    }
}

#[test]
fn a_file_without_relations_or_span_details_keeps_the_sequence_labeling_shape() {
    let source: Vec<Document> = source_documents().iter().map(without_details).collect();
    for unit in UNITS {
        let exported = doccano::export(&support::refs(&source), unit);
        for (line, document) in exported.lines().zip(&source) {
            let value: Value = serde_json::from_str(line).unwrap();
            let text = value["text"].as_str().unwrap();
            if let Some(note) = document.note.as_deref() {
                // doccano's sequence labeling export lists comments as strings.
                assert_eq!(
                    keys(&value),
                    ["text", "label", "Comments", "document_id", "title"]
                );
                assert_eq!(value["Comments"], serde_json::json!([note]));
            } else {
                assert_eq!(keys(&value), ["text", "label", "document_id", "title"]);
            }
            let labels = value["label"].as_array().unwrap();
            assert_eq!(labels.len(), document.annotations().len());
            for (entry, annotation) in labels.iter().zip(document.annotations()) {
                let start = entry[0].as_u64().unwrap() as usize;
                let end = entry[1].as_u64().unwrap() as usize;
                assert_eq!(entry[2], annotation.label.as_str());
                assert_eq!(
                    slice_in(text, unit, start, end),
                    document.text().slice(annotation.range).unwrap()
                );
            }
        }
        let imported = doccano::import(&exported, unit, NOW).unwrap();
        for (back, original) in imported.iter().zip(&source) {
            assert!(back.same_content(original), "{unit}: {}", original.id);
        }
    }
    // Without a note either, the file is byte for byte what this format wrote before relations.
    let plain = source_documents()[1].clone();
    assert_eq!(
        doccano::export(&[&plain], OffsetUnit::CodePoint),
        "{\"text\":\"Nothing tagged here.\\n\",\"label\":[],\"document_id\":\"d-plain-2\",\"title\":\"Plain\"}\n"
    );
}

#[test]
fn the_units_differ_after_an_emoji_and_not_before() {
    let code_points = source_export(OffsetUnit::CodePoint);
    let utf16 = source_export(OffsetUnit::Utf16);
    // "北京市" comes before any emoji: same offsets. "The family" comes after 😀👍🏽 (3 astral).
    let beijing = r#""label":"entity","start_offset":26,"end_offset":29"#;
    assert!(code_points.contains(beijing) && utf16.contains(beijing));
    assert!(code_points.contains(r#""label":"claim","start_offset":45,"end_offset":69"#));
    assert!(utf16.contains(r#""label":"claim","start_offset":48,"#));
}

// ---------------------------------------------------------------------------------------------
// Import: round trip, doccano's variants, the unit guess, detection.
// ---------------------------------------------------------------------------------------------

#[test]
fn import_of_the_export_gives_back_what_the_format_carries_in_both_units() {
    let source = source_documents();
    for unit in UNITS {
        let imported = doccano::import(&source_export(unit), unit, NOW).unwrap();
        assert_eq!(imported.len(), source.len());
        for (back, original) in imported.iter().zip(&source) {
            assert_eq!(carried(back), carried(original), "{unit}");
            assert_eq!((back.created, back.modified), (NOW, NOW));
        }
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
fn relations_attribute_values_and_notes_come_back_exactly_in_both_units() {
    let source = source_documents();
    for unit in UNITS {
        let exported = source_export(unit);
        let imported = doccano::import(&exported, unit, NOW).unwrap();
        for (back, original) in imported.iter().zip(&source) {
            assert_eq!(
                relations_by_span(back),
                relations_by_span(original),
                "{unit}"
            );
            assert_eq!(details_by_span(back), details_by_span(original), "{unit}");
            assert_eq!(back.note, original.note, "{unit}");
            assert!(back.same_content(original), "{unit}: {}", original.id);
        }
        let custom = &imported[2];
        assert!(custom
            .relations()
            .iter()
            .any(|r| r.kind.as_str() == "located_in"));
        assert_eq!(
            custom.annotations()[0].attributes.get("wikipedia"),
            Some("Angela Merkel")
        );
        assert_eq!(custom.annotations()[2].attributes.get("kind"), Some("city"));
        // Exporting the import gives the same bytes.
        assert_eq!(doccano::export(&support::refs(&imported), unit), exported);
    }
}

#[test]
fn doccano_relation_exports_are_read_in_either_unit() {
    // As doccano exports a sequence labeling project with relations: database ids, its own
    // example id, comments from two users, and the spans listed out of text order.
    let code_points = concat!(
        r#"{"id":41,"text":"😀 Olaf said: “hi”","entities":[{"id":907,"label":"quote","start_offset":13,"end_offset":17},"#,
        r#"{"id":906,"label":"PER","start_offset":2,"end_offset":6}],"#,
        r#""relations":[{"id":55,"from_id":907,"to_id":906,"type":"said_by"}],"#,
        r#""Comments":[{"id":3,"comment":"first"},{"id":4,"comment":"second\nline"}]}"#,
    );
    let utf16 = code_points
        .replace(
            "\"start_offset\":13,\"end_offset\":17",
            "\"start_offset\":14,\"end_offset\":18",
        )
        .replace(
            "\"start_offset\":2,\"end_offset\":6",
            "\"start_offset\":3,\"end_offset\":7",
        );
    for (input, unit) in [
        (code_points.to_owned(), OffsetUnit::CodePoint),
        (utf16, OffsetUnit::Utf16),
    ] {
        assert!(doccano::looks_like(&input));
        assert_eq!(doccano::guess_unit(&input), unit);
        let document = &doccano::import(&input, unit, NOW).unwrap()[0];
        assert_eq!(
            relations_by_span(document),
            [(
                "“hi”".into(),
                "quote".into(),
                "said_by".into(),
                "Olaf".into(),
                "PER".into()
            )],
            "{unit}"
        );
        assert_eq!(document.note.as_deref(), Some("first\n\nsecond\nline"));
    }
    // The sequence labeling export's comments are strings.
    let document = &doccano::import(
        r#"{"text":"a","label":[],"Comments":["x","y"]}"#,
        OffsetUnit::CodePoint,
        NOW,
    )
    .unwrap()[0];
    assert_eq!(document.note.as_deref(), Some("x\n\ny"));
}

#[test]
fn utf16_offsets_read_as_code_points_are_caught_past_the_end() {
    // The fixture's last spans reach past the code point length when counted in UTF-16 units.
    let error = import_error(&source_export(OffsetUnit::Utf16), OffsetUnit::CodePoint);
    assert_eq!(error.record, "line 1, span 14");
    assert!(matches!(error.problem, Problem::PastEnd { .. }), "{error}");
}

#[test]
fn doccano_variants_are_read() {
    let input = concat!(
        // doccano 1.x export with relations: entities as objects, its own integer id, metadata.
        r#"{"id":17,"text":"Angela met 😀 Olaf","entities":[{"id":3,"label":"PER","start_offset":0,"end_offset":6},"#,
        r#"{"id":4,"label":"PER","start_offset":13,"end_offset":17}],"relations":[],"Comments":[],"source":"x"}"#,
        "\n",
        // "data" for the text, "labels" for the spans.
        r#"{"data":"Berlin","labels":[[0,6,"GPE"]],"document_id":99,"title":"T"}"#,
        "\n",
        // A line without labels.
        r#"{"text":"nothing"}"#,
    );
    let documents = doccano::import(input, OffsetUnit::CodePoint, NOW).unwrap();
    assert_eq!(documents.len(), 3);
    assert_eq!(
        spans_of(&documents[0]),
        [("Angela", "PER"), ("Olaf", "PER")]
    );
    assert!(
        documents[0].id.as_str().starts_with("doc-"),
        "doccano's own integer id is not ours"
    );
    assert_eq!(documents[0].title, "Angela met 😀 Olaf");
    assert_eq!(spans_of(&documents[1]), [("Berlin", "GPE")]);
    assert_eq!(
        (documents[1].id.as_str(), documents[1].title.as_str()),
        ("99", "T")
    );
    assert!(documents[2].annotations().is_empty());

    // The same first line counted in UTF-16 units, as doccano's front end counts.
    let utf16 = r#"{"text":"Angela met 😀 Olaf","label":[[0,6,"PER"],[14,18,"PER"]]}"#;
    let documents = doccano::import(utf16, OffsetUnit::Utf16, NOW).unwrap();
    assert_eq!(
        spans_of(&documents[0]),
        [("Angela", "PER"), ("Olaf", "PER")]
    );
}

#[test]
fn crlf_inside_the_text_is_normalised_and_offsets_follow() {
    let input = r#"{"text":"😀\r\ntwo","label":[[4,7,"quote"]]}"#;
    let documents = doccano::import(input, OffsetUnit::Utf16, NOW).unwrap();
    assert_eq!(documents[0].text().as_str(), "😀\ntwo");
    assert_eq!(spans_of(&documents[0]), [("two", "quote")]);
}

#[test]
fn the_guess_takes_the_only_valid_reading() {
    assert_eq!(
        doccano::guess_unit(&source_export(OffsetUnit::Utf16)),
        OffsetUnit::Utf16
    );
    assert_eq!(
        doccano::guess_unit(&source_export(OffsetUnit::CodePoint)),
        OffsetUnit::CodePoint
    );
    // 2..3 splits the emoji's surrogate pair: only code points can be meant.
    assert_eq!(
        doccano::guess_unit(r#"{"text":"a😀bc","label":[[2,3,"x"]]}"#),
        OffsetUnit::CodePoint
    );
    // 4..5 is past the code point length (4) and fits in UTF-16 (5).
    assert_eq!(
        doccano::guess_unit(r#"{"text":"a😀bc","label":[[4,5,"x"]]}"#),
        OffsetUnit::Utf16
    );
}

#[test]
fn when_both_readings_are_valid_the_one_with_whole_words_wins() {
    // "😀 Berlin is big": Berlin is 2..8 in code points, 3..9 in UTF-16 units.
    let code_points = r#"{"text":"😀 Berlin is big","label":[[2,8,"GPE"]]}"#;
    let utf16 = r#"{"text":"😀 Berlin is big","label":[[3,9,"GPE"]]}"#;
    assert_eq!(doccano::guess_unit(code_points), OffsetUnit::CodePoint);
    assert_eq!(doccano::guess_unit(utf16), OffsetUnit::Utf16);
    // A skin tone modifier: 0..2 is "👍" in UTF-16 units, cutting off its skin tone, but the
    // whole "👍🏽" in code points.
    let thumbs = r#"{"text":"👍🏽 ok fine","label":[[0,2,"x"]]}"#;
    assert_eq!(doccano::guess_unit(thumbs), OffsetUnit::CodePoint);
    // Nothing to tell them apart: the default.
    assert_eq!(
        doccano::guess_unit(r#"{"text":"plain","label":[[0,5,"x"]]}"#),
        OffsetUnit::CodePoint
    );
    assert_eq!(doccano::guess_unit(""), OffsetUnit::CodePoint);
    assert_eq!(doccano::guess_unit("not json"), OffsetUnit::CodePoint);
}

#[test]
fn detection_knows_doccano_and_nothing_else() {
    for unit in UNITS {
        assert!(doccano::looks_like(&source_export(unit)));
    }
    assert!(doccano::looks_like(
        r#"{"text":"a","entities":[{"start_offset":0,"end_offset":1,"label":"X"}]}"#
    ));
    assert!(doccano::looks_like(r#"{"data":"a","labels":[]}"#));
    let source = source_documents();
    let refs: Vec<&Document> = source.iter().collect();
    assert!(!doccano::looks_like(&jsonl::export(&refs)));
    assert!(!doccano::looks_like(&native::export(
        refs.iter().copied(),
        &annotator_core::model::Schema::default()
    )));
    assert!(!doccano::looks_like(
        r#"[{"data":{"text":"x"},"annotations":[]}]"#
    ));
    assert!(!doccano::looks_like(
        r#"{"@context":"http://www.w3.org/ns/anno.jsonld","type":"AnnotationCollection"}"#
    ));
    // Text classification, not spans.
    assert!(!doccano::looks_like(r#"{"text":"a","label":["positive"]}"#));
    assert!(!doccano::looks_like(""));
}

// ---------------------------------------------------------------------------------------------
// Errors: one per kind, each naming its record.
// ---------------------------------------------------------------------------------------------

/// A valid first line and a blank one, so record numbers are seen to count real lines.
const GOOD: &str = "{\"text\":\"fine\",\"label\":[]}\n\n";

#[test]
fn an_offset_past_the_end_names_line_and_span_and_unit() {
    for unit in UNITS {
        let error = import_error(
            &format!(
                "{GOOD}{}",
                r#"{"text":"a😀","label":[[0,1,"x"],[1,4,"x"]]}"#
            ),
            unit,
        );
        assert_eq!(error.record, "line 3, span 2");
        let len = if unit == OffsetUnit::Utf16 { 3 } else { 2 };
        assert_eq!(
            error.problem,
            Problem::PastEnd {
                start: 1,
                end: 4,
                len,
                unit
            }
        );
        assert!(error.to_string().contains(&unit.to_string()), "{error}");
    }
}

#[test]
fn start_not_before_end_names_line_and_span() {
    let error = import_error(
        &format!("{GOOD}{}", r#"{"text":"abc","label":[[2,1,"x"]]}"#),
        OffsetUnit::CodePoint,
    );
    assert_eq!(error.record, "line 3, span 1");
    assert_eq!(
        error.problem,
        Problem::StartNotBeforeEnd { start: 2, end: 1 }
    );
}

#[test]
fn a_utf16_offset_inside_a_character_names_line_and_span() {
    let error = import_error(r#"{"text":"a😀b","label":[[0,2,"x"]]}"#, OffsetUnit::Utf16);
    assert_eq!(error.record, "line 1, span 1");
    assert_eq!(error.problem, Problem::InsideCharacter { offset: 2 });
}

/// Every code point of a text longer than the offset index's stride, mixing astral emoji, ZWJ
/// sequences, CJK in and beyond the BMP, combining marks and RTL: one span per code point,
/// with UTF-16 offsets counted independently here, must come back as exactly that code point;
/// every offset between the halves of a surrogate pair must be refused.
#[test]
fn every_code_point_of_a_mixed_text_converts_from_utf16() {
    let text = "Zoë said 😀 then 👩‍👩‍👧‍👦 in 北京市 and 𠮷野家, e\u{301}te\u{301} שלום 🏳️‍🌈 ".repeat(5);
    let mut spans = Vec::new();
    let mut inside = Vec::new();
    let mut utf16 = 0;
    for c in text.chars() {
        spans.push(format!("[{},{},\"c\"]", utf16, utf16 + c.len_utf16()));
        if c.len_utf16() == 2 {
            inside.push(utf16 + 1);
        }
        utf16 += c.len_utf16();
    }
    assert!(text.chars().count() > 200 && !inside.is_empty());
    let line = format!(
        "{{\"text\":{},\"label\":[{}]}}",
        serde_json::to_string(&text).unwrap(),
        spans.join(",")
    );
    let documents = doccano::import(&line, OffsetUnit::Utf16, NOW).unwrap();
    let got: Vec<&str> = spans_of(&documents[0])
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    let want: Vec<String> = text.chars().map(String::from).collect();
    assert_eq!(got, want);
    assert_eq!(doccano::guess_unit(&line), OffsetUnit::Utf16);
    for offset in inside {
        let line = format!(
            "{{\"text\":{},\"label\":[[0,{offset},\"c\"]]}}",
            serde_json::to_string(&text).unwrap()
        );
        let error = import_error(&line, OffsetUnit::Utf16);
        assert_eq!(error.problem, Problem::InsideCharacter { offset });
    }
}

#[test]
fn an_unusable_label_names_line_and_span() {
    let error = import_error(
        r#"{"text":"abc","label":[[0,1,"x"],[1,2,"bad\tlabel"]]}"#,
        OffsetUnit::CodePoint,
    );
    assert_eq!(error.record, "line 1, span 2");
    assert!(matches!(error.problem, Problem::Label(_)), "{error}");
}

#[test]
fn a_span_given_twice_is_imported_once() {
    let documents = doccano::import(
        r#"{"text":"abc","label":[[0,1,"x"],[0,1,"x"]]}"#,
        OffsetUnit::CodePoint,
        NOW,
    )
    .unwrap();
    assert_eq!(documents[0].annotations().len(), 1);
}

/// Two entities (ids 7 and 8) on line 3 (after [`GOOD`]), then `relations`.
fn with_relations(relations: &str) -> String {
    format!(
        "{GOOD}{{\"text\":\"ab\",\"entities\":[{{\"id\":7,\"label\":\"q\",\"start_offset\":0,\
         \"end_offset\":1}},{{\"id\":8,\"label\":\"e\",\"start_offset\":1,\"end_offset\":2}}],\
         \"relations\":[{relations}]}}"
    )
}

#[test]
fn a_relation_naming_an_unknown_entity_id_names_line_and_relation() {
    let good = r#"{"id":1,"from_id":7,"to_id":8,"type":"said_by"}"#;
    for (bad, needle) in [
        (
            r#"{"from_id":7,"to_id":9,"type":"said_by"}"#,
            "\"to_id\" is 9, but no entity on this line has that id",
        ),
        (
            r#"{"from_id":0,"to_id":8,"type":"said_by"}"#,
            "\"from_id\" is 0",
        ),
    ] {
        for unit in UNITS {
            let error = import_error(&with_relations(&format!("{good},{bad}")), unit);
            assert_eq!(error.record, "line 3, relation 2", "{error}");
            assert!(matches!(error.problem, Problem::Shape(_)), "{error}");
            assert!(error.to_string().contains(needle), "{error}");
        }
    }
    // Triples have no ids, so nothing can name them.
    let error = import_error(
        r#"{"text":"ab","label":[[0,1,"q"],[1,2,"e"]],"relations":[{"from_id":0,"to_id":1,"type":"x"}]}"#,
        OffsetUnit::CodePoint,
    );
    assert_eq!(error.record, "line 1, relation 1");
    assert!(
        error.to_string().contains("its spans have no ids"),
        "{error}"
    );
}

#[test]
fn bad_relations_entity_ids_and_comments_name_their_record() {
    let cases: [(String, &str, &str); 10] = [
        (
            with_relations(r#"{"from_id":7,"to_id":8}"#),
            "line 3, relation 1",
            "no \"type\"",
        ),
        (
            with_relations(r#"{"from_id":7,"type":"x"}"#),
            "line 3, relation 1",
            "no \"to_id\"",
        ),
        (
            with_relations(r#"{"from_id":"7","to_id":8,"type":"x"}"#),
            "line 3, relation 1",
            "\"from_id\" must be a whole number",
        ),
        (
            with_relations(r#"{"from_id":7,"to_id":8,"type":1}"#),
            "line 3, relation 1",
            "\"type\" must be a string",
        ),
        (
            with_relations(r#"[7,8,"x"]"#),
            "line 3, relation 1",
            "a relation must be an object",
        ),
        (
            format!(
                "{GOOD}{}",
                r#"{"text":"a","entities":[{"id":1,"label":"x","start_offset":0,"end_offset":1},{"id":1,"label":"y","start_offset":0,"end_offset":1}]}"#
            ),
            "line 3, span 2",
            "entity id 1 is given twice",
        ),
        (
            format!(
                "{GOOD}{}",
                r#"{"text":"a","entities":[{"id":1.5,"label":"x","start_offset":0,"end_offset":1}]}"#
            ),
            "line 3, span 1",
            "\"id\" must be a whole number",
        ),
        (
            format!("{GOOD}{}", r#"{"text":"a","relations":{}}"#),
            "line 3",
            "\"relations\" must be a list",
        ),
        (
            format!("{GOOD}{}", r#"{"text":"a","Comments":"x"}"#),
            "line 3",
            "\"Comments\" must be a list",
        ),
        (
            format!("{GOOD}{}", r#"{"text":"a","Comments":[{"id":1}]}"#),
            "line 3",
            "a comment object must have a string \"comment\"",
        ),
    ];
    for (input, record, needle) in &cases {
        let error = import_error(input, OffsetUnit::CodePoint);
        assert_eq!(&error.record, record, "{input}: {error}");
        assert!(
            matches!(error.problem, Problem::Shape(_)),
            "{input}: {error}"
        );
        assert!(error.to_string().contains(needle), "{input}: {error}");
    }
    let entity = |extra: &str| {
        format!(
            r#"{{"text":"ab","entities":[{{"label":"q","start_offset":0,"end_offset":1{extra}}}]}}"#
        )
    };
    for (extra, needle) in [
        (r#","attributes":[1]"#, "\"attributes\" must be an object"),
        (
            r#","attributes":{"type":true}"#,
            "attribute \"type\" must be a string",
        ),
        (r#","note":{}"#, "\"note\" must be a string"),
    ] {
        let error = import_error(&entity(extra), OffsetUnit::Utf16);
        assert_eq!(error.record, "line 1, span 1", "{error}");
        assert!(error.to_string().contains(needle), "{error}");
    }
    let error = import_error(
        &entity(r#","attributes":{"type":" x"}"#),
        OffsetUnit::CodePoint,
    );
    assert_eq!(error.record, "line 1, span 1");
    assert!(matches!(error.problem, Problem::Invalid(_)), "{error}");
    // An unusable type is a label error; a self-link a document error.
    let error = import_error(
        &with_relations(r#"{"from_id":7,"to_id":8,"type":""}"#),
        OffsetUnit::CodePoint,
    );
    assert_eq!(error.record, "line 3, relation 1");
    assert!(matches!(error.problem, Problem::Label(_)), "{error}");
    let error = import_error(
        &with_relations(r#"{"from_id":7,"to_id":7,"type":"x"}"#),
        OffsetUnit::CodePoint,
    );
    assert_eq!(error.record, "line 3");
    assert!(matches!(error.problem, Problem::Document(_)), "{error}");
}

#[test]
fn unknown_shapes_name_their_record() {
    let cases = [
        ("\"just a string\"", "line 1", "expected a JSON object"),
        (r#"{"label":[]}"#, "line 1", "no \"text\" (or \"data\")"),
        (r#"{"text":["a"]}"#, "line 1", "\"text\" must be a string"),
        (
            r#"{"data":{"text":"a"}}"#,
            "line 1",
            "\"data\" must be a string",
        ),
        (
            r#"{"text":"a","label":"PER"}"#,
            "line 1",
            "\"label\" must be a list",
        ),
        (
            r#"{"text":"a","labels":{}}"#,
            "line 1",
            "\"labels\" must be a list",
        ),
        (
            r#"{"text":"a","document_id":true}"#,
            "line 1",
            "\"document_id\"",
        ),
        (
            r#"{"text":"a","title":[]}"#,
            "line 1",
            "\"title\" must be a string",
        ),
        (
            r#"{"text":"a","label":["positive"]}"#,
            "line 1, span 1",
            "text classification",
        ),
        (
            r#"{"text":"a","label":[[0,1]]}"#,
            "line 1, span 1",
            "list of 2 items",
        ),
        (
            r#"{"text":"a","label":[[0,1,"x",5]]}"#,
            "line 1, span 1",
            "list of 4 items",
        ),
        (
            r#"{"text":"a","label":[[-1,1,"x"]]}"#,
            "line 1, span 1",
            "from 0 up, found -1",
        ),
        (
            r#"{"text":"a","label":[[0,"1","x"]]}"#,
            "line 1, span 1",
            "\"end\" must be a whole number",
        ),
        (
            r#"{"text":"a","label":[[0,1,7]]}"#,
            "line 1, span 1",
            "label must be a string",
        ),
        (
            r#"{"text":"a","entities":[{"end_offset":1,"label":"x"}]}"#,
            "line 1, span 1",
            "no \"start_offset\"",
        ),
        (
            r#"{"text":"a","entities":[{"start_offset":0,"end_offset":1}]}"#,
            "line 1, span 1",
            "no \"label\"",
        ),
    ];
    support::assert_shape_errors_after(GOOD, &cases, |input| {
        import_error(input, OffsetUnit::CodePoint)
    });
}

#[test]
fn broken_json_and_empty_files_are_named() {
    let error = import_error(&format!("{GOOD}{{\"text\":"), OffsetUnit::Utf16);
    assert_eq!(error.record, "line 3");
    assert!(matches!(error.problem, Problem::Json { .. }), "{error}");
    let error = import_error("\n\n", OffsetUnit::CodePoint);
    assert_eq!(error.record, "the file");
}

// ---------------------------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------------------------

/// A document made of tricky text with random spans (built-in and custom labels), and often
/// attribute values, notes and relations.
fn any_document() -> impl Strategy<Value = Document> {
    (support::any_document(&[], &[], &[]), support::details(8))
        .prop_map(|(document, details)| support::with_details(document, details))
}

/// Inputs near the format: lines built from doccano fragments with odd numbers and values,
/// including offsets that land inside surrogate pairs.
fn doccano_like_input() -> impl Strategy<Value = String> {
    let number = prop_oneof![
        (0u64..40).prop_map(|n| n.to_string()),
        Just("-1".to_owned()),
        Just("2.5".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("null".to_owned()),
    ];
    let text = prop_oneof![
        prop::collection::vec(prop::sample::select(PIECES), 0..6)
            .prop_map(|p| serde_json::to_string(&p.concat()).unwrap()),
        Just("{}".to_owned()),
    ];
    let span = (
        number.clone(),
        number,
        prop::sample::select(support::LABELS),
        any::<bool>(),
    )
        .prop_map(|(start, end, label, as_object)| {
            let label = serde_json::to_string(label).unwrap();
            if as_object {
                format!("{{\"start_offset\":{start},\"end_offset\":{end},\"label\":{label}}}")
            } else {
                format!("[{start},{end},{label}]")
            }
        });
    let key = prop::sample::select(&["label", "labels", "entities"][..]);
    let line = (text, key, prop::collection::vec(span, 0..4)).prop_map(|(text, key, spans)| {
        format!("{{\"text\":{text},\"{key}\":[{}]}}", spans.join(","))
    });
    prop::collection::vec(line, 0..4).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #[test]
    fn import_of_export_keeps_what_the_format_carries(
        documents in prop::collection::vec(any_document(), 1..4),
        utf16 in any::<bool>(),
    ) {
        let unit = if utf16 { OffsetUnit::Utf16 } else { OffsetUnit::CodePoint };
        let refs: Vec<&Document> = documents.iter().collect();
        let exported = doccano::export(&refs, unit);
        prop_assert!(doccano::looks_like(&exported));
        prop_assert!(!jsonl::looks_like(&exported));
        prop_assert_eq!(exported.lines().count(), documents.len());
        // One shape for the whole file: the relation shape exactly when something needs it.
        let details = documents.iter().any(|d| {
            !d.relations().is_empty() || d.annotations().iter().any(|a| a.has_details())
        });
        for line in exported.lines() {
            let value: Value = serde_json::from_str(line).unwrap();
            prop_assert_eq!(value.get("entities").is_some(), details);
            prop_assert_eq!(value.get("label").is_some(), !details);
        }
        let imported = doccano::import(&exported, unit, NOW).unwrap();
        prop_assert_eq!(imported.len(), documents.len());
        for (back, original) in imported.iter().zip(&documents) {
            prop_assert_eq!(carried(back), carried(original));
            prop_assert_eq!(relations_by_span(back), relations_by_span(original));
            prop_assert_eq!(details_by_span(back), details_by_span(original));
            prop_assert_eq!(&back.note, &original.note);
            prop_assert!(back.same_content(original));
            prop_assert!(back.check_invariants().is_ok());
        }
        prop_assert_eq!(doccano::export(&support::refs(&imported), unit), exported);
    }

    #[test]
    fn import_and_guess_never_panic_on_arbitrary_text(input in any::<String>()) {
        for unit in UNITS {
            let _ = doccano::import(&input, unit, NOW);
        }
        let _ = doccano::guess_unit(&input);
        let _ = doccano::looks_like(&input);
    }

    #[test]
    fn import_and_guess_never_panic_on_near_doccano(input in doccano_like_input()) {
        let _ = doccano::guess_unit(&input);
        for unit in UNITS {
            if let Ok(documents) = doccano::import(&input, unit, NOW) {
                for document in documents {
                    prop_assert!(document.check_invariants().is_ok());
                }
            }
        }
    }
}
