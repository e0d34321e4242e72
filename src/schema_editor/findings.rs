//! "Not in the schema": what the articles hold that the draft schema does not describe (labels,
//! attributes, values, relation types an import brought), each with "Add to schema". They are
//! kept and exported either way; adding them only makes the schema offer them.

use annotator_core::model::schema::Finding;
use yew::prelude::*;

use super::draft::Edit;
use super::fields::Editing;

/// " (4×)", or nothing for one.
fn times(count: usize) -> String {
    if count == 1 {
        String::new()
    } else {
        format!(" ({count}×)")
    }
}

/// The sentence shown for a finding: names as they are spelled, in quotes.
pub fn describe(finding: &Finding) -> String {
    match finding {
        Finding::UnknownLabel { label, count } => format!(
            "label {:?} is not in the schema{}",
            label.as_str(),
            times(*count)
        ),
        Finding::UnknownAttribute { label, name, count } => format!(
            "{label} has an attribute {name:?} the schema lacks{}",
            times(*count)
        ),
        Finding::UnknownValue {
            label,
            name,
            value,
            count,
        } => format!(
            "{label} {name} = {value:?} is not one of the schema's values{}",
            times(*count)
        ),
        Finding::UnknownRelation { kind, count } => format!(
            "relation type {:?} is not in the schema{}",
            kind.as_str(),
            times(*count)
        ),
        Finding::UnexpectedEnds {
            kind,
            from,
            to,
            count,
        } => format!(
            "{kind} links {from} to {to}, which the schema does not allow{}",
            times(*count)
        ),
    }
}

pub fn findings_section(editing: &Editing, findings: &[Finding]) -> Html {
    let rows = findings.iter().enumerate().map(|(i, finding)| {
        let text = describe(finding);
        let field = format!("schema-finding-{i}");
        let adopt = {
            let finding = finding.clone();
            editing.on(&field, move |_: MouseEvent| Edit::Adopt(finding.clone()))
        };
        html! {
            <li class="schema-finding">
                <span>{ text.clone() }</span>
                <button type="button" aria-label={format!("Add to schema: {text}")} onclick={adopt}>
                    { "Add to schema" }
                </button>
            </li>
        }
    });
    let refused = editing
        .settings
        .errors
        .iter()
        .find(|(field, _)| field.starts_with("schema-finding-"))
        .map(|(_, message)| message.clone());
    html! {
        <section class="schema-section" aria-labelledby="schema-findings-title">
            <h3 id="schema-findings-title">{ "Not in the schema" }</h3>
            if findings.is_empty() {
                <p class="muted">{ "Everything the articles use is in the schema." }</p>
            } else {
                <p class="schema-hint">
                    { "The articles use these. They are kept and exported as they are; add them to offer them here." }
                </p>
                <ul class="schema-findings">{ for rows }</ul>
            }
            if let Some(message) = refused {
                <p class="field-error" role="alert">{ message }</p>
            }
        </section>
    }
}
