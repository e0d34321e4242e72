//! One orphan in the Fix text dialog: its label and the text it had, the words around where it
//! was (a read-only box to select its place in, by mouse, touch or Shift+arrows), the places its
//! exact text still occurs, and Delete. Nothing moves it by itself.

use std::rc::Rc;

use annotator_core::model::excerpt::{quoted, shortened};
use annotator_core::model::orphan::Orphan;
use annotator_core::model::text::utf16_to_chars_in;
use annotator_core::model::{AnnotationId, ArticleText, CharOffset, CharRange};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Places offered where the orphan's exact text still occurs.
const OFFERED_PLACES: usize = 3;
/// Code points of context shown around each of them.
const PLACE_CONTEXT: usize = 24;

#[derive(Properties, Clone)]
pub struct OrphanItemProps {
    pub orphan: Rc<Orphan>,
    /// The article's text now.
    pub text: ArticleText,
    pub on_place: Callback<(AnnotationId, CharRange)>,
    pub on_delete: Callback<AnnotationId>,
}

impl PartialEq for OrphanItemProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.orphan, &other.orphan) && self.text.ptr_eq(&other.text)
    }
}

/// "…said Jane Doe on Monday…" around `range` of `text`.
fn in_context(text: &ArticleText, range: CharRange) -> String {
    let from = range.start().get().saturating_sub(PLACE_CONTEXT);
    let to = (range.end().get() + PLACE_CONTEXT).min(text.char_len());
    let around = CharRange::spanning(CharOffset::new(from), CharOffset::new(to));
    let words = text.slice(around).unwrap_or_default().replace('\n', " ");
    format!(
        "{}{words}{}",
        if from > 0 { "…" } else { "" },
        if to < text.char_len() { "…" } else { "" }
    )
}

#[component]
pub fn OrphanItem(props: &OrphanItemProps) -> Html {
    let area = use_node_ref();
    let hint = use_state(String::new);
    let orphan = &props.orphan;
    let id = orphan.id().clone();
    let label = orphan.removed.annotation.label.display_name().to_owned();
    let vicinity = orphan.vicinity(&props.text);
    let shown = props.text.slice(vicinity).unwrap_or_default().to_owned();
    let area_id = format!("orphan-near-{id}");

    let place_on_selection = {
        let (area, hint, on_place, id) = (
            area.clone(),
            hint.clone(),
            props.on_place.clone(),
            id.clone(),
        );
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(area) = area.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let utf16 = |at: Result<Option<u32>, _>| at.ok().flatten().unwrap_or(0) as usize;
            let start = utf16_to_chars_in(&shown, utf16(area.selection_start()));
            let end = utf16_to_chars_in(&shown, utf16(area.selection_end()));
            if start >= end {
                hint.set("Select its words in the box first.".to_owned());
                return;
            }
            let base = vicinity.start().get();
            if let Ok(at) = CharRange::from_raw(base + start, base + end) {
                on_place.emit((id.clone(), at));
            }
        })
    };
    let (places, count) = orphan.occurrences(&props.text, OFFERED_PLACES);
    let offered = places.into_iter().enumerate().map(|(k, at)| {
        let (on_place, id) = (props.on_place.clone(), id.clone());
        let context = in_context(&props.text, at);
        html! {
            <li>
                <button type="button" onclick={Callback::from(move |_: MouseEvent| on_place.emit((id.clone(), at)))}
                    aria-label={format!("Place here: place {} of {count}, {context}", k + 1)}>
                    { "Place here" }
                </button>
                <span class="orphan-place">{ context }</span>
            </li>
        }
    });
    let delete = {
        let (on_delete, id) = (props.on_delete.clone(), id.clone());
        Callback::from(move |_: MouseEvent| on_delete.emit(id.clone()))
    };
    let exact = shortened(&orphan.quote.exact, 80);

    html! {
        <li class="orphan">
            <p class="orphan-what">
                <strong>{ label.clone() }</strong>{ " " }{ quoted(&exact) }
                <span class="orphan-was">
                    { " was: …" }{ orphan.quote.prefix.replace('\n', " ") }
                    <strong class="orphan-words">{ orphan.quote.exact.replace('\n', " ") }</strong>
                    { orphan.quote.suffix.replace('\n', " ") }{ "…" }
                </span>
            </p>
            <label for={area_id.clone()}>{ "The text around where it was: select its words" }</label>
            <textarea id={area_id} ref={area} readonly=true rows="3" value={shown} />
            <div class="dialog-buttons">
                <button type="button" onclick={place_on_selection}
                    aria-label={format!("Place on the selected words: {label} {}", quoted(&exact))}>
                    { "Place on the selected words" }
                </button>
                <button type="button" onclick={delete}
                    aria-label={format!("Delete: the orphan {label} {}", quoted(&exact))}>
                    { "Delete" }
                </button>
            </div>
            <p class="orphan-hint" role="status">{ (*hint).clone() }</p>
            if count > 0 {
                <p>{ match count {
                    1 => "Its text occurs once in the article:".to_owned(),
                    n if n <= OFFERED_PLACES => format!("Its text occurs {n} times in the article:"),
                    n => format!("Its text occurs {n} times in the article; the first {OFFERED_PLACES}:"),
                } }</p>
                <ul class="orphan-places">{ for offered }</ul>
            } else {
                <p>{ "Its text no longer occurs in the article." }</p>
            }
        </li>
    }
}
