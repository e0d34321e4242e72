//! UAX #29 graphemes, words and sentences from the browser's `Intl.Segmenter`, for the keyboard
//! caret (annotator_core::model::caret) and for snapping drags to words
//! (annotator_core::model::word_snap). The browser already carries Unicode's tables; the wasm
//! does not have to. Every browser the app supports has `Intl.Segmenter` (Chromium 87, Safari
//! 14.1, Firefox 125); where it is missing, each code point is a unit of its own: the caret still
//! moves and selects, drags are not snapped, and the first load carries no fallback segmenter.

use annotator_core::model::text_units::{Granularity, Segment, Segmenter};
use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// One `Intl.Segmenter` per granularity (grapheme, word, sentence), made once.
pub struct BrowserSegmenter {
    intl: Option<[Intl::Segmenter; 3]>,
}

fn index(granularity: Granularity) -> usize {
    match granularity {
        Granularity::Grapheme => 0,
        Granularity::Word => 1,
        Granularity::Sentence => 2,
    }
}

impl BrowserSegmenter {
    pub fn new() -> Self {
        // Checked first: constructing a missing class would throw through the wasm.
        let available = Reflect::get(&js_sys::global(), &JsValue::from_str("Intl"))
            .ok()
            .filter(|intl| intl.is_object())
            .and_then(|intl| Reflect::has(&intl, &JsValue::from_str("Segmenter")).ok())
            .unwrap_or(false);
        let make = |granularity: &str| {
            let options = Object::new();
            let _ = Reflect::set(
                &options,
                &JsValue::from_str("granularity"),
                &JsValue::from_str(granularity),
            );
            Intl::Segmenter::new(&Array::new(), &options)
        };
        Self {
            intl: available.then(|| [make("grapheme"), make("word"), make("sentence")]),
        }
    }
}

impl Default for BrowserSegmenter {
    fn default() -> Self {
        Self::new()
    }
}

impl Segmenter for BrowserSegmenter {
    fn segments(&self, text: &str, granularity: Granularity) -> Vec<Segment> {
        match &self.intl {
            Some(segmenters) => intl_segments(&segmenters[index(granularity)], text)
                .unwrap_or_else(|| code_points(text)),
            None => code_points(text),
        }
    }
}

/// Every code point a unit: what a browser without `Intl.Segmenter` gets.
fn code_points(text: &str) -> Vec<Segment> {
    (0..text.chars().count())
        .map(|i| Segment {
            start: i,
            end: i + 1,
            word_like: false,
        })
        .collect()
}

/// The segments as `Intl.Segmenter` cuts `text`, their UTF-16 indices turned into code points
/// in one walk along the text.
fn intl_segments(segmenter: &Intl::Segmenter, text: &str) -> Option<Vec<Segment>> {
    let segments = segmenter.segment(text);
    let iterator = js_sys::try_iter(&segments).ok()??;
    let mut chars = text.chars();
    let (mut utf16, mut code_points) = (0usize, 0usize);
    let mut out = Vec::new();
    let mut open: Option<(usize, bool)> = None;
    for item in iterator {
        let data: Intl::SegmentData = item.ok()?.unchecked_into();
        let start = data.index() as usize;
        while utf16 < start {
            let c = chars.next()?;
            utf16 += c.len_utf16();
            code_points += 1;
        }
        if let Some((from, word_like)) = open.take() {
            out.push(Segment {
                start: from,
                end: code_points,
                word_like,
            });
        }
        open = Some((code_points, data.is_word_like().unwrap_or(false)));
    }
    if let Some((from, word_like)) = open {
        out.push(Segment {
            start: from,
            end: code_points + chars.count(),
            word_like,
        });
    }
    Some(out)
}
