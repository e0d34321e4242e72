// Loads the dialogs module (src/bin/dialogs.rs: the schema editor and the import review, built
// by Trunk as dialogs.js and dialogs_bg.wasm) when the page asks for it by adding this script
// (src/browser/dialogs_client.rs), and hands it over with an event. The page's own module
// cannot import() it itself without a wasm-bindgen snippet, and the page and the dialogs, built
// from one crate, would both write that snippet's one file.
// The event names must stay those in src/browser/dialogs_client.rs.
import init, * as dialogs from './dialogs.js';

init().then(
  () => dispatchEvent(new CustomEvent('dialogs-loaded', { detail: dialogs })),
  (error) => dispatchEvent(new CustomEvent('dialogs-failed', {
    detail: (error && error.message) || String(error),
  })),
);
