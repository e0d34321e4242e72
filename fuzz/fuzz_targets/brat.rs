//! The brat import never panics: arbitrary bytes as a zip, and as a .txt + .ann pair.
#![no_main]

use annotator_core::formats::brat;
use annotator_core::model::Timestamp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let now = Timestamp::from_unix_millis(0);
    let _ = brat::import_zip(data, now);
    if let Ok(text) = std::str::from_utf8(data) {
        // The first line is the text, the rest the annotations: both halves get arbitrary input.
        let (txt, ann) = text.split_once('\n').unwrap_or((text, ""));
        let _ = brat::import_pair("doc.txt", txt, ann, now);
    }
});
