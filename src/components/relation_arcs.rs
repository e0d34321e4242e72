//! Where the relation arcs go over the article, and what they show: the selected annotation's
//! relations, or, with "Show all relations" on, every relation (the overlay keeps those with
//! both ends in view). The drawing itself is the dialogs module's (`crate::relation_arcs`),
//! loaded once an article with relations is open, so the first load does not carry it.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use web_sys::Element;
use yew::prelude::*;

use crate::browser::dialogs_client;
use crate::components::article_view::SameDocument;
use crate::relation_arcs::protocol::ArcsRequest;
use annotator_core::model::drawn_relations::{pack, DrawnRelation};
use annotator_core::model::{AnnotationId, Document, Relation, RelationKind};

/// How long after an article with relations opens the drawing module is fetched, so that it
/// does not compete with the article's first paint and is there before the first click.
const WARM_UP_AFTER_MS: u32 = 400;

#[derive(Properties)]
pub struct RelationArcsProps {
    pub document: Rc<Document>,
    pub selected: Option<AnnotationId>,
    pub show_all: bool,
}

impl PartialEq for RelationArcsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.document, &other.document)
            && self.selected == other.selected
            && self.show_all == other.show_all
    }
}

/// What the overlay is asked to draw, or `None` when there is nothing to draw.
fn request(
    document: &Document,
    selected: Option<&AnnotationId>,
    show_all: bool,
) -> Option<ArcsRequest> {
    let relations: Vec<&Relation> = if show_all {
        document.relations().iter().collect()
    } else {
        selected
            .map(|id| document.relations_of(id).collect())
            .unwrap_or_default()
    };
    if relations.is_empty() {
        return None;
    }
    // A schema has a handful of relation types: each name is written once, not per relation.
    let mut names: Vec<(&RelationKind, String)> = Vec::new();
    for relation in &relations {
        if !names.iter().any(|(kind, _)| *kind == &relation.kind) {
            names.push((&relation.kind, relation.kind.display_name()));
        }
    }
    let name_of = |kind: &RelationKind| {
        names
            .iter()
            .find(|(known, _)| *known == kind)
            .map_or("", |(_, name)| name.as_str())
    };
    Some(ArcsRequest {
        relations: pack(relations.iter().map(|relation| DrawnRelation {
            from: relation.from.as_str(),
            to: relation.to.as_str(),
            name: name_of(&relation.kind),
        })),
        selected: selected.map(ToString::to_string),
        show_all,
    })
}

/// An empty box in the article's box, where the overlay draws.
#[component]
pub fn RelationArcs(props: &RelationArcsProps) -> Html {
    let host = use_node_ref();
    {
        let host = host.clone();
        let (document, selected, show_all) = (
            Rc::clone(&props.document),
            props.selected.clone(),
            props.show_all,
        );
        use_effect_with(
            (
                SameDocument(Rc::clone(&props.document)),
                props.selected.clone(),
                props.show_all,
            ),
            move |_| {
                if let Some(host) = host.cast::<Element>() {
                    match request(&document, selected.as_ref(), show_all) {
                        Some(request) => dialogs_client::draw_arcs(host, request),
                        // Nothing to draw: nothing is measured, so an edit costs no layout.
                        None => dialogs_client::clear_arcs(&host),
                    }
                }
            },
        );
    }
    // Fetched once the article has relations, before the user selects one of them.
    let has_relations = !props.document.relations().is_empty();
    use_effect_with(has_relations, |&has_relations| {
        let warm_up =
            has_relations.then(|| Timeout::new(WARM_UP_AFTER_MS, dialogs_client::warm_up));
        move || drop(warm_up)
    });
    {
        let host = host.clone();
        use_effect_with((), move |()| {
            // Taken now: once the view is gone, the reference no longer points at the box.
            let host = host.cast::<Element>();
            move || {
                if let Some(host) = host {
                    dialogs_client::clear_arcs(&host);
                }
            }
        });
    }
    html! { <div class="arcs-host" aria-hidden="true" ref={host}></div> }
}
