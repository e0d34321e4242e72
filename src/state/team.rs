//! Team mode in the state: which articles are shared, how the link to the server is, and the
//! tag this page adds to the ids of the annotations it makes in shared articles. The records
//! themselves arrive as [`super::Action::External`] changes, merged like another tab's saves.

use std::rc::Rc;

use annotator_core::model::DocumentId;

use super::{AppState, Notice, NoticeKind};
use crate::team_link::messages::LinkState;

/// The team this page has joined, as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamView {
    pub url: String,
    pub corpus: String,
    pub link: LinkState,
    /// Changes made here that the server has not stored yet.
    pub unsent: usize,
    /// The token only reads: shared articles cannot be changed here.
    pub read_only: bool,
    /// Why the server refused something, in its words.
    pub message: Option<String>,
    /// The corpus's articles, by id (a list: a team shares a handful).
    pub shared: Rc<Vec<DocumentId>>,
    /// Added to the ids of annotations made in shared articles ([`session_tag`]).
    pub tag: Rc<str>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TeamAction {
    Joined {
        url: String,
        corpus: String,
        shared: Vec<String>,
        tag: Rc<str>,
    },
    Status {
        link: LinkState,
        unsent: usize,
        read_only: bool,
        message: Option<String>,
        articles: Vec<String>,
    },
    /// An article of the library was shared into the corpus.
    Shared(DocumentId),
    Left,
}

/// A tag for the ids this page makes: five characters of base 36 from `random` in [0, 1), one
/// draw per page. Two people's ids then differ unless two pages drew the same of 60 million.
pub fn session_tag(random: f64) -> Rc<str> {
    let mut n = (random.clamp(0.0, 1.0) * 36f64.powi(5)) as u64;
    let mut tag = String::with_capacity(5);
    for _ in 0..5 {
        let digit = (n % 36) as u32;
        tag.push(char::from_digit(digit, 36).unwrap_or('0'));
        n /= 36;
    }
    Rc::from(tag)
}

impl AppState {
    pub(super) fn team_action(&mut self, action: TeamAction) -> bool {
        match action {
            TeamAction::Joined {
                url,
                corpus,
                shared,
                tag,
            } => {
                self.team = Some(Rc::new(TeamView {
                    url,
                    corpus,
                    link: LinkState::Connecting,
                    unsent: 0,
                    read_only: false,
                    message: None,
                    shared: Rc::new(shared.iter().map(|id| DocumentId::new(id)).collect()),
                    tag,
                }));
                true
            }
            TeamAction::Status {
                link,
                unsent,
                read_only,
                message,
                articles,
            } => {
                let Some(team) = &self.team else {
                    return false;
                };
                let shared: Vec<DocumentId> =
                    articles.iter().map(|id| DocumentId::new(id)).collect();
                let next = TeamView {
                    link,
                    unsent,
                    read_only,
                    message,
                    shared: if *team.shared == shared {
                        Rc::clone(&team.shared)
                    } else {
                        Rc::new(shared)
                    },
                    ..TeamView::clone(team)
                };
                if next == **team {
                    return false;
                }
                // Articles another member took out of the corpus stay here as local ones.
                let unshared: Vec<String> = team
                    .shared
                    .iter()
                    .filter(|id| !next.shared.contains(id))
                    .filter_map(|id| {
                        let open = self.documents.iter().find(|o| &o.document.id == id)?;
                        Some(format!("“{}”", open.document.title))
                    })
                    .collect();
                if !unshared.is_empty() {
                    self.notice = Some(Notice {
                        kind: NoticeKind::Info,
                        message: format!(
                            "{} {} taken out of the team's corpus; your copy stays here as a local article.",
                            unshared.join(", "),
                            if unshared.len() == 1 { "was" } else { "were" },
                        ),
                    });
                }
                self.team = Some(Rc::new(next));
                true
            }
            TeamAction::Shared(id) => {
                let Some(team) = &self.team else {
                    return false;
                };
                if team.shared.contains(&id) {
                    return false;
                }
                let mut shared = Vec::clone(&team.shared);
                shared.push(id);
                self.team = Some(Rc::new(TeamView {
                    shared: Rc::new(shared),
                    ..TeamView::clone(team)
                }));
                true
            }
            TeamAction::Left => self.team.take().is_some(),
        }
    }

    /// Whether `id` is an article of the joined team's corpus.
    pub fn is_shared(&self, id: &DocumentId) -> bool {
        self.team
            .as_ref()
            .is_some_and(|team| team.shared.contains(id))
    }

    /// The tag for new ids in the active article, when it is shared.
    pub(super) fn active_tag(&self) -> Option<Rc<str>> {
        let team = self.team.as_ref()?;
        let id = self.active.as_ref()?;
        team.shared.contains(id).then(|| Rc::clone(&team.tag))
    }

    /// Why `next`, this state after one of this page's actions, is refused: it changed or
    /// removed a shared article and the team's token only reads. Checked on the documents
    /// themselves, so every action that edits one (a tag, an import attached to it, signing
    /// annotations in every article) is refused alike.
    pub(super) fn team_refusal(&self, next: &AppState) -> Option<&'static str> {
        let mut touched = self.read_only_shared().into_iter().filter_map(|id| {
            let before = self.documents.iter().find(|o| o.document.id == id)?;
            let after = next.documents.iter().find(|o| o.document.id == id);
            match after {
                None => Some(false),
                Some(after) => (!Rc::ptr_eq(&before.document, &after.document)).then_some(true),
            }
        });
        touched.next().map(|changed| {
            if changed {
                "Your team token only reads: this shared article cannot be changed here."
            } else {
                "Your team token only reads: a shared article cannot be deleted here. \
                 Leave team to keep the corpus out of this browser."
            }
        })
    }

    /// The shared articles this page may not change: all of them when the token only reads.
    pub(super) fn read_only_shared(&self) -> Vec<DocumentId> {
        self.team
            .as_ref()
            .filter(|team| team.read_only)
            .map(|team| team.shared.to_vec())
            .unwrap_or_default()
    }

    /// Why the label schema cannot be changed here: a joined team's schema is the corpus's,
    /// and a token that only reads cannot change it.
    pub fn team_schema_refusal(&self) -> Option<&'static str> {
        self.team.as_ref().filter(|team| team.read_only).map(|_| {
            "Your team token only reads: the labels are the team's and cannot be changed here."
        })
    }
}
