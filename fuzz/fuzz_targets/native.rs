//! The native JSON import never panics, whatever the bytes.
#![no_main]

use annotator_core::formats::native;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = native::import(text);
    }
});
