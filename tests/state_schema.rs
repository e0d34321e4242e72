#![cfg(not(target_arch = "wasm32"))]
//! The label schema in the app, natively: `SchemaAction` in the reducer (renames follow into
//! every document, a span that already has the new label keeps the old one and says so, a bad
//! or read-only change is refused, another tab's schema is taken in), the settings dialog's
//! draft (renames recorded in order, removal never deletes, findings and "Add to schema"), and
//! what the schema store writes.
//!
//! Why: the schema guides but never deletes; these are the rules that keep an edit of it from
//! losing or silently changing annotations.

use std::rc::Rc;

use annotator_core::model::schema::{Colour, Finding};
use annotator_core::model::schema_edit::{Part, Rename};
use annotator_core::model::word_snap::SnappedSelection;
use annotator_core::model::{
    ArticleText, CharRange, Document, DocumentId, Label, Schema, Timestamp,
};
use annotator_core::persist::schema_entry::{decode_schema, encode_schema, schema_key};
use annotator_core::persist::{MemoryStore, Store};
use article_annotator::components::label_class::label_class;
use article_annotator::hooks::use_schema_store::{save_if_changed, SchemaSaved};
use article_annotator::schema_editor::dialog_state::{FileMessage, SettingsAction, SettingsState};
use article_annotator::schema_editor::draft::{documents_after, Edit, End, SchemaDraft};
use article_annotator::schema_editor::{describe_finding, schema_file};
use article_annotator::state::{Action, AppState, NoticeKind, SaveStatus, SchemaAction};
use yew::Reducible;

const ARTICLE: &str = "Jane Doe said “北京 is 😀 great” in Paris.";

fn at(millis: i64) -> Timestamp {
    Timestamp::from_unix_millis(millis)
}

fn span(needle: &str) -> CharRange {
    let text = ArticleText::normalize(ARTICLE);
    let byte = text.as_str().find(needle).unwrap();
    let start = text.as_str()[..byte].chars().count();
    CharRange::from_raw(start, start + needle.chars().count()).unwrap()
}

fn custom(name: &str) -> Label {
    Label::parse_any(name).unwrap()
}

/// The reducer as the UI drives it (whatever `reduce` returns replaces the state).
struct App {
    state: Rc<AppState>,
}

impl App {
    /// One document, "doc", with `spans` tagged.
    fn with(spans: &[(&str, Label)]) -> Self {
        let mut app = App {
            state: Rc::new(AppState::new(vec![], None, SaveStatus::Saved, None)),
        };
        app.send(Action::CreateDocument {
            id: DocumentId::new("doc"),
            title: "doc".into(),
            text: ArticleText::normalize(ARTICLE),
            now: at(1),
        });
        for (needle, label) in spans {
            app.send(Action::SetPending {
                selection: Some(SnappedSelection::exact(span(needle))),
            });
            app.send(Action::Tag {
                label: label.clone(),
                now: at(2),
            });
        }
        app
    }

    fn send(&mut self, action: Action) -> bool {
        let next = Rc::clone(&self.state).reduce(action);
        let changed = !Rc::ptr_eq(&next, &self.state);
        self.state = next;
        changed
    }

    fn document(&self) -> &Document {
        &self.state.documents[0].document
    }

    fn labels(&self) -> Vec<(String, String)> {
        let text = self.document().text().clone();
        self.document()
            .annotations()
            .iter()
            .map(|a| {
                (
                    text.slice(a.range).unwrap().to_owned(),
                    a.label.as_str().to_owned(),
                )
            })
            .collect()
    }

    fn replace(&mut self, schema: Schema, renames: Vec<Rename>) -> bool {
        self.send(Action::Schema(SchemaAction::Replace {
            schema,
            renames,
            now: at(10),
        }))
    }
}

fn rename_label(from: Label, to: &str) -> Rename {
    Rename {
        part: Part::Label(from),
        to: Rc::from(to),
    }
}

#[test]
fn a_renamed_label_follows_into_every_document() {
    let mut app = App::with(&[
        ("Jane Doe", Label::Entity),
        ("北京 is 😀 great", Label::Quote),
    ]);
    let revision = app.state.revision;
    let mut draft = SchemaDraft::new(Schema::default());
    draft
        .apply(Edit::Rename {
            part: Part::Label(Label::Quote),
            to: " Quotation ".into(),
        })
        .unwrap();
    assert_eq!(draft.renames, vec![rename_label(Label::Quote, "Quotation")]);
    assert!(app.replace(draft.schema.clone(), draft.renames.clone()));
    assert_eq!(
        app.labels(),
        vec![
            ("Jane Doe".to_owned(), "entity".to_owned()),
            ("北京 is 😀 great".to_owned(), "Quotation".to_owned()),
        ]
    );
    assert_eq!(app.state.schema.labels[0].label, custom("Quotation"));
    // Relation types that connected quotes now connect the renamed label.
    let said_by = &app.state.schema.relations[0];
    assert_eq!(said_by.from, vec![custom("Quotation")]);
    assert!(
        app.state.revision > revision,
        "autosave must see the change"
    );
    assert_eq!(app.state.notice, None);
}

#[test]
fn a_span_that_already_has_the_new_label_keeps_the_old_one_and_says_so() {
    // The same span is a quote and a PERSON (a label the schema lacks); renaming quote to
    // PERSON cannot give that span PERSON twice.
    let mut app = App::with(&[
        ("Jane Doe", Label::Quote),
        ("Jane Doe", custom("PERSON")),
        ("Paris", Label::Quote),
    ]);
    let mut draft = SchemaDraft::new(Schema::default());
    draft
        .apply(Edit::Rename {
            part: Part::Label(Label::Quote),
            to: "PERSON".into(),
        })
        .unwrap();
    app.replace(draft.schema, draft.renames);
    let mut labels = app.labels();
    labels.sort();
    assert_eq!(
        labels,
        vec![
            ("Jane Doe".to_owned(), "PERSON".to_owned()),
            ("Jane Doe".to_owned(), "quote".to_owned()),
            ("Paris".to_owned(), "PERSON".to_owned()),
        ]
    );
    let notice = app.state.notice.clone().unwrap();
    assert_eq!(notice.kind, NoticeKind::Info);
    assert!(
        notice
            .message
            .starts_with("1 annotation kept its old label"),
        "{}",
        notice.message
    );
}

#[test]
fn renamed_attributes_values_and_relation_types_follow_too() {
    let app = App::with(&[
        ("北京 is 😀 great", Label::Quote),
        ("Jane Doe", Label::Entity),
    ]);
    let open = app.state.documents[0].document.clone();
    let quote = open.annotations()[1].id.clone();
    let jane = open.annotations()[0].id.clone();
    let mut document = (*open).clone();
    document
        .set_attribute(&quote, "type", Some("direct"), at(3))
        .unwrap();
    document
        .link(
            annotator_core::model::Relation::new(
                annotator_core::model::RelationKind::parse("said_by").unwrap(),
                quote.clone(),
                jane.clone(),
            ),
            at(3),
        )
        .unwrap();
    let documents = vec![document];

    let mut draft = SchemaDraft::new(Schema::default());
    let edits = [
        Edit::Rename {
            part: Part::Attribute {
                label: Label::Quote,
                name: Rc::from("type"),
            },
            to: "form".into(),
        },
        Edit::Rename {
            part: Part::Value {
                label: Label::Quote,
                name: Rc::from("form"),
                value: Rc::from("direct"),
            },
            to: "verbatim".into(),
        },
        Edit::Rename {
            part: Part::Relation(annotator_core::model::RelationKind::parse("said_by").unwrap()),
            to: "attributed_to".into(),
        },
    ];
    for edit in edits {
        draft.apply(edit).unwrap();
    }
    let after = documents_after(&draft.renames, &documents);
    let quote_after = after[0].annotation(&quote).unwrap();
    assert_eq!(quote_after.attributes.get("form"), Some("verbatim"));
    assert_eq!(quote_after.attributes.get("type"), None);
    assert_eq!(after[0].relations()[0].kind.as_str(), "attributed_to");
    assert_eq!(draft.schema.findings(after.iter()), vec![]);
    // Before the renames are applied, the documents would not match the draft.
    assert_eq!(draft.schema.findings(documents.iter()).len(), 2);
}

#[test]
fn an_invalid_schema_or_a_read_only_library_changes_nothing() {
    let mut app = App::with(&[("Paris", Label::Quote)]);
    let before = app.state.clone();
    let mut bad = Schema::default();
    bad.labels[1].key = Some('q');
    assert!(app.replace(bad, vec![rename_label(Label::Quote, "Quotation")]));
    assert_eq!(app.state.documents, before.documents);
    assert_eq!(app.state.schema, before.schema);
    let notice = app.state.notice.clone().unwrap();
    assert_eq!(notice.kind, NoticeKind::Error);
    assert!(notice.message.contains("'q'"), "{}", notice.message);

    // A newer version of the app owns the schema entry: this tab does not change it.
    let mut locked = App::with(&[("Paris", Label::Quote)]);
    locked.state = Rc::new((*locked.state).clone().with_schema(Schema::default(), true));
    let mut renamed = Schema::default();
    renamed.labels[0].label = custom("Quotation");
    locked.replace(renamed, vec![rename_label(Label::Quote, "Quotation")]);
    assert_eq!(locked.labels()[0].1, "quote");
    assert_eq!(*locked.state.schema, Schema::default());
    assert_eq!(
        locked.state.notice.as_ref().map(|n| n.kind),
        Some(NoticeKind::Error)
    );
}

#[test]
fn another_tabs_schema_is_taken_in_without_touching_documents() {
    let mut app = App::with(&[("Paris", Label::Quote)]);
    let revision = app.state.revision;
    assert!(!app.send(Action::Schema(SchemaAction::External(Schema::default()))));
    let mut theirs = Schema::default();
    theirs.labels[0].colour = Colour::parse("#000000").unwrap();
    theirs.labels.remove(2);
    assert!(app.send(Action::Schema(SchemaAction::External(theirs.clone()))));
    assert_eq!(*app.state.schema, theirs);
    assert_eq!(app.labels()[0].1, "quote");
    // Not a change of this tab's documents: autosave has nothing to write.
    assert_eq!(app.state.revision, revision);
}

fn documents_with_unknowns() -> Vec<Document> {
    let mut document = Document::new(
        DocumentId::new("d"),
        "d".into(),
        ArticleText::normalize(ARTICLE),
        at(0),
    );
    for (needle, label) in [
        ("Jane", custom("PERSON")),
        ("Doe", custom("PERSON")),
        ("Paris", Label::Entity),
    ] {
        document.add(span(needle), label, at(0)).unwrap();
    }
    let paris = document
        .annotations()
        .iter()
        .find(|a| a.label == Label::Entity)
        .unwrap()
        .id
        .clone();
    document
        .set_attribute(&paris, "kind", Some("city"), at(0))
        .unwrap();
    vec![document]
}

#[test]
fn findings_read_as_sentences_and_each_can_be_added_to_the_schema() {
    let documents = documents_with_unknowns();
    let mut draft = SchemaDraft::new(Schema::default());
    let findings = draft.schema.findings(documents.iter());
    let text: Vec<String> = findings.iter().map(describe_finding).collect();
    assert_eq!(
        text,
        vec![
            "label \"PERSON\" is not in the schema (2×)".to_owned(),
            "entity kind = \"city\" is not one of the schema's values".to_owned(),
        ]
    );
    for finding in findings {
        draft.apply(Edit::Adopt(finding)).unwrap();
    }
    assert_eq!(draft.schema.findings(documents.iter()), vec![]);
    let person = draft.schema.label(&custom("PERSON")).unwrap();
    assert_eq!(person.key, None);
    // The first colour no label uses.
    assert_eq!(person.colour.as_str(), "#2e7d32");
    let kind = &draft.schema.label(&Label::Entity).unwrap().attributes[0];
    assert_eq!(kind.values.last().map(|v| &**v), Some("city"));
    draft.schema.check().unwrap();
}

#[test]
fn removing_a_part_in_use_asks_first_and_never_deletes_annotations() {
    let documents = documents_with_unknowns();
    let mut settings = Rc::new(SettingsState::new(Schema::default()));
    let send = |settings: &mut Rc<SettingsState>, action| {
        *settings = Rc::clone(settings).reduce(action);
    };
    // Nothing uses "claim": removed at once.
    send(
        &mut settings,
        SettingsAction::AskRemove {
            part: Part::Label(Label::Claim),
            uses: 0,
        },
    );
    assert!(settings.draft.schema.label(&Label::Claim).is_none());
    assert_eq!(settings.confirm, None);
    // Entity is used once: the dialog asks; "Keep it" keeps it.
    let entity = Part::Label(Label::Entity);
    let uses = annotator_core::model::schema_edit::uses(&entity, documents.iter());
    assert_eq!(uses, 1);
    send(
        &mut settings,
        SettingsAction::AskRemove {
            part: entity.clone(),
            uses,
        },
    );
    assert_eq!(settings.confirm.as_ref().map(|r| r.uses), Some(1));
    send(&mut settings, SettingsAction::KeepPart);
    assert!(settings.draft.schema.label(&Label::Entity).is_some());
    send(
        &mut settings,
        SettingsAction::AskRemove { part: entity, uses },
    );
    send(&mut settings, SettingsAction::ConfirmRemove);
    assert!(settings.draft.schema.label(&Label::Entity).is_none());
    // The relation types keep naming entity: a restriction never silently widens.
    assert_eq!(settings.draft.schema.relations[0].from, vec![Label::Quote]);
    assert_eq!(settings.draft.schema.relations[0].to, vec![Label::Entity]);
    let findings = settings.draft.schema.findings(documents.iter());
    assert!(findings.contains(&Finding::UnknownLabel {
        label: Label::Entity,
        count: 1
    }));
    assert!(settings.draft.renames.is_empty());
}

#[test]
fn refused_edits_say_why_beside_their_field_and_change_nothing() {
    let mut settings = Rc::new(SettingsState::new(Schema::default()));
    let edit = |settings: &mut Rc<SettingsState>, field: &str, edit: Edit| {
        *settings = Rc::clone(settings).reduce(SettingsAction::Edit {
            field: field.to_owned(),
            edit,
        });
    };
    let before = settings.draft.clone();
    edit(
        &mut settings,
        "name-1",
        Edit::Rename {
            part: Part::Label(Label::Entity),
            to: "quote".into(),
        },
    );
    assert_eq!(settings.error("name-1"), Some("\"quote\" already exists"));
    edit(&mut settings, "new", Edit::AddLabel("  ".into()));
    assert_eq!(settings.error("new"), Some("a label cannot be empty"));
    edit(
        &mut settings,
        "colour",
        Edit::SetColour {
            label: Label::Quote,
            colour: "red".into(),
        },
    );
    assert!(settings.error("colour").is_some());
    edit(
        &mut settings,
        "value",
        Edit::AddValue {
            label: Label::Quote,
            name: Rc::from("type"),
            value: "direct".into(),
        },
    );
    assert!(settings.error("value").unwrap().contains("already"));
    assert_eq!(settings.draft, before);
    // Renaming to the same name records nothing; a correct edit clears the field's message.
    edit(
        &mut settings,
        "name-1",
        Edit::Rename {
            part: Part::Label(Label::Entity),
            to: "entity".into(),
        },
    );
    assert_eq!(settings.error("name-1"), None);
    assert!(!settings.draft.differs_from(&Schema::default()));

    // A duplicate key is a schema `check` refuses: kept in the draft, shown, not applicable.
    edit(
        &mut settings,
        "key",
        Edit::SetLabelKey {
            label: Label::Entity,
            key: Some('q'),
        },
    );
    assert!(settings.draft.schema.check().is_err());
}

#[test]
fn relation_ends_reading_order_and_keys_are_edited_in_the_draft() {
    let mut draft = SchemaDraft::new(Schema::default());
    draft.apply(Edit::AddRelation("located_in".into())).unwrap();
    let kind = annotator_core::model::RelationKind::parse("located_in").unwrap();
    for (end, label) in [(End::From, Label::Entity), (End::To, Label::Entity)] {
        draft
            .apply(Edit::SetRelationEnd {
                kind: kind.clone(),
                end,
                label,
                allowed: true,
            })
            .unwrap();
    }
    draft
        .apply(Edit::SetRelationKey {
            kind: kind.clone(),
            key: Some('l'),
        })
        .unwrap();
    draft
        .apply(Edit::SetReadingOrder {
            kind: kind.clone(),
            on: true,
        })
        .unwrap();
    let spec = draft.schema.relation(&kind).unwrap();
    assert_eq!(
        (
            spec.from.clone(),
            spec.to.clone(),
            spec.key,
            spec.reading_order
        ),
        (vec![Label::Entity], vec![Label::Entity], Some('l'), true)
    );
    draft
        .apply(Edit::SetRelationEnd {
            kind: kind.clone(),
            end: End::From,
            label: Label::Entity,
            allowed: false,
        })
        .unwrap();
    assert!(draft.schema.relation(&kind).unwrap().from.is_empty());
    assert!(draft.apply(Edit::AddRelation("located_in".into())).is_err());
    // Round trip through the schema file, as Export and Import do.
    let json = annotator_core::formats::schema_file::export(&draft.schema);
    assert_eq!(
        annotator_core::formats::schema_file::import(&json).unwrap(),
        draft.schema
    );
    assert_eq!(
        schema_file::file_name(&draft.schema),
        "quote-entity-claim.schema.json"
    );
}

#[test]
fn an_imported_file_or_the_default_replaces_the_draft_and_forgets_its_renames() {
    let mut renamed = Schema::default();
    renamed.labels[0].label = custom("Quotation");
    let mut settings = Rc::new(SettingsState::new(renamed));
    settings = Rc::clone(&settings).reduce(SettingsAction::Edit {
        field: String::new(),
        edit: Edit::Rename {
            part: Part::Label(Label::Entity),
            to: "Source".into(),
        },
    });
    assert_eq!(settings.draft.renames.len(), 1);
    let refused = Rc::clone(&settings).reduce(SettingsAction::FileRead {
        file_name: "x.schema.json".into(),
        read: Err("not a schema file".into()),
    });
    assert_eq!(
        refused.draft, settings.draft,
        "a refused file changes nothing"
    );
    assert!(matches!(refused.file, Some(FileMessage::Refused { .. })));
    let reset = Rc::clone(&settings).reduce(SettingsAction::Reset);
    assert_eq!(reset.draft, SchemaDraft::new(Schema::default()));
    assert_eq!(reset.file, Some(FileMessage::Reset));
}

#[test]
fn custom_labels_of_the_schema_get_their_colour_class() {
    let mut draft = SchemaDraft::new(Schema::default());
    draft.apply(Edit::AddLabel("PERSON".into())).unwrap();
    assert_eq!(label_class(&draft.schema, &custom("PERSON")), "custom lc-3");
    assert_eq!(label_class(&draft.schema, &custom("ORG")), "custom");
    assert_eq!(label_class(&draft.schema, &Label::Claim), "claim");
}

#[test]
fn the_schema_store_writes_changes_only_and_leaves_a_newer_entry_alone() {
    let mut store = MemoryStore::new();
    let mut schema = Schema::default();
    assert_eq!(
        save_if_changed(&mut store, &schema),
        Ok(SchemaSaved::Written)
    );
    assert_eq!(
        save_if_changed(&mut store, &schema),
        Ok(SchemaSaved::AlreadyStored)
    );
    schema.labels[0].key = Some('1');
    assert_eq!(
        save_if_changed(&mut store, &schema),
        Ok(SchemaSaved::Written)
    );
    let stored = store.get(&schema_key()).unwrap().unwrap();
    assert_eq!(decode_schema(&stored).unwrap(), schema);

    // A newer version wrote the entry since: left byte for byte.
    let newer = encode_schema(&schema).replace("\"version\":4", "\"version\":99");
    store.set(&schema_key(), &newer).unwrap();
    let error = save_if_changed(&mut store, &Schema::default()).unwrap_err();
    assert!(error.contains("newer version"), "{error}");
    assert_eq!(store.get(&schema_key()).unwrap().unwrap(), newer);

    // A full store: the error says so, and what was stored stays.
    let mut full = MemoryStore::new();
    full.quota_bytes = Some(10);
    let error = save_if_changed(&mut full, &schema).unwrap_err();
    assert!(error.contains("full"), "{error}");
    assert_eq!(full.get(&schema_key()).unwrap(), None);
}

#[test]
fn each_label_tags_a_drag_as_its_snap_rule_makes_it() {
    use annotator_core::model::text_units::PlainSegmenter;
    use annotator_core::model::word_snap::SnapRule;

    let mut app = App::with(&[]);
    let mut schema = Schema::default();
    schema.labels[2].snap = SnapRule::Exact; // claim
    schema.labels[0].snap = SnapRule::WordsWithoutPunctuation; // quote
    assert!(app.replace(schema, vec![]));
    let text = app.document().text().clone();
    // A sloppy drag from inside "Doe" to inside "said".
    let dragged = |app: &mut App| {
        let range = CharRange::from_raw(6, 11).unwrap();
        let selection = SnappedSelection::snapped(&text, range, &PlainSegmenter);
        app.send(Action::SetPending { selection });
    };
    for label in [Label::Entity, Label::Claim] {
        dragged(&mut app);
        app.send(Action::Tag { label, now: at(20) });
    }
    // A drag over the quotation, its marks included, for a quote without punctuation.
    let quotation = span("“北京 is 😀 great”");
    let selection = SnappedSelection::snapped(&text, quotation, &PlainSegmenter);
    app.send(Action::SetPending { selection });
    app.send(Action::Tag {
        label: Label::Quote,
        now: at(21),
    });
    let mut labels = app.labels();
    labels.sort();
    assert_eq!(
        labels,
        vec![
            ("Doe said".to_owned(), "entity".to_owned()),
            ("oe sa".to_owned(), "claim".to_owned()),
            ("北京 is 😀 great".to_owned(), "quote".to_owned()),
        ]
    );
}

#[test]
fn guidelines_saved_with_the_schema_are_stored_with_it_and_too_long_ones_are_refused() {
    let mut app = App::with(&[("Paris", Label::Quote)]);
    let revision = app.state.revision;
    let mut with_guidelines = (*app.state.schema).clone();
    with_guidelines.guidelines = "## Quote\nOnly the words said.".into();
    assert!(app.replace(with_guidelines.clone(), vec![]));
    assert_eq!(*app.state.schema, with_guidelines);
    // A change for the store to write, carrying the guidelines.
    assert!(app.state.revision > revision);
    let stored = decode_schema(&encode_schema(&app.state.schema)).unwrap();
    assert_eq!(stored.guidelines, with_guidelines.guidelines);

    let mut long = with_guidelines.clone();
    long.guidelines = "x".repeat(annotator_core::model::schema::GUIDELINES_MAX_CHARS + 1);
    app.replace(long, vec![]);
    assert_eq!(*app.state.schema, with_guidelines);
    let notice = app.state.notice.clone().unwrap();
    assert_eq!(notice.kind, NoticeKind::Error);
    assert!(notice.message.contains("guidelines"), "{}", notice.message);
}

#[test]
fn a_schema_file_or_the_default_without_guidelines_keeps_the_ones_in_force() {
    let written = Schema {
        guidelines: "## Claim\nCheckable statements.".into(),
        ..Schema::default()
    };
    let settings = Rc::new(SettingsState::new(written.clone()));
    let reset = Rc::clone(&settings).reduce(SettingsAction::Reset);
    assert_eq!(reset.draft.schema.guidelines, written.guidelines);
    let theirs = Schema {
        guidelines: "## Quote\nTheirs.".into(),
        ..Schema::default()
    };
    let read = Rc::clone(&settings).reduce(SettingsAction::FileRead {
        file_name: "theirs.schema.json".into(),
        read: Ok(theirs.clone()),
    });
    assert_eq!(read.draft.schema.guidelines, theirs.guidelines);
    // And the file carries them: exported, then read back.
    let file = annotator_core::formats::schema_file::export(&theirs);
    assert_eq!(
        annotator_core::formats::schema_file::import(&file).unwrap(),
        theirs
    );
}
