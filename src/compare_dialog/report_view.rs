//! The agreement report as the dialog shows it: the corpus per label (with the chart), one pair
//! of annotators in detail (F1, kappa, the label confusion table, attributes and relations), every
//! article, and the articles that could not be paired. Each measure says in one line what it
//! measures. Each table sits in a named box with a tab stop that scrolls it sideways on a narrow
//! screen (by arrow keys too), so the dialog itself never does.

use std::rc::Rc;

use annotator_core::agreement::report::{Counts, PairSection, Report};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::chart::{chart, ChartRow};
use super::numbers::value;

#[derive(Properties, Clone, PartialEq)]
pub struct ReportViewProps {
    pub report: Rc<Report>,
    /// The pair of annotators shown in detail: an index into the corpus's pairs.
    pub pair: usize,
    pub on_pair: Callback<usize>,
    /// Starts adjudicating an article (an index into the report's articles) between the pair.
    pub on_adjudicate: Callback<usize>,
}

/// What each number means, one line each (README, "Working as a team", says more), with the id
/// a column's header points at (`aria-describedby`) so a screen reader says it with the header.
const MEANINGS: [(&str, &str, &str); 6] = [
    ("meaning-alpha", "α (code points)", "Krippendorff's alpha, nominal, every annotator: each code point's value is the set of labels covering it; 1 is perfect, 0 is chance, below 0 is worse than chance."),
    ("meaning-alpha-u", "α_u", "Krippendorff's unitizing alpha: agreement on where spans begin and end, over the articles every annotator has."),
    ("meaning-exact", "Exact F1", "Spans with the same start, end and label in both, as a share of all spans of the two (needs no chance model)."),
    ("meaning-overlap", "Overlap F1", "As exact F1, but spans of the same label that share a character count as matched (one to one)."),
    ("meaning-kappa", "κ", "Cohen's kappa between the two annotators over code points, valued as for alpha."),
    ("meaning-details", "Attribute κ, relation F1", "On spans both tagged exactly alike: kappa of each attribute's values; relations with the same kind between matched spans."),
];

/// A column header that says what its numbers measure: described by its meaning, which is also
/// its tooltip.
fn measure_header(text: &'static str, meaning_id: &'static str) -> Html {
    let meaning = MEANINGS
        .iter()
        .find(|(id, _, _)| *id == meaning_id)
        .map_or("", |(_, _, meaning)| *meaning);
    html! {
        <th scope="col" aria-describedby={meaning_id} title={meaning}>{ text }</th>
    }
}

fn counts_title(counts: &Counts) -> String {
    format!(
        "{} matched, {} only the first, {} only the second",
        counts.matched, counts.only_a, counts.only_b
    )
}

fn f1_cell(counts: Option<&Counts>) -> Html {
    match counts {
        Some(counts) => html! {
            <td title={counts_title(counts)}>
                { value(counts.f1) }
                <span class="counts">{ format!(" ({}/{}/{})", counts.matched, counts.only_a, counts.only_b) }</span>
            </td>
        },
        None => html! { <td>{ value(None) }</td> },
    }
}

#[function_component(ReportView)]
pub fn report_view(props: &ReportViewProps) -> Html {
    let report = &props.report;
    let corpus = &report.corpus;
    let pair: Option<&PairSection> = corpus.pairs.get(props.pair);
    let on_pair_change = {
        let on_pair = props.on_pair.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                on_pair.emit(select.selected_index().max(0) as usize);
            }
        })
    };
    let pair_name = |p: &PairSection| format!("{} and {}", p.a, p.b);

    let mut rows: Vec<ChartRow> = report
        .labels
        .iter()
        .map(|label| ChartRow {
            name: label.clone(),
            alpha: corpus.alpha_by_label.get(label).copied().flatten(),
            alpha_u: corpus.alpha_u_by_label.get(label).copied().flatten(),
        })
        .collect();
    rows.push(ChartRow {
        name: "All labels".to_owned(),
        alpha: corpus.alpha,
        alpha_u: corpus.alpha_u,
    });

    let label_row = |name: &str, label: Option<&str>| {
        let alpha = label.map_or(corpus.alpha, |l| {
            corpus.alpha_by_label.get(l).copied().flatten()
        });
        let alpha_u = label.map_or(corpus.alpha_u, |l| {
            corpus.alpha_u_by_label.get(l).copied().flatten()
        });
        let exact = pair.map(|p| label.map_or(Some(&p.exact), |l| p.exact_by_label.get(l)));
        let overlap = pair.map(|p| label.map_or(Some(&p.overlap), |l| p.overlap_by_label.get(l)));
        let kappa = pair
            .and_then(|p| label.map_or(p.kappa, |l| p.kappa_by_label.get(l).copied().flatten()));
        html! {
            <tr>
                <th scope="row">{ name.to_owned() }</th>
                <td>{ value(alpha) }</td>
                <td>{ value(alpha_u) }</td>
                { f1_cell(exact.flatten()) }
                { f1_cell(overlap.flatten()) }
                <td>{ value(kappa) }</td>
            </tr>
        }
    };

    let paired = report.articles.len();
    html! {
        <section class="agreement-report" aria-labelledby="agreement-title">
            <h3 id="agreement-title" tabindex="-1">{ "Agreement" }</h3>
            <p>
                { format!(
                    "{} annotators, {} {} paired by text; alpha_u over {} {} every annotator has.",
                    report.annotators.len(), paired, if paired == 1 { "article" } else { "articles" },
                    corpus.alpha_u_articles, if corpus.alpha_u_articles == 1 { "article" } else { "articles" },
                ) }
            </p>
            if corpus.pairs.len() > 1 {
                <label class="compare-pair">
                    { "Pair shown: " }
                    <select onchange={on_pair_change}>
                        { for corpus.pairs.iter().enumerate().map(|(i, p)| html! {
                            <option selected={i == props.pair}>{ pair_name(p) }</option>
                        }) }
                    </select>
                </label>
            }
            <div class="table-scroll" tabindex="0" role="region" aria-label="Corpus, per label">
                <table class="agreement-table">
                    <caption>
                        { pair.map_or_else(|| "Corpus, per label".to_owned(),
                            |p| format!("Corpus, per label (F1 and κ: {})", pair_name(p))) }
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "Label" }</th>
                            { measure_header("α (code points)", "meaning-alpha") }
                            { measure_header("α_u", "meaning-alpha-u") }
                            { measure_header("Exact F1", "meaning-exact") }
                            { measure_header("Overlap F1", "meaning-overlap") }
                            { measure_header("κ", "meaning-kappa") }
                        </tr>
                    </thead>
                    <tbody>
                        { for report.labels.iter().map(|l| label_row(l, Some(l))) }
                        { label_row("All labels", None) }
                    </tbody>
                </table>
            </div>
            { chart(&rows) }
            <p class="chart-legend">
                { "Upper bar: α over code points; lower, hatched: α_u. Lines at 0.667 and 0.8, Krippendorff's thresholds for tentative and reliable conclusions." }
            </p>
            <dl class="measure-notes">
                { for MEANINGS.iter().map(|(id, name, meaning)| html! {
                    <><dt>{ *name }</dt><dd id={*id}>{ *meaning }</dd></>
                }) }
            </dl>
            { for pair.map(|p| pair_details(p, &report.labels)) }
            { articles_table(report, props.pair, &props.on_adjudicate) }
            if !report.unpaired.is_empty() {
                <h4>{ "Not compared" }</h4>
                <ul class="unpaired">
                    { for report.unpaired.iter().map(|u| html! {
                        <li>
                            { format!("{} — {}: {}", u.annotator, u.title,
                                if u.reason == "repeated" { "the same text is in this file twice; the first one is compared" }
                                else { "no other file has this text" }) }
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}

/// The pair's confusion table, attributes and relations.
fn pair_details(pair: &PairSection, labels: &[String]) -> Html {
    let names: Vec<Option<&str>> = labels
        .iter()
        .map(|l| Some(l.as_str()))
        .chain([None])
        .collect();
    let count = |a: Option<&str>, b: Option<&str>| {
        pair.confusion
            .iter()
            .find(|cell| cell.a.as_deref() == a && cell.b.as_deref() == b)
            .map_or(0, |cell| cell.count)
    };
    let shown = |name: Option<&str>| name.unwrap_or("no span").to_owned();
    html! {
        <>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Labels of overlapping spans">
                <table class="confusion-table">
                    <caption>
                        { format!("Labels of overlapping spans: {} (rows) against {} (columns)", pair.a, pair.b) }
                    </caption>
                    <thead>
                        <tr>
                            <td></td>
                            { for names.iter().map(|b| html! { <th scope="col">{ shown(*b) }</th> }) }
                        </tr>
                    </thead>
                    <tbody>
                        { for names.iter().map(|a| html! {
                            <tr>
                                <th scope="row">{ shown(*a) }</th>
                                { for names.iter().map(|b| {
                                    let n = count(*a, *b);
                                    let class = if a.is_some() && a == b { "agree" } else if n > 0 { "disagree" } else { "" };
                                    html! { <td class={class}>{ if a.is_none() && b.is_none() { String::new() } else { n.to_string() } }</td> }
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <p>
                { format!("Relations: F1 {} ({} matched, {} only {}, {} only {}).",
                    pair.relations.f1.map_or_else(|| "undefined".to_owned(), |v| format!("{v:.3}")),
                    pair.relations.matched, pair.relations.only_a, pair.a, pair.relations.only_b, pair.b) }
            </p>
            if !pair.attributes.is_empty() {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Attributes">
                    <table class="agreement-table">
                        <caption>{ format!("Attributes of spans {} and {} tagged alike", pair.a, pair.b) }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ "Attribute" }</th>
                                <th scope="col">{ "Spans" }</th>
                                <th scope="col">{ "Same value" }</th>
                                { measure_header("κ", "meaning-details") }
                            </tr>
                        </thead>
                        <tbody>
                            { for pair.attributes.iter().map(|(name, a)| html! {
                                <tr>
                                    <th scope="row">{ name.clone() }</th>
                                    <td>{ a.spans }</td>
                                    <td>{ a.agreed }</td>
                                    <td>{ value(a.kappa) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </>
    }
}

/// Every paired article, with the shown pair's F1 where both annotators have it.
fn articles_table(report: &Report, pair: usize, on_adjudicate: &Callback<usize>) -> Html {
    let shown = report.corpus.pairs.get(pair);
    html! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Per article">
            <table class="agreement-table">
                <caption>{ "Per article" }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Article" }</th>
                        <th scope="col">{ "Annotators" }</th>
                        { measure_header("α", "meaning-alpha") }
                        { measure_header("α_u", "meaning-alpha-u") }
                        { measure_header("Exact F1", "meaning-exact") }
                        { measure_header("Overlap F1", "meaning-overlap") }
                        <th scope="col">{ "Gold" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for report.articles.iter().enumerate().map(|(index, article)| {
                        let counts = shown.and_then(|s| article.section.pairs.iter().find(|p| p.a == s.a && p.b == s.b));
                        html! {
                            <tr>
                                <th scope="row">{ article.title.clone() }</th>
                                <td>{ article.annotators.len() }</td>
                                <td>{ value(article.section.alpha) }</td>
                                <td>{ value(article.section.alpha_u) }</td>
                                { f1_cell(counts.map(|p| &p.exact)) }
                                { f1_cell(counts.map(|p| &p.overlap)) }
                                <td>
                                    if let Some(p) = counts {
                                        <button type="button" onclick={on_adjudicate.reform(move |_: MouseEvent| index)}
                                            aria-label={format!("Adjudicate {} between {} and {}", article.title, p.a, p.b)}>
                                            { "Adjudicate" }
                                        </button>
                                    }
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}
