//! A run of consecutive paragraphs rendered as one component. A long article has thousands of
//! paragraphs; rendering the article as a few dozen chunks means one edit makes yew compare a few
//! dozen props (by pointer) and re-render one chunk, instead of visiting every paragraph.

use std::rc::Rc;

use yew::prelude::*;

use super::paragraph_view::ParagraphView;
use crate::model::{AnnotationId, CharRange, Piece};

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
    /// One entry per paragraph, from the render plan.
    pub pieces: Vec<Rc<Vec<Piece>>>,
    /// The selected annotation and its range, only when it touches this chunk.
    pub selected: Option<(AnnotationId, CharRange)>,
}

/// By pointer: the render plan keeps the `Rc` of every paragraph an edit did not touch, so an
/// untouched chunk compares equal without looking at its pieces.
impl PartialEq for ParagraphChunkProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.text.texts, &other.text.texts)
            && self.selected == other.selected
            && self.pieces.len() == other.pieces.len()
            && self
                .pieces
                .iter()
                .zip(&other.pieces)
                .all(|(a, b)| Rc::ptr_eq(a, b))
    }
}

#[component]
pub fn ParagraphChunk(props: &ParagraphChunkProps) -> Html {
    let chunk = &props.text;
    let paragraphs = chunk
        .ranges
        .iter()
        .zip(chunk.texts.iter())
        .zip(&props.pieces)
        .enumerate()
        .map(|(i, ((range, text), pieces))| {
            let selected = props
                .selected
                .as_ref()
                .filter(|(_, selected)| selected.overlaps(*range))
                .map(|(id, _)| id.clone());
            html! {
                <ParagraphView key={chunk.first + i} text={text.clone()} pieces={Rc::clone(pieces)} selected={selected} />
            }
        });
    html! { <>{ for paragraphs }</> }
}
