//! Article Annotator: tag quotes, entities and claims in pasted articles, in the browser.
//!
//! The rules about the user's data live in the pure `annotator_core` crate (crates/core); this
//! crate is the browser side: components, hooks, the state they share, and the browser adapters.

pub mod annotator_dialog;
pub mod browser;
pub mod compare_dialog;
pub mod components;
pub mod export_menu;
pub mod export_run;
pub mod find_bar;
pub mod formats_worker;
pub mod guidelines_panel;
pub mod hooks;
pub mod import_review;
pub mod relation_arcs;
pub mod schema_editor;
pub mod state;
pub mod suggestion_review;
pub mod team_link;
pub mod text_fix_dialog;

pub use components::app::App;

/// Every wasm module of the app (the page, the dialogs module, the formats worker, the browser
/// tests) allocates with talc: faster than Rust's default for wasm, and smaller in the first
/// load (bench/NOTES.md, session 13).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
