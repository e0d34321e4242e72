#![cfg(not(target_arch = "wasm32"))]
//! The zip reader and writer behind brat exports (`src/export/zip.rs`).
//!
//! Why: the writer's bytes are what users download and unzip with every other tool, so its
//! layout is pinned; the reader takes archives from anywhere, so it must read what Python's
//! `zipfile` writes (DEFLATE, folders, non-ASCII names) and turn every damaged, hostile or
//! unsupported archive into a typed error — never a panic (a panic in WASM kills the page) and
//! never a zip bomb's worth of memory.

use std::path::PathBuf;

use annotator_core::formats::zip::{self, ZipError, MAX_ENTRIES};
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/formats/brat")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn files(list: &[(&str, &[u8])]) -> Vec<(String, Vec<u8>)> {
    list.iter()
        .map(|(name, bytes)| ((*name).to_owned(), bytes.to_vec()))
        .collect()
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn put_u16(bytes: &mut [u8], at: usize, value: u16) {
    bytes[at..at + 2].copy_from_slice(&value.to_le_bytes());
}

fn put_u32(bytes: &mut [u8], at: usize, value: u32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

/// Where the end of central directory record of an archive without a comment starts.
fn end_record(archive: &[u8]) -> usize {
    archive.len() - 22
}

/// Where the first central directory entry starts.
fn first_central_entry(archive: &[u8]) -> usize {
    u32_at(archive, end_record(archive) + 16) as usize
}

/// A one-entry archive with a DEFLATE entry whose header declares `declared_size`, built by
/// hand so tests can make it lie.
fn deflated_archive(name: &str, contents: &[u8], declared_size: u32) -> Vec<u8> {
    let compressed = miniz_oxide::deflate::compress_to_vec(contents, 6);
    let crc = crc32fast::hash(contents);
    let mut out = Vec::new();
    let header = |out: &mut Vec<u8>, central: bool| {
        out.extend_from_slice(&(if central { 0x0201_4b50u32 } else { 0x0403_4b50 }).to_le_bytes());
        if central {
            out.extend_from_slice(&20u16.to_le_bytes());
        }
        for field in [20u16, 0, 8, 0, 0x21] {
            out.extend_from_slice(&field.to_le_bytes());
        }
        for field in [crc, compressed.len() as u32, declared_size] {
            out.extend_from_slice(&field.to_le_bytes());
        }
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        if central {
            out.extend_from_slice(&[0; 10]); // comment length, disk, internal, external attributes
            out.extend_from_slice(&0u32.to_le_bytes()); // local header offset
        }
        out.extend_from_slice(name.as_bytes());
    };
    header(&mut out, false);
    out.extend_from_slice(&compressed);
    let central_offset = out.len() as u32;
    header(&mut out, true);
    let central_size = out.len() as u32 - central_offset;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for field in [0u16, 0, 1, 1] {
        out.extend_from_slice(&field.to_le_bytes());
    }
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

// ---------------------------------------------------------------------------------------------
// Writing.
// ---------------------------------------------------------------------------------------------

#[test]
fn written_archives_read_back_exactly() {
    let input = files(&[
        ("annotation.conf", b"[entities]\nQuote\n"),
        ("d-1.txt", "Café 北京 😀\n".as_bytes()),
        ("empty.ann", b""),
        ("folder/nested/файл.txt", "ünïcödé".as_bytes()),
    ]);
    let archive = zip::write(&input).unwrap();
    assert_eq!(zip::read(&archive), Ok(input));
}

#[test]
fn written_archives_are_deterministic_stored_utf8_and_dated_1980() {
    let input = files(&[("a.txt", b"hello"), ("b/é.ann", b"T1\tQuote 0 5\thello\n")]);
    let archive = zip::write(&input).unwrap();
    assert_eq!(archive, zip::write(&input).unwrap());
    // Local header of the first entry.
    assert_eq!(u32_at(&archive, 0), 0x0403_4b50);
    assert_eq!(u16_at(&archive, 6), 1 << 11, "UTF-8 names, nothing else");
    assert_eq!(u16_at(&archive, 8), 0, "stored");
    assert_eq!(u16_at(&archive, 10), 0, "00:00:00");
    assert_eq!(u16_at(&archive, 12), 0x21, "1980-01-01");
    assert_eq!(u32_at(&archive, 14), crc32fast::hash(b"hello"));
    assert_eq!((u32_at(&archive, 18), u32_at(&archive, 22)), (5, 5));
    assert_eq!(&archive[30..35], b"a.txt");
    assert_eq!(&archive[35..40], b"hello");
    // End record: two entries, no comment, the central directory right before it.
    let end = end_record(&archive);
    assert_eq!(u32_at(&archive, end), 0x0605_4b50);
    assert_eq!(
        (u16_at(&archive, end + 8), u16_at(&archive, end + 10)),
        (2, 2)
    );
    let central = first_central_entry(&archive);
    assert_eq!(central + u32_at(&archive, end + 12) as usize, end);
    assert_eq!(u16_at(&archive, central + 8), 1 << 11);
    assert_eq!(u16_at(&archive, end + 20), 0);
}

#[test]
fn writing_more_entries_than_a_plain_zip_holds_is_an_error() {
    let many = vec![(String::from("x"), Vec::new()); MAX_ENTRIES + 1];
    assert_eq!(
        zip::write(&many),
        Err(ZipError::TooManyEntries {
            count: MAX_ENTRIES + 1
        })
    );
    assert!(zip::write(&many[..MAX_ENTRIES]).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Reading what other tools write.
// ---------------------------------------------------------------------------------------------

#[test]
fn reads_a_deflated_archive_written_by_python_zipfile() {
    let archive = fixture("python-deflated.zip");
    let entries = zip::read(&archive).unwrap();
    let names: Vec<&str> = entries.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "corpus/annotation.conf",
            "corpus/news-1.txt",
            "corpus/news-1.ann",
            "corpus/notes café.txt",
            "corpus/.DS_Store",
            "__MACOSX/corpus/._news-1.ann",
            "README.md",
        ],
        "the folder entry is skipped; the UTF-8 name is decoded"
    );
    assert_eq!(
        std::str::from_utf8(&entries[1].1).unwrap(),
        "Dr. Chen visited 北京 😀.\r\nShe said “hello\r\nworld” twice.\r\n"
    );
    assert_eq!(entries[6].1, b"Not a brat file.\n");
}

#[test]
fn reads_a_hand_built_deflated_entry() {
    let contents = "北京 ".repeat(1000);
    let archive = deflated_archive("big.txt", contents.as_bytes(), contents.len() as u32);
    assert!(
        archive.len() < contents.len() / 10,
        "it really is compressed"
    );
    assert_eq!(
        zip::read(&archive),
        Ok(vec![("big.txt".to_owned(), contents.into_bytes())])
    );
}

#[test]
fn reads_an_archive_with_a_comment_or_with_bytes_in_front() {
    let input = files(&[("a.txt", b"alpha"), ("b.txt", b"beta")]);
    let archive = zip::write(&input).unwrap();

    let mut commented = archive.clone();
    let end = end_record(&commented);
    let comment = b"made by hand; PK\x05\x06 inside a comment is not an end record";
    put_u16(&mut commented, end + 20, comment.len() as u16);
    commented.extend_from_slice(comment);
    assert_eq!(zip::read(&commented), Ok(input.clone()));

    let mut prefixed = b"#!/bin/sh\nexit 0\n".to_vec();
    prefixed.extend_from_slice(&archive);
    assert_eq!(zip::read(&prefixed), Ok(input));
}

// ---------------------------------------------------------------------------------------------
// Damaged, hostile and unsupported archives.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_changed_byte_is_caught_by_the_crc() {
    let archive = zip::write(&files(&[("a.txt", b"hello world")])).unwrap();
    let mut damaged = archive.clone();
    damaged[30 + 5] ^= 0x20; // "hello" -> "Hello"
    let error = zip::read(&damaged).unwrap_err();
    assert_eq!(
        error,
        ZipError::CrcMismatch {
            name: "a.txt".into(),
            expected: crc32fast::hash(b"hello world"),
            actual: crc32fast::hash(b"Hello world"),
        }
    );
    assert!(
        error.to_string().contains("\"a.txt\" is damaged"),
        "{error}"
    );

    // A deflated entry whose stated CRC is wrong.
    let mut python = fixture("python-deflated.zip");
    let central = first_central_entry(&python);
    // The second entry (corpus/annotation.conf): skip the folder entry first.
    let second = central
        + 46
        + (28..=32)
            .step_by(2)
            .map(|field| u16_at(&python, central + field) as usize)
            .sum::<usize>();
    let crc = u32_at(&python, second + 16);
    put_u32(&mut python, second + 16, crc ^ 1);
    assert!(matches!(
        zip::read(&python),
        Err(ZipError::CrcMismatch { name, .. }) if name == "corpus/annotation.conf"
    ));
}

#[test]
fn every_truncation_is_an_error() {
    let archive = zip::write(&files(&[("a.txt", b"hello"), ("b.txt", b"world")])).unwrap();
    for len in 0..archive.len() {
        let cut = &archive[..len];
        assert!(zip::read(cut).is_err(), "cut to {len} bytes");
    }
    assert_eq!(zip::read(b""), Err(ZipError::NotAZip));
    assert_eq!(
        zip::read(b"just some text, not a zip"),
        Err(ZipError::NotAZip)
    );
    let python = fixture("python-deflated.zip");
    for len in 0..python.len() {
        assert!(zip::read(&python[..len]).is_err(), "cut to {len} bytes");
    }
}

#[test]
fn encrypted_entries_are_refused() {
    let mut archive = zip::write(&files(&[("secret.txt", b"hunter2")])).unwrap();
    let central = first_central_entry(&archive);
    put_u16(&mut archive, central + 8, (1 << 11) | 1);
    let error = zip::read(&archive).unwrap_err();
    assert_eq!(
        error,
        ZipError::Encrypted {
            name: "secret.txt".into()
        }
    );
    assert!(error.to_string().contains("encrypted"), "{error}");
}

#[test]
fn zip64_and_split_archives_are_refused() {
    let archive = zip::write(&files(&[("a.txt", b"hello")])).unwrap();
    let mut zip64 = archive.clone();
    let central = first_central_entry(&zip64);
    put_u32(&mut zip64, central + 24, u32::MAX);
    assert_eq!(zip::read(&zip64), Err(ZipError::Zip64));
    assert!(ZipError::Zip64.to_string().contains("ZIP64"));

    let mut split = archive;
    let end = end_record(&split);
    put_u16(&mut split, end + 4, 1);
    assert_eq!(zip::read(&split), Err(ZipError::MultiDisk));
}

#[test]
fn other_compression_methods_are_refused_by_name() {
    let mut archive = zip::write(&files(&[("a.txt", b"hello")])).unwrap();
    let central = first_central_entry(&archive);
    put_u16(&mut archive, central + 10, 12); // bzip2
    let error = zip::read(&archive).unwrap_err();
    assert_eq!(
        error,
        ZipError::UnsupportedMethod {
            name: "a.txt".into(),
            method: 12
        }
    );
    assert!(error.to_string().contains("method 12"), "{error}");
}

#[test]
fn a_deflated_entry_never_inflates_past_its_declared_size() {
    // A zip bomb's trick: declare little, inflate to a lot. Inflating stops at the declared size.
    let contents = vec![b'a'; 1 << 20];
    let lying = deflated_archive("bomb.txt", &contents, 1000);
    assert!(matches!(
        zip::read(&lying),
        Err(ZipError::SizeMismatch { name, declared: 1000, .. }) if name == "bomb.txt"
    ));
    // Declaring more than it holds is caught too.
    let short = deflated_archive("short.txt", b"abc", 10);
    assert_eq!(
        zip::read(&short),
        Err(ZipError::SizeMismatch {
            name: "short.txt".into(),
            declared: 10,
            actual: 3
        })
    );
    // Corrupt deflate data is an inflate error, not a panic.
    let mut corrupt = deflated_archive("c.txt", b"hello hello hello", 17);
    corrupt[30 + 5] = 0xFF;
    corrupt[30 + 6] = 0xFF;
    assert!(zip::read(&corrupt).is_err());
}

#[test]
fn the_total_unpacked_size_is_capped() {
    let contents = vec![b'a'; 100_000];
    let archive = deflated_archive("big.txt", &contents, contents.len() as u32);
    assert_eq!(
        zip::read_with_limit(&archive, 99_999),
        Err(ZipError::TooLarge { limit: 99_999 })
    );
    assert!(zip::read_with_limit(&archive, 100_000).is_ok());
    // The cap counts every entry together.
    let two = zip::write(&files(&[("a", &[1; 600]), ("b", &[2; 600])])).unwrap();
    assert_eq!(
        zip::read_with_limit(&two, 1000),
        Err(ZipError::TooLarge { limit: 1000 })
    );
    // The default cap refuses a header claiming 4 GiB before inflating anything.
    let claims_4_gib = deflated_archive("huge.txt", b"tiny", u32::MAX - 1);
    assert!(matches!(
        zip::read(&claims_4_gib),
        Err(ZipError::TooLarge { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------------------------

fn file_name() -> impl Strategy<Value = String> {
    // Any name that is not a folder (folders are skipped on reading).
    "[a-zA-Z0-9_. é北😀/-]{0,12}[a-zA-Z0-9_.é北😀-]"
}

proptest! {
    #[test]
    fn read_of_write_is_identity(
        input in prop::collection::vec((file_name(), prop::collection::vec(any::<u8>(), 0..300)), 0..8)
    ) {
        let archive = zip::write(&input).unwrap();
        prop_assert_eq!(zip::read(&archive), Ok(input));
    }

    #[test]
    fn reading_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = zip::read(&bytes);
    }

    #[test]
    fn reading_an_archive_ending_in_arbitrary_bytes_never_panics(
        bytes in prop::collection::vec(any::<u8>(), 0..100),
        entries in any::<u16>(),
        size in any::<u32>(),
        offset in any::<u32>(),
        comment in any::<u16>(),
    ) {
        // Arbitrary bytes rarely contain an end record; this puts one there with random fields.
        let mut archive = bytes;
        archive.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        for field in [0u16, 0, entries, entries] {
            archive.extend_from_slice(&field.to_le_bytes());
        }
        archive.extend_from_slice(&size.to_le_bytes());
        archive.extend_from_slice(&offset.to_le_bytes());
        archive.extend_from_slice(&comment.to_le_bytes());
        let _ = zip::read(&archive);
    }

    #[test]
    fn reading_damaged_archives_never_panics(
        which in 0usize..2,
        at in any::<prop::sample::Index>(),
        replacement in prop::collection::vec(any::<u8>(), 1..6),
    ) {
        let mut archive = if which == 0 {
            fixture("python-deflated.zip")
        } else {
            zip::write(&files(&[("a.txt", b"hello"), ("b/c.ann", b"T1\tQuote 0 5\thello\n")])).unwrap()
        };
        let start = at.index(archive.len());
        for (i, byte) in replacement.into_iter().enumerate() {
            if let Some(slot) = archive.get_mut(start + i) {
                *slot = byte;
            }
        }
        if let Ok(entries) = zip::read(&archive) {
            // Whatever it returns passed the CRC check.
            for (_, contents) in entries {
                prop_assert!(contents.len() <= zip::MAX_UNCOMPRESSED_BYTES);
            }
        }
    }
}
