//! The agreement report as one CSV table, for a spreadsheet or `pandas.read_csv`: one row per
//! number.
//!
//! ```text
//! scope,article,measure,label,annotator_a,annotator_b,value,matched,only_a,only_b
//! corpus,,alpha,,,,0.812,,,
//! corpus,,alpha,quote,,,0.790,,,
//! corpus,,exact_f1,quote,ann,bob,0.667,4,2,2
//! article,Budget talks,kappa,,ann,bob,0.701,,,
//! ```
//!
//! `measure` is one of `alpha`, `alpha_u` (every annotator), `exact_f1`, `overlap_f1`, `kappa`,
//! `relation_f1` (a pair) and `attribute_kappa` (a pair; `label` holds the attribute's name).
//! An empty `label` is over all labels; an empty `value` is a measure that is undefined there
//! (nothing to agree on). `matched`, `only_a` and `only_b` are given for the F1 rows.

use super::report::{Counts, Report, Section};
use crate::formats::csv::write_row;

const COLUMNS: [&str; 10] = [
    "scope",
    "article",
    "measure",
    "label",
    "annotator_a",
    "annotator_b",
    "value",
    "matched",
    "only_a",
    "only_b",
];

/// The whole report as CSV text.
pub fn report_csv(report: &Report) -> String {
    let mut out = String::new();
    write_row(&mut out, COLUMNS);
    section_rows(&mut out, "corpus", "", &report.corpus);
    for article in &report.articles {
        section_rows(&mut out, "article", &article.title, &article.section);
    }
    out
}

fn number(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn section_rows(out: &mut String, scope: &str, article: &str, section: &Section) {
    let mut row = |measure: &str,
                   label: &str,
                   pair: (&str, &str),
                   value: Option<f64>,
                   counts: Option<&Counts>| {
        let value = number(value);
        let [matched, only_a, only_b] = counts.map_or_else(Default::default, |c| {
            [
                c.matched.to_string(),
                c.only_a.to_string(),
                c.only_b.to_string(),
            ]
        });
        write_row(
            out,
            [
                scope, article, measure, label, pair.0, pair.1, &value, &matched, &only_a, &only_b,
            ],
        );
    };
    row("alpha", "", ("", ""), section.alpha, None);
    for (label, value) in &section.alpha_by_label {
        row("alpha", label, ("", ""), *value, None);
    }
    row("alpha_u", "", ("", ""), section.alpha_u, None);
    for (label, value) in &section.alpha_u_by_label {
        row("alpha_u", label, ("", ""), *value, None);
    }
    for pair in &section.pairs {
        let names = (pair.a.as_str(), pair.b.as_str());
        row("exact_f1", "", names, pair.exact.f1, Some(&pair.exact));
        for (label, counts) in &pair.exact_by_label {
            row("exact_f1", label, names, counts.f1, Some(counts));
        }
        row(
            "overlap_f1",
            "",
            names,
            pair.overlap.f1,
            Some(&pair.overlap),
        );
        for (label, counts) in &pair.overlap_by_label {
            row("overlap_f1", label, names, counts.f1, Some(counts));
        }
        row("kappa", "", names, pair.kappa, None);
        for (label, value) in &pair.kappa_by_label {
            row("kappa", label, names, *value, None);
        }
        row(
            "relation_f1",
            "",
            names,
            pair.relations.f1,
            Some(&pair.relations),
        );
        for (name, agreement) in &pair.attributes {
            row("attribute_kappa", name, names, agreement.kappa, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::report::{ArticleSection, PairSection};

    #[test]
    fn one_row_per_number_and_titles_quoted() {
        let mut pair = PairSection {
            a: "ann".into(),
            b: "bob".into(),
            articles: 1,
            ..PairSection::default()
        };
        pair.exact = Counts {
            matched: 2,
            only_a: 1,
            only_b: 1,
            f1: Some(2.0 / 3.0),
        };
        let section = Section {
            alpha: Some(0.5),
            pairs: vec![pair],
            ..Section::default()
        };
        let report = Report {
            format: "article-annotator-agreement".into(),
            version: 1,
            unit: "codepoint".into(),
            annotators: vec!["ann".into(), "bob".into()],
            labels: vec![],
            corpus: section.clone(),
            articles: vec![ArticleSection {
                title: "Talks, \"budget\"".into(),
                text_chars: 10,
                annotators: vec!["ann".into(), "bob".into()],
                section,
            }],
            unpaired: vec![],
        };
        let csv = report_csv(&report);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], COLUMNS.join(","));
        assert_eq!(lines[1], "corpus,,alpha,,,,0.5,,,");
        assert!(lines.contains(&"corpus,,alpha_u,,,,,,,"));
        assert!(lines.contains(&"corpus,,exact_f1,,ann,bob,0.6666666666666666,2,1,1"));
        assert!(lines.contains(&"article,\"Talks, \"\"budget\"\"\",alpha,,,,0.5,,,"));
    }
}
