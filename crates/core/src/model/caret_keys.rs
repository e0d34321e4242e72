//! Which key does what to the article's keyboard caret (the README's keyboard table says the
//! same). Kept apart from the browser so the whole map is tested natively.

use super::caret::{Direction, Unit};

/// The modifier keys held with a key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Modifiers {
    pub shift: bool,
    pub ctrl: bool,
    pub alt: bool,
    /// ⌘ on macOS.
    pub meta: bool,
}

/// What a key asks of the caret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaretCommand {
    /// Move by a unit of the text; `extend` grows the selection (Shift).
    Move {
        unit: Unit,
        direction: Direction,
        extend: bool,
    },
    /// Move one visual line up or down (the layout decides where that is).
    Line { direction: Direction, extend: bool },
    /// `w`: select the word under the caret, or grow the selection by a word.
    SelectWord,
    /// `s`: the same for sentences.
    SelectSentence,
    /// Space: mark where a span starts; after moving, Space again marks where it ends (for
    /// people who cannot hold a key or a drag).
    Mark,
    /// Enter: select the annotation under the caret; again, the one around it.
    SelectAnnotation,
    /// Escape: drop the selection and the mark.
    Collapse,
}

/// The command for `key` (a `KeyboardEvent.key`), if it is one of the caret's.
pub fn caret_command(key: &str, held: Modifiers) -> Option<CaretCommand> {
    let extend = held.shift;
    let step = |unit, direction| {
        Some(CaretCommand::Move {
            unit,
            direction,
            extend,
        })
    };
    let plain = !(held.ctrl || held.alt || held.meta);
    match key {
        "ArrowLeft" | "ArrowRight" => {
            let direction = if key == "ArrowLeft" {
                Direction::Backward
            } else {
                Direction::Forward
            };
            // Ctrl on Windows and Linux, Option on macOS move by words; ⌘ to the line's edge.
            let unit = if held.meta {
                Unit::LineEdge
            } else if held.ctrl || held.alt {
                Unit::Word
            } else {
                Unit::Character
            };
            step(unit, direction)
        }
        "ArrowUp" | "ArrowDown" => {
            let direction = if key == "ArrowUp" {
                Direction::Backward
            } else {
                Direction::Forward
            };
            if held.meta {
                step(Unit::Article, direction)
            } else if held.ctrl {
                step(Unit::Paragraph, direction)
            } else if held.alt {
                step(Unit::Sentence, direction)
            } else {
                Some(CaretCommand::Line { direction, extend })
            }
        }
        "Home" | "End" => {
            let direction = if key == "Home" {
                Direction::Backward
            } else {
                Direction::Forward
            };
            let unit = if held.ctrl || held.meta {
                Unit::Article
            } else {
                Unit::LineEdge
            };
            step(unit, direction)
        }
        "w" | "W" if plain => Some(CaretCommand::SelectWord),
        "s" | "S" if plain => Some(CaretCommand::SelectSentence),
        " " if plain && !held.shift => Some(CaretCommand::Mark),
        "Enter" if plain && !held.shift => Some(CaretCommand::SelectAnnotation),
        "Escape" => Some(CaretCommand::Collapse),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIFT: Modifiers = Modifiers {
        shift: true,
        ctrl: false,
        alt: false,
        meta: false,
    };
    const CTRL: Modifiers = Modifiers {
        shift: false,
        ctrl: true,
        alt: false,
        meta: false,
    };
    const ALT: Modifiers = Modifiers {
        shift: false,
        ctrl: false,
        alt: true,
        meta: false,
    };

    fn moves(key: &str, held: Modifiers) -> Option<(Unit, Direction, bool)> {
        match caret_command(key, held)? {
            CaretCommand::Move {
                unit,
                direction,
                extend,
            } => Some((unit, direction, extend)),
            _ => None,
        }
    }

    #[test]
    fn arrows_move_by_character_word_sentence_and_paragraph() {
        use Direction::*;
        let none = Modifiers::default();
        assert_eq!(
            moves("ArrowRight", none),
            Some((Unit::Character, Forward, false))
        );
        assert_eq!(
            moves("ArrowLeft", SHIFT),
            Some((Unit::Character, Backward, true))
        );
        assert_eq!(
            moves("ArrowRight", CTRL),
            Some((Unit::Word, Forward, false))
        );
        assert_eq!(moves("ArrowLeft", ALT), Some((Unit::Word, Backward, false)));
        assert_eq!(
            moves("ArrowDown", ALT),
            Some((Unit::Sentence, Forward, false))
        );
        assert_eq!(
            moves("ArrowUp", CTRL),
            Some((Unit::Paragraph, Backward, false))
        );
        assert_eq!(moves("End", none), Some((Unit::LineEdge, Forward, false)));
        assert_eq!(moves("Home", CTRL), Some((Unit::Article, Backward, false)));
        assert_eq!(
            caret_command("ArrowDown", SHIFT),
            Some(CaretCommand::Line {
                direction: Forward,
                extend: true
            })
        );
    }

    #[test]
    fn letters_with_a_modifier_are_left_to_the_browser() {
        assert_eq!(
            caret_command("w", Modifiers::default()),
            Some(CaretCommand::SelectWord)
        );
        assert_eq!(caret_command("w", CTRL), None);
        assert_eq!(caret_command("s", ALT), None);
        assert_eq!(caret_command(" ", SHIFT), None);
        assert_eq!(caret_command("q", Modifiers::default()), None);
    }
}
