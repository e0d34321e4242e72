//! Not a hook: the import that the Import button and a drop on the page share. It reads the
//! files, detects and parses them here (off the reducer: a 1 MB file takes a while), and hands
//! the result to the import dialog through the reducer.

use yew::prelude::*;

use crate::browser::clock::now;
use crate::browser::upload::read_files;
use crate::state::{Action, AppState, Notice, NoticeKind, PendingImport};

/// Reads `files` and shows what they hold in the import dialog.
pub fn import_files(dispatcher: UseReducerDispatcher<AppState>, files: Vec<web_sys::File>) {
    if files.is_empty() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        match read_files(files).await {
            Ok(files) => dispatcher.dispatch(Action::ImportRead(PendingImport::read(files, now()))),
            Err(problem) => dispatcher.dispatch(Action::Notify(Notice {
                kind: NoticeKind::Error,
                message: format!("Nothing was imported: {problem}."),
            })),
        }
    });
}
