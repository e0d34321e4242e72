//! Code points as the units of Krippendorff's alpha and Cohen's kappa: each code point of the
//! article is one unit, and an annotator's value for it is the set of labels whose spans cover it
//! (the empty set where none does). A million-code-point article is walked as runs: between two
//! consecutive span boundaries of any annotator, every annotator's value stays the same.

use std::collections::BTreeMap;

use super::CodedSpan;
use crate::model::Label;

/// Calls `run(length, values)` for each run of code points in `0..text_len`, in text order, where
/// `values[i]` is annotator `i`'s labels over the run (sorted, each once), or `None` for an
/// annotator who has no annotations of this article. Spans reaching past `text_len` are clipped.
pub fn for_each_run(
    text_len: usize,
    coders: &[Option<&[CodedSpan]>],
    mut run: impl FnMut(usize, &[Option<Vec<Label>>]),
) {
    let mut boundaries: Vec<usize> = vec![0, text_len];
    // Per annotator, the label changes in position order: (position, +1 / -1, label).
    let mut events: Vec<Vec<(usize, bool, &Label)>> = Vec::with_capacity(coders.len());
    for spans in coders {
        let mut mine = Vec::new();
        for span in spans.iter().flat_map(|s| s.iter()) {
            let (start, end) = (span.start.min(text_len), span.end.min(text_len));
            if start < end {
                boundaries.extend([start, end]);
                mine.push((start, true, &span.label));
                mine.push((end, false, &span.label));
            }
        }
        mine.sort_by_key(|&(at, opens, _)| (at, opens));
        events.push(mine);
    }
    boundaries.sort_unstable();
    boundaries.dedup();

    let mut active: Vec<BTreeMap<&Label, usize>> = vec![BTreeMap::new(); coders.len()];
    let mut next_event = vec![0usize; coders.len()];
    let mut values: Vec<Option<Vec<Label>>> = vec![None; coders.len()];
    for window in boundaries.windows(2) {
        let (from, to) = (window[0], window[1]);
        for (coder, spans) in coders.iter().enumerate() {
            let mine = &events[coder];
            while let Some(&(at, opens, label)) = mine.get(next_event[coder]) {
                if at > from {
                    break;
                }
                let count = active[coder].entry(label).or_default();
                if opens {
                    *count += 1;
                } else {
                    *count -= 1;
                    if *count == 0 {
                        active[coder].remove(label);
                    }
                }
                next_event[coder] += 1;
            }
            values[coder] = spans.map(|_| active[coder].keys().map(|&l| l.clone()).collect());
        }
        run(to - from, &values);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, label: Label) -> CodedSpan {
        CodedSpan { start, end, label }
    }

    #[test]
    fn runs_cover_the_text_and_carry_each_annotators_labels() {
        let a = [span(2, 6, Label::Quote), span(4, 8, Label::Entity)];
        let b = [span(3, 6, Label::Quote)];
        let mut seen = Vec::new();
        for_each_run(10, &[Some(&a[..]), Some(&b[..]), None], |len, values| {
            seen.push((len, values.to_vec()));
        });
        let total: usize = seen.iter().map(|(len, _)| len).sum();
        assert_eq!(total, 10);
        let q = || vec![Label::Quote];
        let qe = || vec![Label::Quote, Label::Entity];
        let expected = vec![
            (2, vec![Some(vec![]), Some(vec![]), None]),
            (1, vec![Some(q()), Some(vec![]), None]),
            (1, vec![Some(q()), Some(q()), None]),
            (2, vec![Some(qe()), Some(q()), None]),
            (2, vec![Some(vec![Label::Entity]), Some(vec![]), None]),
            (2, vec![Some(vec![]), Some(vec![]), None]),
        ];
        assert_eq!(seen, expected);
    }

    #[test]
    fn the_same_label_twice_over_a_code_point_is_one_value() {
        let a = [span(0, 4, Label::Quote), span(1, 2, Label::Quote)];
        let mut seen = Vec::new();
        for_each_run(4, &[Some(&a[..])], |len, values| {
            seen.push((len, values[0].clone()))
        });
        assert!(seen
            .iter()
            .all(|(_, v)| v.as_deref() == Some(&[Label::Quote][..])));
    }
}
