//! brat standoff (<https://brat.nlplab.org/standoff.html>): per document a `NAME.txt` with the
//! text and a `NAME.ann` with one line per span, plus an `annotation.conf` so the folder opens in
//! brat as a collection. Exported as one zip, since every document is already two files.
//!
//! ```text
//! T1<TAB>Quote 17 39<TAB>"We love 北京市 and 日本語!"
//! T2<TAB>Quote 75 81;82 87<TAB>flags. مرحبا
//! ```
//!
//! # Offsets
//! Offsets count Unicode code points over the `.txt` exactly as it is in the file, what brat's
//! Python server counts (Python `text[start:end]`). Some brat versions counted UTF-16 code units
//! on the client (brat#1115): files from those disagree wherever the text has characters outside
//! the Basic Multilingual Plane (emoji), and import reports the first such span as a text
//! mismatch rather than shifting it. A `.txt` with `\r\n` line endings is read with the `\r`
//! counted, as brat counts it (brat#853), then normalised to `\n` with every span moved along.
//! Likewise a byte order mark at the start of a `.txt` in a zip is kept as a character, since
//! brat counts it.
//!
//! # Line breaks
//! A brat span's text is written on the `.ann` line, so it cannot contain a line break. A span
//! that crosses line breaks is written as a discontinuous span, split at each one, and its text
//! field joins the fragments with a single space, as brat does: `T3\tQuote 10 15;16 20\tfirst
//! second`. "Line break" means every character Python's `str.splitlines` breaks at (`\n`, `\r`,
//! `\v`, `\f`, `\x1c`–`\x1e`, `\u{85}`, `\u{2028}`, `\u{2029}`), since brat reads `.ann` files
//! with it. Empty pieces between two line breaks are left out; an empty piece at either end of
//! the span is kept as a zero-length fragment (`10 15;16 16`) so the span's ends survive.
//!
//! On import, consecutive fragments separated only by line breaks are joined back into one
//! span (brat itself splits a selection across lines this way), so our own exports come back
//! exactly. Fragments with any other gap become separate spans with the same label: one span
//! from the first start to the last end would cover text the annotator left out.
//!
//! # Type names
//! The built-in labels are written `Quote`, `Entity` and `Claim`; custom labels verbatim with
//! every whitespace character replaced by `_` (brat splits type names at spaces), and relation
//! types likewise. On import `Quote`, `Entity` and `Claim` (and `quote`, `entity`, `claim`)
//! become the built-in labels and every other name is a custom label, kept verbatim.
//! `annotation.conf` lists the three built-in types, the schema's other labels and every other
//! label the documents use, when its type name is made of `[A-Za-z0-9_-]` (brat reduces
//! configured names to those characters, and reads `|`, `<`, `#`, `!` there as syntax); other
//! custom types are named in a comment and brat shows them as unconfigured. It also allows any
//! two spans to nest, cross or coincide (`<OVERLAP>`), which brat forbids by default and our
//! documents do freely.
//!
//! # Relations
//! One `R` line per relation, from `Arg1` to `Arg2`: `R1\tsaid_by Arg1:T2 Arg2:T5`.
//! `annotation.conf` lists the schema's relation types with the labels they link
//! (`said_by\tArg1:Quote, Arg2:Entity`, `<ENTITY>` for any), then the other types used.
//!
//! # Attribute values and notes
//! brat's attributes are names with a value from a fixed set: `A1\ttype T3 direct`. An
//! attribute the schema gives a set of values is written so when its name and value are brat
//! names (`[A-Za-z0-9_-]`, the characters other tools' brat readers accept too), and
//! `annotation.conf` lists it with the schema's values and any other value written
//! (`type\tArg:Quote, Value:direct|indirect|mixed`). Every other value (free text such as an
//! entity's `id`, attributes the schema lacks, values with spaces) goes, exactly, into the span's
//! one `AnnotatorNotes` line, ahead of the note: `#1\tAnnotatorNotes T3\t\@id=Q956\nnote`.
//!
//! The `AnnotatorNotes` text is one line, so it is escaped: `\` as `\\`, a line feed as `\n`, a
//! tab as `\t`, a carriage return as `\r`, and every other control character and U+2028 and
//! U+2029 (which Python's `splitlines` also breaks at) as `\u` and four hex digits. Each
//! attribute value in it is `\@`, the name (with `=` as `\=`), `=`, the value and `\n`; what
//! follows the last one is the note. Import undoes exactly this, in any `AnnotatorNotes`; any
//! other backslash is kept as it is.
//!
//! # Who made and who last changed a span
//! brat keeps no author on an annotation, so ours go into the same `AnnotatorNotes` text, ahead
//! of the attribute values, as two reserved entries: `\@\@made_by=ann\n` (who made the span)
//! and `\@\@changed_by=bob\n` (who last changed its label, a value or its note), each left out
//! when nobody is known:
//!
//! ```text
//! T3<TAB>Quote 17 39<TAB>"We love 北京市 and 日本語!"
//! #1<TAB>AnnotatorNotes T3<TAB>\@\@made_by=ann\n\@\@changed_by=bob\n\@id=Q956\nCheck it.
//! ```
//!
//! An entry's name starting with an escaped `@` (`\@` right after the marker) is what makes them
//! reserved: names are escaped as above, which never writes `\@`, so no attribute's entry starts so
//! (an attribute named `@made_by` is written `\@@made_by=…`). A reader that does not know these
//! entries (an older version of this app) takes them for an attribute `@made_by`, keeping the name.
//! Import reads them into the span's authors, not its attribute values; a name that is not usable
//! (blank, over 64 characters, with a comma) is an error naming the line. As in every format that
//! carries authors, spans with the same offsets and label made by different annotators (a file of
//! several annotators' work) are imported once, made by the first one's maker, with an `annotators`
//! attribute naming each maker (`ann, bob`), as `crate::model::same_spans` merges them.
//!
//! # What a round trip loses
//! - Document titles (brat has none; import uses the first line) and the created and modified
//!   times (import uses the time of the import).
//! - The article's note: brat has no place for a note on a whole document.
//! - Annotation ids: spans are written `T1`, `T2`, … in text order and imported as `a1`, `a2`, ….
//! - Document ids: file names keep `[A-Za-z0-9._-]` only (any other character becomes `_`), at
//!   most 100 characters, made unique (ignoring case, for case-insensitive file systems) with
//!   `-2`, `-3`, …; import takes the id from the file name.
//! - Label and relation type names: whitespace becomes `_`, so `Quotation mark` comes back as
//!   `Quotation_mark`; a custom label spelled `Quote`, `Entity` or `Claim` comes back built-in.
//!   When two labels of one span map to the same type name, the span is written once, with the
//!   first one's attribute values and note, and relations between the two are dropped.
//!
//! Attribute values (known to the schema or not), notes, who made and last changed each span,
//! and relations come back exactly.
//!
//! # What import reads and ignores
//! Text-bound annotations (`T`) become spans; relations (`R`) relations (the first span of a
//! discontinuous `T`; `Arg1` to `Arg2`); attributes (`A`, and the older `M`) attribute values, a
//! binary one (`A1\tNegated T1`) with the value `true`; `AnnotatorNotes` (`#`) notes and
//! attribute values as above, for every span of their `T`. An `R`, `A`, `M` or `#` line naming
//! an id no line of the file has is an error; one naming an event or another annotation that
//! is not a span is skipped. Events (`E`), normalisations (`N`), equivalences (`*`) and other
//! `#` comments are skipped. In a zip, `annotation.conf`, `visual.conf`, `tools.conf`,
//! `kb_shortcuts.conf`, anything under `__MACOSX/`, dotfiles and files other than `.txt` and
//! `.ann` are skipped. A `.txt` without its `.ann` imports with no spans; an `.ann` without its
//! `.txt` is an error (its offsets mean nothing without the text).

use std::collections::{HashMap, HashSet};

use super::dataset::{
    build_document_counting, check_size, make_ids_unique, ForeignDocument, ForeignRelation,
    ForeignSpan, ImportError, OffsetUnit, Problem,
};
use super::label_studio::{has_value_set, Vocabulary};
use super::w3c::{name_shared_spans, with_authors_from_file};
use super::zip::{self, ZipError};
use crate::model::attributes::{check_name, check_value};
use crate::model::label::InvalidLabel;
use crate::model::offset_index::OffsetIndex;
use crate::model::{
    AnnotationId, AnnotatorName, Authors, CharRange, Document, Label, RelationKind, Schema,
    Timestamp,
};

/// The export is one zip archive.
pub const FILE_EXTENSION: &str = "zip";
pub const MIME: &str = "application/zip";

/// The brat configuration file written beside the documents.
pub const CONFIG_FILE: &str = "annotation.conf";

/// brat's configuration files: skipped on import.
const CONFIG_FILES: [&str; 4] = [
    "annotation.conf",
    "visual.conf",
    "tools.conf",
    "kb_shortcuts.conf",
];

/// The longest file name stem written, in characters (all ASCII), leaving room for a `-N`
/// suffix and the extension under the 255-byte limit of common file systems.
const MAX_STEM_CHARS: usize = 100;

/// Names Windows reserves (with any extension), which a zip cannot be extracted to there.
const WINDOWS_RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// The comment type brat shows as a span's note.
const NOTE_TYPE: &str = "AnnotatorNotes";

/// How brat joins the texts of a discontinuous span's fragments in the `.ann` text field.
const FRAGMENT_SEPARATOR: &str = " ";

/// The brat type name a label is written as: `Quote`, `Entity`, `Claim`, or the custom name
/// with every whitespace character replaced by `_`.
pub fn type_name(label: &Label) -> String {
    label
        .display_name()
        .chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect()
}

/// The label a brat type name stands for: the built-in label for `Quote`, `Entity` or `Claim`
/// (either case of the first letter), otherwise a custom label with that exact name.
///
/// # Errors
/// [`InvalidLabel`] when the name cannot be a label (empty, too long, control characters).
pub fn label_of_type(name: &str) -> Result<Label, InvalidLabel> {
    match name {
        "Quote" => Ok(Label::Quote),
        "Entity" => Ok(Label::Entity),
        "Claim" => Ok(Label::Claim),
        other => Label::parse_any(other),
    }
}

/// The brat type name a relation type is written as: its name with every whitespace character
/// replaced by `_`.
pub fn relation_type_name(kind: &RelationKind) -> String {
    kind.as_str()
        .chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect()
}

/// Whether `name` is one brat's configuration can hold, and other tools' brat readers accept as
/// an attribute name or value: `[A-Za-z0-9_-]`, not only dashes.
fn is_brat_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !name.chars().all(|c| c == '-')
}

/// Every file of a brat export, as (name, contents): `annotation.conf`, then `NAME.txt` and
/// `NAME.ann` for each document in order. Names are safe file names (see the module doc); the
/// schema decides which attribute values are brat attributes.
pub fn export_files(documents: &[&Document], schema: &Schema) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::with_capacity(1 + 2 * documents.len());
    files.push((
        CONFIG_FILE.to_owned(),
        annotation_conf(documents, schema).into_bytes(),
    ));
    for (document, stem) in documents.iter().zip(file_stems(documents)) {
        files.push((
            format!("{stem}.txt"),
            document.text().as_str().as_bytes().to_vec(),
        ));
        files.push((
            format!("{stem}.ann"),
            ann_file(document, schema).into_bytes(),
        ));
    }
    files
}

/// [`export_files`] as one zip archive (stored entries, fixed timestamps: the same documents
/// always give the same bytes).
///
/// A zip without ZIP64 holds at most 32,767 documents (65,535 files); past that (or past
/// 4 GiB) this returns an archive holding only `EXPORT-FAILED.txt`, which says why, so the
/// download is never silently empty. [`try_export_zip`] returns the error instead.
pub fn export_zip(documents: &[&Document], schema: &Schema) -> Vec<u8> {
    try_export_zip(documents, schema).unwrap_or_else(|error| {
        let note = format!(
            "This brat export could not be written: {error}.\n\
             Export fewer documents at a time.\n"
        );
        // One small file always fits in a zip.
        zip::write(&[("EXPORT-FAILED.txt".to_owned(), note.into_bytes())]).unwrap_or_default()
    })
}

/// [`export_zip`], reporting an archive too large for a zip without ZIP64.
///
/// # Errors
/// [`ZipError::TooManyEntries`] past 32,767 documents, [`ZipError::EntryTooLarge`] past 4 GiB.
pub fn try_export_zip(documents: &[&Document], schema: &Schema) -> Result<Vec<u8>, ZipError> {
    zip::write(&export_files(documents, schema))
}

/// The `.ann` file of one document: a `T` line per span, in text order, then an `R` line per
/// relation, an `A` line per attribute value brat can hold, and an `AnnotatorNotes` line per
/// span with a note or other attribute values (see the module doc).
pub fn ann_file(document: &Document, schema: &Schema) -> String {
    let text = document.text();
    let mut written: HashMap<(CharRange, String), usize> = HashMap::new();
    let mut t_of: HashMap<&AnnotationId, usize> = HashMap::new();
    let (mut spans, mut attributes, mut notes) = (String::new(), String::new(), String::new());
    let (mut attribute_count, mut note_count) = (0, 0);
    for annotation in document.annotations() {
        let brat_type = type_name(&annotation.label);
        let next = written.len() + 1;
        let t = *written
            .entry((annotation.range, brat_type.clone()))
            .or_insert(next);
        t_of.insert(&annotation.id, t);
        if t != next {
            continue;
        }
        // Invariant of Document: every range is inside the text.
        let covered = text.slice(annotation.range).unwrap_or_default();
        let fragments = split_at_line_breaks(annotation.range.start().get(), covered);
        let offsets: Vec<String> = fragments
            .iter()
            .map(|f| format!("{} {}", f.start, f.end))
            .collect();
        let texts: Vec<&str> = fragments.iter().map(|f| f.text).collect();
        spans.push_str(&format!(
            "T{t}\t{brat_type} {}\t{}\n",
            offsets.join(";"),
            texts.join(FRAGMENT_SEPARATOR)
        ));
        let mut free_text = Vec::new();
        for (name, value) in annotation.attributes.iter() {
            if has_value_set(schema, &annotation.label, name)
                && is_brat_name(name)
                && is_brat_name(value)
            {
                attribute_count += 1;
                attributes.push_str(&format!("A{attribute_count}\t{name} T{t} {value}\n"));
            } else {
                free_text.push((name, value));
            }
        }
        if !free_text.is_empty() || annotation.note.is_some() || !annotation.authors.is_empty() {
            note_count += 1;
            notes.push_str(&format!(
                "#{note_count}\t{NOTE_TYPE} T{t}\t{}\n",
                note_field(&annotation.authors, &free_text, annotation.note.as_deref())
            ));
        }
    }
    // In the order of their spans, which is how a reader goes through the file.
    let mut links: Vec<(usize, usize, String)> = document
        .relations()
        .iter()
        .filter_map(|relation| {
            let from = *t_of.get(&relation.from)?;
            let to = *t_of.get(&relation.to)?;
            // Two labels of one span written as one T cannot link to each other.
            (from != to).then(|| (from, to, relation_type_name(&relation.kind)))
        })
        .collect();
    links.sort_unstable();
    links.dedup();
    let relations: String = (1..)
        .zip(links)
        .map(|(n, (from, to, kind))| format!("R{n}\t{kind} Arg1:T{from} Arg2:T{to}\n"))
        .collect();
    spans + &relations + &attributes + &notes
}

/// The marker in front of an attribute value in an `AnnotatorNotes` text.
const ATTRIBUTE_MARKER: &str = "\\@";

/// The reserved entry names of who made and who last changed a span, written after the marker
/// with an escaped `@` in front, which no attribute name is written with (see the module doc).
const MADE_BY_ENTRY: &str = "made_by";
const CHANGED_BY_ENTRY: &str = "changed_by";

/// The `AnnotatorNotes` text of a span: who made and last changed it, its free-text attribute
/// values, then its note, escaped into one line (see the module doc).
fn note_field(authors: &Authors, free_text: &[(&str, &str)], note: Option<&str>) -> String {
    let mut field = String::new();
    for (entry, name) in [
        (MADE_BY_ENTRY, &authors.made_by),
        (CHANGED_BY_ENTRY, &authors.changed_by),
    ] {
        if let Some(name) = name {
            field.push_str(ATTRIBUTE_MARKER);
            field.push_str(ATTRIBUTE_MARKER);
            field.push_str(entry);
            field.push('=');
            push_escaped(&mut field, name.as_str(), false);
            field.push_str("\\n");
        }
    }
    for (name, value) in free_text {
        field.push_str(ATTRIBUTE_MARKER);
        push_escaped(&mut field, name, true);
        field.push('=');
        push_escaped(&mut field, value, false);
        field.push_str("\\n");
    }
    if let Some(note) = note {
        push_escaped(&mut field, note, false);
    }
    field
}

/// Appends `text` escaped for one `.ann` line; `in_name` also escapes `=`.
fn push_escaped(out: &mut String, text: &str, in_name: bool) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '=' if in_name => out.push_str("\\="),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
}

/// One character of an escaped `AnnotatorNotes` text, and whether it was escaped.
type Piece = (char, bool);

/// Undoes the escapes of [`push_escaped`] (and `\@`), keeping any other backslash as it is.
fn pieces(field: &str) -> Vec<Piece> {
    let chars: Vec<char> = field.chars().collect();
    let mut pieces = Vec::with_capacity(chars.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        if c != '\\' {
            pieces.push((c, false));
            continue;
        }
        let escaped = match chars.get(i) {
            Some('\\') => Some('\\'),
            Some('n') => Some('\n'),
            Some('t') => Some('\t'),
            Some('r') => Some('\r'),
            Some('=') => Some('='),
            Some('@') => Some('@'),
            Some('u') => {
                let hex: String = chars.iter().skip(i + 1).take(4).collect();
                let decoded = (hex.len() == 4)
                    .then(|| u32::from_str_radix(&hex, 16).ok())
                    .flatten()
                    .and_then(char::from_u32);
                if decoded.is_some() {
                    i += 4;
                }
                decoded
            }
            _ => None,
        };
        match escaped {
            Some(decoded) => {
                i += 1;
                pieces.push((decoded, true));
            }
            None => pieces.push(('\\', false)),
        }
    }
    pieces
}

/// What an `AnnotatorNotes` text holds (see the module doc).
#[derive(Default)]
struct NoteField {
    /// Attribute values: (name, value).
    attributes: Vec<(String, String)>,
    /// The reserved entries: ([`MADE_BY_ENTRY`] or [`CHANGED_BY_ENTRY`], name), names unchecked.
    authors: Vec<(&'static str, String)>,
    note: String,
}

/// The reserved entry an entry's name is, if it is one: an escaped `@`, then the entry's name.
fn reserved_entry(name: &[Piece]) -> Option<&'static str> {
    let rest = name.strip_prefix(&[('@', true)])?;
    let rest: String = rest.iter().map(|&(c, _)| c).collect();
    [MADE_BY_ENTRY, CHANGED_BY_ENTRY]
        .into_iter()
        .find(|entry| *entry == rest)
}

/// The authors, attribute values and note in an `AnnotatorNotes` text (see the module doc).
fn read_note_field(field: &str) -> NoteField {
    let pieces = pieces(field);
    let mut rest: &[Piece] = &pieces;
    let mut read = NoteField::default();
    while let Some(entry) = rest.strip_prefix(&[('@', true)]) {
        let Some(equals) = entry.iter().position(|&p| p == ('=', false)) else {
            break;
        };
        let (name, after) = entry.split_at(equals);
        let after = after.get(1..).unwrap_or_default();
        let end = after
            .iter()
            .position(|&p| p == ('\n', true))
            .unwrap_or(after.len());
        let (value, after) = after.split_at(end);
        let value: String = value.iter().map(|&(c, _)| c).collect();
        match reserved_entry(name) {
            Some(entry) => read.authors.push((entry, value)),
            None => read
                .attributes
                .push((name.iter().map(|&(c, _)| c).collect(), value)),
        }
        rest = after.get(1..).unwrap_or_default();
    }
    read.note = rest.iter().map(|&(c, _)| c).collect();
    read
}

/// One piece of a span between line breaks: code point offsets and its text.
struct Fragment<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

/// Splits the text a span covers (starting at code point `start`) at every line break. Empty
/// pieces are dropped except at either end, where they keep the span's start and end.
fn split_at_line_breaks(start: usize, covered: &str) -> Vec<Fragment<'_>> {
    let mut pieces = Vec::new();
    let (mut piece_start, mut piece_byte) = (start, 0);
    let mut position = start;
    for (byte, c) in covered.char_indices() {
        if is_line_break(c) {
            pieces.push(Fragment {
                start: piece_start,
                end: position,
                text: covered.get(piece_byte..byte).unwrap_or_default(),
            });
            piece_start = position + 1;
            piece_byte = byte + c.len_utf8();
        }
        position += 1;
    }
    pieces.push(Fragment {
        start: piece_start,
        end: position,
        text: covered.get(piece_byte..).unwrap_or_default(),
    });
    let last = pieces.len() - 1;
    pieces
        .into_iter()
        .enumerate()
        .filter(|(i, piece)| piece.start < piece.end || *i == 0 || *i == last)
        .map(|(_, piece)| piece)
        .collect()
}

/// Where Python's `str.splitlines` (which brat reads `.ann` files with) ends a line.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{b}'
            | '\u{c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// `types` as brat's `Arg` list (`Quote|Claim`): the configurable type names, or `<ENTITY>`
/// (any) when there are none.
fn argument_types(labels: &[Label]) -> String {
    let mut names: Vec<String> = Vec::new();
    for name in labels.iter().map(type_name).filter(|n| is_brat_name(n)) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if names.is_empty() {
        "<ENTITY>".to_owned()
    } else {
        names.join("|")
    }
}

/// The `annotation.conf` for these documents and schema (see the module doc).
fn annotation_conf(documents: &[&Document], schema: &Schema) -> String {
    let vocabulary = Vocabulary::of(schema, documents);
    let mut entities: Vec<String> = Label::ALL.iter().map(type_name).collect();
    let mut unconfigurable: Vec<String> = Vec::new();
    for name in vocabulary
        .labels
        .iter()
        .filter(|entry| !entry.label.is_builtin())
        .map(|entry| type_name(&entry.label))
    {
        let list = if is_brat_name(&name) {
            &mut entities
        } else {
            &mut unconfigurable
        };
        if !list.contains(&name) {
            list.push(name);
        }
    }
    let mut conf = String::from(
        "# brat configuration written by Article Annotator.\n\
         # Entity types: the three built-in labels, then the other labels of the schema and of\n\
         # these documents.\n\
         [entities]\n",
    );
    for name in entities {
        conf.push_str(&name);
        conf.push('\n');
    }
    if !unconfigurable.is_empty() {
        conf.push_str(
            "# Also used, but brat only configures names made of A-Z, a-z, 0-9, _ and -:\n",
        );
        for name in unconfigurable {
            conf.push_str(&format!("#   {name}\n"));
        }
    }
    conf.push_str(
        "\n[relations]\n\
         # Relation types of the schema, then the others these documents use; Arg1 is the span\n\
         # the relation goes from.\n",
    );
    for entry in &vocabulary.relations {
        let name = relation_type_name(&entry.kind);
        if is_brat_name(&name) {
            conf.push_str(&format!(
                "{name}\tArg1:{}, Arg2:{}\n",
                argument_types(&entry.from),
                argument_types(&entry.to)
            ));
        } else {
            conf.push_str(&format!("# Also used, not configurable: {name}\n"));
        }
    }
    conf.push_str(
        "# Spans may nest, cross and coincide, as they can in Article Annotator.\n\
         <OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\
         \n[events]\n\
         \n[attributes]\n\
         # Attributes with a set of values. Free text and other values are in each span's\n\
         # AnnotatorNotes, as \\@name=value\\n before the note, after who made and last\n\
         # changed the span (\\@\\@made_by=name\\n, \\@\\@changed_by=name\\n).\n",
    );
    // One line per attribute name, with every label and value it has.
    let mut attributes: Vec<(&str, Vec<Label>, Vec<&str>)> = Vec::new();
    for entry in &vocabulary.labels {
        for attribute in &entry.attributes {
            let Some(values) = &attribute.values else {
                continue;
            };
            if !is_brat_name(&attribute.name) {
                continue;
            }
            let at = match attributes.iter().position(|(n, _, _)| *n == attribute.name) {
                Some(at) => at,
                None => {
                    attributes.push((&attribute.name, Vec::new(), Vec::new()));
                    attributes.len() - 1
                }
            };
            if let Some((_, labels, known)) = attributes.get_mut(at) {
                labels.push(entry.label.clone());
                for value in values.iter().filter(|v| is_brat_name(v)) {
                    if !known.contains(&value.as_str()) {
                        known.push(value);
                    }
                }
            }
        }
    }
    for (name, labels, values) in attributes.iter().filter(|(_, _, v)| !v.is_empty()) {
        conf.push_str(&format!(
            "{name}\tArg:{}, Value:{}\n",
            argument_types(labels),
            values.join("|")
        ));
    }
    conf
}

/// A safe, unique file name stem per document (see the module doc).
fn file_stems(documents: &[&Document]) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    documents
        .iter()
        .map(|document| {
            let mut base: String = document
                .id
                .as_str()
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                        c
                    } else {
                        '_'
                    }
                })
                .take(MAX_STEM_CHARS)
                .collect();
            let device = base.split('.').next().unwrap_or_default();
            // A dotfile would be hidden (and skipped on import); a device name is unusable on
            // Windows.
            if base.is_empty()
                || base.starts_with('.')
                || WINDOWS_RESERVED.contains(&device.to_ascii_uppercase().as_str())
            {
                base.insert(0, '_');
            }
            let mut stem = base.clone();
            let mut n = 2;
            while !taken.insert(stem.to_ascii_lowercase()) {
                stem = format!("{base}-{n}");
                n += 1;
            }
            stem
        })
        .collect()
}

/// Reads one brat document from its two files. The document id is `txt_name`'s stem; errors
/// name the `.ann` file as `txt_name` with `.ann` for `.txt`.
///
/// # Errors
/// [`ImportError`] naming the first bad line, e.g. `T4 in doc-1.ann (line 5)`: an offset past
/// the end, a start after its end, a text field that disagrees with the offsets, a line that is
/// not brat standoff, or an unusable type name.
pub fn import_pair(
    txt_name: &str,
    txt: &str,
    ann: &str,
    now: Timestamp,
) -> Result<Document, ImportError> {
    import_pair_counting(txt_name, txt, ann, now, &mut 0)
}

/// [`import_pair`], adding to `merged` the spans merged into another of the same range and label.
///
/// # Errors
/// As [`import_pair`].
pub fn import_pair_counting(
    txt_name: &str,
    txt: &str,
    ann: &str,
    now: Timestamp,
    merged: &mut usize,
) -> Result<Document, ImportError> {
    let path_stem = txt_name.strip_suffix(".txt").unwrap_or(txt_name);
    let ann_name = format!("{path_stem}.ann");
    import_document(txt_name, txt, Some((&ann_name, ann)), now, merged)
}

/// Reads every brat document in a zip archive: `NAME.txt` paired with `NAME.ann` in the same
/// folder, in any folder (see the module doc for what is skipped). Document ids are the file
/// stems, made unique with `-2`, `-3`, ….
///
/// # Errors
/// [`ImportError`] when the archive is too large or unreadable, has an `.ann` without its
/// `.txt`, a file that is not UTF-8, no brat files at all, or a bad line in any `.ann` (all or
/// nothing: nothing is imported then).
pub fn import_zip(bytes: &[u8], now: Timestamp) -> Result<Vec<Document>, ImportError> {
    import_zip_counting(bytes, now, &mut 0)
}

/// [`import_zip`], adding to `merged` the spans merged into another of the same range and label.
///
/// # Errors
/// As [`import_zip`].
pub fn import_zip_counting(
    bytes: &[u8],
    now: Timestamp,
    merged: &mut usize,
) -> Result<Vec<Document>, ImportError> {
    check_size(bytes.len())?;
    let entries = zip::read(bytes).map_err(|e| {
        ImportError::file(Problem::Shape(format!("not a readable zip archive: {e}")))
    })?;
    let mut texts: Vec<(String, Vec<u8>)> = Vec::new();
    let mut anns: Vec<(String, Vec<u8>)> = Vec::new();
    let mut saw_config = false;
    for (path, contents) in entries {
        if basename(&path) == CONFIG_FILE {
            saw_config = true;
        }
        if is_skipped(&path) {
            continue;
        }
        if path.ends_with(".txt") {
            texts.push((path, contents));
        } else if path.ends_with(".ann") {
            anns.push((path, contents));
        }
    }
    if texts.is_empty() && anns.is_empty() && !saw_config {
        return Err(ImportError::file(Problem::Shape(
            "no brat files in the zip: expected NAME.txt files, each with a NAME.ann beside it"
                .into(),
        )));
    }

    let mut ann_by_key: HashMap<&str, (&str, &[u8])> = HashMap::new();
    for (path, contents) in &anns {
        let key = path.strip_suffix(".ann").unwrap_or(path);
        if ann_by_key
            .insert(key, (path.as_str(), contents.as_slice()))
            .is_some()
        {
            return Err(duplicate_entry(path));
        }
    }
    let mut text_keys = HashSet::new();
    for (path, _) in &texts {
        if !text_keys.insert(path.strip_suffix(".txt").unwrap_or(path)) {
            return Err(duplicate_entry(path));
        }
    }
    if let Some((path, _)) = anns
        .iter()
        .find(|(path, _)| !text_keys.contains(path.strip_suffix(".ann").unwrap_or(path)))
    {
        let txt = format!("{}.txt", path.strip_suffix(".ann").unwrap_or(path));
        return Err(ImportError::new(
            path.as_str(),
            Problem::Shape(format!(
                "there is no {txt} in the zip, and the offsets count over that text"
            )),
        ));
    }

    let mut documents = Vec::with_capacity(texts.len());
    for (path, contents) in &texts {
        let key = path.strip_suffix(".txt").unwrap_or(path);
        let txt = utf8(path, contents)?;
        let ann = match ann_by_key.get(key) {
            Some(&(ann_path, ann)) => Some((ann_path, utf8(ann_path, ann)?)),
            None => None,
        };
        documents.push(import_document(path, txt, ann, now, merged)?);
    }
    make_ids_unique(&mut documents);
    Ok(documents)
}

/// Whether `input` looks like a brat `.ann` file: its first non-blank line is a text-bound
/// annotation such as `T1\tEntity 0 5\t…`. Conservative: no JSON or CSV format starts this way.
pub fn looks_like(input: &str) -> bool {
    let Some(line) = input
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .find(|l| !l.trim().is_empty())
    else {
        return false;
    };
    let Some((id, rest)) = line.split_once('\t') else {
        return false;
    };
    let is_number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let data = rest.split_once('\t').map_or(rest, |(data, _)| data);
    let mut words = data.split(' ');
    id.strip_prefix('T').is_some_and(is_number)
        && words.next().is_some_and(|t| !t.is_empty())
        && words.next().is_some_and(is_number)
        && words
            .next()
            .and_then(|end| end.split(';').next())
            .is_some_and(is_number)
}

/// Whether `bytes` start like a zip archive (a local file header, or the end record of an
/// empty archive).
pub fn looks_like_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

fn duplicate_entry(path: &str) -> ImportError {
    ImportError::new(
        path,
        Problem::Shape("the zip holds two files with this name".into()),
    )
}

fn utf8<'a>(path: &str, bytes: &'a [u8]) -> Result<&'a str, ImportError> {
    std::str::from_utf8(bytes).map_err(|e| {
        ImportError::new(
            path,
            Problem::Shape(format!(
                "not UTF-8 text (invalid byte at {})",
                e.valid_up_to()
            )),
        )
    })
}

/// The file name after the last folder separator.
fn basename(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// brat's own configuration, macOS resource forks and hidden files.
fn is_skipped(path: &str) -> bool {
    CONFIG_FILES.contains(&basename(path))
        || path.split(['/', '\\']).any(|part| {
            part == "__MACOSX" || (part.starts_with('.') && part != "." && part != "..")
        })
}

/// One document from its text and, when there is one, its `.ann` (name, contents).
fn import_document(
    txt_path: &str,
    txt: &str,
    ann: Option<(&str, &str)>,
    now: Timestamp,
    merged: &mut usize,
) -> Result<Document, ImportError> {
    let Parsed {
        mut spans,
        authors,
        relations,
    } = match ann {
        Some((ann_path, ann)) => parse_ann(basename(ann_path), ann, txt)?,
        None => Parsed::default(),
    };
    name_shared_spans(&mut spans, &authors);
    let stem = basename(txt_path);
    let stem = stem.strip_suffix(".txt").unwrap_or(stem);
    let document = build_document_counting(
        ForeignDocument {
            record: txt_path.to_owned(),
            id: Some(stem.to_owned()),
            title: None,
            text: txt.to_owned(),
            unit: OffsetUnit::CodePoint,
            spans,
            relations,
            // brat has no note on a whole document.
            note: None,
        },
        now,
        merged,
    )?;
    Ok(with_authors_from_file(document, &authors))
}

/// What an `.ann` file gives: its spans, who made and last changed each one (in the same
/// order), and its relations.
#[derive(Default)]
struct Parsed {
    spans: Vec<ForeignSpan>,
    authors: Vec<Authors>,
    relations: Vec<ForeignRelation>,
}

/// A line that names other annotations, read once every span is known.
struct Deferred<'a> {
    kind: char,
    rest: &'a str,
    record: String,
}

/// The spans, their authors and the relations of an `.ann` file, checked against the text (see
/// the module doc for how discontinuous spans, attributes and notes are read).
fn parse_ann(ann_name: &str, ann: &str, text: &str) -> Result<Parsed, ImportError> {
    let text = OffsetIndex::new(text);
    let mut spans = Vec::new();
    let mut ids = HashSet::new();
    // The spans each T line gave.
    let mut spans_of: HashMap<&str, std::ops::Range<usize>> = HashMap::new();
    let mut deferred = Vec::new();
    for (number, raw_line) in (1usize..).zip(ann.split('\n')) {
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        if line.trim().is_empty() {
            continue;
        }
        let Some((id, rest)) = line.split_once('\t') else {
            return Err(ImportError::new(
                format!("line {number} of {ann_name}"),
                Problem::Shape(
                    "expected an annotation id, a tab, then the annotation (brat standoff)".into(),
                ),
            ));
        };
        let record = format!("{id} in {ann_name} (line {number})");
        let fail = |problem| Err(ImportError::new(record.clone(), problem));
        let kind = id.chars().next();
        if !matches!(kind, Some('T' | 'R' | 'E' | 'A' | 'M' | 'N' | '#' | '*')) {
            return fail(Problem::Shape(format!(
                "{id:?} is not a brat annotation id (T, R, E, A, M, N, # or *)"
            )));
        }
        // Equivalences all share the id `*`.
        if id != "*" && !ids.insert(id) {
            return fail(Problem::Shape(format!(
                "the id {id} is used twice in {ann_name}"
            )));
        }
        match kind {
            Some('T') => {}
            Some(kind @ ('R' | 'A' | 'M' | '#')) => {
                deferred.push(Deferred { kind, rest, record });
                continue;
            }
            // Events, normalisations, equivalences: not in our model.
            _ => continue,
        }
        let (data, quoted) = match rest.split_once('\t') {
            Some((data, quoted)) => (data.trim_end(), Some(quoted)),
            None => (rest.trim_end(), None),
        };
        let Some((brat_type, offsets)) = data.split_once(' ') else {
            return fail(Problem::Shape(format!(
                "expected a type and offsets, like \"Entity 0 5\", found {data:?}"
            )));
        };
        let label = match label_of_type(brat_type) {
            Ok(label) => label,
            Err(e) => return fail(Problem::Label(e)),
        };
        let mut fragments = Vec::new();
        for pair in offsets.split(';') {
            let Some((start, end)) = pair
                .split_once(' ')
                .and_then(|(start, end)| Some((offset(start)?, offset(end)?)))
            else {
                return fail(Problem::Shape(format!(
                    "{pair:?} is not a start and an end offset, like \"0 5\""
                )));
            };
            if start > end {
                return fail(Problem::StartNotBeforeEnd { start, end });
            }
            if end > text.char_len() {
                return fail(Problem::PastEnd {
                    start,
                    end,
                    len: text.char_len(),
                    unit: OffsetUnit::CodePoint,
                });
            }
            fragments.push((start, end));
        }
        // brat fills a missing or blank text field from the text, so it is not checked then.
        if let Some(quoted) = quoted.filter(|q| !q.trim().is_empty()) {
            let found: Vec<&str> = fragments.iter().map(|&(s, e)| slice(&text, s, e)).collect();
            let found = found.join(FRAGMENT_SEPARATOR);
            // With `\r\n` in both files, the last fragment may end in the `\r` that was taken
            // for the `.ann` line ending.
            let with_cr = raw_line.ends_with('\r') && found.strip_suffix('\r') == Some(quoted);
            if found != quoted && !with_cr {
                let (start, end) = match (fragments.first(), fragments.last()) {
                    (Some(&(start, _)), Some(&(_, end))) => (start, end),
                    _ => (0, 0),
                };
                return fail(Problem::TextMismatch {
                    start,
                    end,
                    expected: quoted.to_owned(),
                    found,
                });
            }
        }
        let joined = join_across_line_breaks(&fragments, &text);
        let several = joined.len() > 1;
        spans_of.insert(id, spans.len()..spans.len() + joined.len());
        for (fragment, (start, end)) in joined {
            spans.push(ForeignSpan {
                record: if several {
                    format!("{record}, fragment {fragment}")
                } else {
                    record.clone()
                },
                start,
                end,
                label: label.as_str().to_owned(),
                quoted: None,
                attributes: Vec::new(),
                note: None,
            });
        }
    }
    let mut authors = vec![Authors::default(); spans.len()];
    let mut relations = Vec::new();
    for line in deferred {
        let target = |id: &str| -> Result<Option<std::ops::Range<usize>>, ImportError> {
            match spans_of.get(id) {
                Some(range) => Ok(Some(range.clone())),
                // An event or another annotation that is not a span: nothing of ours to change.
                None if ids.contains(id) => Ok(None),
                None => Err(ImportError::new(
                    line.record.clone(),
                    Problem::Shape(format!("names {id}, but no line of {ann_name} has that id")),
                )),
            }
        };
        match line.kind {
            'R' => {
                if let Some(relation) = read_relation(&line, target)? {
                    relations.push(relation);
                }
            }
            '#' => read_note(&line, target, &mut spans, &mut authors)?,
            _ => read_attribute(&line, target, &mut spans)?,
        }
    }
    Ok(Parsed {
        spans,
        authors,
        relations,
    })
}

fn shape_error(line: &Deferred<'_>, message: String) -> ImportError {
    ImportError::new(line.record.clone(), Problem::Shape(message))
}

/// The fields of a deferred line before its text field.
fn words<'a>(line: &Deferred<'a>) -> (&'a str, Vec<&'a str>) {
    let data = line
        .rest
        .split_once('\t')
        .map_or(line.rest, |(data, _)| data);
    (data, data.split_whitespace().collect())
}

/// An `R` line: `said_by Arg1:T2 Arg2:T5`, from the first span of `Arg1` to that of `Arg2`.
fn read_relation<'a>(
    line: &Deferred<'a>,
    target: impl Fn(&str) -> Result<Option<std::ops::Range<usize>>, ImportError>,
) -> Result<Option<ForeignRelation>, ImportError> {
    let (data, words) = words(line);
    let [kind, first, second] = words.as_slice() else {
        return Err(shape_error(
            line,
            format!(
                "expected a type and two arguments, like \"said_by Arg1:T1 Arg2:T2\", found \
                 {data:?}"
            ),
        ));
    };
    let argument = |word: &'a str| {
        word.split_once(':')
            .filter(|(role, id)| !role.is_empty() && !id.is_empty())
            .ok_or_else(|| {
                shape_error(
                    line,
                    format!("{word:?} is not an argument like \"Arg1:T1\""),
                )
            })
    };
    let (mut from, mut to) = (argument(first)?, argument(second)?);
    if from.0 == "Arg2" && to.0 == "Arg1" {
        std::mem::swap(&mut from, &mut to);
    }
    if from.1 == to.1 {
        return Err(shape_error(
            line,
            format!("the relation links {} to itself", from.1),
        ));
    }
    let (Some(from_spans), Some(to_spans)) = (target(from.1)?, target(to.1)?) else {
        return Ok(None);
    };
    Ok(Some(ForeignRelation {
        record: line.record.clone(),
        kind: (*kind).to_owned(),
        from: from_spans.start,
        to: to_spans.start,
    }))
}

/// An `A` (or `M`) line: `type T3 direct`, or `Negated T1` (the value `true`).
fn read_attribute(
    line: &Deferred<'_>,
    target: impl Fn(&str) -> Result<Option<std::ops::Range<usize>>, ImportError>,
    spans: &mut [ForeignSpan],
) -> Result<(), ImportError> {
    let (data, words) = words(line);
    let (name, id, value) = match words.as_slice() {
        [name, id] => (*name, *id, "true"),
        [name, id, value] => (*name, *id, *value),
        _ => {
            return Err(shape_error(
                line,
                format!(
                    "expected an attribute name, an annotation id and at most one value, like \
                     \"type T3 direct\", found {data:?}"
                ),
            ))
        }
    };
    check_name(name)
        .and_then(|()| check_value(name, value))
        .map_err(|e| ImportError::new(line.record.clone(), Problem::Invalid(e.to_string())))?;
    for span in target(id)?
        .and_then(|range| spans.get_mut(range))
        .into_iter()
        .flatten()
    {
        span.attributes.push((name.to_owned(), value.to_owned()));
    }
    Ok(())
}

/// A `#` line: `AnnotatorNotes T3<TAB>text`, the text holding authors, attribute values and the
/// note. Other kinds of comment are skipped.
fn read_note(
    line: &Deferred<'_>,
    target: impl Fn(&str) -> Result<Option<std::ops::Range<usize>>, ImportError>,
    spans: &mut [ForeignSpan],
    authors: &mut [Authors],
) -> Result<(), ImportError> {
    let (data, words) = words(line);
    let [kind, id] = words.as_slice() else {
        return Err(shape_error(
            line,
            format!(
                "expected a note type and an annotation id, like \"AnnotatorNotes T3\", found \
                 {data:?}"
            ),
        ));
    };
    if *kind != NOTE_TYPE {
        return Ok(());
    }
    let field = line.rest.split_once('\t').map_or("", |(_, field)| field);
    let NoteField {
        attributes,
        authors: named,
        note,
    } = read_note_field(field);
    for (name, value) in &attributes {
        check_name(name)
            .and_then(|()| check_value(name, value))
            .map_err(|e| ImportError::new(line.record.clone(), Problem::Invalid(e.to_string())))?;
    }
    let mut given = Authors::default();
    for (entry, name) in named {
        let name = AnnotatorName::parse(&name).map_err(|e| {
            ImportError::new(
                line.record.clone(),
                Problem::Invalid(format!("{entry}: {e}")),
            )
        })?;
        if entry == MADE_BY_ENTRY {
            given.made_by = Some(name);
        } else {
            given.changed_by = Some(name);
        }
    }
    let Some(range) = target(id)? else {
        return Ok(());
    };
    for span_authors in authors.get_mut(range.clone()).into_iter().flatten() {
        // Entry by entry: another note line on the same span may have given the other one.
        if given.made_by.is_some() {
            span_authors.made_by.clone_from(&given.made_by);
        }
        if given.changed_by.is_some() {
            span_authors.changed_by.clone_from(&given.changed_by);
        }
    }
    for span in spans.get_mut(range).into_iter().flatten() {
        span.attributes.extend(attributes.iter().cloned());
        if !note.trim().is_empty() {
            match &mut span.note {
                Some(earlier) => {
                    earlier.push('\n');
                    earlier.push_str(&note);
                }
                None => span.note = Some(note.clone()),
            }
        }
    }
    Ok(())
}

/// Joins consecutive fragments whose gap is nothing but line breaks (how a span across lines
/// is written). Returns each resulting span with the 1-based number of its first fragment.
fn join_across_line_breaks(
    fragments: &[(usize, usize)],
    text: &OffsetIndex<&str>,
) -> Vec<(usize, (usize, usize))> {
    let mut joined: Vec<(usize, (usize, usize))> = Vec::new();
    for (number, &(start, end)) in (1usize..).zip(fragments) {
        if let Some((_, (_, last_end))) = joined.last_mut() {
            let gap = (start > *last_end).then(|| slice(text, *last_end, start));
            if gap.is_some_and(|gap| gap.chars().all(is_line_break)) {
                *last_end = end;
                continue;
            }
        }
        joined.push((number, (start, end)));
    }
    joined
}

/// A brat offset: a non-negative decimal integer.
fn offset(digits: &str) -> Option<usize> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Code points `start..end` of the raw `.txt` text; empty when out of range (callers check
/// first).
fn slice<'t>(text: &'t OffsetIndex<&str>, start: usize, end: usize) -> &'t str {
    CharRange::from_raw(start, end)
        .ok()
        .and_then(|range| text.slice(range))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(start: usize, covered: &str) -> Vec<(usize, usize, &str)> {
        split_at_line_breaks(start, covered)
            .into_iter()
            .map(|f| (f.start, f.end, f.text))
            .collect()
    }

    #[test]
    fn spans_are_split_at_every_line_break_keeping_their_ends() {
        assert_eq!(pieces(10, "ab"), [(10, 12, "ab")]);
        assert_eq!(pieces(10, "ab\ncd"), [(10, 12, "ab"), (13, 15, "cd")]);
        assert_eq!(pieces(0, "a\n\n\u{2028}b"), [(0, 1, "a"), (4, 5, "b")]);
        assert_eq!(pieces(0, "a\n"), [(0, 1, "a"), (2, 2, "")]);
        assert_eq!(pieces(0, "\n"), [(0, 0, ""), (1, 1, "")]);
        assert_eq!(pieces(0, "😀\n北"), [(0, 1, "😀"), (2, 3, "北")]);
    }

    #[test]
    fn fragments_separated_by_line_breaks_are_joined_back() {
        let text = OffsetIndex::new("ab\ncd ef\r\ngh");
        assert_eq!(
            join_across_line_breaks(&[(0, 2), (3, 5), (6, 8), (10, 12)], &text),
            [(1, (0, 5)), (3, (6, 12))]
        );
        assert_eq!(
            join_across_line_breaks(&[(0, 2), (2, 3)], &text),
            [(1, (0, 2)), (2, (2, 3))]
        );
    }

    #[test]
    fn file_names_are_safe_and_unique() {
        let document = |id: &str| {
            Document::new(
                crate::model::DocumentId::new(id),
                String::new(),
                crate::model::ArticleText::normalize("x"),
                Timestamp::from_unix_millis(0),
            )
        };
        let documents = [
            document("a b/ü"),
            document("A_B_"),
            document("a_b_"),
            document(""),
            document(".hidden"),
            document("con.x"),
            document(&"x".repeat(300)),
        ];
        let refs: Vec<&Document> = documents.iter().collect();
        assert_eq!(
            file_stems(&refs),
            [
                "a_b__".to_owned(),
                "A_B_".to_owned(),
                "a_b_-2".to_owned(),
                "_".to_owned(),
                "_.hidden".to_owned(),
                "_con.x".to_owned(),
                "x".repeat(100),
            ]
        );
    }
}
