//! Every annotation of a document as a row, in text order, in a scrolling list that renders only
//! the rows in view (plus a margin), so a list of 10,000 rows is as cheap as one of 50: rows are
//! what an edit would otherwise spend its time rendering.
//!
//! Rows have one fixed height, so the scroll position alone says which rows are in view. The
//! list's full height is kept, so the scrollbar is true to the number of rows, and each row says
//! its position (`aria-posinset` of `aria-setsize`) for assistive technology. The arrow keys,
//! Home and End move the selection through the rows, so the keyboard reaches every row even
//! though only some exist at a time.

use std::rc::Rc;

use gloo::events::EventListener;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use super::article_view::SameDocument;
use crate::browser::text_case::folded;
use crate::state::{Action, AppState};
use annotator_core::model::{Annotation, AnnotationId, ArticleText, Document, Label, Schema};

/// Which annotations the list shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowFilter {
    All,
    /// Those of one label.
    Label(Label),
    /// Those of `label` whose `attribute` is `value`: "Claim: check worthy yes".
    Value {
        label: Label,
        attribute: Rc<str>,
        value: Rc<str>,
    },
    /// Those of `label` with no value for `attribute`: "Claims without check worthy".
    Missing {
        label: Label,
        attribute: Rc<str>,
    },
    WithNote,
    Linked,
    Unlinked,
}

impl RowFilter {
    /// The filters the schema makes sense of, in menu order.
    pub fn offered(schema: &Schema) -> Rc<Vec<RowFilter>> {
        let mut filters = vec![RowFilter::All];
        filters.extend(
            schema
                .labels
                .iter()
                .map(|s| RowFilter::Label(s.label.clone())),
        );
        for spec in &schema.labels {
            for attribute in &spec.attributes {
                filters.extend(attribute.values.iter().map(|value| RowFilter::Value {
                    label: spec.label.clone(),
                    attribute: Rc::clone(&attribute.name),
                    value: Rc::clone(value),
                }));
            }
        }
        for spec in &schema.labels {
            for attribute in &spec.attributes {
                filters.push(RowFilter::Missing {
                    label: spec.label.clone(),
                    attribute: Rc::clone(&attribute.name),
                });
            }
        }
        filters.extend([RowFilter::WithNote, RowFilter::Linked, RowFilter::Unlinked]);
        Rc::new(filters)
    }

    pub fn name(&self) -> String {
        match self {
            RowFilter::All => "All annotations".into(),
            RowFilter::Label(label) => format!("{} only", label.display_name()),
            RowFilter::Value {
                label,
                attribute,
                value,
            } => format!(
                "{}: {} {value}",
                label.display_name(),
                attribute.replace('_', " ")
            ),
            RowFilter::Missing { label, attribute } => format!(
                "{} without {}",
                label.display_name(),
                attribute.replace('_', " ")
            ),
            RowFilter::WithNote => "With a note".into(),
            RowFilter::Linked => "Linked".into(),
            RowFilter::Unlinked => "Not linked".into(),
        }
    }

    /// The positions (in the document's annotations) this filter keeps, of those `matching`
    /// keeps (a text filter's); `None` keeps them all.
    fn keep(&self, document: &Document, matching: Option<&[bool]>) -> Option<Vec<usize>> {
        let linked = || -> std::collections::HashSet<&AnnotationId> {
            document
                .relations()
                .iter()
                .flat_map(|r| [&r.from, &r.to])
                .collect()
        };
        let annotations = document
            .annotations()
            .iter()
            .enumerate()
            .filter(|(i, _)| matching.is_none_or(|m| m.get(*i).copied().unwrap_or(false)));
        let positions = match self {
            RowFilter::All if matching.is_none() => return None,
            RowFilter::All => annotations.map(|(i, _)| i).collect(),
            RowFilter::Label(label) => annotations
                .filter(|(_, a)| &a.label == label)
                .map(|(i, _)| i)
                .collect(),
            RowFilter::Value {
                label,
                attribute,
                value,
            } => annotations
                .filter(|(_, a)| &a.label == label && a.attributes.get(attribute) == Some(&**value))
                .map(|(i, _)| i)
                .collect(),
            RowFilter::Missing { label, attribute } => annotations
                .filter(|(_, a)| &a.label == label && a.attributes.get(attribute).is_none())
                .map(|(i, _)| i)
                .collect(),
            RowFilter::WithNote => annotations
                .filter(|(_, a)| a.note.is_some())
                .map(|(i, _)| i)
                .collect(),
            RowFilter::Linked => {
                let linked = linked();
                annotations
                    .filter(|(_, a)| linked.contains(&a.id))
                    .map(|(i, _)| i)
                    .collect()
            }
            RowFilter::Unlinked => {
                let linked = linked();
                annotations
                    .filter(|(_, a)| !linked.contains(&a.id))
                    .map(|(i, _)| i)
                    .collect()
            }
        };
        Some(positions)
    }
}

/// Row height in rem (matches `.annotation-rows > li` in styles/layout.css).
const ROW_HEIGHT_REM: f64 = 3.75;
/// Rows rendered above and below the visible ones.
const OVERSCAN_ROWS: usize = 5;
/// Rows assumed visible before the list has been measured.
const ROWS_BEFORE_MEASURE: usize = 30;
/// Longest excerpt in a row, in characters.
const EXCERPT_CHARS: usize = 80;

#[derive(Clone, PartialEq)]
struct Row {
    id: AnnotationId,
    label: Label,
    start: usize,
    end: usize,
    excerpt: AttrValue,
    /// The attribute values, as tags.
    values: Vec<AttrValue>,
    has_note: bool,
    links: usize,
}

impl Row {
    fn of(annotation: &Annotation, text: &ArticleText, links: usize) -> Self {
        let quoted = text.slice(annotation.range).unwrap_or_default();
        let mut excerpt: String = quoted.chars().take(EXCERPT_CHARS).collect();
        if quoted.chars().nth(EXCERPT_CHARS).is_some() {
            excerpt.push('…');
        }
        Self {
            id: annotation.id.clone(),
            label: annotation.label.clone(),
            start: annotation.range.start().get(),
            end: annotation.range.end().get(),
            excerpt: AttrValue::from(excerpt.replace('\n', " ⏎ ")),
            values: annotation
                .attributes
                .iter()
                .map(|(_, value)| AttrValue::from(value.to_owned()))
                .collect(),
            has_note: annotation.note.is_some(),
            links,
        }
    }
}

/// The row's content, memoised on what it shows: an edit above a row moves it (its `li` changes
/// position), but does not render its content again.
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
        <button class={classes!("annotation-row", props.selected.then_some("selected"))}
            aria-current={props.selected.then_some("true")}
            onclick={onclick} onfocus={onfocus}>
            <span class={classes!("tag", format!("tag-{}", row.label.style_class()))} data-label={row.label.as_str().to_owned()}>{ row.label.display_name().to_owned() }</span>
            <span class="excerpt">{ row.excerpt.clone() }</span>
            <span class="row-meta">
                { for row.values.iter().map(|v| html! { <span class="value-tag">{ v.clone() }</span> }) }
                if row.links > 0 {
                    <span class="links" title="Relations">{ format!("⇄{}", row.links) }</span>
                }
                if row.has_note { <span class="has-note" title="Has a note">{ "✎" }</span> }
                <span class="offsets">{ format!("{}–{}", row.start, row.end) }</span>
            </span>
        </button>
    }
}

/// One row's height in CSS pixels: [`ROW_HEIGHT_REM`] at the page's root font size, so the list
/// follows the reader's font settings.
fn row_height_px() -> u32 {
    let root_font_px = web_sys::window()
        .and_then(|w| {
            let root = w.document()?.document_element()?;
            w.get_computed_style(&root)
                .ok()??
                .get_property_value("font-size")
                .ok()
        })
        // JavaScript's own parseFloat: Rust's float parser would add kilobytes to the bundle.
        .map(|size| js_sys::parse_float(size.trim_end_matches("px")))
        .filter(|px| px.is_finite() && *px > 0.0)
        .unwrap_or(16.0);
    // Never below 1 px, so positions can be divided by it.
    (ROW_HEIGHT_REM * root_font_px).round().max(1.0) as u32
}

/// Which rows the scroll position shows: the first one and how many fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct InView {
    first: usize,
    count: usize,
}

impl InView {
    fn of(scroller: &Element, row_px: u32) -> Self {
        let row_px = row_px.max(1) as usize;
        let top = scroller.scroll_top().max(0) as usize;
        let height = scroller.client_height().max(0) as usize;
        Self {
            first: top / row_px,
            count: height.div_ceil(row_px).max(1),
        }
    }

    /// Whether row `position` is entirely in view.
    fn shows(&self, position: usize) -> bool {
        position >= self.first && position + 1 < self.first + self.count
    }
}

/// The neighbour of `position` a navigation key leads to, if the key is one.
fn target_of(key: &str, position: Option<usize>, total: usize) -> Option<usize> {
    let last = total.checked_sub(1)?;
    match (key, position) {
        ("Home", _) | ("ArrowDown", None) => Some(0),
        ("End", _) | ("ArrowUp", None) => Some(last),
        ("ArrowDown", Some(p)) => Some((p + 1).min(last)),
        ("ArrowUp", Some(p)) => Some(p.saturating_sub(1)),
        _ => None,
    }
}

/// Which annotations a text filter keeps, by position: those whose text, note or values hold
/// `query` (already [`folded`]).
fn matching(document: &Document, query: &str) -> Vec<bool> {
    let text = document.text();
    document
        .annotations()
        .iter()
        .map(|a| {
            let words = text.slice(a.range).unwrap_or_default();
            let values = a.attributes.iter().map(|(_, value)| value);
            std::iter::once(words)
                .chain(a.note.as_deref())
                .chain(values)
                .any(|field| folded(field).contains(query))
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct AnnotationRowsProps {
    pub document: SameDocument,
    pub selected: Option<AnnotationId>,
    pub filter: RowFilter,
    /// The text filter, [`folded`]; empty keeps every annotation.
    pub query: AttrValue,
    pub dispatcher: UseReducerDispatcher<AppState>,
}

#[component]
pub fn AnnotationRows(props: &AnnotationRowsProps) -> Html {
    let document = &props.document.0;
    let annotations = document.annotations();
    // What the filters keep: once per document version, filter and query.
    let kept = use_memo(
        (
            props.document.clone(),
            props.filter.clone(),
            props.query.clone(),
        ),
        |(d, filter, query)| {
            let matching = (!query.is_empty()).then(|| matching(&d.0, query));
            filter.keep(&d.0, matching.as_deref())
        },
    );
    // Position in the list -> index in the document's annotations.
    let index_of = |position: usize| kept.as_ref().as_ref().map_or(position, |k| k[position]);
    let total = kept.as_ref().as_ref().map_or(annotations.len(), Vec::len);
    let scroller = use_node_ref();
    let row_px = *use_memo((), |_| row_height_px());
    let in_view = use_state_eq(|| InView {
        first: 0,
        count: ROWS_BEFORE_MEASURE,
    });
    // Set by a navigation key: focus the selected row once it is rendered.
    let focus_selected = use_mut_ref(|| false);
    let selected_position = props.selected.as_ref().and_then(|id| {
        let index = annotations.iter().position(|a| &a.id == id)?;
        match kept.as_ref() {
            Some(kept) => kept.binary_search(&index).ok(),
            None => Some(index),
        }
    });

    let onscroll = {
        let (scroller, in_view) = (scroller.clone(), in_view.clone());
        Callback::from(move |_: Event| {
            if let Some(element) = scroller.cast::<Element>() {
                in_view.set(InView::of(&element, row_px));
            }
        })
    };
    // Measure once mounted, and again on every scroll and every resize of the window (a taller
    // list shows more rows than the last measure knew of).
    {
        let (scroller, in_view) = (scroller.clone(), in_view.clone());
        use_effect_with((), move |_| {
            let measure = move || {
                if let Some(element) = scroller.cast::<Element>() {
                    in_view.set(InView::of(&element, row_px));
                }
            };
            measure();
            let on_resize = web_sys::window()
                .map(|window| EventListener::new(&window, "resize", move |_| measure()));
            move || drop(on_resize)
        });
    }
    // A selection made elsewhere (a click in the article, a new span) scrolls its row into view.
    // Judged from the last measure, not by reading the scroll position again: reading layout
    // here would force the browser to lay out the edit's changes before the frame.
    {
        let (scroller, in_view) = (scroller.clone(), in_view.clone());
        let focus_selected = Rc::clone(&focus_selected);
        use_effect_with(
            (props.selected.clone(), selected_position),
            move |(_, position)| {
                let Some(element) = scroller.cast::<Element>() else {
                    return;
                };
                if let Some(position) = *position {
                    if !in_view.shows(position) {
                        let first = position.saturating_sub(in_view.count / 2);
                        element.set_scroll_top(
                            i32::try_from(first * row_px as usize).unwrap_or(i32::MAX),
                        );
                        in_view.set(InView {
                            first,
                            count: in_view.count,
                        });
                    }
                }
                if std::mem::take(&mut *focus_selected.borrow_mut()) {
                    let row = element
                        .query_selector("[aria-current=\"true\"]")
                        .ok()
                        .flatten()
                        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
                    if let Some(row) = row {
                        let _ = row.focus();
                    }
                }
            },
        );
    }
    let on_pick = use_callback(
        props.dispatcher.clone(),
        |(id, reveal): (AnnotationId, bool), dispatcher| {
            dispatcher.dispatch(Action::Select {
                id: Some(id),
                reveal,
            });
        },
    );
    let onkeydown = {
        let (dispatcher, document) = (props.dispatcher.clone(), Rc::clone(document));
        let (kept, focus_selected) = (kept.clone(), Rc::clone(&focus_selected));
        Callback::from(move |event: KeyboardEvent| {
            if event.ctrl_key() || event.meta_key() || event.alt_key() || event.shift_key() {
                return;
            }
            let Some(target) = target_of(&event.key(), selected_position, total) else {
                return;
            };
            let index = kept
                .as_ref()
                .as_ref()
                .map_or(Some(target), |k| k.get(target).copied());
            let Some(annotation) = index.and_then(|i| document.annotations().get(i)) else {
                return;
            };
            event.prevent_default();
            *focus_selected.borrow_mut() = true;
            dispatcher.dispatch(Action::Select {
                id: Some(annotation.id.clone()),
                reveal: true,
            });
        })
    };

    // The rows in view, the margin around them, and the selected row wherever it is (keeping
    // focus on it while the list scrolls away).
    let first = in_view.first.saturating_sub(OVERSCAN_ROWS).min(total);
    let end = (in_view.first + in_view.count + OVERSCAN_ROWS).min(total);
    let positions = (first..end).chain(selected_position.filter(|p| !(first..end).contains(p)));
    let text = document.text();
    let setsize = AttrValue::from(total.to_string());
    // The window's rows sit in the flow under a padding as tall as the rows above them, so a row
    // that moves within the window (a span added or removed above it) changes no style; only a
    // selected row outside the window is placed on its own.
    let rows = positions.map(|position| {
        let annotation = &annotations[index_of(position)];
        // Counted for the rows drawn only: the document finds an annotation's relations by
        // binary search, where counting every annotation's walked all relations on each edit.
        let links = document.relations_of(&annotation.id).count();
        let row = Row::of(annotation, text, links);
        let selected = selected_position == Some(position);
        let key = row.id.to_string();
        let placed = (!(first..end).contains(&position))
            .then(|| format!("position: absolute; top: {}px", position * row_px as usize));
        html! {
            <li key={key} style={placed} aria-posinset={(position + 1).to_string()} aria-setsize={setsize.clone()}>
                <AnnotationRow row={row} selected={selected} on_pick={on_pick.clone()} />
            </li>
        }
    });
    let size = format!(
        "height: {}px; padding-top: {}px",
        total * row_px as usize,
        first * row_px as usize
    );
    html! {
        <div class="annotation-scroller" ref={scroller} onscroll={onscroll}>
            if total == 0 {
                <p class="empty">{ "No annotation matches the filter." }</p>
            }
            <ol class="annotation-rows" aria-label="Annotation list" style={size} onkeydown={onkeydown}>
                { for rows }
            </ol>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn navigation_keys_move_within_the_list() {
        assert_eq!(target_of("ArrowDown", Some(3), 10), Some(4));
        assert_eq!(target_of("ArrowDown", Some(9), 10), Some(9));
        assert_eq!(target_of("ArrowUp", Some(0), 10), Some(0));
        assert_eq!(target_of("ArrowUp", None, 10), Some(9));
        assert_eq!(target_of("ArrowDown", None, 10), Some(0));
        assert_eq!(target_of("Home", Some(5), 10), Some(0));
        assert_eq!(target_of("End", Some(5), 10), Some(9));
        assert_eq!(target_of("ArrowDown", None, 0), None);
        assert_eq!(target_of("a", Some(1), 10), None);
    }

    #[test]
    fn filters_keep_a_label_a_value_and_what_the_text_filter_matched() {
        use annotator_core::model::{CharRange, DocumentId, Timestamp};
        let now = Timestamp::from_unix_millis(0);
        let text = ArticleText::normalize("Ana said the tax rose. Bo denied it.");
        let mut d = Document::new(DocumentId::new("d"), "t".into(), text, now);
        let range = |s, e| CharRange::from_raw(s, e).unwrap();
        let ana = d.add(range(0, 3), Label::Entity, now).unwrap();
        let claim = d.add(range(9, 21), Label::Claim, now).unwrap();
        d.add(range(23, 25), Label::Entity, now).unwrap();
        d.set_attribute(&claim.id, "check_worthy", Some("yes"), now)
            .unwrap();
        let entity = RowFilter::Label(Label::Entity);
        assert_eq!(entity.keep(&d, None), Some(vec![0, 2]));
        let worthy = RowFilter::Value {
            label: Label::Claim,
            attribute: Rc::from("check_worthy"),
            value: Rc::from("yes"),
        };
        assert_eq!(worthy.keep(&d, None), Some(vec![1]));
        assert_eq!(entity.name(), "Entity only");
        assert_eq!(worthy.name(), "Claim: check worthy yes");
        // A text filter's matches narrow every filter, "All" included.
        let only_ana = [true, false, false];
        assert_eq!(RowFilter::All.keep(&d, Some(&only_ana)), Some(vec![0]));
        assert_eq!(entity.keep(&d, Some(&only_ana)), Some(vec![0]));
        assert_eq!(worthy.keep(&d, Some(&only_ana)), Some(vec![]));
        assert_eq!(RowFilter::All.keep(&d, None), None);
        assert_eq!(d.annotations()[0].id, ana.id);
    }

    #[test]
    fn a_row_is_shown_only_when_it_is_entirely_in_view() {
        let in_view = InView { first: 4, count: 3 };
        assert!(!in_view.shows(3));
        assert!(in_view.shows(4));
        assert!(in_view.shows(5));
        // The last row that fits may be cut off at the bottom.
        assert!(!in_view.shows(6));
    }
}
