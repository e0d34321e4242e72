//! What a rule can find for the annotator to confirm: direct quotes between quotation marks, the
//! speakers next to them, every other place a tagged phrase occurs, and the phrases of a
//! dictionary. Suggestions are never annotations until the user accepts them: nothing here
//! touches a document.

pub mod dictionary;
pub mod occurrences;
pub mod quotes;
pub mod speakers;

use crate::model::label::Label;
use crate::model::offsets::CharRange;
use crate::model::suggestions::{Suggester, Suggestion};
use crate::model::text::ArticleText;
use crate::model::text_units::Segmenter;

/// The direct quotes of `text` (what is between the marks) and, with `speakers`, the name said
/// to have spoken each, as partners: accepting both links them.
pub fn quote_suggestions(text: &ArticleText, speakers: bool) -> Vec<Suggestion> {
    let quotes = quotes::find_quotes(text);
    let found = if speakers {
        speakers::find_speakers(text, &quotes)
    } else {
        Vec::new()
    };
    let mut suggestions: Vec<Suggestion> = quotes
        .iter()
        .map(|q| Suggestion::new(q.inner, Label::Quote, Suggester::Quotes))
        .collect();
    for speaker in found {
        let quote = quotes[speaker.quote].inner;
        suggestions[speaker.quote].partner = Some(speaker.name);
        suggestions.push(Suggestion {
            partner: Some(quote),
            ..Suggestion::new(speaker.name, Label::Entity, Suggester::Speakers)
        });
    }
    suggestions
}

/// Every other whole-word occurrence of the text of `range` in `text`, with `label`.
pub fn tag_all<S: Segmenter + ?Sized>(
    text: &ArticleText,
    range: CharRange,
    label: &Label,
    segmenter: &S,
) -> Vec<Suggestion> {
    let Some(phrase) = text.slice(range) else {
        return Vec::new();
    };
    occurrences::whole_word_occurrences(text, phrase, segmenter)
        .into_iter()
        .filter(|found| *found != range)
        .map(|found| Suggestion::new(found, label.clone(), Suggester::TagAll))
        .collect()
}
