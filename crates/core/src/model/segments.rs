//! The render plan: each paragraph cut into pieces at every annotation boundary, each piece
//! carrying the stack of annotations that cover it, outermost first.
//!
//! Overlapping and crossing spans cannot be nested as one element per annotation, so the view
//! renders one nest of mark elements per piece. Each annotation also gets a *layer* — the lowest
//! level not taken by an overlapping annotation that started before it — so its underline sits at
//! the same depth in every piece it covers.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::rc::Rc;

use super::annotation::{Annotation, AnnotationId};
use super::label::Label;
use super::offsets::{CharOffset, CharRange};
use super::paragraphs::Paragraph;

/// One annotation as seen from a piece of text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub id: AnnotationId,
    pub label: Label,
    /// 0 for spans nothing encloses; one more per enclosing or earlier overlapping span.
    pub layer: usize,
    /// Whether the annotation starts in this piece (where its label badge goes).
    pub opens: bool,
    /// The whole annotation's range, which may reach past this piece and its paragraph: what
    /// the opening piece tells a screen reader the span covers.
    pub span: CharRange,
}

/// A run of text covered by exactly the same annotations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    pub range: CharRange,
    /// Covering annotations, outermost (text order) first; empty for plain text.
    pub marks: Rc<[Mark]>,
}

/// Layer per annotation (same order as `annotations`, which must be in text order).
///
/// One sweep in text order: the annotations still open hold their layers, and a min-heap keeps
/// the layers they freed below the highest in use, so each choice is a heap operation and a
/// stack of any depth on one word costs n log n, not n² (a merged import stacks thousands).
pub fn assign_layers(annotations: &[Rc<Annotation>]) -> Vec<usize> {
    let mut layers = Vec::with_capacity(annotations.len());
    // (end, layer) of the annotations that may still overlap the next one, soonest end on top.
    let mut open: BinaryHeap<Reverse<(CharOffset, usize)>> = BinaryHeap::new();
    // Invariant: `free` holds exactly the layers below `fresh` that no open annotation holds.
    let mut free: BinaryHeap<Reverse<usize>> = BinaryHeap::new();
    let mut fresh = 0;
    // The latest end of the open annotations: most spans overlap nothing, and then the sweep
    // starts afresh instead of moving every layer through the heaps.
    let mut open_until = CharOffset::new(0);
    for a in annotations {
        if open_until <= a.range.start() {
            open.clear();
            free.clear();
            fresh = 0;
        }
        open_until = open_until.max(a.range.end());
        // Earlier annotations start no later, so they overlap `a` exactly while they end after
        // its start.
        while let Some(&Reverse((end, layer))) = open.peek() {
            if end > a.range.start() {
                break;
            }
            open.pop();
            free.push(Reverse(layer));
        }
        let layer = match free.pop() {
            Some(Reverse(layer)) => layer,
            None => {
                fresh += 1;
                fresh - 1
            }
        };
        open.push(Reverse((a.range.end(), layer)));
        layers.push(layer);
    }
    layers
}

/// [`assign_layers`] of `after`, given the `layers` of `before` and the [`edited_span`] between
/// them: only the annotations in the edited span are assigned layers again. The span is made
/// of whole runs of overlapping annotations, and a layer depends only on the earlier ones in
/// its run, so the annotations before it keep theirs (they are the edit's common head) and so
/// do the ones after it (its common tail). An edit of a 10,000-span document assigns a few
/// layers instead of 10,000. Falls back to [`assign_layers`] when `layers` is not `before`'s.
pub fn reassign_layers(
    before: &[Rc<Annotation>],
    layers: &[usize],
    after: &[Rc<Annotation>],
    edited: Option<CharRange>,
) -> Vec<usize> {
    if layers.len() != before.len() {
        return assign_layers(after);
    }
    let Some(span) = edited else {
        return if before.len() == after.len() {
            layers.to_vec()
        } else {
            assign_layers(after)
        };
    };
    let from = after.partition_point(|a| a.range.start() < span.start());
    let to = after.partition_point(|a| a.range.start() < span.end());
    let tail = after.len() - to;
    if from > before.len() || tail > before.len() - from {
        return assign_layers(after);
    }
    let mut reassigned = Vec::with_capacity(after.len());
    reassigned.extend_from_slice(&layers[..from]);
    reassigned.extend(assign_layers(&after[from..to]));
    reassigned.extend_from_slice(&layers[before.len() - tail..]);
    reassigned
}

/// Cuts every paragraph into pieces. `annotations` must be in text order (as a
/// [`crate::model::Document`] keeps them); the result has one entry per paragraph.
pub fn render_plan(paragraphs: &[Paragraph], annotations: &[Rc<Annotation>]) -> Vec<Vec<Piece>> {
    plan_paragraphs(paragraphs, annotations, &assign_layers(annotations))
}

/// [`render_plan`] of a run of consecutive paragraphs only, given the layers of all
/// `annotations` ([`assign_layers`]): the view cuts the paragraphs it shows and nothing else.
pub fn plan_paragraphs(
    paragraphs: &[Paragraph],
    annotations: &[Rc<Annotation>],
    layers: &[usize],
) -> Vec<Vec<Piece>> {
    let mut plan = Vec::with_capacity(paragraphs.len());
    let mut next = 0;
    // Indices of annotations that started before the current paragraph ends and may reach into
    // it: one sweep, as both lists are in text order.
    let mut active: Vec<usize> = Vec::new();
    for paragraph in paragraphs {
        let range = paragraph.chars;
        while next < annotations.len() && annotations[next].range.start() < range.end() {
            if annotations[next].range.end() > range.start() {
                active.push(next);
            }
            next += 1;
        }
        active.retain(|&i| annotations[i].range.end() > range.start());
        plan.push(pieces_of(range, &active, annotations, layers));
    }
    plan
}

/// [`plan_paragraphs`] after an edit, given the pieces `old` cut before it (one per paragraph,
/// or empty when there are none) and the [`edited_span`]: only the paragraphs meeting that span
/// are cut again, and each paragraph whose pieces did not change keeps its old `Rc`, so the view
/// renders only what changed. Without `old` (or `edited`), every paragraph is cut.
pub fn recut_paragraphs(
    paragraphs: &[Paragraph],
    annotations: &[Rc<Annotation>],
    layers: &[usize],
    old: &[Rc<Vec<Piece>>],
    edited: Option<CharRange>,
) -> Vec<Rc<Vec<Piece>>> {
    let (from, to) = match edited {
        Some(span) if old.len() == paragraphs.len() => (
            paragraphs.partition_point(|p| p.chars.end() <= span.start()),
            paragraphs.partition_point(|p| p.chars.start() < span.end()),
        ),
        _ => (0, paragraphs.len()),
    };
    let cut = plan_paragraphs(&paragraphs[from..to], annotations, layers);
    let mut cut = cut.into_iter();
    (0..paragraphs.len())
        .map(|i| {
            let kept = old.get(i);
            if !(from..to).contains(&i) {
                // Outside the range, `old` has every paragraph (the range is whole otherwise).
                return kept.map(Rc::clone).unwrap_or_default();
            }
            let pieces = cut.next().unwrap_or_default();
            match kept {
                Some(kept) if **kept == pieces => Rc::clone(kept),
                _ => Rc::new(pieces),
            }
        })
        .collect()
}

/// The text whose pieces an edit from `before` to `after` (both in text order) can change:
/// the ranges of the annotations that differ, widened to every run of transitively overlapping
/// annotations in `after` that holds one (an annotation's layer depends only on the earlier ones
/// in its run). Paragraphs outside it keep exactly their pieces. `None` when nothing differs.
pub fn edited_span(before: &[Rc<Annotation>], after: &[Rc<Annotation>]) -> Option<CharRange> {
    changed_span(before, after).map(|changed| widen_to_overlap_runs(after, changed))
}

/// The text covered by the annotations that differ between `before` and `after` (both sorted):
/// everything between their common head and common tail, on either side. `None` when equal.
fn changed_span(before: &[Rc<Annotation>], after: &[Rc<Annotation>]) -> Option<CharRange> {
    let head = before.iter().zip(after).take_while(|(b, a)| b == a).count();
    let room = before.len().min(after.len()) - head;
    let tail = before
        .iter()
        .rev()
        .zip(after.iter().rev())
        .take(room)
        .take_while(|(b, a)| b == a)
        .count();
    let changed = before[head..before.len() - tail]
        .iter()
        .chain(&after[head..after.len() - tail]);
    changed
        .map(|a| a.range)
        .reduce(|x, y| CharRange::spanning(x.start().min(y.start()), x.end().max(y.end())))
}

/// `span` widened by every run of transitively overlapping annotations in `annotations` (sorted)
/// that overlaps it: an annotation's layer depends only on the earlier ones in its run.
fn widen_to_overlap_runs(annotations: &[Rc<Annotation>], span: CharRange) -> CharRange {
    let (mut start, mut end) = (span.start(), span.end());
    let mut run: Option<CharRange> = None;
    let mut widen = |run: CharRange| {
        if run.overlaps(span) {
            start = start.min(run.start());
            end = end.max(run.end());
        }
    };
    for a in annotations {
        run = match run {
            Some(r) if a.range.start() < r.end() => {
                Some(CharRange::spanning(r.start(), r.end().max(a.range.end())))
            }
            Some(r) => {
                widen(r);
                Some(a.range)
            }
            None => Some(a.range),
        };
    }
    if let Some(r) = run {
        widen(r);
    }
    CharRange::spanning(start, end)
}

fn pieces_of(
    range: CharRange,
    active: &[usize],
    annotations: &[Rc<Annotation>],
    layers: &[usize],
) -> Vec<Piece> {
    let covering: Vec<usize> = active
        .iter()
        .copied()
        .filter(|&i| annotations[i].range.overlaps(range))
        .collect();
    let mut cuts: Vec<CharOffset> = vec![range.start(), range.end()];
    for &i in &covering {
        let r = annotations[i].range;
        cuts.extend(
            [r.start(), r.end()]
                .into_iter()
                .filter(|&c| c > range.start() && c < range.end()),
        );
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| {
            let piece = CharRange::spanning(w[0], w[1]);
            let marks: Rc<[Mark]> = covering
                .iter()
                .filter(|&&i| annotations[i].range.contains_range(piece))
                .map(|&i| Mark {
                    id: annotations[i].id.clone(),
                    label: annotations[i].label.clone(),
                    layer: layers[i],
                    opens: annotations[i].range.start() == piece.start(),
                    span: annotations[i].range,
                })
                .collect();
            Piece {
                range: piece,
                marks,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{paragraphs, ArticleText, Document, DocumentId, Timestamp};

    #[test]
    fn nested_spans_become_stacked_pieces() {
        let text = ArticleText::normalize("He said \"Acme wins\" today.\nNext");
        let mut d = Document::new(DocumentId::new("d"), "t".into(), text, Timestamp::default());
        let now = Timestamp::default();
        let r = |s, e| CharRange::from_raw(s, e).unwrap();
        d.add(r(0, 26), Label::Claim, now).unwrap();
        d.add(r(8, 19), Label::Quote, now).unwrap();
        d.add(r(9, 13), Label::Entity, now).unwrap();
        let paras = paragraphs(d.text());
        let plan = render_plan(&paras, d.annotations());
        assert_eq!(plan.len(), 2);
        type Row = (usize, usize, Vec<(Label, usize)>);
        let first: Vec<Row> = plan[0]
            .iter()
            .map(|p| {
                (
                    p.range.start().get(),
                    p.range.end().get(),
                    p.marks.iter().map(|m| (m.label.clone(), m.layer)).collect(),
                )
            })
            .collect();
        use Label::*;
        assert_eq!(
            first,
            vec![
                (0, 8, vec![(Claim, 0)]),
                (8, 9, vec![(Claim, 0), (Quote, 1)]),
                (9, 13, vec![(Claim, 0), (Quote, 1), (Entity, 2)]),
                (13, 19, vec![(Claim, 0), (Quote, 1)]),
                (19, 26, vec![(Claim, 0)]),
                (26, 27, vec![]),
            ]
        );
        assert_eq!(plan[1].len(), 1);
        assert!(plan[1][0].marks.is_empty());
    }
}
