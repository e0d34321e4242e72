//! The Export menu's catalogue: every format a user can download, its name, file name and
//! offset unit, and the one function that produces the file. Components only pick an entry.

use super::dataset::{OffsetUnit, OutputFile};
use super::{brat, csv, doccano, jsonl, label_studio, native, w3c};
use crate::model::{Document, Schema};

/// A downloadable format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ExportFormat {
    Native,
    Jsonl,
    W3c,
    Doccano(OffsetUnit),
    LabelStudio,
    /// The labeling config that Label Studio needs to show [`ExportFormat::LabelStudio`] tasks.
    LabelStudioConfig,
    Brat,
    Csv,
}

impl ExportFormat {
    /// Menu order.
    pub const ALL: [ExportFormat; 9] = [
        ExportFormat::Native,
        ExportFormat::Jsonl,
        ExportFormat::W3c,
        ExportFormat::Doccano(OffsetUnit::CodePoint),
        ExportFormat::Doccano(OffsetUnit::Utf16),
        ExportFormat::LabelStudio,
        ExportFormat::LabelStudioConfig,
        ExportFormat::Brat,
        ExportFormat::Csv,
    ];

    /// The name in the Export menu (also its accessible name).
    pub const fn menu_name(self) -> &'static str {
        match self {
            ExportFormat::Native => "Native JSON",
            ExportFormat::Jsonl => "JSONL (spaCy / Prodigy / Hugging Face)",
            ExportFormat::W3c => "W3C Web Annotation (JSON-LD)",
            ExportFormat::Doccano(OffsetUnit::CodePoint) => "doccano JSONL",
            ExportFormat::Doccano(OffsetUnit::Utf16) => "doccano JSONL, UTF-16 offsets",
            ExportFormat::LabelStudio => "Label Studio JSON",
            ExportFormat::LabelStudioConfig => "Label Studio labeling config (XML)",
            ExportFormat::Brat => "brat standoff (zip)",
            ExportFormat::Csv => "CSV, spans and relations (zip)",
        }
    }

    /// What the offsets in the file count, shown next to the menu entry.
    pub const fn offset_note(self) -> &'static str {
        match self {
            ExportFormat::Doccano(OffsetUnit::Utf16) => "UTF-16 code units",
            ExportFormat::LabelStudioConfig => "no offsets",
            _ => "code points",
        }
    }

    /// The file name suffix, which states the offset unit where it is not code points.
    pub fn suffix(self) -> String {
        match self {
            ExportFormat::Native => ".annotations.json".into(),
            ExportFormat::Jsonl => format!(".{}", jsonl::EXTENSION),
            ExportFormat::W3c => ".w3c.jsonld".into(),
            ExportFormat::Doccano(unit) => doccano::file_suffix(unit).into(),
            ExportFormat::LabelStudio => ".label-studio.json".into(),
            ExportFormat::LabelStudioConfig => ".label-studio-config.xml".into(),
            ExportFormat::Brat => ".brat.zip".into(),
            ExportFormat::Csv => format!(".{}", csv::EXTENSION),
        }
    }

    const fn mime(self) -> &'static str {
        match self {
            ExportFormat::Native | ExportFormat::LabelStudio => "application/json",
            ExportFormat::Jsonl | ExportFormat::Doccano(_) => "application/x-ndjson",
            ExportFormat::W3c => "application/ld+json",
            ExportFormat::LabelStudioConfig => "application/xml",
            ExportFormat::Brat => "application/zip",
            ExportFormat::Csv => csv::MIME,
        }
    }

    /// The file for `documents`, made with `schema`, named `<base_name><suffix>`.
    pub fn export(self, documents: &[&Document], schema: &Schema, base_name: &str) -> OutputFile {
        let bytes = match self {
            ExportFormat::Native => native::export(documents.iter().copied(), schema).into_bytes(),
            ExportFormat::Jsonl => jsonl::export(documents).into_bytes(),
            ExportFormat::W3c => w3c::export(documents).into_bytes(),
            ExportFormat::Doccano(unit) => doccano::export(documents, unit).into_bytes(),
            ExportFormat::LabelStudio => label_studio::export_with(documents, schema).into_bytes(),
            ExportFormat::LabelStudioConfig => {
                label_studio::config_for(documents, schema).into_bytes()
            }
            ExportFormat::Brat => brat::export_zip(documents, schema),
            ExportFormat::Csv => csv::export_zip(documents),
        };
        OutputFile {
            name: format!("{base_name}{}", self.suffix()),
            mime: self.mime(),
            bytes,
        }
    }
}
