//! The selected annotation in the side panel: its attribute values, its note and its relations,
//! each editable. Relations read as words ("said by Mao Ning"); picking one selects the other
//! end. "Link…" (or R) starts a link, and the link picker takes this panel's place until the
//! link is made or cancelled.

use std::rc::Rc;

use yew::prelude::*;

use super::link_picker::LinkPicker;
use crate::browser::clock::now;
use crate::hooks::use_keyboard_shortcuts::NOTE_FIELD_ID;
use crate::state::{Action, AppState, LinkDraft};
use annotator_core::model::excerpt::{excerpt, quoted};
use annotator_core::model::schema::AttributeSpec;
use annotator_core::model::{
    Annotation, AnnotationId, AnnotatorName, Authors, Document, Relation, Schema,
};

/// Longest excerpt of a relation's other end.
const END_CHARS: usize = 40;

pub struct AnnotationDetailsProps {
    pub document: Rc<Document>,
    pub schema: Rc<Schema>,
    pub selected: AnnotationId,
    pub linking: Option<LinkDraft>,
    pub dispatcher: UseReducerDispatcher<AppState>,
}

/// A dropdown or text field for one attribute: the schema's, or one only the data has.
fn attribute_field(
    annotation: &Annotation,
    spec: Option<&AttributeSpec>,
    name: &Rc<str>,
    first_choice: bool,
    dispatcher: &UseReducerDispatcher<AppState>,
) -> Html {
    let current = annotation.attributes.get(name).map(str::to_owned);
    let field_id = format!("attr-{name}");
    // A field of another annotation is a new field: what the browser keeps of a control (the
    // option the user picked, text typed) never carries over from one annotation to the next.
    let key = format!("{}/{name}", annotation.id);
    let id = annotation.id.clone();
    let set = {
        let (dispatcher, name) = (dispatcher.clone(), Rc::clone(name));
        move |value: String| {
            dispatcher.dispatch(Action::SetAttribute {
                id: id.clone(),
                name: Rc::clone(&name),
                value: Some(value).filter(|v| !v.is_empty()),
                now: now(),
            })
        }
    };
    let label = name.replace('_', " ");
    let known = spec.is_some();
    let field = match spec.filter(|s| !s.is_free_text()) {
        Some(spec) => {
            let onchange = Callback::from(move |event: Event| {
                if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                    set(select.value());
                }
            });
            let unknown = current
                .as_deref()
                .filter(|c| !spec.values.iter().any(|v| &**v == *c))
                .map(|c| {
                    html! { <option value={c.to_owned()} selected=true>{ format!("{c} (not in the schema)") }</option> }
                });
            let options = spec.values.iter().enumerate().map(|(i, value)| {
                let hint = if first_choice && i < 9 { format!(" ({})", i + 1) } else { String::new() };
                html! {
                    <option value={value.to_string()} selected={current.as_deref() == Some(&**value)}>
                        { format!("{}{hint}", value.replace('_', " ")) }
                    </option>
                }
            });
            html! {
                <select key={key} id={field_id.clone()} onchange={onchange}
                    aria-keyshortcuts={first_choice.then_some("1 2 3 4 5 6 7 8 9 0")}>
                    <option value="" selected={current.is_none()}>{ if first_choice { "— not set (0)" } else { "— not set" } }</option>
                    { for options }
                    { for unknown }
                </select>
            }
        }
        None => {
            let onchange = Callback::from(move |event: Event| {
                if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                    set(input.value());
                }
            });
            html! {
                <input key={key} id={field_id.clone()} type="text" value={current.unwrap_or_default()}
                    onchange={onchange} autocomplete="off" spellcheck="false" />
            }
        }
    };
    html! {
        <div class={classes!("field", (!known).then_some("unknown"))}>
            <label for={field_id}>
                { label }
                if !known { <span class="not-in-schema">{ " (not in the schema)" }</span> }
            </label>
            { field }
        </div>
    }
}

/// One relation as words, from the selected annotation's point of view, with its actions.
/// `other` is the annotation at its other end, if it exists.
fn relation_item(
    relation: &Relation,
    selected: &AnnotationId,
    other: Option<&Annotation>,
    document: &Document,
    dispatcher: &UseReducerDispatcher<AppState>,
) -> Html {
    let other_id = relation.other_end(selected).clone();
    let other = other
        .map(|a| {
            format!(
                "{} {}",
                a.label.display_name(),
                quoted(&excerpt(a, document.text(), END_CHARS))
            )
        })
        .unwrap_or_else(|| other_id.to_string());
    let kind = relation.kind.display_name();
    let words = if &relation.from == selected {
        format!("{kind} {other}")
    } else {
        format!("{other} is {kind} this")
    };
    let go = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_| {
            dispatcher.dispatch(Action::Select {
                id: Some(other_id.clone()),
                reveal: true,
            })
        })
    };
    let remove = {
        let (dispatcher, relation) = (dispatcher.clone(), relation.clone());
        Callback::from(move |_| {
            dispatcher.dispatch(Action::Unlink {
                relation: relation.clone(),
                now: now(),
            })
        })
    };
    html! {
        <li class="relation-item">
            <button class="relation-go" onclick={go} title="Select the other end">{ words.clone() }</button>
            <button class="icon relation-remove" onclick={remove} aria-label={format!("Remove relation: {words}")}>{ "×" }</button>
        </li>
    }
}

/// "Made by ann, last changed by bob": who did what, when anybody is known.
fn authors_line(authors: &Authors) -> Html {
    fn named(by: &Option<AnnotatorName>) -> &str {
        by.as_ref().map_or("someone unnamed", AnnotatorName::as_str)
    }
    let made = format!("Made by {}", named(&authors.made_by));
    let line = match &authors.changed_by {
        _ if authors.is_empty() => return Html::default(),
        changed if *changed == authors.made_by => made,
        changed => format!("{made}, last changed by {}", named(changed)),
    };
    html! { <p class="authors">{ line }</p> }
}

pub fn annotation_details(props: &AnnotationDetailsProps) -> Html {
    let document = &props.document;
    let Some(annotation) = document.annotation(&props.selected) else {
        return Html::default();
    };
    let dispatcher = &props.dispatcher;
    let spec = props.schema.label(&annotation.label);
    let first_choice = spec.and_then(|s| {
        s.attributes
            .iter()
            .find(|a| !a.is_free_text())
            .map(|a| Rc::clone(&a.name))
    });
    // The schema's attributes first, in its order; then any value only the data has.
    let mut fields: Vec<Html> = spec
        .map(|s| &s.attributes[..])
        .unwrap_or_default()
        .iter()
        .map(|a| {
            let first = first_choice.as_ref() == Some(&a.name);
            attribute_field(annotation, Some(a), &a.name, first, dispatcher)
        })
        .collect();
    for (name, _) in annotation.attributes.iter() {
        if !spec.is_some_and(|s| s.attributes.iter().any(|a| &*a.name == name)) {
            fields.push(attribute_field(
                annotation,
                None,
                &Rc::from(name),
                false,
                dispatcher,
            ));
        }
    }
    let note_change = {
        let (dispatcher, id) = (dispatcher.clone(), annotation.id.clone());
        Callback::from(move |event: Event| {
            if let Some(area) = event.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                dispatcher.dispatch(Action::SetNote {
                    id: Some(id.clone()),
                    note: area.value(),
                    now: now(),
                });
            }
        })
    };
    let relations_of: Vec<&Relation> = document.relations_of(&annotation.id).collect();
    let others: Vec<&AnnotationId> = relations_of
        .iter()
        .map(|r| r.other_end(&annotation.id))
        .collect();
    let relations: Vec<Html> = relations_of
        .iter()
        .zip(document.annotations_with_ids(&others))
        .map(|(r, other)| relation_item(r, &annotation.id, other, document, dispatcher))
        .collect();
    let start_link = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_| dispatcher.dispatch(Action::StartLink))
    };
    let title = format!(
        "{} {}",
        annotation.label.display_name(),
        quoted(&excerpt(annotation, document.text(), 60))
    );
    html! {
        <section class="details" aria-label="Selected annotation">
            <h3 class="details-title">{ title }</h3>
            { authors_line(&annotation.authors) }
            if !fields.is_empty() {
                <div class="fields">{ for fields }</div>
            }
            <div class="field">
                <label for={NOTE_FIELD_ID}>{ "Note" }<kbd>{ "N" }</kbd></label>
                <textarea key={annotation.id.to_string()} id={NOTE_FIELD_ID} rows="2" value={annotation.note.as_deref().unwrap_or_default().to_owned()}
                    onchange={note_change} placeholder="Anything a reviewer should know" />
            </div>
            if let Some(draft) = props.linking.clone() {
                <LinkPicker key={draft.from.to_string()} document={Rc::clone(document)} schema={Rc::clone(&props.schema)}
                    draft={draft.clone()} dispatcher={dispatcher.clone()} />
            } else {
                <div class="relations-head">
                    <h4 id="relations-heading">{ format!("Relations ({})", relations.len()) }</h4>
                    <button onclick={start_link} aria-keyshortcuts="R">{ "Link…" }<kbd>{ "R" }</kbd></button>
                </div>
                if relations.is_empty() {
                    <p class="empty">{ "None yet. Link this annotation to another: press R, then click a highlight or pick one." }</p>
                } else {
                    <ul class="relation-list" aria-labelledby="relations-heading">{ for relations }</ul>
                }
            }
        </section>
    }
}
