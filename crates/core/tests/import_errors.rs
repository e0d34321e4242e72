//! What an import says when a file cannot be read: in words a user understands, naming what is
//! wrong and where, whatever format the file was taken for. An empty file is "empty"; broken
//! JSON is "not valid JSON at line …, column …", whether it was meant as native JSON, W3C, Label
//! Studio, JSONL or doccano; nothing is read from a file that is refused.

use annotator_core::formats::detect::InputFile;
use annotator_core::formats::job::{self, Outcome};
use annotator_core::model::Timestamp;

/// The record named and the problem, as the import dialog shows them.
fn refusal(name: &str, content: &str) -> String {
    let files = [InputFile {
        name: name.into(),
        bytes: content.as_bytes().to_vec(),
    }];
    match job::read(&files, None, Timestamp::from_unix_millis(0)) {
        Outcome::NotRead(failure) => failure.to_string(),
        Outcome::Read(read) => match read.documents {
            Err(failure) => failure.to_string(),
            Ok(documents) => panic!("{name}: read {} documents", documents.len()),
        },
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn an_empty_file_is_empty() {
    for content in ["", "   \n\r\n\t", "\u{feff}"] {
        assert_eq!(
            refusal("export.json", content),
            "export.json: the file is empty"
        );
    }
}

#[test]
fn broken_json_is_named_with_its_line_whatever_the_format() {
    let cases = [
        // Native JSON cut short.
        (
            "library.json",
            "{\"format\": \"article-annotator\",\n \"version\": 3,\n \"documents\": [",
            3,
        ),
        // W3C, a missing comma.
        (
            "w3c.json",
            "{\"@context\": \"http://www.w3.org/ns/anno.jsonld\"\n \"type\": \"Annotation\"}",
            2,
        ),
        // Label Studio, a trailing comma.
        (
            "ls.json",
            "[\n {\"data\": {\"text\": \"a\"},\n \"annotations\": [],}\n]",
            3,
        ),
        // Something that was meant to be JSON.
        ("notes.json", "{\n\n  title: \"no quotes\"\n}", 3),
    ];
    for (name, content, line) in cases {
        let message = refusal(name, content);
        assert!(
            message.starts_with(&format!("{name}: not valid JSON at line {line}, column ")),
            "{message}"
        );
    }
}

#[test]
fn a_broken_line_of_jsonl_is_named_by_its_line() {
    let content = "{\"text\": \"Jane spoke.\", \"label\": [[0, 4, \"PERSON\"]]}\n{\"text\": \"cut\", \"label\": [[0,\n";
    let message = refusal("data.jsonl", content);
    assert!(message.contains("line 2"), "{message}");
    assert!(message.contains("not valid JSON"), "{message}");
}

#[test]
fn the_messages_read_as_sentences() {
    assert_eq!(
        refusal(
            "library.json",
            "{\"format\": \"article-annotator\",\n \"documents\": ["
        ),
        "library.json: not valid JSON at line 2, column 15: the text ends before the JSON does \
         (is the file cut short?)"
    );
    assert_eq!(
        refusal(
            "w3c.json",
            "{\"@context\": \"http://www.w3.org/ns/anno.jsonld\"\n \"type\": 1}"
        ),
        "w3c.json: not valid JSON at line 2, column 2: expected `,` or `}`"
    );
    assert_eq!(
        refusal(
            "data.jsonl",
            "{\"text\": \"a\"}\n\n{\"text\": \"b\" \"label\": []}\n"
        ),
        "data.jsonl, line 3: not valid JSON at column 14: expected `,` or `}`"
    );
    // Valid JSON of another shape is not called broken.
    assert_eq!(
        refusal("list.json", "[1, 2, 3]"),
        "list.json: unknown shape: not a format this app reads (native JSON, JSONL, W3C Web \
         Annotation, doccano, Label Studio, brat .txt + .ann or a zip of them)"
    );
}
