//! The annotator's name, kept in localStorage for every tab of this browser: the page stamps it
//! on every edit (`annotator_core::model::Edit::stamp`), the dialogs module asks for it and
//! changes it. Its key is outside the library's `article-annotator:` prefix: it is a setting of
//! this browser, not part of the library, and never exported with it.
//!
//! The stored value is the name, or `""` once the person was asked and chose to go on without
//! one (so the first export asks once, not every time). The browser tells other tabs of a
//! change with a `storage` event; [`write`] sends this tab one just like it, so the page has one
//! listener for both (`hooks::use_schema_store`).

use annotator_core::model::AnnotatorName;

/// The localStorage key of the name.
pub const KEY: &str = "article-annotator-annotator";

/// What the person said, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    /// Never asked.
    Unasked,
    /// Asked, and went on without a name.
    Declined,
    Named(AnnotatorName),
}

impl Stored {
    pub fn name(&self) -> Option<&AnnotatorName> {
        match self {
            Stored::Named(name) => Some(name),
            Stored::Unasked | Stored::Declined => None,
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// What storage holds. A value that is no valid name (edited by hand) counts as declined: it is
/// asked again only from the Annotator button.
pub fn read() -> Stored {
    match storage().and_then(|s| s.get_item(KEY).ok()?) {
        None => Stored::Unasked,
        Some(value) => AnnotatorName::parse(&value).map_or(Stored::Declined, Stored::Named),
    }
}

/// Keeps `name` (`None`: asked, and declined) and tells this tab.
///
/// # Errors
/// A sentence for the user when storage refuses the write; nothing changes then.
pub fn write(name: Option<&AnnotatorName>) -> Result<(), String> {
    storage()
        .ok_or_else(|| "this browser keeps no local storage here".to_owned())?
        .set_item(KEY, name.map_or("", AnnotatorName::as_str))
        .map_err(|_| "browser storage refused it (it may be full)".to_owned())?;
    let init = web_sys::StorageEventInit::new();
    init.set_key(Some(KEY));
    if let (Some(window), Ok(event)) = (
        web_sys::window(),
        web_sys::StorageEvent::new_with_event_init_dict("storage", &init),
    ) {
        let _ = window.dispatch_event(&event);
    }
    Ok(())
}
