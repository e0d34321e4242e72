//! What crosses between the page and the team module (`src/bin/team.rs`), both ways, as JS
//! values (serde-wasm-bindgen): the settings of a team, the link's status, and the records of
//! shared articles that changed.

use annotator_core::model::shared_records::SharedChanges;
use serde::{Deserialize, Serialize};

/// Where the team's corpus is and how to open it: what **Join a team…** asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamSettings {
    /// The sync server, `ws://` or `wss://`.
    pub url: String,
    pub corpus: String,
    pub token: String,
    /// The articles of the corpus this browser knows of: which library articles are shared,
    /// known before the server answers (or when it cannot).
    #[serde(default)]
    pub shared: Vec<String>,
}

/// The state of the link to the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    /// Opening the connection, or waiting to try again.
    Connecting,
    /// Connected, exchanging what each side lacks.
    Syncing,
    /// Connected and up to date.
    Connected,
    /// No connection: edits are kept here and sent on reconnect.
    Offline,
    /// The server refused the token: nothing is sent.
    Rejected,
}

/// What the team module tells the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TeamEvent {
    Status {
        link: LinkState,
        /// Changes made here that the server has not stored yet.
        unsent: usize,
        read_only: bool,
        /// Why the server refused the token or an update, in its words.
        #[serde(default)]
        message: Option<String>,
        /// The ids of the corpus's articles.
        articles: Vec<String>,
    },
    /// A shared article's records changed on the server (`whole`: all of them, the first time
    /// this page hears of it).
    Article {
        id: String,
        changes: SharedChanges,
        whole: bool,
    },
}
