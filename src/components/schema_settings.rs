//! "Labels & relations": the toolbar button and the settings dialog where the user owns the
//! label schema. Every edit goes to a draft ([`draft::SchemaDraft`]); Apply hands the draft and
//! its renames to the app as one `SchemaAction::Replace` (renames carry existing annotations
//! along), Cancel or Escape drops it. A schema `Schema::check` refuses cannot be applied; its
//! problem is shown at the top of the dialog.
//!
//! The dialog is a modal `<dialog>` (the browser keeps focus inside it and makes the page
//! behind it inert), rendered into `<body>` so that it is not part of the toolbar it opens from.

mod attributes;
pub mod dialog_state;
pub mod draft;
mod fields;
mod findings;
mod labels;
mod relations;
pub mod schema_file;

use std::rc::Rc;

use annotator_core::model::Document;
use web_sys::{HtmlDialogElement, HtmlElement};
use yew::prelude::*;

use crate::browser::clock::now;
use crate::state::{read_only_message, Action, AppContext, SchemaAction};
use dialog_state::SettingsState;
use draft::documents_after;
use fields::Editing;

pub use findings::describe as describe_finding;

/// The id of the dialog's title.
const TITLE_ID: &str = "schema-settings-title";

/// The documents of the library, compared by identity: a memo over them is recomputed only
/// when one of them was replaced.
#[derive(Clone)]
struct SameDocuments(Vec<Rc<Document>>);

impl PartialEq for SameDocuments {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(&other.0).all(|(a, b)| Rc::ptr_eq(a, b))
    }
}

/// The toolbar button, and the dialog while it is open.
#[component]
pub fn SchemaSettings() -> Html {
    let open = use_state(|| false);
    let opener = use_node_ref();
    let on_open = {
        let open = open.clone();
        Callback::from(move |_| open.set(true))
    };
    let on_close = {
        let open = open.clone();
        let opener = opener.clone();
        Callback::from(move |()| {
            open.set(false);
            if let Some(button) = opener.cast::<HtmlElement>() {
                let _ = button.focus();
            }
        })
    };
    let body = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body());
    let dialog = match (*open, body) {
        (true, Some(body)) => {
            create_portal(html! { <SchemaDialog on_close={on_close} /> }, body.into())
        }
        _ => Html::default(),
    };
    html! {
        <>
            <button ref={opener} type="button" class="schema-settings-open" aria-haspopup="dialog"
                onclick={on_open}>
                { "Labels & relations" }
            </button>
            { dialog }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct SchemaDialogProps {
    pub on_close: Callback<()>,
}

/// Why the schema cannot be changed in this tab, if it cannot.
fn locked_reason(state: &AppContext) -> Option<String> {
    if let Some(version) = state.storage.read_only {
        return Some(read_only_message(version));
    }
    state.storage.newer_schema.then(|| {
        "A newer version of the app saved the label schema: this version shows the default \
         schema and cannot change the saved one."
            .to_owned()
    })
}

#[component]
fn SchemaDialog(props: &SchemaDialogProps) -> Html {
    let state = use_context::<AppContext>();
    let settings = {
        let schema = state
            .as_ref()
            .map(|s| (*s.schema).clone())
            .unwrap_or_default();
        use_reducer(move || SettingsState::new(schema))
    };
    let dialog = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with((), move |_| {
            if let Some(dialog) = dialog.cast::<HtmlDialogElement>() {
                if !dialog.open() {
                    let _ = dialog.show_modal();
                }
                // The dialog itself, named by its title, rather than its first text field (which
                // would open the on-screen keyboard on a phone).
                let _ = dialog.focus();
            }
        });
    }
    let documents = SameDocuments(
        state
            .iter()
            .flat_map(|s| s.documents.iter().map(|o| Rc::clone(&o.document)))
            .collect(),
    );
    let after = use_memo(
        (settings.draft.renames.clone(), documents),
        |(renames, documents)| documents_after(renames, documents.0.iter().map(|d| d.as_ref())),
    );
    let findings = use_memo(
        (settings.draft.schema.clone(), Rc::clone(&after)),
        |(schema, after)| schema.findings(after.iter()),
    );
    let Some(state) = state else {
        return Html::default();
    };

    let close = {
        let dialog = dialog.clone();
        let on_close = props.on_close.clone();
        Rc::new(move || {
            // Closed before it goes, so the browser hands focus back to the page.
            if let Some(dialog) = dialog.cast::<HtmlDialogElement>() {
                dialog.close();
            }
            on_close.emit(());
        })
    };
    let cancel = {
        let close = Rc::clone(&close);
        Callback::from(move |_: MouseEvent| close())
    };
    // Escape: the browser's `cancel`, which is Cancel here.
    let on_escape = {
        let close = Rc::clone(&close);
        Callback::from(move |event: Event| {
            event.prevent_default();
            close();
        })
    };
    let locked = locked_reason(&state);
    let check = settings.draft.schema.check().err().map(|e| e.to_string());
    let blocked = check.is_some() || !settings.errors.is_empty();
    let apply = {
        let close = Rc::clone(&close);
        let state = state.clone();
        let draft = settings.draft.clone();
        Callback::from(move |_: MouseEvent| {
            if draft.differs_from(&state.schema) {
                state.dispatch(Action::Schema(SchemaAction::Replace {
                    schema: draft.schema.clone(),
                    renames: draft.renames.clone(),
                    now: now(),
                }));
            }
            close();
        })
    };
    let editing = Editing {
        settings: settings.clone(),
        documents: Rc::clone(&after),
    };
    html! {
        <dialog ref={dialog} class="dialog schema-settings" aria-labelledby={TITLE_ID}
            tabindex="-1" oncancel={on_escape}>
            <h2 id={TITLE_ID}>{ "Labels & relations" }</h2>
            <p class="schema-hint">
                { "Changes take effect when you apply them. Renaming carries existing annotations along; \
                   removing never deletes annotations." }
            </p>
            if let Some(reason) = &locked {
                <p class="schema-locked" role="status">{ reason.clone() }</p>
            }
            if let Some(problem) = &check {
                <p class="field-error schema-problem" role="alert">
                    { format!("This schema cannot be applied: {problem}.") }
                </p>
            }
            { labels::labels_section(&editing) }
            { relations::relations_section(&editing) }
            { findings::findings_section(&editing, &findings) }
            <schema_file::SchemaFile settings={settings.clone()} />
            <div class="dialog-buttons schema-buttons">
                if blocked {
                    <span class="schema-hint" id="schema-apply-hint">{ "Fix the marked problem to apply." }</span>
                }
                <button type="button" class="primary" onclick={apply}
                    disabled={locked.is_some() || blocked}
                    aria-describedby={blocked.then_some("schema-apply-hint")}>
                    { "Apply" }
                </button>
                <button type="button" onclick={cancel}>{ "Cancel" }</button>
            </div>
        </dialog>
    }
}
