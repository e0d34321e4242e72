//! Whatever the browser keeps under an adjudication's key (damaged, hand-edited, from another
//! version), reading it never panics; when it reads, lining up the two annotators' spans, the
//! agreement report over them and the gold article built from its decisions (edited spans out of
//! the text included) never panic either, and the gold article holds the document invariants.
#![no_main]

use std::collections::BTreeMap;

use annotator_core::agreement::adjudication::{differences, gold, GoldSource};
use annotator_core::agreement::adjudication_record::AdjudicationRecord;
use annotator_core::agreement::report;
use annotator_core::agreement::study::{Study, StudyArticle};
use annotator_core::model::Timestamp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let Ok((record, codings)) = AdjudicationRecord::read(json) else {
        return;
    };
    let found = differences(&codings[0].spans, &codings[1].spans);
    let decisions: BTreeMap<_, _> = record.decisions.iter().cloned().collect();
    let source = GoldSource {
        title: &record.title,
        text: &record.text,
        names: [&record.names[0], &record.names[1]],
        codings: [&codings[0], &codings[1]],
        adjudicator: &record.adjudicator,
    };
    if let Ok(document) = gold(&source, &found, &decisions, Timestamp::from_unix_millis(0)) {
        assert_eq!(document.check_invariants(), Ok(()));
    }
    let study = Study {
        annotators: record.names.to_vec(),
        articles: vec![StudyArticle {
            title: record.title.clone(),
            text: record.text.clone(),
            text_chars: record.text.chars().count(),
            codings: codings.into_iter().map(Some).collect(),
        }],
        unpaired: Vec::new(),
    };
    let _ = report(&study);
});
