//! The schema's colours as a `<style>` element: for a built-in label whose colour the user
//! changed, the CSS variables the style sheets use (`--quote`, `--quote-bg`, ...; an unchanged
//! one keeps the tint designed in styles/tokens.css); for each custom label of the schema, its
//! `lc-<index>` class (see `label_class`) setting `--custom` and `--custom-bg` on its marks,
//! tags and buttons. Safe as text: colours are always `#rrggbb` (`Colour::parse`), and indexes
//! are numbers.

use annotator_core::model::schema::Colour;
use annotator_core::model::Schema;
use yew::prelude::*;

use super::css_string::css_string;
use super::label_class::colour_class;
use crate::state::AppContext;

/// How strongly a label's colour tints the text it marks.
const TINT_PERCENT: u8 = 14;

/// `rgba(r, g, b, 0.14)`.
fn tint(colour: &Colour) -> String {
    let (r, g, b) = colour.rgb();
    format!("rgba({r}, {g}, {b}, 0.{TINT_PERCENT:02})")
}

/// The style sheet for `schema`.
pub fn schema_css(schema: &Schema) -> String {
    let defaults = Schema::default();
    let mut root = String::new();
    let mut classes = String::new();
    for (index, spec) in schema.labels.iter().enumerate() {
        if spec.label.is_builtin() {
            let unchanged = defaults
                .label(&spec.label)
                .is_some_and(|d| d.colour == spec.colour);
            if !unchanged {
                let name = spec.label.style_class();
                root.push_str(&format!(
                    " --{name}: {}; --{name}-bg: {};",
                    spec.colour.as_str(),
                    tint(&spec.colour)
                ));
            }
        } else {
            // Marks and tags carry their label's name in `data-label`: the article's paragraphs
            // are coloured without each of them knowing the schema.
            let name = css_string(spec.label.as_str());
            classes.push_str(&format!(
                ".{}, mark.mark-custom[data-label={name}], .tag-custom[data-label={name}] {{ --custom: {}; --custom-bg: {}; }}\n",
                colour_class(index),
                spec.colour.as_str(),
                tint(&spec.colour)
            ));
        }
    }
    if root.is_empty() {
        classes
    } else {
        format!(":root {{{root} }}\n{classes}")
    }
}

/// The schema's colours as a style element, worked out again only when the schema changes
/// (the root's hook).
#[hook]
pub fn use_schema_style(state: &AppContext) -> Html {
    let css = use_memo(std::rc::Rc::clone(&state.schema), |schema| {
        schema_css(schema)
    });
    html! { <style id="schema-colours">{ (*css).clone() }</style> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use annotator_core::model::Label;

    #[test]
    fn only_changed_built_ins_and_custom_labels_get_rules() {
        let mut schema = Schema::default();
        assert_eq!(schema_css(&schema), "");
        schema.labels[0].colour = Colour::parse("#FF0000").unwrap();
        let mut person = schema.labels[1].clone();
        person.label = Label::parse_any("PERSON").unwrap();
        person.colour = Colour::parse("#2e7d32").unwrap();
        schema.labels.push(person);
        assert_eq!(
            schema_css(&schema),
            ":root { --quote: #ff0000; --quote-bg: rgba(255, 0, 0, 0.14); }\n\
             .lc-3, mark.mark-custom[data-label=\"PERSON\"], .tag-custom[data-label=\"PERSON\"] \
             { --custom: #2e7d32; --custom-bg: rgba(46, 125, 50, 0.14); }\n"
        );
    }
}
