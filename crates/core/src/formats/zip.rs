//! A minimal ZIP archive reader and writer, just enough for brat standoff exports (one `.txt`
//! and one `.ann` per document) and for reading back the zips other tools make.
//!
//! Separate from the formats because it is about bytes, not annotations, and because it reads
//! untrusted input: every field of an archive is checked before it is used, nothing here can
//! panic on any input, and a small archive can never inflate into more than
//! [`MAX_UNCOMPRESSED_BYTES`] (zip bombs).
//!
//! Writing: every entry is STORED (method 0; the texts are small and the zip only bundles
//! them), names are UTF-8 (general purpose flag bit 11), every timestamp is 1980-01-01 00:00,
//! and nothing depends on the clock or the platform, so the same files always give the same
//! bytes. No ZIP64: more than 65,535 entries or 4 GiB is refused with [`ZipError`].
//!
//! Reading: STORED and DEFLATE (method 8, inflated by `miniz_oxide`) entries, with or without
//! an archive comment, with data descriptors, and with the archive prepended by other bytes.
//! Every entry's CRC-32 is checked. Directory entries are skipped. Encrypted entries, ZIP64,
//! split archives and other compression methods are refused with a clear error.
//!
//! Entry names are returned as data, exactly as the archive spells them: a name may contain
//! `..` or start with `/`. Nothing in this app writes them to disk, so that is harmless here;
//! code that ever extracts to disk must sanitise them first.

/// Archives that inflate to more than this are refused: far more than any import can use
/// (imports are limited to 20 MB), small enough that a zip bomb cannot exhaust the page.
pub const MAX_UNCOMPRESSED_BYTES: usize = 64 * 1024 * 1024;

/// The most entries an archive without ZIP64 can hold.
pub const MAX_ENTRIES: usize = 0xFFFF;

const LOCAL_HEADER_SIGNATURE: u32 = 0x0403_4b50;
const CENTRAL_HEADER_SIGNATURE: u32 = 0x0201_4b50;
const END_OF_CENTRAL_DIRECTORY_SIGNATURE: u32 = 0x0605_4b50;
const ZIP64_LOCATOR_SIGNATURE: u32 = 0x0706_4b50;

const LOCAL_HEADER_LEN: usize = 30;
const CENTRAL_HEADER_LEN: usize = 46;
const END_OF_CENTRAL_DIRECTORY_LEN: usize = 22;
const ZIP64_LOCATOR_LEN: usize = 20;
/// An archive comment is at most this long, which bounds the backwards search for the end
/// record.
const MAX_COMMENT_LEN: usize = 0xFFFF;

const METHOD_STORED: u16 = 0;
const METHOD_DEFLATE: u16 = 8;

const FLAG_ENCRYPTED: u16 = 1 << 0;
const FLAG_STRONG_ENCRYPTION: u16 = 1 << 6;
const FLAG_UTF8_NAME: u16 = 1 << 11;

/// "Version needed to extract" 2.0: the oldest that knows DEFLATE and folders, what most tools
/// write.
const VERSION_NEEDED: u16 = 20;
/// "Version made by": Unix (high byte 3), spec 2.0, so the external attributes below are read
/// as Unix permissions.
const VERSION_MADE_BY: u16 = (3 << 8) | 20;
/// A regular file, `rw-r--r--`, in the high half of the external attributes.
const EXTERNAL_ATTRIBUTES: u32 = 0o100_644 << 16;
/// 00:00:00 in MS-DOS time.
const DOS_TIME: u16 = 0;
/// 1980-01-01 in MS-DOS date (year 0 = 1980, month 1, day 1): the earliest date a zip can
/// hold, so exports never depend on the clock.
const DOS_DATE: u16 = (1 << 5) | 1;

/// Why an archive cannot be read (or written).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ZipError {
    #[error("not a zip archive: no end of central directory record (the file may be cut short)")]
    NotAZip,
    #[error("the archive is cut short or damaged: {0}")]
    Truncated(String),
    #[error("the archive is damaged: {0}")]
    Damaged(String),
    #[error("the archive is split over several disks, which is not supported")]
    MultiDisk,
    #[error("the archive uses ZIP64 (over 4 GiB or 65,535 entries), which is not supported")]
    Zip64,
    #[error("{name:?} is encrypted, which is not supported")]
    Encrypted { name: String },
    #[error(
        "{name:?} uses compression method {method}; only stored (0) and deflate (8) are supported"
    )]
    UnsupportedMethod { name: String, method: u16 },
    #[error("{name:?} cannot be inflated: {reason}")]
    Inflate { name: String, reason: String },
    #[error("{name:?} holds {actual} bytes, but the archive says {declared}")]
    SizeMismatch {
        name: String,
        declared: u64,
        actual: u64,
    },
    #[error(
        "{name:?} is damaged: its CRC-32 is {actual:08x}, but the archive says {expected:08x}"
    )]
    CrcMismatch {
        name: String,
        expected: u32,
        actual: u32,
    },
    #[error("the archive would unpack to more than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the name of entry {index} is not valid UTF-8, though the archive says it is")]
    BadName { index: usize },
    #[error("{count} files are more than a zip without ZIP64 can hold ({MAX_ENTRIES})")]
    TooManyEntries { count: usize },
    #[error("{name:?} is too large for a zip without ZIP64 (4 GiB)")]
    EntryTooLarge { name: String },
}

/// Writes `files` (name, contents) as a zip archive, in the order given: STORED entries, UTF-8
/// names, fixed timestamps, so the same files always give byte-for-byte the same archive.
///
/// Names are written as given (use `/` between folders); a name ending in `/` is a folder.
///
/// # Errors
/// [`ZipError::TooManyEntries`] past 65,535 files and [`ZipError::EntryTooLarge`] when a name,
/// a file or the archive itself passes what a zip without ZIP64 can address.
pub fn write(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, ZipError> {
    let entry_count =
        u16::try_from(files.len()).map_err(|_| ZipError::TooManyEntries { count: files.len() })?;
    let too_large = |name: &str| ZipError::EntryTooLarge {
        name: name.to_owned(),
    };
    let mut archive = Vec::new();
    let mut central = Vec::new();
    for (name, contents) in files {
        let name_len = u16::try_from(name.len()).map_err(|_| too_large(name))?;
        let size = u32::try_from(contents.len()).map_err(|_| too_large(name))?;
        let offset = u32::try_from(archive.len()).map_err(|_| too_large(name))?;
        let crc = super::crc32::crc32(contents);

        put_u32(&mut archive, LOCAL_HEADER_SIGNATURE);
        put_u16(&mut archive, VERSION_NEEDED);
        put_u16(&mut archive, FLAG_UTF8_NAME);
        put_u16(&mut archive, METHOD_STORED);
        put_u16(&mut archive, DOS_TIME);
        put_u16(&mut archive, DOS_DATE);
        put_u32(&mut archive, crc);
        put_u32(&mut archive, size); // compressed size: stored, so the same
        put_u32(&mut archive, size);
        put_u16(&mut archive, name_len);
        put_u16(&mut archive, 0); // extra field length
        archive.extend_from_slice(name.as_bytes());
        archive.extend_from_slice(contents);

        put_u32(&mut central, CENTRAL_HEADER_SIGNATURE);
        put_u16(&mut central, VERSION_MADE_BY);
        put_u16(&mut central, VERSION_NEEDED);
        put_u16(&mut central, FLAG_UTF8_NAME);
        put_u16(&mut central, METHOD_STORED);
        put_u16(&mut central, DOS_TIME);
        put_u16(&mut central, DOS_DATE);
        put_u32(&mut central, crc);
        put_u32(&mut central, size);
        put_u32(&mut central, size);
        put_u16(&mut central, name_len);
        put_u16(&mut central, 0); // extra field length
        put_u16(&mut central, 0); // comment length
        put_u16(&mut central, 0); // disk number
        put_u16(&mut central, 0); // internal attributes
        put_u32(&mut central, EXTERNAL_ATTRIBUTES);
        put_u32(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let archive_too_large = || ZipError::EntryTooLarge {
        name: "the archive".to_owned(),
    };
    let central_offset = u32::try_from(archive.len()).map_err(|_| archive_too_large())?;
    let central_size = u32::try_from(central.len()).map_err(|_| archive_too_large())?;
    archive.extend_from_slice(&central);

    put_u32(&mut archive, END_OF_CENTRAL_DIRECTORY_SIGNATURE);
    put_u16(&mut archive, 0); // this disk
    put_u16(&mut archive, 0); // disk where the central directory starts
    put_u16(&mut archive, entry_count); // entries on this disk
    put_u16(&mut archive, entry_count); // entries in total
    put_u32(&mut archive, central_size);
    put_u32(&mut archive, central_offset);
    put_u16(&mut archive, 0); // comment length
    Ok(archive)
}

/// Reads every file in a zip archive as (name, contents), in central directory order,
/// skipping folder entries. Names are returned as the archive spells them (see the module
/// doc about `..`).
///
/// # Errors
/// [`ZipError`] for anything that is not a readable, undamaged archive: not a zip, cut short,
/// encrypted, ZIP64, an unsupported method, a wrong size or CRC-32, or more than
/// [`MAX_UNCOMPRESSED_BYTES`] once inflated.
pub fn read(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, ZipError> {
    read_with_limit(bytes, MAX_UNCOMPRESSED_BYTES)
}

/// [`read`], refusing archives that unpack to more than `limit` bytes in total.
///
/// # Errors
/// As [`read`], with [`ZipError::TooLarge`] naming `limit`.
pub fn read_with_limit(bytes: &[u8], limit: usize) -> Result<Vec<(String, Vec<u8>)>, ZipError> {
    let end = find_end_of_central_directory(bytes)?;
    let reader = Reader { bytes };
    let this_disk = reader.u16_at(end + 4, "the end of central directory record")?;
    let directory_disk = reader.u16_at(end + 6, "the end of central directory record")?;
    let entries_here = reader.u16_at(end + 8, "the end of central directory record")?;
    let entries = reader.u16_at(end + 10, "the end of central directory record")?;
    let directory_size = reader.u32_at(end + 12, "the end of central directory record")?;
    let directory_offset = reader.u32_at(end + 16, "the end of central directory record")?;

    let has_zip64_locator = end
        .checked_sub(ZIP64_LOCATOR_LEN)
        .and_then(|at| reader.u32_at(at, "").ok())
        == Some(ZIP64_LOCATOR_SIGNATURE);
    if has_zip64_locator || directory_size == u32::MAX || directory_offset == u32::MAX {
        return Err(ZipError::Zip64);
    }
    if this_disk != 0 || directory_disk != 0 || entries_here != entries {
        return Err(ZipError::MultiDisk);
    }

    // Where the central directory really starts. Usually at the offset the end record states;
    // when other bytes were put in front of the archive (self-extracting archives, some
    // uploads), every offset in it is short by the same amount.
    let directory_size = to_usize(directory_size);
    let directory_start = end.checked_sub(directory_size).ok_or_else(|| {
        ZipError::Damaged(
            "the central directory is larger than the archive before its end record".into(),
        )
    })?;
    let shift = directory_start
        .checked_sub(to_usize(directory_offset))
        .ok_or_else(|| {
            ZipError::Damaged(
                "the central directory offset points past the end of the archive".into(),
            )
        })?;

    let mut files = Vec::new();
    let mut total: usize = 0;
    let mut at = directory_start;
    for index in 0..usize::from(entries) {
        let entry = CentralEntry::parse(&reader, at, index)?;
        at = entry.next;
        if entry.is_directory() {
            continue;
        }
        let contents = entry.read_contents(&reader, shift, limit.saturating_sub(total), limit)?;
        total = total.saturating_add(contents.len());
        files.push((entry.name, contents));
    }
    Ok(files)
}

/// Searches backwards for the end of central directory record: it sits at the very end,
/// followed only by the archive comment (up to 65,535 bytes).
fn find_end_of_central_directory(bytes: &[u8]) -> Result<usize, ZipError> {
    let latest = bytes
        .len()
        .checked_sub(END_OF_CENTRAL_DIRECTORY_LEN)
        .ok_or(ZipError::NotAZip)?;
    let earliest = latest.saturating_sub(MAX_COMMENT_LEN);
    let reader = Reader { bytes };
    (earliest..=latest)
        .rev()
        .find(|&at| {
            reader.u32_at(at, "").ok() == Some(END_OF_CENTRAL_DIRECTORY_SIGNATURE)
                // The comment it announces must fit in the file: a signature inside the
                // comment of a real record would not.
                && reader
                    .u16_at(at + 20, "")
                    .is_ok_and(|comment| at + END_OF_CENTRAL_DIRECTORY_LEN + usize::from(comment) <= bytes.len())
        })
        .ok_or(ZipError::NotAZip)
}

/// One central directory entry: where and how its file is stored.
struct CentralEntry {
    index: usize,
    name: String,
    flags: u16,
    method: u16,
    crc: u32,
    compressed_size: usize,
    uncompressed_size: usize,
    local_header_offset: usize,
    /// Where the next central directory entry starts.
    next: usize,
}

impl CentralEntry {
    fn parse(reader: &Reader<'_>, at: usize, index: usize) -> Result<Self, ZipError> {
        let what = format!("central directory entry {index}");
        // Checked first, so the fixed-position reads below cannot overflow.
        reader.slice(at, CENTRAL_HEADER_LEN, &what)?;
        if reader.u32_at(at, &what)? != CENTRAL_HEADER_SIGNATURE {
            return Err(ZipError::Damaged(format!(
                "{what} does not start with the central directory signature"
            )));
        }
        let flags = reader.u16_at(at + 8, &what)?;
        let method = reader.u16_at(at + 10, &what)?;
        let crc = reader.u32_at(at + 16, &what)?;
        let compressed_size = reader.u32_at(at + 20, &what)?;
        let uncompressed_size = reader.u32_at(at + 24, &what)?;
        let name_len = usize::from(reader.u16_at(at + 28, &what)?);
        let extra_len = usize::from(reader.u16_at(at + 30, &what)?);
        let comment_len = usize::from(reader.u16_at(at + 32, &what)?);
        let local_header_offset = reader.u32_at(at + 42, &what)?;
        let name_start = at + CENTRAL_HEADER_LEN;
        let name_bytes = reader.slice(name_start, name_len, &what)?;
        let next = name_start + name_len + extra_len + comment_len;
        // The extra field and comment must be there too, or the next entry is misread.
        reader.slice(name_start, next - name_start, &what)?;
        if [compressed_size, uncompressed_size, local_header_offset].contains(&u32::MAX) {
            return Err(ZipError::Zip64);
        }
        Ok(Self {
            index,
            name: decode_name(name_bytes, flags, index)?,
            flags,
            method,
            crc,
            compressed_size: to_usize(compressed_size),
            uncompressed_size: to_usize(uncompressed_size),
            local_header_offset: to_usize(local_header_offset),
            next,
        })
    }

    fn is_directory(&self) -> bool {
        self.name.ends_with('/') || self.name.ends_with('\\')
    }

    /// Reads, inflates and checks the entry's contents. `budget` is what is left of `limit`.
    fn read_contents(
        &self,
        reader: &Reader<'_>,
        shift: usize,
        budget: usize,
        limit: usize,
    ) -> Result<Vec<u8>, ZipError> {
        let name = || self.name.clone();
        if self.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) != 0 {
            return Err(ZipError::Encrypted { name: name() });
        }
        if self.uncompressed_size > budget {
            return Err(ZipError::TooLarge { limit });
        }
        let what = format!("the local header of {:?} (entry {})", self.name, self.index);
        let header = self
            .local_header_offset
            .checked_add(shift)
            .ok_or_else(|| ZipError::Truncated(what.clone()))?;
        // Checked first, so the fixed-position reads below cannot overflow.
        reader.slice(header, LOCAL_HEADER_LEN, &what)?;
        if reader.u32_at(header, &what)? != LOCAL_HEADER_SIGNATURE {
            return Err(ZipError::Damaged(format!(
                "{what} does not start with the local header signature"
            )));
        }
        // The local name and extra field may differ in length from the central ones; the sizes
        // and CRC are taken from the central directory, which is always filled in (the local
        // header may hold zeros when a data descriptor follows the data).
        let local_name_len = usize::from(reader.u16_at(header + 26, &what)?);
        let local_extra_len = usize::from(reader.u16_at(header + 28, &what)?);
        let data_start = header
            .checked_add(LOCAL_HEADER_LEN + local_name_len + local_extra_len)
            .ok_or_else(|| ZipError::Truncated(what.clone()))?;
        let data = reader.slice(
            data_start,
            self.compressed_size,
            &format!("the data of {:?}", self.name),
        )?;
        let contents = match self.method {
            METHOD_STORED => {
                if self.compressed_size != self.uncompressed_size {
                    return Err(ZipError::SizeMismatch {
                        name: name(),
                        declared: self.uncompressed_size as u64,
                        actual: self.compressed_size as u64,
                    });
                }
                data.to_vec()
            }
            METHOD_DEFLATE => {
                // Never inflate past the declared size: a lying header cannot make us allocate
                // more than it admits to (and that was checked against the budget above).
                miniz_oxide::inflate::decompress_to_vec_with_limit(data, self.uncompressed_size)
                    .map_err(|e| match e.status {
                        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                            ZipError::SizeMismatch {
                                name: name(),
                                declared: self.uncompressed_size as u64,
                                actual: (self.uncompressed_size as u64).saturating_add(1),
                            }
                        }
                        _ => ZipError::Inflate {
                            name: name(),
                            reason: e.to_string(),
                        },
                    })?
            }
            method => {
                return Err(ZipError::UnsupportedMethod {
                    name: name(),
                    method,
                })
            }
        };
        if contents.len() != self.uncompressed_size {
            return Err(ZipError::SizeMismatch {
                name: name(),
                declared: self.uncompressed_size as u64,
                actual: contents.len() as u64,
            });
        }
        let actual = super::crc32::crc32(&contents);
        if actual != self.crc {
            return Err(ZipError::CrcMismatch {
                name: name(),
                expected: self.crc,
                actual,
            });
        }
        Ok(contents)
    }
}

/// An entry name: UTF-8 when flag bit 11 says so; otherwise UTF-8 if it is valid UTF-8 (macOS
/// writes UTF-8 without setting the flag), else code page 437, the zip default.
fn decode_name(bytes: &[u8], flags: u16, index: usize) -> Result<String, ZipError> {
    match std::str::from_utf8(bytes) {
        Ok(name) => Ok(name.to_owned()),
        Err(_) if flags & FLAG_UTF8_NAME != 0 => Err(ZipError::BadName { index }),
        Err(_) => Ok(bytes.iter().map(|&b| cp437(b)).collect()),
    }
}

/// The character code page 437 (the original IBM PC set) gives a byte.
fn cp437(byte: u8) -> char {
    const HIGH: [char; 128] = [
        'Ç', 'ü', 'é', 'â', 'ä', 'à', 'å', 'ç', 'ê', 'ë', 'è', 'ï', 'î', 'ì', 'Ä', 'Å', 'É', 'æ',
        'Æ', 'ô', 'ö', 'ò', 'û', 'ù', 'ÿ', 'Ö', 'Ü', '¢', '£', '¥', '₧', 'ƒ', 'á', 'í', 'ó', 'ú',
        'ñ', 'Ñ', 'ª', 'º', '¿', '⌐', '¬', '½', '¼', '¡', '«', '»', '░', '▒', '▓', '│', '┤', '╡',
        '╢', '╖', '╕', '╣', '║', '╗', '╝', '╜', '╛', '┐', '└', '┴', '┬', '├', '─', '┼', '╞', '╟',
        '╚', '╔', '╩', '╦', '╠', '═', '╬', '╧', '╨', '╤', '╥', '╙', '╘', '╒', '╓', '╫', '╪', '┘',
        '┌', '█', '▄', '▌', '▐', '▀', 'α', 'ß', 'Γ', 'π', 'Σ', 'σ', 'µ', 'τ', 'Φ', 'Θ', 'Ω', 'δ',
        '∞', 'φ', 'ε', '∩', '≡', '±', '≥', '≤', '⌠', '⌡', '÷', '≈', '°', '∙', '·', '√', 'ⁿ', '²',
        '■', '\u{a0}',
    ];
    match byte.checked_sub(0x80) {
        Some(high) => HIGH.get(usize::from(high)).copied().unwrap_or('\u{fffd}'),
        None => char::from(byte),
    }
}

/// Bounds-checked little-endian reads: every one names what it was reading when the archive
/// ends too soon.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn slice(&self, at: usize, len: usize, what: &str) -> Result<&'a [u8], ZipError> {
        at.checked_add(len)
            .and_then(|end| self.bytes.get(at..end))
            .ok_or_else(|| ZipError::Truncated(format!("{what} reaches past the end")))
    }

    fn array<const N: usize>(&self, at: usize, what: &str) -> Result<[u8; N], ZipError> {
        self.bytes
            .get(at..)
            .and_then(<[u8]>::first_chunk::<N>)
            .copied()
            .ok_or_else(|| ZipError::Truncated(format!("{what} reaches past the end")))
    }

    fn u16_at(&self, at: usize, what: &str) -> Result<u16, ZipError> {
        self.array(at, what).map(u16::from_le_bytes)
    }

    fn u32_at(&self, at: usize, what: &str) -> Result<u32, ZipError> {
        self.array(at, what).map(u32::from_le_bytes)
    }
}

/// Every target this app builds for has pointers of at least 32 bits.
fn to_usize(value: u32) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

fn put_u16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_u32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_archive_is_just_the_end_record() {
        let empty = write(&[]).unwrap();
        assert_eq!(empty.len(), END_OF_CENTRAL_DIRECTORY_LEN);
        assert_eq!(read(&empty), Ok(vec![]));
    }

    #[test]
    fn code_page_437_names_are_decoded() {
        assert_eq!(cp437(b'a'), 'a');
        assert_eq!(cp437(0x80), 'Ç');
        assert_eq!(cp437(0xFF), '\u{a0}');
        assert_eq!(
            decode_name(&[b'x', 0x81], 0, 0).unwrap(),
            "xü",
            "not UTF-8, no flag: code page 437"
        );
        assert_eq!(
            decode_name(&[b'x', 0x81], FLAG_UTF8_NAME, 3),
            Err(ZipError::BadName { index: 3 })
        );
    }
}
