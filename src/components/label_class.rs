//! Which style a label is drawn with: the built-in labels keep their own classes (`quote`,
//! `entity`, `claim`), a custom label in the schema gets the neutral style plus its own colour
//! class (`custom lc-<index>`, coloured by `schema_style`), and a label the schema lacks stays
//! neutral grey.

use annotator_core::model::{Label, Schema};

/// The class suffix of a label's marks (`mark-…`) and tags (`tag-…`); for a custom label in the
/// schema it is two classes, `custom lc-<index>`, so `format!("mark-{}")` gives both.
pub fn label_class(schema: &Schema, label: &Label) -> String {
    if label.is_builtin() {
        return label.style_class().to_owned();
    }
    match schema.labels.iter().position(|spec| &spec.label == label) {
        Some(index) => format!("custom {}", colour_class(index)),
        None => label.style_class().to_owned(),
    }
}

/// The colour class of the schema's label at `index`.
pub fn colour_class(index: usize) -> String {
    format!("lc-{index}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_keep_their_class_and_custom_labels_get_their_colour() {
        let mut schema = Schema::default();
        let person = Label::parse_any("PERSON").unwrap();
        assert_eq!(label_class(&schema, &person), "custom");
        assert_eq!(label_class(&schema, &Label::Entity), "entity");
        let mut spec = schema.labels[1].clone();
        spec.label = person.clone();
        schema.labels.push(spec);
        assert_eq!(label_class(&schema, &person), "custom lc-3");
        // A built-in label keeps its class even when the schema lacks it.
        schema.labels.remove(0);
        assert_eq!(label_class(&schema, &Label::Quote), "quote");
        assert_eq!(
            format!("mark-{}", label_class(&schema, &person)),
            "mark-custom lc-2"
        );
    }
}
