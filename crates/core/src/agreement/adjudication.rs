//! Adjudicating two annotators' work on one article into a gold article.
//!
//! Their spans are lined up one to one ([`differences`]): spans both tagged alike, spans paired
//! by overlap whose label or boundaries differ, and spans only one of them has. The adjudicator
//! decides each ([`Decision`]); [`gold`] builds the gold article from the decisions. Every gold
//! annotation keeps its provenance as two attribute values, so every export carries it:
//! `annotators` (who tagged exactly that span with that label, comma-separated) and
//! `adjudicator`; and as its authors: made by the annotator it was taken from (or by the
//! adjudicator, for a span of their own making), last changed by the adjudicator. Relations come
//! along where one annotator linked two spans that both made it
//! into the gold article.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::span_match::{match_spans, Matching};
use super::study::Coding;
use super::CodedSpan;
use crate::model::{
    Annotation, AnnotationId, AnnotatorName, ArticleText, Authors, CharRange, Document, DocumentId,
    Label, Relation, Timestamp,
};

/// The attribute naming who had a gold annotation's span and label.
pub const ANNOTATORS_ATTRIBUTE: &str = "annotators";
/// The attribute naming who adjudicated it.
pub const ADJUDICATOR_ATTRIBUTE: &str = "adjudicator";

/// How two annotators' spans at one place compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// Same start, end and label.
    Same,
    /// Same start and end, other labels.
    OtherLabel,
    /// Same label, overlapping with other boundaries.
    OtherBoundaries,
    /// Overlapping, with other labels and boundaries.
    OtherLabelAndBoundaries,
    OnlyA,
    OnlyB,
}

impl Kind {
    /// Whether the annotators disagree here.
    pub fn is_disagreement(self) -> bool {
        self != Kind::Same
    }

    /// How the view names it.
    pub fn describe(self, a: &str, b: &str) -> String {
        match self {
            Kind::Same => "both tagged it alike".to_owned(),
            Kind::OtherLabel => "other labels".to_owned(),
            Kind::OtherBoundaries => "other boundaries".to_owned(),
            Kind::OtherLabelAndBoundaries => "other labels and boundaries".to_owned(),
            Kind::OnlyA => format!("only {a}"),
            Kind::OnlyB => format!("only {b}"),
        }
    }
}

/// One place where the two annotators' spans are compared: indices into their spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    pub a: Option<usize>,
    pub b: Option<usize>,
    pub kind: Kind,
}

impl Difference {
    /// Where it starts in the text (for ordering and display).
    pub fn start(&self, a: &[CodedSpan], b: &[CodedSpan]) -> usize {
        let x = self.a.map(|i| a[i].start);
        let y = self.b.map(|j| b[j].start);
        x.into_iter().chain(y).min().unwrap_or(0)
    }
}

/// What the adjudicator decided for one [`Difference`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    /// A's span goes into the gold article.
    A,
    /// B's span does.
    B,
    /// Both do (two annotations when they differ).
    Both,
    /// Neither does.
    Reject,
    /// A span of the adjudicator's making: boundaries and label chosen from what they saw.
    Edit {
        start: usize,
        end: usize,
        label: String,
    },
}

/// The two annotators' spans lined up, in text order: exact matches first, then the most pairs
/// of overlapping spans whatever their labels, then what is left on either side.
pub fn differences(a: &[CodedSpan], b: &[CodedSpan]) -> Vec<Difference> {
    let exact = match_spans(a, b, Matching::Exact);
    let mut out: Vec<Difference> = exact
        .pairs
        .iter()
        .map(|&(i, j)| Difference {
            a: Some(i),
            b: Some(j),
            kind: Kind::Same,
        })
        .collect();
    // Overlap whatever the label, among the spans not matched exactly.
    let unlabelled = |spans: &[CodedSpan], keep: &[usize]| -> Vec<CodedSpan> {
        keep.iter()
            .map(|&i| CodedSpan {
                label: Label::Quote,
                ..spans[i].clone()
            })
            .collect()
    };
    let rest_a = unlabelled(a, &exact.only_a);
    let rest_b = unlabelled(b, &exact.only_b);
    let overlap = match_spans(&rest_a, &rest_b, Matching::Overlap);
    for &(x, y) in &overlap.pairs {
        let (i, j) = (exact.only_a[x], exact.only_b[y]);
        let same_label = a[i].label == b[j].label;
        let same_bounds = a[i].start == b[j].start && a[i].end == b[j].end;
        let kind = match (same_label, same_bounds) {
            (true, _) => Kind::OtherBoundaries,
            (false, true) => Kind::OtherLabel,
            (false, false) => Kind::OtherLabelAndBoundaries,
        };
        out.push(Difference {
            a: Some(i),
            b: Some(j),
            kind,
        });
    }
    out.extend(overlap.only_a.iter().map(|&x| Difference {
        a: Some(exact.only_a[x]),
        b: None,
        kind: Kind::OnlyA,
    }));
    out.extend(overlap.only_b.iter().map(|&y| Difference {
        a: None,
        b: Some(exact.only_b[y]),
        kind: Kind::OnlyB,
    }));
    out.sort_by_key(|d| (d.start(a, b), d.a, d.b));
    out
}

/// What [`gold`] needs to know about the article and the two annotators.
pub struct GoldSource<'a> {
    pub title: &'a str,
    pub text: &'a str,
    pub names: [&'a str; 2],
    pub codings: [&'a Coding; 2],
    pub adjudicator: &'a str,
}

/// The gold article: every decided difference's spans, with their provenance. Undecided ones
/// are left out.
///
/// # Errors
/// A message when a decision names a span the text cannot hold (an edited range outside it, or
/// a label that is no label).
pub fn gold(
    source: &GoldSource<'_>,
    differences: &[Difference],
    decisions: &BTreeMap<usize, Decision>,
    now: Timestamp,
) -> Result<Document, String> {
    let [a, b] = source.codings;
    // Each gold span: (range, label) -> the source spans it came from, as (annotator, index).
    let mut spans: BTreeMap<(usize, usize, Label), BTreeSet<(usize, usize)>> = BTreeMap::new();
    let mut take = |who: usize, index: usize| {
        let span = &source.codings[who].spans[index];
        spans
            .entry((span.start, span.end, span.label.clone()))
            .or_default()
            .insert((who, index));
    };
    let mut edited: Vec<(usize, usize, Label)> = Vec::new();
    for (at, difference) in differences.iter().enumerate() {
        match decisions.get(&at) {
            None | Some(Decision::Reject) => {}
            Some(Decision::A) => difference.a.into_iter().for_each(|i| take(0, i)),
            Some(Decision::B) => difference.b.into_iter().for_each(|j| take(1, j)),
            Some(Decision::Both) => {
                difference.a.into_iter().for_each(|i| take(0, i));
                difference.b.into_iter().for_each(|j| take(1, j));
            }
            Some(Decision::Edit { start, end, label }) => {
                let label = Label::parse_any(label).map_err(|e| e.to_string())?;
                edited.push((*start, *end, label));
            }
        }
    }
    for (start, end, label) in edited {
        spans.entry((start, end, label)).or_default();
    }

    let text = ArticleText::normalize(source.text);
    let mut document = Document::new(
        DocumentId::new(&format!(
            "gold-{:016x}",
            crate::model::hash::fnv1a64(source.text.bytes())
        )),
        format!("{} (gold)", source.title),
        text,
        now,
    );
    let adjudicator = AnnotatorName::parse(source.adjudicator).ok();
    // Which gold annotation each source span became, for the relations.
    let mut became: BTreeMap<(usize, usize), AnnotationId> = BTreeMap::new();
    for (number, ((start, end, label), sources)) in spans.into_iter().enumerate() {
        let range = CharRange::from_raw(start, end).map_err(|e| e.to_string())?;
        let id = AnnotationId::numbered(number as u64 + 1);
        // Who had exactly this span and label, whether or not their span was the one taken.
        let had: Vec<&str> = (0..2)
            .filter(|&who| {
                source.codings[who]
                    .spans
                    .iter()
                    .any(|s| s.start == start && s.end == end && s.label == label)
            })
            .map(|who| source.names[who])
            .collect();
        let mut annotation = Annotation::new(id.clone(), label, range);
        // The attribute values of the first source span taken (A's before B's).
        if let Some(&(who, index)) = sources.iter().next() {
            annotation.attributes = source.codings[who].attributes[index].clone();
        }
        // Made by the annotator it was taken from (the adjudicator, for a span of their own
        // making), last changed by the adjudicator, who decided it. A name that cannot be an
        // annotator's (a file name with a comma) is left out; `annotators` still says it.
        let maker = sources
            .iter()
            .next()
            .and_then(|&(who, _)| AnnotatorName::parse(source.names[who]).ok());
        annotation.authors = Authors {
            made_by: maker.or_else(|| adjudicator.clone()),
            changed_by: adjudicator.clone(),
        };
        for &(who, index) in &sources {
            became.insert((who, index), id.clone());
        }
        document
            .insert(annotation, now)
            .map_err(|e| format!("{e} ({start}..{end})"))?;
        if !had.is_empty() {
            document
                .set_attribute(&id, ANNOTATORS_ATTRIBUTE, Some(&had.join(", ")), now)
                .map_err(|e| e.to_string())?;
        }
        if !source.adjudicator.trim().is_empty() {
            document
                .set_attribute(
                    &id,
                    ADJUDICATOR_ATTRIBUTE,
                    Some(source.adjudicator.trim()),
                    now,
                )
                .map_err(|e| e.to_string())?;
        }
    }
    for (who, coding) in [a, b].into_iter().enumerate() {
        for (kind, from, to) in &coding.relations {
            if let (Some(from), Some(to)) = (became.get(&(who, *from)), became.get(&(who, *to))) {
                let relation = Relation::new(kind.clone(), from.clone(), to.clone());
                if !document.relations().contains(&relation) && from != to {
                    document.link(relation, now).map_err(|e| e.to_string())?;
                }
            }
        }
    }
    Ok(document)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attributes, RelationKind};
    use proptest::prelude::*;

    fn spans() -> impl Strategy<Value = Vec<CodedSpan>> {
        prop::collection::vec(
            (0usize..60, 1usize..10, 0usize..3).prop_map(|(start, len, label)| {
                let label = [Label::Quote, Label::Entity, Label::Claim][label].clone();
                span(start, start + len, label)
            }),
            0..8,
        )
    }

    proptest! {
        /// Every span of either annotator is in exactly one difference, and taking A's side of
        /// everything gives exactly A's spans.
        #[test]
        fn differences_cover_each_span_once(a in spans(), b in spans()) {
            let found = differences(&a, &b);
            let mut seen_a: Vec<usize> = found.iter().filter_map(|d| d.a).collect();
            let mut seen_b: Vec<usize> = found.iter().filter_map(|d| d.b).collect();
            seen_a.sort_unstable();
            seen_b.sort_unstable();
            prop_assert_eq!(seen_a, (0..a.len()).collect::<Vec<_>>());
            prop_assert_eq!(seen_b, (0..b.len()).collect::<Vec<_>>());
            let text: String = "x".repeat(80);
            let (ca, cb) = (coding(a.clone()), coding(b.clone()));
            let source = GoldSource { title: "t", text: &text, names: ["a", "b"], codings: [&ca, &cb], adjudicator: "z" };
            let all_a: BTreeMap<usize, Decision> = (0..found.len()).map(|i| (i, Decision::A)).collect();
            let gold = gold(&source, &found, &all_a, Timestamp::default()).unwrap();
            let mut expected: Vec<(usize, usize, Label)> = a.iter().map(|s| (s.start, s.end, s.label.clone())).collect();
            expected.sort();
            expected.dedup();
            let mut got: Vec<(usize, usize, Label)> = gold.annotations().iter()
                .map(|x| (x.range.start().get(), x.range.end().get(), x.label.clone())).collect();
            got.sort();
            prop_assert_eq!(got, expected);
        }
    }

    fn span(start: usize, end: usize, label: Label) -> CodedSpan {
        CodedSpan { start, end, label }
    }

    fn coding(spans: Vec<CodedSpan>) -> Coding {
        Coding {
            attributes: vec![Attributes::default(); spans.len()],
            spans,
            relations: Vec::new(),
        }
    }

    const TEXT: &str = "The minister said “we will not resign” on Monday, according to aides.";

    #[test]
    fn differences_say_how_the_spans_differ() {
        let a = vec![
            span(0, 12, Label::Entity),
            span(18, 38, Label::Quote),
            span(42, 48, Label::Claim),
            span(63, 68, Label::Entity),
        ];
        let b = vec![
            span(4, 12, Label::Entity),
            span(18, 38, Label::Claim),
            span(42, 48, Label::Claim),
        ];
        let found = differences(&a, &b);
        let kinds: Vec<Kind> = found.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            vec![
                Kind::OtherBoundaries,
                Kind::OtherLabel,
                Kind::Same,
                Kind::OnlyA
            ]
        );
        assert_eq!(found.iter().filter(|d| d.kind.is_disagreement()).count(), 3);
    }

    #[test]
    fn gold_takes_the_decisions_and_records_who_had_each_span() {
        let mut a = coding(vec![span(0, 12, Label::Entity), span(18, 38, Label::Quote)]);
        a.relations
            .push((RelationKind::parse("said_by").unwrap(), 1, 0));
        let b = coding(vec![span(4, 12, Label::Entity), span(18, 38, Label::Quote)]);
        let found = differences(&a.spans, &b.spans);
        let mut decisions = BTreeMap::new();
        decisions.insert(0, Decision::A);
        decisions.insert(1, Decision::A);
        let source = GoldSource {
            title: "Talks",
            text: TEXT,
            names: ["ann", "bob"],
            codings: [&a, &b],
            adjudicator: "Zoe",
        };
        let gold = gold(&source, &found, &decisions, Timestamp::default()).unwrap();
        assert_eq!(gold.title, "Talks (gold)");
        let annotations = gold.annotations();
        assert_eq!(annotations.len(), 2);
        assert_eq!(
            annotations[0].attributes.get(ANNOTATORS_ATTRIBUTE),
            Some("ann")
        );
        assert_eq!(
            annotations[1].attributes.get(ANNOTATORS_ATTRIBUTE),
            Some("ann, bob")
        );
        assert_eq!(
            annotations[1].attributes.get(ADJUDICATOR_ATTRIBUTE),
            Some("Zoe")
        );
        let name = |n: &str| Some(AnnotatorName::parse(n).unwrap());
        for a in annotations {
            assert_eq!(a.authors.made_by, name("ann"), "taken from ann");
            assert_eq!(a.authors.changed_by, name("Zoe"), "decided by Zoe");
        }
        // ann's link between the two spans taken came along.
        assert_eq!(gold.relations().len(), 1);
    }

    #[test]
    fn undecided_and_rejected_spans_stay_out_and_edits_go_in() {
        let a = coding(vec![span(0, 12, Label::Entity), span(18, 38, Label::Quote)]);
        let b = coding(vec![span(4, 12, Label::Entity)]);
        let found = differences(&a.spans, &b.spans);
        let mut decisions = BTreeMap::new();
        decisions.insert(
            0,
            Decision::Edit {
                start: 4,
                end: 12,
                label: "claim".into(),
            },
        );
        let source = GoldSource {
            title: "Talks",
            text: TEXT,
            names: ["ann", "bob"],
            codings: [&a, &b],
            adjudicator: "",
        };
        let gold = gold(&source, &found, &decisions, Timestamp::default()).unwrap();
        assert_eq!(gold.annotations().len(), 1);
        let edited = &gold.annotations()[0];
        assert_eq!(
            (edited.range.start().get(), edited.label.clone()),
            (4, Label::Claim)
        );
        assert_eq!(edited.attributes.get(ANNOTATORS_ATTRIBUTE), None);
        assert_eq!(edited.attributes.get(ADJUDICATOR_ATTRIBUTE), None);
        // Nobody named made or decided it.
        assert!(edited.authors.is_empty());
    }
}
