//! What crosses between the page and the team module (`src/bin/team.rs`): the settings of a
//! team and the link's state.
//!
//! Records travel as JSON text, and whole articles in the storage format
//! (`annotator_core::persist::stored`): the page already reads and writes both for its own
//! storage, so team mode adds no decoder of its own to the page's first load. The settings are
//! lines of text, kept so in localStorage too, for the same reason.

/// Where the team's corpus is and how to open it: what **Join a team…** asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamSettings {
    /// The sync server, `ws://` or `wss://`.
    pub url: String,
    pub corpus: String,
    pub token: String,
    /// The articles of the corpus this browser knows of: which library articles are shared,
    /// known before the server answers (or when it cannot).
    pub shared: Vec<String>,
}

/// The first line of [`TeamSettings::to_text`].
const SETTINGS_HEADER: &str = "article-annotator team 1";

impl TeamSettings {
    /// One value a line: the header, the server, the corpus, the token, then each shared id.
    /// No value holds a line break ([`TeamSettings::from_text`] refuses such settings).
    pub fn to_text(&self) -> String {
        let mut lines = vec![SETTINGS_HEADER, &self.url, &self.corpus, &self.token];
        lines.extend(self.shared.iter().map(String::as_str));
        lines.join("\n")
    }

    /// The settings [`TeamSettings::to_text`] wrote, if `text` is such.
    pub fn from_text(text: &str) -> Option<Self> {
        let mut lines = text.split('\n');
        if lines.next()? != SETTINGS_HEADER {
            return None;
        }
        let (url, corpus, token) = (lines.next()?, lines.next()?, lines.next()?);
        Some(Self {
            url: url.to_owned(),
            corpus: corpus.to_owned(),
            token: token.to_owned(),
            shared: lines
                .filter(|id| !id.is_empty())
                .map(str::to_owned)
                .collect(),
        })
    }
}

/// The state of the link to the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

impl LinkState {
    pub const ALL: [Self; 5] = [
        Self::Connecting,
        Self::Syncing,
        Self::Connected,
        Self::Offline,
        Self::Rejected,
    ];

    /// Its name as it crosses to the page.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Connecting => "connecting",
            Self::Syncing => "syncing",
            Self::Connected => "connected",
            Self::Offline => "offline",
            Self::Rejected => "rejected",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.name() == name)
    }
}
