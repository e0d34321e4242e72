//! The side panel: counts per label and every annotation in text order. Clicking a row scrolls to
//! its highlight and flashes it; focusing a row selects it, which shows its label in the text.

use std::rc::Rc;

use yew::prelude::*;

use super::article_view::SameDocument;
use crate::model::{AnnotationId, Document, Label};
use crate::state::{Action, AppContext};

/// Longest excerpt in a row, in characters.
const EXCERPT_CHARS: usize = 80;

#[derive(Clone, PartialEq)]
struct Row {
    id: AnnotationId,
    label: Label,
    start: usize,
    end: usize,
    excerpt: AttrValue,
}

/// Rows rendered at a time. Rendering all 10,000 rows of a long article made opening it and
/// every edit several times slower (measured in BENCHMARKS.md), so the list grows on request.
pub const ROWS_PER_PAGE: usize = 200;

/// `count` rows of the list from row `first`.
fn rows(document: &Document, first: usize, count: usize) -> Vec<Row> {
    let text = document.text();
    document
        .annotations()
        .iter()
        .skip(first)
        .take(count)
        .map(|a| {
            let quoted = text.slice(a.range).unwrap_or_default();
            let mut excerpt: String = quoted.chars().take(EXCERPT_CHARS).collect();
            if quoted.chars().nth(EXCERPT_CHARS).is_some() {
                excerpt.push('…');
            }
            Row {
                id: a.id.clone(),
                label: a.label.clone(),
                start: a.range.start().get(),
                end: a.range.end().get(),
                excerpt: AttrValue::from(excerpt.replace('\n', " ⏎ ")),
            }
        })
        .collect()
}

#[derive(Properties, PartialEq)]
struct AnnotationRowProps {
    row: Row,
    selected: bool,
    on_pick: Callback<(AnnotationId, bool)>,
}

#[component]
fn AnnotationRow(props: &AnnotationRowProps) -> Html {
    let row = &props.row;
    let onclick = {
        let (on_pick, id) = (props.on_pick.clone(), row.id.clone());
        Callback::from(move |_| on_pick.emit((id.clone(), true)))
    };
    let onfocus = {
        let (on_pick, id) = (props.on_pick.clone(), row.id.clone());
        Callback::from(move |_| on_pick.emit((id.clone(), false)))
    };
    html! {
        <li>
            <button class={classes!("annotation-row", props.selected.then_some("selected"))}
                aria-current={props.selected.then_some("true")}
                onclick={onclick} onfocus={onfocus}>
                <span class={classes!("tag", format!("tag-{}", row.label.style_class()))}>{ row.label.display_name().to_owned() }</span>
                <span class="excerpt">{ row.excerpt.clone() }</span>
                <span class="offsets">{ format!("{}–{}", row.start, row.end) }</span>
            </button>
        </li>
    }
}

#[component]
pub fn AnnotationList() -> Html {
    let state = use_context::<AppContext>();
    let document = state
        .as_ref()
        .and_then(|s| s.active_document())
        .map(|open| Rc::clone(&open.document));
    let pages = use_state(|| 1usize);
    // Always show the selected annotation, however far down the list it is.
    let selected_position = state.as_ref().and_then(|s| {
        let id = s.selected.as_ref()?;
        document
            .as_ref()?
            .annotations()
            .iter()
            .position(|a| &a.id == id)
    });
    // The selected row, when it lies past the rows shown, is shown in the page of rows around it
    // instead: growing the list down to it cost hundreds of milliseconds per edit on L, and as
    // much again to shrink it when the selection went away (bench/PROFILE.md).
    let shown = *pages * ROWS_PER_PAGE;
    let (first, count) = match selected_position {
        Some(i) if i >= shown => ((i / ROWS_PER_PAGE) * ROWS_PER_PAGE, ROWS_PER_PAGE),
        _ => (0, shown),
    };
    let rows = use_memo(
        (document.clone().map(SameDocument), first, count),
        |(d, first, count)| {
            d.as_ref()
                .map(|d| rows(&d.0, *first, *count))
                .unwrap_or_default()
        },
    );
    let show_more = {
        let pages = pages.clone();
        Callback::from(move |_| pages.set(shown / ROWS_PER_PAGE + 1))
    };
    let on_pick = use_callback(
        state.clone(),
        |(id, reveal): (AnnotationId, bool), state| {
            if let Some(state) = state {
                state.dispatch(Action::Select {
                    id: Some(id),
                    reveal,
                });
            }
        },
    );
    let (Some(state), Some(document)) = (state, document) else {
        return Html::default();
    };
    let counts = document.counts().into_iter().map(|(label, count)| {
        html! {
            <li class={format!("count count-{}", label.style_class())}>
                <span class={classes!("tag", format!("tag-{}", label.style_class()))}>{ label.display_name() }</span>
                <span class="count-number">{ count }</span>
            </li>
        }
    });
    let items = rows.iter().map(|row| {
        let selected = state.selected.as_ref() == Some(&row.id);
        html! {
            <AnnotationRow key={row.id.to_string()} row={row.clone()} selected={selected} on_pick={on_pick.clone()} />
        }
    });
    let total = document.annotations().len();
    let more = if first == 0 {
        total.saturating_sub(rows.len())
    } else {
        0
    };
    html! {
        <aside class="annotations" aria-label="Annotations">
            <h2>{ format!("Annotations ({total})") }</h2>
            <ul class="counts" aria-label="Counts per label">{ for counts }</ul>
            if rows.is_empty() {
                <p class="empty">{ "No annotations yet. Select text in the article and press Q, E or C." }</p>
            } else {
                <ol class="annotation-list">{ for items }</ol>
            }
            if first > 0 {
                <p class="muted">{ format!("Showing rows {}–{} of {total}, around the selected one.", first + 1, first + rows.len()) }</p>
            }
            if more > 0 {
                <p class="muted">{ format!("Showing {} of {total}.", rows.len()) }</p>
                <button class="show-more" onclick={show_more}>
                    { format!("Show {} more", more.min(ROWS_PER_PAGE)) }
                </button>
            }
        </aside>
    }
}
