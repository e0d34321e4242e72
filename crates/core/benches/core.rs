//! Native micro-benchmarks of the pure core on an L-sized document (1,000,000 characters,
//! 10,000 spans): indexing, segmentation, offset conversion, import, export and storage encoding
//! (schema 4: a save after an edit writes the document entry only; a load reads it and the text
//! entry, and checks the text's fingerprint). The "L+rel" rows use L with 5,000 relations and
//! attribute values on every other span: linking, values, a delete that takes relations along
//! and its undo, the merge of two tabs' copies, storage and native export.
//! Stable toolchain, no harness crate: each operation runs repeatedly and the median and p95 are
//! printed and written to `bench/native.json` (`--quick` runs each once, for the smoke test).

use std::time::Instant;

use annotator_core::agreement::{pair_articles, report};
use annotator_core::formats::dataset::OffsetUnit;
use annotator_core::formats::{doccano, native};
use annotator_core::model::suggest::occurrences::whole_word_occurrences;
use annotator_core::model::suggest::quotes::find_quotes;
use annotator_core::model::suggest::speakers::find_speakers;
use annotator_core::model::text_change::{place, Placement, TextChange};
use annotator_core::model::text_fix::fix_text;
use annotator_core::model::text_units::PlainSegmenter;
use annotator_core::model::{
    assign_layers, edited_span, merge, paragraphs, render_plan, Annotation, AnnotationId,
    ArticleText, CharOffset, CharRange, Document, DocumentId, Edit, History, Label, Relation,
    RelationKind, Schema, Timestamp, Utf16Offset,
};
use annotator_core::persist::stored;

/// A small deterministic generator (LCG), so runs are comparable.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn large_document() -> Document {
    const WORDS: [&str; 12] = [
        "the",
        "minister",
        "said",
        "“talks",
        "went",
        "well”",
        "in",
        "北京",
        "😀",
        "Zoë",
        "officials",
        "ceasefire",
    ];
    let mut rng = Lcg(42);
    let mut text = String::new();
    let mut chars = 0;
    while chars < 1_000_000 {
        let word = WORDS[rng.below(WORDS.len() as u64) as usize];
        text.push_str(word);
        chars += word.chars().count();
        let sep = if rng.below(90) == 0 { "\n\n" } else { " " };
        text.push_str(sep);
        chars += sep.chars().count();
    }
    let article = ArticleText::normalize(&text);
    let len = article.char_len() as u64;
    let mut doc = Document::new(
        DocumentId::new("bench-l"),
        "Benchmark L".into(),
        article,
        Timestamp::default(),
    );
    let labels = Label::ALL;
    let mut added = 0;
    while added < 10_000 {
        let start = rng.below(len - 61);
        let end = start + 1 + rng.below(60);
        let range =
            CharRange::from_raw(start as usize, end as usize).unwrap_or_else(|_| unreachable!());
        let label = labels[rng.below(3) as usize].clone();
        if doc.add(range, label, Timestamp::default()).is_ok() {
            added += 1;
        }
    }
    doc
}

const KINDS: [&str; 4] = ["said_by", "about", "same_as", "continues"];

fn relation(rng: &mut Lcg, doc: &Document) -> Relation {
    let all = doc.annotations();
    let mut pick = || all[rng.below(all.len() as u64) as usize].id.clone();
    let (from, to) = (pick(), pick());
    let kind = KINDS[rng.below(KINDS.len() as u64) as usize];
    Relation::new(
        RelationKind::parse(kind).unwrap_or_else(|_| unreachable!()),
        from,
        to,
    )
}

/// L with 5,000 relations between random spans and a value on every other span.
fn with_relations(doc: &Document) -> Document {
    let mut doc = doc.clone();
    let now = Timestamp::default();
    let ids: Vec<_> = doc.annotations().iter().map(|a| a.id.clone()).collect();
    for (i, id) in ids.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
        let (name, value) = match i % 3 {
            0 => ("type", "direct"),
            1 => ("kind", "person"),
            _ => ("check_worthy", "unsure"),
        };
        let _ = doc.set_attribute(id, name, Some(value), now);
    }
    let mut rng = Lcg(99);
    while doc.relations().len() < 5_000 {
        let r = relation(&mut rng, &doc);
        let _ = doc.link(r, now);
    }
    doc
}

/// Each of `repeats` runs of `f` gets a fresh input from `setup`, which is not timed.
fn time_each<T>(
    name: &str,
    repeats: usize,
    mut setup: impl FnMut() -> T,
    mut f: impl FnMut(T),
) -> (String, f64, f64) {
    let mut samples: Vec<f64> = (0..repeats)
        .map(|_| {
            let input = setup();
            let t = Instant::now();
            f(input);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    summarise(name, &mut samples)
}

fn time(name: &str, repeats: usize, mut f: impl FnMut()) -> (String, f64, f64) {
    let mut samples: Vec<f64> = (0..repeats)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    summarise(name, &mut samples)
}

fn summarise(name: &str, samples: &mut [f64]) -> (String, f64, f64) {
    samples.sort_by(f64::total_cmp);
    let median = samples[(samples.len() - 1) / 2];
    let p95 = samples[(samples.len() * 95).div_ceil(100).saturating_sub(1)];
    println!("{name:<48} median {median:>9.3} ms   p95 {p95:>9.3} ms");
    (name.to_owned(), median, p95)
}

/// #15's agreement target: three annotators' files of 100 articles (about 5,000 code points
/// each) with 200 spans per article each, made from one set of spans that each annotator moves,
/// relabels, drops or adds to.
fn agreement_study() -> Vec<(String, Vec<Document>)> {
    let labels = [Label::Quote, Label::Entity, Label::Claim];
    let mut rng = Lcg(15);
    let mut annotators: Vec<(String, Vec<Document>)> = ["ann", "bob", "cy"]
        .iter()
        .map(|name| ((*name).to_owned(), Vec::new()))
        .collect();
    for article in 0..100 {
        let words = ["said ", "the ", "minister ", "北京 ", "😀 ", "Zoë "];
        let mut text = format!("Article {article}. ");
        text.extend((0..900).map(|_| words[rng.below(6) as usize]));
        let length = text.chars().count() as u64;
        let base: Vec<(u64, u64, usize)> = (0..200)
            .map(|_| {
                let start = rng.below(length - 40);
                (start, start + 1 + rng.below(40), rng.below(3) as usize)
            })
            .collect();
        for (_, documents) in annotators.iter_mut() {
            let mut document = Document::new(
                DocumentId::new(&format!("d{article}")),
                format!("Article {article}"),
                ArticleText::normalize(&text),
                Timestamp::default(),
            );
            for (n, &(start, end, label)) in base.iter().enumerate() {
                let (start, end, label) = match rng.below(10) {
                    0 => (start, end, (label + 1) % 3),
                    1 => (start + rng.below(3), end + rng.below(3), label),
                    _ => (start, end, label),
                };
                let range =
                    CharRange::from_raw(start as usize, (end as usize).max(start as usize + 1));
                if let Ok(range) = range {
                    let id = AnnotationId::numbered(n as u64 + 1);
                    let _ = document.insert(
                        Annotation::new(id, labels[label].clone(), range),
                        Timestamp::default(),
                    );
                }
            }
            documents.push(document);
        }
    }
    annotators
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let repeats = if quick { 1 } else { 15 };
    let doc = large_document();
    let raw = doc.text().as_str().to_owned();
    let paras = paragraphs(doc.text());
    let mut rng = Lcg(7);
    let utf16_len = doc.text().utf16_len() as u64;
    let offsets: Vec<Utf16Offset> = (0..10_000)
        .map(|_| Utf16Offset::new(rng.below(utf16_len) as usize))
        .collect();
    let mut deleted = doc.clone();
    let middle = doc.annotations()[doc.annotations().len() / 2].id.clone();
    let _ = deleted.remove(&middle, Timestamp::default());
    let entries = stored::encode_entries(&doc, Timestamp::default(), "bench", None);
    let fingerprint = entries.fingerprint;
    // doccano's front end counts UTF-16 units; the L text has an emoji every dozen words, so
    // every span's offsets need converting.
    let doccano_utf16 = doccano::export(&[&doc], OffsetUnit::Utf16);
    let reimported = doccano::import(&doccano_utf16, OffsetUnit::Utf16, Timestamp::default());
    assert_eq!(
        reimported.ok().map(|d| d[0].annotations().len()),
        Some(doc.annotations().len()),
        "the doccano file of L imports whole"
    );
    println!(
        "stored entries of L: document {} bytes, text {} bytes",
        entries.document.len(),
        entries.text.len()
    );
    let rel = with_relations(&doc);
    let rel_entries = stored::encode_entries(&rel, Timestamp::default(), "bench", None);
    println!(
        "L+rel: {} relations, {} spans with values; document entry {} bytes",
        rel.relations().len(),
        rel.annotations()
            .iter()
            .filter(|a| !a.attributes.is_empty())
            .count(),
        rel_entries.document.len()
    );
    // The annotation with the most relations, for the delete.
    let hub = rel
        .annotations()
        .iter()
        .max_by_key(|a| rel.relations_of(&a.id).count())
        .map(|a| a.id.clone())
        .unwrap_or_else(|| unreachable!());
    let hub_relations = rel.relations_of(&hub).count();
    // Two tabs' copies: each linked 20, unlinked 10, set 20 values and deleted 5 annotations.
    let edited = |seed: u64| {
        let mut d = rel.clone();
        let mut rng = Lcg(seed);
        let now = Timestamp::from_unix_millis(seed as i64);
        for _ in 0..20 {
            let r = relation(&mut rng, &d);
            let _ = d.link(r, now);
            let id = d.annotations()[rng.below(10_000) as usize].id.clone();
            let _ = d.set_attribute(&id, "type", Some("mixed"), now);
        }
        for _ in 0..10 {
            let r = d.relations()[rng.below(4_000) as usize].clone();
            d.unlink(&r, now);
        }
        for _ in 0..5 {
            let id = d.annotations()[rng.below(9_000) as usize].id.clone();
            d.remove(&id, now);
        }
        d
    };
    let (ours, theirs) = (edited(1), edited(2));
    // A typo fixed in the middle of L, between two spans: no span is orphaned.
    let gap = doc.annotations()[5_000].range.end();
    let typo = TextChange {
        replaced: CharRange::spanning(gap, CharOffset::new(gap.get() + 2)),
        inserted: "fixed".into(),
    };
    let fixed = typo
        .apply(doc.text())
        .and_then(Result::ok)
        .unwrap_or_else(|| unreachable!());
    let orphans = doc
        .annotations()
        .iter()
        .filter(|a| place(doc.text(), &fixed, &typo, a.range) == Placement::Orphaned)
        .count();
    println!("text fix in L: {orphans} of 10,000 spans orphaned");
    let quotes = find_quotes(doc.text());
    let tag_all = whole_word_occurrences(doc.text(), "ceasefire", &PlainSegmenter).len();
    println!(
        "suggestions in L: {} quotes, {} speakers; \"ceasefire\" {tag_all} times",
        quotes.len(),
        find_speakers(doc.text(), &quotes).len()
    );
    let mut link_rng = Lcg(5);
    let mut linking = rel.clone();
    let mut unlink_rng = Lcg(6);
    let mut unlinking = rel.clone();
    let mut values = rel.clone();
    let mut flip = false;
    let study_files = agreement_study();
    let study = pair_articles(&study_files);
    println!(
        "agreement study: {} annotators, {} paired articles, {} spans",
        study.annotators.len(),
        study.articles.len(),
        study_files
            .iter()
            .flat_map(|(_, d)| d)
            .map(|d| d.annotations().len())
            .sum::<usize>()
    );
    let results = [
        time(
            "index 1 MB of text (ArticleText::normalize)",
            repeats,
            || {
                std::hint::black_box(ArticleText::normalize(&raw));
            },
        ),
        time("paragraphs + render plan (10,000 spans)", repeats, || {
            std::hint::black_box(render_plan(&paragraphs(doc.text()), doc.annotations()));
        }),
        time("render plan only", repeats, || {
            std::hint::black_box(render_plan(&paras, doc.annotations()));
        }),
        // What every edit of L pays before anything is drawn: the reducer copies the document,
        // the view finds what the edit changed and the layers of the highlights.
        time("edit: copy the document (10,000 spans)", repeats, || {
            std::hint::black_box(doc.clone());
        }),
        time("edit: edited span after a delete", repeats, || {
            std::hint::black_box(edited_span(doc.annotations(), deleted.annotations()));
        }),
        time("edit: layers of all 10,000 spans", repeats, || {
            std::hint::black_box(assign_layers(doc.annotations()));
        }),
        time("text fix: smallest change of 1 MB", repeats, || {
            std::hint::black_box(TextChange::between(doc.text().as_str(), fixed.as_str()));
        }),
        time("text fix: new text, 10,000 spans placed", repeats, || {
            let after = typo.apply(doc.text()).and_then(Result::ok);
            if let Some(after) = after {
                for a in doc.annotations() {
                    std::hint::black_box(place(doc.text(), &after, &typo, a.range));
                }
            }
        }),
        // The whole fix as the Fix text dialog makes it: the smallest change found, the new
        // text indexed, every span placed, the document rebuilt (what the ≤ 16 ms target is).
        time(
            "text fix: fix_text on L (document rebuilt)",
            repeats,
            || {
                std::hint::black_box(fix_text(&doc, fixed.clone(), Timestamp::default()));
            },
        ),
        time("suggest: quotes in L", repeats, || {
            std::hint::black_box(find_quotes(doc.text()));
        }),
        time("suggest: the speakers of those quotes", repeats, || {
            std::hint::black_box(find_speakers(doc.text(), &quotes));
        }),
        time(
            "suggest: tag all, a word found 10,000+ times",
            repeats,
            || {
                std::hint::black_box(whole_word_occurrences(
                    doc.text(),
                    "ceasefire",
                    &PlainSegmenter,
                ));
            },
        ),
        time("10,000 UTF-16 → code point conversions", repeats, || {
            for &o in &offsets {
                let _ = std::hint::black_box(doc.text().char_of_utf16(o));
            }
        }),
        time("import doccano (UTF-16) L", repeats, || {
            let documents =
                doccano::import(&doccano_utf16, OffsetUnit::Utf16, Timestamp::default());
            std::hint::black_box(documents.ok());
        }),
        time("export to native JSON", repeats, || {
            std::hint::black_box(native::export(
                [&doc],
                &annotator_core::model::Schema::default(),
            ));
        }),
        time("encode storage envelope", repeats, || {
            // What a save after an edit serialises: the document entry; the text is stored.
            std::hint::black_box(stored::encode_document(
                &doc,
                fingerprint,
                Timestamp::default(),
                "bench",
                Some("bench@0"),
                &[],
            ));
        }),
        time("decode storage envelope (load)", repeats, || {
            std::hint::black_box(
                stored::decode_document(&entries.document, Some(&entries.text)).ok(),
            );
        }),
        time("text entry: encode (once per document)", repeats, || {
            std::hint::black_box(stored::encode_text(
                doc.text().as_str(),
                Timestamp::default(),
            ));
        }),
        time("text fingerprint (FNV-1a of 1 MB)", repeats, || {
            std::hint::black_box(stored::TextFingerprint::of(doc.text().as_str()));
        }),
        time("L+rel: link (5,000 relations)", repeats, || loop {
            let r = relation(&mut link_rng, &linking);
            if linking.link(r, Timestamp::default()).is_ok() {
                break;
            }
        }),
        time("L+rel: unlink", repeats, || {
            let all = unlinking.relations();
            let r = all[unlink_rng.below(all.len() as u64) as usize].clone();
            std::hint::black_box(unlinking.unlink(&r, Timestamp::default()));
        }),
        time("L+rel: set an attribute value", repeats, || {
            flip = !flip;
            let id = values.annotations()[5_001].id.clone();
            let value = if flip { "direct" } else { "indirect" };
            let _ = std::hint::black_box(values.set_attribute(
                &id,
                "type",
                Some(value),
                Timestamp::default(),
            ));
        }),
        time_each(
            &format!("L+rel: delete an annotation with {hub_relations} relations"),
            repeats,
            || rel.clone(),
            |mut d| {
                std::hint::black_box(d.remove(&hub, Timestamp::default()));
            },
        ),
        time_each(
            "L+rel: undo that delete",
            repeats,
            || {
                let mut d = rel.clone();
                let mut history = History::default();
                if let Some(removed) = d.remove(&hub, Timestamp::default()) {
                    history.record(Edit::Removed(removed));
                }
                (d, history)
            },
            |(mut d, mut history)| {
                std::hint::black_box(history.undo(&mut d, Timestamp::default()));
            },
        ),
        time("L+rel: merge two tabs' edited copies", repeats, || {
            std::hint::black_box(merge(Some(&rel), &ours, &theirs));
        }),
        time("L+rel: encode storage envelope", repeats, || {
            std::hint::black_box(stored::encode_document(
                &rel,
                rel_entries.fingerprint,
                Timestamp::default(),
                "bench",
                Some("bench@0"),
                &[],
            ));
        }),
        time("L+rel: decode storage envelope (load)", repeats, || {
            std::hint::black_box(
                stored::decode_document(&rel_entries.document, Some(&rel_entries.text)).ok(),
            );
        }),
        time("L+rel: export to native JSON", repeats, || {
            std::hint::black_box(native::export([&rel], &Schema::default()));
        }),
        time(
            "agreement: pair 3 annotators' 100 articles by text",
            repeats,
            || {
                std::hint::black_box(pair_articles(&study_files));
            },
        ),
        time(
            "agreement: report, 3 annotators x 100 articles x 200 spans",
            repeats,
            || {
                std::hint::black_box(report(&study));
            },
        ),
    ];
    let json: Vec<String> = results
        .iter()
        .map(|(name, median, p95)| {
            format!("  {name:?}: {{\"median\": {median:.4}, \"p95\": {p95:.4}}}")
        })
        .collect();
    let out = std::env::var("BENCH_OUT").unwrap_or_else(|_| "bench/native.json".to_owned());
    if let Some(dir) = std::path::Path::new(&out).parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    match std::fs::write(&out, format!("{{\n{}\n}}\n", json.join(",\n"))) {
        Ok(()) => println!("wrote {out}"),
        Err(e) => eprintln!("could not write {out}: {e}"),
    }
}
