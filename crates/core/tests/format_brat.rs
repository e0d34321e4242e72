#![cfg(not(target_arch = "wasm32"))]
//! brat standoff export and import (`src/export/brat.rs`).
//!
//! Why: brat `.ann` files are read by brat itself and by many Python scripts that check
//! `" ".join(text[s:e] for s, e in fragments)` against the text field, so the golden files pin
//! the exact bytes (the zip a user downloads and each file in it) for documents full of emoji,
//! ZWJ sequences, combining marks, CJK, RTL, spans across line breaks and custom labels.
//! Import takes files from other tools and people: every kind of broken line must be an error
//! that names it (`T4 in doc.ann (line 5)`), never a panic, and everything the format carries
//! must come back from our own export unchanged, who made and last changed each span included
//! (kept in its `AnnotatorNotes` under names no attribute can be written with).

#[path = "support/formats.rs"]
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use annotator_core::formats::brat::{self, label_of_type, type_name};
use annotator_core::formats::dataset::{ImportError, Problem};
use annotator_core::formats::{native, zip};
use annotator_core::model::document::default_title;
use annotator_core::model::{
    AnnotationId, AnnotatorName, ArticleText, CharRange, Document, DocumentId, Label, RelationKind,
    Schema,
};
use proptest::prelude::*;
use proptest::sample::Index;
use support::{refs, source_documents, NOW};

fn schema() -> Schema {
    Schema::default()
}

fn brat_dir() -> PathBuf {
    support::fixture_dir().join("brat")
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1 once)", path.display()))
}

/// What brat carries of a document: its id (the file name), its text, and each span with its
/// label as brat spells it, mapped back.
type Carried = (String, String, BTreeSet<(usize, usize, Label)>);

fn carried(document: &Document, file_stem: &str) -> Carried {
    let spans = document
        .annotations()
        .iter()
        .map(|a| {
            let label = label_of_type(&type_name(&a.label)).unwrap();
            (a.range.start().get(), a.range.end().get(), label)
        })
        .collect();
    (
        file_stem.to_owned(),
        document.text().as_str().to_owned(),
        spans,
    )
}

fn imported_carried(document: &Document) -> Carried {
    carried(document, document.id.as_str())
}

/// The stems of the `.txt` files an export writes, in document order.
fn stems(files: &[(String, Vec<u8>)]) -> Vec<String> {
    files
        .iter()
        .filter_map(|(name, _)| name.strip_suffix(".txt").map(str::to_owned))
        .collect()
}

/// Checks what import gives back from an export of `documents`.
fn assert_round_trip(documents: &[Document]) -> Result<(), TestCaseError> {
    let files = brat::export_files(&refs(documents), &schema());
    let archive = brat::export_zip(&refs(documents), &schema());
    let imported = brat::import_zip(&archive, NOW).unwrap();
    let expected: Vec<Carried> = documents
        .iter()
        .zip(stems(&files))
        .map(|(d, stem)| carried(d, &stem))
        .collect();
    let got: Vec<Carried> = imported.iter().map(imported_carried).collect();
    prop_assert_eq!(got, expected);
    for d in &imported {
        d.check_invariants().unwrap();
        prop_assert_eq!(&d.title, &default_title(d.text().as_str()));
        prop_assert_eq!((d.created, d.modified), (NOW, NOW));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Export: golden files.
// ---------------------------------------------------------------------------------------------

/// Set `UPDATE_GOLDEN=1` to rewrite the golden files after a deliberate format change (then read
/// the diff: every offset in it is a promise to dataset users).
#[test]
fn export_matches_the_golden_files_byte_for_byte() {
    let documents = source_documents();
    let files = brat::export_files(&refs(&documents), &schema());
    let archive = brat::export_zip(&refs(&documents), &schema());
    let unzipped = brat_dir().join("source");
    let zip_path = brat_dir().join("source.brat.zip");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let _ = std::fs::remove_dir_all(&unzipped);
        std::fs::create_dir_all(&unzipped).unwrap();
        for (name, bytes) in &files {
            std::fs::write(unzipped.join(name), bytes).unwrap();
        }
        std::fs::write(&zip_path, &archive).unwrap();
    }
    assert_eq!(archive, read(&zip_path), "{}", zip_path.display());
    let mut on_disk: Vec<String> = std::fs::read_dir(&unzipped)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    on_disk.sort();
    let mut names: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();
    names.sort();
    assert_eq!(
        on_disk,
        names,
        "no stale or missing files in {}",
        unzipped.display()
    );
    for (name, bytes) in &files {
        let path = unzipped.join(name);
        assert_eq!(
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&read(&path)),
            "{}",
            path.display()
        );
    }
    // The zip holds exactly the unzipped files.
    assert_eq!(zip::read(&archive).unwrap(), files);
}

#[test]
fn export_writes_a_txt_and_an_ann_per_document_and_one_annotation_conf() {
    let documents = source_documents();
    let files = brat::export_files(&refs(&documents), &schema());
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "annotation.conf",
            "d-fixture-1.txt",
            "d-fixture-1.ann",
            "d-plain-2.txt",
            "d-plain-2.ann",
            "d-fixture-2.txt",
            "d-fixture-2.ann",
        ]
    );
    assert_eq!(files[1].1, documents[0].text().as_str().as_bytes());
    assert_eq!(files[4].1, b"", "no spans, empty .ann");
    let conf = std::str::from_utf8(&files[0].1).unwrap();
    let entities: Vec<&str> = conf
        .split("[entities]\n")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect();
    assert_eq!(entities, ["Quote", "Entity", "Claim", "GPE", "PERSON"]);
    for section in ["[relations]", "[events]", "[attributes]"] {
        assert!(conf.contains(section), "{conf}");
    }
    assert!(
        conf.contains("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"),
        "{conf}"
    );
}

#[test]
fn every_text_field_is_the_fragments_joined_by_a_space_in_code_points() {
    // What a Python consumer checks, written independently of the exporter.
    let documents = source_documents();
    let files = brat::export_files(&refs(&documents), &schema());
    let mut lines = 0;
    for pair in files[1..].chunks(2) {
        let text: Vec<char> = std::str::from_utf8(&pair[0].1).unwrap().chars().collect();
        for line in std::str::from_utf8(&pair[1].1).unwrap().lines() {
            let fields: Vec<&str> = line.splitn(3, '\t').collect();
            if !fields[0].starts_with('T') {
                // Relations, attributes and notes come after the spans.
                assert!(
                    lines > 0 && matches!(&fields[0][..1], "R" | "A" | "#"),
                    "{line}"
                );
                continue;
            }
            let (label, offsets) = fields[1].split_once(' ').unwrap();
            assert!(!label.contains(' '));
            let pieces: Vec<String> = offsets
                .split(';')
                .map(|pair| {
                    let (s, e) = pair.split_once(' ').unwrap();
                    text[s.parse::<usize>().unwrap()..e.parse::<usize>().unwrap()]
                        .iter()
                        .collect()
                })
                .collect();
            assert_eq!(fields[2], pieces.join(" "), "{line}");
            assert!(!fields[2].contains('\n'));
            lines += 1;
        }
    }
    // 14 + 6 spans, none written twice.
    assert_eq!(lines, 20);
}

#[test]
fn a_span_across_a_line_break_is_written_as_fragments() {
    let documents = source_documents();
    let ann = brat::ann_file(&documents[0], &schema());
    assert!(ann.contains("\tQuote 75 81;82 87\tflags. مرحبا\n"), "{ann}");
    assert!(ann.starts_with("T1\tClaim 0 39\tCafé owner said: \"We love 北京市 and 日本語!\"\n"));
    // Built-in labels are capitalised; custom ones verbatim.
    let custom = brat::ann_file(&documents[2], &schema());
    assert!(
        custom.starts_with("T1\tPERSON 0 13\tAngela Merkel\n"),
        "{custom}"
    );
    assert!(custom.contains("\tGPE 63 65\t🇩🇪\n"), "{custom}");
}

#[test]
fn spans_starting_or_ending_at_a_line_break_keep_their_ends() {
    let mut d = Document::new(
        DocumentId::new("edges"),
        String::new(),
        ArticleText::normalize("ab\n\ncd\n"),
        NOW,
    );
    for (start, end) in [(0, 3), (2, 4), (1, 6), (6, 7)] {
        d.add(CharRange::from_raw(start, end).unwrap(), Label::Quote, NOW)
            .unwrap();
    }
    assert_eq!(
        brat::ann_file(&d, &schema()),
        "T1\tQuote 0 2;3 3\tab \n\
         T2\tQuote 1 2;4 6\tb cd\n\
         T3\tQuote 2 2;4 4\t \n\
         T4\tQuote 6 6;7 7\t \n"
    );
    assert_round_trip(&[d]).unwrap();
}

#[test]
fn labels_are_mapped_to_brat_type_names_and_back() {
    let custom = |name: &str| Label::parse_any(name).unwrap();
    assert_eq!(type_name(&Label::Quote), "Quote");
    assert_eq!(type_name(&Label::Entity), "Entity");
    assert_eq!(type_name(&Label::Claim), "Claim");
    assert_eq!(type_name(&custom("Quotation mark “”")), "Quotation_mark_“”");
    assert_eq!(type_name(&custom("a\u{3000}b")), "a_b");
    for label in Label::ALL {
        assert_eq!(label_of_type(&type_name(&label)), Ok(label));
    }
    assert_eq!(label_of_type("PERSON"), Ok(custom("PERSON")));
    assert_eq!(label_of_type("quote"), Ok(Label::Quote));
    // Lossy on purpose: a custom label spelled like a built-in one comes back built-in.
    assert_eq!(
        label_of_type(&type_name(&custom("Quote"))),
        Ok(Label::Quote)
    );
}

#[test]
fn labels_that_map_to_one_type_on_one_span_are_written_once() {
    let mut d = Document::new(
        DocumentId::new("same"),
        String::new(),
        ArticleText::normalize("Angela"),
        NOW,
    );
    let whole = CharRange::from_raw(0, 6).unwrap();
    for label in ["New York", "New_York", "Quote", "quote"] {
        d.add(whole, Label::parse_any(label).unwrap(), NOW).unwrap();
    }
    assert_eq!(
        brat::ann_file(&d, &schema()),
        "T1\tNew_York 0 6\tAngela\nT2\tQuote 0 6\tAngela\n"
    );
    assert_round_trip(&[d]).unwrap();
}

#[test]
fn file_names_are_safe_and_unique_and_unconfigurable_types_are_commented() {
    let document = |id: &str, label: &str| {
        let mut d = Document::new(
            DocumentId::new(id),
            String::new(),
            ArticleText::normalize("x"),
            NOW,
        );
        d.add(
            CharRange::from_raw(0, 1).unwrap(),
            Label::parse_any(label).unwrap(),
            NOW,
        )
        .unwrap();
        d
    };
    let documents = [
        document("news/2024 05 01", "<ENTITY>"),
        document("news_2024_05_01", "A|B"),
        document("NEWS_2024_05_01", "ORG"),
        document("../etc/passwd", "#tag"),
    ];
    let files = brat::export_files(&refs(&documents), &schema());
    assert_eq!(
        stems(&files),
        [
            "news_2024_05_01",
            "news_2024_05_01-2",
            "NEWS_2024_05_01-3",
            "_.._etc_passwd"
        ]
    );
    let conf = std::str::from_utf8(&files[0].1).unwrap();
    assert!(conf.contains("\nClaim\nORG\n# Also used"), "{conf}");
    for name in ["<ENTITY>", "A|B", "#tag"] {
        assert!(conf.contains(&format!("\n#   {name}\n")), "{conf}");
    }
    assert_round_trip(&documents).unwrap();
}

#[test]
fn an_export_too_large_for_a_plain_zip_says_so_instead_of_being_empty() {
    // 32,768 documents are 65,537 files with annotation.conf: one more than a zip holds.
    let documents: Vec<Document> = (0..32_768)
        .map(|i| {
            Document::new(
                DocumentId::new(&format!("d{i}")),
                String::new(),
                ArticleText::normalize("x"),
                NOW,
            )
        })
        .collect();
    assert_eq!(
        brat::try_export_zip(&refs(&documents), &schema()),
        Err(zip::ZipError::TooManyEntries { count: 65_537 })
    );
    let entries = zip::read(&brat::export_zip(&refs(&documents), &schema())).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, "EXPORT-FAILED.txt");
    let note = String::from_utf8(entries[0].1.clone()).unwrap();
    assert!(note.contains("65537 files"), "{note}");
    assert!(brat::try_export_zip(&refs(&documents[..32_767]), &schema()).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Import.
// ---------------------------------------------------------------------------------------------

#[test]
fn import_of_the_golden_zip_gives_back_what_brat_carries() {
    let documents = source_documents();
    let imported = brat::import_zip(&read(&brat_dir().join("source.brat.zip")), NOW).unwrap();
    let expected: Vec<Carried> = documents
        .iter()
        .map(|d| carried(d, d.id.as_str()))
        .collect();
    let got: Vec<Carried> = imported.iter().map(imported_carried).collect();
    assert_eq!(got, expected);
    // The cross-line quote came back as one span.
    assert!(imported[0]
        .annotations()
        .iter()
        .any(|a| a.range == CharRange::from_raw(75, 87).unwrap() && a.label == Label::Quote));
    assert_eq!(imported[2].annotations()[0].label.as_str(), "PERSON");
}

#[test]
fn import_of_export_gives_back_what_brat_carries() {
    assert_round_trip(&source_documents()).unwrap();
    assert_round_trip(&[]).unwrap();
}

#[test]
fn import_reads_a_python_made_deflated_collection() {
    let imported = brat::import_zip(&read(&brat_dir().join("python-deflated.zip")), NOW).unwrap();
    assert_eq!(
        imported.len(),
        2,
        "config, README, .DS_Store and __MACOSX are skipped"
    );
    let news = &imported[0];
    assert_eq!(news.id.as_str(), "news-1");
    assert_eq!(news.title, "Dr. Chen visited 北京 😀.");
    // The \r\n line endings are normalised and every offset moved with them.
    assert_eq!(
        news.text().as_str(),
        "Dr. Chen visited 北京 😀.\nShe said “hello\nworld” twice.\n"
    );
    let spans: Vec<(&str, &str)> = news
        .annotations()
        .iter()
        .map(|a| (news.text().slice(a.range).unwrap(), a.label.as_str()))
        .collect();
    assert_eq!(
        spans,
        [
            ("Dr. Chen", "PERSON"),
            ("Dr. Chen", "claim"),
            ("北京", "entity"),
            ("北京", "claim"),
            ("😀", "entity"),
            // Two fragments with only a line break between them: one span again.
            ("“hello\nworld”", "quote"),
        ]
    );
    assert_eq!(imported[1].id.as_str(), "notes café");
    assert!(imported[1].annotations().is_empty(), "a .txt without .ann");
}

#[test]
fn a_discontinuous_span_becomes_one_span_per_fragment() {
    let d = brat::import_pair(
        "doc.txt",
        "alpha beta gamma",
        "T1\tClaim 0 5;11 16\talpha gamma\n",
        NOW,
    )
    .unwrap();
    let spans: Vec<&str> = d
        .annotations()
        .iter()
        .map(|a| d.text().slice(a.range).unwrap())
        .collect();
    assert_eq!(spans, ["alpha", "gamma"]);
    assert!(d.annotations().iter().all(|a| a.label == Label::Claim));
}

#[test]
fn import_reads_relations_attributes_and_notes_and_skips_the_rest() {
    let ann = "T1\tPERSON 0 5\tAlice\n\
               #1\tAnnotatorNotes T1\tnote\n\
               A1\tNegated T1\n\
               M1\tSpeculated T1\n\
               R1\tKnows Arg2:T1 Arg1:T2\n\
               E1\tMeet:T2 Agent:T1\n\
               A2\tNegated E1\n\
               R2\tCause Arg1:E1 Arg2:T1\n\
               #2\tAnnotatorNotes E1\tabout the event\n\
               #3\tComment T1\tnot a note\n\
               N1\tReference T1 Wikipedia:123\tAlice\n\
               *\tEquiv T1 T2\n\
               *\tEquiv T2 T1\n\
               \n\
               T2\tmeet 10 14\tmeet\r\n";
    let d = brat::import_pair("x/y.txt", "Alice and meet", ann, NOW).unwrap();
    assert_eq!(d.id.as_str(), "y");
    let alice = &d.annotations()[0];
    assert_eq!(d.annotations().len(), 2);
    assert_eq!(
        alice.attributes.iter().collect::<Vec<_>>(),
        [("Negated", "true"), ("Speculated", "true")]
    );
    assert_eq!(alice.note.as_deref(), Some("note"));
    // Arg1 is the "from" end whatever order the roles are written in.
    let relations: Vec<String> = d.relations().iter().map(ToString::to_string).collect();
    assert_eq!(relations, ["a2 Knows a1"]);
}

#[test]
fn import_counts_code_points_over_crlf_text() {
    // "😀" is one code point (two UTF-16 units); "\r\n" is two code points before normalising.
    let text = "😀 a\r\nb 北京\r\n";
    // T2's text field ends where the .ann's own \r\n begins, and so does its span.
    let ann = "T1\tEntity 7 9\t北京\nT2\tQuote 2 4\ta\r\n";
    let d = brat::import_pair("crlf.txt", text, ann, NOW).unwrap();
    assert_eq!(d.text().as_str(), "😀 a\nb 北京\n");
    let spans: Vec<&str> = d
        .annotations()
        .iter()
        .map(|a| d.text().slice(a.range).unwrap())
        .collect();
    assert_eq!(spans, ["a", "北京"]);
}

// ---------------------------------------------------------------------------------------------
// Import errors: one per kind, each naming its record.
// ---------------------------------------------------------------------------------------------

const TEXT: &str = "Alice met Bob in Paris.";

fn pair_error(ann: &str) -> ImportError {
    brat::import_pair("doc-1.txt", TEXT, ann, NOW).unwrap_err()
}

/// An `.ann` whose line 3 is `bad`.
fn error_on_line_3(bad: &str) -> ImportError {
    let error = pair_error(&format!(
        "T1\tPERSON 0 5\tAlice\n#1\tAnnotatorNotes T1\tok\n{bad}\n"
    ));
    assert!(error.record.contains("line 3"), "{error}");
    assert!(error.to_string().starts_with(&error.record));
    error
}

#[test]
fn an_offset_past_the_end_is_named() {
    let error = error_on_line_3("T4\tPERSON 17 99\tParis.");
    assert_eq!(error.record, "T4 in doc-1.ann (line 3)");
    assert!(
        matches!(
            error.problem,
            Problem::PastEnd {
                start: 17,
                end: 99,
                len: 23,
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("past the end"), "{error}");
}

#[test]
fn a_start_after_its_end_is_named() {
    let error = error_on_line_3("T4\tPERSON 9 6\tx");
    assert_eq!(error.record, "T4 in doc-1.ann (line 3)");
    assert_eq!(
        error.problem,
        Problem::StartNotBeforeEnd { start: 9, end: 6 }
    );
    // An empty span cannot be kept either; build_document names the same record.
    let error = error_on_line_3("T4\tPERSON 6 6\t");
    assert_eq!(error.record, "T4 in doc-1.ann (line 3)");
    assert_eq!(
        error.problem,
        Problem::StartNotBeforeEnd { start: 6, end: 6 }
    );
}

#[test]
fn a_text_field_that_disagrees_with_the_offsets_is_named() {
    let error = error_on_line_3("T4\tPERSON 10 13\tBen");
    assert_eq!(error.record, "T4 in doc-1.ann (line 3)");
    assert_eq!(
        error.problem,
        Problem::TextMismatch {
            start: 10,
            end: 13,
            expected: "Ben".into(),
            found: "Bob".into()
        }
    );
    // Fragments are compared joined by one space, as brat writes them.
    let error = error_on_line_3("T4\tPERSON 0 5;10 13\tAliceBob");
    assert!(
        matches!(&error.problem, Problem::TextMismatch { found, .. } if found == "Alice Bob"),
        "{error}"
    );
    // UTF-16 offsets (brat#1115) are caught as a mismatch, not silently shifted.
    let error = brat::import_pair("e.txt", "😀 Bob and Ann", "T1\tX 3 6\tBob\n", NOW).unwrap_err();
    assert!(
        matches!(error.problem, Problem::TextMismatch { .. }),
        "{error}"
    );
}

#[test]
fn lines_of_an_unknown_shape_are_named() {
    for (bad, record, needle) in [
        (
            "no tab here",
            "line 3 of doc-1.ann",
            "expected an annotation id",
        ),
        (
            "X4\tPERSON 0 5\tAlice",
            "X4 in doc-1.ann (line 3)",
            "not a brat annotation id",
        ),
        (
            "T4\tPERSON\tAlice",
            "T4 in doc-1.ann (line 3)",
            "expected a type and offsets",
        ),
        (
            "T4\tPERSON 0 five\tAlice",
            "T4 in doc-1.ann (line 3)",
            "\"0 five\"",
        ),
        (
            "T4\tPERSON -1 5\tAlice",
            "T4 in doc-1.ann (line 3)",
            "\"-1 5\"",
        ),
        ("T4\tPERSON 0 5;\tAlice", "T4 in doc-1.ann (line 3)", "\"\""),
        (
            "T1\tPERSON 10 13\tBob",
            "T1 in doc-1.ann (line 3)",
            "used twice",
        ),
    ] {
        let error = error_on_line_3(bad);
        assert_eq!(error.record, record, "{bad:?}");
        assert!(
            matches!(error.problem, Problem::Shape(_)),
            "{bad:?}: {error}"
        );
        assert!(error.to_string().contains(needle), "{bad:?}: {error}");
    }
}

#[test]
fn an_unusable_type_name_is_named() {
    let long = "L".repeat(65);
    let error = error_on_line_3(&format!("T4\t{long} 0 5\tAlice"));
    assert_eq!(error.record, "T4 in doc-1.ann (line 3)");
    assert!(matches!(error.problem, Problem::Label(_)), "{error}");
    assert!(error.to_string().contains("longer than 64"), "{error}");
}

#[test]
fn a_fragment_on_a_span_already_tagged_alike_is_imported_once() {
    let document = brat::import_pair(
        "doc-1.txt",
        TEXT,
        "T1\tPERSON 0 5\tAlice\nT4\tPERSON 10 13;0 5\tBob Alice\n",
        NOW,
    )
    .unwrap();
    let spans: Vec<(usize, usize)> = document
        .annotations()
        .iter()
        .map(|a| (a.range.start().get(), a.range.end().get()))
        .collect();
    assert_eq!(spans, vec![(0, 5), (10, 13)]);
}

#[test]
fn zip_level_problems_are_named() {
    let zip_of = |files: &[(&str, &[u8])]| {
        zip::write(
            &files
                .iter()
                .map(|(n, b)| ((*n).to_owned(), b.to_vec()))
                .collect::<Vec<_>>(),
        )
        .unwrap()
    };
    let ann_alone = zip_of(&[("c/a.txt", b"x"), ("c/b.ann", b"")]);
    let error = brat::import_zip(&ann_alone, NOW).unwrap_err();
    assert_eq!(error.record, "c/b.ann");
    assert!(error.to_string().contains("no c/b.txt"), "{error}");

    let not_utf8 = zip_of(&[("a.txt", b"\xff\xfe")]);
    let error = brat::import_zip(&not_utf8, NOW).unwrap_err();
    assert_eq!(error.record, "a.txt");
    assert!(error.to_string().contains("not UTF-8"), "{error}");

    let nothing = zip_of(&[("notes.md", b"hi")]);
    let error = brat::import_zip(&nothing, NOW).unwrap_err();
    assert!(error.to_string().contains("no brat files"), "{error}");

    let error = brat::import_zip(b"{\"format\": \"article-annotator\"}", NOW).unwrap_err();
    assert!(
        error.to_string().contains("not a readable zip archive"),
        "{error}"
    );

    let bad_line = zip_of(&[("a.txt", b"abc"), ("a.ann", b"T1\tX 0 9\tabc\n")]);
    let error = brat::import_zip(&bad_line, NOW).unwrap_err();
    assert_eq!(error.record, "T1 in a.ann (line 1)");

    let same_stem = zip_of(&[("x/a.txt", b"one"), ("y/a.txt", b"two")]);
    let ids: Vec<String> = brat::import_zip(&same_stem, NOW)
        .unwrap()
        .iter()
        .map(|d| d.id.to_string())
        .collect();
    assert_eq!(ids, ["a", "a-2"]);
}

// ---------------------------------------------------------------------------------------------
// Format detection.
// ---------------------------------------------------------------------------------------------

#[test]
fn looks_like_recognises_ann_files_and_nothing_else() {
    let documents = source_documents();
    assert!(brat::looks_like(&brat::ann_file(&documents[0], &schema())));
    assert!(brat::looks_like("\r\nT12\tPERSON 0 5;6 9\tAlice Bob\r\n"));
    for other in [
        "",
        "T1 PERSON 0 5 Alice",
        native::export(&documents, &annotator_core::model::Schema::default()).as_str(),
        "{\"text\": \"abc\", \"spans\": [{\"start\": 0, \"end\": 1, \"label\": \"quote\"}]}",
        "{\"text\": \"abc\", \"label\": [[0, 1, \"PER\"]]}",
        "[{\"data\": {\"text\": \"abc\"}}]",
        "{\"@context\": \"http://www.w3.org/ns/anno.jsonld\", \"type\": \"AnnotationCollection\"}",
        "document_id,start,end,label,text\nd1,0,1,quote,a\n",
    ] {
        assert!(!brat::looks_like(other), "{other:?}");
    }
    let archive = brat::export_zip(&refs(&documents), &schema());
    assert!(brat::looks_like_zip(&archive));
    assert!(brat::looks_like_zip(&zip::write(&[]).unwrap()));
    assert!(!brat::looks_like_zip(b"T1\tX 0 1\ta"));
}

// ---------------------------------------------------------------------------------------------
// Relations, attribute values and notes.
// ---------------------------------------------------------------------------------------------

/// A span as brat carries it: offsets and label as brat spells it, mapped back.
type SpanKey = (usize, usize, Label);

fn span_key(document: &Document, id: &AnnotationId) -> SpanKey {
    let a = document.annotation(id).unwrap();
    (
        a.range.start().get(),
        a.range.end().get(),
        label_of_type(&type_name(&a.label)).unwrap(),
    )
}

/// A span's attribute values, note, and who made and last changed it.
type SpanDetails = (
    Vec<(String, String)>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// What brat carries beyond the spans, compared by span (ids are renumbered): each span's
/// attribute values, note and authors, and each relation with its type as brat spells it.
type Details = (
    BTreeMap<SpanKey, SpanDetails>,
    BTreeSet<(SpanKey, SpanKey, String)>,
);

fn details_by_span(document: &Document) -> Details {
    let name = |n: &Option<AnnotatorName>| n.as_ref().map(|n| n.as_str().to_owned());
    let details = document
        .annotations()
        .iter()
        .filter(|a| a.has_details() || !a.authors.is_empty())
        .map(|a| {
            let attributes = a
                .attributes
                .iter()
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                .collect();
            (
                span_key(document, &a.id),
                (
                    attributes,
                    a.note.as_deref().map(str::to_owned),
                    name(&a.authors.made_by),
                    name(&a.authors.changed_by),
                ),
            )
        })
        .collect();
    let relations = document
        .relations()
        .iter()
        .map(|r| {
            (
                span_key(document, &r.from),
                span_key(document, &r.to),
                brat::relation_type_name(&r.kind),
            )
        })
        .collect();
    (details, relations)
}

/// Whether no two annotations of `document` are written as one `T` line (see the module doc).
fn spans_are_distinct_in_brat(document: &Document) -> bool {
    let keys: BTreeSet<SpanKey> = document
        .annotations()
        .iter()
        .map(|a| span_key(document, &a.id))
        .collect();
    keys.len() == document.annotations().len()
}

fn assert_details_round_trip(documents: &[Document]) -> Result<(), TestCaseError> {
    let imported = brat::import_zip(&brat::export_zip(&refs(documents), &schema()), NOW).unwrap();
    prop_assert_eq!(imported.len(), documents.len());
    for (got, expected) in imported.iter().zip(documents) {
        prop_assert_eq!(details_by_span(got), details_by_span(expected));
        // brat has no note on a whole document.
        prop_assert_eq!(got.note.as_deref(), None);
    }
    Ok(())
}

#[test]
fn relations_attribute_values_and_notes_come_back_exactly() {
    let documents = source_documents();
    assert_details_round_trip(&documents).unwrap();
    let (details, relations) = details_by_span(&documents[2]);
    // The attribute the schema lacks, and the value it lacks, are among them.
    let merkel = &details[&(0, 13, Label::parse_any("PERSON").unwrap())];
    assert!(merkel
        .0
        .contains(&("wikipedia".to_owned(), "Angela Merkel".to_owned())));
    assert!(details[&(25, 31, Label::Entity)]
        .0
        .contains(&("kind".to_owned(), "city".to_owned())));
    assert!(relations.iter().any(|(_, _, kind)| kind == "located_in"));
    // And so is the golden zip.
    let golden = brat::import_zip(&read(&brat_dir().join("source.brat.zip")), NOW).unwrap();
    for (got, expected) in golden.iter().zip(&documents) {
        assert_eq!(details_by_span(got), details_by_span(expected));
    }
}

#[test]
fn values_brat_can_hold_are_attributes_and_the_rest_go_into_the_note() {
    let documents = source_documents();
    let ann = brat::ann_file(&documents[2], &schema());
    // A schema attribute, with a value the schema lacks but brat can hold.
    assert!(ann.contains("\tkind T3 city\n"), "{ann}");
    // Free text, an attribute of a label the schema lacks, a value with a space: in the note.
    // Who made and last changed the span come first, as reserved entries.
    assert!(
        ann.contains(
            "#1\tAnnotatorNotes T1\t\\@\\@made_by=Dana Ruiz\\n\\@\\@changed_by=Dana Ruiz\\n\
             \\@id=Q567\\n\\@kind=person\\n\\@wikipedia=Angela Merkel\\n\n"
        ),
        "{ann}"
    );
    let ann = brat::ann_file(&documents[0], &schema());
    assert!(
        ann.contains(
            "\tAnnotatorNotes T2\t\\@\\@made_by=ann\\n\\@\\@changed_by=李小龍\\nQuoted in 北京 — \
             check the 👩‍👩‍👧‍👦 source.\\nSecond line, \"quoted\", tab\\there.\n"
        ),
        "{ann}"
    );
    // A span with nothing but a maker gets a note line of its own; one with nobody known, none.
    assert!(
        ann.contains("\tAnnotatorNotes T5\t\\@\\@made_by=👩🏽‍💻 Zoë\\n\n"),
        "{ann}"
    );
    assert!(!ann.contains(" T4\t"), "{ann}");
}

/// One span "Ada" (T1) with the `AnnotatorNotes` text `field`.
fn ann_with_note(field: &str) -> String {
    format!("T1\tEntity 0 3\tAda\n#1\tAnnotatorNotes T1\t{field}\n")
}

fn authors_of(document: &Document) -> (Option<String>, Option<String>) {
    let authors = &document.annotations()[0].authors;
    let name = |n: &Option<AnnotatorName>| n.as_ref().map(|n| n.as_str().to_owned());
    (name(&authors.made_by), name(&authors.changed_by))
}

#[test]
fn reserved_entries_are_authors_and_attributes_of_any_name_stay_attributes() {
    let d = brat::import_pair(
        "d.txt",
        "Ada met Bob.",
        &ann_with_note(
            "\\@made_by=x\\n\\@@made_by=y\\n\\@\\@made_by=ann\\n\\@\\@changed_by=\\\\ o\\=k\\n\\@\\@other=z\\nnote",
        ),
        NOW,
    )
    .unwrap();
    let ada = &d.annotations()[0];
    assert_eq!(authors_of(&d), (Some("ann".into()), Some("\\ o=k".into())));
    // An attribute named like an entry, one starting with `@`, and an unknown reserved-looking
    // entry are all attributes.
    assert_eq!(
        ada.attributes.iter().collect::<Vec<_>>(),
        [("@made_by", "y"), ("@other", "z"), ("made_by", "x")]
    );
    assert_eq!(ada.note.as_deref(), Some("note"));
    // And they are written back so: an attribute named `made_by` never turns into an author.
    let ann = brat::ann_file(&d, &schema());
    assert!(ann.contains("\\@made_by=x\\n"), "{ann}");
    assert!(ann.contains("\\@@made_by=y\\n"), "{ann}");
    assert_details_round_trip(&[d]).unwrap();
    // Two note lines on one span: each gives what it names.
    let two = "T1\tEntity 0 3\tAda\n#1\tAnnotatorNotes T1\t\\@\\@changed_by=bob\\n\n\
               #2\tAnnotatorNotes T1\t\\@\\@made_by=ann\\n\n";
    let d = brat::import_pair("d.txt", "Ada met Bob.", two, NOW).unwrap();
    assert_eq!(authors_of(&d), (Some("ann".into()), Some("bob".into())));
}

#[test]
fn a_bad_author_name_is_refused_naming_the_note_line() {
    let long = "x".repeat(65);
    for (field, needle) in [
        (
            "\\@\\@made_by=\\n".to_owned(),
            "made_by: an annotator name cannot be empty",
        ),
        (
            format!("\\@\\@changed_by={long}\\n"),
            "changed_by: an annotator name is at most 64",
        ),
        ("\\@\\@made_by=a\\tb\\n".to_owned(), "one line"),
        ("\\@\\@made_by=ann, bob\\n".to_owned(), "comma"),
    ] {
        let error =
            brat::import_pair("d.txt", "Ada met Bob.", &ann_with_note(&field), NOW).unwrap_err();
        assert_eq!(error.record, "#1 in d.ann (line 2)", "{field}");
        assert!(error.to_string().contains(needle), "{field}: {error}");
    }
}

#[test]
fn spans_two_annotators_share_are_imported_once_naming_both() {
    let ann = "T1\tEntity 0 3\tAda\nT2\tEntity 0 3\tAda\n\
               #1\tAnnotatorNotes T1\t\\@\\@made_by=ann\\n\n#2\tAnnotatorNotes T2\t\\@\\@made_by=bob\\n\n";
    let d = brat::import_pair("d.txt", "Ada met Bob.", ann, NOW).unwrap();
    let [ada] = d.annotations() else {
        panic!("one span");
    };
    assert_eq!(ada.attributes.get("annotators"), Some("ann, bob"));
    assert_eq!(authors_of(&d).0.as_deref(), Some("ann"));
}

#[test]
fn notes_and_free_text_values_are_escaped_into_one_line_and_back() {
    let mut d = Document::new(
        DocumentId::new("escapes"),
        String::new(),
        ArticleText::normalize("Ada met Bob."),
        NOW,
    );
    let ada = d
        .add(CharRange::from_raw(0, 3).unwrap(), Label::Entity, NOW)
        .unwrap()
        .id
        .clone();
    let bob = d
        .add(CharRange::from_raw(8, 11).unwrap(), Label::Quote, NOW)
        .unwrap()
        .id
        .clone();
    let note =
        "\\@not=attr\\n \\ back\\slash\ttab\r\ncrlf\u{2028}ls\u{85}nel\u{1e}rs\u{0}nul end \\";
    d.set_note(Some(&ada), note, NOW).unwrap();
    d.set_attribute(&ada, "a=b", Some("=c\\n"), NOW).unwrap();
    d.set_attribute(&ada, "id", Some("Q1 Q2"), NOW).unwrap();
    // A schema attribute with a value brat cannot hold.
    d.set_attribute(&bob, "type", Some("half direct"), NOW)
        .unwrap();
    d.set_note(Some(&bob), "@starts like an attribute=x", NOW)
        .unwrap();
    let ann = brat::ann_file(&d, &schema());
    assert_eq!(ann.lines().count(), 4, "{ann}");
    for line in ann.lines() {
        assert!(
            !line.chars().any(|c| c.is_control() && c != '\t'),
            "{line:?}"
        );
        assert!(!line.contains(['\u{2028}', '\u{85}']), "{line:?}");
    }
    assert_details_round_trip(&[d]).unwrap();
}

#[test]
fn annotation_conf_lists_relation_types_and_attribute_values() {
    let documents = source_documents();
    let files = brat::export_files(&refs(&documents), &schema());
    let conf = std::str::from_utf8(&files[0].1).unwrap();
    let section = |name: &str| -> Vec<&str> {
        conf.split(&format!("[{name}]\n"))
            .nth(1)
            .unwrap()
            .split("\n\n")
            .next()
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect()
    };
    assert_eq!(
        section("relations"),
        [
            "said_by\tArg1:Quote, Arg2:Entity",
            "made_by\tArg1:Claim, Arg2:Entity",
            "about\tArg1:Claim|Quote, Arg2:Entity",
            "same_as\tArg1:Entity, Arg2:Entity",
            "continues\tArg1:Quote, Arg2:Quote",
            "located_in\tArg1:<ENTITY>, Arg2:<ENTITY>",
            "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        ]
    );
    assert!(
        conf.contains("\n[events]\n\n[attributes]\n"),
        "no events: {conf}"
    );
    assert_eq!(
        section("attributes"),
        [
            "type\tArg:Quote, Value:direct|indirect|mixed",
            // The value the schema lacks is listed after the schema's.
            "kind\tArg:Entity, Value:person|organisation|place|other|city",
            "check_worthy\tArg:Claim, Value:yes|no|unsure",
        ]
    );
    // Every A line's name and value are in the conf.
    for (_, bytes) in files.iter().filter(|(name, _)| name.ends_with(".ann")) {
        for line in std::str::from_utf8(bytes).unwrap().lines() {
            if let Some(rest) = line.strip_prefix('A') {
                let words: Vec<&str> = rest.split_once('\t').unwrap().1.split(' ').collect();
                let listed = section("attributes").into_iter().any(|l| {
                    l.starts_with(&format!("{}\t", words[0]))
                        && l.split(['|', ':']).any(|v| v == words[2])
                });
                assert!(listed, "{line}");
            }
        }
    }
}

#[test]
fn a_schema_with_a_shared_attribute_and_odd_names_gives_one_line_per_attribute() {
    let mut schema = schema();
    // `kind` on claims too, with one value of its own and one brat cannot hold.
    let mut kind = schema.labels[1].attributes[0].clone();
    kind.values = vec!["rumour".into(), "with space".into(), "person".into()];
    schema.labels[2].attributes.push(kind);
    schema.relations[0].kind = RelationKind::parse("said by").unwrap();
    schema.relations[1].kind = RelationKind::parse("a|b").unwrap();
    let files = brat::export_files(&[], &schema);
    let conf = std::str::from_utf8(&files[0].1).unwrap();
    assert!(
        conf.contains("\nkind\tArg:Entity|Claim, Value:person|organisation|place|other|rumour\n"),
        "{conf}"
    );
    assert!(
        conf.contains("\nsaid_by\tArg1:Quote, Arg2:Entity\n"),
        "{conf}"
    );
    assert!(
        conf.contains("\n# Also used, not configurable: a|b\n"),
        "{conf}"
    );
}

#[test]
fn lines_naming_a_missing_annotation_are_named() {
    for (bad, needle) in [
        (
            "R1\tsaid_by Arg1:T1 Arg2:T9",
            "names T9, but no line of doc-1.ann has that id",
        ),
        ("A1\ttype T9 direct", "names T9"),
        ("M1\tNegated T7", "names T7"),
        ("#2\tAnnotatorNotes T9\tnote", "names T9"),
    ] {
        let error = error_on_line_3(bad);
        let id = bad.split('\t').next().unwrap();
        assert_eq!(
            error.record,
            format!("{id} in doc-1.ann (line 3)"),
            "{bad:?}"
        );
        assert!(matches!(error.problem, Problem::Shape(_)), "{error}");
        assert!(error.to_string().contains(needle), "{bad:?}: {error}");
    }
}

#[test]
fn relation_attribute_and_note_lines_of_an_unknown_shape_are_named() {
    for (bad, needle) in [
        ("R1\tsaid_by Arg1:T1", "expected a type and two arguments"),
        ("R1\tsaid_by Arg1:T1 Arg2:T1", "links T1 to itself"),
        ("R1\tsaid_by Arg1:T1 T1", "\"T1\" is not an argument"),
        ("A1\ttype", "expected an attribute name, an annotation id"),
        ("A1\ttype T1 a b", "at most one value"),
        (
            "#2\tAnnotatorNotes\tnote",
            "expected a note type and an annotation id",
        ),
    ] {
        let error = error_on_line_3(bad);
        assert!(
            matches!(error.problem, Problem::Shape(_)),
            "{bad:?}: {error}"
        );
        assert!(error.to_string().contains(needle), "{bad:?}: {error}");
    }
    let error = error_on_line_3("#2\tAnnotatorNotes T1\t\\@ bad=x\\n");
    assert_eq!(error.record, "#2 in doc-1.ann (line 3)");
    assert!(matches!(error.problem, Problem::Invalid(_)), "{error}");
    let error = error_on_line_3("R1\t\tsaid_by");
    assert!(error.to_string().contains("expected a type"), "{error}");
    let error = error_on_line_3("R1\tbad\u{1}type Arg1:T1 Arg2:T1x");
    assert_eq!(error.record, "R1 in doc-1.ann (line 3)", "{error}");
    let error = error_on_line_3("A1\tbad T1 \u{1}");
    assert!(matches!(error.problem, Problem::Invalid(_)), "{error}");
    // The same id twice is refused for every kind of line, not only spans.
    let error = pair_error("T1\tPERSON 0 5\tAlice\nA1\tx T1\nA1\ty T1\n");
    assert!(error.to_string().contains("used twice"), "{error}");
}

#[test]
fn the_fuzz_seeds_with_relations_are_valid_input() {
    // Seeds the fuzzer starts from should reach deep into the parser, not fail on line 1.
    let seeds = support::fixture_dir().join("../../../fuzz/seeds/brat");
    let pair = std::fs::read_to_string(seeds.join("seed-pair-relations.txt")).unwrap();
    // As the fuzz target splits it: the first line is the text.
    let (txt, ann) = pair.split_once('\n').unwrap();
    let d = brat::import_pair("doc.txt", txt, ann, NOW).unwrap();
    let relations: Vec<String> = d.relations().iter().map(ToString::to_string).collect();
    assert_eq!(relations, ["a1 same_as a2", "a1 located_in a3"]);
    let merkel = &d.annotations()[0];
    assert_eq!(
        merkel.attributes.iter().collect::<Vec<_>>(),
        [("a=b", "x y"), ("id", "Q567")]
    );
    assert_eq!(
        merkel.note.as_deref(),
        Some("Two\nlines, a tab\there \u{2028} and \\ a backslash")
    );
    assert_eq!(
        d.annotations()[1].attributes.get("Speculated"),
        Some("true")
    );
    assert_eq!(d.annotations()[2].attributes.get("kind"), Some("city"));
    let zip = std::fs::read(seeds.join("seed-relations.zip")).unwrap();
    assert_eq!(brat::import_zip(&zip, NOW).unwrap().len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------------------------

fn tricky_text() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        4 => "[a-zA-Z ]{1,6}",
        1 => Just("\r\n".to_owned()),
        1 => Just("\n".to_owned()),
        2 => prop::sample::select(vec!["😀", "👍🏽", "👩‍👩‍👧‍👦", "🏳️‍🌈", "e\u{301}", "北京市", "مرحبا", "שלום", "\t", ";", "\u{0}", "\u{2028}", "\u{85}", "\u{b}"]).prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(fragment, 0..50).prop_map(|parts| parts.concat())
}

/// The built-in labels and custom ones, including one brat must rewrite and one it cannot
/// configure.
fn labels() -> Vec<Label> {
    let mut labels = Label::ALL.to_vec();
    for name in ["PERSON", "Quotation mark “”", "Quote", "A|B"] {
        labels.push(Label::parse_any(name).unwrap());
    }
    labels
}

fn random_document() -> impl Strategy<Value = Document> {
    (
        any::<String>(),
        tricky_text(),
        prop::collection::vec(
            (any::<Index>(), 1usize..12, prop::sample::select(labels())),
            0..20,
        ),
    )
        .prop_map(|(id, text, spans)| {
            let mut d = Document::new(
                DocumentId::new(&id),
                String::new(),
                ArticleText::normalize(&text),
                NOW,
            );
            let len = d.text().char_len();
            for (start, n, label) in spans {
                if len > 0 {
                    let start = start.index(len);
                    let range = CharRange::from_raw(start, (start + n).min(len)).unwrap();
                    let _ = d.add(range, label, NOW);
                }
            }
            d
        })
}

proptest! {
    #[test]
    fn import_of_export_is_identity_on_what_brat_carries(
        documents in prop::collection::vec(random_document(), 0..4)
    ) {
        assert_round_trip(&documents)?;
    }

    #[test]
    fn relations_attribute_values_and_notes_survive_a_round_trip(
        documents in prop::collection::vec(
            (
                random_document(),
                support::details(10),
                prop::collection::vec(support::any_authors(), 0..6),
            )
                .prop_map(|(d, details, authors)| {
                    support::with_authors(support::with_details(d, details), &authors)
                }),
            0..3,
        )
    ) {
        prop_assume!(documents.iter().all(spans_are_distinct_in_brat));
        assert_details_round_trip(&documents)?;
        assert_round_trip(&documents)?;
    }

    #[test]
    fn importing_arbitrary_pairs_never_panics(txt in any::<String>(), ann in any::<String>()) {
        if let Ok(d) = brat::import_pair("a.txt", &txt, &ann, NOW) {
            d.check_invariants().unwrap();
        }
    }

    #[test]
    fn importing_arbitrary_ann_lines_never_panics(
        txt in tricky_text(),
        lines in prop::collection::vec(
            ("[TRAE#X]?[0-9]{0,2}", "[A-Za-z]{0,3}", prop::collection::vec((0usize..40, 0usize..40), 0..3), any::<String>()),
            0..6,
        ),
    ) {
        let ann: String = lines
            .iter()
            .map(|(id, label, offsets, text)| {
                let offsets: Vec<String> = offsets.iter().map(|(s, e)| format!("{s} {e}")).collect();
                format!("{id}\t{label} {}\t{text}\n", offsets.join(";"))
            })
            .collect();
        if let Ok(d) = brat::import_pair("a.txt", &txt, &ann, NOW) {
            d.check_invariants().unwrap();
        }
    }

    #[test]
    fn importing_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = brat::import_zip(&bytes, NOW);
    }

    #[test]
    fn importing_a_damaged_export_never_panics(
        d in random_document(),
        at in any::<Index>(),
        replacement in prop::collection::vec(any::<u8>(), 1..4),
    ) {
        let mut files = brat::export_files(&[&d], &schema());
        // Damage the .ann inside a valid zip, so the damage reaches the brat parser.
        let ann = &mut files[2].1;
        if !ann.is_empty() {
            let start = at.index(ann.len());
            for (i, byte) in replacement.into_iter().enumerate() {
                if let Some(slot) = ann.get_mut(start + i) {
                    *slot = byte;
                }
            }
        }
        if let Ok(documents) = brat::import_zip(&zip::write(&files).unwrap(), NOW) {
            for d in documents {
                d.check_invariants().unwrap();
            }
        }
    }
}
