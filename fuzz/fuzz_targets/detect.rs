//! Format detection and the import of whatever it detects never panic, as when a user drops an
//! arbitrary file on the page.
#![no_main]

use annotator_core::formats::dataset::OffsetUnit;
use annotator_core::formats::detect::{detect, parse, InputFile};
use annotator_core::model::Timestamp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let files = [InputFile {
        name: "dropped".into(),
        bytes: data.to_vec(),
    }];
    if let Ok(format) = detect(&files) {
        let _ = parse(&files, format, OffsetUnit::Utf16, Timestamp::from_unix_millis(0));
    }
});
