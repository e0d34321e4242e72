//! CSV, one row per span, for spreadsheets and `pandas.read_csv`:
//!
//! ```text
//! doc_id,title,label,start,end,text
//! d1,My article,quote,17,39,"""We love 北京市 and 日本語!"""
//! ```
//!
//! RFC 4180: the header row first; a field containing a comma, a double quote, CR or LF is
//! enclosed in double quotes with its quotes doubled; every row, the last one too, ends with
//! `\r\n`. UTF-8 without a byte order mark (pandas and Python's `csv` read it as it is; in Excel,
//! open it through Data › From Text/CSV and pick UTF-8). Offsets are code points, so Python's
//! `text[start:end]` over the document's text equals the row's `text`. Rows follow the documents
//! in the order given and each document's spans in text order; a document without spans has no
//! rows. Fields are written as they are: a value starting with `=`, `+`, `-` or `@` is not
//! defused, since changing it would change the data (spreadsheets may read it as a formula).
//!
//! Export only: a row holds a span's text but not the document's, so documents cannot be
//! rebuilt from a CSV file (and documents without spans leave no trace at all). Use JSONL or
//! the native format to move documents between tools.

use crate::model::Document;

/// The file name extension, without the dot.
pub const EXTENSION: &str = "csv";

/// The media type of CSV files (RFC 4180).
pub const MIME: &str = "text/csv";

/// The header row's fields.
pub const HEADER: [&str; 6] = ["doc_id", "title", "label", "start", "end", "text"];

/// Serialises every span of `documents` as a CSV row under [`HEADER`].
pub fn export(documents: &[&Document]) -> String {
    let mut out = String::new();
    write_row(&mut out, HEADER);
    for document in documents {
        let text = document.text();
        for annotation in document.annotations() {
            let start = annotation.range.start().get().to_string();
            let end = annotation.range.end().get().to_string();
            write_row(
                &mut out,
                [
                    document.id.as_str(),
                    &document.title,
                    annotation.label.as_str(),
                    &start,
                    &end,
                    // Invariant of Document: every range is inside the text.
                    text.slice(annotation.range).unwrap_or_default(),
                ],
            );
        }
    }
    out
}

fn write_row<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
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
