#![cfg(not(target_arch = "wasm32"))]
//! The Label Studio JSON export and import and the labeling config (`src/export/label_studio.rs`).
//!
//! Why: the golden task list and config are exactly what a user downloads and loads into a
//! Label Studio project (and what the Python interop check reads), so their bytes are pinned;
//! every `value.start/end` must agree with Python's `text[start:end]` on emoji, ZWJ sequences,
//! combining marks, CJK and RTL text. Our own exports must come back with everything the format
//! carries (who made and last changed each span too, one annotation entry per maker), real Label
//! Studio files (several annotators, cancelled annotations, predictions, other result types,
//! other text fields) must be read as the module documents, and every broken file must be
//! refused with a message naming the task and result, never a panic.

#[path = "support/formats.rs"]
mod support;

use annotator_core::formats::dataset::{ImportError, Problem};
use annotator_core::formats::{label_studio, native, w3c};
use annotator_core::model::label::InvalidLabel;
use annotator_core::model::{
    ArticleText, CharRange, Document, DocumentId, Label, Relation, RelationKind, Schema,
};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};
use support::{
    assert_golden, carried_authors, fixture_dir, python_slice, random_document, refs,
    source_documents, spans, NOW,
};

/// What Label Studio JSON carries: everything but the times (and the next-id counter).
type Carried = (String, String, String, Vec<(String, String, usize, usize)>);

fn carried(document: &Document) -> Carried {
    (
        document.id.to_string(),
        document.title.clone(),
        document.text().as_str().to_owned(),
        support::carried_annotations(document),
    )
}

fn all_carried(documents: &[Document]) -> Vec<Carried> {
    documents.iter().map(carried).collect()
}

/// What Label Studio carries beyond the spans: each span's attribute values and note, the
/// relations, the article's note (ids come back, so they are compared by id).
type Details = (
    Vec<(String, Vec<(String, String)>, Option<String>)>,
    Vec<(String, String, String)>,
    Option<String>,
);

fn all_details(documents: &[Document]) -> Vec<Details> {
    documents
        .iter()
        .map(|d| {
            (
                support::carried_details(d),
                support::carried_relations(d),
                d.note.as_deref().map(str::to_owned),
            )
        })
        .collect()
}

/// Who made and last changed each span of each document.
fn all_authors(documents: &[Document]) -> Vec<Vec<support::SpanAuthors>> {
    documents.iter().map(carried_authors).collect()
}

// ---------------------------------------------------------------------------------------------
// Export.
// ---------------------------------------------------------------------------------------------

#[test]
fn export_matches_the_golden_file_byte_for_byte() {
    let documents = source_documents();
    assert_golden(
        &label_studio::export_with(&refs(&documents), &Schema::default()),
        "label_studio/source.label-studio.json",
    );
}

#[test]
fn labeling_config_matches_the_golden_file_byte_for_byte() {
    let documents = source_documents();
    assert_golden(
        &label_studio::config_for(&refs(&documents), &Schema::default()),
        "label_studio/labeling-config.xml",
    );
}

#[test]
fn every_result_matches_the_config_and_python_slicing() {
    let documents = source_documents();
    let tasks: Value = serde_json::from_str(&label_studio::export(&refs(&documents))).unwrap();
    let config = label_studio::config_for(&refs(&documents), &Schema::default());
    let tasks = tasks.as_array().unwrap();
    assert_eq!(tasks.len(), 3);
    assert_eq!(tasks[1]["data"]["document_id"], "d-plain-2");
    assert_eq!(
        tasks[1]["annotations"],
        json!([]),
        "no annotations: an unlabelled task"
    );
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for (number, task) in (1..).zip(tasks) {
        assert_eq!(task["id"], number);
        let text = task["data"]["text"].as_str().unwrap();
        let entries = task["annotations"].as_array().unwrap();
        // Every region of the task, whichever entry holds it: a relation's `to` may be in another.
        let all_regions: Vec<&Value> = entries
            .iter()
            .flat_map(|e| e["result"].as_array().unwrap())
            .filter(|r| r["type"] == "labels")
            .map(|r| &r["id"])
            .collect();
        for entry in entries {
            // What Label Studio's import resolves among a project's members is left out.
            assert_eq!(entry.get("completed_by"), None, "{entry}");
        }
        let results = entries.iter().flat_map(|e| {
            let regions: Vec<&Value> = e["result"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["type"] == "labels")
                .map(|r| &r["id"])
                .collect();
            e["result"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |r| (r, regions.clone()))
        });
        for (result, regions) in results {
            let kind = result["type"].as_str().unwrap();
            *counts.entry(kind.to_owned()).or_default() += 1;
            if kind == "relation" {
                // In the entry of its `from` span.
                assert!(regions.contains(&&result["from_id"]), "{result}");
                assert!(all_regions.contains(&&result["to_id"]), "{result}");
                assert_eq!(result["direction"], "right");
                let [label] = result["labels"].as_array().unwrap().as_slice() else {
                    panic!("one label per relation: {result}");
                };
                let wanted = format!("<Relation value=\"{}\"/>", label.as_str().unwrap());
                assert!(config.contains(&wanted), "{wanted} not in the config");
                continue;
            }
            let from = result["from_name"].as_str().unwrap();
            let to = result["to_name"].as_str().unwrap();
            assert_eq!(to, "text");
            assert!(config.contains(&format!("<Text name=\"{to}\" value=\"${to}\"/>")));
            let value = &result["value"];
            if from == "article_note" {
                assert_eq!(kind, "textarea");
                assert!(config.contains("<TextArea name=\"article_note\" toName=\"text\" "));
                continue;
            }
            // Every other result is on a region: the span's own id and offsets.
            assert!(regions.contains(&&result["id"]), "{result}");
            let (start, end) = (
                value["start"].as_u64().unwrap() as usize,
                value["end"].as_u64().unwrap() as usize,
            );
            match kind {
                "labels" => {
                    assert!(config.contains(&format!("<Labels name=\"{from}\" toName=\"{to}\">")));
                    assert_eq!(value["text"], python_slice(text, start, end), "{result}");
                    let [label] = value["labels"].as_array().unwrap().as_slice() else {
                        panic!("one label per result: {result}");
                    };
                    let label = label.as_str().unwrap();
                    assert!(
                        config.contains(&format!("<Label value=\"{label}\"/>")),
                        "{label} not in the config"
                    );
                }
                "choices" => {
                    assert_eq!(value["text"], python_slice(text, start, end), "{result}");
                    let control =
                        format!("<Choices name=\"{from}\" toName=\"{to}\" perRegion=\"true\"");
                    let after = config
                        .split(&control)
                        .nth(1)
                        .unwrap_or_else(|| panic!("{from} not in the config"));
                    let [choice] = value["choices"].as_array().unwrap().as_slice() else {
                        panic!("one choice per result: {result}");
                    };
                    let listed = after.split("</Choices>").next().unwrap();
                    assert!(
                        listed
                            .contains(&format!("<Choice value=\"{}\"/>", choice.as_str().unwrap())),
                        "{result}"
                    );
                }
                "textarea" => {
                    assert!(
                        config.contains(&format!(
                            "<TextArea name=\"{from}\" toName=\"{to}\" perRegion=\"true\""
                        )),
                        "{from} not in the config"
                    );
                    assert_eq!(value["text"].as_array().unwrap().len(), 1, "{result}");
                }
                other => panic!("unexpected result type {other}"),
            }
        }
    }
    let counts: Vec<(&str, usize)> = counts.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        counts,
        [
            ("choices", 10),
            ("labels", 14 + 6),
            ("relation", 8),
            ("textarea", 6)
        ]
    );
}

#[test]
fn each_maker_has_an_entry_in_name_order_and_the_unknown_come_last() {
    let documents = source_documents();
    let tasks: Value = serde_json::from_str(&label_studio::export(&refs(&documents))).unwrap();
    let entry_names = |task: &Value| -> Vec<Value> {
        task["annotations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.get("created_username").cloned().unwrap_or(Value::Null))
            .collect()
    };
    assert_eq!(
        entry_names(&tasks[0]),
        [json!("ann"), json!("李小龍"), json!("👩🏽‍💻 Zoë"), Value::Null]
    );
    assert_eq!(entry_names(&tasks[1]), Vec::<Value>::new());
    // Code point order: capitals first.
    assert_eq!(
        entry_names(&tasks[2]),
        [json!("Dana Ruiz"), json!("ann"), Value::Null]
    );
    // Every span is in its maker's entry; who changed it is in its labels result's meta.
    for (task, document) in tasks.as_array().unwrap().iter().zip(&documents) {
        for entry in task["annotations"].as_array().unwrap() {
            for result in entry["result"].as_array().unwrap() {
                if result["type"] != "labels" {
                    continue;
                }
                let id = annotator_core::model::AnnotationId::new(result["id"].as_str().unwrap());
                let authors = &document.annotation(&id).unwrap().authors;
                let name = |n: &Option<annotator_core::model::AnnotatorName>| {
                    n.as_ref().map_or(Value::Null, |n| json!(n.as_str()))
                };
                assert_eq!(
                    entry
                        .get("created_username")
                        .cloned()
                        .unwrap_or(Value::Null),
                    name(&authors.made_by)
                );
                assert_eq!(result["meta"]["changed_by"], name(&authors.changed_by));
            }
        }
    }
    // The article note is in the first entry; a relation between two makers' spans in the
    // entry of its `from` span ("a2 said_by a5": ann's quote, Zoë's entity).
    let first = &tasks[0]["annotations"][0]["result"];
    assert!(first
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "article_note"));
    assert!(first
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["type"] == "relation" && r["from_id"] == "a2" && r["to_id"] == "a5"));
}

#[test]
fn a_document_with_only_a_note_has_one_entry_without_a_name() {
    let mut document = Document::new(
        DocumentId::new("n"),
        "n".into(),
        ArticleText::normalize("text"),
        NOW,
    );
    document.set_note(None, "About it.", NOW).unwrap();
    let tasks: Value = serde_json::from_str(&label_studio::export(&[&document])).unwrap();
    let entries = tasks[0]["annotations"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].get("created_username"), None);
    let back = label_studio::import(&tasks.to_string(), NOW).unwrap();
    assert_eq!(back[0].note.as_deref(), Some("About it."));
}

#[test]
fn config_lists_the_builtins_always_and_each_custom_label_once() {
    let config = label_studio::config_for(&[], &Schema::default());
    assert_eq!(config, label_studio::labeling_config(&Schema::default()));
    assert!(config.starts_with(
        "<View>\n  <Labels name=\"label\" toName=\"text\">\n    <Label value=\"quote\"/>\n    \
         <Label value=\"entity\"/>\n    <Label value=\"claim\"/>\n  </Labels>\n  \
         <Text name=\"text\" value=\"$text\"/>\n  <Relations>\n    <Relation value=\"said_by\"/>\n"
    ));
    assert!(config.ends_with("</View>\n"));
    let mut document = Document::new(
        DocumentId::new("d"),
        "t".into(),
        ArticleText::normalize("R&D <b>"),
        NOW,
    );
    for (start, end) in [(0, 3), (4, 7), (0, 1)] {
        let label = Label::parse_any(if start == 4 { "Tag \"b\"" } else { "R&D" }).unwrap();
        document
            .add(CharRange::from_raw(start, end).unwrap(), label, NOW)
            .unwrap();
    }
    let config = label_studio::config_for(&[&document], &Schema::default());
    assert!(
        config.contains(
            "<Label value=\"R&amp;D\"/>\n    <Label value=\"Tag &quot;b&quot;\"/>\n  </Labels>"
        ),
        "{config}"
    );
    assert_eq!(config.matches("R&amp;D").count(), 1);
}

#[test]
fn config_offers_every_attribute_value_and_relation_type_the_documents_use() {
    let mut schema = Schema::default();
    schema.labels.retain(|spec| spec.label == Label::Quote);
    schema.relations.truncate(1);
    let mut document = Document::new(
        DocumentId::new("d"),
        "t".into(),
        ArticleText::normalize("Ada said hi."),
        NOW,
    );
    let ada = document
        .add(
            CharRange::from_raw(0, 3).unwrap(),
            Label::parse_any("a_b & <c>").unwrap(),
            NOW,
        )
        .unwrap()
        .id
        .clone();
    let hi = document
        .add(CharRange::from_raw(9, 11).unwrap(), Label::Quote, NOW)
        .unwrap()
        .id
        .clone();
    document
        .set_attribute(&hi, "type", Some("sarcastic \"x\""), NOW)
        .unwrap();
    document
        .set_attribute(&hi, "tone", Some("dry"), NOW)
        .unwrap();
    document
        .set_attribute(&ada, "note", Some("x"), NOW)
        .unwrap();
    document
        .link(
            Relation::new(
                RelationKind::parse("quoted by").unwrap(),
                hi.clone(),
                ada.clone(),
            ),
            NOW,
        )
        .unwrap();
    let config = label_studio::config_for(&[&document], &schema);
    for wanted in [
        "<Label value=\"quote\"/>\n    <Label value=\"a_b &amp; &lt;c&gt;\"/>\n",
        "<Relation value=\"said_by\"/>\n    <Relation value=\"quoted by\"/>\n",
        "<Choice value=\"mixed\"/>\n      <Choice value=\"sarcastic &quot;x&quot;\"/>\n",
        "<TextArea name=\"quote_tone\" toName=\"text\" perRegion=\"true\"",
        "<View visibleWhen=\"region-selected\" whenLabelValue=\"a_b &amp; &lt;c&gt;\">",
        // `_` doubled: no label's control can be named like another's.
        "<TextArea name=\"a__b &amp; &lt;c&gt;_note\" toName=\"text\" perRegion=\"true\"",
    ] {
        assert!(config.contains(wanted), "{wanted} not in {config}");
    }
    let imported =
        label_studio::import(&label_studio::export_with(&[&document], &schema), NOW).unwrap();
    assert_eq!(
        support::carried_details(&imported[0]),
        support::carried_details(&document)
    );
    assert_eq!(
        support::carried_relations(&imported[0]),
        support::carried_relations(&document)
    );
}

#[test]
fn an_article_attribute_named_note_is_kept_out_of_the_config_but_not_the_tasks() {
    let mut document = Document::new(
        DocumentId::new("d"),
        "t".into(),
        ArticleText::normalize("Ada"),
        NOW,
    );
    let id = document
        .add(
            CharRange::from_raw(0, 3).unwrap(),
            Label::parse_any("article").unwrap(),
            NOW,
        )
        .unwrap()
        .id
        .clone();
    document
        .set_attribute(&id, "note", Some("kept"), NOW)
        .unwrap();
    document.set_note(None, "the article's", NOW).unwrap();
    let config = label_studio::config_for(&[&document], &Schema::default());
    assert_eq!(
        config.matches("name=\"article_note\"").count(),
        1,
        "{config}"
    );
    let imported = label_studio::import(&label_studio::export(&[&document]), NOW).unwrap();
    assert_eq!(
        imported[0].annotations()[0].attributes.get("note"),
        Some("kept")
    );
    assert_eq!(imported[0].note.as_deref(), Some("the article's"));
}

// ---------------------------------------------------------------------------------------------
// Import.
// ---------------------------------------------------------------------------------------------

#[test]
fn import_of_the_golden_file_gives_back_the_source_documents() {
    let documents = source_documents();
    let golden =
        std::fs::read_to_string(fixture_dir().join("label_studio/source.label-studio.json"))
            .unwrap();
    let imported = label_studio::import(&golden, NOW).unwrap();
    assert_eq!(all_carried(&imported), all_carried(&documents));
    assert_eq!(all_details(&imported), all_details(&documents));
    assert_eq!(all_authors(&imported), all_authors(&documents));
    for document in &imported {
        document.check_invariants().unwrap();
        // Times are not in the format.
        assert_eq!((document.created, document.modified), (NOW, NOW));
    }
}

#[test]
fn detection_knows_label_studio_and_nothing_else() {
    let documents = source_documents();
    let golden = label_studio::export(&refs(&documents));
    assert!(label_studio::looks_like(&golden));
    assert!(label_studio::looks_like(
        r#"{"data": {"text": "one task"}}"#
    ));
    for other in [
        native::export(documents.iter(), &annotator_core::model::Schema::default()),
        w3c::export(&refs(&documents)),
        "{\"data\": {\"text\": \"a\"}}\n{\"data\": {\"text\": \"b\"}}\n".to_owned(),
        r#"[{"text": "abc", "label": [[0, 1, "data"]]}]"#.to_owned(),
        r#"{"text": "the \"data\": here", "spans": []}"#.to_owned(),
        String::new(),
    ] {
        assert!(!label_studio::looks_like(&other), "{other}");
    }
}

fn import_value(value: &Value) -> Result<Vec<Document>, ImportError> {
    label_studio::import(&value.to_string(), NOW)
}

fn labels_result(id: &str, start: usize, end: usize, labels: Value) -> Value {
    json!({"id": id, "from_name": "label", "to_name": "text", "type": "labels",
           "value": {"start": start, "end": end, "labels": labels}})
}

/// One task with text "Hello wide world" and one result "r1" tagging "wide" as a quote.
fn small() -> Value {
    json!([{"id": 17, "data": {"text": "Hello wide world"},
            "annotations": [{"result": [labels_result("r1", 6, 10, json!(["quote"]))]}]}])
}

const SMALL_RESULT: &str = "task 1 (id 17), result \"r1\"";

fn value_of(file: &mut Value) -> &mut Value {
    &mut file[0]["annotations"][0]["result"][0]["value"]
}

#[test]
fn an_offset_past_the_end_is_refused_naming_task_and_result() {
    let mut file = small();
    value_of(&mut file)["end"] = json!(99);
    let error = import_value(&file).unwrap_err();
    assert_eq!(error.record, SMALL_RESULT);
    assert!(
        matches!(
            error.problem,
            Problem::PastEnd {
                end: 99,
                len: 16,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn start_not_before_end_is_refused_naming_task_and_result() {
    let mut file = small();
    value_of(&mut file)["start"] = json!(10);
    let error = import_value(&file).unwrap_err();
    assert_eq!(error.record, SMALL_RESULT);
    assert_eq!(
        error.problem,
        Problem::StartNotBeforeEnd { start: 10, end: 10 }
    );
}

#[test]
fn quoted_text_that_disagrees_is_refused() {
    let mut file = small();
    value_of(&mut file)["text"] = json!("WIDE");
    let error = import_value(&file).unwrap_err();
    assert_eq!(error.record, SMALL_RESULT);
    assert!(
        matches!(&error.problem, Problem::TextMismatch { expected, found, .. } if expected == "WIDE" && found == "wide"),
        "{error}"
    );
}

#[test]
fn a_bad_label_is_refused_naming_task_and_result() {
    let mut file = small();
    value_of(&mut file)["labels"] = json!(["ok", "tab\there"]);
    let error = import_value(&file).unwrap_err();
    assert_eq!(error.record, format!("{SMALL_RESULT}, label 2"));
    assert!(
        matches!(
            error.problem,
            Problem::Label(InvalidLabel::ControlCharacter(_))
        ),
        "{error}"
    );
    value_of(&mut file)["labels"] = json!([]);
    assert!(import_value(&file)
        .unwrap_err()
        .to_string()
        .contains("empty"));
    value_of(&mut file)["labels"] = json!([1]);
    assert_eq!(import_value(&file).unwrap_err().record, SMALL_RESULT);
}

#[test]
fn unknown_shapes_are_refused_naming_what_is_wrong() {
    let mut no_value = small();
    no_value[0]["annotations"][0]["result"][0]
        .as_object_mut()
        .unwrap()
        .remove("value");
    let mut float_offset = small();
    value_of(&mut float_offset)["start"] = json!(6.5);
    let cases = [
        (json!("tasks"), "the file", "not a string"),
        (json!([1]), "task 1", "must be an object"),
        (
            json!([{"id": 3, "text": "no data"}]),
            "task 1 (id 3)",
            "no \"data\" object",
        ),
        (
            json!([{"data": {"text": "x"}, "annotations": {}}]),
            "task 1",
            "\"annotations\" must be an array",
        ),
        (
            json!([{"data": {"text": "x"}, "annotations": [{"result": 5}]}]),
            "task 1, annotations 1",
            "\"result\" must be an array",
        ),
        (json!([{"data": {"n": 1}}]), "task 1", "no text"),
        (
            json!([{"data": {"a": "x", "b": "y"}}]),
            "task 1",
            "several string fields (\"a\", \"b\")",
        ),
        (no_value, SMALL_RESULT, "no \"value\""),
        (
            float_offset,
            SMALL_RESULT,
            "whole number of code points, not 6.5",
        ),
    ];
    for (input, record, needle) in cases {
        let error = import_value(&input).unwrap_err();
        assert_eq!(error.record, record, "{input}");
        assert!(matches!(error.problem, Problem::Shape(_)), "{error}");
        assert!(error.to_string().contains(needle), "{error}");
    }
    let error = label_studio::import("[{\"data\": ", NOW).unwrap_err();
    assert_eq!(error.record, "the file");
    assert!(matches!(error.problem, Problem::Json { .. }));
}

#[test]
fn every_annotation_not_cancelled_is_read_else_the_first_prediction() {
    let file = json!([{
        "id": 1,
        "data": {"text": "Ada met Bob."},
        "annotations": [
            {"was_cancelled": true, "result": [labels_result("x", 0, 3, json!(["claim"]))]},
            {"was_cancelled": false, "result": [labels_result("y", 8, 11, json!(["entity"]))]},
            {"result": [labels_result("z", 4, 7, json!(["quote"]))]}
        ],
        "predictions": [{"result": [labels_result("p", 0, 3, json!(["PER"]))]}]
    }, {
        "data": {"text": "Ada met Bob."},
        "annotations": [{"was_cancelled": true, "result": []}],
        "predictions": [
            {"model_version": "v1", "result": [labels_result("p", 0, 3, json!(["PER"]))]},
            {"model_version": "v2", "result": [labels_result("q", 8, 11, json!(["PER"]))]}
        ]
    }, {
        "data": {"text": "Ada met Bob."}
    }]);
    let documents = import_value(&file).unwrap();
    assert_eq!(documents.len(), 3);
    assert_eq!(
        spans(&documents[..1]),
        [("met".to_owned(), "quote"), ("Bob".to_owned(), "entity")]
    );
    assert_eq!(documents[0].annotations()[1].id.as_str(), "y");
    assert_eq!(spans(&documents[1..2]), [("Ada".to_owned(), "PER")]);
    assert!(documents[2].annotations().is_empty());
    // The same text and no document_id: the same derived id, made unique.
    assert_eq!(documents[1].id.as_str(), format!("{}-2", documents[0].id));
    assert_eq!(documents[0].title, "Ada met Bob.");
}

#[test]
fn other_result_types_are_skipped_and_several_labels_give_several_spans() {
    let file = json!({
        "data": {"text": "Ada met Bob.", "title": "Meeting", "document_id": 42},
        "annotations": [{"result": [
            {"id": "c", "from_name": "sentiment", "to_name": "text", "type": "choices",
             "value": {"choices": ["Positive"]}},
            labels_result("r1", 0, 3, json!(["PER", "entity"])),
            {"from_id": "r1", "to_id": "r2", "type": "relation", "direction": "right"},
            labels_result("r2", 8, 11, json!(["PER"]))
        ]}]
    });
    let documents = import_value(&file).unwrap();
    assert_eq!(documents.len(), 1, "a single task object is read too");
    let document = &documents[0];
    assert_eq!(
        (document.id.as_str(), document.title.as_str()),
        ("42", "Meeting")
    );
    assert_eq!(
        spans(&documents),
        [
            ("Ada".to_owned(), "PER"),
            ("Ada".to_owned(), "entity"),
            ("Bob".to_owned(), "PER")
        ]
    );
    // One result with two labels cannot lend its id to both spans: all are numbered instead.
    let ids: Vec<&str> = document
        .annotations()
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(ids, ["a1", "a2", "a3"]);
}

#[test]
fn the_text_is_found_under_to_name_text_or_the_only_string_field() {
    let result = |to_name: &str| {
        json!([{"id": "r", "from_name": "ner", "to_name": to_name, "type": "labels",
                "value": {"start": 0, "end": 3, "text": "Ada", "labels": ["PER"]}}])
    };
    let with = |data: Value, to_name: &str| {
        import_value(&json!([{"data": data, "annotations": [{"result": result(to_name)}]}]))
    };
    for (data, to_name) in [
        (json!({"body": "Ada met Bob.", "text": "not this"}), "body"),
        (json!({"text": "Ada met Bob.", "body": 3}), "body"),
        (
            json!({"content": "Ada met Bob.", "title": "T", "document_id": "d"}),
            "tagged",
        ),
    ] {
        let documents = with(data.clone(), to_name).unwrap();
        assert_eq!(spans(&documents), [("Ada".to_owned(), "PER")], "{data}");
    }
    let two_texts = json!([{"data": {"a": "Ada", "b": "Bob"}, "annotations": [{"result": [
        {"id": "r1", "to_name": "a", "type": "labels", "value": {"start": 0, "end": 3, "labels": ["PER"]}},
        {"id": "r2", "to_name": "b", "type": "labels", "value": {"start": 0, "end": 3, "labels": ["PER"]}}
    ]}]}]);
    let error = import_value(&two_texts).unwrap_err();
    assert_eq!(error.record, "task 1, result \"r2\"");
    assert!(error.to_string().contains("only one text"), "{error}");
}

#[test]
fn relations_attribute_values_and_notes_come_back_exactly() {
    let documents = source_documents();
    let imported = label_studio::import(
        &label_studio::export_with(&refs(&documents), &Schema::default()),
        NOW,
    )
    .unwrap();
    assert_eq!(all_details(&imported), all_details(&documents));
    let merkel = &imported[2].annotations()[0];
    // The attribute the schema lacks and the value it lacks are kept.
    assert_eq!(merkel.attributes.get("wikipedia"), Some("Angela Merkel"));
    let berlin = imported[2].annotation(&annotator_core::model::AnnotationId::new("a3"));
    assert_eq!(berlin.unwrap().attributes.get("kind"), Some("city"));
    assert!(imported[2]
        .relations()
        .iter()
        .any(|r| r.kind.as_str() == "located_in"));
    assert!(imported[0].note.is_some());
    for d in &imported {
        d.check_invariants().unwrap();
    }
}

/// A task over "Ada met Bob." with regions "r1" (Ada, PER) and "r2" (Bob, PER) and `more`
/// results before them.
fn two_regions(more: Value) -> Value {
    let mut results = more.as_array().unwrap().clone();
    results.push(labels_result("r1", 0, 3, json!(["PER"])));
    results.push(labels_result("r2", 8, 11, json!(["PER"])));
    json!([{"id": 5, "data": {"text": "Ada met Bob."}, "annotations": [{"result": results}]}])
}

#[test]
fn label_studio_relations_choices_and_textareas_of_other_projects_are_read() {
    let file = two_regions(json!([
        // Before the regions they name: read all the same.
        {"from_id": "r2", "to_id": "r1", "type": "relation", "direction": "left", "labels": ["knows", "likes"]},
        {"from_id": "r1", "to_id": "r2", "type": "relation", "direction": "bi"},
        {"id": "r1", "from_name": "sentiment", "to_name": "text", "type": "choices",
         "value": {"start": 0, "end": 3, "choices": ["Positive", "Curious"]}},
        {"id": "r1", "from_name": "PER_wikidata", "to_name": "text", "type": "textarea",
         "value": {"start": 0, "end": 3, "text": ["Q7259", "(Lovelace)"]}},
        {"id": "r2", "from_name": "note", "to_name": "text", "type": "textarea",
         "value": {"start": 8, "end": 11, "text": ["first", "second"]}},
        {"id": "r2", "from_name": "note", "to_name": "text", "type": "textarea",
         "value": {"start": 8, "end": 11, "text": []}},
        {"id": "doc", "from_name": "topic", "to_name": "text", "type": "choices",
         "value": {"choices": ["Science"]}},
        {"id": "doc2", "from_name": "article_note", "to_name": "text", "type": "textarea",
         "value": {"text": "one string"}},
        {"id": "r1", "from_name": "stars", "to_name": "text", "type": "rating", "value": {"rating": 4}}
    ]));
    let documents = import_value(&file).unwrap();
    let d = &documents[0];
    d.check_invariants().unwrap();
    let ada = &d.annotations()[0];
    assert_eq!(
        ada.attributes.iter().collect::<Vec<_>>(),
        [
            ("sentiment", "Positive, Curious"),
            ("wikidata", "Q7259 (Lovelace)")
        ]
    );
    assert_eq!(d.annotations()[1].note.as_deref(), Some("first\nsecond"));
    assert_eq!(d.note.as_deref(), Some("one string"));
    let relations: Vec<String> = d.relations().iter().map(ToString::to_string).collect();
    assert_eq!(relations, ["r1 knows r2", "r1 likes r2", "r1 related r2"]);
}

#[test]
fn relations_and_region_results_that_name_no_region_are_refused() {
    let cases = [
        (
            json!([{"from_id": "r1", "to_id": "r9", "type": "relation", "labels": ["x"]}]),
            "task 1 (id 5), result 1",
            "\"to_id\" is \"r9\", but no \"labels\" result has that id",
        ),
        (
            json!([{"from_id": 1, "to_id": "r2", "type": "relation"}]),
            "task 1 (id 5), result 1",
            "its \"from_id\" is not a string",
        ),
        (
            json!([{"from_id": "r1", "to_id": "r1", "type": "relation"}]),
            "task 1 (id 5), result 1",
            "links a region to itself",
        ),
        (
            json!([{"from_id": "r1", "to_id": "r2", "type": "relation", "labels": {"x": 1}}]),
            "task 1 (id 5), result 1",
            "\"labels\" must be a list of strings, not an object",
        ),
        (
            json!([{"id": "r1", "from_name": "kind", "type": "choices", "value": {"choices": [1]}}]),
            "task 1 (id 5), result \"r1\"",
            "each of its \"choices\" must be a string, not a number",
        ),
        (
            json!([{"id": "r1", "type": "choices", "value": {"choices": ["x"]}}]),
            "task 1 (id 5), result \"r1\"",
            "needs a \"from_name\"",
        ),
        (
            json!([{"id": "r1", "from_name": "kind", "type": "textarea"}]),
            "task 1 (id 5), result \"r1\"",
            "no \"value\" object",
        ),
    ];
    for (results, record, needle) in cases {
        let error = import_value(&two_regions(results.clone())).unwrap_err();
        assert_eq!(error.record, record, "{results}");
        assert!(matches!(error.problem, Problem::Shape(_)), "{error}");
        assert!(error.to_string().contains(needle), "{error}");
    }
    // A value the model cannot hold (a line break) names the result too.
    let error = import_value(&two_regions(json!([
        {"id": "r1", "from_name": "kind", "type": "textarea", "value": {"text": ["a\nb"]}}
    ])))
    .unwrap_err();
    assert_eq!(error.record, "task 1 (id 5), result \"r1\"");
    assert!(matches!(error.problem, Problem::Invalid(_)), "{error}");
}

#[test]
fn the_fuzz_seed_with_relations_is_valid_input() {
    let seed = fixture_dir().join("../../../fuzz/seeds/label_studio/seed-relations.json");
    let documents = label_studio::import(&std::fs::read_to_string(seed).unwrap(), NOW).unwrap();
    assert_eq!(all_details(&documents), all_details(&source_documents()));
}

// ---------------------------------------------------------------------------------------------
// Annotators.
// ---------------------------------------------------------------------------------------------

/// One task over "Ada met Bob." with `entries` as its annotations.
fn task_with(entries: Value) -> Value {
    json!([{"id": 3, "data": {"text": "Ada met Bob."}, "annotations": entries}])
}

fn authors_of(document: &Document) -> Vec<(String, Option<String>, Option<String>)> {
    carried_authors(document)
        .into_iter()
        .map(|(start, end, _, made, changed)| {
            (
                python_slice(document.text().as_str(), start, end),
                made,
                changed,
            )
        })
        .collect()
}

#[test]
fn several_annotators_entries_are_merged_naming_who_had_a_shared_span() {
    let mut bob_ada = labels_result("b1", 0, 3, json!(["PER"]));
    bob_ada["meta"] = json!({"changed_by": "cy", "text": ["Label Studio's own region meta"]});
    let file = task_with(json!([
        {"created_username": "ann", "result": [
            labels_result("a1", 0, 3, json!(["PER"])),
            {"id": "a1", "from_name": "note", "to_name": "text", "type": "textarea",
             "value": {"start": 0, "end": 3, "text": ["ann's note"]}},
            // To a region of bob's entry.
            {"from_id": "a1", "to_id": "b2", "type": "relation", "labels": ["knows"]}]},
        {"created_username": "bob", "result": [
            bob_ada,
            labels_result("b2", 8, 11, json!(["PER"])),
            // The same region id as ann's: the note is on bob's own span, not on hers.
            {"id": "b2", "from_name": "note", "to_name": "text", "type": "textarea",
             "value": {"start": 8, "end": 11, "text": ["bob's note"]}}]}
    ]));
    let documents = import_value(&file).unwrap();
    let d = &documents[0];
    d.check_invariants().unwrap();
    assert_eq!(
        authors_of(d),
        [
            ("Ada".to_owned(), Some("ann".to_owned()), None),
            ("Bob".to_owned(), Some("bob".to_owned()), None)
        ]
    );
    let [ada, bob] = d.annotations() else {
        panic!("Ada once, Bob once");
    };
    assert_eq!(ada.attributes.get("annotators"), Some("ann, bob"));
    assert_eq!(ada.note.as_deref(), Some("ann's note"));
    assert_eq!(bob.attributes.get("annotators"), None);
    assert_eq!(bob.note.as_deref(), Some("bob's note"));
    let relations: Vec<String> = d.relations().iter().map(ToString::to_string).collect();
    assert_eq!(relations, ["a1 knows b2"]);
}

#[test]
fn label_studio_user_fields_give_the_maker() {
    let entry = |user: Value| {
        let mut entry = json!({"result": [labels_result("r", 0, 3, json!(["PER"]))]});
        entry
            .as_object_mut()
            .unwrap()
            .extend(user.as_object().unwrap().clone());
        entry
    };
    let cases = [
        // What Label Studio's export writes: "First Last email, id".
        (
            json!({"completed_by": 1, "created_username": "Ann Lee ann@example.org, 1"}),
            Some("Ann Lee ann@example.org"),
        ),
        (
            json!({"completed_by": 1, "created_username": " ann@example.org, 1"}),
            Some("ann@example.org"),
        ),
        (json!({"completed_by": 1, "created_username": ""}), None),
        (
            json!({"completed_by": {"id": 2, "email": "bob@example.org"}}),
            Some("bob@example.org"),
        ),
        (json!({"completed_by": 7}), None),
        (json!({"created_username": null}), None),
    ];
    for (user, expected) in cases {
        let documents = import_value(&task_with(json!([entry(user.clone())]))).unwrap();
        let made_by = documents[0].annotations()[0].authors.made_by.clone();
        assert_eq!(made_by.as_ref().map(|n| n.as_str()), expected, "{user}");
    }
    // Predictions are a model's: nobody made them.
    let predicted = json!([{"data": {"text": "Ada"}, "predictions": [
        {"created_username": "model", "result": [labels_result("p", 0, 3, json!(["PER"]))]}]}]);
    let documents = import_value(&predicted).unwrap();
    assert!(documents[0].annotations()[0].authors.is_empty());
}

#[test]
fn bad_annotator_names_are_refused_naming_annotation_or_result() {
    let long = "x".repeat(65);
    let cases = [
        (
            json!([{"created_username": long, "result": []}]),
            "task 1 (id 3), annotations 1",
            "\"created_username\": an annotator name is at most 64 characters",
        ),
        (
            json!([{"created_username": 5, "result": []}]),
            "task 1 (id 3), annotations 1",
            "\"created_username\" must be a string, not a number",
        ),
        (
            json!([{"created_username": "a\nb", "result": []}]),
            "task 1 (id 3), annotations 1",
            "one line",
        ),
        (
            json!([{"completed_by": {"email": ["x"]}, "result": []}]),
            "task 1 (id 3), annotations 1",
            "\"completed_by.email\" must be a string",
        ),
        (
            json!([{"result": [{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
                                "value": {"start": 0, "end": 3, "labels": ["PER"]},
                                "meta": {"changed_by": "  "}}]}]),
            "task 1 (id 3), result \"r1\"",
            "\"meta.changed_by\": an annotator name cannot be empty",
        ),
        (
            json!([{"result": [{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
                                "value": {"start": 0, "end": 3, "labels": ["PER"]},
                                "meta": {"changed_by": "ann, bob"}}]}]),
            "task 1 (id 3), result \"r1\"",
            "comma",
        ),
        (
            json!([{"result": []}, {"result": [{"id": "r1", "from_name": "label", "to_name": "text",
                "type": "labels", "value": {"start": 0, "end": 3, "labels": ["PER"]},
                "meta": {"changed_by": 3}}]}]),
            "task 1 (id 3), annotations 2, result \"r1\"",
            "\"meta.changed_by\" must be a string",
        ),
    ];
    for (entries, record, needle) in cases {
        let error = import_value(&task_with(entries.clone())).unwrap_err();
        assert_eq!(error.record, record, "{entries}: {error}");
        assert!(error.to_string().contains(needle), "{entries}: {error}");
    }
    // A region `meta` that is not an object (Label Studio's is free-form) names nobody.
    let mut odd = labels_result("r1", 0, 3, json!(["PER"]));
    odd["meta"] = json!(["x"]);
    let documents = import_value(&task_with(json!([{"result": [odd]}]))).unwrap();
    assert!(documents[0].annotations()[0].authors.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Property tests.
// ---------------------------------------------------------------------------------------------

/// A random document; Label Studio does not carry times, so all are the import's.
fn any_document() -> impl Strategy<Value = Document> {
    random_document(&[], Just((NOW, NOW)))
}

/// [`any_document`] with random attribute values, notes, relations and authors.
fn any_detailed_document() -> impl Strategy<Value = Document> {
    (
        any_document(),
        support::details(12),
        prop::collection::vec(support::any_authors(), 0..6),
    )
        .prop_map(|(d, details, authors)| {
            support::with_authors(support::with_details(d, details), &authors)
        })
}

proptest! {
    #[test]
    fn import_of_export_gives_back_what_the_format_carries(documents in prop::collection::vec(any_detailed_document(), 0..4)) {
        let documents = support::with_library_ids(documents);
        let imported = label_studio::import(&label_studio::export(&refs(&documents)), NOW).unwrap();
        prop_assert_eq!(all_carried(&imported), all_carried(&documents));
        prop_assert_eq!(all_details(&imported), all_details(&documents));
        prop_assert_eq!(all_authors(&imported), all_authors(&documents));
        for d in &imported {
            d.check_invariants().unwrap();
        }
        let config = label_studio::config_for(&refs(&documents), &Schema::default());
        for relation in documents.iter().flat_map(|d| d.relations()) {
            let escaped = relation.kind.as_str().replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
            let wanted = format!("<Relation value=\"{escaped}\"/>");
            prop_assert!(config.contains(&wanted));
        }
        for label in documents.iter().flat_map(|d| d.annotations()).map(|a| &a.label) {
            let escaped = label.as_str().replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
            let wanted = format!("<Label value=\"{escaped}\"/>");
            prop_assert!(config.contains(&wanted));
        }
    }

    #[test]
    fn import_of_arbitrary_strings_never_panics(s in any::<String>()) {
        let _ = label_studio::import(&s, NOW);
        let _ = label_studio::looks_like(&s);
    }

    #[test]
    fn import_of_damaged_exports_never_panics(
        d in any_document(),
        cut in any::<Index>(),
        cut_len in 0usize..8,
        insert in support::junk("\"labels\""),
    ) {
        let damaged = support::damaged(&label_studio::export(&[&d]), cut, cut_len, &insert);
        if let Ok(documents) = label_studio::import(&damaged, NOW) {
            for document in documents {
                document.check_invariants().unwrap();
            }
        }
    }
}
