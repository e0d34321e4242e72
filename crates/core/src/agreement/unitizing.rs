//! Krippendorff's unitizing alpha (α_u; Krippendorff 1995, "On the reliability of unitizing
//! continuous data", and Content Analysis, 2nd ed. 2004, pp. 251–256): agreement on where units
//! begin and end, not only on what each code point is. Two units of the same label that overlap
//! disagree by the squares of their boundary differences; a unit that lies inside the other
//! annotator's gap disagrees by its length squared; the expected disagreement is that of all
//! possible placements of the same units and gaps in the continuum.
//!
//! The continuum is the article's code points. One annotator's overlapping units of one label
//! (nested quotes) are joined into one, since α_u is defined for units that do not overlap.
//! Sums are exact (integers) until the final division.

use std::collections::BTreeMap;

use super::CodedSpan;
use crate::model::Label;

/// The disagreements of one label, kept as exact numerators so labels and articles can be added.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LabelDisagreement {
    /// D_o: observed disagreement.
    pub observed: f64,
    /// D_e: expected disagreement.
    pub expected: f64,
}

impl LabelDisagreement {
    /// `1 - D_o / D_e`, or `None` when nothing could be expected to disagree (no unit at all).
    pub fn alpha(self) -> Option<f64> {
        (self.expected > 0.0).then(|| 1.0 - self.observed / self.expected)
    }
}

/// α_u of each label and over all labels.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Unitizing {
    pub by_label: BTreeMap<Label, LabelDisagreement>,
}

impl Unitizing {
    /// Over all labels: `1 - Σ D_o / Σ D_e` (Krippendorff 2004, p. 256).
    pub fn alpha(&self) -> Option<f64> {
        let observed: f64 = self.by_label.values().map(|d| d.observed).sum();
        let expected: f64 = self.by_label.values().map(|d| d.expected).sum();
        (expected > 0.0).then(|| 1.0 - observed / expected)
    }
}

/// A stretch of one annotator's continuum for one label: a unit or the gap between units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    start: u64,
    len: u64,
    is_unit: bool,
}

impl Segment {
    fn end(self) -> u64 {
        self.start + self.len
    }
}

/// α_u over a continuum of `length` code points coded by every one of `coders` (at least two).
/// Returns `None` for fewer than two annotators or an empty continuum.
pub fn unitizing_alpha(length: usize, coders: &[&[CodedSpan]]) -> Option<Unitizing> {
    if coders.len() < 2 || length == 0 {
        return None;
    }
    let mut labels: Vec<&Label> = coders
        .iter()
        .flat_map(|spans| spans.iter().map(|s| &s.label))
        .collect();
    labels.sort();
    labels.dedup();
    let mut by_label = BTreeMap::new();
    for label in labels {
        let continua: Vec<Vec<Segment>> = coders
            .iter()
            .map(|spans| segments(length as u64, spans, label))
            .collect();
        by_label.insert(label.clone(), disagreement(length as u64, &continua));
    }
    Some(Unitizing { by_label })
}

/// One annotator's continuum for `label`: its units (overlapping ones joined) and the gaps
/// between them, covering `0..length` in order.
fn segments(length: u64, spans: &[CodedSpan], label: &Label) -> Vec<Segment> {
    let mut units: Vec<(u64, u64)> = spans
        .iter()
        .filter(|s| &s.label == label)
        .map(|s| (s.start as u64, (s.end as u64).min(length)))
        .filter(|(start, end)| start < end)
        .collect();
    units.sort_unstable();
    let mut joined: Vec<(u64, u64)> = Vec::with_capacity(units.len());
    for (start, end) in units {
        match joined.last_mut() {
            Some(last) if start < last.1 => last.1 = last.1.max(end),
            _ => joined.push((start, end)),
        }
    }
    let mut out = Vec::with_capacity(joined.len() * 2 + 1);
    let mut at = 0;
    for (start, end) in joined {
        if start > at {
            out.push(Segment {
                start: at,
                len: start - at,
                is_unit: false,
            });
        }
        out.push(Segment {
            start,
            len: end - start,
            is_unit: true,
        });
        at = end;
    }
    if at < length {
        out.push(Segment {
            start: at,
            len: length - at,
            is_unit: false,
        });
    }
    out
}

/// δ² between two segments of different annotators that share at least one code point.
fn distance_squared(g: Segment, h: Segment) -> u128 {
    let square = |x: i128| (x * x) as u128;
    match (g.is_unit, h.is_unit) {
        (true, true) => {
            square(i128::from(g.start) - i128::from(h.start))
                + square(i128::from(g.end()) - i128::from(h.end()))
        }
        (true, false) if h.start <= g.start && g.end() <= h.end() => u128::from(g.len).pow(2),
        (false, true) if g.start <= h.start && h.end() <= g.end() => u128::from(h.len).pow(2),
        _ => 0,
    }
}

fn disagreement(length: u64, continua: &[Vec<Segment>]) -> LabelDisagreement {
    let coders = continua.len() as u128;
    let l = u128::from(length);

    // Observed: every pair of annotators, every pair of their segments that overlap.
    let mut observed_sum = 0u128;
    for (i, first) in continua.iter().enumerate() {
        for second in &continua[i + 1..] {
            let (mut a, mut b) = (0, 0);
            while a < first.len() && b < second.len() {
                observed_sum += distance_squared(first[a], second[b]);
                let (end_a, end_b) = (first[a].end(), second[b].end());
                if end_a <= end_b {
                    a += 1;
                }
                if end_b <= end_a {
                    b += 1;
                }
            }
        }
    }
    // Σ over ordered pairs (i ≠ j) is twice the unordered sum.
    let observed = (2 * observed_sum) as f64 / (coders * (coders - 1) * l * l) as f64;

    // Expected: each unit against every placement among units and gaps of all annotators.
    let units: Vec<u128> = continua
        .iter()
        .flatten()
        .filter(|s| s.is_unit)
        .map(|s| u128::from(s.len))
        .collect();
    let mut gaps: Vec<u128> = continua
        .iter()
        .flatten()
        .filter(|s| !s.is_unit)
        .map(|s| u128::from(s.len))
        .collect();
    gaps.sort_unstable();
    // suffix[i] = Σ gaps[i..], so Σ_{g ≥ x} (g - x + 1) = suffix[i] - (count)(x - 1).
    let mut suffix = vec![0u128; gaps.len() + 1];
    for i in (0..gaps.len()).rev() {
        suffix[i] = suffix[i + 1] + gaps[i];
    }
    let n_units = units.len() as u128;
    let mut expected_sum = 0u128;
    let mut squared_lengths = 0u128;
    for &len in &units {
        // (N - 1)(2l³ - 3l² + l) / 3: l(l - 1)(2l - 1) is six times a sum of squares, so the
        // division is exact.
        expected_sum += (n_units - 1) * (len * (len - 1) * (2 * len - 1) / 3);
        let first_fitting = gaps.partition_point(|&g| g < len);
        let fitting = (gaps.len() - first_fitting) as u128;
        expected_sum += len * len * (suffix[first_fitting] - fitting * (len - 1));
        squared_lengths += len * (len - 1);
    }
    let denominator = coders * l * (coders * l - 1) - squared_lengths;
    let expected = if denominator == 0 {
        0.0
    } else {
        (2 * expected_sum) as f64 / (l as f64 * denominator as f64)
    };
    LabelDisagreement { observed, expected }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(start: usize, len: usize, label: &str) -> CodedSpan {
        CodedSpan {
            start,
            end: start + len,
            label: Label::parse_any(label).unwrap(),
        }
    }

    fn label(name: &str) -> Label {
        Label::parse_any(name).unwrap()
    }

    /// Krippendorff (2004), p. 254: two observers, a continuum of 300 from 150 (shifted to 0
    /// here). D_o(c) = 0.0144, D_e(c) = 0.0532, α(c) = 0.7286, α(k) = 1, α_u = 0.8591 (as the
    /// book prints them and as DKPro Agreement's tests check them).
    #[test]
    fn krippendorff_2004_example() {
        let i = [
            unit(225 - 150, 70, "c"),
            unit(370 - 150, 30, "c"),
            unit(180 - 150, 60, "k"),
            unit(300 - 150, 50, "k"),
        ];
        let j = [
            unit(220 - 150, 80, "c"),
            unit(355 - 150, 20, "c"),
            unit(400 - 150, 20, "c"),
            unit(180 - 150, 60, "k"),
            unit(300 - 150, 50, "k"),
        ];
        let result = unitizing_alpha(300, &[&i, &j]).unwrap();
        let c = result.by_label[&label("c")];
        assert!((c.observed - 0.0144).abs() < 0.0001, "{c:?}");
        assert!((c.expected - 0.0532).abs() < 0.0001, "{c:?}");
        assert!((c.alpha().unwrap() - 0.7286).abs() < 0.0001, "{c:?}");
        let k = result.by_label[&label("k")];
        assert_eq!(k.observed, 0.0);
        assert!((k.expected - 0.0490).abs() < 0.0001, "{k:?}");
        assert!((result.alpha().unwrap() - 0.8591).abs() < 0.0005);
    }

    /// Krippendorff (1995), p. 57, pairs A–D of a 24-unit continuum: the observed disagreements
    /// 0.03125, 2.26736, 0.02777 and 0.38715.
    #[test]
    fn krippendorff_1995_observed() {
        let a = [(
            vec![unit(2, 8, "A"), unit(14, 6, "A")],
            vec![unit(4, 4, "A"), unit(15, 2, "A")],
        )];
        let result = unitizing_alpha(24, &[&a[0].0, &a[0].1]).unwrap();
        assert!((result.by_label[&label("A")].observed - 0.03125).abs() < 0.00001);

        let bertha_b = [unit(0, 18, "B")];
        let bill_b: Vec<CodedSpan> = [(0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)]
            .iter()
            .map(|&(s, l)| unit(s, l, "B"))
            .collect();
        // Jill's adjacent units stay separate units: they touch but do not overlap.
        let result = unitizing_alpha(24, &[&bertha_b, &bill_b]).unwrap();
        assert!((result.by_label[&label("B")].observed - 2.26736).abs() < 0.00001);

        let gerret = [
            unit(2, 6, "C"),
            unit(10, 2, "C"),
            unit(14, 4, "C"),
            unit(20, 2, "C"),
        ];
        let gill = [
            unit(0, 2, "C"),
            unit(4, 4, "C"),
            unit(10, 4, "C"),
            unit(16, 2, "C"),
            unit(20, 2, "C"),
        ];
        let result = unitizing_alpha(24, &[&gerret, &gill]).unwrap();
        assert!((result.by_label[&label("C")].observed - 0.02777).abs() < 0.00001);

        let heather = [
            unit(0, 2, "D"),
            unit(2, 8, "D"),
            unit(10, 4, "D"),
            unit(14, 6, "D"),
            unit(20, 4, "D"),
        ];
        let hill = [
            unit(0, 4, "D"),
            unit(4, 4, "D"),
            unit(8, 7, "D"),
            unit(15, 2, "D"),
            unit(17, 7, "D"),
        ];
        let result = unitizing_alpha(24, &[&heather, &hill]).unwrap();
        assert!((result.by_label[&label("D")].observed - 0.38715).abs() < 0.00001);
    }

    /// The same example stretched 50,000 times (DKPro's check of the expected disagreements,
    /// where the book's own figure has a known slip): α(A) = 0.553, α(C) = 0.679.
    #[test]
    fn krippendorff_1995_stretched() {
        let s = 50_000;
        let a1 = [unit(2 * s, 8 * s, "A"), unit(14 * s, 6 * s, "A")];
        let a2 = [unit(4 * s, 4 * s, "A"), unit(15 * s, 2 * s, "A")];
        let result = unitizing_alpha(24 * s, &[&a1, &a2]).unwrap();
        let a = result.by_label[&label("A")];
        assert!((a.expected - 0.06990).abs() < 0.005);
        assert!((a.alpha().unwrap() - 0.553).abs() < 0.02);
    }

    #[test]
    fn identical_codings_agree_perfectly() {
        let spans = [unit(3, 4, "quote"), unit(10, 2, "entity")];
        let result = unitizing_alpha(20, &[&spans, &spans, &spans]).unwrap();
        assert_eq!(result.alpha(), Some(1.0));
    }

    #[test]
    fn nothing_to_agree_on_is_undefined() {
        let none: [CodedSpan; 0] = [];
        let result = unitizing_alpha(20, &[&none, &none]).unwrap();
        assert_eq!(result.alpha(), None);
        assert!(unitizing_alpha(0, &[&none, &none]).is_none());
        assert!(unitizing_alpha(20, &[&none]).is_none());
    }
}
