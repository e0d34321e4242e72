//! The three offset spaces, each its own type so they can never be mixed by accident.
//!
//! - [`CharOffset`]: Unicode code points. What our exports and Python's `text[s:e]` use.
//! - [`Utf16Offset`]: UTF-16 code units. What the DOM (`Selection`, `Range`, `.length`) uses.
//! - [`ByteOffset`]: UTF-8 bytes. What Rust's `str` slicing uses.
//!
//! Conversions between them need the text and live in [`crate::model::text::ArticleText`].

use std::fmt;

macro_rules! offset_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(usize);

        impl $name {
            /// Wraps a raw count in this offset space.
            pub const fn new(value: usize) -> Self {
                Self(value)
            }

            /// The raw count.
            pub const fn get(self) -> usize {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

offset_type!(
    /// An offset counted in Unicode code points (Rust `char`s, Python `str` indices).
    CharOffset
);
offset_type!(
    /// An offset counted in UTF-16 code units (JavaScript string indices, DOM offsets).
    Utf16Offset
);
offset_type!(
    /// An offset counted in UTF-8 bytes (Rust `str` indices).
    ByteOffset
);

/// Why a pair of offsets is not a valid range.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("start {start} is after end {end}")]
    Reversed { start: usize, end: usize },
}

/// A half-open range `[start, end)` of code points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CharRange {
    // Invariant: start <= end.
    start: CharOffset,
    end: CharOffset,
}

impl CharRange {
    /// Builds a range.
    ///
    /// # Errors
    /// [`RangeError::Reversed`] when `start > end`.
    pub fn new(start: CharOffset, end: CharOffset) -> Result<Self, RangeError> {
        if start > end {
            return Err(RangeError::Reversed {
                start: start.get(),
                end: end.get(),
            });
        }
        Ok(Self { start, end })
    }

    /// Builds a range from raw code point counts.
    ///
    /// # Errors
    /// [`RangeError::Reversed`] when `start > end`.
    pub fn from_raw(start: usize, end: usize) -> Result<Self, RangeError> {
        Self::new(CharOffset::new(start), CharOffset::new(end))
    }

    /// The range covering both offsets, whichever order they come in.
    pub fn spanning(a: CharOffset, b: CharOffset) -> Self {
        Self {
            start: a.min(b),
            end: a.max(b),
        }
    }

    pub const fn start(self) -> CharOffset {
        self.start
    }

    pub const fn end(self) -> CharOffset {
        self.end
    }

    pub const fn len(self) -> usize {
        self.end.get() - self.start.get()
    }

    pub const fn is_empty(self) -> bool {
        self.start.get() == self.end.get()
    }

    /// Whether the two ranges share at least one code point.
    pub fn overlaps(self, other: CharRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `other` lies entirely inside `self`.
    pub fn contains_range(self, other: CharRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The shared part of two ranges, if they share at least one code point.
    pub fn intersection(self, other: CharRange) -> Option<CharRange> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start < end).then_some(CharRange { start, end })
    }

    /// This range limited to `[0, len)`; `None` when nothing of it is left.
    pub fn clipped_to(self, len: usize) -> Option<CharRange> {
        self.intersection(CharRange {
            start: CharOffset::new(0),
            end: CharOffset::new(len),
        })
    }
}

impl fmt::Display for CharRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reversed_range_is_an_error_not_a_panic() {
        assert_eq!(
            CharRange::from_raw(5, 2),
            Err(RangeError::Reversed { start: 5, end: 2 })
        );
    }

    #[test]
    fn intersection_and_overlap_agree() {
        let a = CharRange::from_raw(0, 10).unwrap();
        let b = CharRange::from_raw(10, 12).unwrap();
        let c = CharRange::from_raw(9, 12).unwrap();
        assert!(!a.overlaps(b));
        assert_eq!(a.intersection(b), None);
        assert!(a.overlaps(c));
        assert_eq!(a.intersection(c), Some(CharRange::from_raw(9, 10).unwrap()));
    }

    #[test]
    fn clipping_keeps_only_the_inside() {
        let r = CharRange::from_raw(3, 50).unwrap();
        assert_eq!(r.clipped_to(10), Some(CharRange::from_raw(3, 10).unwrap()));
        assert_eq!(r.clipped_to(3), None);
    }
}
