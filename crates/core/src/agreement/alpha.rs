//! Krippendorff's alpha (nominal) and Cohen's kappa over weighted units.
//!
//! Agreement over code points has up to a million units per article, but they come in runs where
//! every annotator's value is the same ([`super::code_points`]), so each unit here carries a
//! weight: the number of identical units it stands for. The sums are the textbook ones, kept in
//! integers until the last division so that a run of a million code points adds exactly what a
//! million single units would (the reference implementations, `krippendorff` and scikit-learn,
//! are checked against these in `make test`).

use std::collections::BTreeMap;

/// A value an annotator gave a unit: an index into the study's categories.
pub type Category = u32;

/// Reliability data for Krippendorff's alpha, nominal metric: units with each annotator's value
/// (or none, when that annotator did not see the unit).
#[derive(Clone, Debug, Default)]
pub struct NominalAlpha {
    /// Pair counts `(c, k) -> Σ weight · pairs` per number of values in a unit (`m`), so the
    /// division by `m - 1` happens once per `m` at the end.
    pairs_by_m: BTreeMap<usize, BTreeMap<(Category, Category), u128>>,
}

impl NominalAlpha {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `weight` identical units whose values are `values` (one per annotator; `None` where
    /// the annotator has no value). A unit with fewer than two values is not pairable and adds
    /// nothing, as in Krippendorff's definition.
    pub fn add_unit(&mut self, values: &[Option<Category>], weight: u64) {
        let present: Vec<Category> = values.iter().flatten().copied().collect();
        let m = present.len();
        if m < 2 || weight == 0 {
            return;
        }
        let pairs = self.pairs_by_m.entry(m).or_default();
        for (i, &c) in present.iter().enumerate() {
            for (j, &k) in present.iter().enumerate() {
                if i != j {
                    *pairs.entry((c, k)).or_default() += u128::from(weight);
                }
            }
        }
    }

    /// Adds every unit of `other`.
    pub fn absorb(&mut self, other: &NominalAlpha) {
        for (&m, pairs) in &other.pairs_by_m {
            let mine = self.pairs_by_m.entry(m).or_default();
            for (&key, &count) in pairs {
                *mine.entry(key).or_default() += count;
            }
        }
    }

    /// The coincidence matrix `o[c][k]`: pairable values `c` and `k` met in one unit, each pair
    /// weighted `1 / (m - 1)`.
    fn coincidences(&self) -> BTreeMap<(Category, Category), f64> {
        let mut o: BTreeMap<(Category, Category), f64> = BTreeMap::new();
        for (&m, pairs) in &self.pairs_by_m {
            for (&key, &count) in pairs {
                *o.entry(key).or_default() += count as f64 / (m - 1) as f64;
            }
        }
        o
    }

    /// `1 - (n - 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c · n_k`, or `None` when it is undefined: fewer
    /// than two pairable values, or only one category in all the data (no disagreement was
    /// possible).
    pub fn alpha(&self) -> Option<f64> {
        let o = self.coincidences();
        let mut n_c: BTreeMap<Category, f64> = BTreeMap::new();
        for (&(c, _), &count) in &o {
            *n_c.entry(c).or_default() += count;
        }
        let n: f64 = n_c.values().sum();
        if n <= 1.0 {
            return None;
        }
        let observed: f64 = o
            .iter()
            .filter(|((c, k), _)| c != k)
            .map(|(_, &count)| count)
            .sum();
        let total_squared = n * n;
        let same: f64 = n_c.values().map(|&x| x * x).sum();
        let expected = total_squared - same;
        if expected <= 0.0 {
            return None;
        }
        Some(1.0 - (n - 1.0) * observed / expected)
    }
}

/// Cohen's kappa for two annotators over the same units: a weighted confusion matrix.
#[derive(Clone, Debug, Default)]
pub struct CohenKappa {
    confusion: BTreeMap<(Category, Category), u128>,
}

impl CohenKappa {
    pub fn new() -> Self {
        Self::default()
    }

    /// `weight` units that annotator A gave `a` and annotator B gave `b`.
    pub fn add(&mut self, a: Category, b: Category, weight: u64) {
        if weight > 0 {
            *self.confusion.entry((a, b)).or_default() += u128::from(weight);
        }
    }

    pub fn absorb(&mut self, other: &CohenKappa) {
        for (&key, &count) in &other.confusion {
            *self.confusion.entry(key).or_default() += count;
        }
    }

    /// `1 - N · Σ_{i≠j} C_ij / Σ_{i≠j} row_i · col_j` (scikit-learn's `cohen_kappa_score`), or
    /// `None` when chance disagreement is zero (both used one and the same category throughout).
    pub fn kappa(&self) -> Option<f64> {
        let mut rows: BTreeMap<Category, u128> = BTreeMap::new();
        let mut cols: BTreeMap<Category, u128> = BTreeMap::new();
        let mut total = 0u128;
        let mut disagreeing = 0u128;
        for (&(a, b), &count) in &self.confusion {
            *rows.entry(a).or_default() += count;
            *cols.entry(b).or_default() += count;
            total += count;
            if a != b {
                disagreeing += count;
            }
        }
        if total == 0 {
            return None;
        }
        // Σ_{i≠j} row_i · col_j = N² - Σ_i row_i · col_i, in f64 (only their ratio is used).
        let diagonal: f64 = rows
            .iter()
            .map(|(c, &r)| r as f64 * cols.get(c).copied().unwrap_or(0) as f64)
            .sum();
        let expected = (total as f64) * (total as f64) - diagonal;
        if expected <= 0.0 {
            return None;
        }
        Some(1.0 - total as f64 * disagreeing as f64 / expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the nominal example:
    /// 4 coders, 12 units with missing values; alpha = 0.743.
    #[test]
    fn krippendorffs_nominal_example() {
        let data: [[Option<u32>; 12]; 4] = [
            [
                Some(1),
                Some(2),
                Some(3),
                Some(3),
                Some(2),
                Some(1),
                Some(4),
                Some(1),
                Some(2),
                None,
                None,
                None,
            ],
            [
                Some(1),
                Some(2),
                Some(3),
                Some(3),
                Some(2),
                Some(2),
                Some(4),
                Some(1),
                Some(2),
                Some(5),
                None,
                Some(3),
            ],
            [
                None,
                Some(3),
                Some(3),
                Some(3),
                Some(2),
                Some(3),
                Some(4),
                Some(2),
                Some(2),
                Some(5),
                Some(1),
                None,
            ],
            [
                Some(1),
                Some(2),
                Some(3),
                Some(3),
                Some(2),
                Some(4),
                Some(4),
                Some(1),
                Some(2),
                Some(5),
                Some(1),
                None,
            ],
        ];
        let mut alpha = NominalAlpha::new();
        for unit in 0..12 {
            let values: Vec<Option<u32>> = data.iter().map(|coder| coder[unit]).collect();
            alpha.add_unit(&values, 1);
        }
        let value = alpha.alpha().unwrap();
        assert!((value - 0.743).abs() < 0.0005, "{value}");
    }

    #[test]
    fn a_weight_is_the_same_as_repeating_the_unit() {
        let mut weighted = NominalAlpha::new();
        let mut repeated = NominalAlpha::new();
        let units = [
            (vec![Some(0), Some(1), Some(1)], 7u64),
            (vec![Some(0), Some(0), None], 3),
        ];
        for (values, weight) in &units {
            weighted.add_unit(values, *weight);
            for _ in 0..*weight {
                repeated.add_unit(values, 1);
            }
        }
        assert_eq!(weighted.alpha(), repeated.alpha());
    }

    #[test]
    fn undefined_without_disagreement_possible() {
        let mut alpha = NominalAlpha::new();
        alpha.add_unit(&[Some(2), Some(2)], 10);
        assert_eq!(alpha.alpha(), None);
        let mut kappa = CohenKappa::new();
        kappa.add(1, 1, 5);
        assert_eq!(kappa.kappa(), None);
    }

    /// Krippendorff (1995)'s digitised example A (Bertha and Bill): kappa 0.385, alpha 0.329
    /// (the values DKPro Agreement's tests also use).
    #[test]
    fn bertha_and_bill() {
        let bertha = "001111111100001111110000";
        let bill = "000011110000000110000000";
        let mut kappa = CohenKappa::new();
        let mut alpha = NominalAlpha::new();
        for (a, b) in bertha.bytes().zip(bill.bytes()) {
            let (a, b) = (u32::from(a - b'0'), u32::from(b - b'0'));
            kappa.add(a, b, 1);
            alpha.add_unit(&[Some(a), Some(b)], 1);
        }
        assert!((kappa.kappa().unwrap() - 0.385).abs() < 0.001);
        assert!((alpha.alpha().unwrap() - 0.329).abs() < 0.001);
    }
}
