//! Custom hooks: one per file, each owning one kind of browser side effect.

pub mod use_article_caret;
pub mod use_autosave;
pub mod use_chunks_near_view;
pub mod use_file_drop;
pub mod use_focus_keeper;
pub mod use_import;
pub mod use_keyboard_shortcuts;
pub mod use_modal_dialog;
pub mod use_schema_store;

pub use use_article_caret::{use_article_caret, CaretInputs};
pub use use_autosave::use_autosave;
pub use use_chunks_near_view::use_chunks_near_view;
pub use use_file_drop::use_file_drop;
pub use use_focus_keeper::use_focus_keeper;
pub use use_import::use_import;
pub use use_keyboard_shortcuts::use_keyboard_shortcuts;
pub use use_modal_dialog::use_modal_dialog;
pub use use_schema_store::use_schema_store;
