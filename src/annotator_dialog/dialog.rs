//! The dialog: one name field, what the name is for, and Save or go on without one.

use annotator_core::model::annotator::MAX_ANNOTATOR_CHARS;
use annotator_core::model::AnnotatorName;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::browser::annotator_name::{self, Stored};
use crate::hooks::use_modal_dialog;
use crate::hooks::use_modal_dialog::is_escape;

const TITLE_ID: &str = "annotator-title";
const FIELD_ID: &str = "annotator-name";
const PROBLEM_ID: &str = "annotator-problem";
const SIGN_ID: &str = "annotator-sign";

/// Why the dialog is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asked {
    /// From the Annotator button: set, change or clear the name.
    Settings,
    /// Before the first export; whatever the answer, the export goes on.
    BeforeExport,
}

#[derive(Properties, Clone, PartialEq)]
pub struct AnnotatorDialogProps {
    pub asked: Asked,
    /// How many annotations of the articles nobody is known to have made: offered to be
    /// recorded as the person's when there are any.
    #[prop_or_default]
    pub unnamed: usize,
    /// Called once the dialog has closed, saved or not: with the name saved when the person
    /// also said the unnamed annotations are theirs.
    pub on_close: Callback<Option<AnnotatorName>>,
}

#[component]
pub fn AnnotatorDialog(props: &AnnotatorDialogProps) -> Html {
    let dialog = use_node_ref();
    let field = use_node_ref();
    let on_dialog_key = use_modal_dialog(dialog.clone());
    let stored = use_memo((), |_| annotator_name::read());
    let problem = use_state(|| None::<String>);

    // The "record me as the maker" box, drawn only when there is something to sign.
    let sign = use_node_ref();
    // Closes with what `keep` says: a name, going on without one (`None`), or nothing changed.
    let finish = {
        let (dialog, problem, on_close) = (dialog.clone(), problem.clone(), props.on_close.clone());
        let sign = sign.clone();
        Callback::from(move |keep: Option<Option<AnnotatorName>>| {
            if let Some(name) = &keep {
                if let Err(why) = annotator_name::write(name.as_ref()) {
                    problem.set(Some(format!("The name was not kept: {why}.")));
                    return;
                }
            }
            let signs = sign
                .cast::<HtmlInputElement>()
                .is_some_and(|checkbox| checkbox.checked());
            if let Some(dialog) = dialog.cast::<web_sys::HtmlDialogElement>() {
                dialog.close();
            }
            on_close.emit(keep.flatten().filter(|_| signs));
        })
    };
    let on_submit = {
        let (field, problem, finish) = (field.clone(), problem.clone(), finish.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let typed = field
                .cast::<HtmlInputElement>()
                .map(|f| f.value())
                .unwrap_or_default();
            match AnnotatorName::parse(&typed) {
                Ok(name) => finish.emit(Some(Some(name))),
                Err(why) => {
                    problem.set(Some(format!("Not saved: {why}.")));
                    if let Some(field) = field.cast::<HtmlInputElement>() {
                        let _ = field.focus();
                    }
                }
            }
        })
    };
    // Before an export, any way out goes on without a name, and it is not asked again; from
    // the button, Cancel and Escape change nothing.
    let leave = match props.asked {
        Asked::BeforeExport => Some(None),
        Asked::Settings => None,
    };
    let on_leave = {
        let (finish, leave) = (finish.clone(), leave.clone());
        Callback::from(move |_: MouseEvent| finish.emit(leave.clone()))
    };
    let on_escape = {
        let (dialog, finish) = (dialog.clone(), finish.clone());
        Callback::from(move |event: Event| {
            if is_escape(&event, &dialog) {
                event.prevent_default();
                finish.emit(leave.clone());
            }
        })
    };
    let on_clear = {
        let finish = finish.clone();
        Callback::from(move |_: MouseEvent| finish.emit(Some(None)))
    };
    let current = stored
        .name()
        .map(|n| n.as_str().to_owned())
        .unwrap_or_default();
    let (title, intro, leave_text) = match props.asked {
        Asked::BeforeExport => (
            "Who is annotating?",
            "Before your first export: your name goes into the file with each annotation you \
             make or change from now on, so a team can tell its annotators' work apart and \
             compare it (Compare…). It stays in this browser; the name button at the top \
             changes it any time.",
            "Export without a name",
        ),
        Asked::Settings => (
            "Your annotator name",
            "Recorded with each annotation you make or change in this browser, and carried by \
             every export, so a team can tell its annotators' work apart and compare it \
             (Compare…). Annotations made before keep the name they were made under.",
            "Cancel",
        ),
    };
    html! {
        <dialog ref={dialog} class="dialog annotator-dialog" aria-labelledby={TITLE_ID}
            tabindex="-1" oncancel={on_escape} onkeydown={on_dialog_key}>
            <h2 id={TITLE_ID}>{ title }</h2>
            <p>{ intro }</p>
            <form onsubmit={on_submit}>
                <div class="field">
                    <label for={FIELD_ID}>{ "Name" }</label>
                    <input ref={field} id={FIELD_ID} type="text" value={current}
                        autocomplete="name" maxlength={MAX_ANNOTATOR_CHARS.to_string()}
                        aria-invalid={problem.is_some().to_string()}
                        aria-describedby={PROBLEM_ID}
                        placeholder="e.g. ann, or coder-07 (no commas)" />
                </div>
                <p id={PROBLEM_ID} class="problem" role="alert">
                    { (*problem).clone().unwrap_or_default() }
                </p>
                if props.unnamed > 0 {
                    <label class="sign" for={SIGN_ID}>
                        <input ref={sign} id={SIGN_ID} type="checkbox" checked=true />
                        { format!(
                            "Record me as the maker of the {} that name nobody yet (made here before a name was set, or imported without one)",
                            if props.unnamed == 1 { "1 annotation".to_owned() } else { format!("{} annotations", props.unnamed) }
                        ) }
                    </label>
                }
                <div class="dialog-buttons">
                    <button type="submit" class="primary">{ "Save" }</button>
                    if props.asked == Asked::Settings && matches!(*stored, Stored::Named(_)) {
                        <button type="button" onclick={on_clear}>{ "Clear name" }</button>
                    }
                    <button type="button" onclick={on_leave}>{ leave_text }</button>
                </div>
            </form>
        </dialog>
    }
}
