//! The render plan: each paragraph cut into pieces at every annotation boundary, each piece
//! carrying the stack of annotations that cover it, outermost first.
//!
//! Overlapping and crossing spans cannot be nested as one element per annotation, so the view
//! renders one nest of mark elements per piece. Each annotation also gets a *layer* — the lowest
//! level not taken by an overlapping annotation that started before it — so its underline sits at
//! the same depth in every piece it covers.

use std::hash::{Hash, Hasher};
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
    pub layer: u8,
    /// Whether the annotation starts in this piece (where its label badge goes).
    pub opens: bool,
}

/// A run of text covered by exactly the same annotations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    pub range: CharRange,
    /// Covering annotations, outermost (text order) first; empty for plain text.
    pub marks: Rc<[Mark]>,
}

/// Layer per annotation (same order as `annotations`, which must be in text order).
pub fn assign_layers(annotations: &[Annotation]) -> Vec<u8> {
    let mut layers = Vec::with_capacity(annotations.len());
    // (end, layer) of annotations that may still overlap the next one.
    let mut active: Vec<(CharOffset, u8)> = Vec::new();
    for a in annotations {
        active.retain(|(end, _)| *end > a.range.start());
        let mut layer = 0u8;
        while active.iter().any(|(_, l)| *l == layer) {
            layer = layer.saturating_add(1);
        }
        active.push((a.range.end(), layer));
        layers.push(layer);
    }
    layers
}

/// Cuts every paragraph into pieces. `annotations` must be in text order (as a
/// [`crate::model::Document`] keeps them); the result has one entry per paragraph.
pub fn render_plan(paragraphs: &[Paragraph], annotations: &[Annotation]) -> Vec<Vec<Piece>> {
    render_plan_reusing(paragraphs, annotations, &[])
        .into_iter()
        .map(|p| Rc::unwrap_or_clone(p.pieces))
        .collect()
}

/// One paragraph of a render plan, with a fingerprint of everything its pieces were cut from:
/// its range and each covering annotation's id, range, label and layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedParagraph {
    pub fingerprint: u64,
    pub pieces: Rc<Vec<Piece>>,
}

/// [`render_plan`] that keeps the pieces (the same `Rc`) of every paragraph whose fingerprint
/// matches the one at the same index in `previous`. One edit changes the fingerprint of only the
/// paragraphs its span (and the spans whose layer it moved) touches, so the others cost a hash
/// instead of new pieces, and the view compares them by pointer.
pub fn render_plan_reusing(
    paragraphs: &[Paragraph],
    annotations: &[Annotation],
    previous: &[PlannedParagraph],
) -> Vec<PlannedParagraph> {
    let layers = assign_layers(annotations);
    let mut plan = Vec::with_capacity(paragraphs.len());
    let mut next = 0;
    // Indices of annotations that started before the current paragraph ends and may reach into it.
    let mut active: Vec<usize> = Vec::new();
    for (at, paragraph) in paragraphs.iter().enumerate() {
        let range = paragraph.chars;
        while next < annotations.len() && annotations[next].range.start() < range.end() {
            active.push(next);
            next += 1;
        }
        active.retain(|&i| annotations[i].range.end() > range.start());
        let fingerprint = fingerprint(range, &active, annotations, &layers);
        let planned = match previous.get(at) {
            Some(old) if old.fingerprint == fingerprint => old.clone(),
            _ => PlannedParagraph {
                fingerprint,
                pieces: Rc::new(pieces_of(range, &active, annotations, &layers)),
            },
        };
        plan.push(planned);
    }
    plan
}

/// [`render_plan_reusing`] for an edit from `before` to `after` (both in text order), given
/// `previous`, the plan of `before`. Only the paragraphs near what changed are looked at: the
/// changed annotations' ranges, widened to every run of transitively overlapping annotations that
/// holds one (layers can move only there). On a 1 MB article this is what keeps an edit from
/// hashing all ~2,500 paragraphs (3 ms of every key press, bench/PROFILE.md). Falls back to the
/// full [`render_plan_reusing`] when `previous` is not a plan of these paragraphs.
pub fn render_plan_after_edit(
    paragraphs: &[Paragraph],
    before: &[Annotation],
    after: &[Annotation],
    previous: &[PlannedParagraph],
) -> Vec<PlannedParagraph> {
    if previous.len() != paragraphs.len() {
        return render_plan_reusing(paragraphs, after, previous);
    }
    let mut plan = previous.to_vec();
    let Some(changed) = changed_span(before, after) else {
        return plan;
    };
    let span = widen_to_overlap_runs(after, changed);
    let first = paragraphs.partition_point(|p| p.chars.end() <= span.start());
    let end = paragraphs.partition_point(|p| p.chars.start() < span.end());
    let (Some(first_paragraph), Some(last_paragraph)) = (
        paragraphs.get(first),
        end.checked_sub(1).and_then(|l| paragraphs.get(l)),
    ) else {
        return plan;
    };
    let (from, to) = (first_paragraph.chars.start(), last_paragraph.chars.end());
    let layers = assign_layers(after);
    // Every annotation that reaches into those paragraphs (long ones may start far before).
    let reaching: Vec<usize> = (0..after.len())
        .take_while(|&i| after[i].range.start() < to)
        .filter(|&i| after[i].range.end() > from)
        .collect();
    for at in first..end {
        let range = paragraphs[at].chars;
        let active: Vec<usize> = reaching
            .iter()
            .copied()
            .filter(|&i| after[i].range.overlaps(range))
            .collect();
        let fingerprint = fingerprint(range, &active, after, &layers);
        if plan[at].fingerprint != fingerprint {
            plan[at] = PlannedParagraph {
                fingerprint,
                pieces: Rc::new(pieces_of(range, &active, after, &layers)),
            };
        }
    }
    plan
}

/// The text covered by the annotations that differ between `before` and `after` (both sorted):
/// everything between their common head and common tail, on either side. `None` when equal.
fn changed_span(before: &[Annotation], after: &[Annotation]) -> Option<CharRange> {
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
fn widen_to_overlap_runs(annotations: &[Annotation], span: CharRange) -> CharRange {
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

/// A 64-bit hash of what a paragraph's pieces depend on (SipHash: a collision would show stale
/// highlights, so not a weak hash).
fn fingerprint(
    range: CharRange,
    active: &[usize],
    annotations: &[Annotation],
    layers: &[u8],
) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    range.hash(&mut hasher);
    for &i in active {
        let a = &annotations[i];
        if a.range.overlaps(range) {
            (a.id.as_str(), a.range, a.label.as_str(), layers[i]).hash(&mut hasher);
        }
    }
    hasher.finish()
}

fn pieces_of(
    range: CharRange,
    active: &[usize],
    annotations: &[Annotation],
    layers: &[u8],
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
        type Row = (usize, usize, Vec<(Label, u8)>);
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
