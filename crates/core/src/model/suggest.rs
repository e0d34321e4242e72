//! What a rule can find for the annotator to confirm: direct quotes between quotation marks, the
//! speakers next to them, and every other place a tagged phrase occurs. Suggestions are never
//! annotations until the user accepts them: nothing here touches a document.

pub mod occurrences;
pub mod quotes;
pub mod speakers;
