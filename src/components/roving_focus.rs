//! Which control of a composite widget (the label toolbar, the Export menu) an arrow key, Home or
//! End moves focus to, and which one is the widget's single Tab stop. Pure arithmetic over "is
//! control i enabled", so the components stay thin and this is tested natively.

/// The arrow keys a widget answers: a toolbar lays its controls out in a row, a menu in a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Orientation {
    Horizontal,
    Vertical,
}

/// Where a key press moves focus to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Next,
    Previous,
    First,
    Last,
}

/// The step `key` (a `KeyboardEvent.key`) asks for in a widget of `orientation`, if any.
pub fn step_for_key(key: &str, orientation: Orientation) -> Option<Step> {
    match (key, orientation) {
        ("ArrowRight", Orientation::Horizontal) | ("ArrowDown", Orientation::Vertical) => {
            Some(Step::Next)
        }
        ("ArrowLeft", Orientation::Horizontal) | ("ArrowUp", Orientation::Vertical) => {
            Some(Step::Previous)
        }
        ("Home", _) => Some(Step::First),
        ("End", _) => Some(Step::Last),
        _ => None,
    }
}

/// The enabled control that `step` moves to from control `from` (`None`: focus is not on any of
/// them yet, so Next starts at the first and Previous at the last). Next and Previous wrap
/// around, as the ARIA toolbar and menu patterns allow, and skip disabled controls, which cannot
/// take focus. `None` when no control is enabled.
pub fn roving_target(enabled: &[bool], from: Option<usize>, step: Step) -> Option<usize> {
    let first = enabled.iter().position(|&on| on)?;
    let last = enabled.iter().rposition(|&on| on)?;
    let len = enabled.len();
    let walk = |start: usize, forward: bool| {
        (1..=len)
            .map(|distance| {
                if forward {
                    (start + distance) % len
                } else {
                    (start + len - distance % len) % len
                }
            })
            .find(|&i| enabled[i])
    };
    match (step, from.filter(|&at| at < len)) {
        (Step::First, _) | (Step::Next, None) => Some(first),
        (Step::Last, _) | (Step::Previous, None) => Some(last),
        (Step::Next, Some(at)) => walk(at, true),
        (Step::Previous, Some(at)) => walk(at, false),
    }
}

/// The control that Tab lands on: the one last focused when it can still take focus, else the
/// first enabled one. `None` when every control is disabled (the widget then has no Tab stop).
pub fn tab_stop(enabled: &[bool], last_focused: usize) -> Option<usize> {
    if enabled.get(last_focused).copied().unwrap_or(false) {
        Some(last_focused)
    } else {
        enabled.iter().position(|&on| on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_orientation() {
        use Orientation::*;
        assert_eq!(step_for_key("ArrowRight", Horizontal), Some(Step::Next));
        assert_eq!(step_for_key("ArrowLeft", Horizontal), Some(Step::Previous));
        assert_eq!(step_for_key("ArrowDown", Horizontal), None);
        assert_eq!(step_for_key("ArrowDown", Vertical), Some(Step::Next));
        assert_eq!(step_for_key("ArrowUp", Vertical), Some(Step::Previous));
        assert_eq!(step_for_key("ArrowRight", Vertical), None);
        assert_eq!(step_for_key("Home", Vertical), Some(Step::First));
        assert_eq!(step_for_key("End", Horizontal), Some(Step::Last));
        assert_eq!(step_for_key("q", Horizontal), None);
    }

    #[test]
    fn steps_skip_disabled_controls_and_wrap() {
        let enabled = [false, true, false, true, true, false];
        assert_eq!(roving_target(&enabled, Some(1), Step::Next), Some(3));
        assert_eq!(roving_target(&enabled, Some(4), Step::Next), Some(1));
        assert_eq!(roving_target(&enabled, Some(1), Step::Previous), Some(4));
        assert_eq!(roving_target(&enabled, Some(3), Step::Previous), Some(1));
        assert_eq!(roving_target(&enabled, Some(3), Step::First), Some(1));
        assert_eq!(roving_target(&enabled, Some(1), Step::Last), Some(4));
        // From a disabled control (it was disabled while focused) the walk still moves on.
        assert_eq!(roving_target(&enabled, Some(2), Step::Next), Some(3));
        assert_eq!(roving_target(&enabled, Some(2), Step::Previous), Some(1));
        // From outside the widget, or past its end.
        assert_eq!(roving_target(&enabled, None, Step::Next), Some(1));
        assert_eq!(roving_target(&enabled, None, Step::Previous), Some(4));
        assert_eq!(roving_target(&enabled, Some(9), Step::Next), Some(1));
    }

    #[test]
    fn a_single_or_no_enabled_control() {
        assert_eq!(roving_target(&[false, true], Some(1), Step::Next), Some(1));
        assert_eq!(
            roving_target(&[false, true], Some(1), Step::Previous),
            Some(1)
        );
        assert_eq!(roving_target(&[false, false], Some(0), Step::Next), None);
        assert_eq!(roving_target(&[], None, Step::First), None);
    }

    #[test]
    fn the_tab_stop_stays_where_focus_was_while_it_can() {
        assert_eq!(tab_stop(&[true, true, true], 2), Some(2));
        assert_eq!(tab_stop(&[false, true, false], 2), Some(1));
        assert_eq!(tab_stop(&[true, true], 7), Some(0));
        assert_eq!(tab_stop(&[false, false], 0), None);
    }
}
