//! The page's side of team mode. The team module (`src/bin/team.rs`, built as `team.js` and
//! `team_bg.wasm`) holds the link to the sync server and the shared copies; the page loads it
//! only when a team is joined, so the first load does not carry it.
//!
//! The page keeps, for each shared article, the version it last exchanged with the module
//! (`synced`). After each of the page's edits the records that changed since are pushed
//! ([`sync`]); records that changed on the server come back as an `Article` event and are
//! replayed on that version, which gives the team's version (`theirs`), merged into the page's
//! own like another tab's save (`model::take_in`, from `synced` as the base). So undo, two
//! tabs, export and import work on shared articles exactly as on local ones.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use annotator_core::model::shared_records::{changes_between, snapshot};
use annotator_core::model::{Document, DocumentId, OpenDocument, Schema};
use annotator_core::persist::schema_entry::{decode_schema, encode_schema};
use annotator_core::persist::stored::{decode_document, read_document, TextFingerprint};
use annotator_core::persist::ExternalChange;
use js_sys::{Function, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::UseReducerDispatcher;

use super::after_task::after_task;
use super::dialogs_client::load_module;
use super::js_error::describe;
use super::kept_selection;
use crate::state::{session_tag, Action, AppState, Notice, NoticeKind, SchemaAction, TeamAction};
use crate::team_link::messages::{LinkState, TeamSettings};

/// Where the settings of the joined team are kept, so a reload joins again. Outside the
/// library's prefix: a setting of this browser, never exported.
pub const SETTINGS_KEY: &str = "article-annotator-team";

const LOADER: &str = "team-loader.js";
const LOADED: &str = "team-loaded";
const FAILED: &str = "team-failed";

type Dispatcher = UseReducerDispatcher<AppState>;

/// A listener the module calls with its arguments in an array.
type Listener = Closure<dyn Fn(js_sys::Array)>;

/// The joined team, once its module has loaded.
struct Link {
    module: JsValue,
    /// Each shared article as the page last exchanged it with the module (a list: a team
    /// shares a handful, and the page's first load carries this).
    synced: Vec<Rc<Document>>,
    /// The label schema as last exchanged with the module: the corpus's, once it has told.
    schema: Option<Rc<Schema>>,
    /// Each shared article's text fingerprint, taken once: the text never changes, and hashing
    /// a 1 MB text for every update from the team cost a millisecond and more.
    fingerprints: Vec<(DocumentId, TextFingerprint)>,
    _listeners: [Listener; 3],
}

impl Link {
    fn synced(&self, id: &DocumentId) -> Option<&Rc<Document>> {
        self.synced.iter().find(|d| &d.id == id)
    }

    /// The fingerprint of shared article `document`'s text.
    fn fingerprint(&mut self, document: &Document) -> TextFingerprint {
        if let Some((_, known)) = self.fingerprints.iter().find(|(id, _)| *id == document.id) {
            return *known;
        }
        let fingerprint = TextFingerprint::of(document.text().as_str());
        self.fingerprints.push((document.id.clone(), fingerprint));
        fingerprint
    }

    /// Keeps `document` as the version last exchanged.
    fn keep(&mut self, document: Rc<Document>) {
        match self.synced.iter_mut().find(|d| d.id == document.id) {
            Some(slot) => *slot = document,
            None => self.synced.push(document),
        }
    }
}

thread_local! {
    static LINK: RefCell<Option<Link>> = const { RefCell::new(None) };
    static MODULE: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    static ATTEMPTS: Cell<u32> = const { Cell::new(0) };
    /// The library after the last render, until [`flush_sync`] pushes what changed in it.
    static PENDING_SYNC: RefCell<Option<Vec<OpenDocument>>> = const { RefCell::new(None) };
    /// The page's label schema ([`sync_schema`]): what a team joined later starts from.
    static SCHEMA: RefCell<Option<Rc<Schema>>> = const { RefCell::new(None) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The team this browser joined, if it did.
pub fn saved_settings() -> Option<TeamSettings> {
    TeamSettings::from_text(&storage()?.get_item(SETTINGS_KEY).ok()??)
}

fn save_settings(settings: Option<&TeamSettings>) {
    let Some(storage) = storage() else {
        return;
    };
    let _ = match settings {
        Some(settings) => storage.set_item(SETTINGS_KEY, &settings.to_text()),
        None => storage.remove_item(SETTINGS_KEY),
    };
}

async fn module() -> Result<JsValue, String> {
    if let Some(module) = MODULE.with(|m| m.borrow().clone()) {
        return Ok(module);
    }
    let attempt = ATTEMPTS.with(|a| {
        a.set(a.get() + 1);
        a.get()
    });
    let loading = load_module(LOADER, (LOADED, FAILED), attempt)?;
    let module = JsFuture::from(loading)
        .await
        .map_err(|e| format!("the team module could not be loaded ({})", describe(&e)))?;
    MODULE.with(|m| *m.borrow_mut() = Some(module.clone()));
    Ok(module)
}

fn call(module: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, String> {
    let function: Function = Reflect::get(module, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| format!("the team module has no {name}"))?;
    let array: js_sys::Array = args.iter().copied().collect();
    function
        .apply(&JsValue::NULL, &array)
        .map_err(|e| describe(&e))
}

fn notify(dispatch: &Dispatcher, kind: NoticeKind, message: String) {
    dispatch.dispatch(Action::Notify(Notice { kind, message }));
}

/// Opens **Join a team…** (in the team module); joining from it connects.
pub fn open_join_dialog(dispatch: Dispatcher) {
    wasm_bindgen_futures::spawn_local(async move {
        let module = match module().await {
            Ok(module) => module,
            Err(problem) => {
                notify(
                    &dispatch,
                    NoticeKind::Error,
                    format!("Cannot join a team: {problem}."),
                );
                return;
            }
        };
        // Beside <body>, not in it: the page's Yew listens for events at <body> and would take
        // the dialog's elements, marked by another Yew (the module's) with ids that mean other
        // elements in the page's, for its own.
        let Some(host) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| Some((d.create_element("div").ok()?, d.document_element()?)))
            .and_then(|(host, root)| root.append_child(&host).ok().map(|_| host))
        else {
            return;
        };
        let _ = host.set_attribute("class", "team-host");
        let joined = dispatch.clone();
        let on_join = Closure::once_into_js(move |settings: String| {
            if let Some(settings) = TeamSettings::from_text(&settings) {
                join(settings, joined);
            }
        });
        let defaults =
            JsValue::from_str(&saved_settings().map(|s| s.to_text()).unwrap_or_default());
        if let Err(problem) = call(&module, "open_join_dialog", &[&host, &defaults, &on_join]) {
            host.remove();
            notify(
                &dispatch,
                NoticeKind::Error,
                format!("Cannot join a team: {problem}."),
            );
        }
    });
}

/// Joins the team `settings` name (again, after a reload): keeps the settings, loads the module
/// and connects. What the link does from then on arrives as status events.
pub fn join(settings: TeamSettings, dispatch: Dispatcher) {
    leave_quietly();
    save_settings(Some(&settings));
    dispatch.dispatch(Action::Team(TeamAction::Joined {
        url: settings.url.clone(),
        corpus: settings.corpus.clone(),
        shared: settings.shared.clone(),
        tag: session_tag(js_sys::Math::random()),
    }));
    wasm_bindgen_futures::spawn_local(async move {
        let module = match module().await {
            Ok(module) => module,
            Err(problem) => {
                dispatch.dispatch(Action::Team(TeamAction::Status {
                    link: LinkState::Offline,
                    unsent: 0,
                    read_only: false,
                    message: Some(format!("Not connected: {problem}.")),
                    articles: settings.shared.clone(),
                }));
                return;
            }
        };
        let statuses = dispatch.clone();
        let on_status = Closure::<dyn Fn(js_sys::Array)>::new(move |args: js_sys::Array| {
            take_status(&args, &statuses);
        });
        let articles = dispatch.clone();
        let on_article = Closure::<dyn Fn(js_sys::Array)>::new(move |args: js_sys::Array| {
            take_article(&args, &articles);
        });
        let schemas = dispatch.clone();
        let on_schema = Closure::<dyn Fn(js_sys::Array)>::new(move |args: js_sys::Array| {
            take_schema(&args, &schemas);
        });
        let settings_js = JsValue::from_str(&settings.to_text());
        let schema = SCHEMA.with(|s| s.borrow().clone()).unwrap_or_default();
        let schema_js = JsValue::from_str(&encode_schema(&schema));
        let listeners = [on_status.as_ref(), on_article.as_ref(), on_schema.as_ref()];
        if let Err(problem) = call(
            &module,
            "connect",
            &[
                &settings_js,
                &schema_js,
                listeners[0],
                listeners[1],
                listeners[2],
            ],
        ) {
            notify(
                &dispatch,
                NoticeKind::Error,
                format!("Not connected: {problem}."),
            );
            return;
        }
        LINK.with(|link| {
            *link.borrow_mut() = Some(Link {
                module,
                synced: Vec::new(),
                schema: Some(schema),
                fingerprints: Vec::new(),
                _listeners: [on_status, on_article, on_schema],
            });
        });
    });
}

fn leave_quietly() {
    if let Some(link) = LINK.with(|link| link.borrow_mut().take()) {
        let _ = call(&link.module, "leave", &[]);
    }
}

/// Leaves the team: the connection closes, shared articles stay in the library as local ones.
pub fn leave(dispatch: &Dispatcher) {
    leave_quietly();
    save_settings(None);
    dispatch.dispatch(Action::Team(TeamAction::Left));
}

/// The link's state: `(state, unsent, read_only, message, articles)`.
fn take_status(args: &js_sys::Array, dispatch: &Dispatcher) {
    let link = args
        .get(0)
        .as_string()
        .and_then(|name| LinkState::from_name(&name))
        .unwrap_or(LinkState::Offline);
    let articles: Vec<String> = js_sys::Array::from(&args.get(4))
        .iter()
        .filter_map(|id| id.as_string())
        .collect();
    // An article taken out of the corpus (here or by another member) is a local one now.
    LINK.with(|link| {
        if let Some(link) = link.borrow_mut().as_mut() {
            link.synced
                .retain(|synced| articles.iter().any(|id| id == synced.id.as_str()));
        }
    });
    if let Some(mut settings) = saved_settings() {
        if settings.shared != articles {
            settings.shared = articles.clone();
            save_settings(Some(&settings));
        }
    }
    dispatch.dispatch(Action::Team(TeamAction::Status {
        link,
        unsent: args.get(1).as_f64().unwrap_or(0.0) as usize,
        read_only: args.get(2).as_bool().unwrap_or(false),
        message: args.get(3).as_string(),
        articles,
    }));
}

/// The team's version of an article: `(id, document entry, text entry or null, refused)`,
/// read as the page reads its own storage, and handed to the reducer to merge from the version
/// the page last exchanged.
///
/// While a press is selecting in the article it waits for the press to end
/// ([`kept_selection::after_drag`]): the page then neither renders under the drag nor pushes
/// (from a version it has not rendered) while it waits.
fn take_article(args: &js_sys::Array, dispatch: &Dispatcher) {
    let (Some(id), Some(entry)) = (args.get(0).as_string(), args.get(1).as_string()) else {
        return;
    };
    let text_entry = args.get(2).as_string();
    let refused = args.get(3).as_f64().unwrap_or(0.0) as usize;
    let dispatch = dispatch.clone();
    kept_selection::after_drag(move || {
        take_article_now(DocumentId::new(&id), &entry, text_entry, refused, &dispatch);
    });
}

fn take_article_now(
    id: DocumentId,
    entry: &str,
    text_entry: Option<String>,
    refused: usize,
    dispatch: &Dispatcher,
) {
    // The module's version must hold what the page changed: it is the base of the merge.
    flush_sync();
    let taken = LINK.with(|link| {
        let mut link = link.borrow_mut();
        let link = link.as_mut()?;
        let base = link.synced(&id).cloned();
        let stored = match (&text_entry, &base) {
            (Some(text), _) => decode_document(entry, Some(text)),
            (None, Some(base)) => {
                let fingerprint = link.fingerprint(base);
                read_document(entry).and_then(|entry| entry.with_text(base.text(), fingerprint))
            }
            (None, None) => return None,
        };
        Some(stored.map(|stored| {
            let theirs = Rc::new(stored.document);
            link.keep(Rc::clone(&theirs));
            (theirs, base)
        }))
    });
    if refused > 0 {
        notify(
            dispatch,
            NoticeKind::Error,
            format!(
                "{refused} record{} from the team could not be used (unreadable or outside the text) and {} left out; your copy is unharmed.",
                if refused == 1 { "" } else { "s" },
                if refused == 1 { "was" } else { "were" },
            ),
        );
    }
    match taken {
        None => {}
        Some(Err(problem)) => notify(
            dispatch,
            NoticeKind::Error,
            format!("A shared article from the team could not be read: {problem}."),
        ),
        Some(Ok((theirs, base))) => kept_selection::across_external_change(|| {
            dispatch.dispatch(Action::External(ExternalChange::Document {
                id,
                theirs: Some(theirs),
                base,
            }));
        }),
    }
}

/// Pushes what the page changed in shared articles since it last exchanged them: called after
/// every render that changed the library. The push runs once the task is over
/// ([`after_task`]), outside the edit's own script (the module's replay and Yjs encoding, and
/// the status it reports, cost about a millisecond on a 10,000-span article); the latest
/// library is what is pushed, and anything the team hands the page first waits for it
/// ([`flush_sync`]), so its merge never starts from a version the module has not been given.
pub fn sync(documents: Vec<OpenDocument>) {
    let first = PENDING_SYNC.with(|pending| pending.borrow_mut().replace(documents).is_none());
    if first {
        after_task(flush_sync);
    }
}

/// Pushes what [`sync`] left waiting, if anything.
fn flush_sync() {
    if let Some(documents) = PENDING_SYNC.with(|pending| pending.borrow_mut().take()) {
        sync_now(&documents);
    }
}

/// What [`sync`] does, now. The module is called with the link released: its status event
/// comes back at once, and the page's handler may need the link.
fn sync_now(documents: &[OpenDocument]) {
    let pushes = LINK.with(|link| {
        let mut link = link.borrow_mut();
        let link = link.as_mut()?;
        let mut pushes = Vec::new();
        // A shared article gone from the library was deleted here: it leaves the corpus.
        let (kept, deleted): (Vec<_>, Vec<_>) = std::mem::take(&mut link.synced)
            .into_iter()
            .partition(|synced| documents.iter().any(|open| open.document.id == synced.id));
        link.synced = kept;
        let unshares: Vec<JsValue> = deleted
            .iter()
            .map(|gone| JsValue::from_str(gone.id.as_str()))
            .collect();
        for open in documents {
            let current = &open.document;
            let Some(synced) = link.synced(&current.id) else {
                continue;
            };
            if Rc::ptr_eq(synced, current) {
                continue;
            }
            let changes = changes_between(synced, current);
            if !changes.is_empty() {
                let Ok(changes) = serde_json::to_string(&changes) else {
                    continue;
                };
                pushes.push((
                    JsValue::from_str(current.id.as_str()),
                    JsValue::from_str(&changes),
                ));
            }
            link.keep(Rc::clone(current));
        }
        Some((link.module.clone(), pushes, unshares))
    });
    if let Some((module, pushes, unshares)) = pushes {
        for (id, changes) in pushes {
            let _ = call(&module, "push", &[&id, &changes]);
        }
        for id in unshares {
            let _ = call(&module, "unshare", &[&id]);
        }
    }
}

/// Hands the team the page's label schema when it changed here: called with the schema after
/// each change of it (and at start-up, which a team joined later starts from).
pub fn sync_schema(schema: &Rc<Schema>) {
    SCHEMA.with(|s| *s.borrow_mut() = Some(Rc::clone(schema)));
    let module = LINK.with(|link| {
        let mut link = link.borrow_mut();
        let link = link.as_mut()?;
        if link.schema.as_deref() == Some(&**schema) {
            return None;
        }
        link.schema = Some(Rc::clone(schema));
        Some(link.module.clone())
    });
    if let Some(module) = module {
        let _ = call(
            &module,
            "set_schema",
            &[&JsValue::from_str(&encode_schema(schema))],
        );
    }
}

/// The corpus's label schema, as stored: it becomes the page's, as another tab's would.
fn take_schema(args: &js_sys::Array, dispatch: &Dispatcher) {
    let Some(entry) = args.get(0).as_string() else {
        return;
    };
    match decode_schema(&entry) {
        Ok(schema) => {
            LINK.with(|link| {
                if let Some(link) = link.borrow_mut().as_mut() {
                    link.schema = Some(Rc::new(schema.clone()));
                }
            });
            dispatch.dispatch(Action::Schema(SchemaAction::External(schema)));
        }
        Err(problem) => notify(
            dispatch,
            NoticeKind::Error,
            format!(
                "The team's label schema could not be read ({problem}); this page keeps its own."
            ),
        ),
    }
}

/// Shares a library article into the joined team's corpus.
pub fn share(document: &Rc<Document>, dispatch: &Dispatcher) {
    flush_sync();
    let module = LINK.with(|link| {
        let mut link = link.borrow_mut();
        let link = link.as_mut()?;
        link.keep(Rc::clone(document));
        Some(link.module.clone())
    });
    let shared = module.and_then(|module| {
        let records = JsValue::from_str(&serde_json::to_string(&snapshot(document)).ok()?);
        let id = JsValue::from_str(document.id.as_str());
        call(&module, "share", &[&id, &records]).ok()
    });
    match shared {
        Some(_) => dispatch.dispatch(Action::Team(TeamAction::Shared(document.id.clone()))),
        None => notify(
            dispatch,
            NoticeKind::Error,
            "Not shared: the team module is not loaded yet. Try again in a moment.".to_owned(),
        ),
    }
}
