#![cfg(not(target_arch = "wasm32"))]
//! Offset conversions of `ArticleText` (code points ↔ UTF-16 ↔ UTF-8 bytes) and line-ending
//! normalisation, checked against a deliberately naive reference that walks the whole string.
//!
//! Why: every annotation is stored in code points, the DOM speaks UTF-16 and Rust slices bytes.
//! A conversion that is off by one unit silently shifts every exported span, and the indexed
//! conversion (a checkpoint every 64 code points) has exactly the kind of boundary arithmetic
//! that breaks on astral characters sitting at a checkpoint. So each tricky text is checked at
//! *every* offset, and proptest checks arbitrary strings the same way.

use annotator_core::model::selection::trim_whitespace;
use annotator_core::model::text::{normalize_line_endings, OffsetError};
use annotator_core::model::{ArticleText, ByteOffset, CharOffset, CharRange, Utf16Offset};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// The naive reference model.
// ---------------------------------------------------------------------------------------------

/// `\r\n` → `\n`, then any remaining `\r` → `\n`: the spec of normalisation, written differently
/// from the implementation (which walks chars with a peek).
fn naive_normalize(raw: &str) -> String {
    raw.replace("\r\n", "\n").replace('\r', "\n")
}

fn naive_utf16_of(s: &str, n: usize) -> usize {
    s.chars().take(n).map(char::len_utf16).sum()
}

fn naive_byte_of(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(byte, _)| byte)
}

fn naive_slice(s: &str, start: usize, end: usize) -> String {
    s.chars().skip(start).take(end - start).collect()
}

fn char_offset(n: usize) -> CharOffset {
    CharOffset::new(n)
}

fn range(start: usize, end: usize) -> CharRange {
    CharRange::from_raw(start, end).unwrap()
}

/// Every conversion at every offset of `raw` (after normalisation) agrees with the naive model;
/// every offset that is not a character boundary, and every offset past the end, is an error.
fn check_conversions_exhaustively(name: &str, raw: &str) {
    let text = ArticleText::normalize(raw);
    let s = naive_normalize(raw);
    assert_eq!(text.as_str(), s, "{name}: normalised text");
    assert!(!text.as_str().contains('\r'), "{name}: CR survived");

    let char_len = s.chars().count();
    let utf16_len = s.encode_utf16().count();
    assert_eq!(text.char_len(), char_len, "{name}: char_len");
    assert_eq!(text.utf16_len(), utf16_len, "{name}: utf16_len");

    // Code point → UTF-16 / byte, and back, at every code point boundary.
    for n in 0..=char_len {
        let utf16 = text.utf16_of(char_offset(n)).unwrap();
        let byte = text.byte_of(char_offset(n)).unwrap();
        assert_eq!(utf16.get(), naive_utf16_of(&s, n), "{name}: utf16_of({n})");
        assert_eq!(byte.get(), naive_byte_of(&s, n), "{name}: byte_of({n})");
        assert_eq!(
            text.char_of_utf16(utf16),
            Ok(char_offset(n)),
            "{name}: char_of_utf16 ∘ utf16_of at {n}"
        );
        assert_eq!(
            text.char_of_byte(byte),
            Ok(char_offset(n)),
            "{name}: char_of_byte ∘ byte_of at {n}"
        );
    }

    // Every UTF-16 offset: a boundary maps to its code point, the low half of a pair is an error.
    let mut utf16_boundaries = vec![None; utf16_len + 1];
    let mut at = 0;
    for (n, c) in s.chars().enumerate() {
        utf16_boundaries[at] = Some(n);
        at += c.len_utf16();
    }
    utf16_boundaries[utf16_len] = Some(char_len);
    for (u, boundary) in utf16_boundaries.iter().enumerate() {
        let expected = match boundary {
            Some(n) => Ok(char_offset(*n)),
            None => Err(OffsetError::InsideCharacter { offset: u }),
        };
        assert_eq!(
            text.char_of_utf16(Utf16Offset::new(u)),
            expected,
            "{name}: char_of_utf16({u})"
        );
    }

    // Every byte offset: a char boundary maps to its code point, anything else is an error.
    for b in 0..=s.len() {
        let expected = if s.is_char_boundary(b) {
            Ok(char_offset(s[..b].chars().count()))
        } else {
            Err(OffsetError::InsideCharacter { offset: b })
        };
        assert_eq!(
            text.char_of_byte(ByteOffset::new(b)),
            expected,
            "{name}: char_of_byte({b})"
        );
    }

    // Past the end, in each space.
    for extra in [1, 2, 64, 1000] {
        let past = char_len + extra;
        let past_end = OffsetError::PastEnd {
            offset: past,
            len: char_len,
        };
        assert_eq!(
            text.utf16_of(char_offset(past)),
            Err(past_end.clone()),
            "{name}: utf16_of past end"
        );
        assert_eq!(
            text.byte_of(char_offset(past)),
            Err(past_end),
            "{name}: byte_of past end"
        );
        assert_eq!(
            text.char_of_utf16(Utf16Offset::new(utf16_len + extra)),
            Err(OffsetError::PastEnd {
                offset: utf16_len + extra,
                len: utf16_len
            }),
            "{name}: char_of_utf16 past end"
        );
        assert_eq!(
            text.char_of_byte(ByteOffset::new(s.len() + extra)),
            Err(OffsetError::PastEnd {
                offset: s.len() + extra,
                len: s.len()
            }),
            "{name}: char_of_byte past end"
        );
        assert_eq!(text.slice(range(0, past)), None, "{name}: slice past end");
        assert_eq!(
            text.slice(range(past, past)),
            None,
            "{name}: empty slice past end"
        );
    }
}

/// `slice` over every range `[i, j)` of the text equals the naive `chars().skip().take()`.
fn check_every_slice(name: &str, raw: &str) {
    let text = ArticleText::normalize(raw);
    let s = naive_normalize(raw);
    let chars: Vec<char> = s.chars().collect();
    for i in 0..=chars.len() {
        for j in i..=chars.len() {
            let expected: String = chars[i..j].iter().collect();
            assert_eq!(
                text.slice(range(i, j)),
                Some(expected.as_str()),
                "{name}: slice {i}..{j}"
            );
        }
    }
    assert_eq!(
        text.slice(text.full_range()),
        Some(s.as_str()),
        "{name}: full range"
    );
}

// ---------------------------------------------------------------------------------------------
// The table of tricky texts.
// ---------------------------------------------------------------------------------------------

fn tricky_texts() -> Vec<(String, String)> {
    let mut cases: Vec<(String, String)> = [
        ("empty", ""),
        ("ascii", "Plain ASCII, nothing special."),
        ("emoji", "I 😀 you"),
        ("skin tone modifier", "thumbs 👍🏽 up"),
        ("zwj family", "family: 👩‍👩‍👧‍👦!"),
        ("zwj rainbow flag with variation selector", "flag 🏳️‍🌈 flies"),
        ("combining acute", "cafe\u{301} au lait"),
        (
            "zalgo stack",
            "Z\u{351}\u{358}\u{35e}a\u{301}\u{327}\u{316}l\u{334}g\u{35c}o\u{300}\u{301}\u{302}",
        ),
        ("cjk", "北京市和日本語"),
        ("arabic rtl", "مرحبا بالعالم"),
        ("hebrew rtl", "שלום"),
        (
            "mixed rtl and ltr",
            "He said שלום then مرحبا بالعالم and left 😀.",
        ),
        ("crlf", "line one\r\nline two\r\n\r\nline four"),
        ("lone cr", "one\rtwo\r\rthree\r"),
        ("mixed line endings", "a\r\nb\rc\nd\n\re\r\r\n"),
        ("only astral", "😀😀😀"),
        ("astral at start and end", "😀middle😀"),
        ("bmp edge chars", "\u{ffff}\u{10000}\u{fffd}\u{10ffff}"),
    ]
    .into_iter()
    .map(|(name, text)| (name.to_owned(), text.to_owned()))
    .collect();

    // Long texts crossing several 64-code-point checkpoints.
    let mixed = "ab 😀 北京 e\u{301} שלום 👩‍👩‍👧‍👦 x\r\n";
    cases.push(("mixed repeated past 200 chars".into(), mixed.repeat(12)));
    cases.push(("astral only, 300 of them".into(), "😀".repeat(300)));
    cases.push(("ascii 64 exactly".into(), "x".repeat(64)));
    cases.push(("ascii 128 exactly".into(), "y".repeat(128)));
    cases.push(("ascii 65".into(), "z".repeat(65)));

    // An astral character exactly at, just before and just after a checkpoint (index 64, 128).
    for at in [63, 64, 65, 127, 128, 129] {
        let text = format!(
            "{}😀{}👍🏽{}",
            "a".repeat(at),
            "b".repeat(128 - 1),
            "c".repeat(70)
        );
        cases.push((format!("astral at code point {at}"), text));
        let text = format!("{}😀", "a".repeat(at));
        cases.push((format!("text ending with astral at code point {at}"), text));
    }
    // CRLF shifting a checkpoint: 64 code points after normalisation, 70 before.
    cases.push(("crlf across checkpoint".into(), "ab\r\n".repeat(40)));
    cases
}

#[test]
fn every_offset_of_every_tricky_text_agrees_with_the_naive_model() {
    for (name, raw) in tricky_texts() {
        check_conversions_exhaustively(&name, &raw);
    }
}

#[test]
fn every_slice_of_every_tricky_text_agrees_with_the_naive_model() {
    for (name, raw) in tricky_texts() {
        check_every_slice(&name, &raw);
    }
}

#[test]
fn astral_characters_count_as_one_code_point_two_utf16_units_four_bytes() {
    let text = ArticleText::normalize("a😀b👍🏽");
    assert_eq!(text.char_len(), 5); // a, 😀, b, 👍, 🏽
    assert_eq!(text.utf16_len(), 8);
    assert_eq!(text.as_str().len(), 14);
    assert_eq!(text.utf16_of(char_offset(2)), Ok(Utf16Offset::new(3)));
    assert_eq!(text.byte_of(char_offset(2)), Ok(ByteOffset::new(5)));
    assert_eq!(
        text.char_of_utf16(Utf16Offset::new(2)),
        Err(OffsetError::InsideCharacter { offset: 2 })
    );
    assert_eq!(
        text.char_of_byte(ByteOffset::new(3)),
        Err(OffsetError::InsideCharacter { offset: 3 })
    );
    assert_eq!(text.slice(range(3, 5)), Some("👍🏽"));
}

#[test]
fn zwj_sequence_is_several_code_points_not_one() {
    // 👩 ZWJ 👩 ZWJ 👧 ZWJ 👦: 7 code points, 11 UTF-16 units, 25 bytes.
    let text = ArticleText::normalize("👩‍👩‍👧‍👦");
    assert_eq!(text.char_len(), 7);
    assert_eq!(text.utf16_len(), 11);
    assert_eq!(text.as_str().len(), 25);
    assert_eq!(text.slice(range(0, 1)), Some("👩"));
    assert_eq!(text.slice(range(1, 2)), Some("\u{200d}"));
}

#[test]
fn checkpoint_boundary_astral_char_converts_both_ways() {
    // Code point 64 is the astral char, so the second checkpoint sits right before it.
    let text = ArticleText::normalize(&format!("{}😀z", "a".repeat(64)));
    assert_eq!(text.utf16_of(char_offset(64)), Ok(Utf16Offset::new(64)));
    assert_eq!(text.utf16_of(char_offset(65)), Ok(Utf16Offset::new(66)));
    assert_eq!(
        text.char_of_utf16(Utf16Offset::new(65)),
        Err(OffsetError::InsideCharacter { offset: 65 })
    );
    assert_eq!(
        text.char_of_utf16(Utf16Offset::new(66)),
        Ok(char_offset(65))
    );
    assert_eq!(text.byte_of(char_offset(65)), Ok(ByteOffset::new(68)));
    assert_eq!(text.char_of_byte(ByteOffset::new(68)), Ok(char_offset(65)));
    for inside in 65..68 {
        assert_eq!(
            text.char_of_byte(ByteOffset::new(inside)),
            Err(OffsetError::InsideCharacter { offset: inside })
        );
    }
}

#[test]
fn crlf_and_lone_cr_become_single_newlines_and_offsets_count_the_result() {
    let text = ArticleText::normalize("ab\r\ncd\ref\r\r\ngh");
    assert_eq!(text.as_str(), "ab\ncd\nef\n\ngh");
    assert_eq!(text.char_len(), 12);
    // "cd" starts right after the single normalised newline.
    assert_eq!(text.slice(range(3, 5)), Some("cd"));
    assert_eq!(text.slice(range(10, 12)), Some("gh"));
    assert_eq!(text.utf16_of(char_offset(10)), Ok(Utf16Offset::new(10)));
    assert_eq!(normalize_line_endings("\n\r"), "\n\n");
    assert_eq!(normalize_line_endings("\r\r\n"), "\n\n");
    assert_eq!(normalize_line_endings("no breaks"), "no breaks");
}

#[test]
fn normalize_is_idempotent_and_its_output_is_accepted_as_normalised() {
    for (name, raw) in tricky_texts() {
        let once = ArticleText::normalize(&raw);
        let twice = ArticleText::normalize(once.as_str());
        assert_eq!(once, twice, "{name}: normalize twice");
        assert_eq!(
            ArticleText::try_from_normalized(once.as_str()),
            Ok(once.clone()),
            "{name}"
        );
    }
}

#[test]
fn text_with_carriage_return_is_refused_as_already_normalised() {
    use annotator_core::model::TextError;
    assert_eq!(
        ArticleText::try_from_normalized("😀a\r\nb"),
        Err(TextError::CarriageReturn { at: 2 })
    );
    assert_eq!(
        ArticleText::try_from_normalized("\r"),
        Err(TextError::CarriageReturn { at: 0 })
    );
}

#[test]
fn trim_whitespace_drops_only_surrounding_whitespace() {
    let text = ArticleText::normalize("  北京 said\u{a0}\n \t");
    let trimmed = trim_whitespace(&text, text.full_range()).unwrap();
    assert_eq!(trimmed, range(2, 9));
    assert_eq!(text.slice(trimmed), Some("北京 said"));
    assert_eq!(trim_whitespace(&text, range(0, 2)), None, "only whitespace");
    assert_eq!(trim_whitespace(&text, range(0, 99)), None, "past the end");
}

// ---------------------------------------------------------------------------------------------
// Property tests.
// ---------------------------------------------------------------------------------------------

/// Text built from fragments that stress the offset spaces: ASCII, line endings of every kind,
/// astral emoji, ZWJ sequences, combining marks, CJK, RTL and arbitrary code points.
fn tricky_string() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        4 => "[a-z ]{1,6}",
        1 => Just("\r\n".to_owned()),
        1 => Just("\r".to_owned()),
        1 => Just("\n".to_owned()),
        2 => prop::sample::select(vec!["😀", "👍🏽", "👩‍👩‍👧‍👦", "🏳️‍🌈", "𝔘", "\u{10ffff}"]).prop_map(str::to_owned),
        1 => prop::sample::select(vec!["e\u{301}", "\u{301}\u{302}\u{303}", "a\u{35c}\u{35d}"]).prop_map(str::to_owned),
        1 => prop::sample::select(vec!["北京市", "日本語", "مرحبا", "שלום", "\u{200f}"]).prop_map(str::to_owned),
        2 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(fragment, 0..120).prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn conversions_agree_with_naive_model_on_tricky_strings(raw in tricky_string()) {
        check_conversions_exhaustively("generated", &raw);
    }

    #[test]
    fn conversions_agree_with_naive_model_on_arbitrary_strings(raw in any::<String>()) {
        check_conversions_exhaustively("arbitrary", &raw);
    }

    #[test]
    fn slices_agree_with_naive_model(
        raw in tricky_string(),
        picks in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..20),
    ) {
        let text = ArticleText::normalize(&raw);
        let s = naive_normalize(&raw);
        let len = text.char_len();
        for (a, b) in picks {
            let (a, b) = (a.index(len + 1), b.index(len + 1));
            let (start, end) = (a.min(b), a.max(b));
            let expected = naive_slice(&s, start, end);
            prop_assert_eq!(text.slice(range(start, end)), Some(expected.as_str()));
        }
    }

    #[test]
    fn normalize_is_idempotent(raw in tricky_string()) {
        let once = ArticleText::normalize(&raw);
        prop_assert_eq!(&ArticleText::normalize(once.as_str()), &once);
        prop_assert_eq!(normalize_line_endings(&raw), naive_normalize(&raw));
    }

    #[test]
    fn trim_whitespace_keeps_the_inside_and_drops_only_whitespace(
        raw in tricky_string(),
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
    ) {
        let text = ArticleText::normalize(&raw);
        let len = text.char_len();
        let (a, b) = (a.index(len + 1), b.index(len + 1));
        let selected = range(a.min(b), a.max(b));
        let selected_text = text.slice(selected).unwrap();
        match trim_whitespace(&text, selected) {
            None => prop_assert!(selected_text.chars().all(char::is_whitespace)),
            Some(trimmed) => {
                prop_assert!(selected.contains_range(trimmed) && !trimmed.is_empty());
                let inner = text.slice(trimmed).unwrap();
                prop_assert_eq!(inner, selected_text.trim());
                let before = text.slice(range(selected.start().get(), trimmed.start().get())).unwrap();
                let after = text.slice(range(trimmed.end().get(), selected.end().get())).unwrap();
                prop_assert!(before.chars().chain(after.chars()).all(char::is_whitespace));
            }
        }
    }
}
