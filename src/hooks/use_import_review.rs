//! Shows the import review while files wait for confirmation (`AppState::pending_import`): it
//! lives in the dialogs module (`browser::dialogs_client`), which this loads on first use. The
//! user's answers become actions; when the import is over the review is taken down and focus
//! goes back where it came from, or to the article the import opened. It never falls to
//! `<body>`.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use super::import_files::read_for_import;
use crate::browser::clock::new_document_id;
use crate::browser::{dialogs_client, focus};
use crate::import_review::protocol::ReviewAnswer;
use crate::state::{Action, AppState, Notice, NoticeKind};
use annotator_core::model::Timestamp;

/// Where focus was when the review opened: the control, and the article then shown.
struct FocusBefore {
    control: Option<HtmlElement>,
    article: Option<HtmlElement>,
}

impl FocusBefore {
    fn now() -> Self {
        Self {
            control: web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .and_then(|e| e.dyn_into::<HtmlElement>().ok()),
            article: focus::first_of(&[focus::ARTICLE]),
        }
    }

    /// After the render that ends the import: the article it opened, else the control.
    fn restore(self) {
        Timeout::new(0, move || {
            let article = focus::first_of(&[focus::ARTICLE]);
            let opened_another = match (&article, &self.article) {
                (Some(now), Some(then)) => !now.is_same_node(Some(then)),
                (Some(_), None) => true,
                _ => false,
            };
            let back = self
                .control
                .filter(|c| c.is_connected() && c.tag_name() != "BODY");
            let target = if opened_another {
                article
            } else {
                back.or(article)
            };
            if let Some(target) = target {
                focus::focus_in_place(&target);
            }
        })
        .forget();
    }
}

#[hook]
pub fn use_import_review(state: &UseReducerHandle<AppState>) {
    // The import under review, by when its files were read (a new reading is a new review).
    let reviewing: Option<Timestamp> = state.pending_import.as_ref().map(|p| p.read_at);
    let shown = use_mut_ref(|| None::<Timestamp>);
    let focus_before = use_mut_ref(|| None::<FocusBefore>);
    let state = state.clone();
    use_effect_with(reviewing, move |reviewing| {
        *shown.borrow_mut() = *reviewing;
        match (*reviewing, state.pending_import.as_ref()) {
            (Some(read_at), Some(pending)) => {
                if focus_before.borrow().is_none() {
                    *focus_before.borrow_mut() = Some(FocusBefore::now());
                }
                let request = pending.review_request(&state);
                let files = pending.files();
                let conflicts = pending.conflicts(&state).count();
                let dispatcher = state.dispatcher();
                let on_answer = {
                    let dispatcher = dispatcher.clone();
                    move |answer: ReviewAnswer| match answer {
                        ReviewAnswer::ReadAs(unit) => {
                            read_for_import(dispatcher.clone(), Rc::clone(&files), Some(unit));
                        }
                        ReviewAnswer::Import { choice, mapping } => {
                            dispatcher.dispatch(Action::ImportConfirm {
                                choice,
                                mapping: mapping.into_iter().collect(),
                                fresh_ids: (0..conflicts).map(|_| new_document_id()).collect(),
                            });
                        }
                        ReviewAnswer::Cancel => dispatcher.dispatch(Action::ImportCancel),
                    }
                };
                let still_shown = move || *shown.borrow() == Some(read_at);
                wasm_bindgen_futures::spawn_local(async move {
                    let opened =
                        dialogs_client::open_import_review(&request, on_answer, still_shown).await;
                    if let Err(problem) = opened {
                        dispatcher.dispatch(Action::ImportCancel);
                        dispatcher.dispatch(Action::Notify(Notice {
                            kind: NoticeKind::Error,
                            message: format!(
                                "Nothing was imported: the import could not be shown ({problem})."
                            ),
                        }));
                    }
                });
            }
            _ => {
                if let Some(before) = focus_before.borrow_mut().take() {
                    dialogs_client::close();
                    before.restore();
                }
            }
        }
    });
}
