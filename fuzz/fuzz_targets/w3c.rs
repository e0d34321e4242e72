//! The w3c import never panics, whatever the bytes; nor does attaching a file's quotes (when
//! it quotes pages it has no text for) to an article.
#![no_main]

use annotator_core::formats::attach::{attach, best_article};
use annotator_core::formats::w3c;
use annotator_core::model::{ArticleText, Document, DocumentId, Timestamp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let now = Timestamp::from_unix_millis(0);
        let _ = w3c::import(text, now);
        if let Ok(read) = w3c::read(text, now) {
            // The file's own bytes as the article: its quotes are found there.
            let article = Document::new(
                DocumentId::new("a"),
                "a".into(),
                ArticleText::normalize(text),
                now,
            );
            let _ = best_article(&read.quoted, &[&article]);
            if let Ok(attached) = attach(&read.quoted, &article, now) {
                assert_eq!(attached.document.check_invariants(), Ok(()));
            }
        }
    }
});
