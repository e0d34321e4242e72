//! The agreement report: every measure, per label and overall, per article and for the corpus.
//! Serialised as is for the JSON export (`format: "article-annotator-agreement"`), and read by
//! `tests/agreement/check_report.py`, which recomputes the numbers with the reference
//! implementations.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::alpha::{Category, CohenKappa, NominalAlpha};
use super::code_points::for_each_run;
use super::span_match::{match_spans, MatchCounts, Matching};
use super::study::{Study, StudyArticle, UnpairedReason};
use super::unitizing::unitizing_alpha;
use super::CodedSpan;
use crate::model::Label;

pub const FORMAT: &str = "article-annotator-agreement";
pub const VERSION: u32 = 1;

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub format: String,
    pub version: u32,
    /// What alpha and kappa count as one unit: `codepoint`.
    pub unit: String,
    pub annotators: Vec<String>,
    /// Every label any annotator used, in the core's label order.
    pub labels: Vec<String>,
    pub corpus: Section,
    pub articles: Vec<ArticleSection>,
    pub unpaired: Vec<UnpairedArticle>,
}

/// One paired article's measures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleSection {
    pub title: String,
    pub text_chars: usize,
    /// The annotators who have it.
    pub annotators: Vec<String>,
    #[serde(flatten)]
    pub section: Section,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnpairedArticle {
    pub annotator: String,
    pub title: String,
    /// `only_one` (no other file has this text) or `repeated` (the file has it twice).
    pub reason: String,
}

/// The measures over some articles.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Krippendorff's alpha, nominal, over code points; a code point's value is the set of
    /// labels covering it.
    pub alpha: Option<f64>,
    /// Per label, each code point valued "covered by this label" or not.
    pub alpha_by_label: BTreeMap<String, Option<f64>>,
    /// Krippendorff's unitizing alpha over the articles every annotator has.
    pub alpha_u: Option<f64>,
    pub alpha_u_by_label: BTreeMap<String, Option<f64>>,
    /// How many articles alpha_u was computed over.
    pub alpha_u_articles: usize,
    /// Each pair of annotators over the articles both have.
    pub pairs: Vec<PairSection>,
}

/// Two annotators compared.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PairSection {
    pub a: String,
    pub b: String,
    /// Articles both have.
    pub articles: usize,
    pub exact: Counts,
    pub exact_by_label: BTreeMap<String, Counts>,
    pub overlap: Counts,
    pub overlap_by_label: BTreeMap<String, Counts>,
    /// Cohen's kappa over code points (values as for `alpha`).
    pub kappa: Option<f64>,
    pub kappa_by_label: BTreeMap<String, Option<f64>>,
    /// Per attribute, over exactly matched spans where either annotator gave a value.
    pub attributes: BTreeMap<String, AttributeAgreement>,
    /// Relations whose kind and both ends (exactly matched spans) agree.
    pub relations: Counts,
    /// Labels of spans paired by overlap whatever their labels; `null` is "no span".
    pub confusion: Vec<ConfusionCell>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub matched: usize,
    pub only_a: usize,
    pub only_b: usize,
    pub f1: Option<f64>,
}

impl From<MatchCounts> for Counts {
    fn from(counts: MatchCounts) -> Self {
        Counts {
            matched: counts.matched,
            only_a: counts.only_a,
            only_b: counts.only_b,
            f1: counts.f1(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AttributeAgreement {
    /// Matched spans where either gave a value.
    pub spans: usize,
    /// Of those, how many have the same value (or both none).
    pub agreed: usize,
    pub kappa: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfusionCell {
    pub a: Option<String>,
    pub b: Option<String>,
    pub count: usize,
}

/// Computes the report of a study.
pub fn report(study: &Study) -> Report {
    let mut categories = Categories::default();
    let labels = study_labels(study);
    let annotators = &study.annotators;
    let mut corpus = SectionTotals::new(annotators.len(), &labels);
    let mut articles = Vec::with_capacity(study.articles.len());
    for article in &study.articles {
        let mut totals = SectionTotals::new(annotators.len(), &labels);
        totals.add_article(article, &labels, &mut categories);
        corpus.absorb(&totals);
        let mut section = totals.finish(annotators, &labels);
        let unitizing = unitizing_section(&[article], &labels);
        section.alpha_u = unitizing.0;
        section.alpha_u_by_label = unitizing.1;
        section.alpha_u_articles = usize::from(unitizing.0.is_some());
        articles.push(ArticleSection {
            title: article.title.clone(),
            text_chars: article.text_chars,
            annotators: article.coders().map(|i| annotators[i].clone()).collect(),
            section,
        });
    }
    let mut section = corpus.finish(annotators, &labels);
    let complete: Vec<&StudyArticle> = study
        .articles
        .iter()
        .filter(|a| a.coders().count() == annotators.len())
        .collect();
    let unitizing = unitizing_section(&complete, &labels);
    section.alpha_u = unitizing.0;
    section.alpha_u_by_label = unitizing.1;
    section.alpha_u_articles = if unitizing.0.is_some() {
        complete.len()
    } else {
        0
    };
    Report {
        format: FORMAT.to_owned(),
        version: VERSION,
        unit: "codepoint".to_owned(),
        annotators: annotators.clone(),
        labels: labels.iter().map(|l| l.as_str().to_owned()).collect(),
        corpus: section,
        articles,
        unpaired: study
            .unpaired
            .iter()
            .map(|u| UnpairedArticle {
                annotator: u.annotator.clone(),
                title: u.title.clone(),
                reason: match u.reason {
                    UnpairedReason::OnlyOne => "only_one",
                    UnpairedReason::Repeated => "repeated",
                }
                .to_owned(),
            })
            .collect(),
    }
}

fn study_labels(study: &Study) -> Vec<Label> {
    let mut labels: Vec<Label> = study
        .articles
        .iter()
        .flat_map(|a| a.codings.iter().flatten())
        .flat_map(|c| c.spans.iter().map(|s| s.label.clone()))
        .collect();
    labels.sort();
    labels.dedup();
    labels
}

/// α_u over `articles` laid end to end as one continuum (each annotator of the first article
/// must have every one of them).
fn unitizing_section(
    articles: &[&StudyArticle],
    labels: &[Label],
) -> (Option<f64>, BTreeMap<String, Option<f64>>) {
    let Some(first) = articles.first() else {
        return (None, BTreeMap::new());
    };
    let coders: Vec<usize> = first.coders().collect();
    let mut continua: Vec<Vec<CodedSpan>> = vec![Vec::new(); coders.len()];
    let mut length = 0;
    for article in articles {
        for (slot, &who) in coders.iter().enumerate() {
            let coding = article.codings[who].as_ref();
            continua[slot].extend(
                coding
                    .into_iter()
                    .flat_map(|c| &c.spans)
                    .map(|s| CodedSpan {
                        start: s.start + length,
                        end: s.end + length,
                        label: s.label.clone(),
                    }),
            );
        }
        length += article.text_chars;
    }
    let refs: Vec<&[CodedSpan]> = continua.iter().map(Vec::as_slice).collect();
    let Some(result) = unitizing_alpha(length, &refs) else {
        return (None, BTreeMap::new());
    };
    let by_label = labels
        .iter()
        .map(|label| {
            let value = result.by_label.get(label).and_then(|d| d.alpha());
            (label.as_str().to_owned(), value)
        })
        .collect();
    (result.alpha(), by_label)
}

/// Numbers for the values alpha and kappa compare: sets of labels, and attribute values.
#[derive(Default)]
struct Categories {
    label_sets: BTreeMap<Vec<Label>, Category>,
    attribute_values: BTreeMap<Option<String>, Category>,
}

impl Categories {
    fn label_set(&mut self, labels: &[Label]) -> Category {
        let next = self.label_sets.len() as Category;
        *self.label_sets.entry(labels.to_vec()).or_insert(next)
    }

    fn attribute_value(&mut self, value: Option<&str>) -> Category {
        let next = self.attribute_values.len() as Category;
        *self
            .attribute_values
            .entry(value.map(str::to_owned))
            .or_insert(next)
    }
}

/// The sums a section's measures are computed from, so the corpus is the sum of its articles.
#[derive(Clone)]
struct SectionTotals {
    alpha: NominalAlpha,
    alpha_by_label: Vec<NominalAlpha>,
    /// Indexed like `pair_indices`.
    pairs: Vec<PairTotals>,
}

#[derive(Clone, Default)]
struct PairTotals {
    articles: usize,
    exact: MatchCounts,
    exact_by_label: Vec<MatchCounts>,
    overlap: MatchCounts,
    overlap_by_label: Vec<MatchCounts>,
    kappa: CohenKappa,
    kappa_by_label: Vec<CohenKappa>,
    attributes: BTreeMap<String, (usize, usize, CohenKappa)>,
    relations: MatchCounts,
    confusion: BTreeMap<(Option<Label>, Option<Label>), usize>,
}

fn pair_indices(annotators: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..annotators).flat_map(move |a| (a + 1..annotators).map(move |b| (a, b)))
}

impl SectionTotals {
    fn new(annotators: usize, labels: &[Label]) -> Self {
        let pair = PairTotals {
            exact_by_label: vec![MatchCounts::default(); labels.len()],
            overlap_by_label: vec![MatchCounts::default(); labels.len()],
            kappa_by_label: vec![CohenKappa::new(); labels.len()],
            ..PairTotals::default()
        };
        SectionTotals {
            alpha: NominalAlpha::new(),
            alpha_by_label: vec![NominalAlpha::new(); labels.len()],
            pairs: vec![pair; pair_indices(annotators).count()],
        }
    }

    fn add_article(
        &mut self,
        article: &StudyArticle,
        labels: &[Label],
        categories: &mut Categories,
    ) {
        let codings: Vec<Option<&[CodedSpan]>> = article
            .codings
            .iter()
            .map(|c| c.as_ref().map(|c| c.spans.as_slice()))
            .collect();
        let pairs: Vec<(usize, usize)> = pair_indices(codings.len()).collect();
        for_each_run(article.text_chars, &codings, |len, values| {
            let len = len as u64;
            let sets: Vec<Option<Category>> = values
                .iter()
                .map(|v| v.as_deref().map(|set| categories.label_set(set)))
                .collect();
            self.alpha.add_unit(&sets, len);
            let by_label: Vec<Vec<Option<Category>>> = labels
                .iter()
                .map(|label| {
                    values
                        .iter()
                        .map(|v| v.as_ref().map(|set| u32::from(set.contains(label))))
                        .collect()
                })
                .collect();
            for (alpha, label_values) in self.alpha_by_label.iter_mut().zip(&by_label) {
                alpha.add_unit(label_values, len);
            }
            for (totals, &(a, b)) in self.pairs.iter_mut().zip(&pairs) {
                if let (Some(x), Some(y)) = (sets[a], sets[b]) {
                    totals.kappa.add(x, y, len);
                    for (kappa, label_values) in totals.kappa_by_label.iter_mut().zip(&by_label) {
                        if let (Some(x), Some(y)) = (label_values[a], label_values[b]) {
                            kappa.add(x, y, len);
                        }
                    }
                }
            }
        });
        for (totals, &(a, b)) in self.pairs.iter_mut().zip(&pairs) {
            if let (Some(first), Some(second)) = (&article.codings[a], &article.codings[b]) {
                totals.add_pair(first, second, labels, categories);
            }
        }
    }

    fn absorb(&mut self, other: &SectionTotals) {
        self.alpha.absorb(&other.alpha);
        for (mine, theirs) in self.alpha_by_label.iter_mut().zip(&other.alpha_by_label) {
            mine.absorb(theirs);
        }
        for (mine, theirs) in self.pairs.iter_mut().zip(&other.pairs) {
            mine.absorb(theirs);
        }
    }

    fn finish(&self, annotators: &[String], labels: &[Label]) -> Section {
        let names = |values: Vec<Option<f64>>| -> BTreeMap<String, Option<f64>> {
            labels
                .iter()
                .map(|l| l.as_str().to_owned())
                .zip(values)
                .collect()
        };
        Section {
            alpha: self.alpha.alpha(),
            alpha_by_label: names(
                self.alpha_by_label
                    .iter()
                    .map(NominalAlpha::alpha)
                    .collect(),
            ),
            alpha_u: None,
            alpha_u_by_label: BTreeMap::new(),
            alpha_u_articles: 0,
            pairs: pair_indices(annotators.len())
                .zip(&self.pairs)
                .filter(|(_, totals)| totals.articles > 0)
                .map(|((a, b), totals)| totals.finish(&annotators[a], &annotators[b], labels))
                .collect(),
        }
    }
}

impl PairTotals {
    fn add_pair(
        &mut self,
        first: &super::study::Coding,
        second: &super::study::Coding,
        labels: &[Label],
        categories: &mut Categories,
    ) {
        self.articles += 1;
        let (a, b) = (&first.spans, &second.spans);
        let exact = match_spans(a, b, Matching::Exact);
        let overlap = match_spans(a, b, Matching::Overlap);
        self.exact.add(exact.counts());
        self.overlap.add(overlap.counts());
        for (i, label) in labels.iter().enumerate() {
            self.exact_by_label[i].add(exact.counts_of(label, a, b));
            self.overlap_by_label[i].add(overlap.counts_of(label, a, b));
        }

        // Attributes of exactly matched spans.
        for &(i, j) in &exact.pairs {
            let (mine, theirs) = (&first.attributes[i], &second.attributes[j]);
            let mut names: Vec<&str> = mine.names().chain(theirs.names()).collect();
            names.sort_unstable();
            names.dedup();
            for name in names {
                let (x, y) = (mine.get(name), theirs.get(name));
                let entry = self.attributes.entry(name.to_owned()).or_default();
                entry.0 += 1;
                entry.1 += usize::from(x == y);
                let (x, y) = (categories.attribute_value(x), categories.attribute_value(y));
                entry.2.add(x, y, 1);
            }
        }

        // Relations: the same kind between spans that match exactly.
        let to_b: BTreeMap<usize, usize> = exact.pairs.iter().copied().collect();
        let theirs: std::collections::BTreeSet<(&str, usize, usize)> = second
            .relations
            .iter()
            .map(|(kind, from, to)| (kind.as_str(), *from, *to))
            .collect();
        let matched = first
            .relations
            .iter()
            .filter(|(kind, from, to)| match (to_b.get(from), to_b.get(to)) {
                (Some(&from), Some(&to)) => theirs.contains(&(kind.as_str(), from, to)),
                _ => false,
            })
            .count();
        self.relations.add(MatchCounts {
            matched,
            only_a: first.relations.len() - matched,
            only_b: theirs.len() - matched,
        });

        // Confusion: pair overlapping spans whatever their labels.
        let unlabelled = |spans: &[CodedSpan]| -> Vec<CodedSpan> {
            spans
                .iter()
                .map(|s| CodedSpan {
                    label: Label::Quote,
                    ..s.clone()
                })
                .collect()
        };
        let any = match_spans(&unlabelled(a), &unlabelled(b), Matching::Overlap);
        for &(i, j) in &any.pairs {
            *self
                .confusion
                .entry((Some(a[i].label.clone()), Some(b[j].label.clone())))
                .or_default() += 1;
        }
        for &i in &any.only_a {
            *self
                .confusion
                .entry((Some(a[i].label.clone()), None))
                .or_default() += 1;
        }
        for &j in &any.only_b {
            *self
                .confusion
                .entry((None, Some(b[j].label.clone())))
                .or_default() += 1;
        }
    }

    fn absorb(&mut self, other: &PairTotals) {
        self.articles += other.articles;
        self.exact.add(other.exact);
        self.overlap.add(other.overlap);
        for (mine, theirs) in self.exact_by_label.iter_mut().zip(&other.exact_by_label) {
            mine.add(*theirs);
        }
        for (mine, theirs) in self
            .overlap_by_label
            .iter_mut()
            .zip(&other.overlap_by_label)
        {
            mine.add(*theirs);
        }
        self.kappa.absorb(&other.kappa);
        for (mine, theirs) in self.kappa_by_label.iter_mut().zip(&other.kappa_by_label) {
            mine.absorb(theirs);
        }
        for (name, (spans, agreed, kappa)) in &other.attributes {
            let entry = self.attributes.entry(name.clone()).or_default();
            entry.0 += spans;
            entry.1 += agreed;
            entry.2.absorb(kappa);
        }
        self.relations.add(other.relations);
        for (key, count) in &other.confusion {
            *self.confusion.entry(key.clone()).or_default() += count;
        }
    }

    fn finish(&self, a: &str, b: &str, labels: &[Label]) -> PairSection {
        let by_label = |counts: &[MatchCounts]| -> BTreeMap<String, Counts> {
            labels
                .iter()
                .zip(counts)
                .map(|(l, c)| (l.as_str().to_owned(), Counts::from(*c)))
                .collect()
        };
        let name = |label: &Option<Label>| label.as_ref().map(|l| l.as_str().to_owned());
        PairSection {
            a: a.to_owned(),
            b: b.to_owned(),
            articles: self.articles,
            exact: self.exact.into(),
            exact_by_label: by_label(&self.exact_by_label),
            overlap: self.overlap.into(),
            overlap_by_label: by_label(&self.overlap_by_label),
            kappa: self.kappa.kappa(),
            kappa_by_label: labels
                .iter()
                .zip(&self.kappa_by_label)
                .map(|(l, k)| (l.as_str().to_owned(), k.kappa()))
                .collect(),
            attributes: self
                .attributes
                .iter()
                .map(|(name, (spans, agreed, kappa))| {
                    let agreement = AttributeAgreement {
                        spans: *spans,
                        agreed: *agreed,
                        kappa: kappa.kappa(),
                    };
                    (name.clone(), agreement)
                })
                .collect(),
            relations: self.relations.into(),
            confusion: self
                .confusion
                .iter()
                .map(|((x, y), &count)| ConfusionCell {
                    a: name(x),
                    b: name(y),
                    count,
                })
                .collect(),
        }
    }
}
