//! Not a hook: the import that the Import button, a drop on the page and the import dialog's
//! offset unit share. It reads the files, has the formats worker detect and parse them (off the
//! reducer and off the page's thread: a 1 MB file takes a while), and hands the result to the
//! import review through the reducer.

use std::rc::Rc;

use annotator_core::formats::dataset::OffsetUnit;
use annotator_core::formats::detect::InputFile;
use yew::prelude::*;

use crate::browser::clock::now;
use crate::browser::upload::read_files;
use crate::browser::{dialogs_client, formats_client};
use crate::state::{Action, AppState, Notice, NoticeKind, PendingImport};

/// Reads `files` and shows what they hold in the import review.
pub fn import_files(dispatcher: UseReducerDispatcher<AppState>, files: Vec<web_sys::File>) {
    if files.is_empty() {
        return;
    }
    formats_client::warm_up();
    dialogs_client::warm_up();
    wasm_bindgen_futures::spawn_local(async move {
        match read_files(files).await {
            Ok(files) => read_for_import(dispatcher, files.into(), None),
            Err(problem) => nothing_imported(&dispatcher, &problem),
        }
    });
}

/// Has the formats worker read `files` (doccano offsets counted in `unit`, when the user chose
/// one) and shows the result in the import review.
pub fn read_for_import(
    dispatcher: UseReducerDispatcher<AppState>,
    files: Rc<[InputFile]>,
    unit: Option<OffsetUnit>,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let read_at = now();
        let job = PendingImport::read_job(&files, unit, read_at);
        match formats_client::run(&job).await {
            Ok(outcome) => dispatcher.dispatch(Action::ImportRead(PendingImport::from_outcome(
                files, outcome, read_at,
            ))),
            Err(problem) => nothing_imported(&dispatcher, &problem),
        }
    });
}

fn nothing_imported(dispatcher: &UseReducerDispatcher<AppState>, problem: &str) {
    dispatcher.dispatch(Action::Notify(Notice {
        kind: NoticeKind::Error,
        message: format!("Nothing was imported: {problem}."),
    }));
}
