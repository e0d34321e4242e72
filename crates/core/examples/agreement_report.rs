//! The agreement report of annotators' export files, as the page computes it, for
//! `tests/agreement/check_report.py` to hold against the reference implementations.
//!
//! ```text
//! cargo run -p annotator-core --example agreement_report -- ann=ann.json bob=bob.jsonl > report.json
//! ```
//!
//! Each argument is `NAME=PATH`: one annotator's export, in any format the app imports.

use std::process::ExitCode;

use annotator_core::agreement::{pair_articles, report};
use annotator_core::formats::dataset::OffsetUnit;
use annotator_core::formats::detect::{detect, parse, InputFile};
use annotator_core::model::{Document, Timestamp};

fn main() -> ExitCode {
    let mut annotators: Vec<(String, Vec<Document>)> = Vec::new();
    for argument in std::env::args().skip(1) {
        let Some((name, path)) = argument.split_once('=') else {
            eprintln!("agreement_report: expected NAME=PATH, got {argument:?}");
            return ExitCode::from(2);
        };
        match read(path) {
            Ok(documents) => annotators.push((name.to_owned(), documents)),
            Err(message) => {
                eprintln!("agreement_report: {path}: {message}");
                return ExitCode::FAILURE;
            }
        }
    }
    let study = pair_articles(&annotators);
    match serde_json::to_string_pretty(&report(&study)) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("agreement_report: {error}");
            ExitCode::FAILURE
        }
    }
}

fn read(path: &str) -> Result<Vec<Document>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let name = std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_owned(), |n| n.to_string_lossy().into_owned());
    let files = [InputFile { name, bytes }];
    let format = detect(&files).map_err(|e| e.to_string())?;
    parse(
        &files,
        format,
        OffsetUnit::CodePoint,
        Timestamp::from_unix_millis(0),
    )
    .map_err(|e| e.to_string())
}
