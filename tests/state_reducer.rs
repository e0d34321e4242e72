#![cfg(not(target_arch = "wasm32"))]
//! The reducer (`AppState` + `Action`) driven the way the UI drives it: create a document, select
//! text, tag, relabel, delete, undo and redo, click through nested highlights, delete and restore
//! documents.
//!
//! Why: every user-visible rule that is not about annotations themselves lives here — which
//! document an action applies to, what is selected next, when a notice appears, and when
//! `revision` moves (autosave writes only when it does). The reducer is pure, so it runs natively.

use std::rc::Rc;

use annotator_core::formats::dataset::OffsetUnit;
use annotator_core::formats::detect::{ImportFormat, InputFile};
use annotator_core::formats::job::{self, Job, Outcome, ReadFailure};
use annotator_core::model::label_map::LabelMap;
use annotator_core::model::word_snap::SnappedSelection;
use annotator_core::model::{
    AnnotationId, ArticleText, CharRange, Document, DocumentId, Label, Timestamp,
};
use annotator_core::persist::ExternalChange;
use article_annotator::import_review::protocol::ImportChoice;
use article_annotator::import_review::review::{read_job, Review};
use article_annotator::state::{imported_documents, Action, AppState, NoticeKind, SaveStatus};
use yew::Reducible;

const ARTICLE: &str = "Acme CEO Jane Doe said “北京市 is 😀 great” on Monday.\r\nSecond paragraph.";

fn at(millis: i64) -> Timestamp {
    Timestamp::from_unix_millis(millis)
}

/// The code point range of `needle` in the normalised article.
fn span(needle: &str) -> CharRange {
    let text = ArticleText::normalize(ARTICLE);
    let byte = text.as_str().find(needle).unwrap();
    let start = text.as_str()[..byte].chars().count();
    CharRange::from_raw(start, start + needle.chars().count()).unwrap()
}

/// The app as the UI sees it: the current state, replaced by whatever `reduce` returns.
struct App {
    state: Rc<AppState>,
    clock: i64,
}

impl App {
    fn empty() -> Self {
        Self {
            state: Rc::new(AppState::new(vec![], None, SaveStatus::Saved, None)),
            clock: 1_000,
        }
    }

    /// An app with one document, "doc", open.
    fn with_article() -> Self {
        let mut app = Self::empty();
        app.create("doc");
        app
    }

    fn now(&mut self) -> Timestamp {
        self.clock += 1;
        at(self.clock)
    }

    /// Dispatches; returns whether the reducer produced a new state (Yew re-renders only then).
    fn send(&mut self, action: Action) -> bool {
        let next = Rc::clone(&self.state).reduce(action);
        let changed = !Rc::ptr_eq(&next, &self.state);
        self.state = next;
        changed
    }

    fn create(&mut self, id: &str) -> bool {
        let now = self.now();
        self.send(Action::CreateDocument {
            id: DocumentId::new(id),
            title: id.to_owned(),
            text: ArticleText::normalize(ARTICLE),
            now,
        })
    }

    fn select_text(&mut self, needle: &str) -> bool {
        self.send(Action::SetPending {
            selection: Some(SnappedSelection::exact(span(needle))),
        })
    }

    fn tag(&mut self, label: Label) -> bool {
        let now = self.now();
        self.send(Action::Tag { label, now })
    }

    /// Selects `needle` and tags it; returns the new annotation's id.
    fn tag_text(&mut self, needle: &str, label: Label) -> AnnotationId {
        self.select_text(needle);
        let before: Vec<_> = self.ids();
        self.tag(label);
        let added: Vec<_> = self
            .ids()
            .into_iter()
            .filter(|id| !before.contains(id))
            .collect();
        assert_eq!(added.len(), 1, "tagging {needle:?} added {added:?}");
        added.into_iter().next().unwrap()
    }

    fn delete_selected(&mut self) -> bool {
        let now = self.now();
        self.send(Action::DeleteSelected { now })
    }

    fn undo(&mut self) -> bool {
        let now = self.now();
        self.send(Action::Undo { now })
    }

    fn redo(&mut self) -> bool {
        let now = self.now();
        self.send(Action::Redo { now })
    }

    fn click(&mut self, chain: &[&AnnotationId]) -> bool {
        let now = self.now();
        self.send(Action::ClickHighlight {
            chain: chain.iter().map(|&id| id.clone()).collect(),
            now,
        })
    }

    fn select(&mut self, id: &AnnotationId) -> bool {
        self.send(Action::Select {
            id: Some(id.clone()),
            reveal: false,
        })
    }

    fn annotation(&self, id: &AnnotationId) -> &annotator_core::model::Annotation {
        self.document()
            .annotation(id)
            .expect("the annotation exists")
    }

    fn document(&self) -> &Document {
        &self
            .state
            .active_document()
            .expect("a document is open")
            .document
    }

    fn ids(&self) -> Vec<AnnotationId> {
        self.document()
            .annotations()
            .iter()
            .map(|a| a.id.clone())
            .collect()
    }

    /// `(text, label)` of every annotation of the open document, in list order.
    fn tagged(&self) -> Vec<(String, Label)> {
        let d = self.document();
        d.annotations()
            .iter()
            .map(|a| (d.text().slice(a.range).unwrap().to_owned(), a.label.clone()))
            .collect()
    }

    fn document_ids(&self) -> Vec<String> {
        self.state
            .documents
            .iter()
            .map(|d| d.document.id.to_string())
            .collect()
    }

    fn selected(&self) -> Option<&AnnotationId> {
        self.state.selected.as_ref()
    }
}

fn tagged(rows: &[(&str, Label)]) -> Vec<(String, Label)> {
    rows.iter()
        .map(|(text, label)| (text.to_string(), label.clone()))
        .collect()
}

#[test]
fn creating_a_document_opens_it() {
    let mut app = App::empty();
    assert!(app.create("doc"));
    assert_eq!(app.document_ids(), ["doc"]);
    assert_eq!(app.state.active, Some(DocumentId::new("doc")));
    assert_eq!(
        app.document().text().as_str(),
        ARTICLE.replace("\r\n", "\n")
    );
    assert_eq!(app.state.revision, 1);
}

#[test]
fn selecting_text_and_tagging_adds_annotations_in_text_order() {
    let mut app = App::with_article();
    app.tag_text("Monday", Label::Entity);
    assert_eq!(app.state.pending, None, "the selection is used up");
    app.tag_text("Jane Doe", Label::Entity);
    app.tag_text(
        "Acme CEO Jane Doe said “北京市 is 😀 great” on Monday.",
        Label::Claim,
    );
    assert_eq!(
        app.tagged(),
        tagged(&[
            (
                "Acme CEO Jane Doe said “北京市 is 😀 great” on Monday.",
                Label::Claim
            ),
            ("Jane Doe", Label::Entity),
            ("Monday", Label::Entity),
        ])
    );
    assert_eq!(
        app.document()
            .annotation(&AnnotationId::new("a1"))
            .unwrap()
            .range,
        span("Monday")
    );
    assert_eq!(app.document().modified, at(app.clock));
    app.document().check_invariants().unwrap();
}

#[test]
fn tag_with_nothing_pending_relabels_the_selected_annotation() {
    let mut app = App::with_article();
    let quote = app.tag_text("“北京市 is 😀 great”", Label::Claim);
    app.select(&quote);
    assert!(app.tag(Label::Quote));
    assert_eq!(
        app.tagged(),
        tagged(&[("“北京市 is 😀 great”", Label::Quote)])
    );
    assert_eq!(
        app.selected(),
        Some(&quote),
        "the relabelled annotation stays selected"
    );
    // Same label again: nothing to do, same state.
    assert!(!app.tag(Label::Quote));
}

#[test]
fn tag_with_neither_pending_nor_selected_does_nothing() {
    let mut app = App::with_article();
    let before = Rc::clone(&app.state);
    assert!(!app.tag(Label::Quote));
    assert!(Rc::ptr_eq(&before, &app.state));
}

#[test]
fn delete_selected_removes_the_annotation() {
    let mut app = App::with_article();
    let entity = app.tag_text("北京市", Label::Entity);
    app.tag_text("Monday", Label::Entity);
    app.select(&entity);
    assert!(app.delete_selected());
    assert_eq!(app.tagged(), tagged(&[("Monday", Label::Entity)]));
    assert_eq!(app.selected(), None);
    assert!(!app.delete_selected(), "nothing selected any more");
}

#[test]
fn undo_and_redo_walk_through_add_relabel_and_delete() {
    let mut app = App::with_article();
    let id = app.tag_text("Jane Doe", Label::Quote);
    app.select(&id);
    app.tag(Label::Entity);
    app.delete_selected();
    assert!(app.tagged().is_empty());

    assert!(app.undo());
    assert_eq!(
        app.tagged(),
        tagged(&[("Jane Doe", Label::Entity)]),
        "undo delete"
    );
    assert_eq!(
        app.selected(),
        Some(&id),
        "undo selects what it brought back"
    );
    assert_eq!(app.ids(), std::slice::from_ref(&id), "with its original id");
    assert!(app.undo());
    assert_eq!(
        app.tagged(),
        tagged(&[("Jane Doe", Label::Quote)]),
        "undo relabel"
    );
    assert!(app.undo());
    assert!(app.tagged().is_empty(), "undo add");
    assert_eq!(app.selected(), None, "nothing left to select");
    assert!(!app.undo(), "history exhausted: same state");

    assert!(app.redo());
    assert_eq!(
        app.tagged(),
        tagged(&[("Jane Doe", Label::Quote)]),
        "redo add"
    );
    assert_eq!(app.selected(), Some(&id));
    assert!(app.redo());
    assert_eq!(
        app.tagged(),
        tagged(&[("Jane Doe", Label::Entity)]),
        "redo relabel"
    );
    assert!(app.redo());
    assert!(app.tagged().is_empty(), "redo delete");
    assert!(!app.redo());
}

#[test]
fn a_new_tag_after_undo_drops_the_redo_step() {
    let mut app = App::with_article();
    app.tag_text("Jane Doe", Label::Quote);
    app.undo();
    let again = app.tag_text("Monday", Label::Claim);
    assert_eq!(again.as_str(), "a2", "undone ids are not reissued");
    assert!(!app.redo());
    assert_eq!(app.tagged(), tagged(&[("Monday", Label::Claim)]));
}

/// Three nested annotations; returns (inner, middle, outer).
fn nested(app: &mut App) -> (AnnotationId, AnnotationId, AnnotationId) {
    let outer = app.tag_text(
        "Acme CEO Jane Doe said “北京市 is 😀 great” on Monday.",
        Label::Claim,
    );
    let middle = app.tag_text("“北京市 is 😀 great”", Label::Quote);
    let inner = app.tag_text("北京市", Label::Entity);
    (inner, middle, outer)
}

#[test]
fn repeated_clicks_on_nested_highlights_walk_outward_then_wrap() {
    let mut app = App::with_article();
    let (inner, middle, outer) = nested(&mut app);
    let chain = [&inner, &middle, &outer];
    let revision = app.state.revision;
    for expected in [&inner, &middle, &outer, &inner, &middle] {
        assert!(app.click(&chain));
        assert_eq!(app.selected(), Some(expected));
    }
    assert_eq!(
        app.state.revision, revision,
        "selecting is not a document change"
    );
}

#[test]
fn click_on_a_chain_without_the_selection_selects_its_innermost() {
    let mut app = App::with_article();
    let (inner, middle, outer) = nested(&mut app);
    let monday = app.tag_text("Monday", Label::Entity);
    app.select(&monday);
    assert!(app.click(&[&inner, &middle, &outer]));
    assert_eq!(app.selected(), Some(&inner));
    // A click on a lone highlight that is already selected changes nothing.
    app.select(&monday);
    assert!(!app.click(&[&monday]));
    assert_eq!(app.selected(), Some(&monday));
}

#[test]
fn selecting_text_clears_the_selected_annotation() {
    let mut app = App::with_article();
    let id = app.tag_text("Monday", Label::Entity);
    app.select(&id);
    app.select_text("Jane");
    assert_eq!(app.selected(), None);
    assert_eq!(
        app.state.pending.map(|p| p.for_rule(Default::default())),
        Some(span("Jane"))
    );
}

/// The open documents' ids, each once: two documents with one id would overwrite each other's
/// storage.
fn assert_ids_unique(app: &App) {
    let ids = app.document_ids();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "duplicate document ids: {ids:?}");
}

/// The spans of document `id` as (text, label), in text order.
fn spans_of(app: &App, id: &str) -> Vec<(String, Label)> {
    let open = app
        .state
        .documents
        .iter()
        .find(|d| d.document.id.as_str() == id)
        .unwrap();
    let text = open.document.text();
    open.document
        .annotations()
        .iter()
        .map(|a| (text.slice(a.range).unwrap().to_owned(), a.label.clone()))
        .collect()
}

#[test]
fn a_document_deleted_here_and_saved_in_another_tab_comes_back_once_with_both_tabs_work() {
    let mut app = App::empty();
    app.create("first");
    app.create("second");
    app.tag_text("Monday", Label::Entity);
    app.create("third");
    let base = app
        .state
        .documents
        .iter()
        .find(|d| d.document.id.as_str() == "second")
        .map(|d| Rc::clone(&d.document))
        .unwrap();
    app.send(Action::DeleteDocument {
        id: DocumentId::new("second"),
    });
    // The other tab, which had the document as stored, tags a span and saves.
    let mut theirs = (*base).clone();
    theirs
        .add(span("Jane Doe"), Label::Quote, at(9_000))
        .unwrap();
    assert!(app.send(Action::External(ExternalChange::Document {
        id: DocumentId::new("second"),
        theirs: Some(Rc::new(theirs)),
        base: Some(base),
    })));
    assert_eq!(app.document_ids(), ["first", "second", "third"]);
    assert_eq!(
        spans_of(&app, "second"),
        tagged(&[("Jane Doe", Label::Quote), ("Monday", Label::Entity)])
    );
    assert_eq!(
        app.state.notice.as_ref().map(|n| n.kind),
        Some(NoticeKind::Info)
    );
    // Undo delete has nothing left to bring back: no second "second".
    assert!(!app.send(Action::RestoreDeletedDocument));
    assert_ids_unique(&app);
}

#[test]
fn restoring_a_deleted_document_whose_id_came_back_merges_instead_of_duplicating() {
    let mut app = App::empty();
    app.create("doc");
    app.tag_text("Monday", Label::Entity);
    app.send(Action::DeleteDocument {
        id: DocumentId::new("doc"),
    });
    // The same id comes back some other way (here created again with the same text).
    app.create("doc");
    app.tag_text("Jane Doe", Label::Quote);
    assert!(app.send(Action::RestoreDeletedDocument));
    assert_ids_unique(&app);
    assert_eq!(
        spans_of(&app, "doc"),
        tagged(&[("Jane Doe", Label::Quote), ("Monday", Label::Entity)])
    );
    assert_eq!(app.state.active, Some(DocumentId::new("doc")));

    // A different article under that id cannot be merged: it is refused, and the deleted one
    // stays restorable.
    app.send(Action::DeleteDocument {
        id: DocumentId::new("doc"),
    });
    let now = app.now();
    app.send(Action::CreateDocument {
        id: DocumentId::new("doc"),
        title: "other".to_owned(),
        text: ArticleText::normalize("A different article."),
        now,
    });
    assert!(app.send(Action::RestoreDeletedDocument));
    assert_ids_unique(&app);
    assert_eq!(
        app.state.notice.as_ref().map(|n| n.kind),
        Some(NoticeKind::Error)
    );
    assert!(app.state.deleted.is_some());
}

#[test]
fn deleted_document_is_restored_at_its_position_with_its_history() {
    let mut app = App::empty();
    app.create("first");
    app.create("second");
    app.tag_text("Monday", Label::Entity);
    app.create("third");
    let revision = app.state.revision;

    assert!(app.send(Action::DeleteDocument {
        id: DocumentId::new("second")
    }));
    assert_eq!(app.document_ids(), ["first", "third"]);
    assert_eq!(
        app.state.notice.as_ref().map(|n| n.kind),
        Some(NoticeKind::DocumentDeleted)
    );
    assert_eq!(app.state.revision, revision + 1);

    assert!(app.send(Action::RestoreDeletedDocument));
    assert_eq!(app.document_ids(), ["first", "second", "third"]);
    assert_eq!(app.state.active, Some(DocumentId::new("second")));
    assert_eq!(app.state.notice, None);
    assert_eq!(app.tagged(), tagged(&[("Monday", Label::Entity)]));
    assert!(app.undo(), "the undo history came back too");
    assert!(app.tagged().is_empty());
    assert!(!app.send(Action::RestoreDeletedDocument), "only once");
}

#[test]
fn deleting_the_open_document_closes_it() {
    let mut app = App::with_article();
    app.select_text("Monday");
    app.send(Action::DeleteDocument {
        id: DocumentId::new("doc"),
    });
    assert_eq!(app.state.active, None);
    assert_eq!(app.state.pending, None);
    assert!(app.state.documents.is_empty());
    assert!(
        !app.send(Action::DeleteDocument {
            id: DocumentId::new("doc")
        }),
        "already gone"
    );
}

#[test]
fn creating_a_document_never_replaces_another() {
    let mut app = App::with_article();
    app.tag_text("Monday", Label::Entity);
    let original = Rc::clone(&app.state.documents[0].document);
    // Same id (two tabs, or a clock collision): refused with a notice.
    assert!(app.create("doc"));
    assert_eq!(app.document_ids(), ["doc"]);
    assert!(Rc::ptr_eq(&app.state.documents[0].document, &original));
    assert_eq!(
        app.state.notice.as_ref().map(|n| n.kind),
        Some(NoticeKind::Error)
    );
    // A new id is added after it, and the first one is untouched.
    assert!(app.create("doc-2"));
    assert_eq!(app.document_ids(), ["doc", "doc-2"]);
    assert!(Rc::ptr_eq(&app.state.documents[0].document, &original));
    assert!(app.document().annotations().is_empty());
}

#[test]
fn edits_apply_to_the_open_document_only() {
    let mut app = App::empty();
    app.create("one");
    app.create("two");
    app.tag_text("Monday", Label::Entity);
    app.send(Action::OpenDocument {
        id: DocumentId::new("one"),
    });
    assert!(app.tagged().is_empty());
    assert!(!app.undo(), "the other document's history is its own");
}

#[test]
fn tagging_an_identical_span_again_is_an_error_notice_and_changes_nothing() {
    let mut app = App::with_article();
    app.tag_text("Jane Doe", Label::Entity);
    let document = Rc::clone(&app.state.active_document().unwrap().document);
    let revision = app.state.revision;

    app.select_text("Jane Doe");
    assert!(app.tag(Label::Entity), "the notice is a visible change");
    let notice = app.state.notice.clone().expect("an error notice");
    assert_eq!(notice.kind, NoticeKind::Error);
    assert!(
        notice.message.contains("already tagged entity"),
        "{}",
        notice.message
    );
    assert!(Rc::ptr_eq(
        &app.state.active_document().unwrap().document,
        &document
    ));
    assert_eq!(app.state.revision, revision);
    // A different label on the same span is fine, and clears the notice.
    assert!(app.tag(Label::Claim));
    assert_eq!(app.state.notice, None);
    assert_eq!(app.tagged().len(), 2);
}

/// Runs `step` and returns by how much `revision` moved.
fn revision_delta(app: &mut App, step: impl FnOnce(&mut App) -> bool) -> u64 {
    let before = app.state.revision;
    step(app);
    app.state.revision - before
}

#[test]
fn revision_moves_with_document_changes_only() {
    let mut app = App::with_article();
    assert_eq!(
        revision_delta(&mut app, |a| a.select_text("Monday")),
        0,
        "set pending"
    );
    assert_eq!(revision_delta(&mut app, |a| a.tag(Label::Entity)), 1, "tag");
    let id = app.ids()[0].clone();
    assert_eq!(revision_delta(&mut app, |a| a.select(&id)), 0, "select");
    let reveal = Action::Select {
        id: Some(id.clone()),
        reveal: true,
    };
    assert_eq!(
        revision_delta(&mut app, |a| a.send(reveal)),
        0,
        "select and reveal"
    );
    assert_eq!(
        revision_delta(&mut app, |a| a.click(&[&id])),
        0,
        "click highlight"
    );
    assert_eq!(
        revision_delta(&mut app, |a| a.tag(Label::Claim)),
        1,
        "relabel"
    );
    assert_eq!(
        revision_delta(&mut app, |a| a.delete_selected()),
        1,
        "delete"
    );
    assert_eq!(revision_delta(&mut app, |a| a.undo()), 1, "undo");
    assert_eq!(revision_delta(&mut app, |a| a.redo()), 1, "redo");
    assert_eq!(revision_delta(&mut app, |a| a.undo()), 1, "undo again");

    // The span is tagged `claim` again: tagging it `claim` is refused.
    app.select_text("Monday");
    assert_eq!(
        revision_delta(&mut app, |a| a.tag(Label::Claim)),
        0,
        "refused tag"
    );
    assert_eq!(
        revision_delta(&mut app, |a| a.send(Action::DismissNotice)),
        0,
        "dismiss notice"
    );
    let failed = SaveStatus::Failed("quota".into());
    assert_eq!(
        revision_delta(&mut app, |a| a.send(Action::SaveStatus(failed))),
        0,
        "save status"
    );
    assert_eq!(
        revision_delta(&mut app, |a| a.send(Action::SetPending { selection: None })),
        0,
        "clear pending"
    );
    assert_eq!(
        revision_delta(&mut app, |a| a.create("other")),
        1,
        "create document"
    );
    assert_eq!(
        revision_delta(&mut app, |a| a.send(Action::OpenDocument {
            id: DocumentId::new("doc")
        })),
        1,
        "switching documents changes the stored index"
    );
}

#[test]
fn a_stored_active_id_that_no_longer_exists_opens_nothing() {
    let document = Document::new(
        DocumentId::new("kept"),
        "t".into(),
        ArticleText::normalize("x"),
        at(0),
    );
    let state = AppState::new(
        vec![document],
        Some(DocumentId::new("gone")),
        SaveStatus::Saved,
        None,
    );
    assert_eq!(state.active, None);
    let state = AppState::new(
        state
            .documents
            .iter()
            .map(|d| (*d.document).clone())
            .collect(),
        Some(DocumentId::new("kept")),
        SaveStatus::Saved,
        None,
    );
    assert_eq!(state.active, Some(DocumentId::new("kept")));
}

// ---------------------------------------------------------------------------------------------
// Import: detect, preview, map labels, choose the unit, confirm or cancel. Nothing is stored
// before the confirmation, and a rejected file changes nothing.
// ---------------------------------------------------------------------------------------------

/// What the dialogs module makes of picked files: it hands the read job to the formats worker
/// (here run in place, its messages serialised as they would be to cross) and works out the
/// review, asking the page how its copies compare (the question and the answer cross too).
fn review(
    app: &App,
    files: &[InputFile],
    unit: Option<OffsetUnit>,
    now: Timestamp,
) -> Result<Review, ReadFailure> {
    let job: Job = crossed(&read_job(files, unit, now));
    let outcome: Outcome = crossed(&job::run(job));
    let review = Review::from_outcome(files, outcome, now)?;
    let ids = crossed(&review.ids());
    let copies = crossed(&app.state.copies_of(&ids));
    Ok(review.with_copies(&copies).unwrap())
}

/// `value` after a trip through JSON, as messages between the modules and the worker travel.
fn crossed<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T) -> T {
    serde_json::from_str(&serde_json::to_string(value).unwrap()).unwrap()
}

/// What the page does when the user imports from `review`: reads the documents the module hands
/// back and places them. "Keep both" gives the copies ids fresh-0, fresh-1, ...
fn confirm(app: &mut App, review: &Review, choice: ImportChoice, mapping: &LabelMap) -> bool {
    let mut fresh = 0..;
    let fresh_id = || DocumentId::new(&format!("fresh-{}", fresh.next().unwrap()));
    let imported = crossed(&review.finish(choice, mapping, fresh_id));
    let documents = imported_documents(&imported).unwrap();
    app.send(Action::ImportConfirm {
        source: imported.source,
        documents,
        replace: imported.replace,
        skipped: imported.skipped,
        merged_spans: imported.merged_spans,
    })
}

fn input(name: &str, contents: &str) -> InputFile {
    InputFile {
        name: name.into(),
        bytes: contents.as_bytes().to_vec(),
    }
}

const FOREIGN_JSONL: &str = r#"{"text": "Angela Merkel of the CDU said so.", "meta": {"id": "m", "title": "M"}, "spans": [{"start": 0, "end": 13, "label": "PERSON"}, {"start": 0, "end": 13, "label": "entity"}, {"start": 21, "end": 24, "label": "ORG"}, {"start": 25, "end": 33, "label": "Quotation"}]}
"#;

#[test]
fn an_import_is_previewed_mapped_and_stored_only_on_confirmation() {
    let mut app = App::with_article();
    let now = app.now();
    assert!(app.send(Action::ImportStart));
    let review = review(&app, &[input("foreign.jsonl", FOREIGN_JSONL)], None, now).unwrap();
    assert_eq!(review.format, ImportFormat::Jsonl);
    assert_eq!(app.document_ids(), ["doc"], "nothing stored yet");
    let person = Label::parse_any("PERSON").unwrap();
    let quotation = Label::parse_any("Quotation").unwrap();
    // "Quotation" is preselected as quote, the named-entity types "PERSON" and "ORG" as entity.
    let mut mapping = review.suggested_mapping();
    assert_eq!(mapping.get(&quotation), Some(&Label::Quote));
    assert_eq!(mapping.get(&person), Some(&Label::Entity));
    let org = Label::parse_any("ORG").unwrap();
    assert_eq!(mapping.get(&org), Some(&Label::Entity));
    // The user keeps ORG as it is.
    mapping.remove(&org);
    assert_eq!(
        review.mapped_counts(&mapping),
        [
            (Label::Quote, 1),
            (Label::Entity, 2),
            (Label::Claim, 0),
            (org.clone(), 1)
        ]
    );
    assert_eq!(
        review.summary(&mapping),
        "1 document, 4 spans: 1 quote, 2 entity, 0 claim, 1 ORG."
    );
    assert_eq!(review.conflicts(), 0);
    assert!(confirm(
        &mut app,
        &review,
        ImportChoice::SkipExisting,
        &mapping
    ));
    assert!(!app.state.importing);
    assert_eq!(app.document_ids(), ["doc", "m"]);
    assert_eq!(
        app.state.active,
        Some(DocumentId::new("m")),
        "the import is shown"
    );
    let labels: Vec<Label> = app
        .document()
        .annotations()
        .iter()
        .map(|a| a.label.clone())
        .collect();
    // PERSON became entity and merged with the entity already on that span.
    assert_eq!(labels, [Label::Entity, org, Label::Quote]);
    let notice = app.state.notice.clone().unwrap();
    assert_eq!(
        notice.message,
        "Imported “foreign.jsonl” (JSONL (spaCy / Prodigy style)): 1 added, 0 replaced, 0 skipped. 1 span merged \
         into an identical one (same place and label)."
    );
}

#[test]
fn documents_already_here_are_kept_beside_replaced_or_skipped_as_the_user_chose() {
    let same_id = FOREIGN_JSONL.replace(r#""id": "m""#, r#""id": "doc""#);
    let file = [input("again.jsonl", &same_id)];
    let original = App::with_article().document().clone();
    for (choice, ids, counts) in [
        (
            ImportChoice::KeepBoth,
            vec!["doc", "fresh-0"],
            "1 added, 0 replaced, 0 skipped",
        ),
        (
            ImportChoice::Replace,
            vec!["doc"],
            "0 added, 1 replaced, 0 skipped",
        ),
        (
            ImportChoice::SkipExisting,
            vec!["doc"],
            "0 added, 0 replaced, 1 skipped",
        ),
    ] {
        let mut app = App::with_article();
        let now = app.now();
        app.send(Action::ImportStart);
        let review = review(&app, &file, None, now).unwrap();
        assert_eq!(review.conflicts(), 1);
        assert!(confirm(&mut app, &review, choice, &LabelMap::new()));
        assert_eq!(app.document_ids(), ids, "{choice:?}");
        let local = &app.state.documents[0].document;
        assert_eq!(
            local.text().as_str() == original.text().as_str(),
            choice != ImportChoice::Replace,
            "{choice:?}: the local copy is only replaced when asked"
        );
        let notice = app.state.notice.clone().unwrap().message;
        assert!(notice.contains(counts), "{choice:?}: {notice}");
    }
}

#[test]
fn the_review_says_which_documents_are_here_and_never_calls_an_undated_copy_newer() {
    let mut app = App::with_article();
    let now = app.now();
    let same_id = FOREIGN_JSONL.replace(r#""id": "m""#, r#""id": "doc""#);
    app.send(Action::ImportStart);
    let review = review(&app, &[input("again.jsonl", &same_id)], None, now).unwrap();
    assert_eq!(review.conflicts(), 1);
    let (status, here) = review.status(&review.read()[0], &review.suggested_mapping());
    assert!(here);
    // JSONL keeps no time of change: the file's copy is not "newer" for being read now.
    assert!(
        status.starts_with("already here, with other content"),
        "{status}"
    );
}

#[test]
fn a_file_imported_again_is_compared_as_its_labels_are_mapped() {
    let mut app = App::with_article();
    let now = app.now();
    let file = [input("foreign.jsonl", FOREIGN_JSONL)];
    app.send(Action::ImportStart);
    let first = review(&app, &file, None, now).unwrap();
    assert!(confirm(
        &mut app,
        &first,
        ImportChoice::SkipExisting,
        &first.suggested_mapping()
    ));
    // The same file again: mapped as before, it is what the library holds.
    app.send(Action::ImportStart);
    let again = review(&app, &file, None, now).unwrap();
    let document = &again.read()[0];
    let (status, here) = again.status(document, &again.suggested_mapping());
    assert!(here);
    assert_eq!(status, "already here, identical");
    // Keeping PERSON as it is, the file's copy has other content than the library's.
    let mut keep_person = again.suggested_mapping();
    keep_person.remove(&Label::parse_any("PERSON").unwrap());
    let (status, _) = again.status(document, &keep_person);
    assert!(
        status.starts_with("already here, with other content"),
        "{status}"
    );
}

#[test]
fn a_rejected_file_is_shown_with_its_record_and_changes_nothing() {
    let mut app = App::with_article();
    let before = app.state.documents.clone();
    let now = app.now();
    app.send(Action::ImportStart);
    let review = review(
        &app,
        &[input(
            "bad.jsonl",
            r#"{"text": "abc", "label": [[0, 9, "X"]]}"#,
        )],
        None,
        now,
    )
    .unwrap();
    let error = review.documents.clone().unwrap_err();
    assert_eq!(error.record, "bad.jsonl, line 1, span 1");
    assert!(error.to_string().contains("past the end"), "{error}");
    assert!(review
        .finish(ImportChoice::Replace, &LabelMap::new(), || DocumentId::new(
            "x"
        ))
        .documents
        .is_empty());
    assert!(app.send(Action::ImportCancel));
    assert_eq!(app.state.documents, before);
    assert!(!app.state.importing);
}

#[test]
fn an_import_cancelled_while_the_review_answers_adds_nothing() {
    let mut app = App::with_article();
    let now = app.now();
    app.send(Action::ImportStart);
    let review = review(&app, &[input("foreign.jsonl", FOREIGN_JSONL)], None, now).unwrap();
    // Escape reached the page first.
    assert!(app.send(Action::ImportCancel));
    assert!(!confirm(
        &mut app,
        &review,
        ImportChoice::SkipExisting,
        &LabelMap::new()
    ));
    assert_eq!(app.document_ids(), ["doc"]);
}

#[test]
fn the_doccano_unit_can_be_changed_and_the_file_is_read_again() {
    let mut app = App::empty();
    let now = app.now();
    // "👍" is two UTF-16 units: [3, 6) is "Bob" in UTF-16 and past the end in code points.
    let file = [input(
        "d.jsonl",
        r#"{"text": "👍 Bob", "label": [[3, 6, "PER"]]}"#,
    )];
    app.send(Action::ImportStart);
    let guessed = review(&app, &file, None, now).unwrap();
    assert_eq!(guessed.format, ImportFormat::Doccano);
    assert_eq!(
        (guessed.unit, guessed.guessed_unit),
        (OffsetUnit::Utf16, OffsetUnit::Utf16)
    );
    assert!(guessed.documents.is_ok());
    let now = app.now();
    let chosen = review(&app, &file, Some(OffsetUnit::CodePoint), now).unwrap();
    assert_eq!(chosen.unit, OffsetUnit::CodePoint);
    assert!(chosen.documents.is_err());
    assert!(app.send(Action::ImportCancel));
    assert!(app.state.documents.is_empty());
}

#[test]
fn a_file_in_no_known_format_is_a_notice_not_a_dialog() {
    let mut app = App::empty();
    let now = app.now();
    app.send(Action::ImportStart);
    let failure = review(&app, &[input("notes.txt", "just some notes")], None, now).unwrap_err();
    assert!(failure.to_string().contains("notes.txt"), "{failure}");
    assert!(app.send(Action::ImportFailed(format!(
        "Nothing was imported ({failure})."
    ))));
    assert!(!app.state.importing);
    let notice = app.state.notice.clone().unwrap();
    assert_eq!(notice.kind, NoticeKind::Error);
    assert!(notice.message.contains("notes.txt"), "{}", notice.message);
}

/// What the live region reads out: every edit, its undo and its redo, each a new announcement
/// (so the same words twice are read twice); typing a note is not read out.
#[test]
fn edits_undo_and_redo_are_announced_in_words() {
    let mut app = App::with_article();
    assert_eq!(app.state.announcement.serial, 0);
    let id = app.tag_text("Jane Doe", Label::Entity);
    assert_eq!(&*app.state.announcement.text, "Tagged Entity “Jane Doe”.");
    let first = app.state.announcement.serial;
    app.select(&id);
    app.tag(Label::Quote);
    assert_eq!(
        &*app.state.announcement.text,
        "Relabelled “Jane Doe” from Entity to Quote."
    );
    app.delete_selected();
    assert_eq!(&*app.state.announcement.text, "Deleted Quote “Jane Doe”.");
    app.undo();
    assert_eq!(
        &*app.state.announcement.text,
        "Undone: deleted Quote “Jane Doe”."
    );
    app.redo();
    assert_eq!(
        &*app.state.announcement.text,
        "Redone: deleted Quote “Jane Doe”."
    );
    assert!(app.state.announcement.serial > first + 3);
    app.undo();
    let before_note = app.state.announcement.clone();
    let now = app.now();
    app.send(Action::SetNote {
        id: Some(id),
        note: "checked".into(),
        now,
    });
    assert_eq!(app.state.announcement, before_note);
}

// ---------------------------------------------------------------------------------------------
// Fixing the text and attaching a W3C file's quotes: both reach the page as one undoable edit.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_text_fix_is_one_step_and_its_orphan_is_placed_or_deleted_by_steps_of_their_own() {
    use annotator_core::model::text_fix::{fix_text, with_orphan_placed, without_orphan};
    let mut app = App::with_article();
    app.tag_text("Jane Doe", Label::Entity);
    app.tag_text("Monday", Label::Entity);
    let before = Rc::new(app.document().clone());
    let fixed_text = ArticleText::normalize(&ARTICLE.replace("Jane Doe", "Jane Dow"));
    let now = app.now();
    let fixed = Rc::new(fix_text(&before, fixed_text.clone(), now).document);
    assert!(app.send(Action::ReplaceBody {
        before: Rc::clone(&before),
        after: fixed,
        now,
    }));
    assert_eq!(app.document().text(), &fixed_text);
    assert_eq!(app.tagged(), [("Monday".to_owned(), Label::Entity)]);
    let orphan = app.document().orphans()[0].id().clone();
    // Placed on the corrected words, then undone: an orphan again; undone again: the old text.
    let at = {
        let t = app.document().text().as_str();
        let byte = t.find("Jane Dow").unwrap();
        let start = t[..byte].chars().count();
        CharRange::from_raw(start, start + 8).unwrap()
    };
    let now = app.now();
    let placed = with_orphan_placed(app.document(), &orphan, at, now).unwrap();
    assert!(app.send(Action::ReplaceBody {
        before: Rc::new(app.document().clone()),
        after: Rc::new(placed),
        now,
    }));
    assert_eq!(app.tagged()[0], ("Jane Dow".to_owned(), Label::Entity));
    assert!(app.document().orphans().is_empty());
    app.undo();
    assert_eq!(app.document().orphans().len(), 1);
    app.undo();
    assert_eq!(app.document().text(), before.text());
    assert_eq!(
        app.tagged(),
        [
            ("Jane Doe".to_owned(), Label::Entity),
            ("Monday".to_owned(), Label::Entity)
        ]
    );
    app.redo();
    let now = app.now();
    let deleted = without_orphan(app.document(), &orphan, now).unwrap();
    assert!(app.send(Action::ReplaceBody {
        before: Rc::new(app.document().clone()),
        after: Rc::new(deleted),
        now,
    }));
    assert!(app.document().orphans().is_empty());
    assert_eq!(app.tagged(), [("Monday".to_owned(), Label::Entity)]);
    // A fix made from a copy the article no longer is (another tab changed it) changes nothing.
    let stale = Rc::clone(&before);
    let now = app.now();
    let again = Rc::new(fix_text(&stale, ArticleText::normalize("x"), now).document);
    assert!(app.send(Action::ReplaceBody {
        before: stale,
        after: again,
        now
    }));
    assert_eq!(app.document().text(), &fixed_text);
    assert_eq!(
        app.state.notice.as_ref().map(|n| n.kind),
        Some(NoticeKind::Error)
    );
}

#[test]
fn a_w3c_file_of_quotes_attaches_to_the_open_article_as_one_undoable_edit() {
    use annotator_core::formats::detect::ImportFormat;
    let file = r#"[{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "h1", "type": "Annotation",
        "body": {"type": "TextualBody", "purpose": "tagging", "value": "PERSON"},
        "target": {"source": "https://example.org/a", "selector": {"type": "TextQuoteSelector", "exact": "Jane Doe"}}},
      {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "h2", "type": "Annotation",
        "body": {"type": "TextualBody", "purpose": "tagging", "value": "PERSON"},
        "target": {"source": "https://example.org/a", "selector": {"type": "TextQuoteSelector", "exact": "Nobody"}}}]"#;
    let mut app = App::with_article();
    app.tag_text("Monday", Label::Entity);
    app.create("other");
    app.send(Action::OpenDocument {
        id: DocumentId::new("doc"),
    });
    assert!(app.send(Action::ImportStart));
    let now = app.now();
    let job: Job = crossed(&read_job(&[input("h.jsonld", file)], None, now));
    let outcome: Outcome = crossed(&job::run(job));
    let review = Review::from_outcome(&[input("h.jsonld", file)], outcome, now).unwrap();
    assert_eq!(review.format, ImportFormat::W3c);
    assert_eq!(review.quoted().len(), 2);
    let every = crossed(&vec![
        article_annotator::import_review::protocol::EVERY_ARTICLE.to_owned(),
    ]);
    let articles: Vec<Document> = app
        .state
        .copies_of(&every)
        .iter()
        .map(|c| c.document().unwrap())
        .collect();
    // The open article first; both have the text, so the open one is chosen.
    assert_eq!(articles[0].id.as_str(), "doc");
    let review = review.attached_to(&articles, now);
    let report = review.attach.as_ref().unwrap();
    assert_eq!(report.missing.len(), 1);
    let mapping = review.suggested_mapping();
    let imported = crossed(&review.finish(ImportChoice::SkipExisting, &mapping, || {
        DocumentId::new("unused")
    }));
    assert!(imported.attach);
    let mut documents = imported_documents(&imported).unwrap();
    assert_eq!(documents.len(), 2);
    assert!(app.send(Action::ImportAttach {
        source: imported.source,
        after: documents.remove(1),
        before: documents.remove(0),
    }));
    assert!(!app.state.importing);
    assert_eq!(app.document_ids(), ["doc", "other"]);
    assert_eq!(
        app.tagged(),
        [
            ("Jane Doe".to_owned(), Label::Entity),
            ("Monday".to_owned(), Label::Entity)
        ]
    );
    assert!(app
        .state
        .notice
        .as_ref()
        .unwrap()
        .message
        .starts_with("Attached 1 annotation"));
    app.undo();
    assert_eq!(app.tagged(), [("Monday".to_owned(), Label::Entity)]);
}

#[test]
fn a_text_fixed_in_another_tab_drops_the_selection_made_on_the_old_text_and_says_so() {
    use annotator_core::model::text_fix::fix_text;
    let mut app = App::with_article();
    app.tag_text("Monday", Label::Entity);
    let base = Rc::new(app.document().clone());
    app.select_text("Jane Doe");
    assert!(app.state.pending.is_some());
    let now = app.now();
    let fixed = fix_text(
        &base,
        ArticleText::normalize(&format!("Intro. {ARTICLE}")),
        now,
    )
    .document;
    assert!(app.send(Action::External(ExternalChange::Document {
        id: DocumentId::new("doc"),
        theirs: Some(Rc::new(fixed)),
        base: Some(base),
    })));
    assert!(app.document().text().as_str().starts_with("Intro. "));
    assert_eq!(app.tagged(), [("Monday".to_owned(), Label::Entity)]);
    // Tagging now would tag the old offsets' words: the selection is gone, and undo too.
    assert!(app.state.pending.is_none());
    assert!(!app.state.active_document().unwrap().history.can_undo());
    let notice = app.state.notice.as_ref().unwrap();
    assert!(
        notice.message.contains("was fixed in another tab"),
        "{}",
        notice.message
    );
}

#[test]
fn edits_record_the_annotator_the_state_holds() {
    use annotator_core::model::{AnnotatorName, Authors};
    let name = |n: &str| AnnotatorName::parse(n).unwrap();
    let mut app = App::with_article();
    // Before a name is set, an annotation is made by nobody known.
    let early = app.tag_text("Monday", Label::Entity);
    assert!(app.annotation(&early).authors.is_empty());

    assert!(app.send(Action::SetAnnotator(Some(name("ann")))));
    assert!(
        !app.send(Action::SetAnnotator(Some(name("ann")))),
        "no change, no render"
    );
    let id = app.tag_text("Jane Doe", Label::Entity);
    assert_eq!(
        app.annotation(&id).authors,
        Authors::made(Some(&name("ann")))
    );

    // Another tab (or the dialog) renamed the annotator: a relabel is theirs.
    app.send(Action::SetAnnotator(Some(name("李 雷"))));
    app.select(&id);
    app.tag(Label::Claim);
    assert_eq!(
        app.annotation(&id).authors,
        Authors {
            made_by: Some(name("ann")),
            changed_by: Some(name("李 雷")),
        }
    );
    // Undone by whoever undoes it; the span keeps its maker.
    app.send(Action::SetAnnotator(None));
    assert!(app.undo());
    assert_eq!(app.annotation(&id).label, Label::Entity);
    assert_eq!(app.annotation(&id).authors.made_by, Some(name("ann")));
    assert_eq!(app.annotation(&id).authors.changed_by, None);
    // The first annotation was never touched.
    assert!(app.annotation(&early).authors.is_empty());

    // Asked before the first export, Ann says the unnamed work is hers: only that one is signed,
    // and it is saved (the revision moves).
    let revision = app.state.revision;
    let now = app.now();
    assert!(app.send(Action::SignUnnamed {
        name: name("ann"),
        now
    }));
    assert_eq!(
        app.annotation(&early).authors,
        Authors::made(Some(&name("ann")))
    );
    assert_eq!(app.annotation(&id).authors.made_by, Some(name("ann")));
    assert_eq!(
        app.annotation(&id).authors.changed_by,
        None,
        "left as it was"
    );
    assert!(app.state.revision > revision);
    let now = app.now();
    assert!(
        !app.send(Action::SignUnnamed {
            name: name("bob"),
            now
        }),
        "nothing left to sign"
    );
}
