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
    /// Each paragraph as plain text (one unmarked piece, as the render plan cuts a paragraph no
    /// span touches): what the chunk shows until it comes near the viewport.
    pub plain: Rc<[Rc<Vec<Piece>>]>,
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
    /// One entry per paragraph, from the render plan; a new `Rc` only when one changed.
    pub pieces: Rc<[Rc<Vec<Piece>>]>,
    /// The selected annotation and its range, only when it touches this chunk.
    pub selected: Option<(AnnotationId, CharRange)>,
    /// Whether to draw the highlights; a chunk far from the viewport is plain text.
    pub highlighted: bool,
}

/// By pointer: a chunk no edit touched keeps the `Rc` of its pieces, so it compares equal without
/// looking at them. A plain chunk ignores edits.
impl PartialEq for ParagraphChunkProps {
    fn eq(&self, other: &Self) -> bool {
        if !Rc::ptr_eq(&self.text.texts, &other.text.texts) || self.highlighted != other.highlighted
        {
            return false;
        }
        !self.highlighted
            || (self.selected == other.selected && Rc::ptr_eq(&self.pieces, &other.pieces))
    }
}

#[component]
pub fn ParagraphChunk(props: &ParagraphChunkProps) -> Html {
    let chunk = &props.text;
    let pieces = if props.highlighted {
        &props.pieces[..]
    } else {
        &chunk.plain[..]
    };
    let paragraphs = chunk
        .ranges
        .iter()
        .zip(chunk.texts.iter())
        .zip(pieces)
        .enumerate()
        .map(|(i, ((range, text), pieces))| {
            let selected = props
                .selected
                .as_ref()
                .filter(|(_, selected)| props.highlighted && selected.overlaps(*range))
                .map(|(id, _)| id.clone());
            html! {
                <ParagraphView key={chunk.first + i} text={text.clone()} pieces={Rc::clone(pieces)} selected={selected} />
            }
        });
    let index = (chunk.first / PARAGRAPHS_PER_CHUNK).to_string();
    html! { <div class="chunk" data-chunk={index}>{ for paragraphs }</div> }
}
