#![cfg(not(target_arch = "wasm32"))]
//! The formats worker's jobs (`formats::job`): the app's imports and exports go through them, so
//! they must give exactly what the formats give when called directly. Documents cross in the
//! storage encoding ([`Carried`]): that crossing must keep every field, relation, value and note
//! of any document, or an export would silently differ from what the user sees.

#[path = "support/formats.rs"]
mod support;

use annotator_core::formats::catalogue::ExportFormat;
use annotator_core::formats::dataset::OffsetUnit;
use annotator_core::formats::detect::{self, ImportFormat, InputFile};
use annotator_core::formats::job::{self, Carried, ExportOutcome, ExportedFile, Job, Outcome};
use annotator_core::formats::native;
use annotator_core::model::{Document, Schema};
use proptest::prelude::*;
use support::NOW;

fn source() -> (Vec<Document>, Schema) {
    let json =
        std::fs::read_to_string(support::fixture_dir().join("source.annotations.json")).unwrap();
    let (documents, schema) = native::import_with_schema(&json).unwrap();
    (documents, schema.unwrap())
}

fn export_job(format: ExportFormat, documents: &[Document], schema: &Schema) -> Job {
    Job::Export {
        format,
        documents: documents.iter().map(Carried::new).collect(),
        schema: job::carry_schema(schema),
        base_name: "source".into(),
    }
}

fn file(name: &str, bytes: Vec<u8>) -> InputFile {
    InputFile {
        name: name.into(),
        bytes,
    }
}

#[test]
fn every_export_through_the_worker_equals_the_direct_export() {
    let (documents, schema) = source();
    for format in ExportFormat::ALL {
        let direct = format.export(&support::refs(&documents), &schema, "source");
        let Outcome::Exported(ExportedFile { name, mime, bytes }) =
            job::run(export_job(format, &documents, &schema))
        else {
            panic!("{format:?} was not exported");
        };
        assert_eq!(name, direct.name, "{format:?}");
        assert_eq!(mime, direct.mime, "{format:?}");
        assert!(bytes == direct.bytes, "{format:?}: the bytes differ");
    }
}

#[test]
fn a_golden_file_read_through_the_worker_gives_what_the_parser_gives() {
    let path = support::fixture_dir().join("doccano/source.doccano-utf16.jsonl");
    let files = vec![file(
        "source.doccano-utf16.jsonl",
        std::fs::read(path).unwrap(),
    )];
    let Outcome::Read(read) = job::read(&files, None, NOW) else {
        panic!("not read");
    };
    assert_eq!(read.format, ImportFormat::Doccano);
    assert_eq!(read.guessed_unit, OffsetUnit::Utf16);
    assert_eq!(read.unit, OffsetUnit::Utf16, "the guess is used");
    let carried: Vec<Document> = read
        .documents
        .unwrap()
        .iter()
        .map(|c| c.document().unwrap())
        .collect();
    let direct = detect::parse(&files, ImportFormat::Doccano, OffsetUnit::Utf16, NOW).unwrap();
    assert_eq!(carried, direct);

    // The user's choice of unit wins over the guess.
    let Outcome::Read(read) = job::read(&files, Some(OffsetUnit::CodePoint), NOW) else {
        panic!("not read");
    };
    assert_eq!(read.unit, OffsetUnit::CodePoint);
    assert_eq!(read.guessed_unit, OffsetUnit::Utf16);
}

#[test]
fn files_in_no_known_format_and_bad_records_are_told_apart() {
    let files = vec![file("notes.txt", b"just some words".to_vec())];
    let Outcome::NotRead(failure) = job::read(&files, None, NOW) else {
        panic!("a text file was read");
    };
    assert!(
        failure.problem.contains("not a format this app reads"),
        "{failure}"
    );

    // Known format (JSONL), bad record: the dialog shows the format and the record at fault.
    let files = vec![file(
        "bad.jsonl",
        br#"{"text": "abc", "spans": [{"start": 2, "end": 1, "label": "QUOTE"}]}"#.to_vec(),
    )];
    let Outcome::Read(read) = job::read(&files, None, NOW) else {
        panic!("JSONL not recognised");
    };
    assert_eq!(read.format, ImportFormat::Jsonl);
    let failure = read.documents.unwrap_err();
    // The file is named too: the dialog may list several files' outcomes one day, and a
    // message copied out of it should say where it came from.
    assert_eq!(failure.record, "bad.jsonl, line 1, span 1");
    assert!(
        failure
            .to_string()
            .starts_with("bad.jsonl, line 1, span 1: "),
        "{failure}"
    );
}

#[test]
fn an_export_job_with_damaged_documents_or_schema_fails_with_a_message() {
    let (documents, schema) = source();
    let Job::Export {
        format,
        mut documents,
        base_name,
        ..
    } = export_job(ExportFormat::Jsonl, &documents, &schema)
    else {
        unreachable!()
    };
    let damaged_schema = Job::Export {
        format,
        documents: documents.clone(),
        schema: "{".into(),
        base_name: base_name.clone(),
    };
    let Outcome::Failed(message) = job::run(damaged_schema) else {
        panic!("a damaged schema was used");
    };
    assert!(message.contains("schema"), "{message}");

    // A carried document crosses as [text entry, document entry]: damage the document entry.
    let mut carried: serde_json::Value = serde_json::to_value(&documents[0]).unwrap();
    carried[1] = "{}".into();
    documents[0] = serde_json::from_value(carried).unwrap();
    let damaged = Job::Export {
        format,
        documents,
        schema: job::carry_schema(&schema),
        base_name,
    };
    let Outcome::Failed(message) = job::run(damaged) else {
        panic!("a damaged document was exported");
    };
    assert!(message.contains("did not cross intact"), "{message}");
}

#[test]
fn jobs_and_outcomes_survive_serialisation() {
    let (documents, schema) = source();
    let jobs = [
        export_job(
            ExportFormat::Doccano(OffsetUnit::Utf16),
            &documents,
            &schema,
        ),
        Job::Read {
            files: vec![file("a.zip", vec![0, 159, 255, b'P', b'K'])],
            unit: Some(OffsetUnit::Utf16),
            now: NOW.unix_millis(),
        },
    ];
    for job in jobs {
        let json = serde_json::to_string(&job).unwrap();
        assert_eq!(serde_json::from_str::<Job>(&json).unwrap(), job);
        let outcome = job::run(job);
        let json = serde_json::to_string(&outcome).unwrap();
        assert_eq!(serde_json::from_str::<Outcome>(&json).unwrap(), outcome);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Any document (tricky text, built-in and custom labels, relations, values, notes) crosses
    /// to the worker and back unchanged.
    #[test]
    fn any_document_crosses_intact(
        document in support::any_document(&[], &[], &[]),
        details in support::details(8),
    ) {
        let document = support::with_details(document, details);
        let back = Carried::new(&document).document().unwrap();
        prop_assert_eq!(back, document);
    }
}

/// The page reads the worker's answers to its exports as `ExportOutcome`: a file, or why not.
#[test]
fn the_page_reads_what_an_export_ends_in_as_an_export_outcome() {
    let (documents, schema) = source();
    let exported = job::run(export_job(ExportFormat::Native, &documents, &schema));
    let Outcome::Exported(exported_file) = exported.clone() else {
        panic!("nothing was exported: {exported:?}");
    };
    let json = serde_json::to_string(&exported).unwrap();
    assert_eq!(
        serde_json::from_str::<ExportOutcome>(&json).unwrap(),
        ExportOutcome::Exported(exported_file)
    );
    let failed = serde_json::to_string(&Outcome::Failed("no".to_owned())).unwrap();
    assert_eq!(
        serde_json::from_str::<ExportOutcome>(&failed).unwrap(),
        ExportOutcome::Failed("no".to_owned())
    );
    // What only an import job ends in is not an export's answer.
    let read = serde_json::to_string(&job::run(Job::Read {
        files: vec![file("a.txt", b"plain".to_vec())],
        unit: None,
        now: NOW.unix_millis(),
    }))
    .unwrap();
    assert!(serde_json::from_str::<ExportOutcome>(&read).is_err());
}
