//! The Fix text dialog: the article's text to edit, what applying it would do to the
//! annotations (said before anything changes when some would lose their text), and the
//! article's orphans.

use std::rc::Rc;

use annotator_core::model::excerpt::{quoted, shortened};
use annotator_core::model::text::normalize_line_endings;
use annotator_core::model::text_fix::{fix_text, with_orphan_placed, without_orphan, TextFix};
use annotator_core::model::{AnnotationId, ArticleText, CharRange, Document};
use gloo::timers::callback::Timeout;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::orphan_item::OrphanItem;
use crate::browser::clock::now;
use crate::browser::user_timing::measured;
use crate::hooks::use_modal_dialog;
use crate::hooks::use_modal_dialog::closing;

const TITLE_ID: &str = "text-fix-title";
const ORPHANS_ID: &str = "text-fix-orphans";

#[derive(Properties, Clone)]
pub struct TextFixDialogProps {
    pub document: Rc<Document>,
    /// The document each change made (from the one opened, then from the one before).
    pub on_change: Callback<Rc<Document>>,
    pub on_close: Callback<()>,
}

impl PartialEq for TextFixDialogProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.document, &other.document)
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// What a fix did, in words.
fn summary(fix: &TextFix) -> String {
    let mut words = format!(
        "The text was changed: {} kept {} text",
        plural(fix.kept, "annotation", "annotations"),
        if fix.kept == 1 { "its" } else { "their" }
    );
    if fix.found_again > 0 {
        words.push_str(&format!(", {} found again", fix.found_again));
    }
    if !fix.orphaned.is_empty() {
        words.push_str(&format!(
            ", {} to place or delete below",
            plural(fix.orphaned.len(), "orphan", "orphans")
        ));
    }
    words.push('.');
    words
}

/// Focuses what `target` refers to once the render under way is done (it may not exist yet).
fn focus_soon(target: &NodeRef) {
    let target = target.clone();
    Timeout::new(0, move || {
        if let Some(element) = target.cast::<HtmlElement>() {
            let _ = element.focus();
        }
    })
    .forget();
}

#[component]
pub fn TextFixDialog(props: &TextFixDialogProps) -> Html {
    // The dialog's copy of the document, kept in step with what it hands the page.
    let document = use_state(|| Rc::clone(&props.document));
    // Whether the text was typed in since it was last applied. The text itself is read from the
    // box only on Apply: a 1 MB article copied out of the DOM on every keystroke (and compared on
    // every render) was the cost of typing.
    let edited = use_state_eq(|| false);
    // A fix that would orphan annotations, waiting for "Apply anyway".
    let waiting = use_state(|| None::<Rc<TextFix>>);
    let status = use_state(String::new);
    let dialog = use_node_ref();
    let on_dialog_key = use_modal_dialog(dialog.clone());
    // Where focus goes when the control that had it goes away or is disabled: the text after a
    // change or "Keep editing", "Apply anyway" when it appears, the dialog itself after an
    // orphan was placed or deleted (its buttons go with it).
    let text_area = use_node_ref();
    let anyway = use_node_ref();
    // The box is not bound to a value: Yew would write the text back into it on the render that
    // follows each keystroke. It gets the article's text once, when the dialog opens.
    {
        let (text_area, text) = (text_area.clone(), props.document.text().shared());
        use_effect_with((), move |_| {
            if let Some(area) = text_area.cast::<HtmlTextAreaElement>() {
                area.set_value(&text);
            }
        });
    }

    // Hands a change to the page and keeps the dialog's copy in step.
    let change = {
        let (document, on_change) = (document.clone(), props.on_change.clone());
        Rc::new(move |after: Document| {
            let after = Rc::new(after);
            on_change.emit(Rc::clone(&after));
            document.set(after);
        })
    };
    let take = {
        let (waiting, status, change) = (waiting.clone(), status.clone(), Rc::clone(&change));
        let (text_area, edited) = (text_area.clone(), edited.clone());
        Rc::new(move |fix: &TextFix| {
            change(fix.document.clone());
            edited.set(false);
            waiting.set(None);
            status.set(summary(fix));
            focus_soon(&text_area);
        })
    };
    let on_input = {
        let (edited, waiting) = (edited.clone(), waiting.clone());
        Callback::from(move |_: InputEvent| {
            edited.set(true);
            if waiting.is_some() {
                waiting.set(None);
            }
        })
    };
    let apply = {
        let (document, text_area, waiting, status, take) = (
            document.clone(),
            text_area.clone(),
            waiting.clone(),
            status.clone(),
            Rc::clone(&take),
        );
        let anyway = anyway.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(draft) = text_area.cast::<HtmlTextAreaElement>().map(|a| a.value()) else {
                return;
            };
            if draft.trim().is_empty() {
                status.set("An article needs some text: nothing was changed.".to_owned());
                return;
            }
            let text = match ArticleText::try_from_normalized(&normalize_line_endings(&draft)) {
                Ok(text) => text,
                Err(problem) => {
                    status.set(format!("The text cannot be kept: {problem}."));
                    return;
                }
            };
            if &text == document.text() {
                status.set("The text is unchanged.".to_owned());
                return;
            }
            let fix = measured("aa-text-fix", || fix_text(&document, text, now()));
            if fix.orphaned.is_empty() {
                take(&fix);
            } else {
                status.set(String::new());
                waiting.set(Some(Rc::new(fix)));
                focus_soon(&anyway);
            }
        })
    };
    let apply_anyway = {
        let (waiting, take) = (waiting.clone(), Rc::clone(&take));
        Callback::from(move |_: MouseEvent| {
            if let Some(fix) = &*waiting {
                take(fix);
            }
        })
    };
    let keep_editing = {
        let (waiting, text_area) = (waiting.clone(), text_area.clone());
        Callback::from(move |_: MouseEvent| {
            waiting.set(None);
            focus_soon(&text_area);
        })
    };
    let on_place = {
        let (document, status, change) = (document.clone(), status.clone(), Rc::clone(&change));
        let dialog = dialog.clone();
        Callback::from(move |(id, at): (AnnotationId, CharRange)| {
            let Some(orphan) = document.orphan(&id) else {
                return;
            };
            let label = orphan.removed.annotation.label.display_name().to_owned();
            let Some(placed) = with_orphan_placed(&document, &id, at, now()) else {
                status.set(format!(
                    "Not placed: those words are tagged {label} already."
                ));
                return;
            };
            let words = document.text().slice(at).unwrap_or_default();
            status.set(format!(
                "Placed {label} on {}.",
                quoted(&shortened(words, 60))
            ));
            change(placed);
            focus_soon(&dialog);
        })
    };
    let on_delete = {
        let (document, status, change) = (document.clone(), status.clone(), Rc::clone(&change));
        let dialog = dialog.clone();
        Callback::from(move |id: AnnotationId| {
            let Some(orphan) = document.orphan(&id) else {
                return;
            };
            let said = format!(
                "Deleted the orphan {} {}.",
                orphan.removed.annotation.label.display_name(),
                quoted(&shortened(&orphan.quote.exact, 60))
            );
            if let Some(changed) = without_orphan(&document, &id, now()) {
                status.set(said);
                change(changed);
                focus_soon(&dialog);
            }
        })
    };
    let (on_close_click, on_escape) = closing(&dialog, &props.on_close);

    let confirm = waiting.as_ref().map(|fix| {
        let names: Vec<String> = fix
            .orphaned
            .iter()
            .take(5)
            .filter_map(|id| document.annotation(id))
            .map(|a| {
                let words = document.text().slice(a.range).unwrap_or_default();
                format!("{} {}", a.label.display_name(), quoted(&shortened(words, 40)))
            })
            .collect();
        let more = fix.orphaned.len().saturating_sub(names.len());
        html! {
            <div class="text-fix-confirm" role="alert">
                <p>
                    { format!(
                        "{} would lose {} text and become {}: {}{}. Orphans are kept for you to place or delete; none is moved onto other words.",
                        plural(fix.orphaned.len(), "annotation", "annotations"),
                        if fix.orphaned.len() == 1 { "its" } else { "their" },
                        if fix.orphaned.len() == 1 { "an orphan" } else { "orphans" },
                        names.join(", "),
                        if more > 0 { format!(" and {more} more") } else { String::new() },
                    ) }
                </p>
                <div class="dialog-buttons">
                    <button type="button" ref={anyway} onclick={apply_anyway}>{ "Apply anyway" }</button>
                    <button type="button" onclick={keep_editing}>{ "Keep editing" }</button>
                </div>
            </div>
        }
    });
    let orphans = document.orphans();
    let unchanged = !*edited;

    html! {
        <dialog ref={dialog} class="dialog text-fix-dialog" aria-labelledby={TITLE_ID}
            tabindex="-1" oncancel={on_escape} onkeydown={on_dialog_key}>
            <h2 id={TITLE_ID}>{ "Fix the article's text" }</h2>
            <p>
                { "Annotations move with their text. One whose own words you change is looked for again nearby; if it is not found exactly, it becomes an orphan to place or delete, never moved onto other words. Undo takes back the text and the annotations together." }
            </p>
            <label for="text-fix-text">{ "Article text" }</label>
            <textarea id="text-fix-text" ref={text_area} rows="12" oninput={on_input}
                spellcheck="true" />
            { for confirm }
            <p class="text-fix-status" role="status">{ (*status).clone() }</p>
            <div class="dialog-buttons">
                <button type="button" onclick={apply} disabled={unchanged || waiting.is_some()}>
                    { "Apply the change" }
                </button>
                <button type="button" onclick={on_close_click}>{ "Close" }</button>
            </div>
            if !orphans.is_empty() {
                <section class="orphans" aria-labelledby={ORPHANS_ID}>
                    <h3 id={ORPHANS_ID}>{ format!("Orphans ({})", orphans.len()) }</h3>
                    <p>{ "Each lost the words it had when the text changed. Select its words in the text shown and place it there, place it where its words still occur, or delete it." }</p>
                    <ul class="orphan-list">
                        { for orphans.iter().map(|orphan| html! {
                            <OrphanItem key={orphan.id().as_str().to_owned()} orphan={Rc::clone(orphan)}
                                text={document.text().clone()} on_place={on_place.clone()}
                                on_delete={on_delete.clone()} />
                        }) }
                    </ul>
                </section>
            }
        </dialog>
    }
}
