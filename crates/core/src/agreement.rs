//! Agreement between annotators who tagged the same articles, computed in the page from the files
//! they exported: span F1 (exact and overlapping), Krippendorff's alpha and Cohen's kappa over
//! code points, Krippendorff's unitizing alpha, and agreement on attributes and relations of
//! matched spans. `make test` checks the numbers against the reference implementations
//! (Python's `krippendorff`, scikit-learn's `cohen_kappa_score`) on generated and hand-made
//! cases (`tests/agreement/`).
//!
//! - [`study`]: pairs the articles of several files by their text.
//! - [`span_match`]: one-to-one span matching and F1.
//! - [`code_points`], [`alpha`]: alpha and kappa with code points as units.
//! - [`unitizing`]: Krippendorff's α_u.
//! - [`report`]: all of it per label, per article and for the corpus.

pub mod adjudication;
pub mod adjudication_record;
pub mod alpha;
pub mod code_points;
pub mod report;
pub mod report_csv;
pub mod span_match;
pub mod study;
pub mod unitizing;

pub use report::{report, Report};
pub use study::{pair_articles, Study};

use crate::model::Label;

/// A labelled span as the measures see it: code point offsets into the article, `start < end`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodedSpan {
    pub start: usize,
    pub end: usize,
    pub label: Label,
}
