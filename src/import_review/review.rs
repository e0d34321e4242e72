//! What the import review shows, worked out from what the formats worker made of the files:
//! the documents read, how each stands against the library, the custom labels and where they
//! map, and the counts; and, once the user chose, the documents the page is handed. Pure, so it
//! is tested natively.

use annotator_core::formats::attach::{attach, attached, best_article, QuotedSpan};
use annotator_core::formats::dataset::OffsetUnit;
use annotator_core::formats::detect::{ImportFormat, InputFile};
use annotator_core::formats::job::{Carried, Job, Outcome, ReadFailure};
use annotator_core::model::label_map::{self, LabelMap};
use annotator_core::model::{label_tally, Document, DocumentId, Label, Timestamp};

use super::protocol::{ImportChoice, Imported, LocalCopy};

/// The files under review.
#[derive(Debug, PartialEq)]
pub struct Review {
    /// The file (or files, for brat pairs) as the user knows them.
    pub file_name: String,
    pub format: ImportFormat,
    /// doccano's offset unit: the one the files were read with, and the guess.
    pub unit: OffsetUnit,
    pub guessed_unit: OffsetUnit,
    /// What the files hold, or why nothing can be imported from them.
    pub documents: Result<Vec<Document>, ReadFailure>,
    /// The same documents as the worker sent them, for the page to compare with its copies.
    carried: Vec<Carried>,
    /// When the files were read: a document whose format keeps no time of change carries it
    /// as its own.
    read_at: Timestamp,
    /// The documents of the files that are already in the library.
    local: Vec<LocalCopy>,
    /// A W3C file's annotations that quote pages it has no text for.
    quoted: Vec<QuotedSpan>,
    /// What attaching `quoted` to an article of the library made of them, once done.
    pub attach: Option<AttachReport>,
    /// Spans the files held twice (same place and label), merged as they were read.
    merged_in_files: usize,
}

/// Quotes of a file attached to an article: the spans to add are the review's one document.
#[derive(Debug, PartialEq)]
pub struct AttachReport {
    /// The library's article as the page handed it over.
    pub article: Document,
    /// The article's title.
    pub title: String,
    /// Spans the article has already (same place and label as written in the file).
    pub already: usize,
    /// Quotes whose words fit several places equally well, and quotes not in the article: not
    /// attached.
    pub ambiguous: Vec<QuotedSpan>,
    pub missing: Vec<QuotedSpan>,
}

/// The job that detects the format of `files` and reads them, at `now`; `unit` is doccano's
/// offset unit when the user chose one.
pub fn read_job(files: &[InputFile], unit: Option<OffsetUnit>, now: Timestamp) -> Job {
    Job::Read {
        files: files.to_vec(),
        unit,
        now: now.unix_millis(),
    }
}

impl Review {
    /// What the formats worker made of `files` (the [`Outcome`] of their [`read_job`] made at
    /// `read_at`).
    ///
    /// # Errors
    /// [`ReadFailure`] when the files are in no format this app reads (a file that is in a
    /// known format but has a bad record gives a `Review` whose `documents` are the failure).
    pub fn from_outcome(
        files: &[InputFile],
        outcome: Outcome,
        read_at: Timestamp,
    ) -> Result<Self, ReadFailure> {
        let read = match outcome {
            Outcome::Read(read) => read,
            Outcome::NotRead(failure) => return Err(failure),
            Outcome::Failed(problem) => return Err(whole_file(problem)),
            Outcome::Exported(_) => {
                return Err(whole_file("the worker answered another job".to_owned()))
            }
        };
        let file_name = files
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(" + ");
        let carried = read.documents.as_deref().unwrap_or_default().to_vec();
        let documents = read.documents.and_then(|carried| {
            carried
                .iter()
                .map(|c| c.document().map_err(whole_file))
                .collect()
        });
        Ok(Self {
            file_name,
            format: read.format,
            unit: read.unit,
            guessed_unit: read.guessed_unit,
            documents,
            carried,
            read_at,
            local: Vec::new(),
            quoted: read.quoted,
            attach: None,
            merged_in_files: read.merged_spans,
        })
    }

    /// The annotations of a W3C file that quote pages it has no text for (to attach).
    pub fn quoted(&self) -> &[QuotedSpan] {
        &self.quoted
    }

    /// The review of attaching [`Review::quoted`] to the article of `articles` (the open one
    /// first) that holds most of them: its one document is the spans to add; a file none of
    /// whose quotes is in any article is refused, saying so.
    pub fn attached_to(self, articles: &[Document], now: Timestamp) -> Self {
        let refs: Vec<&Document> = articles.iter().collect();
        let Some(best) = best_article(&self.quoted, &refs) else {
            let mut sources: Vec<&str> = self.quoted.iter().map(|q| q.source.as_str()).collect();
            sources.dedup();
            let failure = ReadFailure {
                record: self.file_name.clone(),
                problem: format!(
                    "its {} annotations quote {} but carry none of its text, and none of their \
                     quotes is in an article here. Paste or import that article first, then \
                     import this file again",
                    self.quoted.len(),
                    sources.first().copied().unwrap_or("a page"),
                ),
            };
            return Self {
                documents: Err(failure),
                ..self
            };
        };
        let article = &articles[best];
        match attach(&self.quoted, article, now) {
            Ok(attachment) => Self {
                carried: vec![Carried::new(&attachment.document)],
                documents: Ok(vec![attachment.document]),
                attach: Some(AttachReport {
                    article: article.clone(),
                    title: article.title.clone(),
                    already: attachment.already,
                    ambiguous: attachment.ambiguous,
                    missing: attachment.missing,
                }),
                ..self
            },
            Err(error) => Self {
                documents: Err(error.into()),
                ..self
            },
        }
    }

    /// The ids of the documents read, to ask the page for its copies.
    pub fn ids(&self) -> Vec<String> {
        self.read().iter().map(|d| d.id.to_string()).collect()
    }

    /// The review, knowing the library's `copies` of its documents (those the page has).
    ///
    /// # Errors
    /// A message when a copy did not cross from the page intact.
    pub fn with_copies(self, copies: &[Carried]) -> Result<Self, String> {
        let mut local = Vec::with_capacity(copies.len());
        for copy in copies {
            let copy = copy.document()?;
            if self.read().iter().any(|d| d.id == copy.id) {
                local.push(LocalCopy {
                    id: copy.id.to_string(),
                    document: copy,
                });
            }
        }
        Ok(Self { local, ..self })
    }

    /// What the page is handed when the user imports with `choice`: the documents to add,
    /// custom labels mapped as `mapping` says (the others stay custom). Documents the library
    /// already has are left out, given an id from `fresh_id`, or kept to replace its copies, as
    /// `choice` says.
    pub fn finish(
        &self,
        choice: ImportChoice,
        mapping: &LabelMap,
        mut fresh_id: impl FnMut() -> DocumentId,
    ) -> Imported {
        if let (Some(report), Some(spans)) = (&self.attach, self.read().first()) {
            // The article as it was, and with the spans (their labels mapped) added.
            let (mapped, merged) = label_map::apply(spans, mapping);
            let (after, _) = attached(&report.article, &mapped, self.read_at);
            return Imported {
                source: format!("“{}” ({})", self.file_name, self.format.name()),
                documents: vec![Carried::new(&report.article), Carried::new(&after)],
                replace: false,
                skipped: 0,
                merged_spans: u32::try_from(merged).unwrap_or(u32::MAX),
                attach: true,
            };
        }
        let mut merged_spans = u32::try_from(self.merged_in_files).unwrap_or(u32::MAX);
        let mut skipped = 0;
        let mut documents = Vec::with_capacity(self.carried.len());
        for (document, carried) in self.read().iter().zip(&self.carried) {
            let here = self.local_copy(document).is_some();
            if here && choice == ImportChoice::SkipExisting {
                skipped += 1;
                continue;
            }
            let new_id = (here && choice == ImportChoice::KeepBoth).then(&mut fresh_id);
            if mapping.is_empty() && new_id.is_none() {
                documents.push(carried.clone());
                continue;
            }
            let (mut mapped, merged) = label_map::apply(document, mapping);
            merged_spans += u32::try_from(merged).unwrap_or(u32::MAX);
            if let Some(id) = new_id {
                mapped.id = id;
            }
            documents.push(Carried::new(&mapped));
        }
        Imported {
            source: format!("“{}” ({})", self.file_name, self.format.name()),
            documents,
            replace: choice == ImportChoice::Replace,
            skipped,
            merged_spans,
            attach: self.attach.is_some(),
        }
    }

    /// The documents read, or none when the files were rejected.
    pub fn read(&self) -> &[Document] {
        self.documents.as_deref().unwrap_or_default()
    }

    /// Custom labels in the files, with their number of spans.
    pub fn custom_labels(&self) -> Vec<(Label, usize)> {
        label_map::custom_labels(self.read())
    }

    /// The mapping the review starts with: custom labels whose name is obviously one of ours.
    pub fn suggested_mapping(&self) -> LabelMap {
        self.custom_labels()
            .into_iter()
            .filter_map(|(label, _)| label_map::suggest(&label).map(|to| (label, to)))
            .collect()
    }

    /// Spans per label once `mapping` is applied, built-in labels first.
    pub fn mapped_counts(&self, mapping: &LabelMap) -> Vec<(Label, usize)> {
        label_tally::tally_with_builtins(
            self.read()
                .iter()
                .flat_map(Document::annotations)
                .map(|a| mapping.get(&a.label).unwrap_or(&a.label)),
        )
    }

    /// "3 documents, 12 spans: 5 quote, 4 entity, 3 claim."
    pub fn summary(&self, mapping: &LabelMap) -> String {
        let documents = self.read().len();
        let spans: usize = self.read().iter().map(|d| d.annotations().len()).sum();
        let per_label = self
            .mapped_counts(mapping)
            .into_iter()
            .map(|(label, n)| format!("{n} {}", label.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let merged = match self.merged_in_files {
            0 => String::new(),
            1 => " One span was in the file twice (the same place and label, as in merged \
                  annotators' work) and is imported once."
                .to_owned(),
            n => format!(
                " {n} spans were in the file twice (the same place and label, as in merged \
                 annotators' work) and are imported once each."
            ),
        };
        format!(
            "{documents} document{}, {spans} span{}: {per_label}.{merged}",
            plural(documents),
            plural(spans)
        )
    }

    /// How many documents of the files the library already has.
    pub fn conflicts(&self) -> usize {
        self.read()
            .iter()
            .filter(|d| self.local_copy(d).is_some())
            .count()
    }

    fn local_copy(&self, document: &Document) -> Option<&LocalCopy> {
        let id = document.id.to_string();
        self.local.iter().find(|local| local.id == id)
    }

    /// How `document` stands against the library once its labels are mapped as `mapping` says
    /// (a file's `PER` mapped onto entity is the library's entity), and whether it is already
    /// there.
    pub fn status(&self, document: &Document, mapping: &LabelMap) -> (String, bool) {
        let Some(local) = self.local_copy(document) else {
            return ("new".to_owned(), false);
        };
        let (mapped, _) = label_map::apply(document, mapping);
        let local_modified = local.document.modified;
        let same_content = local.document.same_content(&mapped);
        // A file that keeps no time of change (JSONL, doccano, Label Studio, brat) gives its
        // documents the time they were read: comparing that with the local copy's would always
        // call the file's copy newer, and invite replacing newer local work.
        let undated = document.modified == self.read_at;
        let status = if undated && same_content {
            "already here, identical".to_owned()
        } else if undated {
            "already here, with other content — the file does not say when it was changed, so \
             which copy is newer is not known"
                .to_owned()
        } else if local_modified > document.modified {
            format!(
                "already here — the local copy is NEWER (changed {local_modified}, file {})",
                document.modified
            )
        } else if local.document == mapped {
            "already here, identical".to_owned()
        } else {
            format!(
                "already here — the file’s copy is newer (local {local_modified}, file {})",
                document.modified
            )
        };
        (status, true)
    }
}

/// A failure of the files as a whole.
fn whole_file(problem: String) -> ReadFailure {
    ReadFailure {
        record: "the file".to_owned(),
        problem,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
