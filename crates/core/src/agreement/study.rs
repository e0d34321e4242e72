//! The articles several annotators tagged, paired across their files by text.
//!
//! Annotators export separately, so ids and titles differ: two articles are the same when their
//! texts are equal. Line endings are already `\n` here (every import makes them so and moves the
//! offsets with them), so a file made on Windows pairs with one made elsewhere, and every measure
//! compares code points of one and the same string.

use std::collections::BTreeMap;

use super::CodedSpan;
use crate::model::{Attributes, Document, RelationKind};

/// One annotator's work on one article, on the article's normalised text.
#[derive(Clone, Debug, PartialEq)]
pub struct Coding {
    /// In the document's order.
    pub spans: Vec<CodedSpan>,
    /// `attributes[i]` belongs to `spans[i]`.
    pub attributes: Vec<Attributes>,
    /// Relations as indices into `spans`: (kind, from, to).
    pub relations: Vec<(RelationKind, usize, usize)>,
}

impl Coding {
    fn of(document: &Document) -> Self {
        let annotations = document.annotations();
        let index: BTreeMap<&str, usize> = annotations
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let relations = document
            .relations()
            .iter()
            .filter_map(|r| {
                Some((
                    r.kind.clone(),
                    *index.get(r.from.as_str())?,
                    *index.get(r.to.as_str())?,
                ))
            })
            .collect();
        Coding {
            spans: annotations
                .iter()
                .map(|a| CodedSpan {
                    start: a.range.start().get(),
                    end: a.range.end().get(),
                    label: a.label.clone(),
                })
                .collect(),
            attributes: annotations.iter().map(|a| a.attributes.clone()).collect(),
            relations,
        }
    }
}

/// An article that at least two annotators tagged.
#[derive(Clone, Debug, PartialEq)]
pub struct StudyArticle {
    /// The first annotator's title for it.
    pub title: String,
    pub text: String,
    pub text_chars: usize,
    /// One per annotator of the study, `None` for those who do not have this article.
    pub codings: Vec<Option<Coding>>,
}

impl StudyArticle {
    /// The annotators who have this article.
    pub fn coders(&self) -> impl Iterator<Item = usize> + '_ {
        self.codings
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.as_ref().map(|_| i))
    }
}

/// An article of one file that no other file has, or has twice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unpaired {
    pub annotator: String,
    pub title: String,
    pub reason: UnpairedReason,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnpairedReason {
    /// No other annotator's file has this text.
    OnlyOne,
    /// The same file holds this text more than once; the first one is compared.
    Repeated,
}

/// What is compared: the annotators (one per file) and their shared articles.
#[derive(Clone, Debug, PartialEq)]
pub struct Study {
    pub annotators: Vec<String>,
    pub articles: Vec<StudyArticle>,
    pub unpaired: Vec<Unpaired>,
}

/// Pairs the articles of each annotator's documents by their text. Articles come out in the
/// order the first file that has them lists them.
pub fn pair_articles(annotators: &[(String, Vec<Document>)]) -> Study {
    let mut by_text: BTreeMap<String, usize> = BTreeMap::new();
    let mut articles: Vec<StudyArticle> = Vec::new();
    let mut unpaired = Vec::new();
    for (who, (name, documents)) in annotators.iter().enumerate() {
        for document in documents {
            let text = document.text().as_str().to_owned();
            let at = *by_text.entry(text.clone()).or_insert_with(|| {
                articles.push(StudyArticle {
                    title: document.title.clone(),
                    text_chars: document.text().char_len(),
                    text,
                    codings: vec![None; annotators.len()],
                });
                articles.len() - 1
            });
            let slot = &mut articles[at].codings[who];
            if slot.is_some() {
                unpaired.push(Unpaired {
                    annotator: name.clone(),
                    title: document.title.clone(),
                    reason: UnpairedReason::Repeated,
                });
            } else {
                *slot = Some(Coding::of(document));
            }
        }
    }
    let (paired, alone): (Vec<_>, Vec<_>) =
        articles.into_iter().partition(|a| a.coders().count() >= 2);
    for article in alone {
        for who in article.coders() {
            unpaired.push(Unpaired {
                annotator: annotators[who].0.clone(),
                title: article.title.clone(),
                reason: UnpairedReason::OnlyOne,
            });
        }
    }
    Study {
        annotators: annotators.iter().map(|(name, _)| name.clone()).collect(),
        articles: paired,
        unpaired,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Annotation, AnnotationId, ArticleText, CharRange, DocumentId, Label, Timestamp,
    };

    fn document(id: &str, text: &str, spans: &[(usize, usize, Label)]) -> Document {
        let mut document = Document::new(
            DocumentId::new(id),
            id.to_owned(),
            ArticleText::normalize(text),
            Timestamp::from_unix_millis(0),
        );
        for (n, (start, end, label)) in spans.iter().enumerate() {
            let annotation = Annotation::new(
                AnnotationId::numbered(n as u64 + 1),
                label.clone(),
                CharRange::from_raw(*start, *end).unwrap(),
            );
            document
                .insert(annotation, Timestamp::from_unix_millis(0))
                .unwrap();
        }
        document
    }

    #[test]
    fn pairs_by_text_whatever_the_ids_and_line_endings() {
        let a = vec![
            document("x", "one\r\ntwo three", &[(4, 7, Label::Quote)]),
            document("y", "only mine", &[]),
        ];
        let b = vec![document("z", "one\ntwo three", &[(4, 7, Label::Quote)])];
        let study = pair_articles(&[("ann".into(), a), ("bob".into(), b)]);
        assert_eq!(study.articles.len(), 1);
        let article = &study.articles[0];
        assert_eq!(article.text, "one\ntwo three");
        let spans_a = &article.codings[0].as_ref().unwrap().spans;
        let spans_b = &article.codings[1].as_ref().unwrap().spans;
        assert_eq!(spans_a, spans_b);
        assert_eq!(
            study.unpaired,
            vec![Unpaired {
                annotator: "ann".into(),
                title: "y".into(),
                reason: UnpairedReason::OnlyOne
            }]
        );
    }

    #[test]
    fn the_same_text_twice_in_one_file_is_reported() {
        let a = vec![document("x", "same", &[]), document("x2", "same", &[])];
        let b = vec![document("y", "same", &[])];
        let study = pair_articles(&[("ann".into(), a), ("bob".into(), b)]);
        assert_eq!(study.articles.len(), 1);
        assert_eq!(study.unpaired[0].reason, UnpairedReason::Repeated);
    }
}
