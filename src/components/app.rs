//! The root: loads the library from storage, provides the state, and lays out the page.

use std::rc::Rc;

use annotator_core::persist;
use yew::prelude::*;

use super::annotation_list::AnnotationList;
use super::article_view::{ArticleView, SameDocument};
use super::document_list::document_list;
use super::export_buttons::{compare_button, export_buttons, ExportButtonsProps};
use super::label_bar::label_bar;
use super::live_region::{live_regions, use_live_region};
use super::notice_bar::notice_bar;
use super::panel_switch::{panel_switch, PanelSide, PanelSwitchProps, ReadingPlace};
use super::paste_form::PasteForm;
use super::relation_toggle::relation_toggle;
use crate::browser::clock::now;
use crate::browser::durability;
use crate::browser::local_store::LocalStore;
use crate::hooks::{
    use_autosave, use_file_drop, use_focus_keeper, use_import, use_keyboard_shortcuts,
};
use crate::state::{Action, AppContext, AppState, Notice, NoticeKind, SaveStatus, StorageInfo};

fn initial_state() -> AppState {
    match LocalStore::open() {
        Ok(mut store) => {
            let loaded = persist::load(&mut store, now());
            let problems = loaded.problems;
            let notice = (!problems.is_empty()).then(|| Notice {
                kind: NoticeKind::Error,
                message: problems.join(" "),
            });
            let loaded_versions = loaded
                .documents
                .iter()
                .map(|d| (d.document.id.clone(), d.lineage()))
                .collect();
            let documents = loaded.documents.into_iter().map(|d| d.document).collect();
            let schema = loaded.schema.unwrap_or_default();
            AppState::new(documents, loaded.active, SaveStatus::Saved, notice)
                .with_storage(StorageInfo {
                    used_bytes: loaded.used_bytes,
                    other_bytes: loaded.other_bytes,
                    quarantined: loaded.quarantined,
                    loaded_versions: Rc::new(loaded_versions),
                    newer: loaded.newer,
                    read_only: loaded.newer_index,
                    ..StorageInfo::default()
                })
                .with_schema(schema, loaded.newer_schema)
                .with_annotator(crate::browser::annotator_name::read().name().cloned())
        }
        Err(e) => AppState::new(
            Vec::new(),
            None,
            SaveStatus::Unavailable(e.to_string()),
            None,
        ),
    }
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);
    use_autosave(&state, state.dispatcher());
    crate::hooks::use_schema_store(&state, state.dispatcher());
    use_keyboard_shortcuts(&state);
    use_focus_keeper();
    use_live_region(&state);
    // When saving fails, "Export all" is the way to keep the work: the module that writes it is
    // fetched now, while the page can still reach it.
    let save_failed = !matches!(state.save_status, SaveStatus::Saved);
    use_effect_with(save_failed, |failed| {
        if *failed {
            crate::browser::dialogs_client::warm_up();
        }
    });
    // Team mode: a team joined before the reload is joined again, and what the page changes in
    // shared articles (and its label schema) is pushed after each change of the library.
    use_effect_with(Rc::clone(&state.schema), |schema| {
        crate::browser::team_client::sync_schema(schema);
    });
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            if let Some(settings) = crate::browser::team_client::saved_settings() {
                crate::browser::team_client::join(settings, dispatcher);
            }
        });
    }
    {
        let documents = state.documents.clone();
        use_effect_with(state.revision, move |_| {
            crate::browser::team_client::sync(documents);
        });
    }
    let schema_style = super::schema_style::use_schema_style(&state);
    let file_actions = ExportButtonsProps {
        on_import: use_import(&state),
    };
    let dragging_files = use_file_drop(file_actions.on_import.clone());
    let reading_place = (*use_memo((), |_| ReadingPlace::default())).clone();

    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                dispatcher.dispatch(Action::Persistence(durability::persisted().await));
                dispatcher.dispatch(Action::Estimate(durability::estimate().await));
            });
        });
    }

    let main = match state.active_document() {
        Some(open) => {
            let key = open.document.id.to_string();
            html! {
                <div class="workspace">
                    <div class="workspace-bar">
                        { label_bar(&state) }
                        <div class="workspace-tools">
                            { relation_toggle(&state) }
                            { super::suggest_button::suggest_button(&state) }
                            { super::fix_text_button::fix_text_button(&state) }
                        </div>
                        { panel_switch(&state, &PanelSwitchProps {
                            to: PanelSide::Annotations,
                            place: reading_place.clone(),
                        }) }
                    </div>
                    <ArticleView key={key} document={Rc::clone(&open.document)}
                        selected={state.selected.clone()} reveal={state.reveal} />
                </div>
            }
        }
        None => html! { <PasteForm /> },
    };
    let side_panel = state
        .active_document()
        .map(|open| {
            html! {
                <>
                { panel_switch(&state, &PanelSwitchProps {
                    to: PanelSide::Article,
                    place: reading_place.clone(),
                }) }
                <AnnotationList document={SameDocument(Rc::clone(&open.document))}
                    selected={state.selected.clone()} schema={Rc::clone(&state.schema)}
                    linking={state.linking.clone()} dispatcher={state.dispatcher()}
                    locked={super::schema_settings::locked_reason(&state)} />
                </>
            }
        })
        .unwrap_or_default();

    html! {
        <ContextProvider<AppContext> context={state.clone()}>
            <div class="app">
                { live_regions() }
                <header class="topbar">
                    <h1 class="brand">{ "Article Annotator" }</h1>
                    <div class="topbar-tools">
                        { compare_button(&state, &file_actions) }
                        { super::schema_settings::schema_settings(&state) }
                    </div>
                    { export_buttons(&state, &file_actions) }
                </header>
                { notice_bar(&state) }
                <div class="columns">
                    { document_list(&state) }
                    <main class="main">{ main }</main>
                    { side_panel }
                </div>
                { schema_style }
                if dragging_files {
                    <div class="drop-overlay" aria-hidden="true">
                        <p>{ "Drop to import: native JSON, JSONL, W3C, doccano, Label Studio, brat" }</p>
                    </div>
                }
            </div>
        </ContextProvider<AppContext>>
    }
}
