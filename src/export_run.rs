//! An export, in the dialogs module: the page hands over the export job (its documents as
//! storage encodes them, the schema, the format and the file name's base); this module's formats
//! worker writes the file and this module hands it to the browser as a download. The page keeps
//! only the Export menu and the native writer ("Export all", the backup that must work even
//! when nothing can be fetched): the worker's client and the job's answer stay out of its first
//! load.

use annotator_core::formats::job::ExportOutcome;
use wasm_bindgen::JsValue;

use crate::browser::download::download_bytes;
use crate::browser::formats_client;

/// Writes and downloads the file `job` (a `Job::Export`, as it crossed from the page) asks
/// for. The job goes on to the worker as it came; the worker reads it (and says so when it
/// cannot).
///
/// # Errors
/// The message the page shows when nothing was exported.
pub async fn run(job: JsValue) -> Result<(), String> {
    match formats_client::run_crossed::<ExportOutcome>(job).await {
        Ok(ExportOutcome::Exported(file)) => download_bytes(&file.name, &file.mime, &file.bytes),
        Ok(ExportOutcome::Failed(problem)) | Err(problem) => {
            Err(format!("Nothing was exported: {problem}."))
        }
    }
}
