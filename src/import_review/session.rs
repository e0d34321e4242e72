//! The import, in the dialogs module: from the files the page hands over to the documents it
//! hands back. Reads the files, has this module's own formats worker detect and parse them (off
//! the page's thread: a 1 MB file takes a while), asks the page how its copies compare, shows
//! the review, reads the files again when the user picks another doccano unit, and hands the
//! page the finished documents, or why nothing was imported ([`ImportEnd`]).
//!
//! One import at a time: a new one, or the page taking the dialog down ([`stop`]), leaves an
//! older one's reading unanswered.

use std::cell::Cell;
use std::rc::Rc;

use annotator_core::formats::dataset::OffsetUnit;
use annotator_core::formats::detect::InputFile;
use js_sys::Function;
use wasm_bindgen::{JsCast, JsValue};
use yew::Callback;

use super::mount;
use super::protocol::{ImportEnd, EVERY_ARTICLE};
use super::review::{read_job, Review};
use super::ReviewAnswer;
use crate::browser::clock::{new_document_id, now};
use crate::browser::formats_client;
use crate::browser::js_error::describe;
use crate::browser::upload::read_files;
use crate::formats_worker::to_js;
use annotator_core::formats::job::{Carried, Outcome};

thread_local! {
    /// Bumped by every import and every [`stop`]: an import whose number is not the latest
    /// is over, and what it was waiting for is dropped.
    static LATEST: Cell<u32> = const { Cell::new(0) };
}

/// One import: where its review goes and the page's two callbacks.
struct Session {
    number: u32,
    host: web_sys::Element,
    /// Takes the ids of the documents read, returns the library's copies of those it has.
    copies: Function,
    /// Takes the `ImportEnd`, as [`ImportEnd`] says it crosses.
    on_end: Function,
}

/// Imports `files` (a JS array of `File`s); the review is shown in `host`.
pub fn start(host: web_sys::Element, files: &JsValue, copies: Function, on_end: Function) {
    formats_client::warm_up();
    let files: Vec<web_sys::File> = js_sys::Array::from(files)
        .iter()
        .filter_map(|file| file.dyn_into().ok())
        .collect();
    let session = Rc::new(Session {
        number: LATEST.with(|latest| {
            latest.set(latest.get().wrapping_add(1));
            latest.get()
        }),
        host,
        copies,
        on_end,
    });
    wasm_bindgen_futures::spawn_local(async move {
        match read_files(files).await {
            Ok(files) => session.read(files.into(), None).await,
            Err(problem) => session.end(&ImportEnd::Failed(nothing_imported(&problem))),
        }
    });
}

/// Ends the import under way, if any, and takes its review down.
pub fn stop() {
    LATEST.with(|latest| latest.set(latest.get().wrapping_add(1)));
    mount::close();
}

fn nothing_imported(problem: &str) -> String {
    format!("Nothing was imported: {problem}.")
}

impl Session {
    fn is_current(&self) -> bool {
        LATEST.with(Cell::get) == self.number
    }

    /// Reads `files` in the worker (doccano offsets counted in `unit`, when the user chose
    /// one) and shows what they hold.
    async fn read(self: Rc<Self>, files: Rc<[InputFile]>, unit: Option<OffsetUnit>) {
        let read_at = now();
        let outcome = formats_client::run::<Outcome>(&read_job(&files, unit, read_at)).await;
        if !self.is_current() {
            return;
        }
        let review = match outcome
            .map_err(|problem| nothing_imported(&problem))
            .and_then(|outcome| {
                Review::from_outcome(&files, outcome, read_at)
                    .map_err(|failure| format!("Nothing was imported ({failure})."))
            }) {
            Ok(review) => review,
            Err(message) => return self.end(&ImportEnd::Failed(message)),
        };
        let review = if review.quoted().is_empty() {
            self.copies(&review.ids())
                .and_then(|copies| review.with_copies(&copies))
        } else {
            self.copies(&[EVERY_ARTICLE.to_owned()])
                .and_then(|copies| copies.iter().map(Carried::document).collect())
                .map(|articles: Vec<_>| review.attached_to(&articles, read_at))
        };
        let review = match review {
            Ok(review) => Rc::new(review),
            Err(problem) => {
                return self.end(&ImportEnd::Failed(nothing_imported(&format!(
                    "the files could not be compared with this browser’s copies ({problem})"
                ))))
            }
        };
        let on_answer = {
            let session = Rc::clone(&self);
            let review = Rc::clone(&review);
            Callback::from(move |answer: ReviewAnswer| match answer {
                ReviewAnswer::ReadAs(unit) => {
                    let session = Rc::clone(&session);
                    let files = Rc::clone(&files);
                    wasm_bindgen_futures::spawn_local(session.read(files, Some(unit)));
                }
                ReviewAnswer::Import { choice, mapping } => {
                    let imported = review.finish(choice, &mapping, new_document_id);
                    session.end(&ImportEnd::Imported(imported));
                }
                ReviewAnswer::Cancel => session.end(&ImportEnd::Cancelled),
            })
        };
        mount::show(&self.host, review, on_answer);
    }

    /// Asks the page for its copies of the documents `ids`.
    fn copies(&self, ids: &[String]) -> Result<Vec<Carried>, String> {
        let ids = to_js(&ids).map_err(|e| e.to_string())?;
        let copies = self
            .copies
            .call1(&JsValue::NULL, &ids)
            .map_err(|e| describe(&e))?;
        serde_wasm_bindgen::from_value(copies).map_err(|e| e.to_string())
    }

    /// Hands the page how the import ended (once; the page then takes the review down).
    fn end(&self, end: &ImportEnd) {
        if !self.is_current() {
            return;
        }
        LATEST.with(|latest| latest.set(latest.get().wrapping_add(1)));
        let crossing = match end {
            ImportEnd::Imported(imported) => to_js(imported).unwrap_or_else(|e| {
                JsValue::from_str(&nothing_imported(&format!(
                    "the documents could not be handed over ({e})"
                )))
            }),
            ImportEnd::Cancelled => JsValue::UNDEFINED,
            ImportEnd::Failed(message) => JsValue::from_str(message),
        };
        let _ = self.on_end.call1(&JsValue::NULL, &crossing);
    }
}
