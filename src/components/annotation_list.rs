//! The side panel: counts per label, the selected annotation's values, note and relations, and
//! every annotation in text order (or those a filter keeps: "claims not yet rated"). Clicking a
//! row scrolls to its highlight and flashes it; focusing a row selects it.

use std::rc::Rc;

use yew::prelude::*;

use super::annotation_details::{annotation_details, AnnotationDetailsProps};
use super::annotation_rows::{AnnotationRows, RowFilter};
use super::article_note::{article_note, ArticleNoteProps};
use super::article_view::SameDocument;
use super::guidelines_host::{self, GUIDELINES_HOST_ID};
use crate::browser::text_case::folded;
use crate::state::{AppState, LinkDraft};
use annotator_core::model::{AnnotationId, Document, Label, Schema};

/// Narrow props: the list renders again when the document or the selected annotation changes,
/// not on every state change (a text selection in the article, a save status).
#[derive(Properties, PartialEq)]
pub struct AnnotationListProps {
    pub document: SameDocument,
    pub selected: Option<AnnotationId>,
    pub schema: Rc<Schema>,
    pub linking: Option<LinkDraft>,
    pub dispatcher: UseReducerDispatcher<AppState>,
    /// Why the schema (and its guidelines) cannot be changed in this tab, if it cannot.
    pub locked: Option<String>,
}

/// Count per label: the schema's labels in its order (also when zero), then any other label the
/// document uses (a built-in one the schema no longer has, a custom one from an import).
fn counts_in_schema_order(document: &Document, schema: &Schema) -> Vec<(Label, usize)> {
    let used = document.counts();
    let count_of = |label: &Label| used.iter().find(|(l, _)| l == label).map_or(0, |(_, n)| *n);
    let mut counts: Vec<(Label, usize)> = schema
        .labels
        .iter()
        .map(|spec| (spec.label.clone(), count_of(&spec.label)))
        .collect();
    counts.extend(
        used.into_iter()
            .filter(|(label, n)| *n > 0 && schema.label(label).is_none()),
    );
    counts
}

#[component]
pub fn AnnotationList(props: &AnnotationListProps) -> Html {
    let document = Rc::clone(&props.document.0);
    // Counting walks every annotation: once per document version, not per selection.
    let counts = use_memo(
        (props.document.clone(), Rc::clone(&props.schema)),
        |(document, schema)| counts_in_schema_order(&document.0, schema),
    );
    let counts = counts.iter().map(|(label, count)| {
        html! {
            <li class={format!("count count-{}", label.style_class())}>
                <span class={classes!("tag", format!("tag-{}", label.style_class()))} data-label={label.as_str().to_owned()}>{ label.display_name() }</span>
                <span class="count-number">{ *count }</span>
            </li>
        }
    });
    let total = document.annotations().len();
    let filter = use_state(|| RowFilter::All);
    let filters = RowFilter::offered(&props.schema);
    let onfilter = {
        let (filter, filters) = (filter.clone(), filters.clone());
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                let index: usize = select.value().parse().unwrap_or(0);
                filter.set(filters.get(index).cloned().unwrap_or(RowFilter::All));
            }
        })
    };
    // The guidelines, drawn by the dialogs module in the box under the heading while open, at
    // the selected annotation's label.
    let guidelines_open = use_state_eq(|| false);
    {
        let label = props
            .selected
            .as_ref()
            .and_then(|id| document.annotation(id))
            .map(|a| a.label.as_str().to_owned())
            .unwrap_or_default();
        let deps = (
            *guidelines_open,
            document.id.clone(),
            Rc::clone(&props.schema),
            label,
            props.locked.clone().unwrap_or_default(),
        );
        let dispatcher = props.dispatcher.clone();
        use_effect_with(deps, move |(open, _, schema, label, locked)| {
            guidelines_host::show(*open, schema, label.clone(), locked.clone(), dispatcher);
        });
    }
    let toggle_guidelines = {
        let open = guidelines_open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    // The text filter, folded as it is typed (case and accents aside, as the find bar).
    let query = use_state(AttrValue::default);
    let onquery = {
        let query = query.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(field) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                query.set(AttrValue::from(folded(field.value().trim())));
            }
        })
    };
    let filter_options = filters.iter().enumerate().map(|(i, f)| {
        html! { <option value={i.to_string()} selected={*f == *filter}>{ f.name() }</option> }
    });
    // Not keyed by the selected annotation: a new selection (after every delete and undo)
    // patches the panel instead of building it again; its form fields are keyed instead.
    let details = props.selected.clone().map(|selected| {
        annotation_details(&AnnotationDetailsProps {
            document: Rc::clone(&document),
            schema: Rc::clone(&props.schema),
            selected,
            linking: props.linking.clone(),
            dispatcher: props.dispatcher.clone(),
        })
    });
    html! {
        <aside class="annotations" aria-label="Annotations">
            <div class="annotations-head">
                <h2>{ format!("Annotations ({total})") }</h2>
                <button class="guidelines-toggle" aria-pressed={guidelines_open.to_string()}
                    aria-controls={GUIDELINES_HOST_ID} onclick={toggle_guidelines}
                    title="The annotation guidelines">
                    { "Guidelines" }
                </button>
            </div>
            <div id={GUIDELINES_HOST_ID} class="guidelines-host"></div>
            <ul class="counts" aria-label="Counts per label">{ for counts }</ul>
            if total > 0 {
                <div class="row-filter">
                    <label for="row-filter">{ "Show" }</label>
                    <select id="row-filter" onchange={onfilter}>{ for filter_options }</select>
                    <input type="search" class="row-query" aria-label="Filter by text"
                        placeholder="Filter by text" oninput={onquery} />
                </div>
            }
            if total == 0 {
                <p class="empty">{ "No annotations yet. Select text in the article and press Q, E or C." }</p>
            } else {
                <AnnotationRows document={SameDocument(Rc::clone(&document))} selected={props.selected.clone()}
                    filter={(*filter).clone()} query={(*query).clone()}
                    dispatcher={props.dispatcher.clone()} />
            }
            // Below the list, so that selecting a row (which shows the details) never moves the
            // row under the pointer between press and release.
            if let Some(details) = details {
                { details }
            } else {
                { article_note(&ArticleNoteProps {
                    document: Rc::clone(&document),
                    dispatcher: props.dispatcher.clone(),
                }) }
            }
        </aside>
    }
}
