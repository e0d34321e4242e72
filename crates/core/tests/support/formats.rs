//! What the dataset-format tests (`tests/format_*.rs`) share: the import time, the shared
//! format fixture and the golden-file check, what the span formats carry, and the proptest
//! strategies that build tricky documents (emoji, ZWJ sequences, combining marks, CJK, RTL, CRLF,
//! built-in and custom labels).
//!
//! Each test file includes this file with `#[path = "support/formats.rs"] mod support;`. Being in
//! a subdirectory of `tests/`, it is not a test target of its own.

// Every test file is its own crate and uses a subset of these helpers; the rest would be
// reported as dead code in each of them.
#![allow(dead_code)]

use std::path::PathBuf;

use annotator_core::formats::dataset::{ImportError, Problem};
use annotator_core::formats::native;
use annotator_core::model::{
    Annotation, AnnotatorName, ArticleText, Authors, CharRange, Document, DocumentId, Label,
    Timestamp,
};
use proptest::prelude::*;
use proptest::sample::Index;

/// The time every test imports and edits at.
pub const NOW: Timestamp = Timestamp::from_unix_millis(1_800_000_000_000);

/// `tests/fixtures/formats`: the shared source documents and each format's golden files.
pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/formats")
}

/// The shared format fixture: three documents (emoji, CJK, RTL, custom labels, a document
/// without annotations) that every format exports into its golden file, with some spans' authors
/// set from [`SOURCE_AUTHORS`].
pub fn source_documents() -> Vec<Document> {
    let path = fixture_dir().join("source.annotations.json");
    let json = std::fs::read_to_string(&path).unwrap();
    native::import(&json)
        .unwrap()
        .into_iter()
        .map(|document| {
            let given: Vec<Authors> = document
                .annotations()
                .iter()
                .map(|a| {
                    SOURCE_AUTHORS
                        .iter()
                        .find(|(d, id, _, _)| *d == document.id.as_str() && *id == a.id.as_str())
                        .map_or_else(
                            || a.authors.clone(),
                            |&(_, _, made, changed)| authors(made, changed),
                        )
                })
                .collect();
            with_authors(document, &given)
        })
        .collect()
}

/// Who made and who last changed some spans of the fixture (document id, annotation id, made
/// by, changed by), set here rather than in the native file, whose format the fixture's other
/// tests pin. Chosen so that every format meets: a span made and changed by one person, made by
/// one and changed by another, made by someone with nobody known to have changed it (and the
/// reverse), names with emoji and CJK, spans of nobody known beside them, and relations between
/// spans of different makers (`a2 said_by a5`, and `a4 said_by a1` in the second document).
pub const SOURCE_AUTHORS: &[(&str, &str, Option<&str>, Option<&str>)] = &[
    ("d-fixture-1", "a1", Some("ann"), Some("ann")),
    ("d-fixture-1", "a2", Some("ann"), Some("李小龍")),
    ("d-fixture-1", "a3", Some("李小龍"), Some("李小龍")),
    ("d-fixture-1", "a5", Some("👩🏽‍💻 Zoë"), None),
    ("d-fixture-1", "a6", None, Some("ann")),
    ("d-fixture-2", "a1", Some("Dana Ruiz"), Some("Dana Ruiz")),
    ("d-fixture-2", "a4", Some("ann"), Some("Dana Ruiz")),
];

// ---------------------------------------------------------------------------------------------
// Who made and last changed annotations.
// ---------------------------------------------------------------------------------------------

/// Annotator names: plain, with a space, an emoji ZWJ sequence, CJK, RTL, and one with the
/// characters the formats escape or split at (quotes, `\`, `=`, `@`, `;`; a name holds no comma).
pub const ANNOTATOR_NAMES: &[&str] = &[
    "ann",
    "Dana Ruiz",
    "👩🏽‍💻 Zoë",
    "李小龍",
    "مريم",
    "o'neil \"x\" \\ =@;y",
];

/// Authors from names (`None`: nobody known).
pub fn authors(made_by: Option<&str>, changed_by: Option<&str>) -> Authors {
    let name = |n: Option<&str>| n.map(|n| AnnotatorName::parse(n).unwrap());
    Authors {
        made_by: name(made_by),
        changed_by: name(changed_by),
    }
}

/// Random authors: each of the two one of [`ANNOTATOR_NAMES`] or nobody.
pub fn any_authors() -> impl Strategy<Value = Authors> {
    let name = prop::option::of(prop::sample::select(ANNOTATOR_NAMES));
    (name.clone(), name).prop_map(|(made, changed)| authors(made, changed))
}

/// `document` with its `i`-th annotation (in text order) given `given[i]`, cycling through
/// `given` when it is shorter; unchanged when `given` is empty.
pub fn with_authors(document: Document, given: &[Authors]) -> Document {
    if given.is_empty() {
        return document;
    }
    let annotations: Vec<Annotation> = document
        .annotations()
        .iter()
        .enumerate()
        .map(|(i, a)| Annotation {
            authors: given[i % given.len()].clone(),
            ..(**a).clone()
        })
        .collect();
    // Same ids, ranges and labels: the relations and the note stay as they are.
    Document::from_parts(document.clone(), annotations, 1).unwrap()
}

/// A span's offsets and label, and who made and last changed it.
pub type SpanAuthors = (usize, usize, String, Option<String>, Option<String>);

/// Each span's authors, by offsets and label (formats that renumber ids keep these), sorted.
pub fn carried_authors(document: &Document) -> Vec<SpanAuthors> {
    let name = |n: &Option<AnnotatorName>| n.as_ref().map(|n| n.as_str().to_owned());
    let mut carried: Vec<_> = document
        .annotations()
        .iter()
        .map(|a| {
            (
                a.range.start().get(),
                a.range.end().get(),
                a.label.as_str().to_owned(),
                name(&a.authors.made_by),
                name(&a.authors.changed_by),
            )
        })
        .collect();
    carried.sort();
    carried
}

pub fn refs(documents: &[Document]) -> Vec<&Document> {
    documents.iter().collect()
}

/// Compares `produced` with the golden file at `relative` (below [`fixture_dir`]). Set
/// `UPDATE_GOLDEN=1` to rewrite it after a deliberate format change, then read the diff: it is
/// exactly what users download, and every offset in it is a promise to dataset users.
pub fn assert_golden(produced: &str, relative: &str) {
    let path = fixture_dir().join(relative);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, produced).unwrap();
    }
    let golden = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1 once)", path.display()));
    assert_eq!(produced, golden, "export differs from {}", path.display());
}

/// Python's `text[start:end]`.
pub fn python_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// What the JSON-lines formats (JSONL, doccano) carry: id, title, text, and the spans as a set
/// (annotation ids are renumbered).
pub fn carried_span_set(
    document: &Document,
) -> (String, String, String, Vec<(usize, usize, String)>) {
    let mut spans: Vec<_> = document
        .annotations()
        .iter()
        .map(|a| {
            (
                a.range.start().get(),
                a.range.end().get(),
                a.label.as_str().to_owned(),
            )
        })
        .collect();
    spans.sort();
    (
        document.id.to_string(),
        document.title.clone(),
        document.text().as_str().to_owned(),
        spans,
    )
}

/// Each annotation as Label Studio and W3C carry it: id, label, start, end, in order.
pub fn carried_annotations(document: &Document) -> Vec<(String, String, usize, usize)> {
    document
        .annotations()
        .iter()
        .map(|a| {
            (
                a.id.to_string(),
                a.label.to_string(),
                a.range.start().get(),
                a.range.end().get(),
            )
        })
        .collect()
}

/// Every span of `documents` as (quoted text, label), in order.
pub fn spans(documents: &[Document]) -> Vec<(String, &str)> {
    documents
        .iter()
        .flat_map(|d| {
            d.annotations().iter().map(|a| {
                (
                    d.text().slice(a.range).unwrap().to_owned(),
                    a.label.as_str(),
                )
            })
        })
        .collect()
}

/// For the JSON-lines formats: each `(input, record, needle)` case, put after `good` (a valid
/// line and a blank one), must be refused by `import_error` as an unknown shape naming its
/// record (given for line 1, so found at line 3) with `needle` in the message.
pub fn assert_shape_errors_after(
    good: &str,
    cases: &[(&str, &str, &str)],
    import_error: impl Fn(&str) -> ImportError,
) {
    for &(input, record, needle) in cases {
        let error = import_error(&format!("{good}{input}"));
        let record = record.replace("line 1", "line 3");
        assert_eq!(error.record, record, "{input}: {error}");
        assert!(
            matches!(error.problem, Problem::Shape(_)),
            "{input}: {error}"
        );
        assert!(error.to_string().contains(needle), "{input}: {error}");
    }
}

// ---------------------------------------------------------------------------------------------
// Tables of tricky values (JSONL, doccano, CSV).
// ---------------------------------------------------------------------------------------------

/// Pieces of text that break naive offsets, quoting or escaping. A format's test adds what is
/// tricky for it alone (see [`pieces`]).
pub const PIECES: &[&str] = &[
    "a",
    "word",
    " ",
    "\n",
    "\r\n",
    "\t",
    ",",
    "\"",
    "\\",
    "Café",
    "e\u{301}",
    "😀",
    "👍🏽",
    "👩‍👩‍👧‍👦",
    "🏳️‍🌈",
    "🇩🇪",
    "北京市",
    "日本語",
    "مرحبا",
    "שלום",
    "Z\u{351}\u{358}",
    "𝔘𝔫𝔦",
    "\u{2028}",
    "\u{0}",
];
/// Built-in and custom labels, some with commas, quotes, spaces and non-ASCII letters.
pub const LABELS: &[&str] = &[
    "quote",
    "entity",
    "claim",
    "PERSON",
    "GPE",
    "ORG,INC",
    "say \"hi\"",
    "Ünïcode",
    "日本",
    "a b",
];
pub const TITLES: &[&str] = &[
    "",
    "Plain",
    "with, comma",
    "\"quoted\"",
    "日本語 🇩🇪",
    "two\nlines",
];
/// Document ids; "d1" twice, so documents of one export often share an id.
pub const IDS: &[&str] = &["d1", "doc with space", "ü-1", "12", "d1"];

/// `table` followed by `extra`.
fn extended(table: &[&'static str], extra: &[&'static str]) -> Vec<&'static str> {
    table.iter().chain(extra).copied().collect()
}

/// [`PIECES`] and a format's own tricky pieces.
pub fn pieces(extra: &[&'static str]) -> Vec<&'static str> {
    extended(PIECES, extra)
}

/// A document made of tricky text with random spans (built-in and custom labels), its id, title
/// and text pieces drawn from [`IDS`], [`TITLES`] and [`PIECES`] with a format's own extra values.
pub fn any_document(
    extra_ids: &[&'static str],
    extra_titles: &[&'static str],
    extra_pieces: &[&'static str],
) -> impl Strategy<Value = Document> {
    (
        prop::sample::select(extended(IDS, extra_ids)),
        prop::sample::select(extended(TITLES, extra_titles)),
        prop::collection::vec(prop::sample::select(pieces(extra_pieces)), 0..12),
        prop::collection::vec(
            (any::<Index>(), any::<Index>(), prop::sample::select(LABELS)),
            0..8,
        ),
    )
        .prop_map(|(id, title, pieces, spans)| {
            let text = ArticleText::normalize(&pieces.concat());
            let mut document = Document::new(DocumentId::new(id), title.into(), text.clone(), NOW);
            let len = text.char_len();
            for (start, length, label) in spans {
                if len == 0 {
                    break;
                }
                let start = start.index(len);
                let end = start + 1 + length.index(len - start);
                let range = CharRange::from_raw(start, end).unwrap();
                // A span already tagged with this label is simply not added twice.
                let _ = document.add(range, Label::parse_any(label).unwrap(), NOW);
            }
            document
        })
}

// ---------------------------------------------------------------------------------------------
// Random documents with every field random (Label Studio, W3C).
// ---------------------------------------------------------------------------------------------

/// Random text of ASCII words, line breaks, tricky pieces (plus a format's `extra` ones) and any
/// character at all.
pub fn tricky_text(extra: &[&'static str]) -> impl Strategy<Value = String> {
    let tricky = extended(
        &[
            "😀",
            "👍🏽",
            "👩‍👩‍👧‍👦",
            "🏳️‍🌈",
            "🇩🇪",
            "e\u{301}",
            "Z\u{351}\u{358}",
            "北京市",
            "日本語",
            "مرحبا",
            "שלום",
            "\u{200f}",
            "“",
            "\"",
            "\\",
            "\u{0}",
            "\u{2028}",
        ],
        extra,
    );
    let fragment = prop_oneof![
        4 => "[a-zA-Z ]{1,6}",
        1 => Just("\r\n".to_owned()),
        1 => Just("\n".to_owned()),
        3 => prop::sample::select(tricky).prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(fragment, 0..50).prop_map(|parts| parts.concat())
}

/// The built-in labels and custom ones with characters markup must escape.
pub fn labels() -> Vec<Label> {
    let mut labels = Label::ALL.to_vec();
    for custom in ["PERSON", "GPE", "Org & <Co>", "Quotation mark “”", "日本"] {
        labels.push(Label::parse_any(custom).unwrap());
    }
    labels
}

/// A document with any id and title, [`tricky_text`] (with `extra_pieces`), random spans and
/// removals (which leave gaps in the annotation ids), created and modified at the `times` drawn.
pub fn random_document(
    extra_pieces: &[&'static str],
    times: impl Strategy<Value = (Timestamp, Timestamp)>,
) -> impl Strategy<Value = Document> {
    let span = (any::<Index>(), 1usize..12, prop::sample::select(labels()));
    (
        any::<String>(),
        any::<String>(),
        tricky_text(extra_pieces),
        times,
        prop::collection::vec(span, 0..20),
        prop::collection::vec(any::<Index>(), 0..4),
    )
        .prop_map(|(id, title, text, (created, modified), spans, removals)| {
            let mut d = Document::new(
                DocumentId::new(&id),
                title,
                ArticleText::normalize(&text),
                created,
            );
            let len = d.text().char_len();
            if len > 0 {
                for (start, n, label) in spans {
                    let start = start.index(len);
                    let range = CharRange::from_raw(start, (start + n).min(len)).unwrap();
                    let _ = d.add(range, label, modified);
                }
            }
            // Removals leave gaps in the ids, which the format must keep.
            for pick in removals {
                if !d.annotations().is_empty() {
                    let id = d.annotations()[pick.index(d.annotations().len())]
                        .id
                        .clone();
                    d.remove(&id, modified);
                }
            }
            d.modified = modified;
            d
        })
}

/// Makes the document ids unique and never empty, as they are in one library.
pub fn with_library_ids(mut documents: Vec<Document>) -> Vec<Document> {
    for (i, d) in documents.iter_mut().enumerate() {
        d.id = DocumentId::new(&format!("{i}{}", d.id));
    }
    documents
}

/// What to splice into a valid export to damage it: any string, long numbers, a negative one,
/// `keyword` (a key or type name of the format), `null` and `[]`.
pub fn junk(keyword: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9]{1,22}".prop_map(String::from),
        Just("-1".to_owned()),
        Just(keyword.to_owned()),
        Just("null".to_owned()),
        Just("[]".to_owned()),
    ]
}

/// `valid` with `cut_len` characters from the picked position replaced by `insert`.
pub fn damaged(valid: &str, cut: Index, cut_len: usize, insert: &str) -> String {
    let chars: Vec<char> = valid.chars().collect();
    let at = cut.index(chars.len() + 1);
    let end = (at + cut_len).min(chars.len());
    chars[..at]
        .iter()
        .copied()
        .chain(insert.chars())
        .chain(chars[end..].iter().copied())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Attribute values, notes and relations on random documents (W3C, CSV, native).
// ---------------------------------------------------------------------------------------------

/// Attribute names: the default schema's, one it lacks, and ones tricky in CSV headers and IRIs.
pub const ATTRIBUTE_NAMES: &[&str] = &[
    "type",
    "kind",
    "check_worthy",
    "wikipedia",
    "a,b",
    "say \"x\"",
    "日本",
    "attr:x",
];
/// Attribute values (one clean line each, as the model requires), some tricky in files.
pub const ATTRIBUTE_VALUES: &[&str] = &[
    "direct",
    "Q956",
    "=SUM(A1)",
    "a,b",
    "\"q\"",
    "😀👍🏽",
    "مرحبا",
    "e\u{301}",
];
/// Notes: several lines, quotes, a tab, a CRLF, emoji, RTL.
pub const NOTES: &[&str] = &[
    "Check the date.",
    "two\nlines",
    "tab\there, \"quoted\"",
    "👩‍👩‍👧‍👦 שלום",
    "line\r\nbreak",
];
/// Relation types: the default schema's, one it lacks, and one markup must escape.
pub const RELATION_KINDS: &[&str] = &["said_by", "about", "same_as", "located_in", "Org & <Co>"];

/// One thing [`with_details`] adds to a document.
#[derive(Clone, Debug)]
pub enum Detail {
    Attribute(Index, &'static str, &'static str),
    Note(Index, &'static str),
    ArticleNote(&'static str),
    Relation(Index, Index, &'static str),
}

/// Up to `max` random [`Detail`]s.
pub fn details(max: usize) -> impl Strategy<Value = Vec<Detail>> {
    let detail = prop_oneof![
        3 => (any::<Index>(), prop::sample::select(ATTRIBUTE_NAMES), prop::sample::select(ATTRIBUTE_VALUES))
            .prop_map(|(i, n, v)| Detail::Attribute(i, n, v)),
        1 => (any::<Index>(), prop::sample::select(NOTES)).prop_map(|(i, n)| Detail::Note(i, n)),
        1 => prop::sample::select(NOTES).prop_map(Detail::ArticleNote),
        3 => (any::<Index>(), any::<Index>(), prop::sample::select(RELATION_KINDS))
            .prop_map(|(a, b, k)| Detail::Relation(a, b, k)),
    ];
    prop::collection::vec(detail, 0..=max)
}

/// `document` with `details` added where they fit (a relation needs two distinct spans), its
/// modification time unchanged.
pub fn with_details(mut document: Document, details: Vec<Detail>) -> Document {
    use annotator_core::model::{Relation, RelationKind};
    let at = document.modified;
    for detail in details {
        let ids: Vec<_> = document
            .annotations()
            .iter()
            .map(|a| a.id.clone())
            .collect();
        let pick = |i: Index| (!ids.is_empty()).then(|| ids[i.index(ids.len())].clone());
        match detail {
            Detail::Attribute(i, name, value) => {
                if let Some(id) = pick(i) {
                    document.set_attribute(&id, name, Some(value), at).unwrap();
                }
            }
            Detail::Note(i, note) => {
                if let Some(id) = pick(i) {
                    document.set_note(Some(&id), note, at).unwrap();
                }
            }
            Detail::ArticleNote(note) => {
                document.set_note(None, note, at).unwrap();
            }
            Detail::Relation(a, b, kind) => {
                if let (Some(from), Some(to)) = (pick(a), pick(b)) {
                    if from != to {
                        let relation = Relation::new(RelationKind::parse(kind).unwrap(), from, to);
                        // Drawn twice: kept once.
                        let _ = document.link(relation, at);
                    }
                }
            }
        }
    }
    document.modified = at;
    document
}

/// Each relation as (type, from id, to id), in the document's order.
pub fn carried_relations(document: &Document) -> Vec<(String, String, String)> {
    document
        .relations()
        .iter()
        .map(|r| (r.kind.to_string(), r.from.to_string(), r.to.to_string()))
        .collect()
}

/// An annotation's id, attribute values (name, value) and note.
pub type Details = (String, Vec<(String, String)>, Option<String>);

/// Each annotation's attribute values and note, by id, in the document's order.
pub fn carried_details(document: &Document) -> Vec<Details> {
    document
        .annotations()
        .iter()
        .map(|a| {
            (
                a.id.to_string(),
                a.attributes
                    .iter()
                    .map(|(n, v)| (n.to_owned(), v.to_owned()))
                    .collect(),
                a.note.as_deref().map(str::to_owned),
            )
        })
        .collect()
}
