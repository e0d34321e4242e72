//! Loads the dialogs module on first use and opens a dialog in a host element of its own, or
//! hands it the relation arcs to draw. The module (`src/bin/dialogs.rs`, built by Trunk as
//! `dialogs.js` and `dialogs_bg.wasm`) is an ES module the page imports when the user first opens
//! the label settings or imports a file, or when an article with relations is open; later uses
//! reuse it. One dialog is open at a time: both are modal.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Element;

use super::deferred_drop::drop_after_frame;
use super::js_error::describe;
use crate::formats_worker::to_js;
use crate::import_review::protocol::ImportEnd;
use crate::relation_arcs::protocol::ArcsRequest;
use crate::schema_editor::protocol::{EditorRequest, SchemaChange};
use crate::state::AppState;
use crate::suggestion_review::protocol::{decode_accepted, Rule};
use annotator_core::formats::job::{self, Carried, Job};
use annotator_core::model::suggestions::Suggestion;
use annotator_core::model::Document;

/// The script that loads the module and hands it over (assets/dialogs-loader.js), next to
/// index.html, and the events it sends.
const LOADER: &str = "dialogs-loader.js";
const LOADED: &str = "dialogs-loaded";
const FAILED: &str = "dialogs-failed";

/// The dialog while it is open: its host element and the callbacks it holds.
struct Opened {
    host: Element,
    _callbacks: Vec<Box<dyn Any>>,
}

/// A callback handed to the module, and what keeps it alive while the dialog is open.
type Kept = (JsValue, Box<dyn Any>);

fn kept<T: ?Sized + 'static>(closure: Closure<T>) -> Kept {
    (closure.as_ref().clone(), Box::new(closure))
}

thread_local! {
    static MODULE: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    /// The module while it loads: everyone who needs it meanwhile waits for this one load.
    static LOADING: RefCell<Option<Promise>> = const { RefCell::new(None) };
    /// The arcs to draw once the module has loaded (the latest asked for wins).
    static ARCS_WAITING: RefCell<Option<(Element, ArcsRequest)>> = const { RefCell::new(None) };
    static ATTEMPTS: Cell<u32> = const { Cell::new(0) };
    static OPENED: RefCell<Option<Opened>> = const { RefCell::new(None) };
    /// Where the page last drew the open article ([`show_suggestions`]), said again to the
    /// module once a run has given it something to draw (it may have loaded since).
    static SHOWN: RefCell<Option<(Element, Element, String)>> = const { RefCell::new(None) };
    /// Bumped by [`close`]: an import asked for while the module loads is not started when the
    /// dialog was closed (the import cancelled) meanwhile.
    static CLOSED: Cell<u32> = const { Cell::new(0) };
}

/// Opens the schema editor for `request`. `on_apply` gets the change the user applied;
/// `on_close` runs once the dialog has closed and the editor is taken down.
///
/// # Errors
/// A message for the user when the module cannot be loaded or refuses the request.
pub async fn open_schema_editor(
    request: &EditorRequest,
    on_apply: impl Fn(SchemaChange) + 'static,
    on_close: impl Fn() + 'static,
) -> Result<(), String> {
    let module = module().await?;
    let request =
        to_js(request).map_err(|e| format!("the settings could not be handed over ({e})"))?;
    let on_apply = Closure::<dyn Fn(JsValue)>::new(move |change: JsValue| {
        if let Ok(change) = serde_wasm_bindgen::from_value::<SchemaChange>(change) {
            on_apply(change);
        }
    });
    let on_close = Rc::new(on_close);
    let on_close = Closure::<dyn Fn()>::new(move || {
        // The editor calls this from its own event handler: it is taken down once that is over.
        let on_close = Rc::clone(&on_close);
        Timeout::new(0, move || {
            close();
            on_close();
        })
        .forget();
    });
    mount(
        &module,
        "open_schema_editor",
        &request,
        vec![kept(on_apply), kept(on_close)],
    )
}

/// What the page answers an import asking for the library's copies of documents (by id).
pub type CopiesOf = Box<dyn Fn(Vec<String>) -> Vec<Carried>>;

/// Hands `files` to the module's import, unless the import is cancelled while the module loads.
/// `copies_of` answers with the library's copies of documents read; `on_end` gets how the
/// import ended. The page calls [`close`] once it is over.
///
/// # Errors
/// A message for the user when the module cannot be loaded or refuses the files.
pub async fn run_import(
    files: Vec<web_sys::File>,
    copies_of: CopiesOf,
    on_end: Box<dyn Fn(ImportEnd)>,
) -> Result<(), String> {
    let closed = CLOSED.with(Cell::get);
    let module = module().await?;
    if CLOSED.with(Cell::get) != closed {
        return Ok(());
    }
    let files: js_sys::Array = files.into_iter().collect();
    // `null` when the ids cannot be read: the module then says the files could not be compared.
    let copies_of = Closure::<dyn Fn(JsValue) -> JsValue>::new(move |ids: JsValue| {
        serde_wasm_bindgen::from_value(ids)
            .ok()
            .and_then(|ids| to_js(&copies_of(ids)).ok())
            .unwrap_or(JsValue::NULL)
    });
    let on_end = Closure::<dyn Fn(JsValue)>::new(move |end: JsValue| {
        let end = if end.is_undefined() {
            ImportEnd::Cancelled
        } else if let Some(message) = end.as_string() {
            ImportEnd::Failed(message)
        } else {
            serde_wasm_bindgen::from_value(end).map_or_else(
                |e| {
                    ImportEnd::Failed(format!(
                        "Nothing was imported: the documents did not cross intact ({e})."
                    ))
                },
                ImportEnd::Imported,
            )
        };
        on_end(end);
    });
    mount(
        &module,
        "import_files",
        &files,
        vec![kept(copies_of), kept(on_end)],
    )
}

/// Has the module write and download the file the export `job` asks for (in its own formats
/// worker).
///
/// # Errors
/// The message for the user when nothing was exported.
pub async fn run_export(job: &Job) -> Result<(), String> {
    let failed = |why: String| format!("Nothing was exported: {why}.");
    let module = module().await.map_err(failed)?;
    let run = export(&module, "export_file")
        .ok_or_else(|| failed("the dialogs module cannot export".into()))?;
    let job =
        to_js(job).map_err(|e| failed(format!("the documents could not be handed over ({e})")))?;
    let answer = run
        .call1(&module, &job)
        .and_then(|promise| promise.dyn_into::<Promise>());
    let answer = match answer {
        Ok(promise) => JsFuture::from(promise).await,
        Err(e) => Err(e),
    }
    .map_err(|e| failed(describe(&e)))?;
    answer.as_string().map_or(Ok(()), Err)
}

/// "Export all": every article, in the native format, written and downloaded by the module.
///
/// # Errors
/// The message for the user when nothing was exported.
pub async fn export_all(state: &AppState) -> Result<(), String> {
    let failed = |why: String| format!("Nothing was exported: {why}.");
    let carried: Vec<Carried> = state
        .documents
        .iter()
        .map(|d| Carried::new(&d.document))
        .collect();
    let documents = to_js(&carried)
        .map_err(|e| failed(format!("the articles could not be handed over ({e})")))?;
    let schema = JsValue::from_str(&job::carry_schema(&state.schema));
    let module = module().await.map_err(failed)?;
    let write = export(&module, "export_all")
        .ok_or_else(|| failed("the dialogs module cannot export".into()))?;
    let answer = write
        .call2(&module, &documents, &schema)
        .map_err(|e| failed(describe(&e)))?;
    answer.as_string().map_or(Ok(()), Err)
}

/// Draws the guidelines panel in `host`, or brings it up to date: `request` is the schema as
/// storage encodes it, the selected annotation's label (or "") and why the schema cannot be
/// changed (or ""). `on_save` gets the text the user saves.
///
/// # Errors
/// A message for the user when the module cannot be loaded or refuses the request.
pub async fn show_guidelines(
    host: Element,
    request: [String; 3],
    on_save: impl Fn(String) + 'static,
) -> Result<(), String> {
    let module = module().await?;
    let show = export(&module, "show_guidelines").ok_or("the dialogs module has no guidelines")?;
    let on_save = Closure::<dyn Fn(JsValue)>::new(move |text: JsValue| {
        if let Some(text) = text.as_string() {
            on_save(text);
        }
    });
    let request: js_sys::Array = request.iter().map(|part| JsValue::from_str(part)).collect();
    show.call3(&module, &host, &request, on_save.as_ref())
        .map_err(|e| describe(&e))?;
    // Kept until the next call replaces it: the panel calls the latest.
    let previous = GUIDELINES_SAVE.with(|kept| kept.replace(Some(on_save)));
    drop_after_frame(previous);
    Ok(())
}

/// Takes the guidelines panel out of `host` (nothing to do when the module never loaded).
pub fn hide_guidelines(host: &Element) {
    if let Some(module) = MODULE.with(|module| module.borrow().clone()) {
        if let Some(hide) = export(&module, "hide_guidelines") {
            let _ = hide.call1(&module, host);
        }
    }
}

/// A callback the module calls with one value.
type JsCallback = Closure<dyn Fn(JsValue)>;

thread_local! {
    /// What the suggestions call with the spans the user accepts; replaced with each request
    /// (the module keeps the latest).
    static ON_ACCEPT: RefCell<Option<JsCallback>> = const { RefCell::new(None) };
    /// What the guidelines panel calls with the text the user saved.
    static GUIDELINES_SAVE: RefCell<Option<JsCallback>> = const { RefCell::new(None) };
}

/// The callback the suggestions call with what the user accepted.
fn accept_callback(on_accept: impl Fn(Vec<Suggestion>) + 'static) -> JsValue {
    let closure = Closure::<dyn Fn(JsValue)>::new(move |value: JsValue| {
        let accepted = js_sys::Array::from(&value)
            .iter()
            .filter_map(|words| decode_accepted(&words.as_string()?))
            .collect();
        on_accept(accepted);
    });
    let js = closure.as_ref().clone();
    ON_ACCEPT.with(|kept| *kept.borrow_mut() = Some(closure));
    js
}

/// What the suggestions are handed: the rule in words, then for each article (the open one
/// first) its id, its text and its tagged spans, one `S E LABEL` per line
/// (`suggestion_review::protocol`). Plain strings: a 1 MB article crosses as one copy, not as
/// storage's JSON written here and parsed there.
fn suggest_request(rule: &Rule, documents: &[&Document]) -> JsValue {
    let request = js_sys::Array::of1(&JsValue::from_str(&rule.encode()));
    for document in documents {
        let mut tagged = String::new();
        for a in document.annotations() {
            let (start, end) = (a.range.start().get(), a.range.end().get());
            tagged.push_str(&format!("{start} {end} {}\n", a.label.as_str()));
        }
        request.push(&JsValue::from_str(document.id.as_str()));
        request.push(&JsValue::from_str(document.text().as_str()));
        request.push(&JsValue::from_str(&tagged));
    }
    request.into()
}

/// Runs "Tag all" (`rule`) over `documents` in the module, which then shows the review under
/// the article; `on_accept` gets what the user accepts. Answers what was found, in words.
///
/// # Errors
/// A message for the user when the module cannot be loaded or refuses the request.
pub async fn run_tag_all(
    rule: &Rule,
    documents: &[&Document],
    on_accept: impl Fn(Vec<Suggestion>) + 'static,
) -> Result<String, String> {
    let request = suggest_request(rule, documents);
    let module = module().await?;
    let suggest = export(&module, "suggest").ok_or("the dialogs module cannot suggest")?;
    let answer = suggest
        .call2(&module, &request, &accept_callback(on_accept))
        .map_err(|e| describe(&e))?;
    if let Some((host, article, id)) = SHOWN.with(|shown| shown.borrow().clone()) {
        show_suggestions(&host, &article, &id);
    }
    Ok(answer.as_string().unwrap_or_default())
}

/// Opens the Suggest dialog (`rule`) for `documents`. `on_accept` gets what the user accepts in
/// the review; `on_close` what a run found, in words (empty when closed without one).
///
/// # Errors
/// A message for the user when the module cannot be loaded or refuses the request.
pub async fn open_suggest_dialog(
    rule: &Rule,
    documents: &[&Document],
    on_accept: impl Fn(Vec<Suggestion>) + 'static,
    on_close: impl Fn(String) + 'static,
) -> Result<(), String> {
    let request = suggest_request(rule, documents);
    let module = module().await?;
    let on_close = Rc::new(on_close);
    let on_close = Closure::<dyn Fn(JsValue)>::new(move |summary: JsValue| {
        // Called from the dialog's own event handler: it is taken down once that is over.
        let on_close = Rc::clone(&on_close);
        Timeout::new(0, move || {
            close();
            on_close(summary.as_string().unwrap_or_default());
        })
        .forget();
    });
    let on_accept = (accept_callback(on_accept), Box::new(()) as Box<dyn Any>);
    mount(
        &module,
        "open_suggest_dialog",
        &request,
        vec![on_accept, kept(on_close)],
    )
}

/// Opens the Fix text dialog for `document`: its text to edit and its orphans to place or
/// delete. The document crosses as storage's entries. `on_change` gets each change the user
/// makes there: the document it was made from (the one opened, then the one the previous change
/// made) and the document it made, which alone crosses back.
///
/// # Errors
/// A message for the user when the module cannot be loaded or refuses the request.
pub async fn open_text_fix(
    document: Rc<Document>,
    on_change: impl Fn(Rc<Document>, Rc<Document>) + 'static,
) -> Result<(), String> {
    let request = to_js(&Carried::new(&document))
        .map_err(|e| format!("the article could not be handed over ({e})"))?;
    let module = module().await?;
    let base = RefCell::new(document);
    let on_change = Closure::<dyn Fn(JsValue)>::new(move |after: JsValue| {
        let after = serde_wasm_bindgen::from_value::<Carried>(after)
            .map_err(|e| e.to_string())
            .and_then(|carried| carried.document());
        if let Ok(after) = after {
            let after = Rc::new(after);
            let before = base.replace(Rc::clone(&after));
            on_change(before, after);
        }
    });
    let on_close = Closure::<dyn Fn()>::new(|| {
        // Called from the dialog's own event handler: it is taken down once that is over.
        Timeout::new(0, close).forget();
    });
    mount(
        &module,
        "open_text_fix",
        &request,
        vec![kept(on_change), kept(on_close)],
    )
}

/// Opens the Compare dialog (annotators' files, their agreement and its adjudication). The
/// module takes the dialog and its host down itself when it closes; a gold article it makes
/// comes back as a `File` for `import` (what Import… does with a picked file). Without `import`,
/// opens the annotator's name dialog instead (one opener for both keeps the first load small;
/// the name comes back through `browser::annotator_name`).
///
/// # Errors
/// A message for the user when the module cannot be loaded or refuses the request.
pub async fn open_compare(import: Option<yew::Callback<Vec<web_sys::File>>>) -> Result<(), String> {
    let (opener, callbacks) = match import {
        Some(import) => {
            let on_gold = Closure::<dyn Fn(JsValue)>::new(move |file: JsValue| {
                import.emit(vec![file.unchecked_into()]);
            });
            ("open_compare", vec![kept(on_gold)])
        }
        None => ("open_annotator", Vec::new()),
    };
    mount(&module().await?, opener, &JsValue::NULL, callbacks)
}

thread_local! {
    /// The callbacks of the Export menu opened last.
    static EXPORT_MENU: RefCell<Vec<Box<dyn Any>>> = const { RefCell::new(Vec::new()) };
}

/// Has the module draw the Export menu in `host` (`[host, button, container]`: the box beside
/// the Export button, the button, and the box around both) for every article of `state`.
/// `on_close` is called when the menu wants to close; `on_failed` with the message of an export
/// that failed; `on_sign` with the name the person signed the unnamed annotations with.
///
/// # Errors
/// A message for the user when the module cannot be loaded or refuses the request.
pub async fn open_export_menu(
    state: &AppState,
    from_end: bool,
    [host, button, container]: [Element; 3],
    on_close: impl Fn() + 'static,
    on_failed: impl Fn(String) + 'static,
    on_sign: impl Fn(String) + 'static,
) -> Result<(), String> {
    let carried: Vec<Carried> = state
        .documents
        .iter()
        .map(|d| Carried::new(&d.document))
        .collect();
    let active = state
        .active
        .as_ref()
        .and_then(|id| state.documents.iter().position(|d| &d.document.id == id))
        .map_or(-1.0, |at| at as f64);
    let request = js_sys::Array::of4(
        &to_js(&carried).map_err(|e| format!("the articles could not be handed over ({e})"))?,
        &JsValue::from_str(&job::carry_schema(&state.schema)),
        &JsValue::from_f64(active),
        &JsValue::from_bool(from_end),
    );
    let module = module().await?;
    let open = export(&module, "open_export_menu").ok_or("the dialogs module has no menu")?;
    let on_close = Closure::<dyn Fn()>::new(on_close);
    let on_failed = Closure::<dyn Fn(JsValue)>::new(move |message: JsValue| {
        on_failed(message.as_string().unwrap_or_default());
    });
    let on_sign = Closure::<dyn Fn(JsValue)>::new(move |name: JsValue| {
        on_sign(name.as_string().unwrap_or_default());
    });
    let arguments = js_sys::Array::of5(&host, &request, &button, &container, on_close.as_ref());
    arguments.push(on_failed.as_ref());
    arguments.push(on_sign.as_ref());
    // Kept until the next opening replaces them: an export the menu started reports its failure
    // after the menu has closed.
    let previous = EXPORT_MENU.with(|kept| {
        kept.replace(vec![
            Box::new(on_close) as Box<dyn Any>,
            Box::new(on_failed),
            Box::new(on_sign),
        ])
    });
    drop_after_frame(previous);
    open.apply(&module, &arguments)
        .map(|_| ())
        .map_err(|e| describe(&e))
}

/// Takes the Export menu down (nothing happens when it is not open).
pub fn close_export_menu() {
    if let Some(module) = MODULE.with(|module| module.borrow().clone()) {
        if let Some(close) = export(&module, "close_export_menu") {
            let _ = close.call0(&module);
        }
    }
}

/// The page drew article `id` in `article`, with `host` under it: the module (when loaded;
/// without it there are no suggestions) draws that article's suggestions and review there.
pub fn show_suggestions(host: &Element, article: &Element, id: &str) {
    SHOWN.with(|shown| *shown.borrow_mut() = Some((host.clone(), article.clone(), id.to_owned())));
    if let Some(module) = MODULE.with(|module| module.borrow().clone()) {
        if let Some(show) = export(&module, "show_suggestions") {
            let arguments = js_sys::Array::of3(host, article, &JsValue::from_str(id));
            let _ = show.apply(&module, &arguments);
        }
    }
}

/// Takes the review out of `host`.
pub fn hide_suggestions(host: &Element) {
    SHOWN.with(|shown| {
        if shown.borrow().as_ref().is_some_and(|(h, _, _)| h == host) {
            shown.borrow_mut().take();
        }
    });
    if let Some(module) = MODULE.with(|module| module.borrow().clone()) {
        if let Some(hide) = export(&module, "hide_suggestions") {
            let _ = hide.call1(&module, host);
        }
    }
}

/// Calls the module's `opener` with a new host element, `request` and the callbacks.
fn mount(
    module: &JsValue,
    opener: &str,
    request: &JsValue,
    callbacks: Vec<Kept>,
) -> Result<(), String> {
    let open = export(module, opener).ok_or("the dialogs module cannot open it")?;
    let body = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .ok_or("the page has no body")?;
    close();
    let host = body
        .owner_document()
        .ok_or("the page has no document")?
        .create_element("div")
        .map_err(|e| describe(&e))?;
    body.append_child(&host).map_err(|e| describe(&e))?;
    let arguments = js_sys::Array::of2(&host, request);
    let mut kept = Vec::with_capacity(callbacks.len());
    for (callback, keep) in callbacks {
        arguments.push(&callback);
        kept.push(keep);
    }
    OPENED.with(|opened| {
        *opened.borrow_mut() = Some(Opened {
            host,
            _callbacks: kept,
        });
    });
    if let Err(e) = open.apply(module, &arguments) {
        close();
        return Err(format!("it could not be opened ({})", describe(&e)));
    }
    Ok(())
}

/// Starts loading the module, so that a dialog about to be needed opens without waiting (a
/// failure here is retried when the dialog opens).
pub fn warm_up() {
    wasm_bindgen_futures::spawn_local(async {
        let _ = module().await;
    });
}

/// Draws the relation arcs `request` asks for in `host` (an empty box in the article's box):
/// now if the module is loaded, else once it is. A module that cannot be loaded draws nothing;
/// the side panel names every relation in words anyway.
pub fn draw_arcs(host: Element, request: ArcsRequest) {
    if let Some(module) = MODULE.with(|module| module.borrow().clone()) {
        call_arcs(&module, &host, &request);
        return;
    }
    let first = ARCS_WAITING.with(|waiting| waiting.replace(Some((host, request))).is_none());
    if first {
        wasm_bindgen_futures::spawn_local(async {
            let loaded = module().await;
            let Some((host, request)) = ARCS_WAITING.with(RefCell::take) else {
                return;
            };
            match loaded {
                Ok(module) => call_arcs(&module, &host, &request),
                Err(problem) => gloo::console::warn!(format!("Relation arcs: {problem}")),
            }
        });
    }
}

/// Removes the arcs drawn in `host` (nothing happens when there are none).
pub fn clear_arcs(host: &Element) {
    ARCS_WAITING.with(|waiting| {
        let mut waiting = waiting.borrow_mut();
        if waiting
            .as_ref()
            .is_some_and(|(waits_in, _)| waits_in == host)
        {
            *waiting = None;
        }
    });
    if let Some(module) = MODULE.with(|module| module.borrow().clone()) {
        if let Some(clear) = export(&module, "clear_relation_arcs") {
            let _ = clear.call1(&module, host);
        }
    }
}

/// Calls the module's `draw_relation_arcs`.
fn call_arcs(module: &JsValue, host: &Element, request: &ArcsRequest) {
    let Some(draw) = export(module, "draw_relation_arcs") else {
        return;
    };
    let drawn = to_js(request)
        .map_err(|e| JsValue::from_str(&e.to_string()))
        .and_then(|request| draw.call2(module, host, &request));
    if let Err(e) = drawn {
        gloo::console::warn!(format!("Relation arcs: {}", describe(&e)));
    }
}

/// The module's function `name`.
fn export(module: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(module, &JsValue::from_str(name))
        .ok()?
        .dyn_into()
        .ok()
}

/// Takes the open dialog down and removes its host (nothing happens when it is not open).
pub fn close() {
    CLOSED.with(|closed| closed.set(closed.get().wrapping_add(1)));
    let Some(opened) = OPENED.with(|o| o.borrow_mut().take()) else {
        return;
    };
    if let Some(module) = MODULE.with(|module| module.borrow().clone()) {
        if let Some(close) = export(&module, "close") {
            let _ = close.call0(&module);
        }
    }
    opened.host.remove();
    drop_after_frame(opened);
}

/// The module, loaded once.
async fn module() -> Result<JsValue, String> {
    if let Some(module) = MODULE.with(|module| module.borrow().clone()) {
        return Ok(module);
    }
    let loading = match LOADING.with(|loading| loading.borrow().clone()) {
        Some(loading) => loading,
        None => {
            let attempt = ATTEMPTS.with(|attempts| {
                attempts.set(attempts.get() + 1);
                attempts.get()
            });
            let loading = load_module(LOADER, (LOADED, FAILED), attempt)?;
            LOADING.with(|waiting| *waiting.borrow_mut() = Some(loading.clone()));
            loading
        }
    };
    let loaded = JsFuture::from(loading).await;
    LOADING.with(|loading| loading.borrow_mut().take());
    let module =
        loaded.map_err(|e| format!("its module could not be loaded ({})", describe(&e)))?;
    MODULE.with(|loaded| *loaded.borrow_mut() = Some(module.clone()));
    Ok(module)
}

/// Adds the `loader` script, which sends one of `events` (loaded, failed); the promise settles
/// with the module, or with why it failed. Each `attempt` gets a new address, since a browser
/// remembers a module script that failed. The team module loads the same way.
pub(crate) fn load_module(
    loader: &str,
    (loaded, failed): (&str, &str),
    attempt: u32,
) -> Result<Promise, String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let script = document
        .create_element("script")
        .map_err(|e| describe(&e))?;
    script
        .set_attribute("type", "module")
        .map_err(|e| describe(&e))?;
    script
        .set_attribute("src", &format!("{loader}?attempt={attempt}"))
        .map_err(|e| describe(&e))?;
    let head = document.head().ok_or("the page has no head")?;
    let mut problem = None;
    let promise = Promise::new(&mut |resolve, reject| {
        let listen = |target: &web_sys::EventTarget, name: &str, settle: Function, detail: bool| {
            let listener = EventListener::once(target, name.to_owned(), move |event| {
                let value = if detail {
                    event
                        .dyn_ref::<web_sys::CustomEvent>()
                        .map(web_sys::CustomEvent::detail)
                        .unwrap_or(JsValue::UNDEFINED)
                } else {
                    JsValue::from_str("its script could not be fetched")
                };
                let _ = settle.call1(&JsValue::NULL, &value);
            });
            listener.forget();
        };
        listen(&window, loaded, resolve, true);
        listen(&window, failed, reject.clone(), true);
        listen(&script, "error", reject, false);
        if let Err(e) = head.append_child(&script) {
            problem = Some(describe(&e));
        }
    });
    match problem {
        Some(problem) => Err(problem),
        None => Ok(promise),
    }
}
