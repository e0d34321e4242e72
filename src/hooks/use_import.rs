//! Importing picked or dropped files: the dialogs module (`browser::dialogs_client`), loaded on
//! first use, reads them, shows the review and hands back the finished documents, which the
//! reducer places in the library. While that goes on the article's keys wait
//! (`AppState::importing`); when it is over the review is taken down and focus goes back where
//! it came from, or to the article the import opened. It never falls to `<body>`.

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::browser::{dialogs_client, focus};
use crate::import_review::protocol::ImportEnd;
use crate::state::{imported_documents, Action, AppState};

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

/// Returns what imports files: the Import button's picker and a drop on the page call it.
#[hook]
pub fn use_import(state: &UseReducerHandle<AppState>) -> Callback<Vec<web_sys::File>> {
    // The library as it is when the module asks how its copies compare, or hands documents in.
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    let focus_before = use_mut_ref(|| None::<FocusBefore>);
    {
        let focus_before = focus_before.clone();
        use_effect_with(state.importing, move |importing| {
            if !*importing {
                if let Some(before) = focus_before.borrow_mut().take() {
                    dialogs_client::close();
                    before.restore();
                }
            }
        });
    }
    let dispatcher = state.dispatcher();
    // A new callback each render (the toolbar re-renders with every change anyway): cheaper
    // than memoising it.
    Callback::from(move |files: Vec<web_sys::File>| {
        if files.is_empty() {
            return;
        }
        if focus_before.borrow().is_none() {
            *focus_before.borrow_mut() = Some(FocusBefore::now());
        }
        dispatcher.dispatch(Action::ImportStart);
        let copies_of: dialogs_client::CopiesOf = {
            let latest = latest.clone();
            Box::new(move |ids: Vec<String>| latest.borrow().copies_of(&ids))
        };
        let on_end: Box<dyn Fn(ImportEnd)> = {
            let dispatcher = dispatcher.clone();
            Box::new(move |end: ImportEnd| {
                let action = match end {
                    ImportEnd::Imported(imported) => match imported_documents(&imported) {
                        Ok(documents) if imported.attach && documents.len() == 2 => {
                            let mut documents = documents.into_iter();
                            match (documents.next(), documents.next()) {
                                (Some(before), Some(after)) => Action::ImportAttach {
                                    source: imported.source,
                                    before,
                                    after,
                                },
                                _ => Action::ImportCancel,
                            }
                        }
                        Ok(documents) => Action::ImportConfirm {
                            source: imported.source,
                            documents,
                            replace: imported.replace,
                            skipped: imported.skipped,
                            merged_spans: imported.merged_spans,
                        },
                        Err(message) => Action::ImportFailed(message),
                    },
                    ImportEnd::Cancelled => Action::ImportCancel,
                    ImportEnd::Failed(message) => Action::ImportFailed(message),
                };
                dispatcher.dispatch(action);
            })
        };
        let dispatcher = dispatcher.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(problem) = dialogs_client::run_import(files, copies_of, on_end).await {
                dispatcher.dispatch(Action::ImportFailed(format!(
                    "Nothing was imported: the import could not be shown ({problem})."
                )));
            }
        });
    })
}
