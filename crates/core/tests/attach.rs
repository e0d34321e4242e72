//! A W3C file from another tool whose targets quote a web page by `TextQuoteSelector` only,
//! attached to the article of the library whose text holds the quotes: each quote anchored by
//! its words and context; an ambiguous or missing one reported, never placed by guess.

use annotator_core::formats::attach::{attach, best_article};
use annotator_core::formats::detect::InputFile;
use annotator_core::formats::job::{self, Job, Outcome};
use annotator_core::formats::w3c;
use annotator_core::model::{ArticleText, CharRange, Document, DocumentId, Label, Timestamp};

const FILE: &str = include_str!("../../../tests/fixtures/formats/w3c/quotes-only.jsonld");
const SEED: &str = include_str!("../../../tests/fixtures/seed-article.txt");

fn article(id: &str, text: &str) -> Document {
    Document::new(
        DocumentId::new(id),
        id.into(),
        ArticleText::normalize(text),
        Timestamp::from_unix_millis(0),
    )
}

#[test]
fn the_quotes_of_a_file_without_texts_attach_to_the_article_that_has_them() {
    let read = w3c::read(FILE, Timestamp::from_unix_millis(1)).unwrap();
    assert!(read.documents.is_empty());
    assert_eq!(read.quoted.len(), 5);
    assert_eq!(read.quoted[0].labels, ["PERSON"]);
    assert_eq!(
        read.quoted[1].note.as_deref(),
        Some("Foreign ministry spokesperson.")
    );

    let other = article("other", "Nothing about anyone. Schumer? No.");
    let mut seed = article("seed", SEED);
    // Already tagged here: attached once, not twice.
    let schumer = SEED.find("Schumer disclosed").unwrap();
    let start = SEED[..schumer].chars().count();
    seed.add(
        CharRange::from_raw(start, start + 7).unwrap(),
        Label::parse_any("PERSON").unwrap(),
        Timestamp::from_unix_millis(0),
    )
    .unwrap();
    assert_eq!(best_article(&read.quoted, &[&other, &seed]), Some(1));

    let attached = attach(&read.quoted, &seed, Timestamp::from_unix_millis(2)).unwrap();
    assert_eq!((attached.attached, attached.already), (2, 1));
    let words: Vec<(&str, &str)> = attached
        .document
        .annotations()
        .iter()
        .map(|a| {
            (
                a.label.as_str(),
                attached.document.text().slice(a.range).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        words,
        [
            ("PERSON", "Mao Ning"),
            (
                "claim",
                "expressed China’s concerns over civilian casualties"
            ),
        ]
    );
    let mao = &attached.document.annotations()[0];
    // Numbered on from the article's ids: a2, a3 (the article has a1).
    let ids: Vec<&str> = attached
        .document
        .annotations()
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(ids, ["a2", "a3"]);
    assert_eq!(mao.note.as_deref(), Some("Foreign ministry spokesperson."));
    // Hypothesis names its annotator as the creator: the attached span is theirs.
    let dana = mao.authors.made_by.as_ref().map(|n| n.as_str());
    assert_eq!(dana, Some("acct:dana@hypothes.is"));
    // "China" is in the article 11 times with no context to choose by; Antony Blinken is not in it.
    let exact = |spans: &[annotator_core::formats::attach::QuotedSpan]| {
        spans.iter().map(|q| q.exact.clone()).collect::<Vec<_>>()
    };
    assert_eq!(exact(&attached.ambiguous), ["China"]);
    assert_eq!(exact(&attached.missing), ["Antony Blinken"]);
    assert_eq!(attached.document.check_invariants(), Ok(()));
}

#[test]
fn the_worker_reads_such_a_file_as_quotes_and_no_documents() {
    let job = Job::Read {
        files: vec![InputFile {
            name: "hypothesis.jsonld".into(),
            bytes: FILE.as_bytes().to_vec(),
        }],
        unit: None,
        now: 1,
    };
    let Outcome::Read(read) = job::run(job) else {
        panic!("not read");
    };
    assert_eq!(read.documents, Ok(Vec::new()));
    assert_eq!(read.quoted.len(), 5);
    // The plain import, which has no article to attach them to, names the first and why.
    let error = w3c::import(FILE, Timestamp::from_unix_millis(1)).unwrap_err();
    assert_eq!(error.record, "annotation https://hypothes.is/a/schumer");
    assert!(error.to_string().contains("can be attached to an article"));
}

#[test]
fn no_article_is_chosen_when_no_quote_is_found_in_any() {
    let read = w3c::read(FILE, Timestamp::from_unix_millis(1)).unwrap();
    let other = article("other", "Nothing here.");
    assert_eq!(best_article(&read.quoted, &[&other]), None);
}
