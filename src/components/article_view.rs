//! The article: its text as pasted, split into memoised paragraphs, with every annotation
//! highlighted. `textContent` of the element is exactly the document text: labels live in CSS
//! attributes, never in text nodes.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{Element, ScrollBehavior, ScrollIntoViewOptions, ScrollLogicalPosition};
use yew::prelude::*;

use super::paragraph_chunk::{ChunkText, ParagraphChunk, PARAGRAPHS_PER_CHUNK};
use super::relation_arcs::RelationArcs;
use crate::browser::clock::now;
use crate::hooks::{use_article_caret, use_chunks_near_view, CaretInputs};
use crate::state::{Action, AppContext};
use annotator_core::model::word_snap::SnapRule;
use annotator_core::model::{
    assign_layers, edited_span, paragraphs, reassign_layers, recut_paragraphs, AnnotationId,
    CharRange, Document, Piece,
};

/// How long a revealed annotation flashes, in ms (matches the CSS animation).
const FLASH_MS: u32 = 1200;

/// Chunks highlighted from the first render: the top of the article, where it opens (two
/// chunks of 32 paragraphs fill more than a screen).
const HIGHLIGHTED_AT_OPEN: usize = 2;

/// Compares documents by identity: memoised work is redone only when the document changed.
#[derive(Clone)]
pub struct SameDocument(pub Rc<Document>);

impl PartialEq for SameDocument {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The text part of a document: paragraphs never change after the paste. The paragraphs read a
/// span's text from it (to say where the span ends): by pointer, it never changes their props.
#[derive(Clone)]
pub struct SameText(pub annotator_core::model::ArticleText);

impl PartialEq for SameText {
    fn eq(&self, other: &Self) -> bool {
        self.0.ptr_eq(&other.0)
    }
}

/// The pieces of each paragraph of one chunk, from the render plan.
type ChunkPieces = Rc<[Rc<Vec<Piece>>]>;

/// What the last render was cut from, for the next edit to start from: the document and the
/// pieces of each chunk that was highlighted (`None` for the plain ones, never cut).
/// The layers of `document`'s annotations after the edit from `previous`'s document.
fn layers_after(
    previous: Option<&Previous>,
    document: &Rc<Document>,
    edited: Option<CharRange>,
) -> Rc<Vec<usize>> {
    match previous.and_then(|p| Some((p, p.layers.as_ref()?))) {
        Some((p, layers)) if Rc::ptr_eq(&p.document, document) => Rc::clone(layers),
        Some((p, layers)) => Rc::new(reassign_layers(
            p.document.annotations(),
            layers,
            document.annotations(),
            edited,
        )),
        None => Rc::new(assign_layers(document.annotations())),
    }
}

struct Previous {
    document: Rc<Document>,
    chunks: Vec<Option<ChunkPieces>>,
    /// The layers of `document`'s annotations, once a chunk needed them: an edit then assigns
    /// only the layers in its span again ([`reassign_layers`]).
    layers: Option<Rc<Vec<usize>>>,
}

/// Paragraphs, and their ranges and texts in chunks, computed once per document text.
struct Blocks {
    paragraphs: Rc<[annotator_core::model::Paragraph]>,
    chunks: Vec<ChunkText>,
}

fn blocks_of(text: &annotator_core::model::ArticleText) -> Blocks {
    let paragraphs = paragraphs(text);
    let chunks = paragraphs
        .chunks(PARAGRAPHS_PER_CHUNK)
        .enumerate()
        .map(|(k, chunk)| ChunkText {
            first: k * PARAGRAPHS_PER_CHUNK,
            ranges: chunk.iter().map(|p| p.chars).collect(),
            texts: chunk
                .iter()
                .map(|p| {
                    AttrValue::from(text.as_str()[p.bytes.0.get()..p.bytes.1.get()].to_owned())
                })
                .collect(),
        })
        .collect();
    Blocks {
        paragraphs: paragraphs.into(),
        chunks,
    }
}

/// The annotations under a click, innermost first.
fn marks_under(target: Option<Element>, article: &Element) -> Vec<AnnotationId> {
    let mut chain = Vec::new();
    let mut current = target;
    while let Some(element) = current {
        if !article.contains(Some(&element)) {
            break;
        }
        match element.closest("mark[data-id]").ok().flatten() {
            Some(mark) if article.contains(Some(&mark)) => {
                if let Some(id) = mark.get_attribute("data-id") {
                    chain.push(AnnotationId::new(&id));
                }
                current = mark.parent_element();
            }
            _ => break,
        }
    }
    chain
}

fn reveal(article: &Element, id: &AnnotationId) {
    let selector = format!("mark[data-id=\"{}\"]", id.as_str().replace('"', ""));
    let Ok(marks) = article.query_selector_all(&selector) else {
        return;
    };
    let marks: Vec<Element> = (0..marks.length())
        .filter_map(|i| marks.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect();
    if let Some(first) = marks.first() {
        let behavior = scroll_behavior(first);
        scroll_to_centre(first, behavior);
        if behavior == ScrollBehavior::Instant {
            hold_jump(article.clone(), selector, JUMP_CHECKS);
        }
    }
    for mark in &marks {
        let _ = mark.class_list().add_1("flash");
    }
    Timeout::new(FLASH_MS, move || {
        for mark in &marks {
            let _ = mark.class_list().remove_1("flash");
        }
    })
    .forget();
}

fn scroll_to_centre(mark: &Element, behavior: ScrollBehavior) {
    let options = ScrollIntoViewOptions::new();
    options.set_behavior(behavior);
    options.set_block(ScrollLogicalPosition::Center);
    mark.scroll_into_view_with_scroll_into_view_options(&options);
}

/// How many times, and how often, a jump is checked after it is made.
const JUMP_CHECKS: u32 = 8;
const JUMP_CHECK_MS: u32 = 40;

/// Paragraphs far from the viewport are laid out at an estimated height (styles/marks.css), so
/// a jump lands where the highlight was before the paragraphs around it got their real heights
/// and highlights: on a 100,000-character article, 13 screens away from it. So a jump is checked
/// for a few frames and made again while the highlight is not on screen.
fn hold_jump(article: Element, selector: String, checks_left: u32) {
    Timeout::new(JUMP_CHECK_MS, move || {
        let Some(mark) = article.query_selector(&selector).ok().flatten() else {
            return;
        };
        let rect = mark.get_bounding_client_rect();
        if rect.top() < 0.0 || rect.bottom() > viewport_height() {
            scroll_to_centre(&mark, ScrollBehavior::Instant);
        }
        if checks_left > 1 {
            hold_jump(article, selector, checks_left - 1);
        }
    })
    .forget();
}

/// The window's height in CSS pixels (0 when unknown).
fn viewport_height() -> f64 {
    web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|height| height.as_f64())
        .unwrap_or(0.0)
}

/// How far away, in viewport heights, a highlight must be for revealing it to jump there.
const JUMP_BEYOND_VIEWPORTS: f64 = 2.0;

/// Smooth scrolling shows where a nearby highlight sits, but across a long article it takes
/// seconds (over one across 1 MB), so a far one is jumped to. So is every one when the reader
/// asked the system for less motion.
fn scroll_behavior(mark: &Element) -> ScrollBehavior {
    let Some(window) = web_sys::window() else {
        return ScrollBehavior::Instant;
    };
    let reduced_motion = window
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches());
    let viewport = viewport_height();
    let rect = mark.get_bounding_client_rect();
    let distance = if rect.top() > viewport {
        rect.top() - viewport
    } else {
        (-rect.bottom()).max(0.0)
    };
    if reduced_motion || distance > JUMP_BEYOND_VIEWPORTS * viewport {
        ScrollBehavior::Instant
    } else {
        ScrollBehavior::Smooth
    }
}

#[derive(Properties)]
pub struct ArticleViewProps {
    pub document: Rc<Document>,
    pub selected: Option<AnnotationId>,
    /// Changes when the selected annotation should be scrolled to and flashed.
    pub reveal: u32,
}

/// The document by pointer (see [`SameDocument`]).
impl PartialEq for ArticleViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.document, &other.document)
            && self.selected == other.selected
            && self.reveal == other.reveal
    }
}

#[component]
pub fn ArticleView(props: &ArticleViewProps) -> Html {
    let state = use_context::<AppContext>();
    let article_ref = use_node_ref();
    let document = &props.document;
    let dispatcher = state.as_ref().map(|s| s.dispatcher());

    let blocks = use_memo(SameText(document.text().clone()), |t| blocks_of(&t.0));
    let caret_ref = use_node_ref();
    // After every render: the suggestions (if the dialogs module has any for this article) are
    // drawn over the text nodes just rendered, and their review in the host under it.
    let suggestion_host = use_node_ref();
    {
        let (host, article) = (suggestion_host.clone(), article_ref.clone());
        // The article's id and which text it has (where that text lives: a fixed text, its
        // undo or another tab's fix is a new one), so the module drops what it found in
        // another text instead of drawing it over this one.
        let id = format!(
            "{}\n{:x}",
            document.id,
            document.text().as_str().as_ptr() as usize
        );
        use_effect(move || {
            if let (Some(host), Some(article)) = (host.cast::<Element>(), article.cast::<Element>())
            {
                crate::browser::dialogs_client::show_suggestions(&host, &article, &id);
            }
        });
    }
    {
        let host = suggestion_host.clone();
        use_effect_with((), move |_| {
            move || {
                if let Some(host) = host.cast::<Element>() {
                    crate::browser::dialogs_client::hide_suggestions(&host);
                }
            }
        });
    }
    let caret = use_article_caret(
        CaretInputs {
            article: article_ref.clone(),
            mark: caret_ref.clone(),
            document: Rc::clone(document),
            paragraphs: Rc::clone(&blocks.paragraphs),
            per_chunk: PARAGRAPHS_PER_CHUNK,
            preview: state
                .as_ref()
                .map_or_else(SnapRule::default, |s| s.schema.preview_snap()),
        },
        state.clone(),
    );
    let near_view = use_chunks_near_view(
        article_ref.clone(),
        blocks.chunks.len(),
        HIGHLIGHTED_AT_OPEN,
    );
    let selected_range = props
        .selected
        .as_ref()
        .and_then(|id| document.annotation(id))
        .map(|a| a.range);
    // The other ends of the selected annotation's relations are highlighted too, wherever they
    // are, so their arcs can be drawn (a far one is reached down the margin).
    let linked_ranges: Rc<Vec<CharRange>> = Rc::new(
        props
            .selected
            .as_ref()
            .map(|id| {
                let others: Vec<&AnnotationId> =
                    document.relations_of(id).map(|r| r.other_end(id)).collect();
                document
                    .annotations_with_ids(&others)
                    .into_iter()
                    .flatten()
                    .map(|a| a.range)
                    .collect()
            })
            .unwrap_or_default(),
    );
    // Only highlighted chunks are cut into pieces: those near the viewport, and the ones the
    // selected annotation spans (revealing it scrolls to it). After an edit, a highlighted chunk
    // is cut again only if it meets the edit's span; the others keep their `Rc` and yew skips
    // them. On a 1 MB article that is one chunk per edit, not 2,500 paragraphs.
    let previous = use_mut_ref(|| None::<Previous>);
    let chunk_pieces = use_memo(
        (
            SameDocument(Rc::clone(document)),
            SameText(document.text().clone()),
            near_view.clone(),
            selected_range,
            Rc::clone(&linked_ranges),
        ),
        {
            let blocks = Rc::clone(&blocks);
            move |(d, _, near_view, selected_range, linked_ranges)| {
                let document = &d.0;
                let mut previous = previous.borrow_mut();
                let before = previous
                    .take()
                    .filter(|p| p.document.text().ptr_eq(document.text()));
                let edited = before.as_ref().and_then(|p| {
                    if Rc::ptr_eq(&p.document, document) {
                        None
                    } else {
                        edited_span(p.document.annotations(), document.annotations())
                    }
                });
                // Worked out only when a chunk is cut, from the last render's where it had them.
                let mut layers: Option<Rc<Vec<usize>>> = None;
                let chunks: Vec<Option<ChunkPieces>> = blocks
                    .chunks
                    .iter()
                    .enumerate()
                    .map(|(k, chunk)| {
                        let span = chunk.span();
                        let meets = |r: &CharRange| span.is_some_and(|s| s.overlaps(*r));
                        if !near_view.contains(k)
                            && !selected_range.as_ref().is_some_and(meets)
                            && !linked_ranges.iter().any(meets)
                        {
                            return None;
                        }
                        let old = before.as_ref().and_then(|p| p.chunks.get(k)?.as_ref());
                        match old {
                            Some(old) if !edited.as_ref().is_some_and(meets) => {
                                Some(Rc::clone(old))
                            }
                            _ => {
                                let layers = layers.get_or_insert_with(|| {
                                    layers_after(before.as_ref(), document, edited)
                                });
                                let paragraphs = &blocks.paragraphs
                                    [chunk.first..chunk.first + chunk.ranges.len()];
                                let old = old.map(|old| &old[..]).unwrap_or_default();
                                Some(
                                    recut_paragraphs(
                                        paragraphs,
                                        document.annotations(),
                                        &layers[..],
                                        old,
                                        edited,
                                    )
                                    .into(),
                                )
                            }
                        }
                    })
                    .collect();
                // Layers not needed this time are still good for the next edit if the
                // annotations did not change.
                let layers = layers.or_else(|| {
                    let p = before.as_ref()?;
                    (Rc::ptr_eq(&p.document, document)
                        || edited.is_none()
                            && p.document.annotations().len() == document.annotations().len())
                    .then(|| p.layers.clone())
                    .flatten()
                });
                *previous = Some(Previous {
                    document: Rc::clone(document),
                    chunks: chunks.clone(),
                    layers,
                });
                chunks
            }
        },
    );
    {
        let article_ref = article_ref.clone();
        let selected = props.selected.clone();
        use_effect_with(props.reveal, move |&reveal_count| {
            if reveal_count > 0 {
                if let (Some(article), Some(id)) = (article_ref.cast::<Element>(), selected) {
                    reveal(&article, &id);
                }
            }
        });
    }

    let onclick = {
        let article_ref = article_ref.clone();
        Callback::from(move |event: MouseEvent| {
            let Some(dispatcher) = &dispatcher else {
                return;
            };
            let has_text_selected = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .is_some_and(|s| !s.is_collapsed());
            if has_text_selected {
                return;
            }
            let Some(article) = article_ref.cast::<Element>() else {
                return;
            };
            let chain = marks_under(event.target_dyn_into::<Element>(), &article);
            if chain.is_empty() {
                dispatcher.dispatch(Action::Select {
                    id: None,
                    reveal: false,
                });
            } else {
                dispatcher.dispatch(Action::ClickHighlight { chain, now: now() });
            }
        })
    };

    let chunks = blocks.chunks.iter().enumerate().map(|(k, chunk)| {
        let pieces = chunk_pieces.get(k).cloned().flatten();
        let selected = selected_range
            .filter(|r| chunk.span().is_some_and(|span| r.overlaps(span)))
            .zip(props.selected.clone())
            .map(|(range, id)| (id, range));
        html! {
            <ParagraphChunk key={chunk.first} text={chunk.clone()} pieces={pieces} selected={selected}
                article={SameText(document.text().clone())} />
        }
    });
    let show_all = state.as_ref().is_some_and(|s| s.show_all_relations);
    let linking = state.as_ref().is_some_and(|s| s.linking.is_some());
    html! {
        <div class={classes!("article-wrap", linking.then_some("linking"))}>
            // Focusable, so the keyboard can make spans (hooks/use_article_caret.rs); the help
            // says how to a screen reader when focus arrives.
            <article class="article" aria-label="Article" aria-describedby="article-keys" tabindex="0"
                ref={article_ref} onclick={onclick} onkeydown={caret.onkeydown}
                onfocus={caret.onfocus} onpointerdown={caret.onpointerdown}>
                { for chunks }
            </article>
            // The suggestions' review (dialogs module), held at the bottom of the screen.
            <div class="suggestion-host" ref={suggestion_host.clone()}></div>
            <div class="caret" aria-hidden="true" ref={caret_ref}></div>
            <p id="article-keys" class="visually-hidden">
                { "Arrow keys move the caret; with Control or Alt by words and sentences; Shift selects. W selects a word, S a sentence, Space marks a start and then an end. Enter selects the annotation under the caret. The labels' keys tag the selection." }
            </p>
            <RelationArcs document={Rc::clone(document)} selected={props.selected.clone()}
                show_all={show_all} />
        </div>
    }
}
