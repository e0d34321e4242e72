//! CSV for spreadsheets and `pandas.read_csv`: a zip of three tables, so spans, the relations
//! between them and the documents each get one flat file.
//!
//! ```text
//! spans.csv      document_id,annotation_id,label,start,end,text,made_by,changed_by,attr:type,note
//!                d1,a2,quote,17,39,"""We love 北京市!""",ann,bob,direct,"Check the source.
//!                Second line"
//! relations.csv  document_id,type,from_id,to_id,from_text,to_text
//!                d1,said_by,a2,a5,"""We love 北京市 and 日本語!""",😀👍🏽
//! documents.csv  document_id,title,note
//!                d1,My article,
//! ```
//!
//! - `spans.csv`: one row per span, documents in the order given and each document's spans in
//!   text order. The fixed columns ([`SPAN_COLUMNS`]) end with `made_by` (who made the span) and
//!   `changed_by` (who last changed its label, a value or its note): annotator names, empty
//!   where nobody is known, and always there, so the header does not depend on the data. After
//!   them comes one `attr:<name>` column per attribute name used by any exported span (in name
//!   order; empty where a span has no value), then `note`.
//! - `relations.csv`: one row per relation, in each document's relation order: the relation
//!   type, the ids of its two spans (`from` is `type` `to`: "a2 said_by a5"), and their texts
//!   so the table reads on its own. `(document_id, from_id)` joins `spans.csv`.
//! - `documents.csv`: one row per document, with or without spans: its title and note.
//!
//! RFC 4180: the header row first; a field containing a comma, a double quote, CR or LF is
//! enclosed in double quotes with its quotes doubled; every row, the last one too, ends with
//! `\r\n`. UTF-8 without a byte order mark (pandas and Python's `csv` read it as it is; in Excel,
//! open it through Data › From Text/CSV and pick UTF-8). Offsets are code points, so Python's
//! `text[start:end]` over the document's text equals the row's `text`. Fields are written as they
//! are: a value starting with `=`, `+`, `-` or `@` is not defused, since changing it would change
//! the data (spreadsheets may read it as a formula).
//!
//! Export only: a row holds a span's text but not the document's, so documents cannot be
//! rebuilt from these tables. Use JSONL or the native format to move documents between tools.

use std::collections::{BTreeSet, HashMap};

use super::zip;
use crate::model::{AnnotationId, AnnotatorName, Document};

/// The file name ending of an export, without the leading dot.
pub const EXTENSION: &str = "csv.zip";

/// The media type: the tables come in a zip.
pub const MIME: &str = "application/zip";

/// The three tables' names in the zip, in the order they are written.
pub const SPANS_FILE: &str = "spans.csv";
pub const RELATIONS_FILE: &str = "relations.csv";
pub const DOCUMENTS_FILE: &str = "documents.csv";

/// The columns of `spans.csv` before the attribute columns; `note` comes after them.
pub const SPAN_COLUMNS: [&str; 8] = [
    "document_id",
    "annotation_id",
    "label",
    "start",
    "end",
    "text",
    "made_by",
    "changed_by",
];
/// The last column of `spans.csv`.
pub const NOTE_COLUMN: &str = "note";
/// An attribute's column in `spans.csv` is this and its name.
pub const ATTRIBUTE_COLUMN_PREFIX: &str = "attr:";
/// The header of `relations.csv`.
pub const RELATION_COLUMNS: [&str; 6] = [
    "document_id",
    "type",
    "from_id",
    "to_id",
    "from_text",
    "to_text",
];
/// The header of `documents.csv`.
pub const DOCUMENT_COLUMNS: [&str; 3] = ["document_id", "title", "note"];

/// The three tables, as (file name, contents).
pub fn export_files(documents: &[&Document]) -> Vec<(String, Vec<u8>)> {
    vec![
        (SPANS_FILE.to_owned(), spans_table(documents).into_bytes()),
        (
            RELATIONS_FILE.to_owned(),
            relations_table(documents).into_bytes(),
        ),
        (
            DOCUMENTS_FILE.to_owned(),
            documents_table(documents).into_bytes(),
        ),
    ]
}

/// The zip of the three tables. Should the archive pass what a zip without ZIP64 holds (4 GiB),
/// the zip holds a note saying so instead, so a download is never silently empty.
pub fn export_zip(documents: &[&Document]) -> Vec<u8> {
    zip::write(&export_files(documents)).unwrap_or_else(|error| {
        let note = format!(
            "This CSV export could not be written: {error}.\nExport fewer documents at a time.\n"
        );
        // One small file always fits in a zip.
        zip::write(&[("EXPORT-FAILED.txt".to_owned(), note.into_bytes())]).unwrap_or_default()
    })
}

/// The attribute names any span of `documents` has a value for, in name order.
pub fn attribute_names<'a>(documents: &[&'a Document]) -> Vec<&'a str> {
    let names: BTreeSet<&str> = documents
        .iter()
        .flat_map(|d| d.annotations())
        .flat_map(|a| a.attributes.names())
        .collect();
    names.into_iter().collect()
}

/// `spans.csv`: one row per span (see the module docs).
pub fn spans_table(documents: &[&Document]) -> String {
    let names = attribute_names(documents);
    let mut out = String::new();
    let attribute_columns: Vec<String> = names
        .iter()
        .map(|name| format!("{ATTRIBUTE_COLUMN_PREFIX}{name}"))
        .collect();
    write_row(
        &mut out,
        SPAN_COLUMNS
            .iter()
            .copied()
            .chain(attribute_columns.iter().map(String::as_str))
            .chain([NOTE_COLUMN]),
    );
    for document in documents {
        let text = document.text();
        for annotation in document.annotations() {
            let start = annotation.range.start().get().to_string();
            let end = annotation.range.end().get().to_string();
            let fixed = [
                document.id.as_str(),
                annotation.id.as_str(),
                annotation.label.as_str(),
                &start,
                &end,
                // Invariant of Document: every range is inside the text.
                text.slice(annotation.range).unwrap_or_default(),
                name_or_blank(&annotation.authors.made_by),
                name_or_blank(&annotation.authors.changed_by),
            ];
            let values = names
                .iter()
                .map(|name| annotation.attributes.get(name).unwrap_or_default());
            let note = annotation.note.as_deref().unwrap_or_default();
            write_row(&mut out, fixed.into_iter().chain(values).chain([note]));
        }
    }
    out
}

/// An annotator's name, or an empty field where nobody is known.
fn name_or_blank(name: &Option<AnnotatorName>) -> &str {
    name.as_ref().map_or("", AnnotatorName::as_str)
}

/// `relations.csv`: one row per relation (see the module docs).
pub fn relations_table(documents: &[&Document]) -> String {
    let mut out = String::new();
    write_row(&mut out, RELATION_COLUMNS);
    for document in documents {
        let text = document.text();
        let texts: HashMap<&AnnotationId, &str> = document
            .annotations()
            .iter()
            .map(|a| (&a.id, text.slice(a.range).unwrap_or_default()))
            .collect();
        // Invariant of Document: both ends of every relation exist.
        let text_of = |id: &AnnotationId| texts.get(id).copied().unwrap_or_default();
        for relation in document.relations() {
            write_row(
                &mut out,
                [
                    document.id.as_str(),
                    relation.kind.as_str(),
                    relation.from.as_str(),
                    relation.to.as_str(),
                    text_of(&relation.from),
                    text_of(&relation.to),
                ],
            );
        }
    }
    out
}

/// `documents.csv`: one row per document (see the module docs).
pub fn documents_table(documents: &[&Document]) -> String {
    let mut out = String::new();
    write_row(&mut out, DOCUMENT_COLUMNS);
    for document in documents {
        write_row(
            &mut out,
            [
                document.id.as_str(),
                &document.title,
                document.note.as_deref().unwrap_or_default(),
            ],
        );
    }
    out
}

pub(crate) fn write_row<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (index, field) in fields.into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_field(out, field);
    }
    out.push_str("\r\n");
}

/// One field, quoted only when RFC 4180 requires it, so plain values stay readable.
fn write_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let mut out = String::new();
        for field in [
            "plain",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "cr\r",
            "日本語 😀",
        ] {
            write_field(&mut out, field);
            out.push('|');
        }
        assert_eq!(
            out,
            "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\"cr\r\"|日本語 😀|"
        );
    }
}
