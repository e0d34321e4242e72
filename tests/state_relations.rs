#![cfg(not(target_arch = "wasm32"))]
//! The reducer's relations, attribute values and notes, driven as the UI drives them: select an
//! annotation, start a link (R), finish it on another (a click or the picker), pick a type (menu
//! or key), rate with a digit, write notes, undo and redo.

use std::rc::Rc;

use annotator_core::model::word_snap::SnappedSelection;
use annotator_core::model::{
    AnnotationId, ArticleText, CharRange, DocumentId, Label, Relation, RelationKind, Timestamp,
};
use article_annotator::state::{Action, AppState, NoticeKind, SaveStatus};
use yew::Reducible;

const ARTICLE: &str = "“We will,” said Jane Doe, “win.” Acme claims 😀 growth.";

fn span(needle: &str) -> CharRange {
    let text = ArticleText::normalize(ARTICLE);
    let byte = text.as_str().find(needle).unwrap();
    let start = text.as_str()[..byte].chars().count();
    CharRange::from_raw(start, start + needle.chars().count()).unwrap()
}

fn kind(name: &str) -> RelationKind {
    RelationKind::parse(name).unwrap()
}

struct App {
    state: Rc<AppState>,
    clock: i64,
}

impl App {
    fn new() -> Self {
        let mut app = Self {
            state: Rc::new(AppState::new(vec![], None, SaveStatus::Saved, None)),
            clock: 1_000,
        };
        let now = app.now();
        app.send(Action::CreateDocument {
            id: DocumentId::new("doc"),
            title: "doc".into(),
            text: ArticleText::normalize(ARTICLE),
            now,
        });
        app
    }

    fn now(&mut self) -> Timestamp {
        self.clock += 1;
        Timestamp::from_unix_millis(self.clock)
    }

    fn send(&mut self, action: Action) -> bool {
        let next = Rc::clone(&self.state).reduce(action);
        let changed = !Rc::ptr_eq(&next, &self.state);
        self.state = next;
        changed
    }

    fn tag(&mut self, needle: &str, label: Label) -> AnnotationId {
        self.send(Action::SetPending {
            selection: Some(SnappedSelection::exact(span(needle))),
        });
        let now = self.now();
        self.send(Action::Tag { label, now });
        let document = &self.state.active_document().unwrap().document;
        document
            .annotations()
            .iter()
            .find(|a| a.range == span(needle))
            .unwrap()
            .id
            .clone()
    }

    fn select(&mut self, id: &AnnotationId) {
        self.send(Action::Select {
            id: Some(id.clone()),
            reveal: false,
        });
    }

    fn click(&mut self, id: &AnnotationId) -> bool {
        let now = self.now();
        self.send(Action::ClickHighlight {
            chain: vec![id.clone()],
            now,
        })
    }

    fn relations(&self) -> Vec<Relation> {
        self.state
            .active_document()
            .unwrap()
            .document
            .relations()
            .to_vec()
    }

    fn undo(&mut self) {
        let now = self.now();
        self.send(Action::Undo { now });
    }

    fn redo(&mut self) {
        let now = self.now();
        self.send(Action::Redo { now });
    }
}

#[test]
fn a_click_while_linking_links_with_the_labels_default_type() {
    let mut app = App::new();
    let quote = app.tag("“We will,”", Label::Quote);
    let jane = app.tag("Jane Doe", Label::Entity);
    app.select(&quote);
    assert!(app.send(Action::StartLink));
    let revision = app.state.revision;
    assert!(app.click(&jane));
    assert_eq!(
        app.relations(),
        [Relation::new(kind("said_by"), quote.clone(), jane.clone())]
    );
    assert!(app.state.linking.is_none(), "the link is finished");
    assert_eq!(app.state.selected, Some(quote), "its source stays selected");
    assert!(app.state.revision > revision, "autosave sees the edit");
}

#[test]
fn a_picked_type_wins_and_continues_runs_in_reading_order() {
    let mut app = App::new();
    let first = app.tag("“We will,”", Label::Quote);
    let second = app.tag("“win.”", Label::Quote);
    // Started from the later piece: the relation still runs from the earlier one.
    app.select(&second);
    app.send(Action::StartLink);
    app.send(Action::PickLinkKind(Some(kind("continues"))));
    let now = app.now();
    app.send(Action::FinishLink {
        to: first.clone(),
        now,
    });
    assert_eq!(
        app.relations(),
        [Relation::new(kind("continues"), first, second)]
    );
}

#[test]
fn a_link_is_undone_and_redone_and_a_second_one_is_refused_with_a_notice() {
    let mut app = App::new();
    let claim = app.tag("Acme claims 😀 growth", Label::Claim);
    let acme = app.tag("Acme", Label::Entity);
    app.select(&claim);
    app.send(Action::StartLink);
    app.click(&acme);
    assert_eq!(
        app.relations(),
        [Relation::new(kind("made_by"), claim.clone(), acme.clone())]
    );
    app.send(Action::StartLink);
    app.click(&acme);
    let notice = app.state.notice.clone().unwrap();
    assert_eq!(notice.kind, NoticeKind::Error);
    assert!(
        notice.message.contains("there already"),
        "{}",
        notice.message
    );
    assert_eq!(app.relations().len(), 1);
    app.undo();
    assert!(app.relations().is_empty());
    app.redo();
    assert_eq!(app.relations().len(), 1);
}

#[test]
fn deleting_an_annotation_takes_its_relations_and_undo_brings_both_back() {
    let mut app = App::new();
    let quote = app.tag("“We will,”", Label::Quote);
    let jane = app.tag("Jane Doe", Label::Entity);
    app.select(&quote);
    app.send(Action::StartLink);
    app.click(&jane);
    app.select(&jane);
    let now = app.now();
    app.send(Action::DeleteSelected { now });
    assert!(app.relations().is_empty());
    app.undo();
    assert_eq!(
        app.relations(),
        [Relation::new(kind("said_by"), quote, jane)]
    );
}

#[test]
fn selecting_another_annotation_or_escape_cancels_a_link() {
    let mut app = App::new();
    let quote = app.tag("“We will,”", Label::Quote);
    let jane = app.tag("Jane Doe", Label::Entity);
    app.select(&quote);
    app.send(Action::StartLink);
    app.select(&jane);
    assert!(app.state.linking.is_none());
    app.send(Action::StartLink);
    assert!(app.send(Action::CancelLink));
    assert!(app.state.linking.is_none());
    assert!(app.relations().is_empty());
    // Without a selection there is nothing to link from: said, not silently ignored.
    app.send(Action::Select {
        id: None,
        reveal: false,
    });
    app.send(Action::StartLink);
    assert!(app.state.linking.is_none());
    assert_eq!(
        app.state.notice.as_ref().map(|n| n.kind),
        Some(NoticeKind::Error)
    );
}

#[test]
fn digits_pick_the_first_attributes_values_and_zero_clears() {
    let mut app = App::new();
    let claim = app.tag("Acme claims 😀 growth", Label::Claim);
    app.select(&claim);
    let value = |app: &App| {
        app.state
            .active_document()
            .unwrap()
            .document
            .annotation(&claim)
            .unwrap()
            .attributes
            .get("check_worthy")
            .map(str::to_owned)
    };
    for (digit, expected) in [(3, Some("unsure")), (1, Some("yes")), (0, None)] {
        let (id, name, wanted) = app.state.first_choice_value(digit).unwrap();
        let now = app.now();
        app.send(Action::SetAttribute {
            id,
            name,
            value: wanted,
            now,
        });
        assert_eq!(value(&app).as_deref(), expected, "digit {digit}");
    }
    // There are three values: 4 picks nothing.
    assert!(app.state.first_choice_value(4).is_none());
    app.undo();
    assert_eq!(value(&app).as_deref(), Some("yes"));
}

#[test]
fn notes_of_an_annotation_and_of_the_article_are_set_cleared_and_undone() {
    let mut app = App::new();
    let jane = app.tag("Jane Doe", Label::Entity);
    let now = app.now();
    app.send(Action::SetNote {
        id: Some(jane.clone()),
        note: "Wikidata: not found\nask the desk".into(),
        now,
    });
    let now = app.now();
    app.send(Action::SetNote {
        id: None,
        note: "Checked 😀".into(),
        now,
    });
    let document = |app: &App| Rc::clone(&app.state.active_document().unwrap().document);
    assert_eq!(
        document(&app).annotation(&jane).unwrap().note.as_deref(),
        Some("Wikidata: not found\nask the desk")
    );
    assert_eq!(document(&app).note.as_deref(), Some("Checked 😀"));
    // The same note again is no edit; a blank one clears it.
    let now = app.now();
    assert!(!app.send(Action::SetNote {
        id: None,
        note: "Checked 😀".into(),
        now,
    }));
    let now = app.now();
    app.send(Action::SetNote {
        id: None,
        note: "  ".into(),
        now,
    });
    assert_eq!(document(&app).note, None);
    app.undo();
    assert_eq!(document(&app).note.as_deref(), Some("Checked 😀"));
}

#[test]
fn an_unlink_removes_exactly_that_relation() {
    let mut app = App::new();
    let quote = app.tag("“We will,”", Label::Quote);
    let jane = app.tag("Jane Doe", Label::Entity);
    app.select(&quote);
    app.send(Action::StartLink);
    app.send(Action::PickLinkKind(Some(kind("about"))));
    app.click(&jane);
    app.send(Action::StartLink);
    app.click(&jane);
    assert_eq!(app.relations().len(), 2);
    let about = Relation::new(kind("about"), quote.clone(), jane.clone());
    let now = app.now();
    app.send(Action::Unlink {
        relation: about,
        now,
    });
    assert_eq!(
        app.relations(),
        [Relation::new(kind("said_by"), quote, jane)]
    );
}
