//! Matching two annotators' spans one to one, for F1 (Hripcsak & Rothschild 2005: between two
//! annotators, F1 needs no chance model and treats neither as the truth).
//!
//! - **Exact**: same start, same end, same label.
//! - **Overlap**: same label and at least one code point in common. Among the many ways to pair
//!   overlapping spans, the one with the most pairs is taken, so F1 is never understated by an
//!   unlucky pairing: a span of A with the earliest end takes the overlapping span of B that ends
//!   first, which is optimal for intervals (an exchange argument; the tests check it against an
//!   exhaustive search).

use std::collections::{BTreeMap, BTreeSet};

use super::CodedSpan;
use crate::model::Label;

/// How two spans must agree to count as the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Matching {
    Exact,
    Overlap,
}

/// Matched, only-A and only-B counts, which F1, precision and recall are computed from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MatchCounts {
    pub matched: usize,
    pub only_a: usize,
    pub only_b: usize,
}

impl MatchCounts {
    /// `2·matched / (|A| + |B|)`; `None` when neither annotator has a span.
    pub fn f1(self) -> Option<f64> {
        let total = 2 * self.matched + self.only_a + self.only_b;
        (total > 0).then(|| 2.0 * self.matched as f64 / total as f64)
    }

    pub fn add(&mut self, other: MatchCounts) {
        self.matched += other.matched;
        self.only_a += other.only_a;
        self.only_b += other.only_b;
    }
}

/// Which span of A went with which span of B (indices into the slices given).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpanMatches {
    pub pairs: Vec<(usize, usize)>,
    pub only_a: Vec<usize>,
    pub only_b: Vec<usize>,
}

impl SpanMatches {
    pub fn counts(&self) -> MatchCounts {
        MatchCounts {
            matched: self.pairs.len(),
            only_a: self.only_a.len(),
            only_b: self.only_b.len(),
        }
    }

    /// The counts of one label (pairs always share their label).
    pub fn counts_of(&self, label: &Label, a: &[CodedSpan], b: &[CodedSpan]) -> MatchCounts {
        MatchCounts {
            matched: self
                .pairs
                .iter()
                .filter(|&&(i, _)| &a[i].label == label)
                .count(),
            only_a: self
                .only_a
                .iter()
                .filter(|&&i| &a[i].label == label)
                .count(),
            only_b: self
                .only_b
                .iter()
                .filter(|&&j| &b[j].label == label)
                .count(),
        }
    }
}

/// Pairs `a`'s spans with `b`'s, one to one, as many as `matching` allows.
pub fn match_spans(a: &[CodedSpan], b: &[CodedSpan], matching: Matching) -> SpanMatches {
    let mut pairs = match matching {
        Matching::Exact => exact_pairs(a, b),
        Matching::Overlap => overlap_pairs(a, b),
    };
    pairs.sort_unstable();
    let taken_a: BTreeSet<usize> = pairs.iter().map(|&(i, _)| i).collect();
    let taken_b: BTreeSet<usize> = pairs.iter().map(|&(_, j)| j).collect();
    SpanMatches {
        only_a: (0..a.len()).filter(|i| !taken_a.contains(i)).collect(),
        only_b: (0..b.len()).filter(|j| !taken_b.contains(j)).collect(),
        pairs,
    }
}

fn exact_pairs(a: &[CodedSpan], b: &[CodedSpan]) -> Vec<(usize, usize)> {
    let mut waiting: BTreeMap<(usize, usize, &Label), Vec<usize>> = BTreeMap::new();
    for (j, span) in b.iter().enumerate().rev() {
        waiting
            .entry((span.start, span.end, &span.label))
            .or_default()
            .push(j);
    }
    a.iter()
        .enumerate()
        .filter_map(|(i, span)| {
            let j = waiting
                .get_mut(&(span.start, span.end, &span.label))?
                .pop()?;
            Some((i, j))
        })
        .collect()
}

fn overlap_pairs(a: &[CodedSpan], b: &[CodedSpan]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut labels: Vec<&Label> = a.iter().map(|s| &s.label).collect();
    labels.sort();
    labels.dedup();
    for label in labels {
        let mut mine: Vec<usize> = (0..a.len()).filter(|&i| &a[i].label == label).collect();
        mine.sort_by_key(|&i| (a[i].end, a[i].start, i));
        let mut theirs: Vec<usize> = (0..b.len()).filter(|&j| &b[j].label == label).collect();
        theirs.sort_by_key(|&j| (b[j].start, j));
        // Spans of B that start before the current A span ends, by (end, index).
        let mut started: BTreeSet<(usize, usize)> = BTreeSet::new();
        let mut next = 0;
        for i in mine {
            while next < theirs.len() && b[theirs[next]].start < a[i].end {
                let j = theirs[next];
                started.insert((b[j].end, j));
                next += 1;
            }
            // Of those, the one ending first after A starts overlaps it and is the best choice.
            let found = started.range((a[i].start + 1, 0)..).next().copied();
            if let Some(key) = found {
                started.remove(&key);
                pairs.push((i, key.1));
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn span(start: usize, end: usize, label: Label) -> CodedSpan {
        CodedSpan { start, end, label }
    }

    #[test]
    fn exact_needs_boundaries_and_label() {
        let a = [
            span(0, 5, Label::Quote),
            span(10, 12, Label::Entity),
            span(20, 30, Label::Claim),
        ];
        let b = [
            span(0, 5, Label::Quote),
            span(10, 13, Label::Entity),
            span(20, 30, Label::Quote),
        ];
        let result = match_spans(&a, &b, Matching::Exact);
        assert_eq!(result.pairs, vec![(0, 0)]);
        assert_eq!(
            result.counts(),
            MatchCounts {
                matched: 1,
                only_a: 2,
                only_b: 2
            }
        );
        assert_eq!(result.counts().f1(), Some(2.0 / 6.0));
        let overlap = match_spans(&a, &b, Matching::Overlap);
        assert_eq!(overlap.pairs, vec![(0, 0), (1, 1)]);
    }

    #[test]
    fn overlap_takes_the_most_pairs() {
        // Pairing A0 with its exact twin B0 would leave A1 alone; the best pairing crosses.
        let a = [span(0, 10, Label::Quote), span(2, 3, Label::Quote)];
        let b = [span(0, 10, Label::Quote), span(5, 20, Label::Quote)];
        let result = match_spans(&a, &b, Matching::Overlap);
        assert_eq!(result.counts().matched, 2);
    }

    #[test]
    fn nothing_on_either_side_has_no_f1() {
        assert_eq!(match_spans(&[], &[], Matching::Exact).counts().f1(), None);
    }

    /// The size of a maximum matching, by trying every assignment (small inputs only).
    fn best(a: &[CodedSpan], b: &[CodedSpan], from: usize, used: &mut Vec<bool>) -> usize {
        if from == a.len() {
            return 0;
        }
        let mut result = best(a, b, from + 1, used);
        for j in 0..b.len() {
            let overlaps =
                a[from].label == b[j].label && a[from].start < b[j].end && b[j].start < a[from].end;
            if overlaps && !used[j] {
                used[j] = true;
                result = result.max(1 + best(a, b, from + 1, used));
                used[j] = false;
            }
        }
        result
    }

    fn spans() -> impl Strategy<Value = Vec<CodedSpan>> {
        prop::collection::vec(
            (0usize..30, 1usize..8, 0usize..2).prop_map(|(start, len, label)| {
                span(
                    start,
                    start + len,
                    if label == 0 {
                        Label::Quote
                    } else {
                        Label::Claim
                    },
                )
            }),
            0..7,
        )
    }

    proptest! {
        #[test]
        fn overlap_matching_is_maximum(a in spans(), b in spans()) {
            let result = match_spans(&a, &b, Matching::Overlap);
            prop_assert_eq!(result.pairs.len(), best(&a, &b, 0, &mut vec![false; b.len()]));
            for &(i, j) in &result.pairs {
                prop_assert!(a[i].label == b[j].label && a[i].start < b[j].end && b[j].start < a[i].end);
            }
            let counts = result.counts();
            prop_assert_eq!(counts.matched + counts.only_a, a.len());
            prop_assert_eq!(counts.matched + counts.only_b, b.len());
        }

        #[test]
        fn exact_matching_is_symmetric(a in spans(), b in spans()) {
            let ab = match_spans(&a, &b, Matching::Exact).counts();
            let ba = match_spans(&b, &a, Matching::Exact).counts();
            prop_assert_eq!(ab.matched, ba.matched);
            prop_assert_eq!(ab.only_a, ba.only_b);
        }
    }
}
