//! The team module: the link to a team's sync server (`article_annotator::team_link::link`) and
//! the Join dialog (`article_annotator::team_link::join_dialog`), which the page loads when a
//! team is joined (`article_annotator::browser::team_client`). Its exports are all the page
//! calls; the values crossing are those of `article_annotator::team_link::messages`.

use article_annotator::team_link::{join_mount, link};
use wasm_bindgen::prelude::*;

/// Connects to the team `settings` (`TeamSettings::to_text`) names; `schema` is the page's label
/// schema as stored, which a corpus without one takes. `on_status` is called with the link's
/// state, the changes not stored yet, whether the token only reads, the server's message and the
/// corpus's article ids; `on_article` with an article's id, its storage entry, its text entry
/// (the first time) and how many records were refused; `on_schema` with the corpus's label
/// schema as stored, when it differs from the one last exchanged.
#[wasm_bindgen]
pub fn connect(
    settings: String,
    schema: String,
    on_status: js_sys::Function,
    on_article: js_sys::Function,
    on_schema: js_sys::Function,
) -> Result<(), JsValue> {
    link::connect(&settings, schema, on_status, on_article, on_schema)
        .map_err(|problem| JsValue::from_str(&problem))
}

/// Makes `schema` (a label schema as stored) the corpus's.
#[wasm_bindgen]
pub fn set_schema(schema: String) {
    link::set_schema(schema);
}

/// Sends what the page changed in shared article `id` (a `SharedChanges` as JSON).
#[wasm_bindgen]
pub fn push(id: String, changes: String) -> Result<(), JsValue> {
    link::push(&id, &changes).map_err(|problem| JsValue::from_str(&problem))
}

/// Shares library article `id` into the corpus: `records` (a `SharedChanges` as JSON) hold all
/// of it.
#[wasm_bindgen]
pub fn share(id: String, records: String) -> Result<(), JsValue> {
    link::share(&id, &records).map_err(|problem| JsValue::from_str(&problem))
}

/// Takes article `id` out of the corpus: the page deleted it.
#[wasm_bindgen]
pub fn unshare(id: String) -> Result<(), JsValue> {
    link::unshare(&id).map_err(|problem| JsValue::from_str(&problem))
}

/// Closes the connection and forgets the team.
#[wasm_bindgen]
pub fn leave() {
    link::leave();
}

/// Shows **Join a team…** in `host`, filled with `defaults` (`TeamSettings::to_text`, or
/// empty); `on_join` gets the settings to join with, as text, unless the person cancels.
#[wasm_bindgen]
pub fn open_join_dialog(host: web_sys::Element, defaults: String, on_join: js_sys::Function) {
    join_mount::open(host, &defaults, on_join);
}

fn main() {}
