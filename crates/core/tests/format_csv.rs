#![cfg(not(target_arch = "wasm32"))]
//! The CSV export (a zip of `spans.csv`, `relations.csv` and `documents.csv`) of
//! `src/formats/csv.rs`.
//!
//! Why: people open these tables in spreadsheets and `pandas.read_csv`, and their texts and
//! notes hold commas, quotes, newlines, emoji and RTL script, so RFC 4180 quoting must be exact.
//! Golden files pin the bytes for the shared format fixture (the zip and its three tables); a
//! small RFC 4180 reader written here (not the exporter's code) reads them back, and every span
//! row must name its document and give the span's label, code point offsets, exactly
//! `text[start:end]`, who made and last changed it (two columns always there, empty for nobody),
//! its attribute values (one column per name in use, a name the schema lacks too) and its note;
//! every relation row its two ends. CSV cannot be imported (it does not carry
//! the document text), so reading it back with an independent parser is the round trip.

#[path = "support/formats.rs"]
mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;

use annotator_core::formats::catalogue::ExportFormat;
use annotator_core::formats::dataset::OffsetUnit;
use annotator_core::formats::{csv, detect, doccano, jsonl, zip};
use annotator_core::model::{AnnotatorName, CharRange, Document, Schema};
use proptest::prelude::*;
use support::{fixture_dir, python_slice, source_documents};

fn csv_dir() -> PathBuf {
    fixture_dir().join("csv")
}

/// The three tables of the shared fixture's export, as text.
fn source_tables() -> (String, String, String) {
    let documents = source_documents();
    let refs = support::refs(&documents);
    (
        csv::spans_table(&refs),
        csv::relations_table(&refs),
        csv::documents_table(&refs),
    )
}

// ---------------------------------------------------------------------------------------------
// A tiny RFC 4180 reader, strict: it refuses anything the RFC does not allow, so a quoting
// mistake in the exporter fails here instead of being read leniently.
// ---------------------------------------------------------------------------------------------

/// Records of an RFC 4180 file whose every record ends with CRLF.
fn parse_rfc4180(input: &str) -> Result<Vec<Vec<String>>, String> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = input.chars().peekable();
    // At the start of a field: is it quoted?
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        if at_field_start && c == '"' {
            // A quoted field: runs to the closing quote; "" is a quote.
            loop {
                match chars.next() {
                    None => return Err("unterminated quoted field".into()),
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(other) => field.push(other),
                }
            }
            match chars.peek() {
                Some(',') | Some('\r') | None => {}
                Some(other) => return Err(format!("{other:?} after a closing quote")),
            }
            at_field_start = false;
            continue;
        }
        at_field_start = false;
        match c {
            ',' => {
                record.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' => {
                if chars.next() != Some('\n') {
                    return Err("CR not followed by LF outside quotes".into());
                }
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_field_start = true;
            }
            '\n' => return Err("bare LF outside quotes".into()),
            '"' => return Err("quote inside an unquoted field".into()),
            other => field.push(other),
        }
    }
    if !record.is_empty() || !field.is_empty() {
        return Err("the last record does not end with CRLF".into());
    }
    Ok(records)
}

#[test]
fn the_test_reader_reads_rfc4180_and_refuses_what_it_forbids() {
    assert_eq!(
        parse_rfc4180("a,\"b,\"\"c\"\"\r\nd\",\r\n").unwrap(),
        [vec![
            "a".to_owned(),
            "b,\"c\"\r\nd".to_owned(),
            String::new()
        ]]
    );
    for bad in ["a\n", "a", "\"a\"b\r\n", "a\"b\r\n", "\"a\r\n", "a\rb\r\n"] {
        assert!(parse_rfc4180(bad).is_err(), "{bad:?}");
    }
}

/// The rows `spans.csv` must have for `documents`: header, then every span in text order, with
/// a column per attribute name in use and the note last.
fn expected_span_rows(documents: &[Document]) -> Vec<Vec<String>> {
    let names: BTreeSet<&str> = documents
        .iter()
        .flat_map(|d| d.annotations())
        .flat_map(|a| a.attributes.names())
        .collect();
    let mut header: Vec<String> = [
        "document_id",
        "annotation_id",
        "label",
        "start",
        "end",
        "text",
        "made_by",
        "changed_by",
    ]
    .map(String::from)
    .to_vec();
    header.extend(names.iter().map(|n| format!("attr:{n}")));
    header.push("note".into());
    let mut rows = vec![header];
    for document in documents {
        for a in document.annotations() {
            let mut row = vec![
                document.id.to_string(),
                a.id.to_string(),
                a.label.as_str().to_owned(),
                a.range.start().get().to_string(),
                a.range.end().get().to_string(),
                python_slice(
                    document.text().as_str(),
                    a.range.start().get(),
                    a.range.end().get(),
                ),
                name(&a.authors.made_by),
                name(&a.authors.changed_by),
            ];
            row.extend(
                names
                    .iter()
                    .map(|n| a.attributes.get(n).unwrap_or_default().to_owned()),
            );
            row.push(a.note.as_deref().unwrap_or_default().to_owned());
            rows.push(row);
        }
    }
    rows
}

/// An annotator's name; empty for nobody.
fn name(name: &Option<AnnotatorName>) -> String {
    name.as_ref()
        .map(|n| n.as_str().to_owned())
        .unwrap_or_default()
}

/// The rows `relations.csv` must have: every relation with the texts of its ends.
fn expected_relation_rows(documents: &[Document]) -> Vec<Vec<String>> {
    let mut rows = vec![[
        "document_id",
        "type",
        "from_id",
        "to_id",
        "from_text",
        "to_text",
    ]
    .map(String::from)
    .to_vec()];
    for document in documents {
        let text_of = |id| {
            let a = document.annotation(id).unwrap();
            document.text().slice(a.range).unwrap().to_owned()
        };
        for r in document.relations() {
            rows.push(vec![
                document.id.to_string(),
                r.kind.to_string(),
                r.from.to_string(),
                r.to.to_string(),
                text_of(&r.from),
                text_of(&r.to),
            ]);
        }
    }
    rows
}

/// The rows `documents.csv` must have: every document, with or without spans.
fn expected_document_rows(documents: &[Document]) -> Vec<Vec<String>> {
    let mut rows = vec![["document_id", "title", "note"].map(String::from).to_vec()];
    for d in documents {
        rows.push(vec![
            d.id.to_string(),
            d.title.clone(),
            d.note.as_deref().unwrap_or_default().to_owned(),
        ]);
    }
    rows
}

/// The three tables of a CSV zip, by name, read with the zip reader and the RFC 4180 reader.
fn unzip_tables(archive: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    zip::read(archive)
        .unwrap()
        .into_iter()
        .map(|(name, bytes)| {
            let text = String::from_utf8(bytes).unwrap();
            let rows = parse_rfc4180(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, rows)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Export.
// ---------------------------------------------------------------------------------------------

/// Set `UPDATE_GOLDEN=1` to rewrite the golden files (the zip and its three tables beside it,
/// for a readable diff; see `support::assert_golden`).
#[test]
fn export_matches_the_golden_files_byte_for_byte() {
    let documents = source_documents();
    let archive = csv::export_zip(&support::refs(&documents));
    let zip_path = csv_dir().join("source.csv.zip");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&zip_path, &archive).unwrap();
    }
    for (name, bytes) in csv::export_files(&support::refs(&documents)) {
        support::assert_golden(
            &String::from_utf8(bytes).unwrap(),
            &format!("csv/source/{name}"),
        );
    }
    let golden = std::fs::read(&zip_path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 once)",
            zip_path.display()
        )
    });
    assert_eq!(archive, golden, "{}", zip_path.display());
}

#[test]
fn the_menu_entry_downloads_the_zip() {
    let documents = source_documents();
    let file = ExportFormat::Csv.export(&support::refs(&documents), &Schema::default(), "all");
    assert_eq!(file.name, "all.csv.zip");
    assert_eq!(file.mime, "application/zip");
    assert_eq!(file.bytes, csv::export_zip(&support::refs(&documents)));
    assert_eq!(
        ExportFormat::Csv.menu_name(),
        "CSV, spans and relations (zip)"
    );
}

#[test]
fn the_golden_zip_holds_the_three_tables_in_order() {
    let archive = std::fs::read(csv_dir().join("source.csv.zip")).unwrap();
    let names: Vec<String> = unzip_tables(&archive).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["spans.csv", "relations.csv", "documents.csv"]);
}

#[test]
fn the_golden_spans_read_back_with_their_python_slice_attributes_and_note() {
    let archive = std::fs::read(csv_dir().join("source.csv.zip")).unwrap();
    let tables = unzip_tables(&archive);
    let rows = &tables[0].1;
    assert_eq!(
        rows[0],
        [
            "document_id",
            "annotation_id",
            "label",
            "start",
            "end",
            "text",
            "made_by",
            "changed_by",
            "attr:check_worthy",
            "attr:id",
            "attr:kind",
            "attr:type",
            "attr:wikipedia",
            "note"
        ],
        "one column per attribute name in use, the one the schema lacks too"
    );
    assert_eq!(
        rows.len(),
        1 + 14 + 6,
        "one row per span; the plain document has none"
    );
    let documents = source_documents();
    for row in &rows[1..] {
        let [doc_id, id, label, start, end, text, ..] = row.as_slice() else {
            panic!("row {row:?} is too short");
        };
        let document = documents
            .iter()
            .find(|d| d.id.as_str() == doc_id)
            .unwrap_or_else(|| panic!("no document {doc_id}"));
        let (start, end): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
        assert_eq!(
            text,
            &python_slice(document.text().as_str(), start, end),
            "row {row:?}"
        );
        let annotation = document
            .annotation(&annotator_core::model::AnnotationId::new(id))
            .unwrap();
        assert_eq!(annotation.label.as_str(), label);
        assert_eq!(annotation.range, CharRange::from_raw(start, end).unwrap());
    }
    assert_eq!(rows, &expected_span_rows(&documents));
    // The value the schema lacks (kind = city) and the attribute it lacks are kept.
    assert!(rows.iter().any(|r| r[1] == "a3" && r[10] == "city"));
    assert!(rows.iter().any(|r| r[12] == "Angela Merkel"));
    // Who made and last changed a span: both, one of them, or nobody (empty).
    let authors = |doc: &str, id: &str| {
        let row = rows.iter().find(|r| r[0] == doc && r[1] == id).unwrap();
        (row[6].as_str(), row[7].as_str())
    };
    assert_eq!(authors("d-fixture-1", "a2"), ("ann", "李小龍"));
    assert_eq!(authors("d-fixture-1", "a5"), ("👩🏽‍💻 Zoë", ""));
    assert_eq!(authors("d-fixture-1", "a6"), ("", "ann"));
    assert_eq!(authors("d-fixture-1", "a4"), ("", ""));
}

#[test]
fn the_golden_relations_and_documents_read_back() {
    let archive = std::fs::read(csv_dir().join("source.csv.zip")).unwrap();
    let tables = unzip_tables(&archive);
    let documents = source_documents();
    let relations = &tables[1].1;
    assert_eq!(relations, &expected_relation_rows(&documents));
    assert_eq!(relations.len(), 1 + 5 + 3);
    assert!(relations.contains(
        &[
            "d-fixture-2",
            "said_by",
            "a4",
            "a1",
            "“Wir schaffen das.”",
            "Angela Merkel"
        ]
        .map(String::from)
        .to_vec()
    ));
    // Every relation's ends are spans of its document in spans.csv.
    let spans: BTreeSet<(&str, &str)> = tables[0].1[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    for r in &relations[1..] {
        assert!(spans.contains(&(r[0].as_str(), r[2].as_str())), "{r:?}");
        assert!(spans.contains(&(r[0].as_str(), r[3].as_str())), "{r:?}");
    }
    let document_rows = &tables[2].1;
    assert_eq!(document_rows, &expected_document_rows(&documents));
    assert_eq!(document_rows.len(), 1 + 3, "the plain document too");
}

#[test]
fn the_golden_tables_quote_what_needs_quoting_and_nothing_else() {
    let (spans, relations, documents) = source_tables();
    for table in [&spans, &relations, &documents] {
        assert!(table.ends_with("\r\n"));
        assert!(!table.starts_with('\u{feff}'), "no byte order mark");
    }
    // A quote in the span text is doubled inside a quoted field.
    assert!(spans.contains(",17,39,\"\"\"We love 北京市 and 日本語!\"\"\",ann,李小龍,,,,direct,,"));
    // A newline inside a span is kept inside quotes.
    assert!(spans.contains(",75,87,\"flags.\nمرحبا\",,,,,,mixed,,\r\n"));
    // A note with a line break, quotes and a tab is one quoted field.
    assert!(spans.contains(
        ",\"Quoted in 北京 — check the 👩‍👩‍👧‍👦 source.\nSecond line, \"\"quoted\"\", tab\there.\"\r\n"
    ));
    // A comma in the title forces quotes; plain fields stay bare.
    assert!(documents.contains("d-fixture-2,\"Custom labels, a flag and curly quotes\",\r\n"));
    assert!(relations.contains("d-fixture-1,same_as,a11,a12,مرحبا بالعالم,שלום\r\n"));
}

#[test]
fn no_documents_or_no_spans_give_only_the_headers() {
    let spans_header = "document_id,annotation_id,label,start,end,text,made_by,changed_by,note\r\n";
    let relations_header = "document_id,type,from_id,to_id,from_text,to_text\r\n";
    assert_eq!(csv::spans_table(&[]), spans_header);
    assert_eq!(csv::relations_table(&[]), relations_header);
    assert_eq!(csv::documents_table(&[]), "document_id,title,note\r\n");
    let plain = &source_documents()[1];
    assert!(plain.annotations().is_empty());
    assert_eq!(csv::spans_table(&[plain]), spans_header);
    assert_eq!(csv::relations_table(&[plain]), relations_header);
    assert_eq!(
        csv::documents_table(&[plain]),
        "document_id,title,note\r\nd-plain-2,Plain,\r\n"
    );
}

#[test]
fn the_tables_are_not_taken_for_an_importable_format() {
    let (spans, relations, documents) = source_tables();
    for table in [&spans, &relations, &documents] {
        assert!(!jsonl::looks_like(table));
        assert!(!doccano::looks_like(table));
    }
    // The zip is a zip: import offers it to the brat reader, which finds no brat files in it
    // and says so instead of importing nothing.
    let archive = csv::export_zip(&support::refs(&source_documents()));
    let files = [detect::InputFile {
        name: "all.csv.zip".into(),
        bytes: archive,
    }];
    let format = detect::detect(&files).unwrap();
    let error = detect::parse(&files, format, OffsetUnit::CodePoint, support::NOW).unwrap_err();
    assert!(error.to_string().contains("no brat files"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------------------------

/// A document made of tricky text with random spans (built-in and custom labels), with what is
/// tricky in CSV besides: doubled quotes, formulas, a CR or padding in titles, quotes and commas
/// in ids; attribute values (names with commas and quotes), notes (CRLF, tabs), relations and
/// authors (names with quotes).
fn any_document() -> impl Strategy<Value = Document> {
    (
        support::any_document(
            &["a,b", "q\"id"],
            &["cr\rin title", " padded "],
            &["\"\"", "=SUM(A1)"],
        ),
        support::details(8),
        prop::collection::vec(support::any_authors(), 0..6),
    )
        .prop_map(|(document, details, authors)| {
            support::with_authors(support::with_details(document, details), &authors)
        })
}

proptest! {
    #[test]
    fn an_independent_rfc4180_reader_gets_every_row_back(
        documents in prop::collection::vec(any_document(), 0..4),
    ) {
        let refs: Vec<&Document> = documents.iter().collect();
        let tables = unzip_tables(&csv::export_zip(&refs));
        prop_assert_eq!(tables.len(), 3);
        prop_assert_eq!(&tables[0].1, &expected_span_rows(&documents));
        prop_assert_eq!(&tables[1].1, &expected_relation_rows(&documents));
        prop_assert_eq!(&tables[2].1, &expected_document_rows(&documents));
    }
}
