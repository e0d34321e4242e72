//! Import: which format the user's files are in, and reading them with that format's parser.
//! Detection looks at content, not only file names, since files get renamed; the answer is
//! shown to the user, who confirms before anything is stored.

use serde::{Deserialize, Serialize};

use super::dataset::{check_size, json_problem, make_ids_unique, ImportError, OffsetUnit, Problem};
use super::w3c::W3cRead;
use super::{brat, doccano, jsonl, label_studio, native, w3c};
use crate::model::{Document, Timestamp};

/// A file the user picked or dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    pub name: String,
    /// Crosses into JS as a `Uint8Array`, not an array of numbers.
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
}

/// A format we read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportFormat {
    Native,
    Jsonl,
    W3c,
    /// doccano JSONL; its offset unit is not in the file, so the user chooses it.
    Doccano,
    LabelStudio,
    /// A zip of brat `.txt` + `.ann` files.
    BratZip,
    /// brat `.txt` + `.ann` files picked or dropped together.
    BratFiles,
}

impl ImportFormat {
    /// How the dialog names the detected format.
    pub const fn name(self) -> &'static str {
        match self {
            ImportFormat::Native => "Article Annotator native JSON",
            ImportFormat::Jsonl => "JSONL (spaCy / Prodigy style)",
            ImportFormat::W3c => "W3C Web Annotation",
            ImportFormat::Doccano => "doccano JSONL",
            ImportFormat::LabelStudio => "Label Studio JSON",
            ImportFormat::BratZip => "brat standoff (zip)",
            ImportFormat::BratFiles => "brat standoff (.txt + .ann)",
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

fn is_brat_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".ann") || lower.ends_with(".txt") || lower.ends_with(".conf")
}

/// The file's text: UTF-8, with a leading byte order mark dropped.
///
/// # Errors
/// [`ImportError`] naming the file when it is not UTF-8.
pub fn text_of(file: &InputFile) -> Result<&str, ImportError> {
    let bytes = file
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&file.bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        ImportError::new(
            file.name.clone(),
            Problem::Shape(format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.valid_up_to()
            )),
        )
    })
}

/// Which format `files` are in.
///
/// # Errors
/// [`ImportError`] when there is nothing, too much, or no format this app reads.
pub fn detect(files: &[InputFile]) -> Result<ImportFormat, ImportError> {
    check_size(files.iter().map(|f| f.bytes.len()).sum())?;
    let unknown = |file: &str| {
        ImportError::new(
            file,
            Problem::Shape(
                "not a format this app reads (native JSON, JSONL, W3C Web Annotation, doccano, \
                 Label Studio, brat .txt + .ann or a zip of them)"
                    .into(),
            ),
        )
    };
    match files {
        [] => Err(ImportError::file(Problem::Shape(
            "no file was given".into(),
        ))),
        [file] if file.bytes.starts_with(ZIP_MAGIC) => Ok(ImportFormat::BratZip),
        [file] if file.name.to_ascii_lowercase().ends_with(".ann") => Err(ImportError::new(
            file.name.clone(),
            Problem::Shape("a brat .ann file needs its .txt file: pick or drop both".into()),
        )),
        [file] => {
            let text = text_of(file)?;
            let head = text.trim_start();
            if head.is_empty() {
                Err(ImportError::new(file.name.clone(), Problem::Empty))
            } else if head.starts_with('{') && native_marker(head) {
                Ok(ImportFormat::Native)
            } else if w3c::looks_like(text) {
                Ok(ImportFormat::W3c)
            } else if label_studio::looks_like(text) {
                Ok(ImportFormat::LabelStudio)
            } else if jsonl::looks_like(text) {
                Ok(ImportFormat::Jsonl)
            } else if doccano::looks_like(text) {
                Ok(ImportFormat::Doccano)
            } else {
                Err(broken_json(&file.name, text).unwrap_or_else(|| unknown(&file.name)))
            }
        }
        several => match several.iter().find(|f| !is_brat_file(&f.name)) {
            None => Ok(ImportFormat::BratFiles),
            Some(other) => Err(ImportError::new(
                other.name.clone(),
                Problem::Shape(
                    "several files can only be brat .txt + .ann pairs; import other formats one \
                     file at a time"
                        .into(),
                ),
            )),
        },
    }
}

/// Text that was meant to be JSON (it opens like JSON) but is not: where it breaks, in words,
/// whatever format it was meant to be in. Of JSON Lines, the first line that breaks.
fn broken_json(name: &str, text: &str) -> Option<ImportError> {
    if !text.trim_start().starts_with(['{', '[']) {
        return None;
    }
    let parse = serde_json::from_str::<serde::de::IgnoredAny>;
    let whole = parse(text).err()?;
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    // Several lines, the first JSON on its own: JSON Lines, broken further down.
    let jsonl = lines.next().is_some_and(|(_, l)| parse(l).is_ok());
    let broken_line = lines
        .filter(|_| jsonl)
        .find_map(|(index, line)| Some((index, parse(line).err()?)));
    Some(match broken_line {
        Some((index, error)) => ImportError::new(
            format!("{name}, line {}", index + 1),
            json_problem(&error, None),
        ),
        None => ImportError::new(name, json_problem(&whole, Some(whole.line()))),
    })
}

/// The native format names itself in its first few hundred bytes.
fn native_marker(head: &str) -> bool {
    let end = head
        .char_indices()
        .nth(400)
        .map_or(head.len(), |(at, _)| at);
    head[..end].contains(&format!("\"{}\"", native::FORMAT))
}

/// The offset unit to preselect for a doccano file (see [`doccano::guess_unit`]).
pub fn guess_doccano_unit(files: &[InputFile]) -> OffsetUnit {
    match files {
        [file] => text_of(file).map_or(OffsetUnit::CodePoint, doccano::guess_unit),
        _ => OffsetUnit::CodePoint,
    }
}

/// Reads `files` as `format`. All or nothing: the first bad record rejects everything.
/// Documents of one file that share an id get `-2`, `-3`, … suffixes.
///
/// # Errors
/// [`ImportError`] naming the file or record and what is wrong.
pub fn parse(
    files: &[InputFile],
    format: ImportFormat,
    doccano_unit: OffsetUnit,
    now: Timestamp,
) -> Result<Vec<Document>, ImportError> {
    parse_keeping_quotes(files, format, doccano_unit, now)?.documents_only()
}

/// [`parse`], keeping the annotations of a W3C file that quote sources it has no text for (to
/// attach to an article of the library) instead of refusing the file for them.
///
/// # Errors
/// As [`parse`].
pub fn parse_keeping_quotes(
    files: &[InputFile],
    format: ImportFormat,
    doccano_unit: OffsetUnit,
    now: Timestamp,
) -> Result<W3cRead, ImportError> {
    check_size(files.iter().map(|f| f.bytes.len()).sum())?;
    let single = || match files {
        [file] => text_of(file),
        _ => Err(ImportError::file(Problem::Shape(
            "this format is read one file at a time".into(),
        ))),
    };
    let mut quoted = Vec::new();
    let mut merged = 0;
    let mut documents = match format {
        ImportFormat::Native => {
            native::import_counting(single()?, &mut merged)
                .map_err(native_error)?
                .0
        }
        ImportFormat::Jsonl => jsonl::import_counting(single()?, now, &mut merged)?,
        ImportFormat::W3c => {
            let read = w3c::read_counting(single()?, now, &mut merged)?;
            quoted = read.quoted;
            read.documents
        }
        ImportFormat::Doccano => {
            doccano::import_counting(single()?, doccano_unit, now, &mut merged)?
        }
        ImportFormat::LabelStudio => label_studio::import_counting(single()?, now, &mut merged)?,
        ImportFormat::BratZip => match files {
            [file] => brat::import_zip_counting(&file.bytes, now, &mut merged)?,
            _ => return Err(ImportError::file(Problem::Shape("expected one zip".into()))),
        },
        ImportFormat::BratFiles => brat_files(files, now, &mut merged)?,
    };
    make_ids_unique(&mut documents);
    Ok(W3cRead {
        documents,
        quoted,
        merged_spans: merged,
    })
}

/// Pairs picked `.txt` and `.ann` files by name, as brat stores them side by side.
fn brat_files(
    files: &[InputFile],
    now: Timestamp,
    merged: &mut usize,
) -> Result<Vec<Document>, ImportError> {
    let stem = |name: &str| name.rsplit_once('.').map_or(name, |(s, _)| s).to_owned();
    let has_ext = |f: &InputFile, ext: &str| f.name.to_ascii_lowercase().ends_with(ext);
    let mut documents = Vec::new();
    for ann in files.iter().filter(|f| has_ext(f, ".ann")) {
        let wanted = stem(&ann.name);
        if !files
            .iter()
            .any(|f| has_ext(f, ".txt") && stem(&f.name) == wanted)
        {
            return Err(ImportError::new(
                ann.name.clone(),
                Problem::Shape(format!("no {wanted}.txt was given with it")),
            ));
        }
    }
    for txt in files.iter().filter(|f| has_ext(f, ".txt")) {
        let wanted = stem(&txt.name);
        let ann = files
            .iter()
            .find(|f| has_ext(f, ".ann") && stem(&f.name) == wanted);
        let ann_text = match ann {
            Some(ann) => text_of(ann)?,
            None => "",
        };
        // brat counts a byte order mark as a character of the .txt, so it stays.
        let txt_text = std::str::from_utf8(&txt.bytes).or_else(|_| text_of(txt))?;
        documents.push(brat::import_pair_counting(
            &txt.name, txt_text, ann_text, now, merged,
        )?);
    }
    if documents.is_empty() {
        return Err(ImportError::file(Problem::Shape(
            "no .txt file among the files given".into(),
        )));
    }
    Ok(documents)
}

fn native_error(error: native::ImportError) -> ImportError {
    match error {
        native::ImportError::Record { index, id, source } => ImportError::new(
            format!("document {} ({id:?})", index + 1),
            Problem::Invalid(source.to_string()),
        ),
        native::ImportError::Json(problem) => ImportError::file(problem),
        other => ImportError::file(Problem::Invalid(other.to_string())),
    }
}
