//! What every dataset format shares: the list of formats, the files an export produces, the
//! error an import reports (always naming the record), and the one place where spans read from
//! another tool's file become a checked [`Document`].
//!
//! Each format file parses its own shape into [`ForeignDocument`]s and calls
//! [`build_document`], so offset-unit conversion, CRLF handling, label parsing and every range
//! check are written once.

use crate::model::same_spans::merge_same_spans;
use std::collections::HashSet;
use std::fmt;

use crate::model::attributes::{check_note, note_of};
use crate::model::document::default_title;
use crate::model::hash::fnv1a64;
use crate::model::label::InvalidLabel;
use crate::model::offset_index::OffsetIndex;
use crate::model::{
    Annotation, AnnotationId, ArticleText, Attributes, CharRange, Document, DocumentError,
    DocumentId, Label, Relation, RelationKind, Timestamp, Utf16Offset,
};

/// Files larger than this are refused before parsing: a dataset this big would not fit in
/// localStorage anyway (about 10 MB), and parsing it would freeze the page.
pub const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;

/// What an offset counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum OffsetUnit {
    /// Unicode code points: what Python's `text[start:end]` uses. Our default everywhere.
    CodePoint,
    /// UTF-16 code units: what JavaScript strings (and doccano's own exports) count.
    Utf16,
}

impl OffsetUnit {
    /// How the unit is named in messages and file names.
    pub const fn name(self) -> &'static str {
        match self {
            OffsetUnit::CodePoint => "codepoint",
            OffsetUnit::Utf16 => "utf16",
        }
    }
}

impl fmt::Display for OffsetUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OffsetUnit::CodePoint => "code points",
            OffsetUnit::Utf16 => "UTF-16 code units",
        })
    }
}

/// One file an export produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    pub name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// Why a file cannot be imported. Always names the record, so the user can find it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{record}: {problem}")]
pub struct ImportError {
    /// Where the problem is: `"line 3"`, `"task 2, result \"r5\""`, `"T4 in doc.ann"`, `"file"`.
    pub record: String,
    pub problem: Problem,
}

impl ImportError {
    pub fn new(record: impl Into<String>, problem: Problem) -> Self {
        Self {
            record: record.into(),
            problem,
        }
    }

    /// What [`ImportError::file`] names as the record, for the parsers that read text and do
    /// not know the file's name (`formats::job` puts the name in).
    pub const WHOLE_FILE: &'static str = "the file";

    /// An error about the file as a whole (its shape, its size).
    pub fn file(problem: Problem) -> Self {
        Self::new(Self::WHOLE_FILE, problem)
    }
}

/// What serde_json's `error` means for a user: broken JSON (a syntax error, or the text ends
/// too soon) as [`Problem::Json`] at its line and column; valid JSON of the wrong shape as
/// [`Problem::Shape`]. `line` is the line to report, `None` where the record names it.
pub fn json_problem(error: &serde_json::Error, line: Option<usize>) -> Problem {
    use serde_json::error::Category;
    let message = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    let bare = message.strip_suffix(&position).unwrap_or(&message);
    match error.classify() {
        Category::Data => Problem::Shape(match line {
            Some(line) => format!("{bare} (line {line}, column {})", error.column()),
            None => format!("{bare} (column {})", error.column()),
        }),
        Category::Eof => Problem::Json {
            line,
            column: error.column(),
            what: "the text ends before the JSON does (is the file cut short?)".into(),
        },
        Category::Syntax | Category::Io => Problem::Json {
            line,
            column: error.column(),
            what: bare.to_owned(),
        },
    }
}

/// What is wrong with a record.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// Where the text stops being JSON, and how. `line` is `None` where the record names the
    /// line already (JSON Lines).
    #[error("not valid JSON at {}column {column}: {what}", line.map(|l| format!("line {l}, ")).unwrap_or_default())]
    Json {
        line: Option<usize>,
        column: usize,
        what: String,
    },
    #[error("unknown shape: {0}")]
    Shape(String),
    #[error("the file is empty")]
    Empty,
    #[error("the file is {size} bytes; the limit is {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("start {start} is not before end {end}")]
    StartNotBeforeEnd { start: usize, end: usize },
    #[error("offsets {start}..{end} reach past the end of the text ({len} {unit})")]
    PastEnd {
        start: usize,
        end: usize,
        len: usize,
        unit: OffsetUnit,
    },
    #[error(
        "offset {offset} falls inside a character (between the two halves of a surrogate pair)"
    )]
    InsideCharacter { offset: usize },
    #[error("offsets {start}..{end} give {found:?}, but the record says the text is {expected:?}")]
    TextMismatch {
        start: usize,
        end: usize,
        expected: String,
        found: String,
    },
    #[error("{0}")]
    Label(#[from] InvalidLabel),
    #[error("{0}")]
    Document(#[from] DocumentError),
    /// A problem reported by a format with its own error type (the native format).
    #[error("{0}")]
    Invalid(String),
}

/// A span as another tool's file states it: offsets in `unit` over the document's raw text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignSpan {
    /// Names the span in errors, e.g. `"line 3, span 2"`.
    pub record: String,
    pub start: usize,
    pub end: usize,
    pub label: String,
    /// The text the file says the span covers, when the format repeats it; checked.
    pub quoted: Option<String>,
    /// Attribute values (name, value), as the file gives them; checked.
    pub attributes: Vec<(String, String)>,
    pub note: Option<String>,
}

/// A relation as another tool's file states it: between two spans of the same document, named
/// by their index in [`ForeignDocument::spans`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignRelation {
    /// Names the relation in errors, e.g. `"line 3, relation 2"`.
    pub record: String,
    pub kind: String,
    pub from: usize,
    pub to: usize,
}

/// A document as another tool's file states it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignDocument {
    /// Names the document in errors, e.g. `"line 3"`.
    pub record: String,
    /// The id the file gives; `None` derives a stable one from the text.
    pub id: Option<String>,
    /// The title the file gives; `None` uses the first line.
    pub title: Option<String>,
    /// The text exactly as in the file (it may have `\r\n`; offsets count over it).
    pub text: String,
    pub unit: OffsetUnit,
    pub spans: Vec<ForeignSpan>,
    pub relations: Vec<ForeignRelation>,
    /// The article's note.
    pub note: Option<String>,
}

/// Checks a foreign document and turns it into one of ours: converts offsets to code points,
/// checks each span against the text (and against its quoted text), then normalises line
/// endings, moving every offset with the text so `\r\n` never shifts a span.
///
/// Annotations are numbered `a1`, `a2`, … in the order the file lists them.
///
/// # Errors
/// [`ImportError`] naming the first bad span (or the document) and what is wrong with it.
pub fn build_document(foreign: ForeignDocument, now: Timestamp) -> Result<Document, ImportError> {
    build_document_counting(foreign, now, &mut 0)
}

/// [`build_document`], adding to `merged` the number of spans merged into another of the same
/// range and label (a file of several annotators' work on one article holds such pairs; they are
/// merged, never refused: `crate::model::same_spans`).
///
/// # Errors
/// As [`build_document`].
pub fn build_document_counting(
    foreign: ForeignDocument,
    now: Timestamp,
    merged: &mut usize,
) -> Result<Document, ImportError> {
    let raw = foreign.text.as_str();
    // Built once per text, so each span's conversion is a short walk, not a scan from the start.
    let index = OffsetIndex::new(raw);
    let raw_len = match foreign.unit {
        OffsetUnit::CodePoint => index.char_len(),
        OffsetUnit::Utf16 => index.utf16_len(),
    };
    let removed = carriage_returns_before_newlines(raw);
    let mut checked = Vec::with_capacity(foreign.spans.len());
    for span in foreign.spans {
        let fail = |problem| Err(ImportError::new(span.record.clone(), problem));
        if span.start >= span.end {
            return fail(Problem::StartNotBeforeEnd {
                start: span.start,
                end: span.end,
            });
        }
        if span.end > raw_len {
            return fail(Problem::PastEnd {
                start: span.start,
                end: span.end,
                len: raw_len,
                unit: foreign.unit,
            });
        }
        let (start, end) = match foreign.unit {
            OffsetUnit::CodePoint => (span.start, span.end),
            OffsetUnit::Utf16 => {
                let of_utf16 = |offset| index.char_of_utf16(Utf16Offset::new(offset)).ok();
                match (of_utf16(span.start), of_utf16(span.end)) {
                    (Some(start), Some(end)) => (start.get(), end.get()),
                    (None, _) => return fail(Problem::InsideCharacter { offset: span.start }),
                    (_, None) => return fail(Problem::InsideCharacter { offset: span.end }),
                }
            }
        };
        // Both ends are within the text (checked above), so the slice is always there.
        let found = CharRange::from_raw(start, end)
            .ok()
            .and_then(|range| index.slice(range))
            .unwrap_or_default();
        if let Some(expected) = &span.quoted {
            if expected != found {
                return fail(Problem::TextMismatch {
                    start: span.start,
                    end: span.end,
                    expected: expected.clone(),
                    found: found.to_owned(),
                });
            }
        }
        let label = match Label::parse_any(&span.label) {
            Ok(label) => label,
            Err(e) => return fail(Problem::Label(e)),
        };
        let attributes = match Attributes::from_pairs(span.attributes) {
            Ok(attributes) => attributes,
            Err(e) => return fail(Problem::Invalid(e.to_string())),
        };
        let note = match span.note.as_deref().map(check_note).transpose() {
            Ok(_) => span.note.as_deref().and_then(note_of),
            Err(e) => return fail(Problem::Invalid(e.to_string())),
        };
        checked.push((
            span.record,
            normalized(&removed, start),
            normalized(&removed, end),
            label,
            (attributes, note),
        ));
    }

    let text = ArticleText::normalize(raw);
    let id = foreign
        .id
        .unwrap_or_else(|| format!("doc-{:016x}", fnv1a64(text.as_str().bytes())));
    let title = foreign
        .title
        .unwrap_or_else(|| default_title(text.as_str()));
    let document = Document::new(DocumentId::new(&id), title, text, now);
    let mut annotations = Vec::with_capacity(checked.len());
    for (number, (record, start, end, label, (attributes, note))) in (1u64..).zip(checked) {
        // Only a span made of nothing but "\r" of a "\r\n" collapses to empty here.
        let range = CharRange::from_raw(start, end)
            .ok()
            .filter(|r| !r.is_empty())
            .ok_or_else(|| {
                ImportError::new(
                    record,
                    Problem::Shape("the span covers only the \\r of a \\r\\n line ending".into()),
                )
            })?;
        annotations.push(Annotation {
            attributes,
            note,
            ..Annotation::new(AnnotationId::numbered(number), label, range)
        });
    }
    let mut relations = Vec::with_capacity(foreign.relations.len());
    for relation in foreign.relations {
        let fail = |problem| Err(ImportError::new(relation.record.clone(), problem));
        let kind = match RelationKind::parse(&relation.kind) {
            Ok(kind) => kind,
            Err(e) => return fail(Problem::Label(e)),
        };
        let end = |index: usize| annotations.get(index).map(|a: &Annotation| a.id.clone());
        let (Some(from), Some(to)) = (end(relation.from), end(relation.to)) else {
            return fail(Problem::Shape(format!(
                "the relation links span {} to span {}, but the document has {} spans",
                relation.from + 1,
                relation.to + 1,
                annotations.len()
            )));
        };
        relations.push(Relation::new(kind, from, to));
    }
    let same = merge_same_spans(annotations, relations);
    *merged += same.merged;
    Document::from_parts(document, same.annotations, 1)
        .and_then(|d| d.with_relations(same.relations))
        .and_then(|d| d.with_note(foreign.note.as_deref()))
        .map_err(|e| ImportError::new(foreign.record, Problem::Document(e)))
}

/// Gives later documents whose id an earlier one already has a `-2`, `-3`, … suffix, so one
/// file never imports two documents under one id.
pub fn make_ids_unique(documents: &mut [Document]) {
    let mut taken: HashSet<String> = HashSet::new();
    for document in documents.iter_mut() {
        let base = document.id.as_str().to_owned();
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        if id != base {
            document.id = DocumentId::new(&id);
        }
        taken.insert(id);
    }
}

/// Refuses a file over [`MAX_IMPORT_BYTES`] before anything reads it.
///
/// # Errors
/// [`Problem::TooLarge`].
pub fn check_size(size: usize) -> Result<(), ImportError> {
    if size > MAX_IMPORT_BYTES {
        return Err(ImportError::file(Problem::TooLarge {
            size,
            limit: MAX_IMPORT_BYTES,
        }));
    }
    Ok(())
}

/// A code point offset under `key` of a JSON object (a Label Studio result's `value`, a W3C
/// `TextPositionSelector`): a whole number from 0 up. `object_name` names the object in the
/// message (`""` where the record already says what it is).
///
/// # Errors
/// [`Problem::Shape`] for `record` when the offset is missing or not such a number.
pub(crate) fn code_point_offset(
    object: &serde_json::Map<String, serde_json::Value>,
    key: &str,
    object_name: &str,
    record: &str,
) -> Result<usize, ImportError> {
    let value = object.get(key);
    value
        .and_then(serde_json::Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| {
            let found = value.map_or_else(|| "missing".to_owned(), serde_json::Value::to_string);
            let subject = if object_name.is_empty() {
                format!("{key:?}")
            } else {
                format!("{object_name} {key:?}")
            };
            ImportError::new(
                record,
                Problem::Shape(format!(
                    "{subject} must be a whole number of code points, not {found}"
                )),
            )
        })
}

/// The spans of one record (a Label Studio result, a W3C annotation) that tags `start..end`
/// with each of `labels`: one span per label, each paired with the annotation id the record asks
/// for. Where there are several labels, each span's record names its `item` and number
/// (`"…, label 2"`), and none keeps the id, which cannot name them all.
pub(crate) fn span_per_label<L: Into<String>>(
    record: &str,
    item: &str,
    (start, end): (usize, usize),
    labels: Vec<L>,
    quoted: Option<String>,
    wanted_id: Option<String>,
) -> Vec<(ForeignSpan, Option<String>)> {
    let several = labels.len() > 1;
    (1..)
        .zip(labels)
        .map(|(number, label)| {
            let span = ForeignSpan {
                record: if several {
                    format!("{record}, {item} {number}")
                } else {
                    record.to_owned()
                },
                start,
                end,
                label: label.into(),
                quoted: quoted.clone(),
                attributes: Vec::new(),
                note: None,
            };
            (span, wanted_id.clone().filter(|_| !several))
        })
        .collect()
}

/// How an error message names the type of a JSON value ("a string", "an array", …).
pub(crate) fn json_kind(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The code points of every `\r` followed by `\n` in raw text: the ones normalising removes.
fn carriage_returns_before_newlines(raw: &str) -> Vec<usize> {
    let mut chars = raw.chars().enumerate().peekable();
    let mut removed = Vec::new();
    while let Some((at, c)) = chars.next() {
        if c == '\r' && chars.peek().is_some_and(|&(_, next)| next == '\n') {
            removed.push(at);
        }
    }
    removed
}

/// Where raw code point `offset` lands once every `\r\n` has become `\n`, given the
/// [`carriage_returns_before_newlines`] of the raw text.
fn normalized(removed: &[usize], offset: usize) -> usize {
    offset - removed.partition_point(|&r| r < offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, label: &str, quoted: Option<&str>) -> ForeignSpan {
        ForeignSpan {
            record: format!("span {start}..{end}"),
            start,
            end,
            label: label.into(),
            quoted: quoted.map(Into::into),
            attributes: Vec::new(),
            note: None,
        }
    }

    fn foreign(text: &str, unit: OffsetUnit, spans: Vec<ForeignSpan>) -> ForeignDocument {
        ForeignDocument {
            record: "doc".into(),
            id: None,
            title: None,
            text: text.into(),
            unit,
            spans,
            relations: Vec::new(),
            note: None,
        }
    }

    fn texts(d: &Document) -> Vec<(&str, &str)> {
        d.annotations()
            .iter()
            .map(|a| (d.text().slice(a.range).unwrap(), a.label.as_str()))
            .collect()
    }

    #[test]
    fn crlf_offsets_follow_the_text_when_it_is_normalised() {
        let text = "one\r\ntwo\r\nthree";
        let d = build_document(
            foreign(
                text,
                OffsetUnit::CodePoint,
                vec![span(5, 8, "quote", Some("two")), span(10, 15, "PER", None)],
            ),
            Timestamp::from_unix_millis(0),
        )
        .unwrap();
        assert_eq!(d.text().as_str(), "one\ntwo\nthree");
        assert_eq!(texts(&d), [("two", "quote"), ("three", "PER")]);
    }

    #[test]
    fn utf16_offsets_are_converted_and_a_split_surrogate_is_an_error() {
        // "😀" is two UTF-16 units; "x" starts at unit 3 and code point 2.
        let text = "a😀x";
        let d = build_document(
            foreign(
                text,
                OffsetUnit::Utf16,
                vec![span(3, 4, "entity", Some("x"))],
            ),
            Timestamp::from_unix_millis(0),
        )
        .unwrap();
        assert_eq!(d.annotations()[0].range, CharRange::from_raw(2, 3).unwrap());
        let error = build_document(
            foreign(text, OffsetUnit::Utf16, vec![span(2, 4, "entity", None)]),
            Timestamp::from_unix_millis(0),
        )
        .unwrap_err();
        assert_eq!(error.problem, Problem::InsideCharacter { offset: 2 });
    }

    #[test]
    fn every_bad_span_is_named() {
        let cases = [
            (span(3, 3, "quote", None), "start 3 is not before end 3"),
            (span(0, 9, "quote", None), "past the end"),
            (span(0, 2, "quote", Some("xy")), "\"ab\""),
            (span(0, 2, "", None), "empty"),
        ];
        for (bad, needle) in cases {
            let record = bad.record.clone();
            let error = build_document(
                foreign("abc", OffsetUnit::CodePoint, vec![bad]),
                Timestamp::from_unix_millis(0),
            )
            .unwrap_err();
            assert_eq!(error.record, record);
            assert!(error.to_string().contains(needle), "{error}");
        }
        // The same span and label twice is merged, and counted.
        let twice = vec![span(0, 1, "q", None), span(0, 1, "q", None)];
        let mut merged = 0;
        let document = build_document_counting(
            foreign("abc", OffsetUnit::CodePoint, twice),
            Timestamp::from_unix_millis(0),
            &mut merged,
        )
        .unwrap();
        assert_eq!((document.annotations().len(), merged), (1, 1));
    }

    #[test]
    fn ids_are_stable_and_made_unique() {
        let build = || {
            build_document(
                foreign("same", OffsetUnit::CodePoint, vec![]),
                Timestamp::from_unix_millis(0),
            )
            .unwrap()
        };
        let mut documents = vec![build(), build(), build()];
        assert_eq!(documents[0].id, documents[1].id);
        make_ids_unique(&mut documents);
        let base = documents[0].id.as_str().to_owned();
        assert_eq!(documents[1].id.as_str(), format!("{base}-2"));
        assert_eq!(documents[2].id.as_str(), format!("{base}-3"));
    }
}
