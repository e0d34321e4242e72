//! The Export menu's entries, in the dialogs module (`src/bin/dialogs.rs`): the page keeps the
//! Export button and "Export all"; the first press of the button loads the module, which draws
//! the menu in the host beside the button ([`mount`]) and writes the file the user picks: the
//! dataset formats in its formats worker (`crate::export_run`), the native format here. The
//! menu's code stays out of the first load.

pub mod menu;
pub mod mount;
