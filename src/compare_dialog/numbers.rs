//! How the report writes its numbers: three decimals, and a dash for a measure with nothing to
//! agree on (said in words to a screen reader and in the tooltip).

use yew::prelude::*;

/// What an undefined measure means, for the tooltip and screen readers.
pub const UNDEFINED: &str = "undefined: nothing to agree on here";

/// A number cell's content: `0.812`, or a dash that says why.
pub fn value(number: Option<f64>) -> Html {
    match number {
        Some(number) => html! { { format!("{number:.3}") } },
        None => html! {
            <span title={UNDEFINED}>
                <span aria-hidden="true">{ "—" }</span>
                <span class="visually-hidden">{ "undefined" }</span>
            </span>
        },
    }
}
