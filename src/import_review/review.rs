//! What the import review shows, worked out from a [`ReviewRequest`]: the documents read, how
//! each stands against the library, the custom labels and where they map, and the counts. Pure,
//! so it is tested natively.

use annotator_core::formats::dataset::OffsetUnit;
use annotator_core::formats::detect::ImportFormat;
use annotator_core::formats::job::ReadFailure;
use annotator_core::model::label_map::{self, LabelMap};
use annotator_core::model::{label_tally, Document, Label, Timestamp};

use super::protocol::{LocalCopy, ReviewRequest};

/// The files under review.
#[derive(Debug, PartialEq)]
pub struct Review {
    pub file_name: String,
    pub format: ImportFormat,
    pub unit: OffsetUnit,
    pub guessed_unit: OffsetUnit,
    pub documents: Result<Vec<Document>, ReadFailure>,
    read_at: Timestamp,
    local: Vec<LocalCopy>,
}

impl Review {
    /// # Errors
    /// A message when a document did not cross between the modules intact.
    pub fn from_request(request: ReviewRequest) -> Result<Self, String> {
        let documents = match request.read {
            Ok(carried) => Ok(carried
                .iter()
                .map(|c| c.document())
                .collect::<Result<Vec<_>, _>>()?),
            Err(failure) => Err(failure),
        };
        Ok(Self {
            file_name: request.file_name,
            format: request.format,
            unit: request.unit,
            guessed_unit: request.guessed_unit,
            documents,
            read_at: Timestamp::from_unix_millis(request.read_at),
            local: request.local,
        })
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
        format!(
            "{documents} document{}, {spans} span{}: {per_label}.",
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

    /// How `document` stands against the library, and whether it is already there.
    pub fn status(&self, document: &Document) -> (String, bool) {
        let Some(local) = self.local_copy(document) else {
            return ("new".to_owned(), false);
        };
        let local_modified = Timestamp::from_unix_millis(local.modified);
        // A file that keeps no time of change (JSONL, doccano, Label Studio, brat) gives its
        // documents the time they were read: comparing that with the local copy's would always
        // call the file's copy newer, and invite replacing newer local work.
        let undated = document.modified == self.read_at;
        let status = if undated && local.same_content {
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
        } else if local.identical {
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

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
