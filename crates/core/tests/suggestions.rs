//! Suggestions under review and accepting them: the list is in text order, holds nothing the
//! document has, walks and shrinks without ever losing its place; accepting tags exactly what
//! was accepted (and links a quote to its speaker), and one undo takes it all back. Dictionaries
//! read from plain lines, CSV and JSON Lines, refusing bad lines by number.

use std::rc::Rc;

use annotator_core::model::suggest::dictionary::{self, Entry};
use annotator_core::model::suggest::{quote_suggestions, tag_all};
use annotator_core::model::suggestions::{accept, tagged_in, Suggester, Suggestion, Suggestions};
use annotator_core::model::text_units::PlainSegmenter;
use annotator_core::model::{
    ArticleText, CharRange, Document, DocumentId, Edit, Label, OpenDocument, RelationKind, Step,
    Timestamp,
};
use proptest::prelude::*;

const TEXT: &str =
    "“We will win,” said Jane Doe. Doe left 😀 early.\r\n«Non», a dit Marie Curie. Doe?";

fn document(text: &str) -> Document {
    Document::new(
        DocumentId::new("d1"),
        "T".into(),
        ArticleText::normalize(text),
        Timestamp::from_unix_millis(0),
    )
}

fn at(millis: i64) -> Timestamp {
    Timestamp::from_unix_millis(millis)
}

fn range(start: usize, end: usize) -> CharRange {
    CharRange::from_raw(start, end).unwrap()
}

fn label(i: usize) -> Label {
    Label::ALL[i % 3].clone()
}

fn suggestion() -> impl Strategy<Value = (usize, usize, usize)> {
    (0..40usize, 1..6usize, 0..3usize)
}

fn said_by() -> RelationKind {
    RelationKind::parse("said_by").unwrap()
}

proptest! {
    #[test]
    fn the_list_is_in_order_without_duplicates_or_tagged_spans(
        found in proptest::collection::vec(suggestion(), 0..30),
        tagged in proptest::collection::vec(suggestion(), 0..10),
    ) {
        let mut d = document(TEXT);
        for &(start, len, l) in &tagged {
            let _ = d.add(range(start, start + len), label(l), at(1));
        }
        let found = found.iter().map(|&(s, len, l)| {
            Suggestion::new(range(s, s + len), label(l), Suggester::TagAll)
        });
        let list = Suggestions::new(found, d.text().char_len(), &tagged_in(&d));
        let items = list.items();
        for pair in items.windows(2) {
            prop_assert!((pair[0].range.start(), pair[0].range.end()) <= (pair[1].range.start(), pair[1].range.end()));
            prop_assert!(pair[0].range != pair[1].range || pair[0].label != pair[1].label);
        }
        for s in items {
            prop_assert!(!d.annotations().iter().any(|a| a.range == s.range && a.label == s.label));
        }
    }

    #[test]
    fn walking_and_taking_never_lose_the_place(
        found in proptest::collection::vec(suggestion(), 1..30),
        moves in proptest::collection::vec(0..4u8, 0..40),
    ) {
        let d = document(TEXT);
        let found = found.iter().map(|&(s, len, l)| {
            Suggestion::new(range(s, s + len), label(l), Suggester::Dictionary)
        });
        let mut list = Suggestions::new(found, d.text().char_len(), &tagged_in(&d));
        let mut seen = list.len();
        for m in moves {
            match m {
                0 => list.step(true),
                1 => list.step(false),
                2 => {
                    let before = list.current().cloned();
                    let taken = list.take_current();
                    prop_assert_eq!(taken, before);
                    seen = seen.saturating_sub(1);
                }
                _ => {
                    let len = list.len();
                    if len > 0 {
                        list.step(true);
                        list.step(false);
                    }
                }
            }
            prop_assert_eq!(list.len(), seen);
            prop_assert_eq!(list.current().is_some(), !list.is_empty());
        }
        let len = list.len();
        let start = list.position();
        for _ in 0..len {
            list.step(true);
        }
        prop_assert_eq!(list.position(), start);
    }

    /// Accepting any of them is one undo step: undo restores the document exactly, redo brings
    /// back exactly what was accepted.
    #[test]
    fn accepting_is_one_step_undone_whole(
        found in proptest::collection::vec(suggestion(), 1..20),
        tagged in proptest::collection::vec(suggestion(), 0..5),
    ) {
        let mut d = document(TEXT);
        for &(start, len, l) in &tagged {
            let _ = d.add(range(start, start + len), label(l), at(1));
        }
        let before = d.clone();
        let found: Vec<Suggestion> = found.iter().map(|&(s, len, l)| {
            Suggestion::new(range(s, s + len), label(l), Suggester::Quotes)
        }).collect();
        let mut open = OpenDocument::new(Rc::new(d));
        let accepted = open.edit(at(2), None, |doc| Ok::<_, String>(Edit::Batch(accept(doc, &found, None, at(2)))));
        prop_assert!(accepted.is_ok());
        let after = (*open.document).clone();
        for s in &found {
            prop_assert!(after.annotations().iter().any(|a| a.range == s.range && a.label == s.label));
        }
        prop_assert_eq!(
            after.annotations().len(),
            Suggestions::new(found.clone(), before.text().char_len(), &tagged_in(&before)).len() + before.annotations().len()
        );
        prop_assert!(matches!(open.step(at(3), None, false), Step::Applied(_)));
        prop_assert!(open.document.same_content(&before));
        prop_assert!(matches!(open.step(at(4), None, true), Step::Applied(_)));
        prop_assert!(open.document.same_content(&after));
    }
}

#[test]
fn a_quote_and_its_speaker_are_linked_in_either_order() {
    for speaker_first in [false, true] {
        let mut d = document(TEXT);
        let mut found = quote_suggestions(d.text(), true);
        let quote = found
            .iter()
            .find(|s| s.label == Label::Quote)
            .unwrap()
            .clone();
        assert_eq!(d.text().slice(quote.range), Some("We will win,"));
        let speaker = found
            .iter()
            .find(|s| s.by == Suggester::Speakers)
            .unwrap()
            .clone();
        assert_eq!(d.text().slice(speaker.range), Some("Jane Doe"));
        assert_eq!(speaker.partner, Some(quote.range));
        if speaker_first {
            found.reverse();
        }
        let order: Vec<Suggestion> = found
            .into_iter()
            .filter(|s| *s == quote || *s == speaker)
            .collect();
        let mut edits = Vec::new();
        for s in &order {
            edits.extend(accept(
                &mut d,
                std::slice::from_ref(s),
                Some(&said_by()),
                at(5),
            ));
        }
        assert_eq!(d.relations().len(), 1, "speaker first: {speaker_first}");
        let r = d.relations().get(0).unwrap();
        assert_eq!(d.annotation(&r.from).unwrap().range, quote.range);
        assert_eq!(d.annotation(&r.to).unwrap().range, speaker.range);
        assert!(matches!(edits.last(), Some(Edit::Linked(_))));
    }
}

#[test]
fn tag_all_offers_the_other_whole_word_places_only() {
    let d = document(TEXT);
    let doe = d.text().as_str().chars().collect::<String>();
    let first = doe.find("Doe").unwrap();
    let start = doe[..first].chars().count();
    let found = tag_all(
        d.text(),
        range(start, start + 3),
        &Label::Entity,
        &PlainSegmenter,
    );
    let texts: Vec<&str> = found
        .iter()
        .map(|s| d.text().slice(s.range).unwrap())
        .collect();
    assert_eq!(texts, ["Doe", "Doe"]);
    assert!(found.iter().all(|s| s.range.start().get() != start));
    assert!(found
        .iter()
        .all(|s| s.label == Label::Entity && s.by == Suggester::TagAll));
}

#[test]
fn taking_what_is_in_view_keeps_the_rest_under_review() {
    let d = document(TEXT);
    let found =
        (0..10).map(|i| Suggestion::new(range(i * 4, i * 4 + 2), Label::Claim, Suggester::Search));
    let mut list = Suggestions::new(found, d.text().char_len(), &tagged_in(&d));
    let taken = list.take_within(range(8, 21));
    let starts: Vec<usize> = taken.iter().map(|s| s.range.start().get()).collect();
    assert_eq!(starts, [8, 12, 16]);
    assert_eq!(list.len(), 7);
    assert_eq!(list.current().unwrap().range.start().get(), 24);
}

#[test]
fn a_dictionary_reads_lines_csv_and_json_lines() {
    let source = "phrase,label\n\
                  Jane Doe\n\
                  \"Doe, Jane\",PERSON\n\
                  Acme,org\n\
                  rates rose,Claim\n\
                  {\"label\": \"GPE\", \"pattern\": \"北京\"}\n\
                  {\"text\": \"Zoë 😀\", \"label\": \"quote\"}\n\
                  {\"pattern\": [{\"LOWER\": \"acme\"}], \"label\": \"ORG\"}\n\
                  Nobody,WEIRDO\n\
                  {broken\n\
                  ,entity\n\
                  # a comment\n\
                  Jane Doe\n";
    let read = dictionary::parse(source, &Label::Entity);
    let entry = |phrase: &str, label: Label| Entry {
        phrase: phrase.into(),
        label,
    };
    assert_eq!(
        read.entries,
        [
            entry("Jane Doe", Label::Entity),
            entry("Doe, Jane", Label::Entity),
            entry("Acme", Label::Entity),
            entry("rates rose", Label::Claim),
            entry("北京", Label::Entity),
            entry("Zoë 😀", Label::Quote),
        ]
    );
    let lines: Vec<usize> = read.refused.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [8, 9, 10, 11]);
    assert!(
        read.refused[0].1.contains("token patterns"),
        "{:?}",
        read.refused
    );
    assert!(read.refused[1].1.contains("WEIRDO"), "{:?}", read.refused);
    assert!(read.refused[3].1.contains("empty"), "{:?}", read.refused);
}

#[test]
fn dictionary_suggestions_are_whole_words_in_code_points() {
    let text = ArticleText::normalize("Acme 😀 Acme-Corp Acmes\r\nto 北京 Acme");
    let read = dictionary::parse("Acme,ORG", &Label::Claim);
    let found = dictionary::suggestions(&text, &read, &PlainSegmenter);
    let starts: Vec<usize> = found.iter().map(|s| s.range.start().get()).collect();
    // CRLF is one line break (normalised to `\n`), so the last one starts at 29.
    assert_eq!(starts, [0, 7, 29]);
    assert!(found.iter().all(|s| text.slice(s.range) == Some("Acme")));
}
