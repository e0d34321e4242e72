//! The doccano import never panics, in either offset unit, and neither does the unit guess.
#![no_main]

use annotator_core::formats::dataset::OffsetUnit;
use annotator_core::formats::doccano;
use annotator_core::model::Timestamp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = doccano::guess_unit(text);
        for unit in [OffsetUnit::CodePoint, OffsetUnit::Utf16] {
            let _ = doccano::import(text, unit, Timestamp::from_unix_millis(0));
        }
    }
});
