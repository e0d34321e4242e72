//! The link to a team's sync server: one WebSocket to a Hocuspocus server carrying a
//! [`Session`] per shared document: the corpus's index (its articles, by id) and each article.
//!
//! The page pushes what it changed; each push is applied to the article's replica and sent when
//! connected. While the connection is down the replicas keep every change; on reconnect each
//! session's sync exchange sends the server what it lacks and takes what others did meanwhile.
//! The link tries again by itself (after 0.5 s, then up to every 5 s) until the server refuses
//! the token, which only a new Join changes.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use annotator_core::model::shared_records::{
    apply_changes, document_from_records, SharedChanges, TITLE,
};
use annotator_core::model::{Document, DocumentId, Timestamp};
use annotator_core::persist::stored::{encode_document, encode_text, TextFingerprint};
use annotator_team::protocol;
use annotator_team::session::{Event, Session};
use annotator_team::{Changes, Limits, Replica, SharedMap};
use gloo::timers::callback::Timeout;
use js_sys::{Function, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

use super::messages::{LinkState, TeamSettings};
use super::offline_copy::{self, Kept};

const FIRST_RETRY_MS: u32 = 500;
/// The key of the corpus's label schema in its index, beside the article ids (which never
/// start with `@`): the schema as the page stores it (`persist::schema_entry`), one record, so
/// two people changing it at once end with one whole schema, by the same rule as annotations.
pub const SCHEMA_KEY: &str = "@schema";
/// How long after a change the copies are kept: a burst of edits is written once.
const KEEP_AFTER_MS: u32 = 1_000;
const LAST_RETRY_MS: u32 = 5_000;

/// One shared document on the link.
struct Shared {
    session: Session,
    /// The page has been given all of it once (an article with its text entry).
    announced: bool,
    synced: bool,
    /// The state vector the server last said it stored (empty: nothing known stored).
    stored: Vec<u8>,
    /// The removals the server last said it stored (a Yjs snapshot; empty: none known).
    stored_deletions: Vec<u8>,
    /// Shared from this page and not yet stored by the server: a refusal then means the
    /// article never reached the corpus.
    sharing: bool,
    /// The article as the page last exchanged it: pushes are replayed on it, and so are the
    /// server's records, which gives the version the page merges in.
    mirror: Option<Document>,
    /// The fingerprint of the mirror's text, taken once (the text never changes).
    fingerprint: Option<TextFingerprint>,
}

impl Shared {
    /// A document on the link that nothing has been exchanged of yet.
    fn new(session: Session) -> Self {
        Self {
            session,
            announced: false,
            synced: false,
            stored: Vec::new(),
            stored_deletions: Vec::new(),
            sharing: false,
            mirror: None,
            fingerprint: None,
        }
    }
}

struct Link {
    settings: TeamSettings,
    /// The page's listeners: `(state, unsent, read_only, message, articles)`,
    /// `(id, document_entry, text_entry, refused)` and `(schema_entry)`.
    on_status: Function,
    on_article: Function,
    on_schema: Function,
    /// The page's label schema, as stored: the corpus gets it when it has none yet.
    schema: String,
    socket: Option<WebSocket>,
    /// The corpus's index first (named after the corpus), then each article (`corpus/id`).
    documents: BTreeMap<String, Shared>,
    state: LinkState,
    read_only: bool,
    message: Option<String>,
    retry_ms: u32,
    retry: Option<Timeout>,
    /// Documents changed since their copies were last kept ([`offline_copy`]), and the timer
    /// that keeps them.
    dirty: BTreeSet<String>,
    saving: Option<Timeout>,
    /// The corpus's schema as last handed to the page or taken from it.
    schema_exchanged: Option<String>,
    /// Events for the page, handed over once the link is no longer borrowed ([`flush`]): the
    /// page's handler may push at once, which borrows the link again.
    outbox: Vec<Outgoing>,
    /// What the socket's handlers need; dropped with the socket.
    _handlers: Vec<Box<dyn std::any::Any>>,
}

/// What the page is told.
enum Outgoing {
    Status {
        state: LinkState,
        unsent: usize,
        read_only: bool,
        message: Option<String>,
        articles: Vec<String>,
    },
    /// The team's version of an article, as a storage entry (with its text entry the first
    /// time), and how many of the records behind it were refused.
    Article {
        id: String,
        entry: String,
        text: Option<String>,
        refused: usize,
    },
    /// The corpus's label schema, as stored.
    Schema(String),
}

thread_local! {
    static LINK: RefCell<Option<Link>> = const { RefCell::new(None) };
}

fn article_name(corpus: &str, id: &str) -> String {
    format!("{corpus}/{id}")
}

/// The storage entry of `document`, as the page's storage would hold it (the text apart).
fn entry_of(document: &Document, fingerprint: TextFingerprint) -> String {
    encode_document(document, fingerprint, now(), "team", None, &[])
}

/// A session for document `name` over a new replica.
fn new_session(name: String, token: String) -> Session {
    Session::new(name, token, Replica::new(client_id()), Limits::default())
}

fn client_id() -> u64 {
    // Yjs draws its client ids from 53 bits; each page load is a client of its own.
    (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64
}

fn changes_from(shared: SharedChanges) -> Changes {
    Changes {
        annotations: shared.annotations,
        relations: shared.relations,
        article: shared.article,
    }
}

fn shared_from(changes: Changes) -> SharedChanges {
    SharedChanges {
        annotations: changes.annotations,
        relations: changes.relations,
        article: changes.article,
    }
}

/// Connects to the team `settings` names; the page hears the link's state through `on_status`
/// and the team's version of each article through `on_article`; `schema` is the page's label
/// schema, which the corpus gets when it has none, and the corpus's comes through `on_schema`.
///
/// # Errors
/// A sentence for the user when the settings cannot be read.
pub fn connect(
    settings: &str,
    schema: String,
    on_status: Function,
    on_article: Function,
    on_schema: Function,
) -> Result<(), String> {
    let settings = TeamSettings::from_text(settings)
        .ok_or_else(|| "the team settings could not be read".to_owned())?;
    close();
    let mut documents = BTreeMap::new();
    let token = settings.token.clone();
    let new_session = |name: String| new_session(name, token.clone());
    documents.insert(
        settings.corpus.clone(),
        // The index has nothing to announce: its articles are listed as they come.
        Shared {
            announced: true,
            ..Shared::new(new_session(settings.corpus.clone()))
        },
    );
    for id in &settings.shared {
        let name = article_name(&settings.corpus, id);
        documents.insert(name.clone(), Shared::new(new_session(name)));
    }
    let names: Vec<String> = documents.keys().cloned().collect();
    LINK.with(|link| {
        *link.borrow_mut() = Some(Link {
            settings,
            on_status,
            on_article,
            on_schema,
            schema,
            schema_exchanged: None,
            socket: None,
            documents,
            state: LinkState::Connecting,
            read_only: false,
            message: None,
            retry_ms: FIRST_RETRY_MS,
            retry: None,
            outbox: Vec::new(),
            dirty: BTreeSet::new(),
            saving: None,
            _handlers: Vec::new(),
        });
    });
    flush();
    // The copies kept before a reload first: the page gets its shared articles as they were,
    // offline too, and the sync exchange then sends the server what it lacks of them.
    wasm_bindgen_futures::spawn_local(async move {
        let kept = offline_copy::load(&names).await;
        with_link(|link| link.restore(kept));
        open_socket();
    });
    Ok(())
}

/// Closes the connection and forgets the team, with the copies kept of its documents.
pub fn leave() {
    close();
    wasm_bindgen_futures::spawn_local(offline_copy::clear());
}

/// Closes the connection; the kept copies stay.
fn close() {
    if let Some(mut link) = LINK.with(|link| link.borrow_mut().take()) {
        link.retry = None;
        link.saving = None;
        if let Some(socket) = link.socket.take() {
            // Its close event comes later, when a new link may be up: it must not reach that.
            socket.set_onopen(None);
            socket.set_onmessage(None);
            socket.set_onclose(None);
            let _ = socket.close();
        }
    }
}

/// Applies the page's changes to shared article `id` and sends them when connected.
///
/// # Errors
/// A sentence when the changes cannot be read or the article is not shared.
pub fn push(id: &str, changes: &str) -> Result<(), String> {
    let changes: SharedChanges = serde_json::from_str(changes)
        .map_err(|e| format!("the changes could not be read ({e})"))?;
    with_link(|link| {
        let name = article_name(&link.settings.corpus, id);
        let shared = link
            .documents
            .get_mut(&name)
            .ok_or_else(|| format!("article {id} is not shared"))?;
        if let Some(mirror) = &shared.mirror {
            shared.mirror = Some(apply_changes(mirror, &changes, now()).document);
        }
        if let Some(frame) = shared.session.local(&changes_from(changes)) {
            link.send(&frame);
        }
        link.changed(&name);
        link.report();
        Ok(())
    })
    .unwrap_or_else(|| Err("no team is joined".to_owned()))
}

fn now() -> Timestamp {
    Timestamp::from_unix_millis(js_sys::Date::now() as i64)
}

/// Shares article `id` of the library: `records` hold all of it, and the corpus's index
/// gains it.
///
/// # Errors
/// As [`push`].
pub fn share(id: &str, records: &str) -> Result<(), String> {
    let records: SharedChanges = serde_json::from_str(records)
        .map_err(|e| format!("the article could not be read ({e})"))?;
    let mirror = document_from_records(DocumentId::new(id), &records, now())
        .map_err(|e| e.to_string())?
        .document;
    with_link(|link| {
        if link.read_only {
            return Err("your token only reads".to_owned());
        }
        let title = records
            .article
            .iter()
            .find(|(key, _)| key == TITLE)
            .and_then(|(_, value)| value.clone());
        let entry = serde_json::json!({ "title": title.and_then(|t| serde_json::from_str::<String>(&t).ok()) });
        let name = article_name(&link.settings.corpus, id);
        let mut session = new_session(name.clone(), link.settings.token.clone());
        // Written before the session opens: its sync exchange sends it all.
        let _ = session.local(&changes_from(records));
        let connected = link.socket_open();
        let frames = if connected { session.on_open() } else { Vec::new() };
        link.documents.insert(
            name,
            Shared {
                announced: true,
                sharing: true,
                mirror: Some(mirror),
                ..Shared::new(session)
            },
        );
        for frame in frames {
            link.send(&frame);
        }
        let corpus = link.settings.corpus.clone();
        if let Some(index) = link.documents.get_mut(&corpus) {
            let listed = Changes {
                article: vec![(id.to_owned(), Some(entry.to_string()))],
                ..Changes::default()
            };
            if let Some(frame) = index.session.local(&listed) {
                link.send(&frame);
            }
        }
        link.changed(&corpus);
        link.changed(&article_name(&corpus, id));
        link.report();
        Ok(())
    })
    .unwrap_or_else(|| Err("no team is joined".to_owned()))
}

/// Takes article `id` out of the corpus (the page deleted it): no member's list has it any
/// more, and each keeps their copy as a local article.
///
/// # Errors
/// A sentence when the token only reads or no team is joined.
pub fn unshare(id: &str) -> Result<(), String> {
    with_link(|link| {
        if link.read_only {
            return Err("your token only reads".to_owned());
        }
        link.unlist(id);
        link.report();
        Ok(())
    })
    .unwrap_or_else(|| Err("no team is joined".to_owned()))
}

/// Makes `entry` (a label schema as stored) the corpus's, unless the token only reads.
pub fn set_schema(entry: String) {
    with_link(|link| {
        link.schema = entry;
        if !link.read_only {
            link.write_schema(false);
        }
    });
}

/// Keeps the copies of the documents changed since they were last kept.
fn keep_copies() {
    let copies = with_link(|link| {
        link.saving = None;
        let dirty = std::mem::take(&mut link.dirty);
        dirty
            .into_iter()
            .filter_map(|name| {
                let shared = link.documents.get(&name)?;
                let kept = Kept {
                    state: shared.session.replica().save(),
                    stored: shared.stored.clone(),
                    deletions: shared.stored_deletions.clone(),
                };
                Some((name, kept))
            })
            .collect::<Vec<_>>()
    });
    if let Some(copies) = copies.filter(|c| !c.is_empty()) {
        wasm_bindgen_futures::spawn_local(offline_copy::save(copies));
    }
}

/// Runs `f` on the link, then hands the page the events it queued.
fn with_link<T>(f: impl FnOnce(&mut Link) -> T) -> Option<T> {
    let result = LINK.with(|link| link.borrow_mut().as_mut().map(f));
    flush();
    result
}

/// Hands the page the queued events, with the link not borrowed.
fn flush() {
    let Some((events, on_status, on_article, on_schema)) = LINK.with(|link| {
        let mut link = link.borrow_mut();
        let link = link.as_mut()?;
        Some((
            std::mem::take(&mut link.outbox),
            link.on_status.clone(),
            link.on_article.clone(),
            link.on_schema.clone(),
        ))
    }) else {
        return;
    };
    for event in events {
        let _ = match event {
            Outgoing::Status {
                state,
                unsent,
                read_only,
                message,
                articles,
            } => {
                let articles: js_sys::Array =
                    articles.iter().map(|a| JsValue::from_str(a)).collect();
                let message = message.map_or(JsValue::NULL, |m| JsValue::from_str(&m));
                on_status.call1(
                    &JsValue::NULL,
                    &js_sys::Array::of5(
                        &JsValue::from_str(state.name()),
                        &JsValue::from_f64(unsent as f64),
                        &JsValue::from_bool(read_only),
                        &message,
                        &articles,
                    ),
                )
            }
            Outgoing::Article {
                id,
                entry,
                text,
                refused,
            } => on_article.call1(
                &JsValue::NULL,
                &js_sys::Array::of4(
                    &JsValue::from_str(&id),
                    &JsValue::from_str(&entry),
                    &text.map_or(JsValue::NULL, |t| JsValue::from_str(&t)),
                    &JsValue::from_f64(refused as f64),
                ),
            ),
            Outgoing::Schema(entry) => on_schema.call1(
                &JsValue::NULL,
                &js_sys::Array::of1(&JsValue::from_str(&entry)),
            ),
        };
    }
}

fn open_socket() {
    let Some(url) = with_link(|link| link.settings.url.clone()) else {
        return;
    };
    let socket = match WebSocket::new(&url) {
        Ok(socket) => socket,
        Err(_) => {
            with_link(|link| {
                link.state = LinkState::Rejected;
                link.message = Some(format!(
                    "“{url}” is not a server address this browser can open."
                ));
                link.report();
            });
            return;
        }
    };
    socket.set_binary_type(BinaryType::Arraybuffer);
    let on_open = Closure::<dyn Fn()>::new(opened);
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| {
        if let Ok(buffer) = event.data().dyn_into::<js_sys::ArrayBuffer>() {
            received(&Uint8Array::new(&buffer).to_vec());
        }
    });
    let on_close = Closure::<dyn Fn(CloseEvent)>::new(|event: CloseEvent| closed(&event.reason()));
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    with_link(|link| {
        link.socket = Some(socket);
        link._handlers = vec![Box::new(on_open), Box::new(on_message), Box::new(on_close)];
    });
}

fn opened() {
    with_link(|link| {
        link.state = LinkState::Syncing;
        link.retry_ms = FIRST_RETRY_MS;
        let frames: Vec<Vec<u8>> = link
            .documents
            .values_mut()
            .flat_map(|shared| {
                shared.synced = false;
                shared.session.on_open()
            })
            .collect();
        for frame in frames {
            link.send(&frame);
        }
        link.report();
    });
}

fn closed(reason: &str) {
    let retry = with_link(|link| {
        link.socket = None;
        for shared in link.documents.values_mut() {
            shared.session.on_close();
        }
        if link.state == LinkState::Rejected {
            return false;
        }
        link.state = LinkState::Offline;
        if !reason.is_empty() {
            link.message = Some(format!("The server closed the connection: {reason}"));
        }
        link.report();
        let wait = link.retry_ms;
        link.retry_ms = (link.retry_ms * 2).min(LAST_RETRY_MS);
        link.retry = Some(Timeout::new(wait, open_socket));
        true
    });
    let _ = retry;
}

fn received(frame: &[u8]) {
    with_link(|link| {
        let Ok((name, _)) = protocol::decode(frame) else {
            // Not a frame of the protocol: nothing to take from it.
            return;
        };
        let Some(shared) = link.documents.get_mut(&name) else {
            return;
        };
        let reaction = match shared.session.on_frame(frame) {
            Ok(reaction) => reaction,
            Err(problem) => {
                link.message = Some(format!(
                    "An update from the server was refused and nothing of it kept ({problem})."
                ));
                link.report();
                return;
            }
        };
        for frame in &reaction.send {
            link.send(frame);
        }
        let is_index = name == link.settings.corpus;
        if !reaction.events.is_empty() {
            link.changed(&name);
        }
        for event in reaction.events {
            link.take(&name, is_index, event);
        }
        link.report();
    });
}

impl Link {
    /// Writes the page's schema into the corpus's index: always, or (`if_missing`) only when
    /// the corpus has none yet, as when it was just made.
    fn write_schema(&mut self, if_missing: bool) {
        let corpus = self.settings.corpus.clone();
        let Some(index) = self.documents.get_mut(&corpus) else {
            return;
        };
        let current = index.session.replica().get(SharedMap::Article, SCHEMA_KEY);
        if current.as_deref() == Some(self.schema.as_str()) || (if_missing && current.is_some()) {
            return;
        }
        self.schema_exchanged = Some(self.schema.clone());
        let written = Changes {
            article: vec![(SCHEMA_KEY.to_owned(), Some(self.schema.clone()))],
            ..Changes::default()
        };
        if let Some(frame) = index.session.local(&written) {
            self.send(&frame);
        }
        self.changed(&corpus);
        self.report();
    }

    /// Takes article `id` out of the corpus's index and drops it from the link.
    fn unlist(&mut self, id: &str) {
        let corpus = self.settings.corpus.clone();
        self.forget(&article_name(&corpus, id));
        if let Some(index) = self.documents.get_mut(&corpus) {
            let unlisted = Changes {
                article: vec![(id.to_owned(), None)],
                ..Changes::default()
            };
            if let Some(frame) = index.session.local(&unlisted) {
                self.send(&frame);
            }
        }
        self.changed(&corpus);
    }

    /// Drops shared article `name` from the link, with its kept copy.
    fn forget(&mut self, name: &str) {
        if self.documents.remove(name).is_some() {
            self.dirty.remove(name);
            wasm_bindgen_futures::spawn_local(offline_copy::forget(vec![name.to_owned()]));
        }
    }

    /// Drops the articles the corpus's index no longer lists, once it is in step with the
    /// server: those taken out while this page was away.
    fn forget_unlisted(&mut self) {
        let corpus = self.settings.corpus.clone();
        let Some(index) = self.documents.get(&corpus) else {
            return;
        };
        let listed: BTreeSet<String> = index
            .session
            .replica()
            .snapshot()
            .article
            .into_iter()
            .filter(|(id, entry)| entry.is_some() && !id.starts_with('@'))
            .map(|(id, _)| article_name(&corpus, &id))
            .collect();
        let gone: Vec<String> = self
            .documents
            .keys()
            .filter(|name| **name != corpus && !listed.contains(*name))
            .cloned()
            .collect();
        for name in gone {
            self.forget(&name);
        }
    }

    /// Takes in the copies kept before a reload, for documents nothing has touched since.
    fn restore(&mut self, kept: Vec<(String, Kept)>) {
        let mut restored = Vec::new();
        for (name, kept) in kept {
            let Some(shared) = self.documents.get_mut(&name) else {
                continue;
            };
            if shared.mirror.is_some() || !shared.session.replica().is_empty() {
                continue;
            }
            let Ok(replica) = Replica::from_saved(client_id(), &kept.state) else {
                continue;
            };
            shared.session = Session::new(
                name.clone(),
                self.settings.token.clone(),
                replica,
                Limits::default(),
            );
            shared.stored = kept.stored;
            shared.stored_deletions = kept.deletions;
            restored.push(name);
        }
        for name in restored {
            if name == self.settings.corpus {
                let listed = self
                    .documents
                    .get(&name)
                    .map(|s| s.session.replica().snapshot())
                    .unwrap_or_default();
                self.list(&listed);
            } else {
                self.announce(&name);
            }
        }
        self.report();
    }

    /// Notes that document `name` changed: its copy is kept a moment later.
    fn changed(&mut self, name: &str) {
        self.dirty.insert(name.to_owned());
        if self.saving.is_none() {
            self.saving = Some(Timeout::new(KEEP_AFTER_MS, keep_copies));
        }
    }

    fn socket_open(&self) -> bool {
        self.socket
            .as_ref()
            .is_some_and(|s| s.ready_state() == WebSocket::OPEN)
    }

    fn send(&self, frame: &[u8]) {
        if let (true, Some(socket)) = (self.socket_open(), &self.socket) {
            let _ = socket.send_with_u8_array(frame);
        }
    }

    fn emit(&mut self, event: Outgoing) {
        self.outbox.push(event);
    }

    /// The corpus's articles, by id.
    fn articles(&self) -> Vec<String> {
        let prefix = format!("{}/", self.settings.corpus);
        self.documents
            .keys()
            .filter_map(|name| name.strip_prefix(&prefix))
            .map(str::to_owned)
            .collect()
    }

    fn report(&mut self) {
        let unsent = self
            .documents
            .values()
            .map(|shared| {
                let replica = shared.session.replica();
                replica
                    .missing_from(&shared.stored)
                    .saturating_add(replica.removals_missing_from(&shared.stored_deletions))
            })
            .sum();
        self.emit(Outgoing::Status {
            state: self.state,
            unsent,
            read_only: self.read_only,
            message: self.message.clone(),
            articles: self.articles(),
        });
    }

    fn take(&mut self, name: &str, is_index: bool, event: Event) {
        match event {
            Event::Authenticated { read_only } => self.read_only = read_only,
            Event::Denied { reason } => {
                self.state = LinkState::Rejected;
                self.message = Some(if reason.is_empty() {
                    "The server refused this token for this corpus.".to_owned()
                } else {
                    format!("The server refused the token: {reason}")
                });
                self.retry = None;
                if let Some(socket) = self.socket.take() {
                    let _ = socket.close();
                }
            }
            Event::Refused { message } => {
                let refused_share = self.documents.get(name).is_some_and(|s| s.sharing);
                if refused_share {
                    // Nothing of it reached the corpus: it leaves the index again, and the page
                    // keeps it as a local article.
                    let title = self
                        .documents
                        .get(name)
                        .and_then(|s| s.mirror.as_ref())
                        .map(|m| m.title.clone())
                        .unwrap_or_default();
                    self.message = Some(format!(
                        "“{title}” was not shared: the server refused it ({message}). It stays here as a local article."
                    ));
                    let id = self.id_of(name).to_owned();
                    self.unlist(&id);
                } else {
                    self.message = Some(format!("The server refused a change: {message}"));
                }
            }
            Event::Stored {
                stored_state_vector,
                stored_deletions,
                ..
            } => {
                if let Some(shared) = self.documents.get_mut(name) {
                    shared.stored_deletions = stored_deletions;
                    // Shared once the server has stored all of it (it may store the empty
                    // document first).
                    shared.sharing &=
                        shared.session.replica().missing_from(&stored_state_vector) > 0;
                    shared.stored = stored_state_vector;
                }
            }
            Event::Acknowledged { .. } | Event::Stateless { .. } => {}
            Event::Closed { reason } => {
                // A refusal comes as a message, then a close with the same words: say it once.
                if !self
                    .message
                    .as_deref()
                    .is_some_and(|m| m.ends_with(&reason))
                {
                    self.message = Some(format!("The server closed a shared article: {reason}"));
                }
            }
            Event::Synced => {
                if let Some(shared) = self.documents.get_mut(name) {
                    shared.synced = true;
                }
                if is_index {
                    self.forget_unlisted();
                    if !self.read_only {
                        self.write_schema(true);
                    }
                } else {
                    self.announce(name);
                }
                if self.state == LinkState::Syncing && self.documents.values().all(|s| s.synced) {
                    self.state = LinkState::Connected;
                }
            }
            Event::Remote(changes) => {
                if is_index {
                    self.list(&changes);
                } else if self.documents.get(name).is_some_and(|s| s.announced) {
                    self.pass_on(name, &shared_from(changes));
                } else {
                    self.announce(name);
                }
            }
        }
    }

    fn id_of<'a>(&self, name: &'a str) -> &'a str {
        name.strip_prefix(&self.settings.corpus)
            .and_then(|rest| rest.strip_prefix('/'))
            .unwrap_or(name)
    }

    /// Replays the server's `changes` of article `name` on the page's version and hands the
    /// page the result.
    fn pass_on(&mut self, name: &str, changes: &SharedChanges) {
        let id = self.id_of(name).to_owned();
        let Some(shared) = self.documents.get_mut(name) else {
            return;
        };
        let Some(mirror) = shared.mirror.as_mut() else {
            return;
        };
        let applied = apply_changes(mirror, changes, now());
        *mirror = applied.document;
        let fingerprint = *shared
            .fingerprint
            .get_or_insert_with(|| TextFingerprint::of(mirror.text().as_str()));
        let entry = entry_of(mirror, fingerprint);
        self.emit(Outgoing::Article {
            id,
            entry,
            text: None,
            refused: applied.refused,
        });
    }

    /// Hands the page all of article `name` the first time it has any of it.
    fn announce(&mut self, name: &str) {
        let id = self.id_of(name).to_owned();
        let Some(shared) = self.documents.get_mut(name) else {
            return;
        };
        if shared.announced {
            return;
        }
        let whole = shared_from(shared.session.replica().snapshot());
        if whole.article.is_empty() {
            // Nothing of it has arrived yet: its text comes with its first records.
            return;
        }
        shared.announced = true;
        let applied = match document_from_records(DocumentId::new(&id), &whole, now()) {
            Ok(applied) => applied,
            Err(problem) => {
                self.message = Some(format!("A shared article could not be read: {problem}."));
                return;
            }
        };
        let text = encode_text(applied.document.text().as_str(), now());
        let fingerprint = TextFingerprint::of(applied.document.text().as_str());
        let entry = entry_of(&applied.document, fingerprint);
        shared.fingerprint = Some(fingerprint);
        shared.mirror = Some(applied.document);
        self.emit(Outgoing::Article {
            id,
            entry,
            text: Some(text),
            refused: applied.refused,
        });
    }

    /// Opens a session for each article the corpus's index lists and this link lacks.
    fn list(&mut self, changes: &Changes) {
        let known: BTreeSet<String> = self.documents.keys().cloned().collect();
        let open = self.socket_open();
        for (id, entry) in &changes.article {
            if id == SCHEMA_KEY {
                if let Some(schema) = entry
                    .as_ref()
                    .filter(|s| self.schema_exchanged.as_ref() != Some(*s))
                {
                    self.schema_exchanged = Some(schema.clone());
                    self.emit(Outgoing::Schema(schema.clone()));
                }
                continue;
            }
            let name = article_name(&self.settings.corpus, id);
            if entry.is_none() && known.contains(&name) {
                // Taken out of the corpus by a member: the page keeps its copy as a local one.
                self.forget(&name);
                continue;
            }
            if id.starts_with('@') || entry.is_none() || known.contains(&name) {
                continue;
            }
            let mut session = new_session(name.clone(), self.settings.token.clone());
            let frames = if open { session.on_open() } else { Vec::new() };
            self.documents.insert(name, Shared::new(session));
            for frame in frames {
                self.send(&frame);
            }
        }
    }
}
