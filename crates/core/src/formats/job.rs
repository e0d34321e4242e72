//! The work the app hands to its formats worker, and what comes back.
//!
//! Reading and writing the dataset formats is a quarter of the app's code, and a user needs it
//! only on an import or an export. So the first load leaves it out: it runs in a web worker,
//! loaded the first time it is needed, and the app and the worker talk in these plain values
//! (they cross into JS and back as structured data). [`run`] is the whole worker, pure and
//! tested here; the web side only moves messages.
//!
//! Documents cross in the storage's own encoding ([`Carried`]): the app reads and writes it
//! anyway, so it needs no second codec for the documents that come back.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::attach::QuotedSpan;
use super::catalogue::ExportFormat;
use super::dataset::{ImportError, OffsetUnit};
use super::detect::{self, ImportFormat, InputFile};
use crate::model::{Document, Schema, Timestamp};
use crate::persist::schema_entry::{decode_schema, encode_schema};
use crate::persist::stored;

/// What the app asks of the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Job {
    /// Detect the format of files a user picked or dropped, and read them. `unit` is doccano's
    /// offset unit when the user chose one; otherwise the guess from the file is used.
    Read {
        files: Vec<InputFile>,
        unit: Option<OffsetUnit>,
        /// Unix milliseconds: the time of change of documents whose format keeps none.
        now: i64,
    },
    /// Write `documents` (with `schema`, as storage encodes it) in `format`, named
    /// `<base_name><suffix>`.
    Export {
        format: ExportFormat,
        documents: Vec<Carried>,
        schema: String,
        base_name: String,
    },
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    /// The files are in no format this app reads.
    NotRead(ReadFailure),
    Read(FilesRead),
    Exported(ExportedFile),
    /// The job itself could not be understood or carried out (never the user's file).
    Failed(String),
}

/// What an export job ends in: the two [`Outcome`]s the worker answers it with. The page reads
/// its answers as this, so that reading what an import job answers (the formats, the documents
/// read, why a file was refused) stays out of the page's code, in the dialogs module's.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub enum ExportOutcome {
    Exported(ExportedFile),
    Failed(String),
}

/// Files whose format was recognised.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilesRead {
    pub format: ImportFormat,
    /// doccano's offset unit as guessed from the file.
    pub guessed_unit: OffsetUnit,
    /// The unit the files were read with: the user's choice, or the guess.
    pub unit: OffsetUnit,
    /// The documents, or why nothing can be imported from the files.
    pub documents: Result<Vec<Carried>, ReadFailure>,
    /// Annotations of a W3C file that quote sources it has no text for, to attach to an
    /// article of the library (the documents are then none).
    #[serde(default)]
    pub quoted: Vec<QuotedSpan>,
    /// Spans the files held twice (same range, same label: several annotators' work merged
    /// into one file), merged into one each.
    #[serde(default)]
    pub merged_spans: usize,
}

/// Why files cannot be imported: the record (or file) at fault, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadFailure {
    pub record: String,
    pub problem: String,
}

impl From<ImportError> for ReadFailure {
    fn from(error: ImportError) -> Self {
        Self {
            record: error.record,
            problem: error.problem.to_string(),
        }
    }
}

impl fmt::Display for ReadFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.record, self.problem)
    }
}

/// A file an export produced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedFile {
    pub name: String,
    pub mime: String,
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
}

/// A document as storage encodes it: its text entry and its document entry. It crosses as a
/// pair (a two-element array): reading a pair takes less code than reading an object with named
/// fields, and the page reads these.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Carried(
    /// The text entry.
    String,
    /// The document entry.
    String,
);

/// Who wrote a carried document, as storage records a writer. Nothing reads it back.
const CARRIER: &str = "formats-worker";

impl Carried {
    pub fn new(document: &Document) -> Self {
        let entries = stored::encode_entries(document, Timestamp::default(), CARRIER, None);
        Self(entries.text, entries.document)
    }

    /// The document again.
    ///
    /// # Errors
    /// A message when the entries do not read back (they were not made by [`Carried::new`]).
    pub fn document(&self) -> Result<Document, String> {
        let Self(text, document) = self;
        stored::read_document(document)
            .and_then(|entry| entry.with_text_entry(Some(text)))
            .map(|stored| stored.document)
            .map_err(|e| format!("a document did not cross intact: {e}"))
    }
}

/// The whole worker: carries out `job`.
pub fn run(job: Job) -> Outcome {
    match job {
        Job::Read { files, unit, now } => read(&files, unit, Timestamp::from_unix_millis(now)),
        Job::Export {
            format,
            documents,
            schema,
            base_name,
        } => export(format, &documents, &schema, &base_name),
    }
}

/// Detects the format of `files` and reads them (see [`Job::Read`]).
pub fn read(files: &[InputFile], unit: Option<OffsetUnit>, now: Timestamp) -> Outcome {
    // With one file, the message names it: the parsers read text and know only the record
    // ("line 3", "task 2") or "the file".
    let failure = |mut error: ImportError| {
        if let [file] = files {
            if error.record == ImportError::WHOLE_FILE {
                error.record.clone_from(&file.name);
            } else if !error.record.contains(&file.name) {
                error.record = format!("{}, {}", file.name, error.record);
            }
        }
        ReadFailure::from(error)
    };
    let format = match detect::detect(files) {
        Ok(format) => format,
        Err(error) => return Outcome::NotRead(failure(error)),
    };
    let guessed_unit = detect::guess_doccano_unit(files);
    let unit = unit.unwrap_or(guessed_unit);
    let (documents, quoted, merged_spans) =
        match detect::parse_keeping_quotes(files, format, unit, now) {
            Ok(read) => (
                Ok(read.documents.iter().map(Carried::new).collect()),
                read.quoted,
                read.merged_spans,
            ),
            Err(error) => (Err(failure(error)), Vec::new(), 0),
        };
    Outcome::Read(FilesRead {
        format,
        guessed_unit,
        unit,
        documents,
        quoted,
        merged_spans,
    })
}

/// Writes `carried` (with the `schema` as [`carry_schema`] carries it) in `format`, named
/// `<base_name><suffix>`: what the worker does for an export job, and the dialogs module for
/// "Export all" without one.
pub fn export(format: ExportFormat, carried: &[Carried], schema: &str, base_name: &str) -> Outcome {
    let documents: Result<Vec<Document>, String> = carried.iter().map(Carried::document).collect();
    let documents = match documents {
        Ok(documents) => documents,
        Err(problem) => return Outcome::Failed(problem),
    };
    let schema: Schema = match decode_schema(schema) {
        Ok(schema) => schema,
        Err(e) => return Outcome::Failed(format!("the label schema did not cross intact: {e}")),
    };
    let documents: Vec<&Document> = documents.iter().collect();
    let file = format.export(&documents, &schema, base_name);
    Outcome::Exported(ExportedFile {
        name: file.name,
        mime: file.mime.to_owned(),
        bytes: file.bytes,
    })
}

/// The schema as an export job carries it.
pub fn carry_schema(schema: &Schema) -> String {
    encode_schema(schema)
}
