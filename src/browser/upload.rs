//! Reads files the user picked or dropped into memory, refusing oversized ones before reading a
//! byte. What the bytes mean is decided by the pure `export::detect`.

use wasm_bindgen_futures::JsFuture;

use annotator_core::formats::dataset::MAX_IMPORT_BYTES;
use annotator_core::formats::detect::InputFile;

const MIB: u64 = 1_048_576;

/// The files of a `FileList`, copied out (resetting a file input empties its list).
pub fn files_of(list: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Every file of `files`, read whole.
///
/// # Errors
/// A message for the user when the files are too big together or the browser cannot read one.
pub async fn read_files(files: Vec<web_sys::File>) -> Result<Vec<InputFile>, String> {
    // File sizes are JS numbers: whole, and far below 2^53.
    let total = files.iter().map(|f| f.size()).sum::<f64>() as u64;
    if total > MAX_IMPORT_BYTES as u64 {
        // Tenths of a MiB in integers: float printing would bring its tables into the bundle.
        let tenths = total.saturating_mul(10).saturating_add(MIB / 2) / MIB;
        return Err(format!(
            "the file is {}.{} MB; files over {} MB are refused (localStorage holds about 10 MB)",
            tenths / 10,
            tenths % 10,
            MAX_IMPORT_BYTES as u64 / MIB
        ));
    }
    let mut read = Vec::with_capacity(files.len());
    for file in files {
        let name = file.name();
        let buffer = JsFuture::from(file.array_buffer())
            .await
            .map_err(|_| format!("the browser could not read “{name}”"))?;
        read.push(InputFile {
            name,
            bytes: js_sys::Uint8Array::new(&buffer).to_vec(),
        });
    }
    Ok(read)
}
