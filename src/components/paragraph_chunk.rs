//! A run of consecutive paragraphs rendered as one component. A long article has thousands of
//! paragraphs; rendering the article as a few dozen chunks means one edit makes yew compare a few
//! dozen props (by pointer) and re-render one chunk, instead of visiting every paragraph.

use std::rc::Rc;

use yew::prelude::*;

use super::article_view::SameText;
use super::paragraph_view::ParagraphView;
use annotator_core::model::{AnnotationId, CharRange, Piece};

/// Paragraphs per chunk.
pub const PARAGRAPHS_PER_CHUNK: usize = 32;

/// The fixed part of a chunk: its paragraphs' ranges and texts, built once per document text.
#[derive(Clone, Debug, PartialEq)]
pub struct ChunkText {
    /// Index of the chunk's first paragraph in the article.
    pub first: usize,
    pub ranges: Rc<[CharRange]>,
    pub texts: Rc<[AttrValue]>,
}

impl ChunkText {
    /// The code points the chunk covers.
    pub fn span(&self) -> Option<CharRange> {
        let (first, last) = (self.ranges.first()?, self.ranges.last()?);
        Some(CharRange::spanning(first.start(), last.end()))
    }
}

#[derive(Properties)]
pub struct ParagraphChunkProps {
    pub text: ChunkText,
    /// One entry per paragraph, from the render plan (a new `Rc` only when one changed); `None`
    /// draws the chunk as plain text, without highlights (it is far from the viewport).
    pub pieces: Option<Rc<[Rc<Vec<Piece>>]>>,
    /// The selected annotation and its range, only when it touches this chunk.
    pub selected: Option<(AnnotationId, CharRange)>,
    /// The whole article's text, for what a span that opens here covers.
    pub article: SameText,
}

/// By pointer: a chunk no edit touched keeps the `Rc` of its pieces, so it compares equal without
/// looking at them. A plain chunk ignores edits.
impl PartialEq for ParagraphChunkProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.text.texts, &other.text.texts)
            && self.article == other.article
            && match (&self.pieces, &other.pieces) {
                (None, None) => true,
                (Some(a), Some(b)) => Rc::ptr_eq(a, b) && self.selected == other.selected,
                _ => false,
            }
    }
}

#[component]
pub fn ParagraphChunk(props: &ParagraphChunkProps) -> Html {
    let chunk = &props.text;
    let index = (chunk.first / PARAGRAPHS_PER_CHUNK).to_string();
    let Some(pieces) = &props.pieces else {
        // Plain text: one element per paragraph holding its text node, which is all that
        // selection offsets need (`data-start`). No component per paragraph: on a 1 MB article
        // the components and their bundles for ~2,500 paragraphs were megabytes of wasm memory.
        let paragraphs = chunk.ranges.iter().zip(chunk.texts.iter()).map(|(range, text)| {
            html! {
                <div class="para" data-start={range.start().get().to_string()}>{ text.clone() }</div>
            }
        });
        return html! { <div class="chunk" data-chunk={index}>{ for paragraphs }</div> };
    };
    let paragraphs = chunk
        .ranges
        .iter()
        .zip(chunk.texts.iter())
        .zip(pieces.iter())
        .enumerate()
        .map(|(i, ((range, text), pieces))| {
            let selected = props
                .selected
                .as_ref()
                .filter(|(_, selected)| selected.overlaps(*range))
                .map(|(id, _)| id.clone());
            html! {
                <ParagraphView key={chunk.first + i} text={text.clone()} pieces={Rc::clone(pieces)} selected={selected}
                    article={props.article.clone()} />
            }
        });
    html! { <div class="chunk" data-chunk={index}>{ for paragraphs }</div> }
}
