//! Messages for the user: save problems (a banner that stays until saving works again), data
//! moved aside at start-up, and the latest notice.

use yew::prelude::*;

use super::export_buttons::{export_all, report_download};
use super::storage_panel::format_bytes;
use annotator_core::persist::load::{discard_quarantined, raw_entry, raw_entry_file_name};
use annotator_core::persist::stored::document_key;

use crate::browser::download::download;
use crate::browser::local_store::{LocalStore, APPROX_LIMIT_BYTES};
use crate::state::{read_only_message, Action, AppContext, NoticeKind, SaveStatus};

fn save_banner(state: &AppContext) -> Html {
    let export_now = {
        let state = state.clone();
        Callback::from(move |_| export_all(&state))
    };
    let (message, detail) = match &state.save_status {
        SaveStatus::Saved => return Html::default(),
        SaveStatus::Failed(message) => {
            let info = &state.storage;
            let total = info.used_bytes + info.other_bytes;
            (
                message.clone(),
                format!(
                    "Stored now: {} of about {} ({}%), of which Article Annotator's: {}. Changes stay in this tab and are saved as soon as there is room.",
                    format_bytes(total),
                    format_bytes(APPROX_LIMIT_BYTES),
                    total * 100 / APPROX_LIMIT_BYTES,
                    format_bytes(info.used_bytes),
                ),
            )
        }
        SaveStatus::Unavailable(message) => (
            message.clone(),
            "Nothing will be kept when this tab closes.".to_owned(),
        ),
    };
    html! {
        <div class="banner banner-error" role="alert">
            <span>{ message }<br /><small>{ detail }</small></span>
            <button onclick={export_now} disabled={state.documents.is_empty()}>{ "Export all now" }</button>
        </div>
    }
}

/// Downloads the value stored under `key` exactly as it is (a quarantined value unwrapped).
fn download_raw(key: &str) -> Result<(), String> {
    let store = LocalStore::open().map_err(|e| e.to_string())?;
    let raw = raw_entry(&store, key)?;
    download(&raw_entry_file_name(key), "text/plain", &raw)
}

/// One entry this version keeps but cannot use, with its raw value to download and, for a
/// quarantined one, the choice to delete it.
fn raw_entry_row(
    state: &AppContext,
    key: String,
    text: String,
    discard: Option<Callback<MouseEvent>>,
) -> Html {
    let save_raw = {
        let (state, key) = (state.clone(), key.clone());
        Callback::from(move |_| report_download(&state, download_raw(&key)))
    };
    html! {
        <li key={key}>
            <span>{ text }</span>
            <button onclick={save_raw}>{ "Download raw data" }</button>
            if let Some(discard) = discard {
                <button onclick={discard}>{ "Delete it" }</button>
            }
        </li>
    }
}

/// Documents a newer version of the app saved: this version leaves them exactly as they are,
/// and offers their raw entries for download. A newer document list makes the page read-only.
fn newer_list(state: &AppContext) -> Html {
    if let Some(version) = state.storage.read_only {
        // Stays while the page lives: every edit would be refused, and the user must know why.
        return html! {
            <div class="banner banner-error" role="status">
                <span>{ read_only_message(version) }</span>
            </div>
        };
    }
    if state.storage.newer.is_empty() {
        return Html::default();
    }
    let rows = state.storage.newer.iter().map(|newer| {
        let title = newer.title.clone().unwrap_or_else(|| newer.id.to_string());
        let text = format!("“{title}” (storage schema {})", newer.version);
        raw_entry_row(state, document_key(&newer.id), text, None)
    });
    html! {
        <div class="banner banner-warning" role="status">
            <span>
                { "Saved by a newer version of Article Annotator, so read-only here and left exactly as it is. Reload the page to get the newer version and edit it." }
                <ul class="quarantine-list">{ for rows }</ul>
            </span>
        </div>
    }
}

/// Entries that could not be read, moved aside at start-up.
fn quarantine_list(state: &AppContext) -> Html {
    if state.storage.quarantined.is_empty() {
        return Html::default();
    }
    let rows = state.storage.quarantined.iter().map(|(key, description)| {
        let discard = {
            let (state, key) = (state.clone(), key.clone());
            Callback::from(move |_| {
                let discarded = LocalStore::open()
                    .is_ok_and(|mut store| discard_quarantined(&mut store, &key).is_ok());
                if discarded {
                    state.dispatch(Action::QuarantineDiscarded { key: key.clone() });
                }
            })
        };
        raw_entry_row(state, key.clone(), description.clone(), Some(discard))
    });
    html! {
        <div class="banner banner-warning" role="alert">
            <span>
                { "Some saved data could not be read. It was moved aside, not deleted: download it to keep it." }
                <ul class="quarantine-list">{ for rows }</ul>
            </span>
        </div>
    }
}

/// Called by the root with its state (a plain function: no state of its own to keep).
pub fn notice_bar(state: &AppContext) -> Html {
    let notice = state.notice.as_ref().map(|notice| {
        let dismiss = {
            let state = state.clone();
            Callback::from(move |_| state.dispatch(Action::DismissNotice))
        };
        let restore = {
            let state = state.clone();
            Callback::from(move |_| state.dispatch(Action::RestoreDeletedDocument))
        };
        let class = match notice.kind {
            NoticeKind::Error => "banner banner-error",
            NoticeKind::Info | NoticeKind::DocumentDeleted => "banner banner-info",
        };
        // No live role here: a region inserted with its text is often not read. The live
        // regions (live_region.rs), there from the start, read the message out.
        html! {
            <div class={class}>
                <span>{ notice.message.clone() }</span>
                if notice.kind == NoticeKind::DocumentDeleted && state.deleted.is_some() {
                    <button onclick={restore}>{ "Undo delete" }</button>
                }
                <button class="icon" onclick={dismiss} aria-label="Dismiss message">{ "×" }</button>
            </div>
        }
    });
    html! {
        <div class="notices">
            { save_banner(state) }
            { newer_list(state) }
            { quarantine_list(state) }
            { notice.unwrap_or_default() }
        </div>
    }
}
