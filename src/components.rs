//! Yew components, one per file, named for what the user sees. They read [`crate::state`]
//! through context and hold no rules of their own.

pub mod annotation_details;
pub mod annotation_list;
pub mod annotation_rows;
pub mod app;
pub mod article_note;
pub mod article_view;
pub mod css_string;
pub mod document_list;
pub mod export_buttons;
pub mod export_menu;
pub mod fix_text_button;
pub mod guidelines_host;
pub mod import_button;
pub mod label_bar;
pub mod label_class;
pub mod link_picker;
pub mod live_region;
pub mod notice_bar;
pub mod panel_switch;
pub mod paragraph_chunk;
pub mod paragraph_view;
pub mod paste_form;
pub mod relation_arcs;
pub mod relation_toggle;
pub mod roving_focus;
pub mod schema_settings;
pub mod schema_style;
pub mod storage_panel;
pub mod suggest_button;
pub mod team_panel;
