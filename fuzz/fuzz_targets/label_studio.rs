//! The label_studio import never panics, whatever the bytes.
#![no_main]

use annotator_core::formats::label_studio;
use annotator_core::model::Timestamp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = label_studio::import(text, Timestamp::from_unix_millis(0));
    }
});
