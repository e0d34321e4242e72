//! An adjudication in progress as the browser keeps it (localStorage, one entry per article and
//! pair of annotators), so it survives a reload without the annotators' files: the article, both
//! annotators' spans, and the decisions made so far.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::adjudication::Decision;
use super::study::Coding;
use super::CodedSpan;
use crate::model::{Attributes, Label, RelationKind};

pub const FORMAT: &str = "article-annotator-adjudication";
pub const VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjudicationRecord {
    pub format: String,
    pub version: u32,
    pub title: String,
    pub text: String,
    pub names: [String; 2],
    pub codings: [CodingRecord; 2],
    /// (difference index, decision), in index order.
    pub decisions: Vec<(usize, Decision)>,
    pub adjudicator: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodingRecord {
    pub spans: Vec<SpanRecord>,
    /// (kind, from, to): indices into `spans`.
    pub relations: Vec<(String, usize, usize)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanRecord {
    pub start: usize,
    pub end: usize,
    pub label: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

impl CodingRecord {
    pub fn of(coding: &Coding) -> Self {
        CodingRecord {
            spans: coding
                .spans
                .iter()
                .zip(&coding.attributes)
                .map(|(s, attributes)| SpanRecord {
                    start: s.start,
                    end: s.end,
                    label: s.label.as_str().to_owned(),
                    attributes: attributes
                        .iter()
                        .map(|(n, v)| (n.to_owned(), v.to_owned()))
                        .collect(),
                })
                .collect(),
            relations: coding
                .relations
                .iter()
                .map(|(kind, from, to)| (kind.as_str().to_owned(), *from, *to))
                .collect(),
        }
    }

    /// # Errors
    /// A message naming what in the record cannot be read back.
    pub fn coding(&self, text_chars: usize) -> Result<Coding, String> {
        let mut spans = Vec::with_capacity(self.spans.len());
        let mut attributes = Vec::with_capacity(self.spans.len());
        for s in &self.spans {
            if s.start >= s.end || s.end > text_chars {
                return Err(format!("a span {}..{} is outside the text", s.start, s.end));
            }
            let label = Label::parse_any(&s.label).map_err(|e| e.to_string())?;
            spans.push(CodedSpan {
                start: s.start,
                end: s.end,
                label,
            });
            attributes
                .push(Attributes::from_pairs(s.attributes.iter()).map_err(|e| e.to_string())?);
        }
        let mut relations = Vec::with_capacity(self.relations.len());
        for (kind, from, to) in &self.relations {
            if *from >= spans.len() || *to >= spans.len() {
                return Err("a relation names a span that is not there".to_owned());
            }
            relations.push((
                RelationKind::parse(kind).map_err(|e| e.to_string())?,
                *from,
                *to,
            ));
        }
        Ok(Coding {
            spans,
            attributes,
            relations,
        })
    }
}

impl AdjudicationRecord {
    /// Reads a stored record.
    ///
    /// # Errors
    /// A message for the user when it is not one, or is from a newer version.
    pub fn read(json: &str) -> Result<(Self, [Coding; 2]), String> {
        let record: AdjudicationRecord =
            serde_json::from_str(json).map_err(|e| format!("not readable ({e})"))?;
        if record.format != FORMAT {
            return Err(format!("not an adjudication ({:?})", record.format));
        }
        if record.version > VERSION {
            return Err(format!(
                "saved by a newer version (version {})",
                record.version
            ));
        }
        let chars = record.text.chars().count();
        let codings = [
            record.codings[0].coding(chars)?,
            record.codings[1].coding(chars)?,
        ];
        Ok((record, codings))
    }

    pub fn write(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_what_was_written() {
        let coding = Coding {
            spans: vec![
                CodedSpan {
                    start: 0,
                    end: 3,
                    label: Label::Quote,
                },
                CodedSpan {
                    start: 4,
                    end: 6,
                    label: Label::Entity,
                },
            ],
            attributes: vec![
                Attributes::from_pairs([("type", "direct")]).unwrap(),
                Attributes::default(),
            ],
            relations: vec![(RelationKind::parse("said_by").unwrap(), 0, 1)],
        };
        let record = AdjudicationRecord {
            format: FORMAT.into(),
            version: VERSION,
            title: "T".into(),
            text: "abc de".into(),
            names: ["ann".into(), "bob".into()],
            codings: [CodingRecord::of(&coding), CodingRecord::of(&coding)],
            decisions: vec![
                (0, Decision::A),
                (
                    1,
                    Decision::Edit {
                        start: 0,
                        end: 2,
                        label: "claim".into(),
                    },
                ),
            ],
            adjudicator: "Zoe".into(),
        };
        let (read, codings) = AdjudicationRecord::read(&record.write()).unwrap();
        assert_eq!(read, record);
        assert_eq!(codings[0], coding);
    }

    /// The fuzz target's seed is a record that reads (so the fuzzer starts from the real shape).
    #[test]
    fn the_fuzz_seed_reads() {
        let seed = include_str!("../../../../fuzz/seeds/adjudication/example.json");
        let (record, codings) = AdjudicationRecord::read(seed).unwrap();
        assert_eq!(record.decisions.len(), 3);
        assert_eq!(codings[1].spans.len(), 3);
    }

    #[test]
    fn broken_or_newer_records_are_refused_in_words() {
        assert!(AdjudicationRecord::read("{")
            .unwrap_err()
            .starts_with("not readable"));
        let newer = r#"{"format":"article-annotator-adjudication","version":9,"title":"","text":"",
            "names":["a","b"],"codings":[{"spans":[],"relations":[]},{"spans":[],"relations":[]}],
            "decisions":[],"adjudicator":""}"#;
        assert!(AdjudicationRecord::read(newer)
            .unwrap_err()
            .contains("newer"));
        let outside = r#"{"format":"article-annotator-adjudication","version":1,"title":"","text":"ab",
            "names":["a","b"],"codings":[{"spans":[{"start":0,"end":5,"label":"quote"}],"relations":[]},
            {"spans":[],"relations":[]}],"decisions":[],"adjudicator":""}"#;
        assert!(AdjudicationRecord::read(outside)
            .unwrap_err()
            .contains("outside"));
    }
}
