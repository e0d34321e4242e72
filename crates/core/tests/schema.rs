#![cfg(not(target_arch = "wasm32"))]
//! The label schema (`model::schema`, `model::schema_edit`) and its storage entry
//! (`persist::schema_entry`, read by `persist::load`).
//!
//! Why: the schema is the user's own setting. A check must refuse a schema the app cannot use
//! (two labels on one key, a label on the key that links) and say why; a rename must follow into
//! every document without losing a span or a relation; what documents hold that the schema lacks
//! must be counted, never dropped; and a stored schema that is damaged, or newer than this app,
//! must never stop the library from loading nor be written over.

use std::rc::Rc;

use annotator_core::model::schema::{
    AttributeSpec, Colour, Finding, LabelSpec, RelationSpec, SchemaError,
};
use annotator_core::model::schema_edit::{uses, Part, Rename, Renamed};
use annotator_core::model::word_snap::SnapRule;
use annotator_core::model::{
    Annotation, AnnotationId, ArticleText, CharRange, Document, DocumentId, Label, Relation,
    RelationKind, Schema, Timestamp,
};
use annotator_core::persist::schema_entry::{self, decode_schema, encode_schema, save_schema};
use annotator_core::persist::stored::{self, StoredError, STORE_FORMAT};
use annotator_core::persist::{load, MemoryStore, Store};

const TEXT: &str = "Zoë said “北京 is near” 😀; the minister said so. שלום e\u{301}.";

fn at(millis: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_900_000_000_000 + millis)
}

fn id(s: &str) -> AnnotationId {
    AnnotationId::new(s)
}

fn kind(name: &str) -> RelationKind {
    RelationKind::parse(name).unwrap()
}

fn custom(name: &str) -> Label {
    Label::parse_any(name).unwrap()
}

fn annotation(
    i: &str,
    label: Label,
    start: usize,
    end: usize,
    values: &[(&str, &str)],
) -> Annotation {
    let mut a = Annotation::new(id(i), label, CharRange::from_raw(start, end).unwrap());
    for (name, value) in values {
        a.attributes.set(name, Some(value)).unwrap();
    }
    a
}

fn document(annotations: Vec<Annotation>, relations: &[(&str, &str, &str)]) -> Document {
    let empty = Document::new(
        DocumentId::new("d1"),
        "T".into(),
        ArticleText::normalize(TEXT),
        at(0),
    );
    Document::from_parts(empty, annotations, 1)
        .unwrap()
        .with_relations(
            relations
                .iter()
                .map(|(from, k, to)| Relation::new(kind(k), id(from), id(to)))
                .collect(),
        )
        .unwrap()
}

/// a1 quote type=direct, a2 entity kind=person, a3 claim, a4 entity; a1 said_by a2, a3 about a4.
fn sample() -> Document {
    document(
        vec![
            annotation("a1", Label::Quote, 9, 21, &[("type", "direct")]),
            annotation("a2", Label::Entity, 0, 3, &[("kind", "person")]),
            annotation("a3", Label::Claim, 23, 45, &[]),
            annotation("a4", Label::Entity, 27, 35, &[]),
        ],
        &[("a1", "said_by", "a2"), ("a3", "about", "a4")],
    )
}

// ---------------------------------------------------------------------------------------------
// Schema::check.
// ---------------------------------------------------------------------------------------------

#[test]
fn the_default_schema_passes_its_own_check() {
    let schema = Schema::default();
    schema.check().unwrap();
    assert_eq!(schema.label_for_key("Q").unwrap().label, Label::Quote);
    assert_eq!(schema.relation_for_key("s").unwrap().kind, kind("said_by"));
    assert!(schema.findings([&sample()]).is_empty());
}

#[test]
fn check_refuses_every_duplicate_and_reserved_key_with_its_message() {
    let refused = |change: &dyn Fn(&mut Schema)| {
        let mut schema = Schema::default();
        change(&mut schema);
        let error = schema.check().unwrap_err();
        (error.clone(), error.to_string())
    };
    assert_eq!(
        refused(&|s| {
            let copy = s.labels[1].clone();
            s.labels.push(LabelSpec { key: None, ..copy });
        }),
        (
            SchemaError::DuplicateLabel("entity".into()),
            "label \"entity\" is listed twice".into()
        )
    );
    assert_eq!(
        refused(&|s| s.labels[2].key = Some('q')),
        (
            SchemaError::DuplicateKey {
                key: 'q',
                first: "quote".into(),
                second: "claim".into()
            },
            "key 'q' is used by both \"quote\" and \"claim\"".into()
        )
    );
    assert_eq!(
        refused(&|s| s.relations[1].key = Some('s')),
        (
            SchemaError::DuplicateKey {
                key: 's',
                first: "said_by".into(),
                second: "made_by".into()
            },
            "key 's' is used by both \"said_by\" and \"made_by\"".into()
        )
    );
    assert_eq!(
        refused(&|s| s.labels[0].key = Some('r')),
        (
            SchemaError::ReservedKey {
                key: 'r',
                what: "link"
            },
            "key 'r' is taken by the app (link)".into()
        )
    );
    assert_eq!(
        refused(&|s| s.labels[0].key = Some('n')).0,
        SchemaError::ReservedKey {
            key: 'n',
            what: "note"
        }
    );
    assert_eq!(
        refused(&|s| s.labels[0].key = Some('Q')).0,
        SchemaError::BadKey { key: "Q".into() }
    );
    assert_eq!(
        refused(&|s| s.labels[0].key = Some('-')).0,
        SchemaError::BadKey { key: "-".into() }
    );
    assert_eq!(
        refused(&|s| {
            let copy = s.labels[1].attributes[0].clone();
            s.labels[1].attributes.push(copy);
        }),
        (
            SchemaError::DuplicateAttribute {
                label: "entity".into(),
                name: "kind".into()
            },
            "label \"entity\" has the attribute \"kind\" twice".into()
        )
    );
    assert_eq!(
        refused(&|s| s.labels[0].attributes[0].values.push(Rc::from("direct"))),
        (
            SchemaError::DuplicateValue {
                label: "quote".into(),
                name: "type".into(),
                value: "direct".into()
            },
            "attribute \"type\" of \"quote\" lists the value \"direct\" twice".into()
        )
    );
    assert_eq!(
        refused(&|s| {
            let copy = s.relations[0].clone();
            s.relations.push(RelationSpec { key: None, ..copy });
        }),
        (
            SchemaError::DuplicateRelation("said_by".into()),
            "relation type \"said_by\" is listed twice".into()
        )
    );
    assert!(matches!(
        refused(&|s| s.labels[0].attributes[0].name = Rc::from(" type")).0,
        SchemaError::Name(_)
    ));
    assert!(matches!(
        refused(&|s| s.labels[0].attributes[0].values[0] = Rc::from("")).0,
        SchemaError::Name(_)
    ));

    // A label key and a relation key may be the same letter: they are used in different modes.
    let mut schema = Schema::default();
    schema.relations[0].key = Some('q');
    schema.check().unwrap();
    // And a digit key is fine.
    schema.labels[0].key = Some('1');
    schema.check().unwrap();
}

#[test]
fn colours_and_keys_parse_only_their_one_shape() {
    assert_eq!(Colour::parse("#1769AA").unwrap().as_str(), "#1769aa");
    assert_eq!(Colour::parse("#1769aa").unwrap().rgb(), (0x17, 0x69, 0xaa));
    for bad in ["1769aa", "#1769a", "#1769aag", "#éééééé", ""] {
        assert_eq!(
            Colour::parse(bad),
            Err(SchemaError::BadColour(bad.into())),
            "{bad:?}"
        );
    }
    use annotator_core::model::schema::parse_key;
    assert_eq!(parse_key(""), Ok(None));
    assert_eq!(parse_key("Q"), Ok(Some('q')));
    assert_eq!(parse_key("7"), Ok(Some('7')));
    assert!(parse_key("0").is_err());
    assert!(parse_key("ab").is_err());
}

// ---------------------------------------------------------------------------------------------
// Findings.
// ---------------------------------------------------------------------------------------------

#[test]
fn findings_count_what_the_documents_hold_and_the_schema_lacks() {
    let d1 = document(
        vec![
            annotation(
                "a1",
                Label::Quote,
                9,
                21,
                &[("type", "paraphrase"), ("tone", "calm")],
            ),
            annotation(
                "a2",
                Label::Entity,
                0,
                3,
                &[("id", "Q42"), ("kind", "person")],
            ),
            annotation("a3", custom("speaker"), 23, 27, &[("x", "y")]),
            annotation("a4", custom("speaker"), 28, 33, &[]),
            annotation("a5", Label::Claim, 23, 45, &[("check_worthy", "maybe")]),
            annotation("a6", Label::Quote, 35, 45, &[("type", "paraphrase")]),
        ],
        &[
            ("a1", "said_by", "a2"),
            ("a1", "located_in", "a2"),
            ("a6", "located_in", "a1"),
            ("a2", "said_by", "a1"),
            ("a5", "said_by", "a2"),
            ("a3", "about", "a4"),
        ],
    );
    let d2 = document(
        vec![annotation(
            "a9",
            Label::Quote,
            0,
            3,
            &[("type", "paraphrase")],
        )],
        &[],
    );
    let findings = Schema::default().findings([&d1, &d2]);
    let paraphrase = Finding::UnknownValue {
        label: Label::Quote,
        name: "type".into(),
        value: "paraphrase".into(),
        count: 3,
    };
    let expected = vec![
        paraphrase,
        Finding::UnknownAttribute {
            label: Label::Quote,
            name: "tone".into(),
            count: 1,
        },
        Finding::UnknownLabel {
            label: custom("speaker"),
            count: 2,
        },
        Finding::UnknownValue {
            label: Label::Claim,
            name: "check_worthy".into(),
            value: "maybe".into(),
            count: 1,
        },
        Finding::UnknownRelation {
            kind: kind("located_in"),
            count: 2,
        },
        Finding::UnexpectedEnds {
            kind: kind("said_by"),
            from: Label::Entity,
            to: Label::Quote,
            count: 1,
        },
        Finding::UnexpectedEnds {
            kind: kind("said_by"),
            from: Label::Claim,
            to: Label::Entity,
            count: 1,
        },
        Finding::UnexpectedEnds {
            kind: kind("about"),
            from: custom("speaker"),
            to: custom("speaker"),
            count: 1,
        },
    ];
    // Every finding once, counted; a free-text attribute (entity id) accepts any value, and a
    // label the schema lacks is reported once, not for each of its values.
    let mut got = findings.clone();
    let mut want = expected.clone();
    let key = |f: &Finding| format!("{f:?}");
    got.sort_by_key(key);
    want.sort_by_key(key);
    assert_eq!(got, want);
    let shown: Vec<String> = findings.iter().map(ToString::to_string).collect();
    assert!(
        shown.contains(
            &"quote type = \"paraphrase\" is not one of the schema's values (3×)".to_owned()
        ),
        "{shown:?}"
    );
    assert!(
        shown.contains(&"relation type \"located_in\" is not in the schema (2×)".to_owned()),
        "{shown:?}"
    );
    assert!(
        shown.contains(&"label \"speaker\" is not in the schema (2×)".to_owned()),
        "{shown:?}"
    );
    assert!(
        shown
            .contains(&"said by links entity to quote, which the schema does not allow".to_owned()),
        "{shown:?}"
    );
    // The findings never change a document: what the schema lacks is kept.
    assert_eq!(d1.relations().len(), 6);
}

#[test]
fn knows_value_and_relations_between_follow_the_schema() {
    let schema = Schema::default();
    assert!(schema.knows_value(&Label::Quote, "type", "direct"));
    assert!(!schema.knows_value(&Label::Quote, "type", "paraphrase"));
    assert!(schema.knows_value(&Label::Entity, "id", "anything at all"));
    assert!(!schema.knows_value(&custom("speaker"), "type", "direct"));
    let between: Vec<&str> = schema
        .relations_between(&Label::Claim, &Label::Entity)
        .map(|r| r.kind.as_str())
        .collect();
    assert_eq!(between, ["made_by", "about"]);
    // A reading-order type runs from the earlier span to the later one, whichever was picked
    // first; another type keeps the direction it was drawn in.
    let first = annotation("a1", Label::Quote, 0, 3, &[]);
    let second = annotation("a2", Label::Quote, 10, 12, &[]);
    let r = schema.orient(kind("continues"), &second, &first);
    assert_eq!((r.from.as_str(), r.to.as_str()), ("a1", "a2"));
    let r = schema.orient(kind("said_by"), &second, &first);
    assert_eq!((r.from.as_str(), r.to.as_str()), ("a2", "a1"));
}

// ---------------------------------------------------------------------------------------------
// Renames and uses.
// ---------------------------------------------------------------------------------------------

fn rename(part: Part, to: &str) -> Rename {
    Rename {
        part,
        to: Rc::from(to),
    }
}

#[test]
fn renaming_a_label_relabels_annotations_and_keeps_relation_ends() {
    let mut schema = Schema::default();
    let r = rename(Part::Label(Label::Entity), "speaker");
    schema.rename(&r).unwrap();
    schema.check().unwrap();
    assert!(schema.label(&Label::Entity).is_none());
    assert_eq!(schema.label(&custom("speaker")).unwrap().key, Some('e'));
    // Relation types that allowed the label allow the new name.
    assert_eq!(
        schema.relation(&kind("said_by")).unwrap().to,
        [custom("speaker")]
    );

    let mut d = sample();
    let before = d.clone();
    assert_eq!(
        d.rename(&r, at(5)),
        Renamed {
            changed: 2,
            kept: 0
        }
    );
    d.check_invariants().unwrap();
    assert_eq!(d.annotation(&id("a2")).unwrap().label, custom("speaker"));
    assert_eq!(
        d.annotation(&id("a2")).unwrap().attributes,
        before.annotation(&id("a2")).unwrap().attributes
    );
    assert_eq!(
        d.relations(),
        before.relations(),
        "the same ids, the same relations"
    );
    assert_eq!(d.modified, at(5));
    assert!(schema.findings([&d]).is_empty());
    assert_eq!(uses(&Part::Label(custom("speaker")), [&d]), 2);
    assert_eq!(uses(&Part::Label(Label::Entity), [&d]), 0);
}

#[test]
fn a_label_rename_onto_a_span_that_already_carries_the_new_label_is_kept() {
    // a2 is an entity, a5 a person on the same span: renaming entity → person would give that
    // span the label twice, so a2 keeps "entity" and is counted as kept.
    let mut d = document(
        vec![
            annotation("a2", Label::Entity, 0, 3, &[]),
            annotation("a5", custom("person"), 0, 3, &[]),
            annotation("a4", Label::Entity, 27, 35, &[]),
            annotation("a1", Label::Quote, 9, 21, &[]),
        ],
        &[("a1", "said_by", "a2")],
    );
    let done = d.rename(&rename(Part::Label(Label::Entity), "person"), at(3));
    assert_eq!(
        done,
        Renamed {
            changed: 1,
            kept: 1
        }
    );
    d.check_invariants().unwrap();
    assert_eq!(d.annotation(&id("a2")).unwrap().label, Label::Entity);
    assert_eq!(d.annotation(&id("a4")).unwrap().label, custom("person"));
    assert_eq!(d.relations().len(), 1);
}

#[test]
fn attribute_value_and_relation_renames_follow_into_documents() {
    let mut schema = Schema::default();
    let mut d = sample();
    d.set_attribute(&id("a4"), "kind", Some("person"), at(1))
        .unwrap();
    d.set_attribute(&id("a4"), "role", Some("x"), at(1))
        .unwrap();

    // Attribute: kind → category, on entities only; one that already has the new name keeps both.
    let r = rename(
        Part::Attribute {
            label: Label::Entity,
            name: Rc::from("kind"),
        },
        "category",
    );
    schema.rename(&r).unwrap();
    d.set_attribute(&id("a4"), "category", Some("place"), at(1))
        .unwrap();
    assert_eq!(
        d.rename(&r, at(2)),
        Renamed {
            changed: 1,
            kept: 0
        }
    );
    let values = |d: &Document, i: &str| -> Vec<(String, String)> {
        d.annotation(&id(i))
            .unwrap()
            .attributes
            .iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect()
    };
    let pair = |n: &str, v: &str| (n.to_owned(), v.to_owned());
    assert_eq!(values(&d, "a2"), [pair("category", "person")]);
    assert_eq!(
        values(&d, "a4"),
        [
            pair("category", "place"),
            pair("kind", "person"),
            pair("role", "x")
        ],
        "a value of the new name is never overwritten"
    );

    // Value: quote type direct → verbatim.
    let r = rename(
        Part::Value {
            label: Label::Quote,
            name: Rc::from("type"),
            value: Rc::from("direct"),
        },
        "verbatim",
    );
    schema.rename(&r).unwrap();
    assert_eq!(
        d.rename(&r, at(3)),
        Renamed {
            changed: 1,
            kept: 0
        }
    );
    assert_eq!(values(&d, "a1"), [pair("type", "verbatim")]);
    assert!(schema.knows_value(&Label::Quote, "type", "verbatim"));
    assert!(!schema.knows_value(&Label::Quote, "type", "direct"));

    // Relation type: said_by → attributed_to.
    let r = rename(Part::Relation(kind("said_by")), "attributed_to");
    schema.rename(&r).unwrap();
    assert_eq!(
        d.rename(&r, at(4)),
        Renamed {
            changed: 1,
            kept: 0
        }
    );
    assert_eq!(
        d.relations(),
        [
            Relation::new(kind("attributed_to"), id("a1"), id("a2")),
            Relation::new(kind("about"), id("a3"), id("a4")),
        ]
    );
    d.check_invariants().unwrap();
    assert_eq!(
        uses(&Part::Relation(kind("attributed_to")), [&d, &sample()]),
        1
    );
    assert_eq!(uses(&Part::Relation(kind("said_by")), [&d, &sample()]), 1);
    schema.check().unwrap();
    // Only the unknown "role" and a4's left-over "kind" remain to report.
    let findings = schema.findings([&d]);
    assert_eq!(findings.len(), 2, "{findings:?}");
}

#[test]
fn a_relation_rename_onto_an_existing_link_keeps_one() {
    let mut d = document(
        vec![
            annotation("a1", Label::Quote, 9, 21, &[]),
            annotation("a2", Label::Entity, 0, 3, &[]),
        ],
        &[("a1", "said_by", "a2"), ("a1", "about", "a2")],
    );
    d.rename(&rename(Part::Relation(kind("said_by")), "about"), at(1));
    d.check_invariants().unwrap();
    assert_eq!(
        d.relations(),
        [Relation::new(kind("about"), id("a1"), id("a2"))]
    );
}

#[test]
fn schema_renames_refuse_a_missing_part_a_taken_name_and_a_bad_name() {
    let mut schema = Schema::default();
    let before = schema.clone();
    let refuse = |schema: &mut Schema, part: Part, to: &str| schema.rename(&rename(part, to));
    assert_eq!(
        refuse(&mut schema, Part::Label(custom("nope")), "x"),
        Err(SchemaError::NothingToRename("label nope".into()))
    );
    assert_eq!(
        refuse(&mut schema, Part::Label(Label::Quote), "claim"),
        Err(SchemaError::NameTaken("claim".into()))
    );
    assert!(matches!(
        refuse(&mut schema, Part::Label(Label::Quote), " spaced"),
        Err(SchemaError::Name(_))
    ));
    assert_eq!(
        refuse(
            &mut schema,
            Part::Attribute {
                label: Label::Entity,
                name: Rc::from("kind")
            },
            "id"
        ),
        Err(SchemaError::NameTaken("id".into()))
    );
    assert_eq!(
        refuse(
            &mut schema,
            Part::Value {
                label: Label::Quote,
                name: Rc::from("type"),
                value: Rc::from("direct")
            },
            "mixed"
        ),
        Err(SchemaError::NameTaken("mixed".into()))
    );
    assert_eq!(
        refuse(&mut schema, Part::Relation(kind("said_by")), "about"),
        Err(SchemaError::NameTaken("about".into()))
    );
    assert!(matches!(
        refuse(&mut schema, Part::Relation(kind("nope")), "x"),
        Err(SchemaError::NothingToRename(_))
    ));
    assert_eq!(schema, before, "a refused rename changes nothing");
    // An unusable name changes no document either.
    let mut d = sample();
    let unchanged = d.clone();
    assert_eq!(
        d.rename(&rename(Part::Label(Label::Quote), ""), at(9)),
        Renamed::default()
    );
    assert_eq!(d, unchanged);
}

#[test]
fn uses_counts_each_part_across_documents() {
    let d = sample();
    let docs = [&d, &d];
    assert_eq!(uses(&Part::Label(Label::Entity), docs), 4);
    assert_eq!(
        uses(
            &Part::Attribute {
                label: Label::Quote,
                name: Rc::from("type")
            },
            docs
        ),
        2
    );
    assert_eq!(
        uses(
            &Part::Value {
                label: Label::Entity,
                name: Rc::from("kind"),
                value: Rc::from("person")
            },
            docs
        ),
        2
    );
    assert_eq!(
        uses(
            &Part::Value {
                label: Label::Quote,
                name: Rc::from("kind"),
                value: Rc::from("person")
            },
            docs
        ),
        0,
        "only on the label named"
    );
    assert_eq!(uses(&Part::Relation(kind("about")), docs), 2);
}

// ---------------------------------------------------------------------------------------------
// The stored schema entry.
// ---------------------------------------------------------------------------------------------

/// A schema unlike the default in every field the entry carries.
fn edited_schema() -> Schema {
    let mut schema = Schema::default();
    schema.labels.push(LabelSpec {
        label: custom("speaker «北京» 😀"),
        colour: Colour::parse("#00ff7f").unwrap(),
        key: Some('9'),
        attributes: vec![
            AttributeSpec {
                name: Rc::from("rôle"),
                values: vec![Rc::from("primary"), Rc::from("שני")],
            },
            AttributeSpec {
                name: Rc::from("wikidata"),
                values: Vec::new(),
            },
        ],
        snap: SnapRule::WordsWithoutPunctuation,
    });
    schema.labels[0].key = None;
    schema.labels[2].snap = SnapRule::Exact;
    schema.relations.push(RelationSpec {
        kind: kind("located_in"),
        key: None,
        from: Vec::new(),
        to: vec![Label::Entity, custom("speaker «北京» 😀")],
        reading_order: true,
    });
    schema.check().unwrap();
    schema
}

#[test]
fn a_saved_schema_entry_reads_back_and_loads() {
    let schema = edited_schema();
    let mut store = MemoryStore::new();
    save_schema(&mut store, &schema).unwrap();
    let json = store.get(&schema_entry::schema_key()).unwrap().unwrap();
    assert_eq!(json, encode_schema(&schema));
    assert_eq!(decode_schema(&json).unwrap(), schema);
    let loaded = load(&mut store, at(1));
    assert_eq!(loaded.schema, Some(schema));
    assert!(!loaded.newer_schema);
    assert!(loaded.problems.is_empty() && loaded.quarantined.is_empty());
    // A library that never saved one has none: the caller uses the default.
    let loaded = load(&mut MemoryStore::new(), at(1));
    assert_eq!(loaded.schema, None);
    assert!(!loaded.newer_schema && loaded.problems.is_empty());
}

#[test]
fn a_damaged_schema_entry_is_moved_aside_and_reported() {
    let good = encode_schema(&Schema::default());
    let damaged = [
        "{".to_owned(),
        "null".to_owned(),
        good.replace("\"version\":4", "\"version\":3"),
        good.replace(
            "\"format\":\"article-annotator-store\"",
            "\"format\":\"other\"",
        ),
        // Two labels on one key: it parses, but the app cannot use it.
        good.replace("\"key\":\"e\"", "\"key\":\"q\""),
        good.replace("#1769aa", "blue"),
    ];
    for json in damaged {
        let mut store = MemoryStore::new();
        store.set(&schema_entry::schema_key(), &json).unwrap();
        let loaded = load(&mut store, at(7));
        assert_eq!(loaded.schema, None, "{json}");
        assert!(!loaded.newer_schema);
        assert_eq!(loaded.problems.len(), 1, "{json}: {:?}", loaded.problems);
        assert!(
            loaded.problems[0].starts_with("The label schema could not be read (")
                && loaded.problems[0].ends_with("); the default schema is used."),
            "{}",
            loaded.problems[0]
        );
        assert_eq!(loaded.quarantined.len(), 1);
        let (key, why) = &loaded.quarantined[0];
        assert!(why.starts_with("article-annotator:schema — "), "{why}");
        // Moved aside whole: the raw value is what was stored, and the key is free.
        assert_eq!(
            annotator_core::persist::load::raw_entry(&store, key).unwrap(),
            json
        );
        assert_eq!(store.get(&schema_entry::schema_key()).unwrap(), None);
        // The next start-up finds nothing wrong.
        let again = load(&mut store, at(8));
        assert!(again.problems.is_empty(), "{:?}", again.problems);
        assert_eq!(again.quarantined.len(), 1);
    }
}

#[test]
fn a_schema_entry_a_newer_app_wrote_is_left_byte_identical() {
    let newer = format!(
        r#"{{"format":"{STORE_FORMAT}","version":99,"schema":{{"labels":"a new shape","layers":[1]}}}}"#
    );
    let mut store = MemoryStore::new();
    store.set(&schema_entry::schema_key(), &newer).unwrap();
    let before = store.entries().clone();
    let loaded = load(&mut store, at(1));
    assert!(loaded.newer_schema);
    assert_eq!(loaded.schema, None);
    assert!(loaded.problems.is_empty() && loaded.quarantined.is_empty());
    assert_eq!(store.entries(), &before);
    assert!(matches!(
        decode_schema(&newer),
        Err(StoredError::NewerVersion { found: 99 })
    ));

    // Under an index a newer app wrote, an entry this app cannot read is not damage either.
    let mut store = MemoryStore::new();
    let index = format!(r#"{{"format":"{STORE_FORMAT}","version":99,"documents":[]}}"#);
    store.set(&stored::index_key(), &index).unwrap();
    store
        .set(
            &schema_entry::schema_key(),
            r#"{"format":"article-annotator-store","version":4,"schema":7}"#,
        )
        .unwrap();
    let before = store.entries().clone();
    let loaded = load(&mut store, at(1));
    assert!(loaded.newer_schema);
    assert_eq!(store.entries(), &before);
}

#[test]
fn the_schema_entry_is_not_taken_for_a_document_or_a_text() {
    let mut store = MemoryStore::new();
    save_schema(&mut store, &edited_schema()).unwrap();
    let key = schema_entry::schema_key();
    assert_eq!(stored::is_document_key(&key), None);
    assert_eq!(stored::is_text_key(&key), None);
    assert!(!stored::is_quarantine_key(&key));
    let loaded = load(&mut store, at(1));
    assert!(loaded.documents.is_empty() && loaded.problems.is_empty());
}
