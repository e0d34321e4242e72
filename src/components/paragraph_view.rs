//! One block of article text, cut into pieces wrapped in nested `<mark>`s. Memoised on its
//! props, so adding a span re-renders only the paragraphs it touches.

use std::rc::Rc;

use yew::prelude::*;

use annotator_core::model::{AnnotationId, Label, Mark, Piece};

#[derive(Properties, PartialEq)]
pub struct ParagraphViewProps {
    /// This paragraph's text.
    pub text: AttrValue,
    /// Pieces covering `text` exactly, in order.
    pub pieces: Rc<Vec<Piece>>,
    /// The selected annotation, only when it touches this paragraph (keeps the others memoised).
    pub selected: Option<AnnotationId>,
}

fn wrap(mark: &Mark, inner: Html, selected: Option<&AnnotationId>) -> Html {
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
        format!("layer-{}", mark.layer.min(5)),
        mark.opens.then_some("opens"),
        (selected == Some(&mark.id)).then_some("selected"),
    );
    html! {
        <mark class={class} data-id={mark.id.to_string()} data-label={label.clone()} title={label}>
            { inner }
        </mark>
    }
}

#[component]
pub fn ParagraphView(props: &ParagraphViewProps) -> Html {
    let mut chars = props.text.chars();
    // A paragraph in one piece (most of them: no span, or a chunk shown as plain text) shares the
    // paragraph's text instead of copying it: on a 1 MB article the copies were another megabyte.
    let whole = props.pieces.len() == 1;
    let pieces = props.pieces.iter().map(|piece| {
        let text = if whole {
            props.text.clone()
        } else {
            AttrValue::from(chars.by_ref().take(piece.range.len()).collect::<String>())
        };
        let start = AttrValue::from(piece.range.start().to_string());
        let mut node = html! { { text } };
        for mark in piece.marks.iter().rev() {
            node = wrap(mark, node, props.selected.as_ref());
        }
        html! {
            // Keyed by where it starts: a span added or removed in a dense paragraph shifts the
            // pieces after it, and unkeyed they would all be patched in place.
            <span key={piece.range.start().get()} class="piece" data-start={start}>{ node }</span>
        }
    });
    html! { <div class="para">{ for pieces }</div> }
}
