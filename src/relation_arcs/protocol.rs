//! What the page hands the arcs overlay (as a JS value, through serde-wasm-bindgen).

use serde::{Deserialize, Serialize};

/// What to draw: the relations (packed by `annotator_core::model::drawn_relations::pack`:
/// with everything shown, thousands cross after every edit), the selected annotation, whose
/// relations are drawn stronger, and whether every relation in view is drawn or only the
/// selected annotation's.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ArcsRequest {
    pub relations: String,
    pub selected: Option<String>,
    pub show_all: bool,
}
