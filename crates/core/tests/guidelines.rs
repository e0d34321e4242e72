//! Guidelines text (`model::guidelines`): whatever the user writes reads without a panic, and
//! plain prose comes back word for word; a label's section is found whatever the heading's case.

use annotator_core::model::guidelines::{inlines, parse, section_of, Block, Inline};
use annotator_core::model::Label;
use proptest::prelude::*;

fn plain(runs: &[Inline]) -> String {
    runs.iter()
        .map(|run| match run {
            Inline::Text(t) | Inline::Strong(t) | Inline::Emphasis(t) | Inline::Code(t) => {
                t.as_str()
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_reads(text in "[#>*_`\\- \n\r\ta-zé😀1.)]{0,120}") {
        let _ = parse(&text);
        let _ = inlines(&text);
    }

    /// Prose without markers is one paragraph per run of lines, its words joined by spaces.
    #[test]
    fn plain_prose_comes_back_word_for_word(lines in prop::collection::vec("[a-zA-Zé😀,;:!? ]{1,30}", 1..5)) {
        let lines: Vec<String> = lines.into_iter().filter(|l| !l.trim().is_empty()).collect();
        prop_assume!(!lines.is_empty());
        let blocks = parse(&lines.join("\n"));
        let expected: Vec<&str> = lines.iter().map(|l| l.trim()).collect();
        prop_assert_eq!(blocks.len(), 1);
        let Block::Paragraph(runs) = &blocks[0] else {
            return Err(TestCaseError::fail(format!("{blocks:?}")));
        };
        prop_assert_eq!(plain(runs), expected.join(" "));
    }

    /// Markers that close are read as runs; their text is kept exactly.
    #[test]
    fn closed_markers_keep_their_text(word in "[a-z]{1,8}", before in "[a-z ]{0,8}") {
        let before = format!("{} ", before.trim());
        for (marked, expected) in [
            (format!("{before}**{word}**"), Inline::Strong(word.clone())),
            (format!("{before}*{word}*"), Inline::Emphasis(word.clone())),
            (format!("{before}`{word}`"), Inline::Code(word.clone())),
        ] {
            let runs = inlines(&marked);
            prop_assert_eq!(runs.last(), Some(&expected), "{}", marked);
        }
    }
}

#[test]
fn a_section_is_found_whatever_the_headings_case() {
    for heading in ["## QUOTES", "### quote: direct", "# Quotes — what to tag"] {
        assert_eq!(
            section_of(&parse(heading), &Label::Quote),
            Some(0),
            "{heading}"
        );
    }
    assert_eq!(section_of(&parse("Quote\n\n## Other"), &Label::Quote), None);
}
