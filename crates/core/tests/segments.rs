#![cfg(not(target_arch = "wasm32"))]
//! The render plan: `paragraphs()` (blocks of text) and `render_plan()` (each block cut into
//! pieces carrying the stack of annotations that cover them, with layers and `opens`).
//!
//! Why: the view renders exactly what the plan says, one memoised component per paragraph. A
//! piece that is missing, overlaps another or carries the wrong marks shows up as lost text or a
//! highlight on the wrong words, and a wrong layer draws two overlapping underlines on top of
//! each other. Proptest checks the structural rules on random text and random overlapping
//! annotations; hand-written cases pin down nesting, crossing spans, a span across paragraphs
//! and one span under two labels exactly.

use std::collections::{HashMap, HashSet};

use annotator_core::model::{
    assign_layers, edited_span, paragraphs, plan_paragraphs, reassign_layers, recut_paragraphs,
    render_plan, Annotation, AnnotationId, ArticleText, ByteOffset, CharOffset, CharRange,
    Document, DocumentId, Label, Paragraph, Piece, Timestamp,
};
use proptest::prelude::*;
use proptest::sample::Index;

fn range(start: usize, end: usize) -> CharRange {
    CharRange::from_raw(start, end).unwrap()
}

fn document(text: &str) -> Document {
    Document::new(
        DocumentId::new("d"),
        "t".into(),
        ArticleText::normalize(text),
        Timestamp::default(),
    )
}

/// The code point range of the first occurrence of `needle`.
fn find(text: &ArticleText, needle: &str) -> CharRange {
    let byte = text
        .as_str()
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let start = text.char_of_byte(ByteOffset::new(byte)).unwrap();
    range(start.get(), start.get() + needle.chars().count())
}

fn tag(document: &mut Document, needle: &str, label: Label) -> AnnotationId {
    let r = find(document.text(), needle);
    document.add(r, label, Timestamp::default()).unwrap().id
}

fn slice(text: &ArticleText, r: CharRange) -> &str {
    text.slice(r).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The rules, checked on any text and any document.
// ---------------------------------------------------------------------------------------------

fn check_paragraphs(text: &ArticleText, paras: &[Paragraph]) {
    let s = text.as_str();
    if s.is_empty() {
        assert!(paras.is_empty(), "empty text has no paragraphs");
        return;
    }
    assert_eq!(paras.first().unwrap().chars.start(), CharOffset::new(0));
    assert_eq!(paras.last().unwrap().chars.end().get(), text.char_len());
    for pair in paras.windows(2) {
        assert_eq!(
            pair[0].chars.end(),
            pair[1].chars.start(),
            "paragraphs are contiguous"
        );
    }
    let mut joined = String::new();
    for (i, p) in paras.iter().enumerate() {
        assert!(!p.chars.is_empty(), "paragraph {i} is empty");
        // The byte range is the same stretch of text as the code point range.
        assert_eq!(text.byte_of(p.chars.start()).unwrap(), p.bytes.0);
        assert_eq!(text.byte_of(p.chars.end()).unwrap(), p.bytes.1);
        let body = slice(text, p.chars);
        assert_eq!(&s[p.bytes.0.get()..p.bytes.1.get()], body);
        // A line, then only the newlines that follow it.
        let line = body.trim_end_matches('\n');
        assert!(
            !line.contains('\n'),
            "paragraph {i} {body:?} holds two lines"
        );
        if i + 1 < paras.len() {
            assert!(
                body.ends_with('\n'),
                "paragraph {i} {body:?} is cut mid-line"
            );
        }
        if i > 0 {
            assert!(
                !body.starts_with('\n'),
                "paragraph {i} {body:?} starts with a newline"
            );
        }
        joined.push_str(body);
    }
    assert_eq!(joined, s, "paragraphs concatenate to the text");
}

/// Every rule of the render plan, against a reference computed straight from the annotations.
fn check_plan(document: &Document, paras: &[Paragraph], plan: &[Vec<Piece>]) {
    let annotations = document.annotations();
    assert_eq!(plan.len(), paras.len(), "one entry per paragraph");

    let mut layer_of: HashMap<AnnotationId, usize> = HashMap::new();
    let mut opened: HashMap<AnnotationId, usize> = HashMap::new();
    let mut covered: HashMap<AnnotationId, usize> = HashMap::new();

    for (paragraph, pieces) in paras.iter().zip(plan) {
        assert!(
            !pieces.is_empty(),
            "a paragraph renders as at least one piece"
        );
        assert_eq!(
            pieces.first().unwrap().range.start(),
            paragraph.chars.start()
        );
        assert_eq!(pieces.last().unwrap().range.end(), paragraph.chars.end());
        for pair in pieces.windows(2) {
            let (left, right) = (&pair[0], &pair[1]);
            assert_eq!(
                left.range.end(),
                right.range.start(),
                "pieces are contiguous"
            );
            // A cut inside a paragraph is always an annotation boundary...
            let cut = left.range.end();
            assert!(
                annotations
                    .iter()
                    .any(|a| a.range.start() == cut || a.range.end() == cut),
                "cut at {cut} is no annotation boundary"
            );
            // ...so two neighbours never carry the same marks.
            let ids = |p: &Piece| p.marks.iter().map(|m| m.id.clone()).collect::<Vec<_>>();
            assert_ne!(
                ids(left),
                ids(right),
                "pieces {} and {} should be one",
                left.range,
                right.range
            );
        }
        for piece in pieces {
            assert!(!piece.range.is_empty(), "empty piece at {}", piece.range);
            let expected: Vec<&Annotation> = annotations
                .iter()
                .filter(|a| a.range.overlaps(piece.range))
                .map(|a| &**a)
                .collect();
            for a in &expected {
                assert!(
                    a.range.contains_range(piece.range),
                    "{} only partly covers piece {}",
                    a.id,
                    piece.range
                );
            }
            let got: Vec<&AnnotationId> = piece.marks.iter().map(|m| &m.id).collect();
            let want: Vec<&AnnotationId> = expected.iter().map(|a| &a.id).collect();
            assert_eq!(got, want, "marks of piece {} (text order)", piece.range);
            for (mark, a) in piece.marks.iter().zip(&expected) {
                assert_eq!(mark.label, a.label);
                assert_eq!(
                    mark.opens,
                    a.range.start() == piece.range.start(),
                    "opens of {} on {}",
                    a.id,
                    piece.range
                );
                let layer = *layer_of.entry(a.id.clone()).or_insert(mark.layer);
                assert_eq!(layer, mark.layer, "{} changes layer between pieces", a.id);
                *opened.entry(a.id.clone()).or_default() += usize::from(mark.opens);
                *covered.entry(a.id.clone()).or_default() += piece.range.len();
            }
        }
    }

    for (i, a) in annotations.iter().enumerate() {
        assert_eq!(opened.get(&a.id), Some(&1), "{} opens exactly once", a.id);
        assert_eq!(
            covered.get(&a.id),
            Some(&a.range.len()),
            "{}'s pieces add up to its span",
            a.id
        );
        // The layer is the lowest one no earlier overlapping annotation holds (a set, so that
        // stacks of a thousand spans stay quick to check).
        let taken: HashSet<usize> = annotations[..i]
            .iter()
            .filter(|b| b.range.overlaps(a.range))
            .map(|b| layer_of[&b.id])
            .collect();
        assert!(
            !taken.contains(&layer_of[&a.id]),
            "{} shares a layer with an earlier overlapping span",
            a.id
        );
        let lowest_free = (0..).find(|l| !taken.contains(l)).unwrap();
        assert_eq!(layer_of[&a.id], lowest_free, "layer of {}", a.id);
    }
}

// ---------------------------------------------------------------------------------------------
// Property tests.
// ---------------------------------------------------------------------------------------------

fn text_with_lines() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        5 => "[a-z]{1,5} ?",
        2 => Just("\n".to_owned()),
        1 => Just("\n\n".to_owned()),
        1 => Just("\r\n".to_owned()),
        2 => prop::sample::select(vec!["😀", "👩‍👩‍👧‍👦", "e\u{301}", "北京市", "שלום", "🏳️‍🌈"]).prop_map(str::to_owned),
    ];
    prop::collection::vec(fragment, 0..60).prop_map(|parts| parts.concat())
}

/// A document on random text with random (often overlapping, nested or crossing) annotations.
fn annotated_document() -> impl Strategy<Value = Document> {
    let spans = prop::collection::vec(
        (
            any::<Index>(),
            1usize..20,
            prop::sample::select(Label::ALL.to_vec()),
        ),
        0..25,
    );
    (text_with_lines(), spans).prop_map(|(text, spans)| {
        let mut d = document(&text);
        let len = d.text().char_len();
        for (start, span_len, label) in spans {
            if len == 0 {
                break;
            }
            let start = start.index(len);
            let end = (start + span_len).min(len);
            // Duplicate spans are refused by the document; the plan only sees what it kept.
            let _ = d.add(range(start, end), label, Timestamp::default());
        }
        d
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn paragraphs_cover_the_text_exactly(text in text_with_lines()) {
        let text = ArticleText::normalize(&text);
        check_paragraphs(&text, &paragraphs(&text));
    }

    #[test]
    fn render_plan_follows_every_rule(d in annotated_document()) {
        d.check_invariants().unwrap();
        let paras = paragraphs(d.text());
        check_paragraphs(d.text(), &paras);
        let plan = render_plan(&paras, d.annotations());
        check_plan(&d, &paras, &plan);
    }

    /// The view cuts only the paragraphs it shows, and after an edit only those that meet
    /// `edited_span`: any run of paragraphs cut alone must equal the same run of a full plan, and
    /// every paragraph outside the edited span must keep exactly its pieces.
    #[test]
    fn a_plan_of_some_paragraphs_matches_the_full_one_and_edits_stay_inside_their_span(
        d in annotated_document(),
        at in any::<Index>(),
        len in 1usize..20,
        label in prop::sample::select(Label::ALL.to_vec()),
        remove in any::<Option<Index>>(),
        relabel in any::<Option<(Index, Index)>>(),
        window in any::<(Index, Index)>(),
    ) {
        let paras = paragraphs(d.text());
        let before = render_plan(&paras, d.annotations());
        let mut edited = d.clone();
        let total = edited.text().char_len();
        if total > 0 {
            let start = at.index(total);
            let _ = edited.add(range(start, (start + len).min(total)), label, Timestamp::default());
        }
        if let Some(pick) = remove.filter(|_| !edited.annotations().is_empty()) {
            let gone = edited.annotations()[pick.index(edited.annotations().len())].clone();
            edited.remove(&gone.id, Timestamp::default());
        }
        if let Some((pick, to)) = relabel.filter(|_| !edited.annotations().is_empty()) {
            let target = edited.annotations()[pick.index(edited.annotations().len())].clone();
            let label = Label::ALL[to.index(Label::ALL.len())].clone();
            let _ = edited.relabel(&target.id, label, Timestamp::default());
        }
        let after = render_plan(&paras, edited.annotations());
        if !paras.is_empty() {
            let (a, b) = (window.0.index(paras.len()), window.1.index(paras.len()));
            let (lo, hi) = (a.min(b), a.max(b) + 1);
            let layers = assign_layers(edited.annotations());
            let part = plan_paragraphs(&paras[lo..hi], edited.annotations(), &layers);
            prop_assert_eq!(&part[..], &after[lo..hi]);
        }
        let span = edited_span(d.annotations(), edited.annotations());
        prop_assert_eq!(span.is_none(), d.annotations() == edited.annotations());
        // The view keeps the layers outside the span and assigns only those inside it again.
        prop_assert_eq!(
            reassign_layers(d.annotations(), &assign_layers(d.annotations()), edited.annotations(), span),
            assign_layers(edited.annotations())
        );
        // What the view does with a highlighted chunk after the edit: re-cut only the paragraphs
        // meeting the span, keep the others' `Rc`.
        if !paras.is_empty() {
            let (a, b) = (window.0.index(paras.len()), window.1.index(paras.len()));
            let (lo, hi) = (a.min(b), a.max(b) + 1);
            let old: Vec<std::rc::Rc<Vec<Piece>>> =
                before[lo..hi].iter().cloned().map(std::rc::Rc::new).collect();
            let layers = assign_layers(edited.annotations());
            let recut = recut_paragraphs(&paras[lo..hi], edited.annotations(), &layers, &old, span);
            for (i, pieces) in recut.iter().enumerate() {
                prop_assert_eq!(pieces.as_ref(), &after[lo + i]);
                if span.is_none_or(|s| !s.overlaps(paras[lo + i].chars)) {
                    prop_assert!(std::rc::Rc::ptr_eq(pieces, &old[i]), "paragraph {} was cut again", lo + i);
                }
            }
        }
        for (i, p) in paras.iter().enumerate() {
            if span.is_none_or(|s| !s.overlaps(p.chars)) {
                prop_assert_eq!(&before[i], &after[i], "paragraph {} changed outside the edited span", i);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Hand-written cases.
// ---------------------------------------------------------------------------------------------

/// A piece as text plus `(label, layer, opens)` of its marks: easy to read in a failure.
type Row<'a> = (&'a str, Vec<(Label, usize, bool)>);

fn rows<'a>(text: &'a ArticleText, pieces: &[Piece]) -> Vec<Row<'a>> {
    pieces
        .iter()
        .map(|p| {
            (
                slice(text, p.range),
                p.marks
                    .iter()
                    .map(|m| (m.label.clone(), m.layer, m.opens))
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn entity_inside_quote_inside_claim_stacks_three_deep() {
    use Label::*;
    let mut d = document("Intro 👋\r\nShe said “北京市 wins 😀” today.\r\n\r\nEnd.");
    tag(&mut d, "She said “北京市 wins 😀” today.", Claim);
    tag(&mut d, "“北京市 wins 😀”", Quote);
    tag(&mut d, "北京市", Entity);
    let paras = paragraphs(d.text());
    let plan = render_plan(&paras, d.annotations());
    check_plan(&d, &paras, &plan);
    let t = d.text();
    assert_eq!(rows(t, &plan[0]), vec![("Intro 👋\n", vec![])]);
    assert_eq!(
        rows(t, &plan[1]),
        vec![
            ("She said ", vec![(Claim, 0, true)]),
            ("“", vec![(Claim, 0, false), (Quote, 1, true)]),
            (
                "北京市",
                vec![(Claim, 0, false), (Quote, 1, false), (Entity, 2, true)]
            ),
            (" wins 😀”", vec![(Claim, 0, false), (Quote, 1, false)]),
            (" today.", vec![(Claim, 0, false)]),
            ("\n\n", vec![]),
        ]
    );
    assert_eq!(rows(t, &plan[2]), vec![("End.", vec![])]);
}

#[test]
fn crossing_spans_get_separate_layers_and_a_freed_layer_is_reused() {
    use Label::*;
    let mut d = document("alpha beta gamma delta");
    tag(&mut d, "alpha beta", Quote);
    tag(&mut d, "beta gamma", Claim);
    // Starts after the quote ended, while the claim (layer 1) is still open: layer 0 is free.
    tag(&mut d, "gamma delta", Entity);
    let paras = paragraphs(d.text());
    let plan = render_plan(&paras, d.annotations());
    check_plan(&d, &paras, &plan);
    assert_eq!(
        rows(d.text(), &plan[0]),
        vec![
            ("alpha ", vec![(Quote, 0, true)]),
            ("beta", vec![(Quote, 0, false), (Claim, 1, true)]),
            (" ", vec![(Claim, 1, false)]),
            ("gamma", vec![(Claim, 1, false), (Entity, 0, true)]),
            (" delta", vec![(Entity, 0, false)]),
        ]
    );
}

#[test]
fn span_across_paragraphs_is_cut_at_the_boundary_and_opens_once() {
    use Label::*;
    let mut d = document("first 北京\nsecond line\nthird");
    tag(&mut d, "北京\nsecond", Quote);
    let paras = paragraphs(d.text());
    let plan = render_plan(&paras, d.annotations());
    check_plan(&d, &paras, &plan);
    let t = d.text();
    assert_eq!(
        rows(t, &plan[0]),
        vec![("first ", vec![]), ("北京\n", vec![(Quote, 0, true)])]
    );
    // Same marks on both sides of the paragraph boundary: allowed only here.
    assert_eq!(
        rows(t, &plan[1]),
        vec![("second", vec![(Quote, 0, false)]), (" line\n", vec![])]
    );
    assert_eq!(rows(t, &plan[2]), vec![("third", vec![])]);
}

#[test]
fn identical_spans_with_two_labels_share_every_piece_on_different_layers() {
    use Label::*;
    let mut d = document("say 🏳️‍🌈 now");
    tag(&mut d, "🏳️‍🌈", Entity);
    tag(&mut d, "🏳️‍🌈", Claim);
    let paras = paragraphs(d.text());
    let plan = render_plan(&paras, d.annotations());
    check_plan(&d, &paras, &plan);
    assert_eq!(
        rows(d.text(), &plan[0]),
        vec![
            ("say ", vec![]),
            ("🏳️‍🌈", vec![(Entity, 0, true), (Claim, 1, true)]),
            (" now", vec![]),
        ]
    );
}

#[test]
fn empty_text_has_no_paragraphs_and_no_plan() {
    let d = document("");
    let paras = paragraphs(d.text());
    assert!(paras.is_empty());
    assert!(render_plan(&paras, d.annotations()).is_empty());
}

/// `n` labels nobody else uses, so that one range can be tagged `n` times.
fn many_labels(n: usize) -> impl Iterator<Item = Label> {
    (0..n).map(|i| Label::parse_any(&format!("annotator-{i}")).unwrap())
}

/// An import of several annotators' merged files can stack far more spans on one word than a
/// layer counted in a byte holds: every one still gets its own layer, and the plan its pieces.
#[test]
fn a_thousand_spans_stacked_on_one_point_each_get_their_own_layer() {
    let mut d = document("before x after");
    let x = find(d.text(), "x");
    for label in many_labels(1_000) {
        d.add(x, label, Timestamp::default()).unwrap();
    }
    let layers = assign_layers(d.annotations());
    let mut sorted = layers.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..1_000).collect::<Vec<_>>());
    let paras = paragraphs(d.text());
    let plan = render_plan(&paras, d.annotations());
    check_plan(&d, &paras, &plan);
    let stacked = &plan[0][1];
    assert_eq!(slice(d.text(), stacked.range), "x");
    assert_eq!(stacked.marks.len(), 1_000);
}

#[test]
fn three_hundred_spans_over_one_word_among_ordinary_ones_follow_every_rule() {
    use Label::*;
    let mut d = document("The mayor said the bridge opens in May.\nIt did not open.");
    tag(&mut d, "The mayor said the bridge opens in May.", Claim);
    tag(&mut d, "mayor", Entity);
    let bridge = find(d.text(), "bridge");
    for label in many_labels(300) {
        d.add(bridge, label, Timestamp::default()).unwrap();
    }
    // Crosses the stack, then a span after it that reuses the lowest layers again.
    tag(&mut d, "idge opens", Quote);
    tag(&mut d, "in May", Quote);
    tag(&mut d, "It did not", Claim);
    let paras = paragraphs(d.text());
    let plan = render_plan(&paras, d.annotations());
    check_plan(&d, &paras, &plan);
    let layer_of = |needle: &str, label: Label| {
        let range = find(d.text(), needle);
        let at = d
            .annotations()
            .iter()
            .position(|a| a.range == range && a.label == label)
            .unwrap();
        assign_layers(d.annotations())[at]
    };
    // Under the claim (0): 300 on "bridge" (1..=300), the quote crossing them (301).
    assert_eq!(layer_of("idge opens", Quote), 301);
    assert_eq!(layer_of("in May", Quote), 1);
    assert_eq!(layer_of("It did not", Claim), 0);
    // Removing one span in the stack: the layers assigned again match a fresh assignment.
    let mut edited = d.clone();
    let gone = edited.annotations()[150].id.clone();
    edited.remove(&gone, Timestamp::default());
    let span = edited_span(d.annotations(), edited.annotations());
    assert_eq!(
        reassign_layers(
            d.annotations(),
            &assign_layers(d.annotations()),
            edited.annotations(),
            span
        ),
        assign_layers(edited.annotations())
    );
}
