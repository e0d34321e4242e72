// Starts the formats worker (src/formats_worker.rs, built by Trunk as formats-worker.js and
// formats-worker_bg.wasm). Trunk's own loader shim does the same, but a wasm that fails to
// download or compile there is an unhandled rejection inside the worker, which the page never
// hears of: it would wait for its export forever. This one tells the page.
// The prefix must stay LOAD_FAILED in src/formats_worker.rs.
importScripts('./formats-worker.js');
wasm_bindgen('./formats-worker_bg.wasm').catch((error) => {
  postMessage('formats-worker-failed: ' + ((error && error.message) || String(error)));
});
