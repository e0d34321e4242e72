//! Mounting the guidelines panel for the page: what the dialogs module's exports do.

use std::cell::RefCell;

use annotator_core::model::Label;
use annotator_core::persist::schema_entry::decode_schema;
use wasm_bindgen::JsValue;
use web_sys::Element;
use yew::{AppHandle, Callback};

use super::panel::{GuidelinesPanel, GuidelinesPanelProps};

thread_local! {
    static SHOWN: RefCell<Option<(Element, AppHandle<GuidelinesPanel>)>> = const { RefCell::new(None) };
}

/// Draws the panel in `host` for `request` (`[schema, label, locked]`: the schema as storage
/// encodes it, the selected annotation's label or "", why the schema cannot be changed or
/// ""), or brings the one drawn there up to date. `on_save` is called with the text the user
/// saves.
///
/// # Errors
/// A message when `request` cannot be read.
pub fn show(host: Element, request: &JsValue, on_save: js_sys::Function) -> Result<(), String> {
    let parts: Vec<String> = js_sys::Array::from(request)
        .iter()
        .map(|part| part.as_string().unwrap_or_default())
        .collect();
    let [schema, label, locked] = <[String; 3]>::try_from(parts)
        .map_err(|_| "the guidelines were not handed over whole".to_owned())?;
    let schema = decode_schema(&schema).map_err(|e| format!("the schema did not cross ({e})"))?;
    let props = GuidelinesPanelProps {
        schema: schema.into(),
        label: Label::parse_any(&label).ok(),
        locked: (!locked.is_empty()).then_some(locked),
        on_save: Callback::from(move |text: String| {
            let _ = on_save.call1(&JsValue::NULL, &JsValue::from_str(&text));
        }),
    };
    SHOWN.with(|shown| {
        let mut shown = shown.borrow_mut();
        match shown.as_mut() {
            Some((drawn_in, panel)) if *drawn_in == host => panel.update(props),
            _ => {
                if let Some((_, panel)) = shown.take() {
                    panel.destroy();
                }
                let panel =
                    yew::Renderer::<GuidelinesPanel>::with_root_and_props(host.clone(), props)
                        .render();
                *shown = Some((host, panel));
            }
        }
    });
    Ok(())
}

/// Takes the panel out of `host`.
pub fn hide(host: &Element) {
    SHOWN.with(|shown| {
        let mut shown = shown.borrow_mut();
        if shown.as_ref().is_some_and(|(drawn_in, _)| drawn_in == host) {
            if let Some((_, panel)) = shown.take() {
                panel.destroy();
            }
        }
    });
}
