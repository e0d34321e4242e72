// Another member of the team, for tests/smoke/cross_browser.py: a Node peer (Yjs and the
// Hocuspocus provider from the team server's own packages, nothing else) that
//  1. finds article ARTICLE_ID in the corpus's index,
//  2. waits until the article's annotations have arrived, and checks each one the browser
//     exported (EXPECTED: [{id, label, start, end, text, made_by}]) is there with the same
//     label, author and offsets, and that text[start:end], counted in code points, is its text,
//  3. writes one new annotation record on WORD (its first occurrence), made by MADE_BY, and waits
//     until the server has taken it.
// Prints one JSON line: {title, text, annotations, written}; exits non-zero with a reason.
//
//   node tests/smoke/team_peer.mjs URL CORPUS TOKEN ARTICLE_ID EXPECTED_JSON WORD LABEL MADE_BY RECORD_ID
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../team-server/package.json'));
const Y = require('yjs');
const { HocuspocusProvider } = require('@hocuspocus/provider');
const WebSocket = require('ws');

const [url, corpus, token, articleId, expectedJson, word, label, madeBy, recordId] = process.argv.slice(2);
if (!recordId) {
  console.error('usage: node team_peer.mjs URL CORPUS TOKEN ARTICLE_ID EXPECTED_JSON WORD LABEL MADE_BY RECORD_ID');
  process.exit(2);
}
const expected = JSON.parse(expectedJson);
const TIMEOUT_MS = 20_000;
const providers = [];

function fail(reason) {
  console.error(`team_peer: ${reason}`);
  process.exit(1);
}

const overall = setTimeout(() => fail('gave up after 60 s'), 60_000);

/** Polls `condition` (every 20 ms) until it returns something truthy; fails after TIMEOUT_MS. */
async function until(what, condition) {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const value = condition();
    if (value) return value;
    if (Date.now() > deadline) fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A synced provider for document `name`. */
async function open(name) {
  const doc = new Y.Doc();
  let denied = null;
  let synced = false;
  const provider = new HocuspocusProvider({
    url, name, token, document: doc, WebSocketPolyfill: WebSocket,
    onSynced: () => { synced = true; },
    onAuthenticationFailed: ({ reason }) => { denied = reason || 'refused'; },
  });
  providers.push(provider);
  await until(`the sync of ${name}`, () => {
    if (denied) fail(`the server refused the token for ${name}: ${denied}`);
    return synced;
  });
  return { doc, provider };
}

const json = (value) => (value === undefined ? undefined : JSON.parse(value));
/** `text[start:end]` in code points, as Python slices and as the app counts offsets. */
const slice = (text, start, end) => Array.from(text).slice(start, end).join('');

const index = await open(corpus);
const listed = await until(`article ${articleId} in the corpus's index`,
  () => index.doc.getMap('article').get(articleId));
const title = json(listed).title;

const article = await open(`${corpus}/${articleId}`);
const annotations = article.doc.getMap('annotations');
const text = await until('the article text', () => json(article.doc.getMap('article').get('text')));
await until(`${expected.length} annotations`, () => annotations.size >= expected.length);

const arrived = [...annotations.entries()].map(([key, value]) => {
  const record = JSON.parse(value);
  if (record.id !== key) fail(`record under ${key} has id ${record.id}`);
  return record;
});
for (const want of expected) {
  const got = arrived.find((r) => r.id === want.id);
  if (!got) fail(`annotation ${want.id} (${JSON.stringify(want.text)}) did not arrive: ${JSON.stringify(arrived)}`);
  for (const field of ['label', 'start', 'end', 'made_by']) {
    if ((got[field] ?? null) !== (want[field] ?? null)) {
      fail(`annotation ${want.id}: ${field} is ${JSON.stringify(got[field])} on the server, ${JSON.stringify(want[field])} in the export`);
    }
  }
  const span = slice(text, got.start, got.end);
  if (span !== want.text) fail(`annotation ${want.id}: text[${got.start}:${got.end}] is ${JSON.stringify(span)}, exported ${JSON.stringify(want.text)}`);
}

// The new record, in code points like the app's.
const at = text.indexOf(word);
if (at < 0) fail(`no ${JSON.stringify(word)} in the article`);
const start = Array.from(text.slice(0, at)).length;
const end = start + Array.from(word).length;
const written = { id: recordId, label, start, end, made_by: madeBy };
annotations.set(recordId, JSON.stringify(written));
// Acknowledged: the server applied it (and sends it on to the others).
await until('the server to take the new record', () => !article.provider.hasUnsyncedChanges);

console.log(JSON.stringify({ title, text, annotations: arrived, written }));
clearTimeout(overall);
for (const provider of providers) {
  const socket = provider.configuration.websocketProvider;
  provider.destroy();
  // A destroyed provider whose socket closed meanwhile would reconnect forever.
  socket.connect = async () => {};
  socket.destroy?.();
}
process.exit(0);
