//! The pure core: text and its three offset spaces, annotations, documents, undo history and the
//! render plan. Nothing in here knows about the browser, so every rule is testable natively.

pub mod anchor;
pub mod annotation;
pub mod annotator;
pub mod attributes;
pub mod caret;
pub mod caret_keys;
pub mod document;
pub mod drawn_relations;
pub mod excerpt;
pub mod guidelines;
pub mod hash;
pub mod history;
pub mod label;
pub mod label_map;
pub mod label_tally;
pub mod merge;
pub mod offset_index;
pub mod offsets;
pub mod open_document;
pub mod orphan;
pub mod paragraphs;
pub mod relation;
pub mod same_spans;
pub mod schema;
pub mod schema_edit;
pub mod search;
pub mod segments;
pub mod selection;
pub mod shared_records;
pub mod slug;
pub mod suggest;
pub mod suggestions;
pub mod text;
pub mod text_change;
pub mod text_fix;
pub mod text_units;
pub mod timestamp;
pub mod word_snap;

pub use annotation::{Annotation, AnnotationId};
pub use annotator::{AnnotatorName, Authors};
pub use attributes::Attributes;
pub use document::{Document, DocumentError, DocumentId, Relations, Removed};
pub use history::{Edit, History, Stale, Step};
pub use label::Label;
pub use merge::merge;
pub use offsets::{ByteOffset, CharOffset, CharRange, RangeError, Utf16Offset};
pub use open_document::{restore, take_in, DeletedDocument, OpenDocument, Restored, TakenIn};
pub use paragraphs::{paragraphs, Paragraph};
pub use relation::{Relation, RelationKind};
pub use schema::Schema;
pub use segments::{
    assign_layers, edited_span, plan_paragraphs, reassign_layers, recut_paragraphs, render_plan,
    Mark, Piece,
};
pub use text::{ArticleText, TextError};
pub use timestamp::Timestamp;
