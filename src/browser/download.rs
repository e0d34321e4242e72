//! Offers a string to the user as a file download (Blob + object URL + a clicked `<a download>`).

use wasm_bindgen::JsCast;

/// Starts the download of `contents` as `file_name`.
///
/// # Errors
/// A message for the user when the browser refuses to build the file.
pub fn download(file_name: &str, mime: &str, contents: &str) -> Result<(), String> {
    download_bytes(file_name, mime, contents.as_bytes())
}

/// Starts the download of `bytes` as `file_name`.
///
/// # Errors
/// A message for the user when the browser refuses to build the file.
pub fn download_bytes(file_name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let fail = |what: &str| format!("Could not prepare the download ({what}).");
    let window = web_sys::window().ok_or_else(|| fail("no window"))?;
    let document = window.document().ok_or_else(|| fail("no document"))?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| fail("the file could not be built"))?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("no object URL"))?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| fail("no link element"))?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // Revoking at once can cancel the download in some browsers; a minute later is safe.
    gloo::timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
