//! Suggestions under review: spans a rule found (tag all, quotes, speakers, a dictionary) that
//! are not annotations until the user accepts them. Never saved, never exported: the list lives
//! beside a document, and accepting one is an ordinary, undoable edit of it.
//!
//! The list is in text order with one suggestion under review (the current one). Accepting or
//! rejecting it moves on to the next; `n`/`p` walk. A quote and its speaker name each other
//! (`partner`): whichever is accepted second links them with `said_by`, so the pair can be
//! reviewed in any order.

use std::collections::HashSet;

use super::document::Document;
use super::history::Edit;
use super::label::Label;
use super::offsets::CharRange;
use super::relation::{Relation, RelationKind};
use super::timestamp::Timestamp;
use super::Annotation;

/// The rule that found a suggestion: named in the review bar, so the user knows why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Suggester {
    /// Another occurrence of a span just tagged.
    TagAll,
    /// Text between quotation marks.
    Quotes,
    /// A name next to a speech verb beside a quote.
    Speakers,
    /// A name or phrase from the user's list.
    Dictionary,
    /// A search match the user turned into suggestions.
    Search,
}

impl Suggester {
    pub fn describe(self) -> &'static str {
        match self {
            Suggester::TagAll => "another occurrence",
            Suggester::Quotes => "between quotation marks",
            Suggester::Speakers => "a speaker of the quote",
            Suggester::Dictionary => "in your list",
            Suggester::Search => "a search match",
        }
    }
}

/// A span a rule suggests tagging.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub range: CharRange,
    pub label: Label,
    pub by: Suggester,
    /// For a quote, its speaker's name; for a speaker, the quote: linked by `said_by` once both
    /// are annotations.
    pub partner: Option<CharRange>,
}

impl Suggestion {
    pub fn new(range: CharRange, label: Label, by: Suggester) -> Self {
        Self {
            range,
            label,
            by,
            partner: None,
        }
    }
}

/// The suggestions of one document, in text order, with the one under review.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Suggestions {
    items: Vec<Suggestion>,
    current: usize,
}

/// The spans an article has tagged, by range and label: what needs no suggestion.
pub type Tagged = HashSet<(CharRange, Label)>;

/// The spans `document` has tagged.
pub fn tagged_in(document: &Document) -> Tagged {
    document
        .annotations()
        .iter()
        .map(|a| (a.range, a.label.clone()))
        .collect()
}

impl Suggestions {
    /// The list of `found` in a text of `char_len` code points, in text order, without
    /// duplicates and without what is `tagged` already; the first one is under review.
    pub fn new(
        found: impl IntoIterator<Item = Suggestion>,
        char_len: usize,
        tagged: &Tagged,
    ) -> Self {
        let mut items: Vec<Suggestion> = found
            .into_iter()
            .filter(|s| s.range.end().get() <= char_len)
            .collect();
        items.sort_by(|a, b| {
            (a.range.start(), a.range.end(), &a.label).cmp(&(
                b.range.start(),
                b.range.end(),
                &b.label,
            ))
        });
        items.dedup_by(|a, b| a.range == b.range && a.label == b.label);
        let mut list = Self { items, current: 0 };
        list.drop_tagged(tagged);
        list
    }

    /// This list with `more` added (a second rule run over the same article), still reviewing
    /// where it was.
    pub fn merged(
        self,
        more: impl IntoIterator<Item = Suggestion>,
        char_len: usize,
        tagged: &Tagged,
    ) -> Self {
        let current = self.current().map(|s| s.range.start());
        let mut list = Self::new(self.items.into_iter().chain(more), char_len, tagged);
        if let Some(start) = current {
            list.review_from(start.get());
        }
        list
    }

    pub fn items(&self) -> &[Suggestion] {
        &self.items
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The suggestion under review and its place in the list (from 0).
    pub fn current(&self) -> Option<&Suggestion> {
        self.items.get(self.current)
    }

    pub fn position(&self) -> usize {
        self.current
    }

    /// Moves to the next suggestion (or back with `forward` false), wrapping around.
    pub fn step(&mut self, forward: bool) {
        let len = self.items.len();
        if len == 0 {
            return;
        }
        self.current = if forward {
            (self.current + 1) % len
        } else {
            (self.current + len - 1) % len
        };
    }

    /// Reviews the first suggestion that starts at or after code point `offset` (the first one
    /// when none does).
    pub fn review_from(&mut self, offset: usize) {
        let at = self
            .items
            .partition_point(|s| s.range.start().get() < offset);
        self.current = if at < self.items.len() { at } else { 0 };
    }

    /// Takes the suggestion under review out of the list; the next one is reviewed.
    pub fn take_current(&mut self) -> Option<Suggestion> {
        if self.items.is_empty() {
            return None;
        }
        let taken = self.items.remove(self.current);
        if self.current >= self.items.len() {
            self.current = 0;
        }
        Some(taken)
    }

    /// Takes out every suggestion inside `within` (what the user sees), keeping the review on the
    /// first one after them.
    pub fn take_within(&mut self, within: CharRange) -> Vec<Suggestion> {
        let inside =
            |s: &Suggestion| s.range.start() >= within.start() && s.range.end() <= within.end();
        let (taken, kept): (Vec<_>, Vec<_>) = self.items.drain(..).partition(inside);
        self.items = kept;
        self.review_from(within.end().get());
        taken
    }

    /// Leaves out the suggestions now `tagged` (accepted, tagged by hand, or saved by another
    /// tab).
    pub fn drop_tagged(&mut self, tagged: &Tagged) {
        let current = self.current().map(|s| s.range.start().get());
        self.items
            .retain(|s| !tagged.contains(&(s.range, s.label.clone())));
        match current {
            Some(start) => self.review_from(start),
            None => self.current = 0,
        }
    }
}

/// The annotation of `document` on exactly `range` with `label`.
fn tagged<'a>(document: &'a Document, range: CharRange, label: &Label) -> Option<&'a Annotation> {
    document
        .annotations()
        .iter()
        .map(|a| &**a)
        .find(|a| a.range == range && &a.label == label)
}

/// Tags each of `accepted` in `document` and links each quote to its speaker with `said_by`
/// (when the schema has it) once both are there. Returns the edits made, for one undo step;
/// a suggestion whose span is already tagged adds nothing.
pub fn accept(
    document: &mut Document,
    accepted: &[Suggestion],
    said_by: Option<&RelationKind>,
    now: Timestamp,
) -> Vec<Edit> {
    let mut edits = Vec::new();
    for suggestion in accepted {
        let id = match tagged(document, suggestion.range, &suggestion.label) {
            Some(existing) => existing.id.clone(),
            None => match document.add(suggestion.range, suggestion.label.clone(), now) {
                Ok(added) => {
                    let id = added.id.clone();
                    edits.push(Edit::Added(added));
                    id
                }
                Err(_) => continue,
            },
        };
        let (Some(kind), Some(partner)) = (said_by, suggestion.partner) else {
            continue;
        };
        let (quote, speaker) = match suggestion.label {
            Label::Quote => (
                Some(id),
                tagged(document, partner, &Label::Entity).map(|a| a.id.clone()),
            ),
            _ => (
                tagged(document, partner, &Label::Quote).map(|a| a.id.clone()),
                Some(id),
            ),
        };
        if let (Some(quote), Some(speaker)) = (quote, speaker) {
            let relation = Relation::new(kind.clone(), quote, speaker);
            if document.link(relation.clone(), now).is_ok() {
                edits.push(Edit::Linked(relation));
            }
        }
    }
    edits
}
