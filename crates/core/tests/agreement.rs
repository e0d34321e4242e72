//! Properties of the agreement report that hold for any study (the numbers themselves are held
//! against the reference implementations by `tests/agreement/check_report.py`): the order of the
//! annotators changes nothing, annotators who agree entirely agree perfectly, and the corpus is
//! the sum of its articles.

use annotator_core::agreement::report::Report;
use annotator_core::agreement::{pair_articles, report};
use annotator_core::model::{
    Annotation, AnnotationId, ArticleText, CharRange, Document, DocumentId, Label, Timestamp,
};
use proptest::prelude::*;

const TEXTS: [&str; 3] = [
    "Ana said “we will win” 😀 on Monday in 東京.",
    "Zoe\u{308} noted: «كانت مثمرة» — the talks went well.",
    "A short one.",
];

/// Spans per article for one annotator: (article, start, length, label).
fn coding() -> impl Strategy<Value = Vec<(usize, usize, usize, usize)>> {
    prop::collection::vec((0usize..3, 0usize..40, 1usize..12, 0usize..3), 0..10)
}

fn documents(spans: &[(usize, usize, usize, usize)]) -> Vec<Document> {
    TEXTS
        .iter()
        .enumerate()
        .map(|(article, text)| {
            let text = ArticleText::normalize(text);
            let len = text.char_len();
            let mut document = Document::new(
                DocumentId::new(&format!("d{article}")),
                format!("Article {article}"),
                text,
                Timestamp::default(),
            );
            for (n, &(_, start, length, label)) in
                spans.iter().enumerate().filter(|(_, s)| s.0 == article)
            {
                let start = start % len;
                let end = (start + length).min(len);
                let label = [Label::Quote, Label::Entity, Label::Claim][label].clone();
                let range = CharRange::from_raw(start, end).unwrap();
                let annotation =
                    Annotation::new(AnnotationId::numbered(n as u64 + 1), label, range);
                // The same span and label twice is refused by the document: skipped here.
                let _ = document.insert(annotation, Timestamp::default());
            }
            document
        })
        .collect()
}

fn study_report(codings: &[Vec<(usize, usize, usize, usize)>]) -> Report {
    let annotators: Vec<(String, Vec<Document>)> = codings
        .iter()
        .enumerate()
        .map(|(i, c)| (format!("annotator {i}"), documents(c)))
        .collect();
    report(&pair_articles(&annotators))
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-12,
        (None, None) => true,
        _ => false,
    }
}

proptest! {
    #[test]
    fn the_order_of_the_annotators_changes_no_number(a in coding(), b in coding()) {
        let ab = study_report(&[a.clone(), b.clone()]);
        let ba = study_report(&[b, a]);
        prop_assert!(close(ab.corpus.alpha, ba.corpus.alpha));
        prop_assert!(close(ab.corpus.alpha_u, ba.corpus.alpha_u));
        let (p, q) = (&ab.corpus.pairs[0], &ba.corpus.pairs[0]);
        prop_assert!(close(p.kappa, q.kappa));
        prop_assert_eq!((p.exact.matched, p.exact.only_a, p.exact.only_b), (q.exact.matched, q.exact.only_b, q.exact.only_a));
        prop_assert_eq!(p.overlap.matched, q.overlap.matched);
        for (label, value) in &ab.corpus.alpha_by_label {
            prop_assert!(close(*value, ba.corpus.alpha_by_label[label]));
        }
    }

    #[test]
    fn annotators_who_did_the_same_agree_perfectly(a in coding()) {
        let r = study_report(&[a.clone(), a.clone(), a]);
        for value in [r.corpus.alpha, r.corpus.alpha_u].into_iter().flatten() {
            prop_assert!((value - 1.0).abs() < 1e-12, "{}", value);
        }
        for pair in &r.corpus.pairs {
            prop_assert_eq!(pair.exact.only_a + pair.exact.only_b, 0);
            if let Some(kappa) = pair.kappa {
                prop_assert!((kappa - 1.0).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn the_corpus_counts_are_the_sum_of_the_articles(a in coding(), b in coding(), c in coding()) {
        let r = study_report(&[a, b, c]);
        for (index, pair) in r.corpus.pairs.iter().enumerate() {
            let articles: Vec<_> = r.articles.iter().filter_map(|x| x.section.pairs.iter().find(|p| p.a == pair.a && p.b == pair.b)).collect();
            prop_assert_eq!(pair.articles, articles.len(), "pair {}", index);
            prop_assert_eq!(pair.exact.matched, articles.iter().map(|p| p.exact.matched).sum::<usize>());
            prop_assert_eq!(pair.overlap.only_b, articles.iter().map(|p| p.overlap.only_b).sum::<usize>());
        }
    }
}
