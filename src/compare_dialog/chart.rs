//! A small SVG chart of agreement per label: for each label a bar of Krippendorff's alpha over
//! code points and one of unitizing alpha, on a 0–1 scale with 0.667 and 0.8 marked (the
//! thresholds Krippendorff gives for tentative and reliable conclusions). Bars are told apart by
//! pattern and by their value written beside them, not by colour alone. Text nodes only: a
//! label's name is user text.

use yew::prelude::*;

/// One row: a label's name and its two values.
pub struct ChartRow {
    pub name: String,
    pub alpha: Option<f64>,
    pub alpha_u: Option<f64>,
}

const WIDTH: f64 = 420.0;
const NAME_WIDTH: f64 = 96.0;
const VALUE_WIDTH: f64 = 56.0;
const BAR_HEIGHT: f64 = 12.0;
const ROW_HEIGHT: f64 = 34.0;
const TOP: f64 = 18.0;

fn bar_width(value: Option<f64>) -> f64 {
    let plot = WIDTH - NAME_WIDTH - VALUE_WIDTH;
    value.map_or(0.0, |v| v.clamp(0.0, 1.0) * plot)
}

fn written(value: Option<f64>) -> String {
    value.map_or_else(|| "undefined".to_owned(), |v| format!("{v:.3}"))
}

/// The chart, named for screen readers by its values in words (the table beside it has them
/// too).
pub fn chart(rows: &[ChartRow]) -> Html {
    let height = TOP + ROW_HEIGHT * rows.len() as f64 + 8.0;
    let plot = WIDTH - NAME_WIDTH - VALUE_WIDTH;
    let summary = rows
        .iter()
        .map(|r| {
            format!(
                "{}: alpha {}, unitizing alpha {}",
                r.name,
                written(r.alpha),
                written(r.alpha_u)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let threshold = |value: f64, text: &'static str| {
        let x = NAME_WIDTH + value * plot;
        html! {
            <g class="chart-threshold">
                <line x1={x.to_string()} x2={x.to_string()} y1={(TOP - 4.0).to_string()}
                    y2={(height - 6.0).to_string()} />
                <text x={x.to_string()} y="10" text-anchor="middle">{ text }</text>
            </g>
        }
    };
    html! {
        <svg class="agreement-chart" viewBox={format!("0 0 {WIDTH} {height}")} role="img"
            aria-label={format!("Agreement per label. {summary}")}>
            <defs>
                <pattern id="agreement-hatch" width="5" height="5" patternUnits="userSpaceOnUse"
                    patternTransform="rotate(45)">
                    <rect class="chart-hatch" width="2.5" height="5" />
                </pattern>
            </defs>
            { threshold(0.667, "0.667") }
            { threshold(0.8, "0.8") }
            { for rows.iter().enumerate().map(|(i, row)| {
                let y = TOP + ROW_HEIGHT * i as f64;
                let bar = |offset: f64, value: Option<f64>, class: &'static str| {
                    let width = bar_width(value);
                    html! {
                        <>
                            <rect class={class} x={NAME_WIDTH.to_string()} y={(y + offset).to_string()}
                                width={width.to_string()} height={BAR_HEIGHT.to_string()} />
                            <text class="chart-value" x={(NAME_WIDTH + width + 4.0).to_string()}
                                y={(y + offset + BAR_HEIGHT - 2.0).to_string()}>
                                { written(value) }
                            </text>
                        </>
                    }
                };
                html! {
                    <g>
                        <text class="chart-name" x="0" y={(y + BAR_HEIGHT + 2.0).to_string()}>
                            { row.name.clone() }
                        </text>
                        { bar(0.0, row.alpha, "chart-alpha") }
                        { bar(BAR_HEIGHT + 2.0, row.alpha_u, "chart-alpha-u") }
                    </g>
                }
            }) }
        </svg>
    }
}
