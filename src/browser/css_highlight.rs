//! The CSS Custom Highlight API (`CSS.highlights`, `Highlight`): text drawn over without an
//! element entering the article (styles/marks.css styles each by name). web-sys has it only
//! behind its unstable flag. Browsers without it throw: then nothing is drawn, and what the
//! highlight showed is in words elsewhere (the status line, the suggestion bar).

use wasm_bindgen::prelude::*;
use web_sys::{Element, Range};

use crate::browser::article_point::point_of;
use annotator_core::model::{CharRange, Paragraph};

#[wasm_bindgen]
extern "C" {
    type Highlight;

    #[wasm_bindgen(constructor, catch)]
    fn new() -> Result<Highlight, JsValue>;

    #[wasm_bindgen(method)]
    fn add(this: &Highlight, range: &Range);

    #[wasm_bindgen(js_namespace = ["CSS", "highlights"], js_name = set, catch)]
    fn set_highlight(name: &str, highlight: &Highlight) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["CSS", "highlights"], js_name = delete, catch)]
    fn delete_highlight(name: &str) -> Result<JsValue, JsValue>;
}

/// Draws `ranges` as the highlight `name`, replacing what it drew; none removes it.
pub fn show(name: &str, ranges: impl IntoIterator<Item = Range>) {
    let mut ranges = ranges.into_iter().peekable();
    if ranges.peek().is_none() {
        clear(name);
        return;
    }
    let Ok(highlight) = Highlight::new() else {
        return;
    };
    for range in ranges {
        highlight.add(&range);
    }
    let _ = set_highlight(name, &highlight);
}

pub fn clear(name: &str) {
    let _ = delete_highlight(name);
}

/// The DOM range over code points `span` of the rendered article.
pub fn dom_range(
    article: &Element,
    paragraphs: &[Paragraph],
    per_chunk: usize,
    span: CharRange,
) -> Option<Range> {
    let start = point_of(article, paragraphs, per_chunk, span.start())?;
    let end = point_of(article, paragraphs, per_chunk, span.end())?;
    let range = article.owner_document()?.create_range().ok()?;
    range.set_start(&start.0, start.1).ok()?;
    range.set_end(&end.0, end.1).ok()?;
    Some(range)
}
