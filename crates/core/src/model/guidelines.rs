//! A corpus's annotation guidelines: Markdown-like text the annotators write and read beside
//! the article. Only what guidelines need is read: headings (`#` to `######`), paragraphs,
//! lists (`-`, `*` or `1.`), examples (lines that start with `>`), fenced code blocks, and
//! inline `**strong**`, `*emphasis*` (or `_emphasis_`) and `` `code` ``. Anything else is
//! plain text: the result is drawn as text nodes, never as HTML.
//!
//! A heading that names a label ("## Quote", "## Quotes: direct and indirect") opens that
//! label's section: [`section_of`] finds it, so the panel can open where the selected
//! annotation's rules are.

use super::label::Label;
use super::schema::Schema;

/// A run of text within a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Strong(String),
    Emphasis(String),
    Code(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// `level` 1 to 6.
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(Vec<Inline>),
    List(Vec<Vec<Inline>>),
    /// Lines that start with `>`: an example of what to tag (or not).
    Example(Vec<Inline>),
    Code(String),
}

/// The blocks of `text`, in order.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(fence) = trimmed.strip_prefix("```") {
            let _language = fence;
            let mut code = Vec::new();
            for line in lines.by_ref() {
                if line.trim_start().starts_with("```") {
                    break;
                }
                code.push(line);
            }
            blocks.push(Block::Code(code.join("\n")));
        } else if let Some((level, text)) = heading(trimmed) {
            blocks.push(Block::Heading {
                level,
                text: text.to_owned(),
            });
        } else if let Some(first) = list_item(trimmed) {
            let mut items = vec![first.to_owned()];
            while let Some(next) = lines.peek().map(|l| l.trim()) {
                if let Some(item) = list_item(next) {
                    items.push(item.to_owned());
                } else if !next.is_empty() && heading(next).is_none() && !next.starts_with('>') {
                    // A continuation line of the item above.
                    if let Some(last) = items.last_mut() {
                        last.push(' ');
                        last.push_str(next);
                    }
                } else {
                    break;
                }
                lines.next();
            }
            blocks.push(Block::List(items.iter().map(|i| inlines(i)).collect()));
        } else if trimmed.starts_with('>') {
            let mut quoted = vec![quote_line(trimmed)];
            while let Some(next) = lines.peek().map(|l| l.trim()) {
                if !next.starts_with('>') {
                    break;
                }
                quoted.push(quote_line(next));
                lines.next();
            }
            blocks.push(Block::Example(inlines(&quoted.join(" "))));
        } else {
            let mut paragraph = vec![trimmed];
            while let Some(next) = lines.peek().map(|l| l.trim()) {
                let starts_block = next.is_empty()
                    || heading(next).is_some()
                    || list_item(next).is_some()
                    || next.starts_with('>')
                    || next.starts_with("```");
                if starts_block {
                    break;
                }
                paragraph.push(next);
                lines.next();
            }
            blocks.push(Block::Paragraph(inlines(&paragraph.join(" "))));
        }
    }
    blocks
}

/// `## Title` as (2, "Title"); the `#`s need a space after them.
fn heading(line: &str) -> Option<(u8, &str)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    let text = line[level..].strip_prefix(' ')?.trim();
    let level = u8::try_from(level).ok().filter(|l| (1..=6).contains(l))?;
    (!text.is_empty()).then_some((level, text.trim_end_matches('#').trim_end()))
}

fn list_item(line: &str) -> Option<&str> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some(rest.trim());
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = line[digits..]
        .strip_prefix(". ")
        .or_else(|| line[digits..].strip_prefix(") "));
    rest.filter(|_| digits > 0).map(str::trim)
}

fn quote_line(line: &str) -> &str {
    line.trim_start_matches('>').trim()
}

/// The inline runs of `text`: a marker without its closing one is plain text.
pub fn inlines(text: &str) -> Vec<Inline> {
    let mut runs = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let marked =
            [("**", 0), ("`", 1), ("*", 2), ("_", 2)]
                .iter()
                .find_map(|&(marker, kind)| {
                    let inner = rest.strip_prefix(marker)?;
                    let end = inner.find(marker)?;
                    // `_` inside a word (snake_case) is not emphasis, and markers hug their text.
                    let body = &inner[..end];
                    let hugs = !body.is_empty() && !body.starts_with(' ') && !body.ends_with(' ');
                    let in_word =
                        marker == "_" && plain.chars().last().is_some_and(char::is_alphanumeric);
                    (hugs && !in_word).then(|| (kind, body, marker.len() * 2 + end))
                });
        match marked {
            Some((kind, body, taken)) => {
                if !plain.is_empty() {
                    runs.push(Inline::Text(std::mem::take(&mut plain)));
                }
                runs.push(match kind {
                    0 => Inline::Strong(body.to_owned()),
                    1 => Inline::Code(body.to_owned()),
                    _ => Inline::Emphasis(body.to_owned()),
                });
                rest = &rest[taken..];
            }
            None => {
                plain.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !plain.is_empty() {
        runs.push(Inline::Text(plain));
    }
    runs
}

/// The index (in `blocks`) of the heading that opens `label`'s section: the first whose words
/// begin with the label's name (its display name or its own, in any case, a plural `s`
/// allowed), as in "## Quote", "## Quotes" or "### Claims: what to tag".
pub fn section_of(blocks: &[Block], label: &Label) -> Option<usize> {
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let names = [words(label.display_name()), words(label.as_str())];
    blocks.iter().position(|block| {
        let Block::Heading { text, .. } = block else {
            return false;
        };
        let heading = words(text);
        names.iter().any(|name| {
            !name.is_empty()
                && heading.len() >= name.len()
                && name.iter().zip(&heading).enumerate().all(|(i, (n, h))| {
                    h == n
                        || (i + 1 == name.len()
                            && (h == &format!("{n}s") || h == &format!("{n}es")))
                })
        })
    })
}

/// Guidelines to start from: a section per label of `schema`, its attributes and values
/// listed, with places to say what to tag and to give examples.
pub fn template(schema: &Schema) -> String {
    let mut text = String::from(
        "# Guidelines\n\nWhat this corpus is for, and the rules that hold for every label.\n",
    );
    for spec in &schema.labels {
        let name = spec.label.display_name();
        text.push_str(&format!(
            "\n## {name}\n\nWhat counts as a {} and where its span starts and ends.\n\n> An example sentence, with the words to tag in **bold**.\n",
            name.to_lowercase()
        ));
        for attribute in &spec.attributes {
            text.push_str(&format!("\n### {}\n\n", attribute.name.replace('_', " ")));
            if attribute.values.is_empty() {
                text.push_str("What to write here.\n");
            }
            for value in &attribute.values {
                text.push_str(&format!("- `{value}`: when to choose it.\n"));
            }
        }
    }
    if !schema.relations.is_empty() {
        text.push_str("\n## Relations\n\n");
        for spec in &schema.relations {
            text.push_str(&format!(
                "- **{}**: when to link.\n",
                spec.kind.as_str().replace('_', " ")
            ));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn blocks_are_read_as_guidelines_write_them() {
        let blocks = parse(
            "# Guidelines\n\nTag what is *said*,\nnot what is **meant**.\n\n## Quotes\n- direct\n- indirect, with\n  its verb\n\n> “We will,” she said.\n> Tag the words only.\n\n```\n{not: html}\n```\n#no heading\n",
        );
        assert_eq!(
            blocks,
            vec![
                Block::Heading {
                    level: 1,
                    text: "Guidelines".into()
                },
                Block::Paragraph(vec![
                    text("Tag what is "),
                    Inline::Emphasis("said".into()),
                    text(", not what is "),
                    Inline::Strong("meant".into()),
                    text("."),
                ]),
                Block::Heading {
                    level: 2,
                    text: "Quotes".into()
                },
                Block::List(vec![
                    vec![text("direct")],
                    vec![text("indirect, with its verb")]
                ]),
                Block::Example(vec![text("“We will,” she said. Tag the words only.")]),
                Block::Code("{not: html}".into()),
                Block::Paragraph(vec![text("#no heading")]),
            ]
        );
    }

    #[test]
    fn unclosed_markers_and_snake_case_stay_text() {
        assert_eq!(inlines("a ** b"), vec![text("a ** b")]);
        assert_eq!(
            inlines("check_worthy and _yes_"),
            vec![text("check_worthy and "), Inline::Emphasis("yes".into()),]
        );
        assert_eq!(
            inlines("`<b>` 😀"),
            vec![Inline::Code("<b>".into()), text(" 😀")]
        );
        assert_eq!(inlines(""), vec![]);
    }

    #[test]
    fn a_labels_section_is_found_by_its_name_or_plural() {
        let blocks =
            parse("# All\n## Quotes: direct and indirect\n## Entity\n### Claims to check\n");
        assert_eq!(section_of(&blocks, &Label::Quote), Some(1));
        assert_eq!(section_of(&blocks, &Label::Entity), Some(2));
        assert_eq!(section_of(&blocks, &Label::Claim), Some(3));
        let custom = Label::parse_any("Named Person").unwrap();
        assert_eq!(section_of(&parse("## named persons"), &custom), Some(0));
        assert_eq!(section_of(&parse("## Quoted"), &Label::Quote), None);
    }

    #[test]
    fn the_template_has_a_section_per_label_that_section_of_finds() {
        let schema = Schema::default();
        let blocks = parse(&template(&schema));
        for spec in &schema.labels {
            assert!(section_of(&blocks, &spec.label).is_some(), "{}", spec.label);
        }
    }
}
