//! Fixing a text never moves an annotation onto other text: random texts (emoji, ZWJ sequences,
//! combining marks, CJK, RTL, line breaks), random spans and random changes; every span placed
//! in the changed text holds exactly the text it held, a span the change leaves alone keeps its
//! characters at the offsets the change shifts them to, and any other is an orphan.

use annotator_core::model::anchor::{anchor, Anchoring, TextQuote};
use annotator_core::model::text_change::{place, Placement, TextChange};
use annotator_core::model::{ArticleText, CharRange};
use proptest::prelude::*;

// Only its pieces of text are used here, not its segmenter.
#[allow(dead_code)]
#[path = "support/uax29.rs"]
mod uax29;
use uax29::PIECES;

fn piece_text(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), min..max).prop_map(|p| p.concat())
}

/// A text, some spans over it, and a change of it (anywhere, inserting anything, even text the
/// spans hold, so that a span's words may appear again right where it was).
fn case() -> impl Strategy<Value = (ArticleText, Vec<CharRange>, TextChange)> {
    piece_text(1, 30).prop_flat_map(|raw| {
        let text = ArticleText::normalize(&raw);
        let len = text.char_len();
        let range =
            (0..=len, 0..=len).prop_map(|(a, b)| CharRange::from_raw(a.min(b), a.max(b)).unwrap());
        let spans = prop::collection::vec(range.clone(), 1..6).prop_map(|spans| {
            spans
                .into_iter()
                .filter(|r| !r.is_empty())
                .collect::<Vec<_>>()
        });
        let inserted = prop_oneof![
            piece_text(0, 4),
            // A copy of some of the text: the same words again.
            range.clone().prop_map({
                let text = text.clone();
                move |r| text.slice(r).unwrap().to_owned()
            }),
        ];
        let change = (range, inserted).prop_map(|(replaced, inserted)| TextChange {
            replaced,
            inserted: inserted.replace('\r', ""),
        });
        (Just(text), spans, change)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn no_span_is_ever_placed_on_text_other_than_its_own((before, spans, change) in case()) {
        let after = change.apply(&before).unwrap().unwrap();
        let (from, to) = (change.replaced.start().get(), change.replaced.end().get());
        let growth = change.inserted.chars().count() as isize - change.replaced.len() as isize;
        for span in spans {
            let own = before.slice(span).unwrap();
            let untouched_before = span.end().get() <= from;
            let untouched_after = span.start().get() >= to;
            match place(&before, &after, &change, span) {
                Placement::Kept(range) => {
                    prop_assert!(untouched_before || untouched_after);
                    prop_assert_eq!(after.slice(range).unwrap(), own);
                    let shift = if untouched_before { 0 } else { growth };
                    prop_assert_eq!(range.start().get() as isize, span.start().get() as isize + shift);
                }
                Placement::Reanchored(range) => {
                    prop_assert!(!(untouched_before || untouched_after));
                    prop_assert_eq!(after.slice(range).unwrap(), own);
                }
                Placement::Orphaned => prop_assert!(!(untouched_before || untouched_after)),
            }
        }
    }

    #[test]
    fn a_stretch_replaced_by_itself_leaves_every_span_where_it_was((text, spans, change) in case()) {
        // The user retypes a stretch as it was: touched spans are found again in place, unless
        // their words and surroundings repeat inside the stretch (then they are orphans, never
        // moved).
        let same = TextChange {
            inserted: text.slice(change.replaced).unwrap().to_owned(),
            ..change
        };
        let after = same.apply(&text).unwrap().unwrap();
        prop_assert_eq!(&after, &text);
        for span in spans {
            match place(&text, &after, &same, span) {
                Placement::Kept(range) | Placement::Reanchored(range) => prop_assert_eq!(range, span),
                Placement::Orphaned => {
                    let quote = TextQuote::of(&text, span, annotator_core::model::text_change::CONTEXT_CHARS).unwrap();
                    let found = anchor(&text, &quote);
                    prop_assert!(matches!(found, Anchoring::Ambiguous { .. }), "{:?}", found);
                }
            }
        }
    }

    #[test]
    fn the_smallest_change_makes_the_text_it_was_taken_from(a in piece_text(0, 20), b in piece_text(0, 20)) {
        let (a, b) = (ArticleText::normalize(&a), ArticleText::normalize(&b));
        let change = TextChange::between(a.as_str(), b.as_str());
        prop_assert_eq!(change.apply(&a).unwrap().unwrap(), b.clone());
        prop_assert_eq!(change.is_empty(), a == b);
    }

    #[test]
    fn a_quote_is_found_where_it_was_taken_when_its_place_is_the_only_one_that_fits(
        (text, spans, _) in case()
    ) {
        for span in spans {
            let quote = TextQuote::of(&text, span, 8).unwrap();
            match anchor(&text, &quote) {
                Anchoring::Found(range) => prop_assert_eq!(range, span),
                // Another place fits as well (a repeated stretch longer than the context).
                Anchoring::Ambiguous { places } => prop_assert!(places >= 2),
                Anchoring::Missing => prop_assert!(false, "its own place is always there"),
            }
        }
    }
}
