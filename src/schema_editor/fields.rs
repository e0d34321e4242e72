//! The controls every part of the settings dialog is made of: a name field that commits on
//! change, a key picker, the message beside a refused edit, a Remove button that asks first
//! when annotations use the part, and a field with an Add button.

use std::rc::Rc;

use annotator_core::model::schema::RESERVED_KEYS;
use annotator_core::model::schema_edit::{uses, Part};
use annotator_core::model::Document;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

use super::dialog_state::{SettingsAction, SettingsState};
use super::draft::Edit;

/// What every section of the dialog works with.
#[derive(Clone)]
pub struct Editing {
    pub settings: UseReducerHandle<SettingsState>,
    /// The documents as they will be after the draft's renames (for "used by" counts).
    pub documents: Rc<Vec<Document>>,
}

impl Editing {
    /// A callback that makes `edit(value)` on behalf of the control `field`.
    pub fn on<T: 'static>(&self, field: &str, edit: impl Fn(T) -> Edit + 'static) -> Callback<T> {
        let settings = self.settings.clone();
        let field = field.to_owned();
        Callback::from(move |value: T| {
            settings.dispatch(SettingsAction::Edit {
                field: field.clone(),
                edit: edit(value),
            });
        })
    }

    pub fn error(&self, field: &str) -> Option<AttrValue> {
        self.settings
            .error(field)
            .map(|message| AttrValue::from(message.to_owned()))
    }
}

fn input_value(event: &Event) -> Option<String> {
    event
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .map(|input| input.value())
}

/// The id of the message that explains a field's refused edit.
fn error_id(field: &str) -> String {
    format!("{field}-error")
}

/// The message beside a field whose edit was refused (announced as it appears).
pub fn field_error(field: &str, error: Option<&AttrValue>) -> Html {
    match error {
        Some(message) => html! {
            <p class="field-error" id={error_id(field)} role="alert">{ message.clone() }</p>
        },
        None => Html::default(),
    }
}

/// A name that is renamed when the field changes (on Enter or leaving it).
pub fn name_field(
    field: &str,
    label: String,
    value: &str,
    error: Option<AttrValue>,
    on_commit: Callback<String>,
) -> Html {
    let onchange = Callback::from(move |event: Event| {
        if let Some(value) = input_value(&event) {
            on_commit.emit(value);
        }
    });
    html! {
        <span class="schema-field">
            <input type="text" id={field.to_owned()} class="schema-name" value={value.to_owned()}
                aria-label={label} aria-invalid={error.is_some().then_some("true")}
                aria-describedby={error.is_some().then(|| error_id(field))}
                autocomplete="off" spellcheck="false" onchange={onchange} />
            { field_error(field, error.as_ref()) }
        </span>
    }
}

/// The keys offered: 1–9 and a–z (less the app's own keys for labels), plus the current key
/// when it is another letter (an imported schema may use any).
pub fn key_select(
    field: &str,
    label: String,
    current: Option<char>,
    for_labels: bool,
    on_change: Callback<Option<char>>,
) -> Html {
    let reserved = |key: char| for_labels && RESERVED_KEYS.iter().any(|(k, _)| *k == key);
    let mut keys: Vec<char> = ('1'..='9')
        .chain('a'..='z')
        .filter(|k| !reserved(*k))
        .collect();
    if let Some(key) = current.filter(|k| !keys.contains(k)) {
        keys.push(key);
    }
    let onchange = Callback::from(move |event: Event| {
        let Some(select) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
        else {
            return;
        };
        on_change.emit(select.value().chars().next());
    });
    html! {
        <select id={field.to_owned()} class="schema-key" aria-label={label} onchange={onchange}>
            <option value="" selected={current.is_none()}>{ "no key" }</option>
            { for keys.into_iter().map(|key| html! {
                <option value={key.to_string()} selected={current == Some(key)}>
                    { key.to_uppercase().to_string() }
                </option>
            }) }
        </select>
    }
}

/// "Remove …": removes at once when nothing uses the part; else the dialog asks first, saying
/// how many annotations use it ([`removal_question`]).
pub fn remove_button(editing: &Editing, part: Part, label: String, text: &'static str) -> Html {
    let onclick = {
        let settings = editing.settings.clone();
        let documents = Rc::clone(&editing.documents);
        Callback::from(move |_| {
            let uses = uses(&part, documents.iter());
            settings.dispatch(SettingsAction::AskRemove {
                part: part.clone(),
                uses,
            });
        })
    };
    html! {
        <button type="button" class="schema-remove" aria-label={label} onclick={onclick}>{ text }</button>
    }
}

/// Focuses the element once it is in the document (the question's first button).
#[hook]
fn use_focus_on_mount(node: NodeRef) {
    use_effect_with((), move |_| {
        if let Some(element) = node.cast::<HtmlElement>() {
            let _ = element.focus();
        }
    });
}

#[derive(Properties, PartialEq)]
pub struct RemovalQuestionProps {
    pub settings: UseReducerHandle<SettingsState>,
    /// "label “entity”", "value “city” of entity kind": what is being removed.
    pub what: AttrValue,
    pub uses: usize,
    /// "annotation" or "relation": what uses it.
    pub users: &'static str,
}

/// The question asked before removing a part annotations use.
#[component]
pub fn RemovalQuestion(props: &RemovalQuestionProps) -> Html {
    let keep = use_node_ref();
    use_focus_on_mount(keep.clone());
    let dispatch = |action: fn() -> SettingsAction| {
        let settings = props.settings.clone();
        Callback::from(move |_| settings.dispatch(action()))
    };
    let (count, verb) = match props.uses {
        1 => (format!("1 {}", props.users), "uses"),
        n => (format!("{n} {}s", props.users), "use"),
    };
    html! {
        <div class="schema-confirm" role="group" aria-label="Confirm removal">
            <p role="alert">
                { format!("{count} {verb} {}. Remove it from the schema? ", props.what) }
                { "They keep it, and it is then listed under “Not in the schema”." }
            </p>
            <button type="button" class="danger" onclick={dispatch(|| SettingsAction::ConfirmRemove)}>
                { "Remove anyway" }
            </button>
            <button type="button" ref={keep} onclick={dispatch(|| SettingsAction::KeepPart)}>{ "Keep it" }</button>
        </div>
    }
}

/// The removal question when it concerns `part`.
pub fn removal_question(editing: &Editing, part: &Part, what: String, users: &'static str) -> Html {
    match &editing.settings.confirm {
        Some(removal) if &removal.part == part => html! {
            <RemovalQuestion settings={editing.settings.clone()} what={what}
                uses={removal.uses} users={users} />
        },
        _ => Html::default(),
    }
}

#[derive(Properties, PartialEq)]
pub struct AddFieldProps {
    pub id: AttrValue,
    /// The accessible name of the text field ("New label name").
    pub label: AttrValue,
    /// The button's text ("Add value").
    pub button: AttrValue,
    /// The button's accessible name when its text alone would be ambiguous ("Add value to
    /// quote type"); it starts with the text.
    #[prop_or_default]
    pub button_label: Option<AttrValue>,
    pub error: Option<AttrValue>,
    /// How many items the list has: the field empties when it grows.
    pub items: usize,
    pub on_add: Callback<String>,
}

/// A text field and an Add button (Enter in the field adds too). The text stays when the
/// addition is refused, so it can be corrected.
#[component]
pub fn AddField(props: &AddFieldProps) -> Html {
    let text = use_state(String::new);
    {
        let text = text.clone();
        use_effect_with(props.items, move |_| text.set(String::new()));
    }
    let add = {
        let text = text.clone();
        let on_add = props.on_add.clone();
        move || on_add.emit((*text).clone())
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(value) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .map(|i| i.value())
            {
                text.set(value);
            }
        })
    };
    let onkeydown = {
        let add = add.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" {
                event.prevent_default();
                add();
            }
        })
    };
    let onclick = Callback::from(move |_| add());
    let field = props.id.to_string();
    html! {
        <span class="schema-add">
            <input type="text" id={props.id.clone()} value={(*text).clone()} aria-label={props.label.clone()}
                placeholder={props.label.clone()}
                aria-invalid={props.error.is_some().then_some("true")}
                aria-describedby={props.error.is_some().then(|| error_id(&field))}
                autocomplete="off" spellcheck="false" oninput={oninput} onkeydown={onkeydown} />
            <button type="button" aria-label={props.button_label.clone()} onclick={onclick}>
                { props.button.clone() }
            </button>
            { field_error(&field, props.error.as_ref()) }
        </span>
    }
}
