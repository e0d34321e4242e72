//! Counting labels: how many spans carry each one.
//!
//! One sorted list instead of a `BTreeMap` per caller: the side panel's counts, the import
//! dialog's custom labels and mapped counts, and the Label Studio config all count labels, and
//! each map type would be its own copy of the B-tree code in the bundle. A document has a
//! handful of distinct labels, so sorting references is as quick.

use super::label::Label;

/// Each distinct label among `labels` with its number of occurrences, in label order (the
/// built-in labels in [`Label::ALL`] order, then custom labels by name).
pub fn tally<'a>(labels: impl IntoIterator<Item = &'a Label>) -> Vec<(Label, usize)> {
    let mut sorted: Vec<&Label> = labels.into_iter().collect();
    sorted.sort_unstable();
    let mut counts: Vec<(Label, usize)> = Vec::new();
    for label in sorted {
        match counts.last_mut() {
            Some((last, n)) if last == label => *n += 1,
            _ => counts.push((label.clone(), 1)),
        }
    }
    counts
}

/// [`tally`], with every built-in label present, at zero if unused.
pub fn tally_with_builtins<'a>(labels: impl IntoIterator<Item = &'a Label>) -> Vec<(Label, usize)> {
    let mut counts = tally(labels);
    for label in Label::ALL {
        if let Err(at) = counts.binary_search_by(|(l, _)| l.cmp(&label)) {
            counts.insert(at, (label, 0));
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom(name: &str) -> Label {
        Label::parse_any(name).unwrap()
    }

    #[test]
    fn counts_in_label_order() {
        // Custom labels sort by name, whatever the order they come in.
        let (zeta, alpha) = (custom("ZETA"), custom("ALPHA"));
        let labels = [
            zeta.clone(),
            Label::Claim,
            alpha.clone(),
            Label::Quote,
            zeta.clone(),
            Label::Claim,
        ];
        assert_eq!(
            tally(&labels),
            [
                (Label::Quote, 1),
                (Label::Claim, 2),
                (alpha.clone(), 1),
                (zeta.clone(), 2)
            ]
        );
        assert_eq!(
            tally_with_builtins(&labels),
            [
                (Label::Quote, 1),
                (Label::Entity, 0),
                (Label::Claim, 2),
                (alpha, 1),
                (zeta, 2)
            ]
        );
        assert_eq!(tally([]), []);
        assert_eq!(tally_with_builtins([]), Label::ALL.map(|label| (label, 0)));
    }
}
