//! "Labels & relations": the dialog where the user owns the label schema. Every edit goes to a
//! draft ([`draft::SchemaDraft`]); Apply hands the draft and its renames back to the page as one
//! [`SchemaChange`] (renames carry existing annotations along), Cancel or Escape drops it. A
//! schema `Schema::check` refuses cannot be applied; its problem is shown at the top.
//!
//! The editor is in the dialogs module (`src/bin/dialogs.rs`, with the import review), which
//! the page loads the first time the user opens it (`components::schema_settings`): it is a
//! tenth of the app's code, and most sessions never open it. It renders a modal `<dialog>` (the browser keeps focus
//! inside it and makes the page behind it inert) into a host element the page gives it.

mod attributes;
pub mod dialog_state;
pub mod draft;
mod fields;
mod findings;
mod labels;
pub mod mount;
pub mod protocol;
mod relations;
pub mod schema_file;

use std::rc::Rc;

use annotator_core::model::{Document, Schema};
use annotator_core::persist::schema_entry::encode_schema;
use web_sys::HtmlDialogElement;
use yew::prelude::*;

use crate::hooks::use_modal_dialog;
use crate::hooks::use_modal_dialog::is_escape;
use dialog_state::SettingsState;
use draft::documents_after;
use fields::Editing;
use protocol::{CrossingRename, SchemaChange};

pub use findings::describe as describe_finding;

/// The id of the dialog's title.
const TITLE_ID: &str = "schema-settings-title";

#[derive(Properties)]
pub struct SchemaEditorProps {
    pub schema: Rc<Schema>,
    pub documents: Rc<Vec<Document>>,
    /// Why the schema cannot be changed, if it cannot.
    pub locked: Option<String>,
    /// Apply, when the draft differs from `schema`.
    pub on_apply: Callback<SchemaChange>,
    /// The dialog closed (after Apply, Cancel or Escape).
    pub on_close: Callback<()>,
}

impl PartialEq for SchemaEditorProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.schema, &other.schema)
            && Rc::ptr_eq(&self.documents, &other.documents)
            && self.locked == other.locked
            && self.on_apply == other.on_apply
            && self.on_close == other.on_close
    }
}

#[component]
pub fn SchemaEditor(props: &SchemaEditorProps) -> Html {
    let settings = {
        let schema = (*props.schema).clone();
        use_reducer(move || SettingsState::new(schema))
    };
    let dialog = use_node_ref();
    let on_dialog_key = use_modal_dialog(dialog.clone());
    let after = use_memo(
        (settings.draft.renames.clone(), Rc::clone(&props.documents)),
        |(renames, documents)| documents_after(renames, documents.iter()),
    );
    let findings = use_memo(
        (settings.draft.schema.clone(), Rc::clone(&after)),
        |(schema, after)| schema.findings(after.iter()),
    );

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
        let dialog = dialog.clone();
        Callback::from(move |event: Event| {
            if is_escape(&event, &dialog) {
                event.prevent_default();
                close();
            }
        })
    };
    let locked = props.locked.clone();
    let check = settings.draft.schema.check().err().map(|e| e.to_string());
    let blocked = check.is_some() || !settings.errors.is_empty();
    let apply = {
        let close = Rc::clone(&close);
        let schema = Rc::clone(&props.schema);
        let on_apply = props.on_apply.clone();
        let draft = settings.draft.clone();
        Callback::from(move |_: MouseEvent| {
            if draft.differs_from(&schema) {
                on_apply.emit(SchemaChange {
                    schema: encode_schema(&draft.schema),
                    renames: draft.renames.iter().map(CrossingRename::from).collect(),
                });
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
            tabindex="-1" oncancel={on_escape} onkeydown={on_dialog_key}>
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
