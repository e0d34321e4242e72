//! What a screen reader hears after an edit: one sentence, read out by the page's live region
//! (components/live_region.rs). Tagging, relabelling, deleting, linking and their undo and redo
//! would otherwise change the page in silence.

use std::cmp::Ordering;
use std::rc::Rc;

use annotator_core::model::excerpt::{excerpt, quoted};
use annotator_core::model::{Annotation, AnnotationId, Document, Edit, Relation};

use super::AppState;

/// Characters of annotated text read out; enough to tell spans apart.
const SPOKEN_CHARS: usize = 60;

/// The latest sentence for the live region. `serial` changes with every announcement, so the
/// same words said twice (two tags in a row) are read twice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Announcement {
    pub serial: u32,
    pub text: Rc<str>,
}

/// "Quote “We will respond”".
fn named(annotation: &Annotation, document: &Document) -> String {
    format!(
        "{} {}",
        annotation.label.display_name(),
        quoted(&excerpt(annotation, document.text(), SPOKEN_CHARS))
    )
}

/// "Quote “…” said by Entity “Mao Ning”", or the ids when an end is gone.
fn relation_in_words(relation: &Relation, document: &Document) -> String {
    let end = |id: &AnnotationId| {
        document
            .annotation(id)
            .map_or_else(|| id.to_string(), |a| named(a, document))
    };
    format!(
        "{} {} {}",
        end(&relation.from),
        relation.kind.display_name(),
        end(&relation.to)
    )
}

fn relations_count(count: usize) -> String {
    match count {
        0 => String::new(),
        1 => " and its relation".to_owned(),
        n => format!(" and its {n} relations"),
    }
}

/// What `edit` did, as a sentence fragment ("tagged Quote “…”"). `document` is the document
/// after the edit (or, for an undone one, before it was undone: either holds the annotation
/// the words name, except for a deletion, which carries its own). `None` for note edits: a
/// note is typed, and every keystroke read out would drown the typing.
pub fn describe(edit: &Edit, document: &Document) -> Option<String> {
    Some(match edit {
        Edit::Added(annotation) => format!("tagged {}", named(annotation, document)),
        Edit::Removed(removed) => format!(
            "deleted {}{}",
            named(&removed.annotation, document),
            relations_count(removed.relations.len())
        ),
        Edit::Restored(removed) => format!(
            "restored {}{}",
            named(&removed.annotation, document),
            relations_count(removed.relations.len())
        ),
        Edit::Relabelled { id, from, to } => {
            let text = document
                .annotation(id)
                .map(|a| quoted(&excerpt(a, document.text(), SPOKEN_CHARS)))
                .unwrap_or_default();
            format!(
                "relabelled {text} from {} to {}",
                from.display_name(),
                to.display_name()
            )
        }
        Edit::Linked(relation) => format!("linked {}", relation_in_words(relation, document)),
        Edit::Unlinked(relation) => {
            format!("removed the link {}", relation_in_words(relation, document))
        }
        Edit::AttributeSet { name, to, .. } => match to {
            Some(value) => format!("{name} set to {value}"),
            None => format!("{name} cleared"),
        },
        Edit::NoteSet { .. } => return None,
        Edit::Batch(edits) => {
            let tagged = edits.iter().filter(|e| matches!(e, Edit::Added(_))).count();
            let linked = edits.len() - tagged;
            match (tagged, edits.first()) {
                (1, Some(first)) if linked == 0 => return describe(first, document),
                _ => format!(
                    "tagged {tagged} suggested span{}{}",
                    if tagged == 1 { "" } else { "s" },
                    match linked {
                        0 => String::new(),
                        1 => " and linked a quote to its speaker".to_owned(),
                        n => format!(" and linked {n} quotes to their speakers"),
                    }
                ),
            }
        }
        Edit::Replaced { before, after } => replaced_in_words(before, after),
    })
}

/// What replacing a document's body did: its text changed (and how many annotations lost
/// their text), an orphan placed or deleted, or annotations attached.
fn replaced_in_words(before: &Document, after: &Document) -> String {
    let (orphans_before, orphans_after) = (before.orphans().len(), after.orphans().len());
    let (spans_before, spans_after) = (before.annotations().len(), after.annotations().len());
    if before.text() != after.text() {
        return match orphans_after.saturating_sub(orphans_before) {
            0 => "changed the text; every annotation kept its text".to_owned(),
            1 => "changed the text; 1 annotation lost its text and is an orphan".to_owned(),
            n => format!("changed the text; {n} annotations lost their text and are orphans"),
        };
    }
    match (
        orphans_before.cmp(&orphans_after),
        spans_before.cmp(&spans_after),
    ) {
        (Ordering::Greater, Ordering::Less) => "placed an orphan".to_owned(),
        (Ordering::Greater, _) => "deleted an orphan".to_owned(),
        (Ordering::Less, Ordering::Greater) => "made an annotation an orphan again".to_owned(),
        (Ordering::Less, _) => "brought an orphan back".to_owned(),
        (Ordering::Equal, Ordering::Less) => {
            format!("attached {} annotations", spans_after - spans_before)
        }
        (Ordering::Equal, _) => format!("{spans_after} annotations now, {spans_before} before"),
    }
}

/// The fragment as a sentence: capitalised, with a full stop. Only an ASCII first letter is
/// capitalised (the rest are spoken the same either way), which keeps Unicode's case tables
/// out of the first load (`browser::text_case`).
fn sentence(fragment: &str) -> String {
    let mut chars = fragment.chars();
    let first: String = chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string())
        .unwrap_or_default();
    format!("{first}{}.", chars.as_str())
}

impl AppState {
    /// Queues `text` for the live region.
    pub(super) fn announce(&mut self, text: String) {
        self.announcement = Announcement {
            serial: self.announcement.serial.wrapping_add(1),
            text: Rc::from(text),
        };
    }

    /// Announces an edit just made (`prefix` empty), undone or redone.
    pub(super) fn announce_edit(&mut self, prefix: &str, edit: &Edit) {
        let Some(document) = self
            .active_document()
            .map(|d| std::rc::Rc::clone(&d.document))
        else {
            return;
        };
        match describe(edit, &document) {
            Some(words) if prefix.is_empty() => self.announce(sentence(&words)),
            Some(words) => self.announce(format!("{prefix}: {words}.")),
            // An undone note still deserves a word: the text field changed under the reader.
            None if !prefix.is_empty() => self.announce(format!("{prefix}: note edit.")),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_capitalised_and_closed() {
        assert_eq!(sentence("tagged Quote “a”"), "Tagged Quote “a”.");
    }
}
