#![cfg(not(target_arch = "wasm32"))]
//! The CSV export (one row per span) of `src/export/csv.rs`.
//!
//! Why: people open this file in spreadsheets and `pandas.read_csv`, and their texts hold
//! commas, quotes, newlines, emoji and RTL script, so RFC 4180 quoting must be exact. A golden
//! file pins the bytes for the shared format fixture; a small RFC 4180 reader written here (not
//! the exporter's code) reads the file back, and every row must name its document and give the
//! span's label, code point offsets and exactly `text[start:end]`. CSV cannot be imported (it
//! does not carry the document text), so reading it back with an independent parser is the
//! round trip.

#[path = "support/formats.rs"]
mod support;

use annotator_core::formats::{csv, doccano, jsonl};
use annotator_core::model::{CharRange, Document};
use proptest::prelude::*;
use support::{fixture_dir, source_documents};

fn source_export() -> String {
    csv::export(&support::refs(&source_documents()))
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

/// The rows a CSV export must have for `documents`: header, then every span in text order.
fn expected_rows(documents: &[Document]) -> Vec<Vec<String>> {
    let mut rows = vec![csv::HEADER.iter().map(|h| (*h).to_owned()).collect()];
    for document in documents {
        for a in document.annotations() {
            rows.push(vec![
                document.id.to_string(),
                document.title.clone(),
                a.label.as_str().to_owned(),
                a.range.start().get().to_string(),
                a.range.end().get().to_string(),
                document.text().slice(a.range).unwrap().to_owned(),
            ]);
        }
    }
    rows
}

// ---------------------------------------------------------------------------------------------
// Export.
// ---------------------------------------------------------------------------------------------

/// Set `UPDATE_GOLDEN=1` to rewrite the golden file (see `support::assert_golden`).
#[test]
fn export_matches_the_golden_file_byte_for_byte() {
    support::assert_golden(&source_export(), "csv/source.csv");
}

#[test]
fn the_golden_file_reads_back_as_every_span_with_its_python_slice() {
    let path = fixture_dir().join("csv/source.csv");
    let golden = std::fs::read_to_string(&path).unwrap();
    let rows = parse_rfc4180(&golden).unwrap();
    assert_eq!(rows[0], csv::HEADER);
    assert_eq!(
        rows.len(),
        1 + 14 + 6,
        "one row per span; the plain document has none"
    );
    let documents = source_documents();
    for row in &rows[1..] {
        let [doc_id, title, label, start, end, text] = row.as_slice() else {
            panic!("row {row:?} does not have 6 fields");
        };
        let document = documents
            .iter()
            .find(|d| d.id.as_str() == doc_id)
            .unwrap_or_else(|| panic!("no document {doc_id}"));
        assert_eq!(title, &document.title);
        let (start, end): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
        let chars: Vec<char> = document.text().as_str().chars().collect();
        let python_slice: String = chars[start..end].iter().collect();
        assert_eq!(text, &python_slice, "row {row:?}");
        assert!(document
            .annotations()
            .iter()
            .any(|a| a.label.as_str() == label
                && a.range == CharRange::from_raw(start, end).unwrap()));
    }
    assert_eq!(rows, expected_rows(&documents));
}

#[test]
fn the_golden_file_quotes_what_needs_quoting_and_nothing_else() {
    let golden = source_export();
    assert!(golden.starts_with("doc_id,title,label,start,end,text\r\n"));
    assert!(golden.ends_with("\r\n"));
    // A quote in the span text is doubled inside a quoted field.
    assert!(golden.contains(",17,39,\"\"\"We love 北京市 and 日本語!\"\"\"\r\n"));
    // A comma in the title forces quotes; plain fields stay bare.
    assert!(golden.contains(
        "d-fixture-2,\"Custom labels, a flag and curly quotes\",PERSON,0,13,Angela Merkel\r\n"
    ));
    // A newline inside a span is kept inside quotes.
    assert!(golden.contains(",75,87,\"flags.\nمرحبا\"\r\n"));
    assert!(!golden.starts_with('\u{feff}'), "no byte order mark");
}

#[test]
fn no_documents_or_no_spans_give_only_the_header() {
    assert_eq!(csv::export(&[]), "doc_id,title,label,start,end,text\r\n");
    let plain = &source_documents()[1];
    assert!(plain.annotations().is_empty());
    assert_eq!(
        csv::export(&[plain]),
        "doc_id,title,label,start,end,text\r\n"
    );
}

#[test]
fn the_file_is_not_taken_for_an_importable_format() {
    let exported = source_export();
    assert!(!jsonl::looks_like(&exported));
    assert!(!doccano::looks_like(&exported));
}

// ---------------------------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------------------------

/// A document made of tricky text with random spans (built-in and custom labels), with what is
/// tricky in CSV besides: doubled quotes, formulas, a CR or padding in titles, quotes and commas
/// in ids.
fn any_document() -> impl Strategy<Value = Document> {
    support::any_document(
        &["a,b", "q\"id"],
        &["cr\rin title", " padded "],
        &["\"\"", "=SUM(A1)"],
    )
}

proptest! {
    #[test]
    fn an_independent_rfc4180_reader_gets_every_span_back(
        documents in prop::collection::vec(any_document(), 0..4),
    ) {
        let refs: Vec<&Document> = documents.iter().collect();
        let exported = csv::export(&refs);
        let rows = parse_rfc4180(&exported).map_err(TestCaseError::fail)?;
        prop_assert_eq!(rows, expected_rows(&documents));
    }
}
