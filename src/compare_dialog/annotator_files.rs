//! The annotators' files the dialog compares: each read by the formats worker into documents,
//! named after the annotator the file names (or else after the file) until the user renames it.

use std::rc::Rc;

use annotator_core::formats::detect::InputFile;
use annotator_core::formats::job::Outcome;
use annotator_core::model::annotator::sole_maker;
use annotator_core::model::Document;

use crate::browser::clock::now;
use crate::browser::formats_client;
use crate::browser::upload::read_files;
use crate::import_review::review::read_job;

/// One annotator's export, read.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnotatorFile {
    /// Unique among the dialog's files: what the report calls this annotator.
    pub name: String,
    pub file_name: String,
    /// The format's name and the documents, or why the file cannot be compared.
    pub read: Result<(String, Rc<Vec<Document>>), String>,
}

/// The name a file's annotator starts with: the file's name without its extension.
pub fn name_from_file(file_name: &str) -> String {
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem)
        .trim();
    if stem.is_empty() {
        "annotator".to_owned()
    } else {
        stem.to_owned()
    }
}

/// `wanted`, or `wanted (2)`, `wanted (3)`, … when another annotator already has it.
pub fn unique_name(wanted: &str, taken: &[&str]) -> String {
    let wanted = wanted.trim();
    let wanted = if wanted.is_empty() {
        "annotator"
    } else {
        wanted
    };
    if !taken.contains(&wanted) {
        return wanted.to_owned();
    }
    (2..)
        .map(|n| format!("{wanted} ({n})"))
        .find(|name| !taken.contains(&name.as_str()))
        .unwrap_or_default()
}

/// Reads one picked file with the formats worker. Its annotator is named after the one person
/// the file says made its annotations, else after the file.
pub async fn read(file: web_sys::File) -> AnnotatorFile {
    let file_name = file.name();
    let read = match read_files(vec![file]).await {
        Ok(files) => documents_of(&files).await,
        Err(problem) => Err(problem),
    };
    let maker = read.as_ref().ok().and_then(|(_, documents)| {
        sole_maker(
            documents
                .iter()
                .flat_map(|d| d.annotations().iter().map(|a| &**a)),
        )
        .map(|name| name.as_str().to_owned())
    });
    AnnotatorFile {
        name: maker.unwrap_or_else(|| name_from_file(&file_name)),
        file_name,
        read,
    }
}

async fn documents_of(files: &[InputFile]) -> Result<(String, Rc<Vec<Document>>), String> {
    let outcome: Outcome = formats_client::run(&read_job(files, None, now())).await?;
    let read = match outcome {
        Outcome::Read(read) => read,
        Outcome::NotRead(failure) => {
            return Err(format!("{}: {}", failure.record, failure.problem))
        }
        Outcome::Failed(problem) => return Err(problem),
        Outcome::Exported(_) => return Err("the worker answered another job".to_owned()),
    };
    let carried = read
        .documents
        .map_err(|failure| format!("{}: {}", failure.record, failure.problem))?;
    let documents = carried
        .iter()
        .map(|c| c.document())
        .collect::<Result<Vec<_>, _>>()?;
    if documents.is_empty() {
        return Err("it holds no article".to_owned());
    }
    Ok((read.format.name().to_owned(), Rc::new(documents)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_files_and_stay_unique() {
        assert_eq!(name_from_file("ann.json"), "ann");
        assert_eq!(name_from_file("bob.tar.gz"), "bob.tar");
        assert_eq!(name_from_file(".json"), "annotator");
        assert_eq!(unique_name("ann", &["ann", "ann (2)"]), "ann (3)");
        assert_eq!(unique_name("  ", &[]), "annotator");
    }
}
