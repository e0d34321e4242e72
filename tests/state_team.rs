#![cfg(not(target_arch = "wasm32"))]
//! Team mode in the reducer: ids made in shared articles, what a read-only token refuses, and
//! the page's side of syncing, run natively: two apps exchange their records through a map that
//! stands in for the server, as `browser::team_client` does with the team module.
//!
//! Why: the team module only moves records; whether two people end with the same article, and
//! whether anyone's work is lost on the way, is decided here, by the same merge as between tabs.

use std::collections::BTreeMap;
use std::rc::Rc;

use annotator_core::model::shared_records::{
    apply_changes, changes_between, document_from_records, snapshot, SharedChanges,
};
use annotator_core::model::word_snap::SnappedSelection;
use annotator_core::model::{
    AnnotatorName, ArticleText, CharRange, Document, DocumentId, Label, OpenDocument, Schema,
    Timestamp,
};
use annotator_core::persist::ExternalChange;
use article_annotator::state::{
    session_tag, Action, AppState, SaveStatus, SchemaAction, TeamAction,
};
use article_annotator::team_link::messages::LinkState;
use yew::Reducible;

const ARTICLE: &str = "Merkel said “北京 is 😀 great” on Monday.\nSchulz denied it. Both met.";

fn at(millis: i64) -> Timestamp {
    Timestamp::from_unix_millis(millis)
}

fn span(needle: &str) -> CharRange {
    let text = ArticleText::normalize(ARTICLE);
    let byte = text.as_str().find(needle).unwrap();
    let start = text.as_str()[..byte].chars().count();
    CharRange::from_raw(start, start + needle.chars().count()).unwrap()
}

/// One page: its state, and the version of the shared article it last exchanged.
struct Client {
    state: Rc<AppState>,
    synced: Option<Rc<Document>>,
    clock: i64,
}

impl Client {
    fn new(tag: f64) -> Self {
        let mut client = Self {
            state: Rc::new(AppState::new(vec![], None, SaveStatus::Saved, None)),
            synced: None,
            clock: 0,
        };
        client.send(Action::Team(TeamAction::Joined {
            url: "ws://127.0.0.1:1".into(),
            corpus: "news".into(),
            shared: vec!["doc".into()],
            tag: session_tag(tag),
        }));
        client
    }

    fn now(&mut self) -> Timestamp {
        self.clock += 1;
        at(self.clock)
    }

    fn send(&mut self, action: Action) {
        self.state = Rc::clone(&self.state).reduce(action);
    }

    fn document(&self) -> &Rc<Document> {
        &self.state.active_document().unwrap().document
    }

    fn tag(&mut self, needle: &str, label: Label) {
        self.send(Action::SetPending {
            selection: Some(SnappedSelection::exact(span(needle))),
        });
        let now = self.now();
        self.send(Action::Tag { label, now });
    }

    fn status(&mut self, read_only: bool) {
        self.send(Action::Team(TeamAction::Status {
            link: LinkState::Connected,
            unsent: 0,
            read_only,
            message: None,
            articles: vec!["doc".into()],
        }));
    }

    /// What `team_client::sync` pushes after a render.
    fn push(&mut self, server: &mut Server) {
        let current = Rc::clone(self.document());
        if let Some(synced) = &self.synced {
            server.take(&changes_between(synced, &current));
        }
        self.synced = Some(current);
    }

    /// What `team_client::take_article` does with the server's records: replay them on the
    /// version last exchanged and merge that in, from it as the base.
    fn pull(&mut self, changes: &SharedChanges, whole: bool) {
        let now = self.now();
        let theirs = match (&self.synced, whole) {
            (Some(base), false) => apply_changes(base, changes, now).document,
            _ => {
                document_from_records(DocumentId::new("doc"), changes, now)
                    .unwrap()
                    .document
            }
        };
        let theirs = Rc::new(theirs);
        let base = self.synced.replace(Rc::clone(&theirs));
        self.send(Action::External(ExternalChange::Document {
            id: DocumentId::new("doc"),
            theirs: Some(theirs),
            base,
        }));
        if self.state.active.is_none() {
            self.send(Action::OpenDocument {
                id: DocumentId::new("doc"),
            });
        }
    }
}

/// The server's maps, as the last write of each key left them.
#[derive(Default)]
struct Server {
    annotations: BTreeMap<String, String>,
    relations: BTreeMap<String, bool>,
    article: BTreeMap<String, String>,
}

impl Server {
    fn take(&mut self, changes: &SharedChanges) {
        for (key, value) in &changes.annotations {
            match value {
                Some(v) => self.annotations.insert(key.clone(), v.clone()),
                None => self.annotations.remove(key),
            };
        }
        for (key, linked) in &changes.relations {
            self.relations.insert(key.clone(), *linked);
        }
        for (key, value) in &changes.article {
            match value {
                Some(v) => self.article.insert(key.clone(), v.clone()),
                None => self.article.remove(key),
            };
        }
    }

    fn whole(&self) -> SharedChanges {
        SharedChanges {
            annotations: self
                .annotations
                .iter()
                .map(|(k, v)| (k.clone(), Some(v.clone())))
                .collect(),
            relations: self
                .relations
                .iter()
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
            article: self
                .article
                .iter()
                .map(|(k, v)| (k.clone(), Some(v.clone())))
                .collect(),
        }
    }
}

fn shared_article() -> Document {
    Document::new(
        DocumentId::new("doc"),
        "Shared".into(),
        ArticleText::normalize(ARTICLE),
        at(0),
    )
}

/// Ann shares the article; Bob receives it whole.
fn two_clients() -> (Client, Client, Server) {
    let mut server = Server::default();
    let mut ann = Client::new(0.25);
    let article = shared_article();
    ann.send(Action::CreateDocument {
        id: article.id.clone(),
        title: article.title.clone(),
        text: article.text().clone(),
        now: article.created,
    });
    server.take(&snapshot(ann.document()));
    ann.synced = Some(Rc::clone(ann.document()));
    let mut bob = Client::new(0.75);
    bob.pull(&server.whole(), true);
    bob.synced = Some(Rc::clone(bob.document()));
    (ann, bob, server)
}

#[test]
fn ids_made_in_a_shared_article_carry_the_page_tag() {
    let (mut ann, mut bob, _) = two_clients();
    ann.tag("Merkel", Label::Entity);
    bob.tag("Merkel", Label::Quote);
    let ann_id = ann.document().annotations()[0].id.clone();
    let bob_id = bob.document().annotations()[0].id.clone();
    assert_ne!(ann_id, bob_id);
    assert!(ann_id.as_str().starts_with("a1."), "{ann_id}");
    assert!(ann_id.as_str().ends_with(&*session_tag(0.25)));

    // A local article keeps plain numbers.
    ann.send(Action::CreateDocument {
        id: DocumentId::new("local"),
        title: "Local".into(),
        text: ArticleText::normalize(ARTICLE),
        now: at(50),
    });
    ann.tag("Schulz", Label::Entity);
    assert_eq!(ann.document().annotations()[0].id.as_str(), "a1");
}

#[test]
fn a_read_only_token_refuses_every_edit_of_a_shared_article_and_says_why() {
    let (_, mut bob, _) = two_clients();
    bob.status(true);
    bob.tag("Merkel", Label::Entity);
    assert!(bob.document().annotations().is_empty());
    let notice = bob.state.notice.clone().unwrap();
    assert!(notice.message.contains("only reads"), "{}", notice.message);
    let now = bob.now();
    bob.send(Action::SetNote {
        id: None,
        note: "mine".into(),
        now,
    });
    assert_eq!(bob.document().note, None);
}

#[test]
fn a_read_only_token_cannot_change_the_label_schema_but_takes_the_team_s() {
    let (_, mut bob, _) = two_clients();
    bob.status(true);
    let mut changed = Schema::default();
    changed.labels.retain(|spec| spec.label != Label::Claim);
    let now = bob.now();
    bob.send(Action::Schema(SchemaAction::Replace {
        schema: changed.clone(),
        renames: vec![],
        now,
    }));
    assert_eq!(*bob.state.schema, Schema::default());
    let notice = bob.state.notice.clone().unwrap();
    assert!(notice.message.contains("only reads"), "{}", notice.message);
    // The corpus's schema, changed by someone who may, still becomes this page's.
    bob.send(Action::Schema(SchemaAction::External(changed.clone())));
    assert_eq!(*bob.state.schema, changed);
    // A token that writes may change it.
    bob.status(false);
    let now = bob.now();
    bob.send(Action::Schema(SchemaAction::Replace {
        schema: Schema::default(),
        renames: vec![],
        now,
    }));
    assert_eq!(*bob.state.schema, Schema::default());
}

#[test]
fn deleting_a_shared_article_says_it_leaves_the_corpus_and_a_read_only_token_cannot() {
    let (mut ann, mut bob, _) = two_clients();
    bob.status(true);
    bob.send(Action::DeleteDocument {
        id: DocumentId::new("doc"),
    });
    assert_eq!(bob.state.documents.len(), 1);
    let notice = bob.state.notice.clone().unwrap();
    assert!(notice.message.contains("only reads"), "{}", notice.message);

    ann.send(Action::DeleteDocument {
        id: DocumentId::new("doc"),
    });
    assert!(ann.state.documents.is_empty());
    let notice = ann.state.notice.clone().unwrap();
    assert!(
        notice.message.contains("from the team's corpus"),
        "{}",
        notice.message
    );
    // Undo brings it back to the library.
    ann.send(Action::RestoreDeletedDocument);
    assert_eq!(ann.state.documents.len(), 1);

    // Bob hears that it left the corpus, and keeps his copy.
    bob.send(Action::Team(TeamAction::Status {
        link: LinkState::Connected,
        unsent: 0,
        read_only: false,
        message: None,
        articles: vec![],
    }));
    assert_eq!(bob.state.documents.len(), 1);
    assert!(!bob.state.is_shared(&DocumentId::new("doc")));
    let notice = bob.state.notice.clone().unwrap();
    assert!(
        notice
            .message
            .contains("“Shared” was taken out of the team's corpus"),
        "{}",
        notice.message
    );
}

#[test]
fn signing_unnamed_annotations_leaves_shared_articles_a_read_only_token_opens() {
    let (_, mut bob, _) = two_clients();
    bob.tag("Merkel", Label::Entity);
    // A local article of Bob's, with an unnamed annotation too (the same text: `tag` finds it).
    let now = bob.now();
    bob.send(Action::CreateDocument {
        id: DocumentId::new("local"),
        title: "Mine".into(),
        text: ArticleText::normalize(ARTICLE),
        now,
    });
    bob.tag("Schulz", Label::Entity);
    bob.status(true);
    let made_by = |bob: &Client, id: &str| {
        let open = bob
            .state
            .documents
            .iter()
            .find(|o| o.document.id.as_str() == id)
            .unwrap();
        open.document.annotations()[0]
            .authors
            .made_by
            .as_ref()
            .map(|n| n.as_str().to_owned())
    };
    let now = bob.now();
    bob.send(Action::SignUnnamed {
        name: AnnotatorName::parse("Bob").unwrap(),
        now,
    });
    assert_eq!(made_by(&bob, "local").as_deref(), Some("Bob"));
    assert_eq!(made_by(&bob, "doc"), None);
    bob.send(Action::OpenDocument {
        id: DocumentId::new("doc"),
    });
    // With a token that writes, they are signed.
    bob.status(false);
    let now = bob.now();
    bob.send(Action::SignUnnamed {
        name: AnnotatorName::parse("Bob").unwrap(),
        now,
    });
    let signed = &bob.document().annotations()[0];
    assert_eq!(
        signed.authors.made_by.as_ref().map(|n| n.as_str()),
        Some("Bob")
    );
}

#[test]
fn a_shared_article_text_is_never_fixed() {
    let (mut ann, _, _) = two_clients();
    let before = Rc::clone(ann.document());
    let after = Rc::new(Document::new(
        DocumentId::new("doc"),
        "Shared".into(),
        ArticleText::normalize("Another text entirely."),
        at(0),
    ));
    let now = ann.now();
    ann.send(Action::ReplaceBody {
        before: Rc::clone(&before),
        after,
        now,
    });
    assert_eq!(ann.document().text(), before.text());
    assert!(ann
        .state
        .notice
        .clone()
        .unwrap()
        .message
        .contains("text is fixed"));
}

#[test]
fn two_annotators_editing_at_once_end_with_the_same_article_and_lose_nothing() {
    let (mut ann, mut bob, mut server) = two_clients();
    // Both tag at once, before either hears of the other.
    ann.tag("Merkel", Label::Entity);
    bob.tag("Schulz", Label::Entity);
    bob.tag("Merkel", Label::Entity);
    ann.push(&mut server);
    bob.push(&mut server);
    // Each hears the other's records: the whole server state, replayed.
    let whole = server.whole();
    ann.pull(&whole, false);
    bob.pull(&whole, false);
    // What the merges changed goes back.
    ann.push(&mut server);
    bob.push(&mut server);
    let whole = server.whole();
    ann.pull(&whole, false);
    bob.pull(&whole, false);

    let spans = |c: &Client| {
        c.document()
            .annotations()
            .iter()
            .map(|a| (a.id.to_string(), a.range, a.label.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(spans(&ann), spans(&bob));
    // Two people tagged Merkel as an entity: one annotation. Schulz is there too.
    assert_eq!(ann.document().annotations().len(), 2);

    // A deletion racing a relabel of the same annotation keeps the relabel (rule 5).
    let schulz = ann
        .document()
        .annotations()
        .iter()
        .find(|a| a.range == span("Schulz"))
        .unwrap()
        .id
        .clone();
    ann.send(Action::Select {
        id: Some(schulz.clone()),
        reveal: false,
    });
    let now = ann.now();
    ann.send(Action::DeleteSelected { now });
    bob.send(Action::Select {
        id: Some(schulz.clone()),
        reveal: false,
    });
    let now = bob.now();
    bob.send(Action::Tag {
        label: Label::Quote,
        now,
    });
    // Bob's relabel reaches the server last: the record is his.
    ann.push(&mut server);
    bob.push(&mut server);
    let whole = server.whole();
    ann.pull(&whole, false);
    bob.pull(&whole, false);
    let kept = ann
        .document()
        .annotation(&schulz)
        .expect("the edit beat the delete");
    assert_eq!(kept.label, Label::Quote);
    assert_eq!(spans(&ann), spans(&bob));
    assert!(ann
        .state
        .active_document()
        .is_some_and(|o: &OpenDocument| o.document.check_invariants().is_ok()));
}
