//! Native micro-benchmarks of the pure core on an L-sized document (1,000,000 characters,
//! 10,000 spans): indexing, segmentation, offset conversion, import, export and storage encoding
//! (schema 3: a save after an edit writes the document entry only; a load reads it and the text
//! entry, and checks the text's fingerprint).
//! Stable toolchain, no harness crate: each operation runs repeatedly and the median and p95 are
//! printed and written to `bench/native.json` (`--quick` runs each once, for the smoke test).

use std::time::Instant;

use annotator_core::formats::dataset::OffsetUnit;
use annotator_core::formats::{doccano, native};
use annotator_core::model::{
    assign_layers, edited_span, paragraphs, render_plan, ArticleText, CharRange, Document,
    DocumentId, Label, Timestamp, Utf16Offset,
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

fn time(name: &str, repeats: usize, mut f: impl FnMut()) -> (String, f64, f64) {
    let mut samples: Vec<f64> = (0..repeats)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    let median = samples[(samples.len() - 1) / 2];
    let p95 = samples[(samples.len() * 95).div_ceil(100).saturating_sub(1)];
    println!("{name:<48} median {median:>9.3} ms   p95 {p95:>9.3} ms");
    (name.to_owned(), median, p95)
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
