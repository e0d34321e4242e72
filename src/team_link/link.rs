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

use annotator_core::model::shared_records::SharedChanges;
use annotator_team::protocol;
use annotator_team::session::{Event, Session};
use annotator_team::{Changes, Limits, Replica};
use gloo::timers::callback::Timeout;
use js_sys::{Function, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

use super::messages::{LinkState, TeamEvent, TeamSettings};
use crate::formats_worker::to_js;

const FIRST_RETRY_MS: u32 = 500;
const LAST_RETRY_MS: u32 = 5_000;

/// One shared document on the link.
struct Shared {
    session: Session,
    /// The page has been given all of it once (`TeamEvent::Article` with `whole`).
    announced: bool,
    synced: bool,
    /// The state vector the server last said it stored (empty: nothing known stored).
    stored: Vec<u8>,
}

struct Link {
    settings: TeamSettings,
    on_event: Function,
    socket: Option<WebSocket>,
    /// The corpus's index first (named after the corpus), then each article (`corpus/id`).
    documents: BTreeMap<String, Shared>,
    state: LinkState,
    read_only: bool,
    message: Option<String>,
    retry_ms: u32,
    retry: Option<Timeout>,
    /// Events for the page, handed over once the link is no longer borrowed ([`flush`]): the
    /// page's handler may push at once, which borrows the link again.
    outbox: Vec<TeamEvent>,
    /// What the socket's handlers need; dropped with the socket.
    _handlers: Vec<Box<dyn std::any::Any>>,
}

thread_local! {
    static LINK: RefCell<Option<Link>> = const { RefCell::new(None) };
}

fn article_name(corpus: &str, id: &str) -> String {
    format!("{corpus}/{id}")
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

/// Connects to the team `settings` names; `on_event` hears every [`TeamEvent`].
///
/// # Errors
/// A sentence for the user when the settings cannot be read.
pub fn connect(settings: JsValue, on_event: Function) -> Result<(), String> {
    let settings: TeamSettings = serde_wasm_bindgen::from_value(settings)
        .map_err(|e| format!("the team settings could not be read ({e})"))?;
    leave();
    let mut documents = BTreeMap::new();
    let token = settings.token.clone();
    let new_session = |name: String| new_session(name, token.clone());
    documents.insert(
        settings.corpus.clone(),
        Shared {
            session: new_session(settings.corpus.clone()),
            announced: true,
            synced: false,
            stored: Vec::new(),
        },
    );
    for id in &settings.shared {
        let name = article_name(&settings.corpus, id);
        documents.insert(
            name.clone(),
            Shared {
                session: new_session(name),
                announced: false,
                synced: false,
                stored: Vec::new(),
            },
        );
    }
    LINK.with(|link| {
        *link.borrow_mut() = Some(Link {
            settings,
            on_event,
            socket: None,
            documents,
            state: LinkState::Connecting,
            read_only: false,
            message: None,
            retry_ms: FIRST_RETRY_MS,
            retry: None,
            outbox: Vec::new(),
            _handlers: Vec::new(),
        });
    });
    open_socket();
    flush();
    Ok(())
}

/// Closes the connection and forgets the team.
pub fn leave() {
    if let Some(mut link) = LINK.with(|link| link.borrow_mut().take()) {
        link.retry = None;
        if let Some(socket) = link.socket.take() {
            let _ = socket.close();
        }
    }
}

/// Applies the page's changes to shared article `id` and sends them when connected.
///
/// # Errors
/// A sentence when the changes cannot be read or the article is not shared.
pub fn push(id: &str, changes: JsValue) -> Result<(), String> {
    let changes: SharedChanges = serde_wasm_bindgen::from_value(changes)
        .map_err(|e| format!("the changes could not be read ({e})"))?;
    with_link(|link| {
        let name = article_name(&link.settings.corpus, id);
        let shared = link
            .documents
            .get_mut(&name)
            .ok_or_else(|| format!("article {id} is not shared"))?;
        if let Some(frame) = shared.session.local(&changes_from(changes)) {
            link.send(&frame);
        }
        link.report();
        Ok(())
    })
    .unwrap_or_else(|| Err("no team is joined".to_owned()))
}

/// Shares article `id` of the library: `records` hold all of it, and the corpus's index
/// gains it.
///
/// # Errors
/// As [`push`].
pub fn share(id: &str, records: JsValue) -> Result<(), String> {
    let records: SharedChanges = serde_wasm_bindgen::from_value(records)
        .map_err(|e| format!("the article could not be read ({e})"))?;
    with_link(|link| {
        if link.read_only {
            return Err("your token only reads".to_owned());
        }
        let title = records
            .article
            .iter()
            .find(|(key, _)| key == annotator_core::model::shared_records::TITLE)
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
                session,
                announced: true,
                synced: false,
                stored: Vec::new(),
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
        link.report();
        Ok(())
    })
    .unwrap_or_else(|| Err("no team is joined".to_owned()))
}

/// Runs `f` on the link, then hands the page the events it queued.
fn with_link<T>(f: impl FnOnce(&mut Link) -> T) -> Option<T> {
    let result = LINK.with(|link| link.borrow_mut().as_mut().map(f));
    flush();
    result
}

/// Hands the page the queued events, with the link not borrowed.
fn flush() {
    let Some((events, on_event)) = LINK.with(|link| {
        let mut link = link.borrow_mut();
        let link = link.as_mut()?;
        Some((std::mem::take(&mut link.outbox), link.on_event.clone()))
    }) else {
        return;
    };
    for event in events {
        if let Ok(value) = to_js(&event) {
            let _ = on_event.call1(&JsValue::NULL, &value);
        }
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
        for event in reaction.events {
            link.take(&name, is_index, event);
        }
        link.report();
    });
}

impl Link {
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

    fn emit(&mut self, event: TeamEvent) {
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
            .map(|shared| shared.session.replica().unacknowledged(&shared.stored))
            .sum();
        self.emit(TeamEvent::Status {
            link: self.state,
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
                self.message = Some(format!("The server refused a change: {message}"));
            }
            Event::Stored {
                stored_state_vector,
                ..
            } => {
                if let Some(shared) = self.documents.get_mut(name) {
                    shared.stored = stored_state_vector;
                }
            }
            Event::Acknowledged { .. } | Event::Stateless { .. } => {}
            Event::Closed { reason } => {
                self.message = Some(format!("The server closed a shared article: {reason}"));
            }
            Event::Synced => {
                if let Some(shared) = self.documents.get_mut(name) {
                    shared.synced = true;
                }
                if !is_index {
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
                    let id = name
                        .strip_prefix(&format!("{}/", self.settings.corpus))
                        .unwrap_or(name)
                        .to_owned();
                    self.emit(TeamEvent::Article {
                        id,
                        changes: shared_from(changes),
                        whole: false,
                    });
                } else {
                    self.announce(name);
                }
            }
        }
    }

    /// Hands the page all of article `name` the first time it has any of it.
    fn announce(&mut self, name: &str) {
        let prefix = format!("{}/", self.settings.corpus);
        let Some(shared) = self.documents.get_mut(name) else {
            return;
        };
        if shared.announced {
            return;
        }
        let whole = shared.session.replica().snapshot();
        if whole.article.is_empty() {
            // Nothing of it has arrived yet: its text comes with its first records.
            return;
        }
        shared.announced = true;
        let id = name.strip_prefix(&prefix).unwrap_or(name).to_owned();
        self.emit(TeamEvent::Article {
            id,
            changes: shared_from(whole),
            whole: true,
        });
    }

    /// Opens a session for each article the corpus's index lists and this link lacks.
    fn list(&mut self, changes: &Changes) {
        let known: BTreeSet<String> = self.documents.keys().cloned().collect();
        let open = self.socket_open();
        for (id, entry) in &changes.article {
            let name = article_name(&self.settings.corpus, id);
            if entry.is_none() || known.contains(&name) {
                continue;
            }
            let mut session = new_session(name.clone(), self.settings.token.clone());
            let frames = if open { session.on_open() } else { Vec::new() };
            self.documents.insert(
                name,
                Shared {
                    session,
                    announced: false,
                    synced: false,
                    stored: Vec::new(),
                },
            );
            for frame in frames {
                self.send(&frame);
            }
        }
    }
}
