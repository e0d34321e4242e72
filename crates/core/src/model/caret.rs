//! The keyboard caret over the article: where it may stand, how far each key moves it, and the
//! word or sentence under it. This is what lets a person who cannot drag a mouse make a span.
//!
//! Offsets are code points over the whole text. The caret stands only *in a line*: between a
//! block's first character and the newlines that end it (see [`paragraphs`](super::paragraphs)),
//! and only between user-perceived characters, so a selection made by keys never splits an
//! emoji, a flag or a letter from its accent. Blank lines are stepped over.
//!
//! Only the line under the caret is cut into units (a window of it when the line is huge), so a
//! key costs the same on a 1 MB article as on a short one.

use super::offsets::{CharOffset, CharRange};
use super::paragraphs::Paragraph;
use super::selection::trim_whitespace;
use super::text::ArticleText;
use super::text_units::{Granularity, Segment, Segmenter};

/// The caret and, when it differs, where the selection it extends started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Caret {
    /// Where the selection started (Shift+arrow and "mark start" keep it; a plain move drops it).
    pub anchor: CharOffset,
    /// Where the caret is drawn; the end that moves.
    pub focus: CharOffset,
}

impl Caret {
    /// A caret at `at` with nothing selected.
    pub fn at(at: CharOffset) -> Self {
        Self {
            anchor: at,
            focus: at,
        }
    }

    /// The caret moved to `to`: the selection grows from the anchor when `extend`, else it is
    /// dropped.
    pub fn moved_to(self, to: CharOffset, extend: bool) -> Self {
        if extend {
            Self {
                anchor: self.anchor,
                focus: to,
            }
        } else {
            Self::at(to)
        }
    }

    /// The selected code points, `None` when nothing is.
    pub fn selection(self) -> Option<CharRange> {
        (self.anchor != self.focus).then(|| CharRange::spanning(self.anchor, self.focus))
    }
}

/// How far one key moves the caret.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    Character,
    Word,
    Sentence,
    /// To the end of the paragraph (start, going back), or of the next one when already there.
    Paragraph,
    /// To the start or end of the line the caret is in.
    LineEdge,
    /// To the start or end of the article.
    Article,
}

/// Which way a key moves the caret.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    Backward,
    Forward,
}

/// Lines longer than this are cut into units only this far around the caret.
const WINDOW: usize = 4096;

/// The caret's moves over one article.
pub struct Navigator<'a, S: Segmenter + ?Sized> {
    text: &'a ArticleText,
    paragraphs: &'a [Paragraph],
    segmenter: &'a S,
}

/// The units of a stretch of one line, in offsets over the whole text.
struct Cut {
    segments: Vec<Segment>,
}

impl<'a, S: Segmenter + ?Sized> Navigator<'a, S> {
    /// `paragraphs` are the text's blocks, as [`paragraphs`](super::paragraphs) cuts them.
    pub fn new(text: &'a ArticleText, paragraphs: &'a [Paragraph], segmenter: &'a S) -> Self {
        Self {
            text,
            paragraphs,
            segmenter,
        }
    }

    /// The caret positions of block `i`: from its start to the end of its line, before the
    /// newlines. `None` for a block of blank lines.
    fn line(&self, i: usize) -> Option<CharRange> {
        let block = self.paragraphs.get(i)?;
        let text = self.text.slice(block.chars)?;
        let newlines = text.chars().rev().take_while(|&c| c == '\n').count();
        let end = block.chars.end().get() - newlines;
        (end > block.chars.start().get())
            .then(|| CharRange::spanning(block.chars.start(), CharOffset::new(end)))
    }

    /// The block holding `at` (the last one for the end of the text).
    fn block_of(&self, at: CharOffset) -> Option<usize> {
        if self.paragraphs.is_empty() {
            return None;
        }
        let i = self
            .paragraphs
            .partition_point(|p| p.chars.end() <= at)
            .min(self.paragraphs.len() - 1);
        Some(i)
    }

    /// The nearest line at or after block `i` (`Forward`), or at or before it (`Backward`).
    fn line_from(&self, i: usize, direction: Direction) -> Option<(usize, CharRange)> {
        match direction {
            Direction::Forward => {
                (i..self.paragraphs.len()).find_map(|j| self.line(j).map(|line| (j, line)))
            }
            Direction::Backward => (0..=i.min(self.paragraphs.len().checked_sub(1)?))
                .rev()
                .find_map(|j| self.line(j).map(|line| (j, line))),
        }
    }

    /// The first caret position of the article (0 for an article without a line).
    pub fn start(&self) -> CharOffset {
        self.line_from(0, Direction::Forward)
            .map_or(CharOffset::new(0), |(_, line)| line.start())
    }

    /// The last caret position of the article.
    pub fn end(&self) -> CharOffset {
        self.paragraphs
            .len()
            .checked_sub(1)
            .and_then(|last| self.line_from(last, Direction::Backward))
            .map_or(CharOffset::new(0), |(_, line)| line.end())
    }

    /// The line `at` is in: a position in trailing newlines or blank lines belongs to the line
    /// before it (or, at the top of the article, the first line).
    fn home_line(&self, at: CharOffset) -> Option<(usize, CharRange)> {
        let i = self.block_of(at)?;
        self.line_from(i, Direction::Backward)
            .or_else(|| self.line_from(i, Direction::Forward))
    }

    /// Units of the part of `line` around `at`, as offsets over the whole text.
    fn cut(&self, line: CharRange, at: CharOffset, granularity: Granularity) -> Cut {
        let from = line.start().get().max(at.get().saturating_sub(WINDOW / 2));
        let to = line.end().get().min(at.get() + WINDOW / 2).max(from);
        let window = CharRange::spanning(CharOffset::new(from), CharOffset::new(to));
        let segments = self
            .text
            .slice(window)
            .map(|stretch| self.segmenter.segments(stretch, granularity))
            .unwrap_or_default()
            .into_iter()
            .map(|s| Segment {
                start: s.start + from,
                end: s.end + from,
                word_like: s.word_like,
            })
            .collect();
        Cut { segments }
    }

    /// `at` put on a caret position: into a line, at the start of the character it falls in.
    pub fn snap(&self, at: CharOffset) -> CharOffset {
        let Some((_, line)) = self.home_line(at) else {
            return CharOffset::new(0);
        };
        let at = at.clamp(line.start(), line.end());
        if at == line.end() {
            return at;
        }
        let cut = self.cut(line, at, Granularity::Grapheme);
        cut.segments
            .iter()
            .find(|s| s.start <= at.get() && at.get() < s.end)
            .map_or(at, |s| CharOffset::new(s.start))
    }

    /// Where one key press moves a caret standing at `from`.
    pub fn step(&self, from: CharOffset, unit: Unit, direction: Direction) -> CharOffset {
        let from = self.snap(from);
        let Some((i, line)) = self.home_line(from) else {
            return from;
        };
        match unit {
            Unit::Article => match direction {
                Direction::Backward => self.start(),
                Direction::Forward => self.end(),
            },
            Unit::LineEdge => match direction {
                Direction::Backward => line.start(),
                Direction::Forward => line.end(),
            },
            Unit::Paragraph => match direction {
                Direction::Forward if from < line.end() => line.end(),
                Direction::Backward if from > line.start() => line.start(),
                _ => self
                    .neighbour_line(i, direction)
                    .map_or(from, |line| match direction {
                        Direction::Forward => line.end(),
                        Direction::Backward => line.start(),
                    }),
            },
            Unit::Character | Unit::Word | Unit::Sentence => {
                match self.step_in_line(line, from, unit, direction) {
                    Some(to) => to,
                    None => self.cross(i, unit, direction).unwrap_or(from),
                }
            }
        }
    }

    /// The next line after block `i` (`Forward`) or before it (`Backward`).
    fn neighbour_line(&self, i: usize, direction: Direction) -> Option<CharRange> {
        let next = match direction {
            Direction::Forward => i + 1,
            Direction::Backward => i.checked_sub(1)?,
        };
        self.line_from(next, direction).map(|(_, line)| line)
    }

    /// A step that leaves the line: a character step stops at the neighbour line's near edge
    /// (the line break is one character); a word or sentence step goes on into it.
    fn cross(&self, i: usize, unit: Unit, direction: Direction) -> Option<CharOffset> {
        let line = self.neighbour_line(i, direction)?;
        let edge = match direction {
            Direction::Forward => line.start(),
            Direction::Backward => line.end(),
        };
        if unit == Unit::Character {
            return Some(edge);
        }
        Some(
            self.step_in_line(line, edge, unit, direction)
                .unwrap_or(edge),
        )
    }

    /// One step inside `line`, `None` when the caret is already at the line's edge that way
    /// (or no unit of that kind lies that way in the line).
    fn step_in_line(
        &self,
        line: CharRange,
        from: CharOffset,
        unit: Unit,
        direction: Direction,
    ) -> Option<CharOffset> {
        let at = from.get();
        let targets: Vec<usize> = match unit {
            Unit::Character => self
                .cut(line, from, Granularity::Grapheme)
                .segments
                .iter()
                .map(|s| match direction {
                    Direction::Forward => s.end,
                    Direction::Backward => s.start,
                })
                .collect(),
            // A word step lands after the word going forward and before it going back, so
            // Shift+Ctrl+arrow from a word's edge selects the word and nothing else.
            Unit::Word => self
                .cut(line, from, Granularity::Word)
                .segments
                .iter()
                .filter(|s| s.word_like)
                .map(|s| match direction {
                    Direction::Forward => s.end,
                    Direction::Backward => s.start,
                })
                .collect(),
            Unit::Sentence => self
                .sentences(line, from)
                .into_iter()
                .map(|r| match direction {
                    Direction::Forward => r.end().get(),
                    Direction::Backward => r.start().get(),
                })
                .collect(),
            Unit::Paragraph | Unit::LineEdge | Unit::Article => return None,
        };
        let found = match direction {
            Direction::Forward => targets.into_iter().find(|&t| t > at),
            Direction::Backward => targets.into_iter().rev().find(|&t| t < at),
        };
        // With no unit left that way, a word or sentence step still reaches the line's edge
        // before it leaves the line.
        let edge = match direction {
            Direction::Forward => (at < line.end().get()).then(|| line.end().get()),
            Direction::Backward => (at > line.start().get()).then(|| line.start().get()),
        };
        found.or(edge).map(CharOffset::new)
    }

    /// The sentences of `line` around `from`, without the spaces around them.
    fn sentences(&self, line: CharRange, from: CharOffset) -> Vec<CharRange> {
        self.cut(line, from, Granularity::Sentence)
            .segments
            .iter()
            .filter_map(|s| CharRange::from_raw(s.start, s.end).ok())
            .filter_map(|r| trim_whitespace(self.text, r))
            .collect()
    }

    /// The word under the caret: the one it stands in or just after, else the nearest one after
    /// it in the line, else the last one before it. `None` on a line without words.
    pub fn word_at(&self, at: CharOffset) -> Option<CharRange> {
        let at = self.snap(at);
        let (_, line) = self.home_line(at)?;
        let words: Vec<Segment> = self
            .cut(line, at, Granularity::Word)
            .segments
            .into_iter()
            .filter(|s| s.word_like)
            .collect();
        let a = at.get();
        let word = words
            .iter()
            .find(|s| s.start <= a && a <= s.end)
            .or_else(|| words.iter().find(|s| s.start > a))
            .or_else(|| words.last())?;
        CharRange::from_raw(word.start, word.end).ok()
    }

    /// The sentence under the caret, without the spaces after it.
    pub fn sentence_at(&self, at: CharOffset) -> Option<CharRange> {
        let at = self.snap(at);
        let (_, line) = self.home_line(at)?;
        let sentences = self.sentences(line, at);
        let a = at.get();
        sentences
            .iter()
            .find(|r| r.start().get() <= a && a < r.end().get())
            .or_else(|| sentences.iter().find(|r| r.start().get() > a))
            .or_else(|| sentences.last())
            .copied()
    }

    /// The `w` key: selects the word under the caret, or, with a selection, extends it to the
    /// end of the next word.
    pub fn select_word(&self, caret: Caret) -> Caret {
        self.select_unit(caret, Unit::Word)
    }

    /// The `s` key: [`select_word`](Self::select_word) for sentences.
    pub fn select_sentence(&self, caret: Caret) -> Caret {
        self.select_unit(caret, Unit::Sentence)
    }

    fn select_unit(&self, caret: Caret, unit: Unit) -> Caret {
        if caret.selection().is_some() {
            let to = self.step(caret.focus, unit, Direction::Forward);
            return caret.moved_to(to, true);
        }
        let range = match unit {
            Unit::Sentence => self.sentence_at(caret.focus),
            _ => self.word_at(caret.focus),
        };
        range.map_or(caret, |r| Caret {
            anchor: r.start(),
            focus: r.end(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::paragraphs::paragraphs;
    use super::super::text_units::PlainSegmenter;
    use super::*;

    fn at(n: usize) -> CharOffset {
        CharOffset::new(n)
    }

    /// Runs `check` with a navigator over `text` (the plain segmenter).
    fn over<R>(
        text: &str,
        check: impl FnOnce(&Navigator<'_, PlainSegmenter>, &ArticleText) -> R,
    ) -> R {
        let text = ArticleText::normalize(text);
        let blocks = paragraphs(&text);
        check(&Navigator::new(&text, &blocks, &PlainSegmenter), &text)
    }

    fn walk(text: &str, from: usize, unit: Unit, direction: Direction, steps: usize) -> usize {
        over(text, |navigator, _| {
            let mut caret = at(from);
            for _ in 0..steps {
                caret = navigator.step(caret, unit, direction);
            }
            caret.get()
        })
    }

    #[test]
    fn characters_step_over_blank_lines_as_one_break() {
        let text = "ab\n\n\ncd";
        assert_eq!(walk(text, 0, Unit::Character, Direction::Forward, 2), 2);
        assert_eq!(walk(text, 0, Unit::Character, Direction::Forward, 3), 5);
        assert_eq!(walk(text, 5, Unit::Character, Direction::Backward, 1), 2);
        assert_eq!(walk(text, 0, Unit::Character, Direction::Forward, 9), 7);
        assert_eq!(walk(text, 7, Unit::Character, Direction::Backward, 9), 0);
    }

    #[test]
    fn words_land_after_a_word_forward_and_before_it_backward() {
        let text = "He said, “no.”\nThen left";
        assert_eq!(walk(text, 0, Unit::Word, Direction::Forward, 1), 2);
        assert_eq!(walk(text, 0, Unit::Word, Direction::Forward, 2), 7);
        assert_eq!(walk(text, 0, Unit::Word, Direction::Forward, 3), 12);
        // The line's end, then on into the next line: after "Then".
        assert_eq!(walk(text, 0, Unit::Word, Direction::Forward, 4), 14);
        assert_eq!(walk(text, 0, Unit::Word, Direction::Forward, 5), 19);
        assert_eq!(walk(text, 19, Unit::Word, Direction::Backward, 1), 15);
        assert_eq!(walk(text, 15, Unit::Word, Direction::Backward, 1), 10);
    }

    #[test]
    fn a_position_inside_trailing_newlines_snaps_to_its_line() {
        over("ab\n\n\ncd", |navigator, _| {
            assert_eq!(navigator.snap(at(4)), at(2));
            assert_eq!(navigator.snap(at(99)), at(7));
            assert_eq!(navigator.start(), at(0));
            assert_eq!(navigator.end(), at(7));
        });
    }

    #[test]
    fn an_article_that_opens_with_blank_lines_starts_at_its_first_line() {
        over("\n\nab", |navigator, _| {
            assert_eq!(navigator.start(), at(2));
            assert_eq!(navigator.snap(at(0)), at(2));
            assert_eq!(
                navigator.step(at(2), Unit::Character, Direction::Backward),
                at(2)
            );
        });
    }

    #[test]
    fn w_selects_the_word_and_then_grows_by_words() {
        over("Mao Ning said so.", |navigator, _| {
            let caret = navigator.select_word(Caret::at(at(1)));
            assert_eq!(caret.selection(), CharRange::from_raw(0, 3).ok());
            let caret = navigator.select_word(caret);
            assert_eq!(caret.selection(), CharRange::from_raw(0, 8).ok());
            // Just after a word: that word.
            let caret = navigator.select_word(Caret::at(at(8)));
            assert_eq!(caret.selection(), CharRange::from_raw(4, 8).ok());
        });
        // Among spaces: the next word.
        over("a   b", |navigator, _| {
            let caret = navigator.select_word(Caret::at(at(2)));
            assert_eq!(caret.selection(), CharRange::from_raw(4, 5).ok());
        });
    }

    #[test]
    fn s_selects_the_sentence_without_its_trailing_space() {
        over("One here. Two there! Three", |navigator, text| {
            let caret = navigator.select_sentence(Caret::at(at(12)));
            assert_eq!(
                caret.selection().and_then(|r| text.slice(r)),
                Some("Two there!")
            );
            let caret = navigator.select_sentence(caret);
            assert_eq!(
                caret.selection().and_then(|r| text.slice(r)),
                Some("Two there! Three")
            );
        });
    }

    #[test]
    fn paragraph_steps_go_to_the_edge_then_the_next_paragraph() {
        let text = "one two\n\nthree four\nfive";
        assert_eq!(walk(text, 2, Unit::Paragraph, Direction::Forward, 1), 7);
        assert_eq!(walk(text, 2, Unit::Paragraph, Direction::Forward, 2), 19);
        assert_eq!(walk(text, 2, Unit::Paragraph, Direction::Forward, 3), 24);
        assert_eq!(walk(text, 12, Unit::Paragraph, Direction::Backward, 1), 9);
        assert_eq!(walk(text, 12, Unit::Paragraph, Direction::Backward, 2), 0);
    }

    #[test]
    fn an_empty_article_keeps_the_caret_at_zero() {
        let text = ArticleText::normalize("");
        let navigator = Navigator::new(&text, &[], &PlainSegmenter);
        assert_eq!(navigator.step(at(0), Unit::Word, Direction::Forward), at(0));
        assert_eq!(navigator.word_at(at(0)), None);
    }
}
