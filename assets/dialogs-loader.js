// Loads the dialogs module (src/bin/dialogs.rs: the schema editor, the import review and the
// relation arcs, built by Trunk as dialogs.js and dialogs_bg.wasm) and its styles when the page
// asks for it by adding this script (src/browser/dialogs_client.rs), and hands it over with an
// event. The page's own module
// cannot import() it itself without a wasm-bindgen snippet, and the page and the dialogs, built
// from one crate, would both write that snippet's one file.
// The event names must stay those in src/browser/dialogs_client.rs.
import init, * as dialogs from './dialogs.js';

// The module's styles (styles/dialogs.css), in place before anything it draws is shown. A sheet
// that fails to load leaves the dialogs unstyled but working.
const styled = new Promise((settle) => {
  const sheet = document.createElement('link');
  sheet.rel = 'stylesheet';
  sheet.href = 'dialogs.css';
  sheet.onload = sheet.onerror = settle;
  document.head.append(sheet);
});

Promise.all([init(), styled]).then(
  () => dispatchEvent(new CustomEvent('dialogs-loaded', { detail: dialogs })),
  (error) => dispatchEvent(new CustomEvent('dialogs-failed', {
    detail: (error && error.message) || String(error),
  })),
);
