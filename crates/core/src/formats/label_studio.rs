//! Label Studio JSON: one task per document, its spans as `labels` results of one annotation per
//! annotator, their attribute values, notes and relations as the results Label Studio itself
//! writes for them, plus the labeling config (XML) a Label Studio project needs to show them.
//!
//! # Shape
//!
//! ```json
//! [{"id": 1,
//!   "data": {"text": "…", "title": "…", "document_id": "d1"},
//!   "annotations": [{"created_username": "ann", "result": [
//!     {"id": "a1", "from_name": "label", "to_name": "text", "type": "labels",
//!      "value": {"start": 0, "end": 5, "text": "…", "labels": ["quote"]},
//!      "meta": {"changed_by": "bob"}},
//!     {"id": "a1", "from_name": "quote_type", "to_name": "text", "type": "choices",
//!      "value": {"start": 0, "end": 5, "text": "…", "choices": ["direct"]}},
//!     {"id": "a1", "from_name": "note", "to_name": "text", "type": "textarea",
//!      "value": {"start": 0, "end": 5, "text": ["Check the date."]}},
//!     {"from_id": "a1", "to_id": "a2", "type": "relation", "direction": "right",
//!      "labels": ["said_by"]},
//!     {"id": "article_note", "from_name": "article_note", "to_name": "text",
//!      "type": "textarea", "value": {"text": ["About the whole article."]}}]},
//!    {"created_username": "bob", "result": [
//!     {"id": "a2", "from_name": "label", "to_name": "text", "type": "labels",
//!      "value": {"start": 9, "end": 14, "text": "…", "labels": ["entity"]},
//!      "meta": {"changed_by": "bob"}}]}]}]
//! ```
//!
//! - Task ids count from 1 in export order; a document without annotations, relations or note
//!   has `"annotations": []` (an unlabelled task, not an empty submitted one).
//! - Offsets count Unicode code points (Python's `text[start:end]`), which is what Label Studio
//!   stores since it fixed emoji offsets (label-studio-frontend#308); versions before that counted
//!   UTF-16 units, and the repeated `text` makes such a file fail import loudly instead of
//!   shifting spans.
//! - `from_name` / `to_name` are the names in [`config_for`]: `<Labels name="label">` and
//!   `<Text name="text" value="$text"/>`.
//! - Attribute values and notes are Label Studio's per-region results: a result with the span's
//!   own `id` and offsets, whose `from_name` is a `perRegion="true"` control of the config. An
//!   attribute the schema gives a set of values is a `choices` result of a `<Choices>` control;
//!   a free-text attribute, and any attribute the schema does not know, is a `textarea` result
//!   of a `<TextArea>`. Either control is named [`control_name`]: the label (each `_` doubled)
//!   and `_` and the attribute name, so `quote_type`, `claim_check_worthy`, `PER__X_id` (label
//!   `PER_X`). The note is a `textarea` result of the control [`NOTE_NAME`]. Label Studio writes a
//!   textarea's input over the region's `text`, so there `value.text` is a list: `["…"]`.
//! - Relations are `relation` results from the `from` span to the `to` span (`"direction":
//!   "right"`), their type as the one label, from the config's `<Relations>`.
//! - The article's note is a `textarea` result of the control [`ARTICLE_NOTE_NAME`] with no
//!   region; its `id` is `article_note` (with `-2`, … when a span has that id).
//!
//! # Annotators
//!
//! Label Studio keeps each annotator's work on a task as one entry of `annotations`, so a
//! document's spans are grouped by who made them: one entry per annotator, in name order (by
//! code point), then one for the spans nobody is known to have made; a document whose spans
//! all have one maker, or none known, has one entry, as before. Each span's results (label,
//! values, note) are in its maker's entry; a relation is in the entry of its `from` span, even
//! when its `to` span is in another one; the article's note is in the first entry.
//!
//! - The maker's name is the entry's `created_username`, where Label Studio's own exports name
//!   an annotation's user. `completed_by` is left out: Label Studio's import resolves it among
//!   the project's members (a user id, or `{"email": …}`) and refuses the whole file when it
//!   names nobody it knows, while without it the entries go to the importing user (and
//!   label-studio-converter reads them with an unknown annotator).
//! - Who last changed a span is its `labels` result's `meta.changed_by` (Label Studio keeps a
//!   region's `meta` object as it is). Either is left out when nobody is known.
//!
//! # The labeling config
//!
//! [`config_for`] lists every label of the schema and then every other label the documents use;
//! every relation type of the schema and then the others used; and, for each of those labels,
//! its attribute controls, shown while a span with that label is selected: a `<Choices>` with
//! the schema's values and then any other value the documents use, or a `<TextArea>` for free
//! text and for attributes the schema lacks. Then the note and the article note. Every name is
//! XML-escaped. Label Studio reads `whenLabelValue` as a comma-separated list, so the controls of
//! a label with a comma in its name show for no span; they still import and export. The one
//! control a name could clash with is the article note's (label `article`, attribute `note`):
//! that attribute is left out of the config with a comment, and still round-trips.
//!
//! # Import
//!
//! - A JSON array of tasks, or one task object.
//! - Results come from every annotation whose `was_cancelled` is not `true`, all merged into
//!   one document; a task without one uses its legacy `completions` the same way, else its
//!   first prediction (a model's, so made by nobody); a task with none of these imports with no
//!   spans.
//! - An annotation's spans were made by its `created_username`, else by the `email` of a
//!   `completed_by` object. Label Studio writes `created_username` as "First Last email, id":
//!   a name never holds a comma, so what comes after the last comma (its user id) is dropped.
//!   A blank one (Label Studio's for an annotation without a user) and a numeric `completed_by`
//!   (a user id, not a name) name nobody. A `labels` result's `meta.changed_by` names who last
//!   changed the span. A name that is not usable (over 64 characters, several lines, a comma)
//!   is an error naming the annotation or result.
//! - Per-region results and relations name regions of their own annotation; a relation end no
//!   region of it has is looked for in the task's other annotations (an export puts a relation
//!   between two annotators' spans in the entry of its `from` span).
//! - Where annotations of several annotators have the same span (offsets and label), it is
//!   imported once (`crate::model::same_spans`), made by the first one's annotator, and its
//!   `annotators` attribute names all of them (`ann, bob`), added to any it had.
//! - `labels` results are spans. A result with several labels gives one span per label.
//! - `choices` and `textarea` results whose `id` is a span's are that span's attribute values
//!   and note: `from_name` [`NOTE_NAME`] (a `textarea`) is the note, the lines of its list
//!   joined by `\n`; any other `from_name` is an attribute, named `from_name` without the
//!   span's label and `_` in front ([`control_name`] undone), or all of `from_name` when it does
//!   not start so; several choices are joined by `, `, several textarea lines by a space.
//! - A `textarea` result of [`ARTICLE_NOTE_NAME`] without a span is the article's note.
//! - `relation` results link the first span of the `from_id` result to the first span of the
//!   `to_id` one (the other way round for `"direction": "left"`), once per label; a relation
//!   without labels gets the type [`UNLABELLED_RELATION`].
//! - Other results (document-level `choices`, `rating`, …) are skipped.
//! - The text is the `data` field named by the results' `to_name` when it is a string, else
//!   `data.text`, else the only string field of `data` other than `title` and `document_id`.
//!   All `labels` results of one task must label the same field.
//! - `data.document_id` and `data.title` give the id and title when present (else an id derived
//!   from the text and the first line); result ids become annotation ids when each names one
//!   span and no two are alike (else `a1`, `a2`, … in file order).
//!
//! # What a round trip loses
//!
//! The documents' created and modified times (imported documents get the import time), and
//! annotation ids only in the case above. Ids, titles, texts, labels, spans, attribute values
//! (known to the schema or not), notes, who made and last changed each span, the article's note
//! and relations come back.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use serde_json::{Map, Value};

use super::dataset::{
    build_document_counting, check_size, code_point_offset, json_kind, json_problem,
    make_ids_unique, span_per_label, ForeignDocument, ForeignRelation, ForeignSpan, ImportError,
    OffsetUnit, Problem,
};
use super::jsonl::annotator;
use super::w3c::{name_shared_spans, with_authors_from_file, with_ids_from_file};
use crate::model::attributes::{check_name, check_value};
use crate::model::label_tally::tally;
use crate::model::schema::Schema;
use crate::model::{
    Annotation, AnnotationId, AnnotatorName, Authors, Document, Label, Relation, RelationKind,
    Timestamp,
};

/// The `name` of the `<Labels>` tag, which results give as `from_name`.
pub const FROM_NAME: &str = "label";
/// The `name` of the `<Text>` tag (and the `data` key of the text), which results give as
/// `to_name`.
pub const TO_NAME: &str = "text";
/// The result type of a labelled text span.
pub const RESULT_TYPE: &str = "labels";
/// The `name` of the per-region `<TextArea>` that holds a span's note.
pub const NOTE_NAME: &str = "note";
/// The `name` of the document-level `<TextArea>` that holds the article's note.
pub const ARTICLE_NOTE_NAME: &str = "article_note";
/// The type an imported relation without labels gets.
pub const UNLABELLED_RELATION: &str = "related";
/// The file name ending of an export, without the leading dot.
pub const FILE_EXTENSION: &str = "label-studio.json";
/// The file name ending of the labeling config, without the leading dot.
pub const CONFIG_FILE_EXTENSION: &str = "label-studio-config.xml";
pub const MIME: &str = "application/json";
pub const CONFIG_MIME: &str = "application/xml";

const CHOICES: &str = "choices";
const TEXTAREA: &str = "textarea";
const RELATION: &str = "relation";

/// The name of the per-region control of attribute `attribute` of `label`: the label with each
/// `_` doubled, `_`, the attribute (`quote_type`). Doubling keeps two labels' controls apart
/// (`a_b` + `c` is `a__b_c`, `a` + `b_c` is `a_b_c`).
pub fn control_name(label: &Label, attribute: &str) -> String {
    format!("{}_{attribute}", label.as_str().replace('_', "__"))
}

/// The attribute a per-region `from_name` stands for on a span labelled `label` (see the module
/// docs).
fn attribute_of<'n>(from_name: &'n str, label: &str) -> &'n str {
    let prefix = format!("{}_", label.replace('_', "__"));
    from_name
        .strip_prefix(prefix.as_str())
        .filter(|rest| !rest.is_empty())
        .unwrap_or(from_name)
}

// ---------------------------------------------------------------------------------------------
// What a tool's configuration lists (shared with brat's annotation.conf).
// ---------------------------------------------------------------------------------------------

/// One attribute a configuration offers on a label: a set of values, or free text (`None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct AttributeEntry {
    pub name: String,
    pub values: Option<Vec<String>>,
}

/// One label a configuration offers, with its attributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct LabelEntry {
    pub label: Label,
    pub attributes: Vec<AttributeEntry>,
}

/// One relation type a configuration offers, and the labels it links (empty: any).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RelationEntry {
    pub kind: RelationKind,
    pub from: Vec<Label>,
    pub to: Vec<Label>,
}

/// What a tool's configuration must offer so that every document shows in full: the schema's
/// labels, attributes, values and relation types in schema order, then whatever the documents
/// use that the schema lacks (labels in label order, attributes, values and types by name). An
/// attribute the schema does not know is free text. Shared by the Label Studio config and brat's
/// `annotation.conf`; it belongs in `dataset`, beside what else the formats share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Vocabulary {
    pub labels: Vec<LabelEntry>,
    pub relations: Vec<RelationEntry>,
}

impl Vocabulary {
    pub(super) fn of(schema: &Schema, documents: &[&Document]) -> Self {
        let annotations: Vec<&Annotation> = documents
            .iter()
            .flat_map(|d| d.annotations())
            .map(|a| &**a)
            .collect();
        let mut labels: Vec<LabelEntry> = schema
            .labels
            .iter()
            .map(|spec| LabelEntry {
                label: spec.label.clone(),
                attributes: spec
                    .attributes
                    .iter()
                    .map(|a| AttributeEntry {
                        name: a.name.to_string(),
                        values: (!a.is_free_text())
                            .then(|| a.values.iter().map(|v| v.to_string()).collect()),
                    })
                    .collect(),
            })
            .collect();
        for (label, _) in tally(annotations.iter().map(|a| &a.label)) {
            if !labels.iter().any(|entry| entry.label == label) {
                labels.push(LabelEntry {
                    label,
                    attributes: Vec::new(),
                });
            }
        }
        for entry in &mut labels {
            let mut used: Vec<(&str, &str)> = annotations
                .iter()
                .filter(|a| a.label == entry.label)
                .flat_map(|a| a.attributes.iter())
                .collect();
            used.sort_unstable();
            used.dedup();
            for (name, value) in used {
                match entry.attributes.iter_mut().find(|a| a.name == name) {
                    Some(AttributeEntry {
                        values: Some(values),
                        ..
                    }) => {
                        if !values.iter().any(|v| v == value) {
                            values.push(value.to_owned());
                        }
                    }
                    Some(_) => {}
                    None => entry.attributes.push(AttributeEntry {
                        name: name.to_owned(),
                        values: None,
                    }),
                }
            }
        }
        let mut relations: Vec<RelationEntry> = schema
            .relations
            .iter()
            .map(|spec| RelationEntry {
                kind: spec.kind.clone(),
                from: spec.from.clone(),
                to: spec.to.clone(),
            })
            .collect();
        let mut used: Vec<&RelationKind> = documents
            .iter()
            .flat_map(|d| d.relations())
            .map(|r| &r.kind)
            .collect();
        used.sort_unstable();
        used.dedup();
        for kind in used {
            if !relations.iter().any(|entry| &entry.kind == kind) {
                relations.push(RelationEntry {
                    kind: kind.clone(),
                    from: Vec::new(),
                    to: Vec::new(),
                });
            }
        }
        Self { labels, relations }
    }
}

/// Whether the schema gives `label`'s attribute `name` a set of values (else it is free text).
pub(super) fn has_value_set(schema: &Schema, label: &Label, name: &str) -> bool {
    schema
        .label(label)
        .and_then(|spec| spec.attributes.iter().find(|a| &*a.name == name))
        .is_some_and(|spec| !spec.is_free_text())
}

// ---------------------------------------------------------------------------------------------
// Export.
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct TaskOut<'a> {
    id: usize,
    data: DataOut<'a>,
    annotations: Vec<AnnotationSetOut<'a>>,
}

#[derive(Serialize)]
struct DataOut<'a> {
    text: &'a str,
    title: &'a str,
    document_id: &'a str,
}

/// One annotator's work on a task (see the module docs).
#[derive(Serialize)]
struct AnnotationSetOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    created_username: Option<&'a str>,
    result: Vec<ResultOut<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ResultOut<'a> {
    Region(RegionResultOut<'a>),
    Relation(RelationOut<'a>),
    Article(ArticleNoteOut<'a>),
}

/// A result on one span: its label, one attribute value, or its note.
#[derive(Serialize)]
struct RegionResultOut<'a> {
    id: &'a str,
    from_name: String,
    to_name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: RegionValueOut<'a>,
    /// On a span's `labels` result only.
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<RegionMetaOut<'a>>,
}

/// Who last changed a span, in its `labels` result's `meta`.
#[derive(Serialize)]
struct RegionMetaOut<'a> {
    changed_by: &'a str,
}

#[derive(Serialize)]
struct RegionValueOut<'a> {
    start: usize,
    end: usize,
    text: TextOut<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    labels: Option<[&'a str; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    choices: Option<[&'a str; 1]>,
}

/// A region's `text`: the text it covers, or (in a textarea result) what was typed.
#[derive(Serialize)]
#[serde(untagged)]
enum TextOut<'a> {
    Covered(&'a str),
    Typed([&'a str; 1]),
}

#[derive(Serialize)]
struct RelationOut<'a> {
    from_id: &'a str,
    to_id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    direction: &'static str,
    labels: [&'a str; 1],
}

#[derive(Serialize)]
struct ArticleNoteOut<'a> {
    id: String,
    from_name: &'static str,
    to_name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: ArticleNoteValueOut<'a>,
}

#[derive(Serialize)]
struct ArticleNoteValueOut<'a> {
    text: [&'a str; 1],
}

/// The results of one span: its label, each attribute value, its note.
fn region_results<'a>(
    annotation: &'a Annotation,
    covered: &'a str,
    schema: &Schema,
) -> Vec<ResultOut<'a>> {
    let (start, end) = (annotation.range.start().get(), annotation.range.end().get());
    let region = |from_name: String, kind: &'static str, value: RegionValueOut<'a>| {
        ResultOut::Region(RegionResultOut {
            id: annotation.id.as_str(),
            from_name,
            to_name: TO_NAME,
            kind,
            value,
            meta: None,
        })
    };
    let value = |text: TextOut<'a>| RegionValueOut {
        start,
        end,
        text,
        labels: None,
        choices: None,
    };
    let mut labels = region(
        FROM_NAME.to_owned(),
        RESULT_TYPE,
        RegionValueOut {
            labels: Some([annotation.label.as_str()]),
            ..value(TextOut::Covered(covered))
        },
    );
    if let (ResultOut::Region(labels), Some(by)) = (&mut labels, &annotation.authors.changed_by) {
        labels.meta = Some(RegionMetaOut {
            changed_by: by.as_str(),
        });
    }
    let mut results = vec![labels];
    for (name, attribute_value) in annotation.attributes.iter() {
        let from_name = control_name(&annotation.label, name);
        results.push(if has_value_set(schema, &annotation.label, name) {
            region(
                from_name,
                CHOICES,
                RegionValueOut {
                    choices: Some([attribute_value]),
                    ..value(TextOut::Covered(covered))
                },
            )
        } else {
            region(
                from_name,
                TEXTAREA,
                value(TextOut::Typed([attribute_value])),
            )
        });
    }
    if let Some(note) = &annotation.note {
        results.push(region(
            NOTE_NAME.to_owned(),
            TEXTAREA,
            value(TextOut::Typed([note])),
        ));
    }
    results
}

/// The id of the article note's result: one no span of `document` has.
fn article_note_id(document: &Document) -> String {
    let mut id = ARTICLE_NOTE_NAME.to_owned();
    let mut n = 2;
    while document.annotation(&AnnotationId::new(&id)).is_some() {
        id = format!("{ARTICLE_NOTE_NAME}-{n}");
        n += 1;
    }
    id
}

/// Who made the spans of `document`, each once: the names in order, then `None` when some
/// span's maker is unknown. One annotation entry each (see the module docs).
fn makers(document: &Document) -> Vec<Option<&AnnotatorName>> {
    let mut makers: Vec<Option<&AnnotatorName>> = document
        .annotations()
        .iter()
        .map(|a| a.authors.made_by.as_ref())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // `None` sorts first; the spans of nobody known come last.
    if makers.first() == Some(&None) {
        makers.rotate_left(1);
    }
    makers
}

fn task_out<'a>(id: usize, document: &'a Document, schema: &Schema) -> TaskOut<'a> {
    let text = document.text();
    let makers = makers(document);
    // The entry of each maker, and of each span by its id, for its relations.
    let entry_of_maker: HashMap<Option<&AnnotatorName>, usize> =
        makers.iter().enumerate().map(|(i, &m)| (m, i)).collect();
    let mut entry_of_span: HashMap<&AnnotationId, usize> = HashMap::new();
    let mut entries: Vec<Vec<ResultOut<'_>>> =
        (0..makers.len().max(1)).map(|_| Vec::new()).collect();
    for a in document.annotations() {
        let entry = entry_of_maker
            .get(&a.authors.made_by.as_ref())
            .copied()
            .unwrap_or_default();
        entry_of_span.insert(&a.id, entry);
        // Invariant of Document: every range is inside the text.
        let covered = text.slice(a.range).unwrap_or_default();
        if let Some(results) = entries.get_mut(entry) {
            results.extend(region_results(a, covered, schema));
        }
    }
    for relation in document.relations().iter() {
        let entry = entry_of_span
            .get(&relation.from)
            .copied()
            .unwrap_or_default();
        if let Some(results) = entries.get_mut(entry) {
            results.push(ResultOut::Relation(relation_out(relation)));
        }
    }
    if let (Some(note), Some(first)) = (&document.note, entries.first_mut()) {
        first.push(ResultOut::Article(ArticleNoteOut {
            id: article_note_id(document),
            from_name: ARTICLE_NOTE_NAME,
            to_name: TO_NAME,
            kind: TEXTAREA,
            value: ArticleNoteValueOut { text: [note] },
        }));
    }
    TaskOut {
        id,
        data: DataOut {
            text: text.as_str(),
            title: &document.title,
            document_id: document.id.as_str(),
        },
        annotations: entries
            .into_iter()
            .enumerate()
            .filter(|(_, result)| !result.is_empty())
            .map(|(entry, result)| AnnotationSetOut {
                created_username: makers
                    .get(entry)
                    .copied()
                    .flatten()
                    .map(AnnotatorName::as_str),
                result,
            })
            .collect(),
    }
}

fn relation_out(relation: &Relation) -> RelationOut<'_> {
    RelationOut {
        from_id: relation.from.as_str(),
        to_id: relation.to.as_str(),
        kind: RELATION,
        direction: "right",
        labels: [relation.kind.as_str()],
    }
}

/// Serialises documents as a Label Studio task list (pretty-printed JSON), one task each. The
/// schema decides which attributes are `choices` (a set of values) and which `textarea`.
pub fn export_with(documents: &[&Document], schema: &Schema) -> String {
    let tasks: Vec<TaskOut<'_>> = (1..)
        .zip(documents)
        .map(|(id, document)| task_out(id, document, schema))
        .collect();
    // Serialising plain strings and numbers into a String cannot fail.
    serde_json::to_string_pretty(&tasks).unwrap_or_default()
}

/// [`export_with`] the default schema, for callers that have none.
pub fn export(documents: &[&Document]) -> String {
    export_with(documents, &Schema::default())
}

/// The labeling config for a Label Studio project with `schema` and no documents yet.
pub fn labeling_config(schema: &Schema) -> String {
    config_for(&[], schema)
}

/// The labeling config that shows `documents` (exported with `schema`) in full: see the module
/// docs. A `<Labels>` tag named [`FROM_NAME`], a `<Text>` tag named [`TO_NAME`] showing `$text`,
/// `<Relations>`, each label's attribute controls, the note and the article note.
pub fn config_for(documents: &[&Document], schema: &Schema) -> String {
    let vocabulary = Vocabulary::of(schema, documents);
    let mut xml = format!("<View>\n  <Labels name=\"{FROM_NAME}\" toName=\"{TO_NAME}\">\n");
    for entry in &vocabulary.labels {
        xml.push_str(&format!(
            "    <Label value=\"{}\"/>\n",
            xml_escape(entry.label.as_str())
        ));
    }
    xml.push_str(&format!(
        "  </Labels>\n  <Text name=\"{TO_NAME}\" value=\"${TO_NAME}\"/>\n"
    ));
    if !vocabulary.relations.is_empty() {
        xml.push_str("  <Relations>\n");
        for entry in &vocabulary.relations {
            xml.push_str(&format!(
                "    <Relation value=\"{}\"/>\n",
                xml_escape(entry.kind.as_str())
            ));
        }
        xml.push_str("  </Relations>\n");
    }
    for entry in vocabulary
        .labels
        .iter()
        .filter(|e| !e.attributes.is_empty())
    {
        push_attribute_controls(&mut xml, entry);
    }
    xml.push_str(&format!(
        "  <View visibleWhen=\"region-selected\">\n    <Header value=\"Note\"/>\n    \
         <TextArea name=\"{NOTE_NAME}\" toName=\"{TO_NAME}\" perRegion=\"true\" \
         editable=\"true\" maxSubmissions=\"1\" rows=\"3\"/>\n  </View>\n  \
         <Header value=\"Article note\"/>\n  <TextArea name=\"{ARTICLE_NOTE_NAME}\" \
         toName=\"{TO_NAME}\" editable=\"true\" maxSubmissions=\"1\" rows=\"3\"/>\n</View>\n"
    ));
    xml
}

/// The per-region controls of one label's attributes, shown while a span with it is selected.
fn push_attribute_controls(xml: &mut String, entry: &LabelEntry) {
    let label = xml_escape(entry.label.as_str());
    xml.push_str(&format!(
        "  <View visibleWhen=\"region-selected\" whenLabelValue=\"{label}\">\n"
    ));
    for attribute in &entry.attributes {
        let name = control_name(&entry.label, &attribute.name);
        if name == ARTICLE_NOTE_NAME {
            // Only label `article` with attribute `note` comes out like this.
            xml.push_str(
                "    <!-- Its attribute note would be named like the article note's control: \
                 kept in the tasks, not shown here. -->\n",
            );
            continue;
        }
        let name = xml_escape(&name);
        xml.push_str(&format!(
            "    <Header value=\"{label}: {}\"/>\n",
            xml_escape(&attribute.name)
        ));
        match &attribute.values {
            Some(values) => {
                xml.push_str(&format!(
                    "    <Choices name=\"{name}\" toName=\"{TO_NAME}\" perRegion=\"true\" \
                     visibleWhen=\"region-selected\" whenLabelValue=\"{label}\">\n"
                ));
                for value in values {
                    xml.push_str(&format!(
                        "      <Choice value=\"{}\"/>\n",
                        xml_escape(value)
                    ));
                }
                xml.push_str("    </Choices>\n");
            }
            None => xml.push_str(&format!(
                "    <TextArea name=\"{name}\" toName=\"{TO_NAME}\" perRegion=\"true\" \
                 editable=\"true\" maxSubmissions=\"1\"/>\n"
            )),
        }
    }
    xml.push_str("  </View>\n");
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Detection.
// ---------------------------------------------------------------------------------------------

/// Whether `input` looks like Label Studio JSON: one JSON array or object (so not JSONL), with a
/// `"data"` key and no `"@context"` (W3C). Quotes inside JSON strings are escaped, so these
/// substrings only match real keys. Linear and allocation-free.
pub fn looks_like(input: &str) -> bool {
    let head = input.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    (head.starts_with('[') || head.starts_with('{'))
        && has_key(input, "data")
        && !input.contains("\"@context\"")
        && serde_json::from_str::<serde::de::IgnoredAny>(head).is_ok()
}

/// Whether `"key"` occurs followed by a colon, i.e. as an object key.
fn has_key(input: &str, key: &str) -> bool {
    let needle = format!("\"{key}\"");
    input.match_indices(&needle).any(|(at, _)| {
        input
            .get(at + needle.len()..)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}

// ---------------------------------------------------------------------------------------------
// Import.
// ---------------------------------------------------------------------------------------------

fn shape(record: impl Into<String>, message: impl Into<String>) -> ImportError {
    ImportError::new(record, Problem::Shape(message.into()))
}

/// One annotation set of a task to import: its results, who made its spans, and how errors
/// name it when the task has several.
struct Entry<'v> {
    results: Vec<&'v Value>,
    made_by: Option<AnnotatorName>,
    /// `"task 1, annotations 2"`; used in result records only when several entries are read.
    record: String,
}

/// The annotation sets to import (see the module docs for which ones).
fn chosen_entries<'v>(
    task: &'v Map<String, Value>,
    record: &str,
) -> Result<Vec<Entry<'v>>, ImportError> {
    for key in ["annotations", "completions", "predictions"] {
        let sets = match task.get(key) {
            None | Some(Value::Null) => continue,
            Some(Value::Array(sets)) => sets,
            Some(other) => {
                return Err(shape(
                    record,
                    format!("{key:?} must be an array, not {}", json_kind(other)),
                ))
            }
        };
        let mut entries = Vec::new();
        for (number, set) in (1..).zip(sets) {
            let set_record = format!("{record}, {key} {number}");
            let Value::Object(set) = set else {
                return Err(shape(
                    set_record,
                    format!("must be an object, not {}", json_kind(set)),
                ));
            };
            if set.get("was_cancelled") == Some(&Value::Bool(true)) {
                continue;
            }
            let results = match set.get("result") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(results)) => results.iter().collect(),
                Some(other) => {
                    return Err(shape(
                        set_record,
                        format!("\"result\" must be an array, not {}", json_kind(other)),
                    ))
                }
            };
            // A prediction is a model's: nobody made its spans, and only the first is read.
            let predicted = key == "predictions";
            entries.push(Entry {
                results,
                made_by: if predicted {
                    None
                } else {
                    maker(set, &set_record)?
                },
                record: set_record,
            });
            if predicted {
                break;
            }
        }
        if !entries.is_empty() {
            return Ok(entries);
        }
    }
    Ok(Vec::new())
}

/// Who made an annotation set's spans: its `created_username`, else the `email` of a
/// `completed_by` object (see the module docs). A numeric `completed_by` is a user id of some
/// Label Studio instance, not a name.
fn maker(set: &Map<String, Value>, record: &str) -> Result<Option<AnnotatorName>, ImportError> {
    match set.get("created_username") {
        None | Some(Value::Null) => {}
        Some(Value::String(name)) => {
            // Label Studio writes "First Last email, id", and "" for no user. The id is its
            // own; our names never hold a comma, so what comes before the last one is the name.
            let name = name
                .rsplit_once(',')
                .map_or(name.as_str(), |(name, _)| name);
            if name.trim().is_empty() {
                return Ok(None);
            }
            return AnnotatorName::parse(name).map(Some).map_err(|e| {
                ImportError::new(
                    record,
                    Problem::Invalid(format!("\"created_username\": {e}")),
                )
            });
        }
        Some(other) => {
            return Err(shape(
                record,
                format!(
                    "\"created_username\" must be a string, not {}",
                    json_kind(other)
                ),
            ))
        }
    }
    match set.get("completed_by") {
        Some(Value::Object(user)) => annotator(user.get("email"), "completed_by.email", record),
        _ => Ok(None),
    }
}

/// The spans of one task, with the text field they label, the ids they ask for, who made and
/// last changed each, and what the other results add to them.
#[derive(Default)]
struct TaskSpans<'v> {
    spans: Vec<ForeignSpan>,
    wanted_ids: Vec<Option<String>>,
    authors: Vec<Authors>,
    to_name: Option<&'v str>,
    /// The spans each `labels` result id gave, in file order, with the entry they are in.
    regions: HashMap<&'v str, Vec<(usize, usize)>>,
    relations: Vec<ForeignRelation>,
    note: Option<String>,
}

/// A result object and the record that names it (`task 1, result "r1"` or `task 1, result 3`).
fn result_record<'v>(
    result: &'v Value,
    number: usize,
    record: &str,
) -> Result<(&'v Map<String, Value>, String), ImportError> {
    let Value::Object(result) = result else {
        return Err(shape(
            format!("{record}, result {number}"),
            format!("must be an object, not {}", json_kind(result)),
        ));
    };
    let record = match result.get("id").and_then(Value::as_str) {
        Some(id) => format!("{record}, result {id:?}"),
        None => format!("{record}, result {number}"),
    };
    Ok((result, record))
}

/// The strings of `value[key]`: a list of strings or one string; none when missing or null.
fn strings<'v>(
    value: &'v Map<String, Value>,
    key: &str,
    record: &str,
) -> Result<Vec<&'v str>, ImportError> {
    match value.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(one)) => Ok(vec![one.as_str()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str().ok_or_else(|| {
                    shape(
                        record,
                        format!(
                            "each of its {key:?} must be a string, not {}",
                            json_kind(item)
                        ),
                    )
                })
            })
            .collect(),
        Some(other) => Err(shape(
            record,
            format!(
                "{key:?} must be a list of strings, not {}",
                json_kind(other)
            ),
        )),
    }
}

impl<'v> TaskSpans<'v> {
    /// Reads a `labels` result of entry number `entry`, whose spans `made_by` made; skips every
    /// other type (see [`TaskSpans::add_detail`]).
    fn add(
        &mut self,
        result: &'v Value,
        number: usize,
        record: &str,
        (entry, made_by): (usize, Option<&AnnotatorName>),
    ) -> Result<(), ImportError> {
        let (result, record) = result_record(result, number, record)?;
        if result.get("type").and_then(Value::as_str) != Some(RESULT_TYPE) {
            return Ok(());
        }
        // A region's `meta` is free-form in Label Studio: only an object can say who changed it.
        let changed_by = match result.get("meta") {
            Some(Value::Object(meta)) => {
                annotator(meta.get("changed_by"), "meta.changed_by", &record)?
            }
            _ => None,
        };
        let authors = Authors {
            made_by: made_by.cloned(),
            changed_by,
        };
        let id = result.get("id").and_then(Value::as_str);
        if let Some(to_name) = result.get("to_name").and_then(Value::as_str) {
            match self.to_name {
                None => self.to_name = Some(to_name),
                Some(earlier) if earlier != to_name => {
                    return Err(shape(
                        record,
                        format!(
                            "labels the text {to_name:?}, but an earlier result labels \
                             {earlier:?}; a task can hold only one text"
                        ),
                    ))
                }
                Some(_) => {}
            }
        }
        let Some(Value::Object(value)) = result.get("value") else {
            return Err(shape(record, "has no \"value\" object"));
        };
        let start = code_point_offset(value, "start", "", &record)?;
        let end = code_point_offset(value, "end", "", &record)?;
        let quoted = match value.get("text") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(other) => {
                return Err(shape(
                    record,
                    format!("\"text\" must be a string, not {}", json_kind(other)),
                ))
            }
        };
        let labels: Vec<&str> = match value.get("labels") {
            Some(Value::Array(labels)) => labels
                .iter()
                .map(|label| {
                    label.as_str().ok_or_else(|| {
                        shape(
                            record.as_str(),
                            format!("each label must be a string, not {}", json_kind(label)),
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
            _ => return Err(shape(record, "has no \"labels\" array in its \"value\"")),
        };
        if labels.is_empty() {
            return Err(shape(record, "its \"labels\" array is empty"));
        }
        // One result id cannot name several spans: span_per_label drops it then.
        let wanted_id = id.map(str::to_owned);
        for (span, wanted_id) in
            span_per_label(&record, "label", (start, end), labels, quoted, wanted_id)
        {
            if let Some(id) = id {
                self.regions
                    .entry(id)
                    .or_default()
                    .push((entry, self.spans.len()));
            }
            self.spans.push(span);
            self.wanted_ids.push(wanted_id);
            self.authors.push(authors.clone());
        }
        Ok(())
    }

    /// The spans region `id` gave in entry `entry`, else in any entry (all of them).
    fn region(&self, id: &str, entry: usize) -> Vec<usize> {
        let Some(spans) = self.regions.get(id) else {
            return Vec::new();
        };
        let own: Vec<usize> = spans
            .iter()
            .filter(|&&(e, _)| e == entry)
            .map(|&(_, span)| span)
            .collect();
        if own.is_empty() {
            spans.iter().map(|&(_, span)| span).collect()
        } else {
            own
        }
    }

    /// Reads a `relation`, `choices` or `textarea` result, once every span is known; skips the
    /// other types.
    fn add_detail(
        &mut self,
        result: &'v Value,
        number: usize,
        record: &str,
        entry: usize,
    ) -> Result<(), ImportError> {
        let (result, record) = result_record(result, number, record)?;
        match result.get("type").and_then(Value::as_str) {
            Some(RELATION) => self.add_relation(result, record, entry),
            Some(kind @ (CHOICES | TEXTAREA)) => self.add_input(result, kind, &record, entry),
            _ => Ok(()),
        }
    }

    fn add_relation(
        &mut self,
        result: &Map<String, Value>,
        record: String,
        entry: usize,
    ) -> Result<(), ImportError> {
        let end = |key: &str| -> Result<usize, ImportError> {
            let Some(id) = result.get(key).and_then(Value::as_str) else {
                return Err(shape(
                    record.as_str(),
                    format!("a relation needs the region ids \"from_id\" and \"to_id\"; its {key:?} is not a string"),
                ));
            };
            self.region(id, entry).first().copied().ok_or_else(|| {
                shape(
                    record.as_str(),
                    format!(
                        "the relation's {key:?} is {id:?}, but no \"labels\" result has that id"
                    ),
                )
            })
        };
        let (mut from, mut to) = (end("from_id")?, end("to_id")?);
        if result.get("direction").and_then(Value::as_str) == Some("left") {
            std::mem::swap(&mut from, &mut to);
        }
        if from == to {
            return Err(shape(record, "the relation links a region to itself"));
        }
        let mut kinds = strings(result, "labels", &record)?;
        if kinds.is_empty() {
            kinds.push(UNLABELLED_RELATION);
        }
        for kind in kinds {
            self.relations.push(ForeignRelation {
                record: record.clone(),
                kind: kind.to_owned(),
                from,
                to,
            });
        }
        Ok(())
    }

    /// A `choices` or `textarea` result: an attribute value or note of a span, or the article
    /// note.
    fn add_input(
        &mut self,
        result: &Map<String, Value>,
        kind: &str,
        record: &str,
        entry: usize,
    ) -> Result<(), ImportError> {
        let from_name = result.get("from_name").and_then(Value::as_str);
        let Some(Value::Object(value)) = result.get("value") else {
            return Err(shape(record, "has no \"value\" object"));
        };
        let inputs = if kind == CHOICES {
            strings(value, "choices", record)?
        } else {
            strings(value, "text", record)?
        };
        let spans = result
            .get("id")
            .and_then(Value::as_str)
            .map(|id| self.region(id, entry))
            .filter(|spans| !spans.is_empty());
        let Some(spans) = spans else {
            if kind == TEXTAREA && from_name == Some(ARTICLE_NOTE_NAME) && !inputs.is_empty() {
                append_line(&mut self.note, &inputs.join("\n"));
            }
            // A classification of the whole task: not in our model.
            return Ok(());
        };
        let Some(from_name) = from_name.filter(|name| !name.is_empty()) else {
            return Err(shape(record, "a per-region result needs a \"from_name\""));
        };
        if inputs.is_empty() {
            return Ok(());
        }
        for index in spans {
            let Some(span) = self.spans.get_mut(index) else {
                continue;
            };
            if kind == TEXTAREA && from_name == NOTE_NAME {
                append_line(&mut span.note, &inputs.join("\n"));
                continue;
            }
            let name = attribute_of(from_name, &span.label);
            let joined = inputs.join(if kind == CHOICES { ", " } else { " " });
            check_name(name)
                .and_then(|()| check_value(name, &joined))
                .map_err(|e| ImportError::new(record, Problem::Invalid(e.to_string())))?;
            span.attributes.push((name.to_owned(), joined));
        }
        Ok(())
    }
}

/// Adds a line to a note that may already have some.
fn append_line(note: &mut Option<String>, line: &str) {
    match note {
        Some(note) => {
            note.push('\n');
            note.push_str(line);
        }
        None => *note = Some(line.to_owned()),
    }
}

/// The text of a task (see the module docs for which `data` field it is).
fn text_of<'v>(
    data: &'v Map<String, Value>,
    to_name: Option<&str>,
    record: &str,
) -> Result<&'v str, ImportError> {
    for key in to_name.into_iter().chain([TO_NAME]) {
        if let Some(Value::String(text)) = data.get(key) {
            return Ok(text);
        }
    }
    let candidates: Vec<(&String, &str)> = data
        .iter()
        .filter(|(key, _)| !matches!(key.as_str(), "title" | "document_id"))
        .filter_map(|(key, value)| value.as_str().map(|text| (key, text)))
        .collect();
    match candidates.as_slice() {
        [(_, text)] => Ok(text),
        [] => Err(shape(
            record,
            "its \"data\" has no text (no string field besides title and document_id)",
        )),
        several => {
            let names: Vec<String> = several.iter().map(|(key, _)| format!("{key:?}")).collect();
            Err(shape(
                record,
                format!(
                    "its \"data\" has several string fields ({}) and no result names one as \
                     the text",
                    names.join(", ")
                ),
            ))
        }
    }
}

fn import_task(
    position: usize,
    task: &Value,
    now: Timestamp,
    merged: &mut usize,
) -> Result<Document, ImportError> {
    let Value::Object(task) = task else {
        return Err(shape(
            format!("task {position}"),
            format!("must be an object, not {}", json_kind(task)),
        ));
    };
    let record = match task.get("id") {
        Some(Value::Number(id)) => format!("task {position} (id {id})"),
        Some(Value::String(id)) => format!("task {position} (id {id})"),
        _ => format!("task {position}"),
    };
    let Some(Value::Object(data)) = task.get("data") else {
        return Err(shape(record, "has no \"data\" object"));
    };
    let entries = chosen_entries(task, &record)?;
    // A task with one annotation names its results as it always did.
    let result_record = |entry: &Entry<'_>| {
        if entries.len() > 1 {
            entry.record.clone()
        } else {
            record.clone()
        }
    };
    let mut spans = TaskSpans::default();
    for (index, entry) in entries.iter().enumerate() {
        let entry_record = result_record(entry);
        for (number, result) in (1..).zip(&entry.results) {
            spans.add(
                result,
                number,
                &entry_record,
                (index, entry.made_by.as_ref()),
            )?;
        }
    }
    // Relations and per-region results may come before the span they name.
    for (index, entry) in entries.iter().enumerate() {
        let entry_record = result_record(entry);
        for (number, result) in (1..).zip(&entry.results) {
            spans.add_detail(result, number, &entry_record, index)?;
        }
    }
    name_shared_spans(&mut spans.spans, &spans.authors);
    let text = text_of(data, spans.to_name, &record)?;
    let id = match data.get("document_id") {
        Some(Value::String(id)) if !id.is_empty() => Some(id.clone()),
        Some(Value::Number(id)) => Some(id.to_string()),
        _ => None,
    };
    let title = data.get("title").and_then(Value::as_str).map(str::to_owned);
    let document = build_document_counting(
        ForeignDocument {
            record,
            id,
            title,
            text: text.to_owned(),
            unit: OffsetUnit::CodePoint,
            spans: spans.spans,
            relations: spans.relations,
            note: spans.note,
        },
        now,
        merged,
    )?;
    let document = with_authors_from_file(document, &spans.authors);
    Ok(with_ids_from_file(document, &spans.wanted_ids))
}

/// Reads a Label Studio JSON export or import file (see the module docs for what is accepted).
/// All or nothing: the first bad task or result rejects the file. Tasks that share a document id
/// get `-2`, `-3`, … suffixes.
///
/// # Errors
/// [`ImportError`] naming the task (and result) and what is wrong: not JSON, an unknown shape,
/// offsets outside or disagreeing with the text, a bad label.
pub fn import(input: &str, now: Timestamp) -> Result<Vec<Document>, ImportError> {
    import_counting(input, now, &mut 0)
}

/// [`import`], adding to `merged` the spans merged into another of the same range and label.
///
/// # Errors
/// As [`import`].
pub fn import_counting(
    input: &str,
    now: Timestamp,
    merged: &mut usize,
) -> Result<Vec<Document>, ImportError> {
    check_size(input.len())?;
    let root: Value = serde_json::from_str(input)
        .map_err(|e| ImportError::file(json_problem(&e, Some(e.line()))))?;
    let tasks: Vec<&Value> = match &root {
        Value::Array(tasks) => tasks.iter().collect(),
        Value::Object(_) => vec![&root],
        other => {
            return Err(shape(
                "the file",
                format!(
                    "expected a Label Studio task list (an array of tasks) or one task, not {}",
                    json_kind(other)
                ),
            ))
        }
    };
    let mut documents = (1..)
        .zip(tasks)
        .map(|(position, task)| import_task(position, task, now, merged))
        .collect::<Result<Vec<_>, _>>()?;
    make_ids_unique(&mut documents);
    Ok(documents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_names_keep_labels_apart_and_come_back() {
        let label = |name: &str| Label::parse_any(name).unwrap();
        assert_eq!(control_name(&Label::Quote, "type"), "quote_type");
        assert_eq!(control_name(&label("a_b"), "c"), "a__b_c");
        assert_eq!(control_name(&label("a"), "b_c"), "a_b_c");
        for (l, a) in [("a_b", "c"), ("a", "b_c"), ("quote", "type"), ("x", "_")] {
            assert_eq!(attribute_of(&control_name(&label(l), a), l), a);
        }
        // A control of another tool keeps its whole name.
        assert_eq!(attribute_of("sentiment", "quote"), "sentiment");
        assert_eq!(attribute_of("quote_", "quote"), "quote_");
    }

    #[test]
    fn config_lists_the_schema_first_and_escapes_names() {
        let mut schema = Schema::default();
        schema.labels.truncate(1);
        schema.relations.truncate(1);
        schema.labels[0].label = Label::parse_any("A&B <\"x\">").unwrap();
        schema.labels[0].attributes[0].name = "it's".into();
        let config = labeling_config(&schema);
        assert_eq!(
            config,
            "<View>\n  <Labels name=\"label\" toName=\"text\">\n    \
             <Label value=\"A&amp;B &lt;&quot;x&quot;&gt;\"/>\n  </Labels>\n  \
             <Text name=\"text\" value=\"$text\"/>\n  <Relations>\n    \
             <Relation value=\"said_by\"/>\n  </Relations>\n  \
             <View visibleWhen=\"region-selected\" whenLabelValue=\"A&amp;B &lt;&quot;x&quot;&gt;\">\n    \
             <Header value=\"A&amp;B &lt;&quot;x&quot;&gt;: it&apos;s\"/>\n    \
             <Choices name=\"A&amp;B &lt;&quot;x&quot;&gt;_it&apos;s\" toName=\"text\" perRegion=\"true\" \
             visibleWhen=\"region-selected\" whenLabelValue=\"A&amp;B &lt;&quot;x&quot;&gt;\">\n      \
             <Choice value=\"direct\"/>\n      <Choice value=\"indirect\"/>\n      \
             <Choice value=\"mixed\"/>\n    </Choices>\n  </View>\n  \
             <View visibleWhen=\"region-selected\">\n    <Header value=\"Note\"/>\n    \
             <TextArea name=\"note\" toName=\"text\" perRegion=\"true\" editable=\"true\" \
             maxSubmissions=\"1\" rows=\"3\"/>\n  </View>\n  <Header value=\"Article note\"/>\n  \
             <TextArea name=\"article_note\" toName=\"text\" editable=\"true\" \
             maxSubmissions=\"1\" rows=\"3\"/>\n</View>\n"
        );
    }

    #[test]
    fn keys_are_told_from_values() {
        assert!(has_key(r#"{"data" : {}}"#, "data"));
        assert!(!has_key(r#"{"kind": "data"}"#, "data"));
        assert!(!has_key(r#"{"text": "\"data\": x"}"#, "data"));
    }
}
