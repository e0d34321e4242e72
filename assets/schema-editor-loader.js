// Loads the schema editor (src/bin/schema_editor.rs, built by Trunk as schema-editor.js and
// schema-editor_bg.wasm) when the page asks for it by adding this script
// (src/browser/schema_editor_client.rs), and hands it over with an event. The page's own module
// cannot import() it itself without a wasm-bindgen snippet, and the page and the editor, built
// from one crate, would both write that snippet's one file.
// The event names must stay those in src/browser/schema_editor_client.rs.
import init, * as editor from './schema-editor.js';

init().then(
  () => dispatchEvent(new CustomEvent('schema-editor-loaded', { detail: editor })),
  (error) => dispatchEvent(new CustomEvent('schema-editor-failed', {
    detail: (error && error.message) || String(error),
  })),
);
