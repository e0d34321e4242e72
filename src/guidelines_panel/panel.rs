//! The guidelines panel: the text drawn by blocks (headings, paragraphs, lists, examples,
//! code), scrolled to the section of the selected annotation's label, and an editor for it.

use std::rc::Rc;

use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use annotator_core::model::guidelines::{self, Block, Inline};
use annotator_core::model::{Label, Schema};
use annotator_core::persist::schema_entry::encode_schema;

#[derive(Properties, PartialEq)]
pub struct GuidelinesPanelProps {
    pub schema: Rc<Schema>,
    /// The selected annotation's label: the panel shows its section.
    pub label: Option<Label>,
    /// Why the guidelines cannot be changed in this tab, if they cannot.
    pub locked: Option<String>,
    /// Called with the schema in force with the new guidelines, as storage encodes it.
    pub on_save: Callback<String>,
}

fn inline_html(runs: &[Inline]) -> Html {
    runs.iter()
        .map(|run| match run {
            Inline::Text(text) => html! { { text.clone() } },
            Inline::Strong(text) => html! { <strong>{ text.clone() }</strong> },
            Inline::Emphasis(text) => html! { <em>{ text.clone() }</em> },
            Inline::Code(text) => html! { <code>{ text.clone() }</code> },
        })
        .collect()
}

/// The id of block `index`'s heading, for the panel to scroll to.
fn heading_id(index: usize) -> String {
    format!("guideline-{index}")
}

fn block_html(index: usize, block: &Block, current: Option<usize>) -> Html {
    match block {
        // Under the panel's own heading (h2): the guidelines' levels start at h3.
        Block::Heading { level, text } => {
            let tag = format!("h{}", (level + 2).min(6));
            let class = classes!(
                "guideline-heading",
                (current == Some(index)).then_some("current")
            );
            html! {
                <@{tag} id={heading_id(index)} class={class}>{ text.clone() }</@>
            }
        }
        Block::Paragraph(runs) => html! { <p>{ inline_html(runs) }</p> },
        Block::List(items) => html! {
            <ul>{ for items.iter().map(|item| html! { <li>{ inline_html(item) }</li> }) }</ul>
        },
        Block::Example(runs) => html! {
            <blockquote class="guideline-example">
                <span class="example-tag">{ "Example" }</span>{ " " }{ inline_html(runs) }
            </blockquote>
        },
        Block::Code(code) => html! { <pre><code>{ code.clone() }</code></pre> },
    }
}

#[component]
pub fn GuidelinesPanel(props: &GuidelinesPanelProps) -> Html {
    let editing = use_state_eq(|| false);
    // What the last Save did, said in the panel (the page keeps the schema).
    let status = use_state_eq(|| None::<String>);
    // What the editor opens with: the guidelines, or the template the user asked to start from.
    let draft = use_mut_ref(String::new);
    let area = use_node_ref();
    let body = use_node_ref();
    let blocks = use_memo(props.schema.guidelines.clone(), |text| {
        guidelines::parse(text)
    });
    let current = props
        .label
        .as_ref()
        .and_then(|label| guidelines::section_of(&blocks, label));

    // The section of the selected label is brought to the top of the panel when it changes
    // (the panel scrolls, not the page).
    {
        let (body, editing) = (body.clone(), *editing);
        use_effect_with((current, editing), move |(current, editing)| {
            let (Some(current), false) = (current, editing) else {
                return;
            };
            let Some(body) = body.cast::<HtmlElement>() else {
                return;
            };
            let heading = body
                .query_selector(&format!("#{}", heading_id(*current)))
                .ok()
                .flatten()
                .and_then(|h| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(h).ok());
            // The body is positioned: a heading's offset is from the body's own top.
            if let Some(heading) = heading {
                body.set_scroll_top(heading.offset_top());
            }
        });
    }
    // The editor opens with the draft, focused.
    {
        let (area, draft) = (area.clone(), Rc::clone(&draft));
        use_effect_with(*editing, move |editing| {
            if let (true, Some(area)) = (*editing, area.cast::<HtmlTextAreaElement>()) {
                area.set_value(&draft.borrow());
                let _ = area.focus();
            }
        });
    }

    let open_editor = |start_from: Option<String>| {
        let (editing, draft, schema) =
            (editing.clone(), Rc::clone(&draft), Rc::clone(&props.schema));
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            *draft.borrow_mut() = start_from
                .clone()
                .unwrap_or_else(|| schema.guidelines.clone());
            editing.set(true);
            status.set(None);
        })
    };
    let edit = open_editor(None);
    let from_template = open_editor(Some(guidelines::template(&props.schema)));
    let save = {
        let (editing, area, on_save) = (editing.clone(), area.clone(), props.on_save.clone());
        let (schema, status) = (Rc::clone(&props.schema), status.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(text) = area.cast::<HtmlTextAreaElement>().map(|a| a.value()) else {
                return;
            };
            if text != schema.guidelines {
                let mut changed = (*schema).clone();
                changed.guidelines = text;
                if let Err(problem) = changed.check() {
                    // The text stays in the editor, to shorten.
                    status.set(Some(format!("Not saved: {problem}.")));
                    return;
                }
                on_save.emit(encode_schema(&changed));
                status.set(Some("Guidelines saved with the label schema.".to_owned()));
            }
            editing.set(false);
        })
    };
    let cancel = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(false))
    };

    let locked = props.locked.clone();
    let empty = props.schema.guidelines.trim().is_empty();
    let content = if *editing {
        html! {
            <div class="guidelines-editor">
                <label for="guidelines-text">{ "Guidelines" }</label>
                <p id="guidelines-help" class="guidelines-help">
                    { "# and ## start headings (a heading named after a label, such as “## Quote”, opens its section), “- ” a list, “> ” an example; **bold**, *italic*, `code`." }
                </p>
                <textarea id="guidelines-text" ref={area} rows="12" spellcheck="true"
                    aria-describedby="guidelines-help" />
                <div class="guidelines-buttons">
                    <button class="primary" onclick={save}>{ "Save guidelines" }</button>
                    <button onclick={cancel}>{ "Cancel" }</button>
                </div>
            </div>
        }
    } else if empty {
        html! {
            <div class="guidelines-body" ref={body.clone()}>
                <p class="empty">{ "No guidelines yet. Write the rules annotators follow, one section per label; they are saved with the label schema and exported with it." }</p>
                if locked.is_none() {
                    <button onclick={from_template}>{ "Start from a template" }</button>
                }
            </div>
        }
    } else {
        html! {
            <div class="guidelines-body" ref={body.clone()} tabindex="0" aria-label="Guidelines text">
                { for blocks.iter().enumerate().map(|(i, block)| block_html(i, block, current)) }
            </div>
        }
    };
    html! {
        <section class="guidelines" aria-labelledby="guidelines-title">
            <div class="guidelines-head">
                <h2 id="guidelines-title">{ "Guidelines" }</h2>
                if !*editing {
                    <button onclick={edit} disabled={locked.is_some()} title={locked.clone()}>
                        { "Edit guidelines" }
                    </button>
                }
            </div>
            <p class="guidelines-status" role="status">{ (*status).clone() }</p>
            { content }
        </section>
    }
}
