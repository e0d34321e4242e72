//! Article Annotator: tag quotes, entities and claims in pasted articles, in the browser.
//!
//! `model` and `export` are pure Rust (no web dependencies) so they are tested natively;
//! everything that touches the DOM or localStorage lives in `storage`, `hooks` and `components`.

pub mod clock;
pub mod components;
pub mod deferred_drop;
pub mod download;
pub mod durability;
pub mod export;
pub mod hooks;
pub mod js_string;
pub mod model;
pub mod state;
pub mod storage;
pub mod upload;

pub use components::app::App;
