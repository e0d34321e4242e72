//! A file that holds the same span with the same label twice (several annotators' work merged
//! into one file) is imported, each such span once, and the count is told, in every format that
//! can hold it; the annotators who had it are all kept.

use annotator_core::formats::dataset::OffsetUnit;
use annotator_core::formats::detect::{detect, parse_keeping_quotes, InputFile};
use annotator_core::model::Timestamp;

/// A span as the tests compare it: start, end, label and its `annotators` value.
type Seen = (usize, usize, String, Option<String>);

fn read(name: &str, contents: &str) -> (usize, Vec<Seen>) {
    let files = [InputFile {
        name: name.to_owned(),
        bytes: contents.as_bytes().to_vec(),
    }];
    let format = detect(&files).unwrap();
    let read = parse_keeping_quotes(&files, format, OffsetUnit::CodePoint, Timestamp::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let spans = read.documents[0]
        .annotations()
        .iter()
        .map(|a| {
            (
                a.range.start().get(),
                a.range.end().get(),
                a.label.as_str().to_owned(),
                a.attributes.get("annotators").map(str::to_owned),
            )
        })
        .collect();
    (read.merged_spans, spans)
}

const TEXT: &str = "Ana said “we will win” 😀 today.";

#[test]
fn native_files_with_twice_tagged_spans_import_each_once_with_every_annotator() {
    let file = format!(
        r#"{{"format":"article-annotator","version":2,"offset_unit":"codepoint","documents":[{{
        "id":"d","title":"t","text":"{TEXT}","created":"2026-01-01T00:00:00.000Z",
        "modified":"2026-01-01T00:00:00.000Z","annotations":[
        {{"id":"a1","label":"entity","start":0,"end":3,"text":"Ana","attributes":{{"annotators":"ann"}}}},
        {{"id":"a2","label":"quote","start":9,"end":22,"text":"“we will win”"}},
        {{"id":"a3","label":"entity","start":0,"end":3,"text":"Ana","attributes":{{"annotators":"bob"}}}},
        {{"id":"a4","label":"quote","start":9,"end":22,"text":"“we will win”","note":"direct"}}],
        "relations":[{{"from":"a4","to":"a3","type":"said_by"}},{{"from":"a2","to":"a1","type":"said_by"}}]}}]}}"#
    );
    let (merged, spans) = read("merged.json", &file);
    assert_eq!(merged, 2);
    assert_eq!(
        spans,
        vec![
            (0, 3, "entity".to_owned(), Some("ann, bob".to_owned())),
            (9, 22, "quote".to_owned(), None),
        ]
    );
}

#[test]
fn jsonl_and_brat_merge_them_too() {
    let jsonl = format!(
        r#"{{"text":"{TEXT}","spans":[{{"start":0,"end":3,"label":"entity"}},{{"start":0,"end":3,"label":"entity"}},{{"start":0,"end":3,"label":"quote"}}]}}"#
    );
    let (merged, spans) = read("merged.jsonl", &jsonl);
    assert_eq!((merged, spans.len()), (1, 2));

    // brat: two text-bound annotations on the same place with the same type.
    let files = [
        InputFile {
            name: "a.txt".into(),
            bytes: TEXT.as_bytes().to_vec(),
        },
        InputFile {
            name: "a.ann".into(),
            bytes: b"T1\tEntity 0 3\tAna\nT2\tEntity 0 3\tAna\n".to_vec(),
        },
    ];
    let format = detect(&files).unwrap();
    let read =
        parse_keeping_quotes(&files, format, OffsetUnit::CodePoint, Timestamp::default()).unwrap();
    assert_eq!(read.merged_spans, 1);
    assert_eq!(read.documents[0].annotations().len(), 1);
}
