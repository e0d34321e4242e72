//! A label's attributes in the settings dialog: each one's name, its fixed values (or free text
//! when it has none), Remove; fields to add an attribute and a value.

use std::rc::Rc;

use annotator_core::model::schema::{AttributeSpec, LabelSpec};
use annotator_core::model::schema_edit::Part;
use annotator_core::model::Label;
use yew::prelude::*;

use super::draft::Edit;
use super::fields::{name_field, removal_question, remove_button, AddField, Editing};

pub fn attributes_of(editing: &Editing, index: usize, spec: &LabelSpec) -> Html {
    let label = &spec.label;
    let rows = spec
        .attributes
        .iter()
        .enumerate()
        .map(|(at, attribute)| attribute_row(editing, index, at, label, attribute));
    let field = format!("schema-label-{index}-new-attribute");
    let on_add = {
        let label = label.clone();
        editing.on(&field, move |name: String| Edit::AddAttribute {
            label: label.clone(),
            name,
        })
    };
    html! {
        <fieldset class="schema-attributes">
            <legend>{ format!("Attributes of {label}") }</legend>
            if spec.attributes.is_empty() {
                <p class="muted">{ "None." }</p>
            }
            <ul class="schema-list">{ for rows }</ul>
            <AddField id={field.clone()} label={format!("New attribute of {label}")}
                button="Add attribute" button_label={format!("Add attribute to {label}")}
                error={editing.error(&field)} items={spec.attributes.len()} on_add={on_add} />
        </fieldset>
    }
}

fn attribute_row(
    editing: &Editing,
    index: usize,
    at: usize,
    label: &Label,
    attribute: &AttributeSpec,
) -> Html {
    let name = attribute.name.to_string();
    let field = |what: &str| format!("schema-label-{index}-attribute-{at}-{what}");
    let part = Part::Attribute {
        label: label.clone(),
        name: Rc::clone(&attribute.name),
    };
    let on_rename = {
        let part = part.clone();
        editing.on(&field("name"), move |to: String| Edit::Rename {
            part: part.clone(),
            to,
        })
    };
    let values = attribute.values.iter().enumerate().map(|(v, value)| {
        value_row(
            editing,
            &field(&format!("value-{v}")),
            label,
            attribute,
            value,
        )
    });
    let on_add_value = {
        let label = label.clone();
        let name = Rc::clone(&attribute.name);
        editing.on(&field("new-value"), move |value: String| Edit::AddValue {
            label: label.clone(),
            name: Rc::clone(&name),
            value,
        })
    };
    html! {
        <li class="schema-item schema-attribute">
            <div class="schema-row">
                { name_field(&field("name"), format!("Name of attribute {name} of {label}"), &name,
                    editing.error(&field("name")), on_rename) }
                { remove_button(editing, part.clone(), format!("Remove attribute {name} of {label}"), "Remove") }
            </div>
            { removal_question(editing, &part, format!("attribute “{name}” of {label}"), "annotation") }
            <p class="schema-hint" id={field("kind")}>
                { if attribute.is_free_text() {
                    "Free text: any value. Add values to offer a fixed choice."
                } else {
                    "One of these values (remove them all for free text):"
                } }
            </p>
            if !attribute.is_free_text() {
                <ul class="schema-values" aria-describedby={field("kind")}>{ for values }</ul>
            }
            <AddField id={field("new-value")} label={format!("New value of {label} {name}")}
                button="Add value" button_label={format!("Add value to {label} {name}")}
                error={editing.error(&field("new-value"))} items={attribute.values.len()}
                on_add={on_add_value} />
        </li>
    }
}

fn value_row(
    editing: &Editing,
    field: &str,
    label: &Label,
    attribute: &AttributeSpec,
    value: &Rc<str>,
) -> Html {
    let name = &attribute.name;
    let part = Part::Value {
        label: label.clone(),
        name: Rc::clone(name),
        value: Rc::clone(value),
    };
    let on_rename = {
        let part = part.clone();
        editing.on(field, move |to: String| Edit::Rename {
            part: part.clone(),
            to,
        })
    };
    html! {
        <li class="schema-value">
            <div class="schema-row">
                { name_field(field, format!("Value {value} of {label} {name}"), value,
                    editing.error(field), on_rename) }
                { remove_button(editing, part.clone(), format!("Remove value {value} of {label} {name}"), "Remove") }
            </div>
            { removal_question(editing, &part, format!("value “{value}” of {label} {name}"), "annotation") }
        </li>
    }
}
