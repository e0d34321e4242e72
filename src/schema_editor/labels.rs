//! The Labels part of the settings dialog: each label's name, colour, key and how a drag snaps
//! for it, its attributes, and Remove; a field to add one.

use annotator_core::model::schema::LabelSpec;
use annotator_core::model::schema_edit::Part;
use annotator_core::model::word_snap::SnapRule;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::attributes::attributes_of;
use super::draft::Edit;
use super::fields::{
    field_error, key_select, name_field, removal_question, remove_button, AddField, Editing,
};

pub fn labels_section(editing: &Editing) -> Html {
    let schema = &editing.settings.draft.schema;
    let rows = schema
        .labels
        .iter()
        .enumerate()
        .map(|(index, spec)| label_row(editing, index, spec));
    html! {
        <section class="schema-section" aria-labelledby="schema-labels-title">
            <h3 id="schema-labels-title">{ "Labels" }</h3>
            if schema.labels.is_empty() {
                <p class="muted">{ "No labels: add one below." }</p>
            }
            <ul class="schema-list">{ for rows }</ul>
            <AddField id="schema-new-label" label="New label name" button="Add label"
                error={editing.error("schema-new-label")} items={schema.labels.len()}
                on_add={editing.on("schema-new-label", Edit::AddLabel)} />
        </section>
    }
}

fn label_row(editing: &Editing, index: usize, spec: &LabelSpec) -> Html {
    let name = spec.label.as_str().to_owned();
    let field = |what: &str| format!("schema-label-{index}-{what}");
    let on_rename = {
        let part = Part::Label(spec.label.clone());
        editing.on(&field("name"), move |to: String| Edit::Rename {
            part: part.clone(),
            to,
        })
    };
    let on_colour = {
        let label = spec.label.clone();
        let set = editing.on(&field("colour"), move |colour: String| Edit::SetColour {
            label: label.clone(),
            colour,
        });
        Callback::from(move |event: Event| {
            if let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                set.emit(input.value());
            }
        })
    };
    let on_key = {
        let label = spec.label.clone();
        editing.on(&field("key"), move |key: Option<char>| Edit::SetLabelKey {
            label: label.clone(),
            key,
        })
    };
    let on_snap = {
        let label = spec.label.clone();
        editing.on(&field("snap"), move |snap: SnapRule| Edit::SetSnap {
            label: label.clone(),
            snap,
        })
    };
    let part = Part::Label(spec.label.clone());
    html! {
        <li class="schema-item schema-label">
            <div class="schema-row">
                { name_field(&field("name"), format!("Name of label {name}"), &name,
                    editing.error(&field("name")), on_rename) }
                <input type="color" id={field("colour")} class="schema-colour"
                    aria-label={format!("Colour of {name}")} value={spec.colour.as_str().to_owned()}
                    onchange={on_colour} />
                { key_select(&field("key"), format!("Key of {name}"), spec.key, true, on_key) }
                { snap_select(&field("snap"), format!("Drags for {name}"), spec.snap, on_snap) }
                { remove_button(editing, part.clone(), format!("Remove label {name}"), "Remove") }
            </div>
            { field_error(&field("colour"), editing.error(&field("colour")).as_ref()) }
            { removal_question(editing, &part, format!("label “{name}”"), "annotation") }
            { attributes_of(editing, index, spec) }
        </li>
    }
}

/// What a drag tags for this label: whole words (the default), whole words without the
/// punctuation at the ends, or exactly what was dragged.
fn snap_select(
    field: &str,
    label: String,
    current: SnapRule,
    on_change: Callback<SnapRule>,
) -> Html {
    let onchange = Callback::from(move |event: Event| {
        let rule = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            .and_then(|select| SnapRule::parse(&select.value()));
        if let Some(rule) = rule {
            on_change.emit(rule);
        }
    });
    let shown = |rule: SnapRule| match rule {
        SnapRule::Words => "whole words",
        SnapRule::WordsWithoutPunctuation => "words, no end punctuation",
        SnapRule::Exact => "exactly as dragged",
    };
    html! {
        <select id={field.to_owned()} class="schema-snap" aria-label={label} onchange={onchange}>
            { for SnapRule::ALL.into_iter().map(|rule| html! {
                <option value={rule.as_str()} selected={rule == current}>{ shown(rule) }</option>
            }) }
        </select>
    }
}
