//! Attaching annotations that carry their quote but no text to an article of the library: a W3C
//! Web Annotation file from another tool (Hypothesis, Recogito, an annotation server) whose
//! targets select by `TextQuoteSelector` only and whose sources (web pages) are not in the file.
//! Each quote is anchored by its exact text and the `prefix` / `suffix` around it
//! ([`crate::model::anchor`]); a quote that is not there, or that fits several places equally
//! well, is not attached anywhere but reported, by count and by its words.

use serde::{Deserialize, Serialize};

use super::dataset::{ImportError, Problem};
use crate::model::anchor::{anchor, Anchoring, TextQuote};
use crate::model::attributes::{check_note, note_of, Attributes};
use crate::model::{Annotation, AnnotationId, AnnotatorName, Authors, Document, Label, Timestamp};

/// A name the reader checked, as an annotator's.
fn annotator(name: &Option<String>) -> Option<AnnotatorName> {
    name.as_deref().and_then(|n| AnnotatorName::parse(n).ok())
}

/// One annotation of the file: what it quotes and what it says about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotedSpan {
    /// How the file's annotation is named in messages: "annotation <id>".
    pub record: String,
    /// The IRI of what it annotates (a web page, say).
    pub source: String,
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    /// The labels its bodies tag it with, as written in the file (mapped in the review).
    pub labels: Vec<String>,
    pub attributes: Vec<(String, String)>,
    pub note: Option<String>,
    /// Who made it and who last changed it, as the file says (checked names).
    #[serde(default)]
    pub made_by: Option<String>,
    #[serde(default)]
    pub changed_by: Option<String>,
}

impl QuotedSpan {
    fn quote(&self) -> TextQuote {
        TextQuote {
            exact: self.exact.clone(),
            prefix: self.prefix.clone(),
            suffix: self.suffix.clone(),
        }
    }
}

/// What attaching made of an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// The article (its id, title and text) with only the spans to attach, under ids fresh for
    /// it (numbered on from its next id): what the import review shows and maps, and what is
    /// then added to the article.
    pub document: Document,
    /// Spans added (one per label of each quote found).
    pub attached: usize,
    /// Spans the article already had (same place and label): not added twice.
    pub already: usize,
    /// Quotes whose words occur at several places that fit equally well.
    pub ambiguous: Vec<QuotedSpan>,
    /// Quotes whose words are not in the article.
    pub missing: Vec<QuotedSpan>,
}

/// How many of `quoted` are found at one place in `article`.
pub fn found_in(quoted: &[QuotedSpan], article: &Document) -> usize {
    quoted
        .iter()
        .filter(|q| matches!(anchor(article.text(), &q.quote()), Anchoring::Found(_)))
        .count()
}

/// The article of `articles` where most of `quoted` are found; of several equal, the first (the
/// caller puts the open article first). `None` when none is found anywhere.
pub fn best_article(quoted: &[QuotedSpan], articles: &[&Document]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (at, article) in articles.iter().enumerate() {
        let found = found_in(quoted, article);
        if found > 0 && best.is_none_or(|(most, _)| found > most) {
            best = Some((found, at));
        }
    }
    best.map(|(_, at)| at)
}

/// The spans of `quoted` found at one place in `article`, once per label, that it does not
/// already have (see [`Attachment::document`]).
///
/// # Errors
/// [`ImportError`] naming the annotation whose label, attribute value or note the app cannot
/// hold; nothing is attached then.
pub fn attach(
    quoted: &[QuotedSpan],
    article: &Document,
    now: Timestamp,
) -> Result<Attachment, ImportError> {
    let shell = Document::new(
        article.id.clone(),
        article.title.clone(),
        article.text().clone(),
        article.created,
    );
    // No annotations to check: this cannot fail; it carries the article's next id number.
    let mut document =
        Document::from_parts(shell.clone(), Vec::new(), article.next_number()).unwrap_or(shell);
    let (mut attached, mut already) = (0, 0);
    let (mut ambiguous, mut missing) = (Vec::new(), Vec::new());
    for span in quoted {
        let range = match anchor(article.text(), &span.quote()) {
            Anchoring::Found(range) => range,
            Anchoring::Ambiguous { .. } => {
                ambiguous.push(span.clone());
                continue;
            }
            Anchoring::Missing => {
                missing.push(span.clone());
                continue;
            }
        };
        let refused = |what: String| ImportError::new(&span.record, Problem::Shape(what));
        let attributes = Attributes::from_pairs(span.attributes.iter().map(|(n, v)| (n, v)))
            .map_err(|e| refused(e.to_string()))?;
        if let Some(note) = &span.note {
            check_note(note).map_err(|e| refused(e.to_string()))?;
        }
        for name in &span.labels {
            let label = Label::parse_any(name).map_err(|e| refused(e.to_string()))?;
            if article
                .annotations()
                .iter()
                .chain(document.annotations())
                .any(|a| a.range == range && a.label == label)
            {
                already += 1;
                continue;
            }
            let annotation = Annotation {
                attributes: attributes.clone(),
                note: span.note.as_deref().and_then(note_of),
                authors: Authors {
                    made_by: annotator(&span.made_by),
                    changed_by: annotator(&span.changed_by),
                },
                ..Annotation::new(AnnotationId::numbered(document.next_number()), label, range)
            };
            document
                .insert(annotation, now)
                .map_err(|e| refused(e.to_string()))?;
            attached += 1;
        }
    }
    document.modified = article.modified;
    Ok(Attachment {
        document,
        attached,
        already,
        ambiguous,
        missing,
    })
}

/// `article` with the spans of `spans` (an [`Attachment::document`], its labels mapped since)
/// added, and how many were left out because the article has them (same place and label).
pub fn attached(article: &Document, spans: &Document, now: Timestamp) -> (Document, usize) {
    let mut document = article.clone();
    let mut left_out = 0;
    for span in spans.annotations() {
        let annotation = Annotation {
            id: AnnotationId::numbered(document.next_number()),
            ..Annotation::clone(span)
        };
        if document.insert(annotation, now).is_err() {
            left_out += 1;
        }
    }
    (document, left_out)
}
