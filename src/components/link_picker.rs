//! Finishing a link by keyboard (or mouse, without hunting for a highlight): a filter field over
//! the candidate annotations, nearest to the link's source first, and the relation type, chosen
//! from a menu or by its key (the default follows the two labels: a quote and an entity make
//! "said by"). The field is a combobox: the arrow keys move through the candidates, Enter links,
//! Escape cancels. Clicking a highlight in the article finishes the link as well.

use std::rc::Rc;

use yew::prelude::*;

use crate::browser::clock::now;
use crate::browser::text_case::{key_cap, lowercase};
use crate::state::{Action, AppState, LinkDraft};
use annotator_core::model::excerpt::{excerpt, quoted};
use annotator_core::model::{Annotation, Document, RelationKind, Schema};

/// Candidates listed at once; the filter narrows the rest.
const SHOWN_CANDIDATES: usize = 30;
/// Longest excerpt of a candidate.
const CANDIDATE_CHARS: usize = 60;

#[derive(Properties)]
pub struct LinkPickerProps {
    pub document: Rc<Document>,
    pub schema: Rc<Schema>,
    pub draft: LinkDraft,
    pub dispatcher: UseReducerDispatcher<AppState>,
}

impl PartialEq for LinkPickerProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.document, &other.document)
            && Rc::ptr_eq(&self.schema, &other.schema)
            && self.draft == other.draft
    }
}

/// The type a link to `target` gets: the one picked, else the schema's default for the labels.
fn kind_for(
    schema: &Schema,
    draft: &LinkDraft,
    from: &Annotation,
    target: &Annotation,
) -> Option<RelationKind> {
    draft.kind.clone().or_else(|| {
        schema
            .relations_between(&from.label, &target.label)
            .next()
            .or_else(|| schema.relations.first())
            .map(|spec| spec.kind.clone())
    })
}

/// The candidates matching `filter` (case-insensitive, in the label or the text), nearest to
/// `from` first.
fn candidates<'a>(document: &'a Document, from: &Annotation, filter: &str) -> Vec<&'a Annotation> {
    let filter = lowercase(filter.trim());
    let text = document.text();
    let mut found: Vec<&Annotation> = document
        .annotations()
        .iter()
        .filter(|a| a.id != from.id)
        .filter(|a| {
            filter.is_empty()
                || lowercase(a.label.as_str()).contains(&filter)
                || text
                    .slice(a.range)
                    .is_some_and(|t| lowercase(t).contains(&filter))
        })
        .map(|a| &**a)
        .collect();
    let distance = |a: &Annotation| a.range.start().get().abs_diff(from.range.start().get());
    found.sort_by_key(|a| (distance(a), a.range.start().get()));
    found.truncate(SHOWN_CANDIDATES);
    found
}

#[component]
pub fn LinkPicker(props: &LinkPickerProps) -> Html {
    let filter = use_state(String::new);
    let active = use_state(|| 0usize);
    let input = use_node_ref();
    {
        let input = input.clone();
        use_effect_with(props.draft.from.clone(), move |_| {
            if let Some(input) = input.cast::<web_sys::HtmlElement>() {
                let _ = input.focus();
            }
        });
    }
    let document = &props.document;
    let Some(from) = document.annotation(&props.draft.from) else {
        return Html::default();
    };
    let list = candidates(document, from, &filter);
    let active_index = (*active).min(list.len().saturating_sub(1));
    let finish = {
        let dispatcher = props.dispatcher.clone();
        move |to: annotator_core::model::AnnotationId| {
            dispatcher.dispatch(Action::FinishLink { to, now: now() })
        }
    };
    let oninput = {
        let (filter, active) = (filter.clone(), active.clone());
        Callback::from(move |event: InputEvent| {
            if let Some(field) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                filter.set(field.value());
                active.set(0);
            }
        })
    };
    let onkeydown = {
        let ids: Vec<_> = list.iter().map(|a| a.id.clone()).collect();
        let (active, dispatcher, finish) =
            (active.clone(), props.dispatcher.clone(), finish.clone());
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "ArrowDown" => {
                event.prevent_default();
                active.set((active_index + 1).min(ids.len().saturating_sub(1)));
            }
            "ArrowUp" => {
                event.prevent_default();
                active.set(active_index.saturating_sub(1));
            }
            "Enter" => {
                event.prevent_default();
                if let Some(id) = ids.get(active_index) {
                    finish(id.clone());
                }
            }
            "Escape" => {
                event.prevent_default();
                dispatcher.dispatch(Action::CancelLink);
            }
            _ => {}
        })
    };
    let onkind = {
        let (dispatcher, schema) = (props.dispatcher.clone(), Rc::clone(&props.schema));
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                let value = select.value();
                let kind = schema
                    .relations
                    .iter()
                    .find(|spec| spec.kind.as_str() == value)
                    .map(|spec| spec.kind.clone());
                dispatcher.dispatch(Action::PickLinkKind(kind));
            }
        })
    };
    let cancel = {
        let dispatcher = props.dispatcher.clone();
        Callback::from(move |_| dispatcher.dispatch(Action::CancelLink))
    };
    let picked = props.draft.kind.as_ref().map(RelationKind::as_str);
    let kinds = props.schema.relations.iter().map(|spec| {
        let key = spec.key.map(|k| format!(" ({})", key_cap(k))).unwrap_or_default();
        html! {
            <option value={spec.kind.as_str().to_owned()} selected={picked == Some(spec.kind.as_str())}>
                { format!("{}{key}", spec.kind.display_name()) }
            </option>
        }
    });
    let text = document.text();
    let options = list.iter().enumerate().map(|(i, candidate)| {
        let kind = kind_for(&props.schema, &props.draft, from, candidate)
            .map(|k| k.display_name())
            .unwrap_or_default();
        let onclick = {
            let (finish, id) = (finish.clone(), candidate.id.clone());
            Callback::from(move |_| finish(id.clone()))
        };
        html! {
            <li id={format!("link-candidate-{i}")} role="option" aria-selected={(i == active_index).to_string()}
                class={classes!("candidate", (i == active_index).then_some("active"))} onclick={onclick}>
                <span class={classes!("tag", format!("tag-{}", candidate.label.style_class()))} data-label={candidate.label.as_str().to_owned()}>{ candidate.label.display_name().to_owned() }</span>
                <span class="excerpt">{ excerpt(candidate, text, CANDIDATE_CHARS) }</span>
                <span class="candidate-kind">{ kind }</span>
            </li>
        }
    });
    let empty = list.is_empty();
    html! {
        <section class="link-picker" aria-label="Link to another annotation">
            <p class="link-hint">
                { format!("Linking {} {}: click a highlight in the article, or pick one here.",
                    from.label.display_name(), quoted(&excerpt(from, text, 40))) }
            </p>
            <div class="field">
                <label for="link-kind">{ "Relation type" }</label>
                <select id="link-kind" onchange={onkind}>
                    <option value="" selected={picked.is_none()}>{ "Automatic, from the labels" }</option>
                    { for kinds }
                </select>
            </div>
            <div class="field">
                <label for="link-filter">{ "Link to" }</label>
                <input id="link-filter" ref={input} type="text" role="combobox" autocomplete="off"
                    aria-expanded="true" aria-controls="link-candidates" aria-autocomplete="list"
                    aria-activedescendant={(!empty).then(|| format!("link-candidate-{active_index}"))}
                    placeholder="Filter by text or label; nearest first"
                    value={(*filter).clone()} oninput={oninput} onkeydown={onkeydown} />
            </div>
            if empty {
                <p class="empty">{ "No annotation matches." }</p>
            } else {
                <ul id="link-candidates" role="listbox" aria-label="Candidates" class="candidates" tabindex="-1">{ for options }</ul>
            }
            <button onclick={cancel}>{ "Cancel" }<kbd>{ "Esc" }</kbd></button>
        </section>
    }
}
