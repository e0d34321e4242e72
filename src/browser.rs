//! The thin edge to the browser: localStorage as a [`annotator_core::persist::Store`], the clock
//! and randomness, file download and upload, storage durability, JS string copies and freeing
//! memory after the frame. Nothing in here decides anything about the user's data.

pub mod after_task;
pub mod annotator_name;
pub mod announce;
pub mod article_point;
pub mod clock;
pub mod css_highlight;
pub mod deferred_drop;
pub mod dialogs_client;
pub mod download;
pub mod durability;
pub mod focus;
pub mod formats_client;
pub mod intl_segmenter;
pub mod js_error;
pub mod js_string;
pub mod kept_selection;
pub mod local_store;
pub mod normalize;
pub mod team_client;
pub mod text_case;
pub mod text_selection;
pub mod upload;
pub mod user_timing;
