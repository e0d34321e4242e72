//! The relation types in the settings dialog: each one's name and key, which labels it may link
//! from and to (none ticked: any), whether it runs in reading order, Remove; a field to add one.

use annotator_core::model::schema::RelationSpec;
use annotator_core::model::schema_edit::Part;
use annotator_core::model::{Label, Schema};
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::draft::{Edit, End};
use super::fields::{key_select, name_field, removal_question, remove_button, AddField, Editing};

pub fn relations_section(editing: &Editing) -> Html {
    let schema = &editing.settings.draft.schema;
    let rows = schema
        .relations
        .iter()
        .enumerate()
        .map(|(index, spec)| relation_row(editing, schema, index, spec));
    html! {
        <section class="schema-section" aria-labelledby="schema-relations-title">
            <h3 id="schema-relations-title">{ "Relation types" }</h3>
            if schema.relations.is_empty() {
                <p class="muted">{ "No relation types: add one below." }</p>
            }
            <ul class="schema-list">{ for rows }</ul>
            <AddField id="schema-new-relation" label="New relation type name" button="Add relation type"
                error={editing.error("schema-new-relation")} items={schema.relations.len()}
                on_add={editing.on("schema-new-relation", Edit::AddRelation)} />
        </section>
    }
}

fn checked(event: &Event) -> Option<bool> {
    event
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .map(|input| input.checked())
}

/// One checkbox per label of the schema, and per label the list names that the schema lacks
/// (shown, so a restriction is never invisible).
fn ends(editing: &Editing, schema: &Schema, field: &str, spec: &RelationSpec, end: End) -> Html {
    let (listed, legend) = match end {
        End::From => (&spec.from, format!("{} links from", spec.kind)),
        End::To => (&spec.to, format!("{} links to", spec.kind)),
    };
    let mut labels: Vec<&Label> = schema.labels.iter().map(|s| &s.label).collect();
    labels.extend(listed.iter().filter(|l| schema.label(l).is_none()));
    let boxes = labels.into_iter().enumerate().map(|(i, label)| {
        let id = format!("{field}-{i}");
        let set = {
            let kind = spec.kind.clone();
            let label = label.clone();
            editing.on(field, move |allowed: bool| Edit::SetRelationEnd {
                kind: kind.clone(),
                end,
                label: label.clone(),
                allowed,
            })
        };
        let onchange = Callback::from(move |event: Event| {
            if let Some(on) = checked(&event) {
                set.emit(on);
            }
        });
        let unknown = schema.label(label).is_none().then_some(" (not in the schema)");
        html! {
            <label class="schema-check" for={id.clone()}>
                <input type="checkbox" id={id} checked={listed.contains(label)} onchange={onchange} />
                { label.as_str().to_owned() }{ unknown.unwrap_or_default() }
            </label>
        }
    });
    html! {
        <fieldset class="schema-ends">
            <legend>{ legend }</legend>
            { for boxes }
            if listed.is_empty() {
                <span class="schema-hint">{ "none ticked: any label" }</span>
            }
        </fieldset>
    }
}

fn relation_row(editing: &Editing, schema: &Schema, index: usize, spec: &RelationSpec) -> Html {
    let kind = spec.kind.as_str().to_owned();
    let field = |what: &str| format!("schema-relation-{index}-{what}");
    let part = Part::Relation(spec.kind.clone());
    let on_rename = {
        let part = part.clone();
        editing.on(&field("name"), move |to: String| Edit::Rename {
            part: part.clone(),
            to,
        })
    };
    let on_key = {
        let kind = spec.kind.clone();
        editing.on(&field("key"), move |key: Option<char>| {
            Edit::SetRelationKey {
                kind: kind.clone(),
                key,
            }
        })
    };
    let on_reading_order = {
        let kind = spec.kind.clone();
        let set = editing.on(&field("order"), move |on: bool| Edit::SetReadingOrder {
            kind: kind.clone(),
            on,
        });
        Callback::from(move |event: Event| {
            if let Some(on) = checked(&event) {
                set.emit(on);
            }
        })
    };
    html! {
        <li class="schema-item schema-relation">
            <div class="schema-row">
                { name_field(&field("name"), format!("Name of relation {kind}"), &kind,
                    editing.error(&field("name")), on_rename) }
                { key_select(&field("key"), format!("Key of relation {kind}"), spec.key, false, on_key) }
                { remove_button(editing, part.clone(), format!("Remove relation {kind}"), "Remove") }
            </div>
            { removal_question(editing, &part, format!("relation type “{kind}”"), "relation") }
            { ends(editing, schema, &field("from"), spec, End::From) }
            { ends(editing, schema, &field("to"), spec, End::To) }
            <label class="schema-check">
                <input type="checkbox" id={field("order")} checked={spec.reading_order}
                    aria-label={format!("{kind}: in reading order")} onchange={on_reading_order} />
                { "In reading order" }
                <span class="schema-hint">{ " (the earlier span links to the later one)" }</span>
            </label>
        </li>
    }
}
