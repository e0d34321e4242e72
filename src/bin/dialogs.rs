//! The dialogs module: the schema editor ("Labels & relations",
//! `article_annotator::schema_editor`), the import with its review
//! (`article_annotator::import_review`), the exports to dataset formats
//! (`article_annotator::export_run`), the relation arcs (`article_annotator::relation_arcs`), the
//! Compare dialog (`article_annotator::compare_dialog`) and the suggestions with their review (`article_annotator::suggestion_review`) and the Fix text
//! dialog (`article_annotator::text_fix_dialog`), the guidelines panel
//! (`article_annotator::guidelines_panel`) and the find bar (`article_annotator::find_bar`), which the page
//! loads the first time the user opens the settings or the Export menu, picks or drops files,
//! opens an article with relations, or asks for suggestions. Its exports are all the page calls. They live here, in the
//! binary, so that the page's own module does not export (and carry) them.

use wasm_bindgen::prelude::*;

/// Renders the schema editor into `host` for `request` (an `EditorRequest`). `on_apply` is
/// called with a `SchemaChange`, `on_close` when the dialog has closed; the page then calls
/// [`close`].
#[wasm_bindgen]
pub fn open_schema_editor(
    host: web_sys::Element,
    request: JsValue,
    on_apply: js_sys::Function,
    on_close: js_sys::Function,
) -> Result<(), JsValue> {
    article_annotator::schema_editor::mount::open(host, request, on_apply, on_close)
        .map_err(|problem| JsValue::from_str(&problem))
}

/// Imports `files` (an array of `File`s): reads them, shows the review in `host`, and calls
/// `on_end` with how the import ended (an `Imported`, a failure's message, or `undefined` when
/// cancelled). `copies` is called with the ids of the
/// documents read and returns the library's copies (`Carried`) of those it has. The page calls
/// [`close`] once the import is over.
#[wasm_bindgen]
pub fn import_files(
    host: web_sys::Element,
    files: JsValue,
    copies: js_sys::Function,
    on_end: js_sys::Function,
) {
    article_annotator::import_review::session::start(host, &files, copies, on_end);
}

/// Writes the file the export `job` (a `Job::Export`) asks for in this module's formats worker
/// and downloads it. The promise resolves to `undefined` once the download is handed to the
/// browser, or to the message to show when nothing was exported.
#[wasm_bindgen]
pub fn export_file(job: JsValue) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        Ok(article_annotator::export_run::run(job)
            .await
            .err()
            .map_or(JsValue::UNDEFINED, |message| JsValue::from_str(&message)))
    })
}

/// "Export all": every article (`documents`, an array of `Carried`) with the label `schema`,
/// in the native format, downloaded. `undefined` once the download is handed to the browser,
/// else the message to show.
#[wasm_bindgen]
pub fn export_all(documents: JsValue, schema: String) -> JsValue {
    article_annotator::export_run::export_all(documents, &schema)
        .err()
        .map_or(JsValue::UNDEFINED, |message| JsValue::from_str(&message))
}

/// Draws the guidelines panel in `host` for `request` (`[schema, label, locked]`, see
/// `guidelines_panel::mount::show`), or brings it up to date; `on_save` gets the text saved.
#[wasm_bindgen]
pub fn show_guidelines(
    host: web_sys::Element,
    request: JsValue,
    on_save: js_sys::Function,
) -> Result<(), JsValue> {
    article_annotator::guidelines_panel::mount::show(host, &request, on_save)
        .map_err(|problem| JsValue::from_str(&problem))
}

/// Takes the guidelines panel out of `host`.
#[wasm_bindgen]
pub fn hide_guidelines(host: &web_sys::Element) {
    article_annotator::guidelines_panel::mount::hide(host);
}

/// Draws the Export menu in `host` beside the page's Export `button` for `request`
/// (`[documents, schema, active, from_end]`, see `export_menu::mount::open`); `container` holds
/// both. `on_close` is called when the menu wants to close, `on_failed` with the message of an
/// export that failed.
#[wasm_bindgen]
pub fn open_export_menu(
    host: web_sys::Element,
    request: JsValue,
    button: web_sys::Element,
    container: web_sys::Element,
    on_close: js_sys::Function,
    on_failed: js_sys::Function,
    on_sign: js_sys::Function,
) -> Result<(), JsValue> {
    article_annotator::export_menu::mount::open(
        host, &request, button, container, on_close, on_failed, on_sign,
    )
    .map_err(|problem| JsValue::from_str(&problem))
}

/// Takes the Export menu down.
#[wasm_bindgen]
pub fn close_export_menu() {
    article_annotator::export_menu::mount::close();
}

/// Opens the Compare dialog in `host`; when it closes it takes itself and `host` down. `on_gold`
/// gets a gold article as a `File`, for the page to import as if the user had picked it.
/// `_request` is unused: every dialog is opened with one.
#[wasm_bindgen]
pub fn open_compare(host: web_sys::Element, _request: JsValue, on_gold: js_sys::Function) {
    article_annotator::compare_dialog::mount::open(host, on_gold);
}

/// Opens the annotator's name dialog in `host` (from the page's Annotator button). It takes
/// itself and its host down when it closes; the name reaches the page through
/// `browser::annotator_name`.
#[wasm_bindgen]
pub fn open_annotator(host: web_sys::Element, _request: JsValue) {
    use article_annotator::annotator_dialog::{dialog::Asked, mount};
    mount::open(host, Asked::Settings, 0, |_| {});
}

/// Takes down whichever dialog is open (nothing happens when none is).
#[wasm_bindgen]
pub fn close() {
    article_annotator::annotator_dialog::mount::close();
    article_annotator::compare_dialog::mount::close();
    article_annotator::schema_editor::mount::close();
    article_annotator::import_review::session::stop();
    article_annotator::suggestion_review::panel::close();
    article_annotator::text_fix_dialog::mount::close();
}

/// Opens the Fix text dialog in `host` for `request` (a `Carried` document). `on_change` gets
/// the document each change made (`Carried`), `on_close` nothing when the dialog has closed;
/// the page then calls [`close`].
#[wasm_bindgen]
pub fn open_text_fix(
    host: web_sys::Element,
    request: JsValue,
    on_change: js_sys::Function,
    on_close: js_sys::Function,
) -> Result<(), JsValue> {
    article_annotator::text_fix_dialog::mount::open(host, &request, on_change, on_close)
        .map_err(|problem| JsValue::from_str(&problem))
}

/// Runs "Tag all" for `request` (a `SuggestRequest`) at once; answers what it found, in words.
/// `on_accept` is called with the spans the user accepts (`Accepted`s).
#[wasm_bindgen]
pub fn suggest(request: JsValue, on_accept: js_sys::Function) -> Result<String, JsValue> {
    article_annotator::suggestion_review::session::suggest(None, request, on_accept, None)
        .map_err(|problem| JsValue::from_str(&problem))
}

/// Opens the Suggest dialog in `host` for `request`; `on_close` gets what a run found, in words
/// (empty when closed without one), and the page then calls [`close`].
#[wasm_bindgen]
pub fn open_suggest_dialog(
    host: web_sys::Element,
    request: JsValue,
    on_accept: js_sys::Function,
    on_close: js_sys::Function,
) -> Result<(), JsValue> {
    article_annotator::suggestion_review::session::suggest(
        Some(host),
        request,
        on_accept,
        Some(on_close),
    )
    .map(|_| ())
    .map_err(|problem| JsValue::from_str(&problem))
}

/// The page drew article `id` in `article`, with `host` under it: draws its suggestions and
/// their review there, or nothing when it has none.
#[wasm_bindgen]
pub fn show_suggestions(host: web_sys::Element, article: web_sys::Element, id: String) {
    article_annotator::suggestion_review::session::show(host, article, id);
}

/// Takes the review out of `host` (the article view is going away).
#[wasm_bindgen]
pub fn hide_suggestions(host: &web_sys::Element) {
    article_annotator::suggestion_review::session::hide(host);
}

/// Draws the relations `request` (an `ArcsRequest`) asks for over the article whose box holds
/// `host`, replacing what was drawn.
#[wasm_bindgen]
pub fn draw_relation_arcs(host: web_sys::Element, request: JsValue) -> Result<(), JsValue> {
    article_annotator::relation_arcs::mount::draw(host, request)
        .map_err(|problem| JsValue::from_str(&problem))
}

/// Removes the arcs drawn in `host`, and their listeners.
#[wasm_bindgen]
pub fn clear_relation_arcs(host: &web_sys::Element) {
    article_annotator::relation_arcs::mount::clear(host);
}

/// Renders nothing: the app [`main`] mounts once and takes down.
#[yew::component]
fn Nothing() -> yew::Html {
    yew::Html::default()
}

/// Yew numbers the apps of each wasm instance from 1, and marks what each app draws with its
/// number; the page's app is number 1 of the page's instance. An app of this module numbered 1
/// too, drawn inside the page (the Export menu, the suggestions' bar), would be taken by the
/// page's event handling for its own: a click in it would run whichever page handler has the
/// same number (found as a click on the Export menu's first entry tagging "Tag all"). So number
/// 1 is used up here, before anything is drawn, by an app that draws nothing.
fn main() {
    if let Some(host) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.create_element("div").ok())
    {
        yew::Renderer::<Nothing>::with_root(host).render().destroy();
    }
}
