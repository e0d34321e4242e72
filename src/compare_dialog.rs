//! Comparing annotators, in the dialogs module (`src/bin/dialogs.rs`), loaded the first time the
//! user presses "Compare…", so the first load does not carry it.
//!
//! The user adds each annotator's export (any format the app imports; several files dropped at
//! once). The module's formats worker reads them; the core pairs their articles by text and
//! computes the agreement report (`annotator_core::agreement`), shown here per label, per pair
//! and per article, and downloaded as JSON or CSV. Any article can then be adjudicated between
//! two annotators into a gold article (`adjudication_view`), kept in the browser while it is
//! under way (`adjudications`).

pub mod adjudication_view;
pub mod adjudications;
pub mod annotator_files;
pub mod chart;
pub mod dialog;
pub mod focus_next;
pub mod mount;
pub mod numbers;
pub mod report_view;
