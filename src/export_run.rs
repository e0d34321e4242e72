//! An export, in the dialogs module: the page hands over the export job (its documents as
//! storage encodes them, the schema, the format and the file name's base); this module's formats
//! worker writes the file and this module hands it to the browser as a download. "Export all"
//! (every article in the native format, the backup) is written here without the worker, so it
//! needs one module fetched, not two. The page keeps only the buttons: the writers, the
//! worker's client and the job's answer stay out of its first load.

use annotator_core::formats::catalogue::ExportFormat;
use annotator_core::formats::job::{self, Carried, ExportOutcome, Outcome};
use wasm_bindgen::JsValue;

use crate::browser::download::download_bytes;
use crate::browser::formats_client;

/// The base of "Export all"'s file name (`all-articles.annotations.json`).
pub const ALL_ARTICLES: &str = "all-articles";

/// Writes every article the page handed over (`documents`, `Carried` as storage encodes them,
/// with `schema` as `job::carry_schema` carries it) in the native format and downloads it.
///
/// # Errors
/// The message the page shows when nothing was exported.
pub fn export_all(documents: JsValue, schema: &str) -> Result<(), String> {
    let failed = |why: String| format!("Nothing was exported: {why}.");
    let carried: Vec<Carried> = serde_wasm_bindgen::from_value(documents)
        .map_err(|e| failed(format!("the articles did not cross intact ({e})")))?;
    match job::export(ExportFormat::Native, &carried, schema, ALL_ARTICLES) {
        Outcome::Exported(file) => download_bytes(&file.name, &file.mime, &file.bytes),
        Outcome::Failed(problem) => Err(failed(problem)),
        Outcome::NotRead(_) | Outcome::Read(_) => Err(failed("the writer answered a read".into())),
    }
}

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
