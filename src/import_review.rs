//! The import review: what the files hold (the format detected, documents, spans per label),
//! how foreign labels map onto ours, which documents are already here (and whether the local
//! copy is newer), and what to do with those. Nothing is stored or replaced without a choice; a
//! rejected file shows the record and the problem, and changes nothing.
//!
//! It lives in the dialogs module (`src/bin/dialogs.rs`) with the schema editor, which the page
//! loads on first use, and so does the whole import ([`session`]): reading the files, the
//! formats worker's outcome, the review and the label mapping. Most sessions never import; the
//! page keeps the Import button, the drop target and placing the finished documents
//! ([`protocol`]).

pub mod mount;
pub mod protocol;
pub mod review;
pub mod session;

use std::rc::Rc;

use annotator_core::formats::dataset::OffsetUnit;
use annotator_core::formats::detect::ImportFormat;
use annotator_core::model::label_map::LabelMap;
use annotator_core::model::Label;
use wasm_bindgen::JsCast;
use web_sys::{HtmlDialogElement, HtmlSelectElement};
use yew::prelude::*;

use crate::hooks::use_modal_dialog;
use annotator_core::formats::attach::QuotedSpan;
use protocol::ImportChoice;
use review::{AttachReport, Review};

/// What the user decided in the review.
#[derive(Clone, Debug, PartialEq)]
pub enum ReviewAnswer {
    /// Read the files again, doccano offsets counted in this unit.
    ReadAs(OffsetUnit),
    /// Import, custom labels mapped onto built-in ones as listed (the others stay custom).
    Import {
        choice: ImportChoice,
        mapping: LabelMap,
    },
    Cancel,
}

/// The dialog's id, and the id of its title.
const DIALOG_ID: &str = "import-dialog";
const TITLE_ID: &str = "import-title";

/// Documents listed by name; a bigger import is summarised by its counts.
const LISTED_DOCUMENTS: usize = 50;

#[derive(Properties)]
pub struct ImportReviewProps {
    pub review: Rc<Review>,
    /// The user's decision; the import then takes the review down or reads the files again.
    pub on_answer: Callback<ReviewAnswer>,
}

impl PartialEq for ImportReviewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.review, &other.review) && self.on_answer == other.on_answer
    }
}

/// doccano files do not say what their offsets count: the user chooses, with our guess preset.
fn unit_choice(review: &Review, on_answer: &Callback<ReviewAnswer>) -> Html {
    let option = |unit: OffsetUnit, name: &str| {
        let onchange = {
            let on_answer = on_answer.clone();
            let current = review.unit;
            Callback::from(move |_| {
                if current != unit {
                    on_answer.emit(ReviewAnswer::ReadAs(unit));
                }
            })
        };
        let guessed = (unit == review.guessed_unit).then_some(" (guessed from the file)");
        html! {
            <label class="unit-option">
                <input type="radio" name="import-unit" checked={review.unit == unit} onchange={onchange} />
                { name }{ guessed.unwrap_or_default() }
            </label>
        }
    };
    html! {
        <fieldset class="import-unit">
            <legend>{ "The offsets in this file count" }</legend>
            { option(OffsetUnit::CodePoint, "code points (Python, spaCy)") }
            { option(OffsetUnit::Utf16, "UTF-16 code units (what doccano itself exports)") }
        </fieldset>
    }
}

/// One row per custom label: keep it, or map it onto quote, entity or claim.
fn label_mapping(review: &Review, mapping: &UseStateHandle<LabelMap>) -> Html {
    let custom = review.custom_labels();
    if custom.is_empty() {
        return Html::default();
    }
    let rows = custom.into_iter().map(|(label, count)| {
        let target = mapping.get(&label).cloned();
        let onchange = {
            let mapping = mapping.clone();
            let from = label.clone();
            Callback::from(move |event: Event| {
                let Some(select) = event
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
                else {
                    return;
                };
                let mut changed = (*mapping).clone();
                match select.value().parse::<Label>() {
                    Ok(to) => changed.insert(from.clone(), to),
                    Err(_) => changed.remove(&from),
                }
                mapping.set(changed);
            })
        };
        let name = label.as_str().to_owned();
        let options = Label::ALL.into_iter().map(|builtin| {
            html! {
                <option value={builtin.as_str().to_owned()} selected={target.as_ref() == Some(&builtin)}>
                    { builtin.display_name().to_owned() }
                </option>
            }
        });
        html! {
            <tr key={name.clone()}>
                <th scope="row"><span class="tag tag-custom">{ name.clone() }</span></th>
                <td>{ format!("{count} span{}", if count == 1 { "" } else { "s" }) }</td>
                <td>
                    <select aria-label={format!("Map {name} to")} onchange={onchange}>
                        <option value="" selected={target.is_none()}>{ "Keep as a custom label" }</option>
                        { for options }
                    </select>
                </td>
            </tr>
        }
    });
    html! {
        <div class="label-mapping">
            <h3>{ "Labels from the file" }</h3>
            <p>{ "Map each onto one of ours, or keep it: a custom label is kept, exported back, and shown in grey. A named-entity type (PERSON, ORG, GPE, …) mapped onto entity keeps its type as the entity's kind." }</p>
            <table>
                <thead><tr><th scope="col">{ "Label" }</th><th scope="col">{ "Spans" }</th><th scope="col">{ "Becomes" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}

/// The quotes of the file attached to an article: how many were found, and each one that was
/// not (it fits several places, or it is not there), by its record and words.
fn attach_report(review: &Review, report: &AttachReport, mapping: &LabelMap) -> Html {
    let spans = review.read().first().map_or(0, |d| d.annotations().len());
    let per_label = review
        .mapped_counts(mapping)
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(label, n)| format!("{n} {}", label.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let listed = |quotes: &[QuotedSpan]| {
        html! {
            <ul class="import-list">
                { for quotes.iter().map(|q| html! {
                    <li><strong>{ q.record.clone() }</strong>{ format!(": “{}”", q.exact) }</li>
                }) }
            </ul>
        }
    };
    html! {
        <>
            <p class="import-summary">
                { format!(
                    "Its {} annotations quote a page but carry none of its text. Found in “{}”: {spans} span{} to attach{}.",
                    review.quoted().len(),
                    report.title,
                    if spans == 1 { "" } else { "s" },
                    if per_label.is_empty() { String::new() } else { format!(" ({per_label})") },
                ) }
                if report.already > 0 {
                    { format!(" {} it has already {} left out.", report.already, if report.already == 1 { "is" } else { "are" }) }
                }
            </p>
            if !report.ambiguous.is_empty() {
                <h3>{ format!("Not attached: {} fit several places equally well", report.ambiguous.len()) }</h3>
                { listed(&report.ambiguous) }
            }
            if !report.missing.is_empty() {
                <h3>{ format!("Not attached: {} not in this article", report.missing.len()) }</h3>
                { listed(&report.missing) }
            }
        </>
    }
}

/// One line per document: its title, spans and how it stands against the library.
fn document_rows(review: &Review, mapping: &LabelMap) -> Html {
    let rows = review.read().iter().take(LISTED_DOCUMENTS).map(|document| {
        let (status, here) = review.status(document, mapping);
        let counts = match document.annotations().len() {
            1 => "1 span".to_owned(),
            n => format!("{n} spans"),
        };
        html! {
            <li key={document.id.to_string()}>
                <strong>{ document.title.clone() }</strong>
                <span class="import-counts">{ format!(" — {counts}") }</span>
                <span class={classes!("import-status", here.then_some("conflict"))}>{ format!(" ({status})") }</span>
            </li>
        }
    });
    let more = review.read().len().saturating_sub(LISTED_DOCUMENTS);
    html! {
        <>
            <ul class="import-list">{ for rows }</ul>
            if more > 0 {
                <p>{ format!("…and {more} more.") }</p>
            }
        </>
    }
}

#[component]
pub fn ImportReview(props: &ImportReviewProps) -> Html {
    let review = &props.review;
    let mapping = {
        let review = Rc::clone(review);
        use_state(move || review.suggested_mapping())
    };
    let dialog = use_node_ref();
    let on_dialog_key = use_modal_dialog(dialog.clone());
    let close_with = {
        let on_answer = props.on_answer.clone();
        let dialog = dialog.clone();
        Rc::new(move |answer: ReviewAnswer| {
            // Closed before it goes, so the browser hands focus back to the page.
            if let Some(dialog) = dialog.cast::<HtmlDialogElement>() {
                dialog.close();
            }
            on_answer.emit(answer);
        })
    };
    let cancel = {
        let close_with = Rc::clone(&close_with);
        Callback::from(move |_: MouseEvent| close_with(ReviewAnswer::Cancel))
    };
    // Escape: the browser's `cancel`, which is Cancel here.
    let on_escape = {
        let close_with = Rc::clone(&close_with);
        Callback::from(move |event: Event| {
            event.prevent_default();
            close_with(ReviewAnswer::Cancel);
        })
    };
    let unit =
        (review.format == ImportFormat::Doccano).then(|| unit_choice(review, &props.on_answer));
    let heading = html! {
        <>
            <h2 id={TITLE_ID}>{ format!("Import “{}”", review.file_name) }</h2>
            <p class="import-format">{ "Format: " }<strong>{ review.format.name() }</strong></p>
            { unit.unwrap_or_default() }
        </>
    };
    let body = match &review.documents {
        Err(error) => html! {
            <>
                <p class="import-error" role="alert">
                    { "Nothing can be imported from this file, and nothing was changed." }
                    <br />
                    <strong>{ error.record.clone() }</strong>{ format!(": {}.", error.problem) }
                </p>
                <div class="dialog-buttons">
                    <button type="button" onclick={cancel}>{ "Close" }</button>
                </div>
            </>
        },
        Ok(_) => {
            let choose = |choice: ImportChoice| {
                let close_with = Rc::clone(&close_with);
                let mapping = mapping.clone();
                Callback::from(move |_: MouseEvent| {
                    close_with(ReviewAnswer::Import {
                        choice,
                        mapping: (*mapping).clone(),
                    });
                })
            };
            let conflicts = review.conflicts();
            if let Some(report) = &review.attach {
                let spans = review.read().first().map_or(0, |d| d.annotations().len());
                return html! {
                    <dialog ref={dialog} id={DIALOG_ID} class="dialog import-dialog" aria-labelledby={TITLE_ID}
                        tabindex="-1" oncancel={on_escape} onkeydown={on_dialog_key}>
                        { heading }
                        { attach_report(review, report, &mapping) }
                        { label_mapping(review, &mapping) }
                        <div class="dialog-buttons">
                            <button type="button" class="primary" disabled={spans == 0}
                                onclick={choose(ImportChoice::SkipExisting)}>
                                { format!("Attach {spans} to “{}”", report.title) }
                            </button>
                            <button type="button" onclick={cancel}>{ "Cancel" }</button>
                        </div>
                    </dialog>
                };
            }
            html! {
                <>
                    <p class="import-summary">{ review.summary(&mapping) }</p>
                    { label_mapping(review, &mapping) }
                    { document_rows(review, &mapping) }
                    if conflicts > 0 {
                        <p class="import-warning">
                            { match (conflicts, review.read().len()) {
                                (1, 1) => "It is already in this browser. Choose what to do with it:".to_owned(),
                                (1, _) => "1 of them is already in this browser. Choose what to do with it:".to_owned(),
                                (n, _) => format!("{n} of them are already in this browser. Choose what to do with those:"),
                            } }
                        </p>
                        <div class="dialog-buttons">
                            <button type="button" onclick={choose(ImportChoice::KeepBoth)}>{ "Keep both" }</button>
                            <button type="button" onclick={choose(ImportChoice::Replace)}>{ "Replace local copies" }</button>
                            <button type="button" onclick={choose(ImportChoice::SkipExisting)}>{ "Import only new ones" }</button>
                            <button type="button" onclick={cancel}>{ "Cancel" }</button>
                        </div>
                    } else {
                        <div class="dialog-buttons">
                            <button type="button" class="primary" onclick={choose(ImportChoice::SkipExisting)}>{ "Import" }</button>
                            <button type="button" onclick={cancel}>{ "Cancel" }</button>
                        </div>
                    }
                </>
            }
        }
    };
    html! {
        <dialog ref={dialog} id={DIALOG_ID} class="dialog import-dialog" aria-labelledby={TITLE_ID}
            tabindex="-1" oncancel={on_escape} onkeydown={on_dialog_key}>
            { heading }
            { body }
        </dialog>
    }
}
