//! One block of article text, cut into pieces wrapped in nested `<mark>`s. Memoised on its
//! props, so adding a span re-renders only the paragraphs it touches.
//!
//! Only the first [`DRAWN_LAYERS`] layers are drawn: a merged import can stack hundreds of spans
//! on one word, and that many underlines are unreadable (and that many nested elements slow).
//! A piece with more shows "+N" through CSS, so the article's text stays exactly the document's.

use std::rc::Rc;

use yew::prelude::*;

use super::article_view::SameText;
use annotator_core::model::excerpt::spoken_extent;
use annotator_core::model::{AnnotationId, Label, Mark, Piece};

#[derive(Properties, PartialEq)]
pub struct ParagraphViewProps {
    /// This paragraph's text.
    pub text: AttrValue,
    /// Pieces covering `text` exactly, in order.
    pub pieces: Rc<Vec<Piece>>,
    /// The selected annotation, only when it touches this paragraph (keeps the others memoised).
    pub selected: Option<AnnotationId>,
    /// The whole article's text, for what a span that opens here covers.
    pub article: SameText,
}

/// Layers drawn as underlines (styles/marks.css has one offset each); the annotation list still
/// shows every span.
pub const DRAWN_LAYERS: usize = 8;

fn wrap(mark: &Mark, inner: Html, selected: Option<&AnnotationId>, article: &SameText) -> Html {
    // Built-in names are static; only custom labels allocate.
    let label = match &mark.label {
        Label::Quote => AttrValue::Static("Quote"),
        Label::Entity => AttrValue::Static("Entity"),
        Label::Claim => AttrValue::Static("Claim"),
        Label::Custom(custom) => AttrValue::from(custom.as_str().to_owned()),
    };
    let class = classes!(
        "mark",
        format!("mark-{}", mark.label.style_class()),
        format!("layer-{}", mark.layer.min(DRAWN_LAYERS - 1)),
        mark.opens.then_some("opens"),
        (selected == Some(&mark.id)).then_some("selected"),
    );
    // A span is one highlight to assistive technology, where it opens, described by its label
    // and its extent (where it starts and ends, how long it is): a span cut by others into
    // fragments would otherwise be announced, unnamed, at each of them. The other fragments are
    // drawn alike but are no element to it (`role="none"`), and their empty title keeps an
    // enclosing span's title from showing there on hover.
    let (title, role) = if mark.opens {
        let spoken = article
            .0
            .slice(mark.span)
            .map(|t| spoken_extent(mark.label.display_name(), t));
        (spoken.map_or_else(|| label.clone(), AttrValue::from), None)
    } else {
        (AttrValue::Static(""), Some("none"))
    };
    html! {
        <mark class={class} data-id={mark.id.to_string()} data-label={label} title={title} role={role}>
            { inner }
        </mark>
    }
}

#[component]
pub fn ParagraphView(props: &ParagraphViewProps) -> Html {
    let mut chars = props.text.chars();
    // A paragraph in one piece (most of them: no span, or a chunk shown as plain text) shares the
    // paragraph's text instead of copying it: on a long article the copies add up to its size.
    let whole = props.pieces.len() == 1;
    let selected = props.selected.as_ref();
    let drawn = |mark: &Mark| mark.layer < DRAWN_LAYERS || selected == Some(&mark.id);
    // One "+N" per run of pieces that hide spans, at its start, N the most hidden in the run:
    // a badge on every piece would break up the text it sits in.
    let hidden: Vec<usize> = props
        .pieces
        .iter()
        .map(|piece| piece.marks.iter().filter(|m| !drawn(m)).count())
        .collect();
    let mut badges = vec![0; hidden.len()];
    let mut run_start = None;
    for (i, &count) in hidden.iter().enumerate() {
        match (count, run_start) {
            (0, _) => run_start = None,
            (_, None) => {
                run_start = Some(i);
                badges[i] = count;
            }
            (_, Some(start)) => badges[start] = badges[start].max(count),
        }
    }
    let pieces = props.pieces.iter().zip(badges).map(|(piece, badge)| {
        let text = if whole {
            props.text.clone()
        } else {
            AttrValue::from(chars.by_ref().take(piece.range.len()).collect::<String>())
        };
        let start = AttrValue::from(piece.range.start().to_string());
        let mut node = html! { { text } };
        // A layer is the same in every piece of its span, so a span is drawn whole or not at
        // all. The selected one always is: revealing it scrolls to its mark.
        for mark in piece.marks.iter().rev().filter(|m| drawn(m)) {
            node = wrap(mark, node, selected, &props.article);
        }
        // No text node: the count is drawn from the attribute by CSS, so selection offsets and
        // the article's textContent never see it. The list names every span for screen readers.
        let more = (badge > 0).then(|| {
            html! {
                <span class="more" data-more={format!("+{badge}")} aria-hidden="true"
                    title={format!("{badge} more spans stack here than are drawn: the annotation list has them all")}></span>
            }
        });
        html! {
            // Keyed by where it starts: a span added or removed in a dense paragraph shifts the
            // pieces after it, and unkeyed they would all be patched in place.
            <span key={piece.range.start().get()} class="piece" data-start={start}>{ node }{ more }</span>
        }
    });
    // The selected annotation opens here: its badge sits above the line, outside the
    // paragraph's box, which must then be painted whole (styles/marks.css). A class rather than
    // `.para:has(mark.selected.opens)`, which the browser checks again as marks change.
    let opens_selected = selected.is_some_and(|id| {
        props
            .pieces
            .iter()
            .any(|piece| piece.marks.iter().any(|m| m.opens && &m.id == id))
    });
    html! { <div class={classes!("para", opens_selected.then_some("opens-selected"))}>{ for pieces }</div> }
}
