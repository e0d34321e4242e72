// `make bench-team`: team mode measured end to end, app to app, through a Hocuspocus server of its
// own on loopback (team-server/server.mjs):
//
// - update latency: Ann presses a label key; how long until Bob's page shows the new span (both
//   times read from the one system clock, in the pages: Ann's keydown, Bob's annotation count);
// - convergence: 10 clients each tag 100 words at once; how long until every client shows all
//   1,000, from the first key, and from the last;
// - server memory per 1,000 annotations: the server's resident memory and its stored document,
//   before and after those 1,000;
// - the edit targets on a shared L article (`make bench`'s L: 1 MB of text, 10,000 spans), on a
//   server of its own: Ann's add, relabel, delete and undo timed as run.mjs times them
//   (page_timing.mjs), interleaved with the same edits on the same L unshared in a third page, and
//   what each of Ann's edits costs Bob's page, which has the article open (main-thread time,
//   key-to-screen latency), the saves, and the team module's kept copy of the Yjs state.
//
// Prints the numbers, writes bench/team-results.json and bench/team.md, and has run.mjs rewrite
// BENCHMARKS.md with them. Nothing is asserted: the machines are shared and noisy.
//
//   node team.mjs [--latency-edits N] [--clients N] [--edits N]
//                 [--shared-l 0|1] [--shared-l-runs N] [--size L]
//                 [--phases latency,convergence,shared-l] [--out DIR]
//
// `--shared-l 0` skips the shared-L phase; `--phases` runs only those named (for a quick look;
// bench/team.md then has only their rows), `--out` writes team-results.json and team.md elsewhere.
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS } from '../playwright.config.mjs';
import { dragSelect, pasteArticle } from '../helpers.mjs';
import { startTeamServer } from '../team_server.mjs';
import { generate, SIZES } from './generate.mjs';
import { instrument, stats, round, timeKey, timeClick, edits } from './page_timing.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const dist = path.join(root, 'dist');
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => {
  if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
  return pairs;
}, []));
const LATENCY_EDITS = Number(args['latency-edits'] ?? 40);
const CLIENTS = Number(args.clients ?? 10);
const EDITS = Number(args.edits ?? 100);
const PHASES = new Set((args.phases ?? 'latency,convergence,shared-l').split(','));
if (args['shared-l'] === '0') PHASES.delete('shared-l');
const SHARED_RUNS = Number(args['shared-l-runs'] ?? 10);
const SHARED_SIZE = args.size ?? 'L';
const outDir = path.resolve(args.out ?? path.join(root, 'bench'));

/** The length of each word of [`article`]: `word0042`. */
const WORD = 8;

/** The word [`article`] puts at `offset`. */
let wordAt = () => '';

/** An article of distinct words, `count` of them: [text, code point offset of each word]. */
function article(count) {
  const offsets = [];
  let text = '';
  for (let i = 0; i < count; i++) {
    if (i > 0) text += i % 40 === 0 ? '\n\n' : ' ';
    offsets.push(text.length);
    text += `word${String(i).padStart(4, '0')}`;
  }
  return [text, offsets];
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
function serveDist() {
  const server = http.createServer((req, res) => {
    const name = new URL(req.url, 'http://x').pathname;
    if (name === '/__blank.html') {
      // Storage is seeded from a page without the app, which would otherwise save its own
      // (empty) state over it when the page is left.
      return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>blank</title>');
    }
    const file = path.join(dist, name === '/' ? 'index.html' : path.normalize(name));
    if (!file.startsWith(dist)) return res.writeHead(403).end();
    fs.readFile(file, (err, data) => {
      if (err) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

/** Resident memory of a process, in bytes. */
const rss = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;

/** Bytes of the largest document the server stored. */
function storedBytes(dataDir) {
  const out = execFileSync('node', ['-e', `
    const Db = require(${JSON.stringify(path.join(root, 'team-server/node_modules/better-sqlite3'))});
    const db = new Db(${JSON.stringify(path.join(dataDir, 'documents.sqlite'))}, { readonly: true });
    console.log(db.prepare('select max(length(data)) as n from documents').get().n);
  `], { encoding: 'utf8' });
  return Number(out.trim());
}

async function client(browser, base, name) {
  const context = await browser.newContext({
    viewport: { width: 1200, height: 900 },
    storageState: {
      cookies: [],
      origins: [{ origin: base, localStorage: [{ name: 'article-annotator-annotator', value: name }] }],
    },
  });
  const page = await context.newPage();
  await page.goto(base);
  // When the annotation count reaches each value, on this page's clock.
  await page.evaluate(() => {
    window.__reached = {};
    new MutationObserver(() => {
      const heading = document.querySelector('aside h2');
      const n = Number(/\((\d+)\)/.exec(heading?.textContent ?? '')?.[1]);
      if (n && !(n in window.__reached)) window.__reached[n] = performance.timeOrigin + performance.now();
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
    window.__keys = [];
    // The label key only: the retries' Escape presses are no edits.
    addEventListener('keydown', (event) => {
      if (event.key === 'e') window.__keys.push(performance.timeOrigin + performance.now());
    }, true);
    window.__refused = [];
    new MutationObserver(() => {
      const notice = document.querySelector('.notices')?.textContent ?? '';
      if (notice.includes('Not tagged') && window.__refused.at(-1) !== notice) window.__refused.push(notice);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return page;
}

/**
 * Tags the word at `start` while other clients' spans keep arriving. When no highlight of exactly
 * the word shows within 2 s of the key (ten browsers share two cores here), the drag is made
 * again, as a person would (counted in `retries`).
 */
let retries = 0;
async function tagWhileOthersDo(page, start) {
  for (let attempt = 0; ; attempt++) {
    try {
      await dragSelect(page, [start, start + WORD]);
      await page.keyboard.press('e');
      // Each word is one client's, so a highlight of exactly it is this client's span.
      await page.waitForFunction((word) => [...document.querySelectorAll('article[aria-label="Article"] mark')]
        .some((mark) => mark.textContent === word), wordAt(start), { timeout: 2000, polling: 50 });
      return;
    } catch (error) {
      if (attempt === 5) throw error;
      retries += 1;
      await page.keyboard.press('Escape');
    }
  }
}

async function join(page, server) {
  await page.getByRole('button', { name: 'Join a team…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Join a team' });
  await dialog.getByRole('textbox', { name: 'Server' }).fill(server.url);
  await dialog.getByRole('textbox', { name: 'Corpus' }).fill('news');
  await dialog.getByLabel('Token').fill('rw-secret');
  await dialog.getByRole('button', { name: 'Join' }).click();
  await page.getByRole('region', { name: 'Team' }).getByRole('status').filter({ hasText: /^connected/ }).waitFor();
}

async function open(page, title) {
  await page.locator('.doc-row', { hasText: title }).getByRole('button').first().click();
}

async function waitForCount(page, n, timeout = 120_000) {
  await page.waitForFunction((n) => n in window.__reached, n, { timeout, polling: 50 });
  return page.evaluate((n) => window.__reached[n], n);
}

// --- the shared-L phase ------------------------------------------------------------------------

/**
 * Installed before any page script in the shared-L phase's pages (after page_timing's
 * `instrument`): times what team mode runs on the page's main thread without changing the app,
 * at the few places where it meets the browser:
 *
 * - `WebSocket.onmessage`, which the team module sets (src/team_link/link.rs `open_socket`): each
 *   frame from the server is one task, `received` → the session, the mirror, `entry_of`, and the
 *   page's listeners it calls; `sync` is the handler, `total` adds the microtask checkpoint after
 *   it (a microtask queued when the handler returns runs after the yew render and effects the
 *   page's dispatch queued during it: wasm-bindgen-futures and yew's scheduler run in one
 *   microtask, queued first);
 * - the team module itself (the `team-loaded` event's detail, src/browser/team_client.rs): its
 *   `push` and `share` calls from the page, and the page's listeners it calls back (`status`,
 *   `article`: the page reading the entry and merging it, `schema`), each with the time of the
 *   calls nested in it (`parts`);
 * - `setTimeout(…, 1000)` from team.js: `keep_copies`' timer (KEEP_AFTER_MS), i.e. the kept copy's
 *   `replica.save()` of each changed document, then `offline_copy::save`'s IndexedDB `put`
 *   (timed: the structured clone happens in the call; `done` when the request succeeded);
 * - a MutationObserver: when the annotation count and the counts per label (`sig`) and the team
 *   status text change, on the shared clock (`performance.timeOrigin + now()`).
 */
function teamInstrument() {
  const now = () => performance.now();
  const T = {
    messages: [], calls: [], keeps: [], puts: [], signatures: [], statuses: [], waiters: [],
    pendingKeeps: 0, pendingPuts: 0, last: 0,
  };
  window.__team = T;
  const touch = () => { T.last = now(); };
  const stack = [];
  const enter = (name, extra = {}) => {
    const entry = { name, t0: now(), parts: {}, ...extra };
    stack.push(entry);
    return entry;
  };
  const leave = (entry, log) => {
    entry.sync = now() - entry.t0;
    stack.pop();
    const parent = stack.at(-1);
    if (parent) {
      parent.parts[entry.name] = (parent.parts[entry.name] ?? 0) + entry.sync;
    } else {
      queueMicrotask(() => { entry.total = now() - entry.t0; });
    }
    log.push(entry);
    touch();
  };
  const timed = (name, fn, log) => function (...args) {
    const entry = enter(name);
    try { return fn.apply(this, args); } finally { leave(entry, log); }
  };

  const onmessage = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    enumerable: onmessage.enumerable,
    get() { return onmessage.get.call(this); },
    set(handler) {
      if (typeof handler !== 'function') return onmessage.set.call(this, handler);
      return onmessage.set.call(this, function (event) {
        const entry = enter('message', { bytes: event.data?.byteLength ?? 0 });
        try { return handler.call(this, event); } finally { leave(entry, T.messages); }
      });
    },
  });

  const detail = Object.getOwnPropertyDescriptor(CustomEvent.prototype, 'detail');
  let module = null;
  Object.defineProperty(CustomEvent.prototype, 'detail', {
    configurable: true,
    enumerable: detail.enumerable,
    get() {
      const value = detail.get.call(this);
      if (this.type !== 'team-loaded' || value == null) return value;
      if (!module) {
        module = { ...value };
        for (const name of ['push', 'share', 'unshare', 'set_schema']) {
          if (typeof value[name] === 'function') module[name] = timed(name, value[name], T.calls);
        }
        module.connect = (settings, schema, onStatus, onArticle, onSchema) => value.connect(settings, schema,
          timed('status', onStatus, T.calls), timed('article', onArticle, T.calls), timed('schema', onSchema, T.calls));
      }
      return module;
    },
  });

  const setTimeoutOriginal = window.setTimeout;
  T.setTimeout = setTimeoutOriginal;
  window.setTimeout = function (handler, delay, ...rest) {
    if (delay === 1000 && typeof handler === 'function' && /\/team\.js/.test(new Error().stack ?? '')) {
      T.pendingKeeps++;
      const keep = function (...a) {
        T.pendingKeeps--;
        const entry = enter('keep');
        try { return handler.apply(this, a); } finally { leave(entry, T.keeps); }
      };
      return setTimeoutOriginal.call(this, keep, delay, ...rest);
    }
    return setTimeoutOriginal.call(this, handler, delay, ...rest);
  };

  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (value, key) {
    const t0 = now();
    const request = put.call(this, value, key);
    const entry = {
      t0, sync: now() - t0, key: String(key),
      bytes: Array.isArray(value) ? value.reduce((n, v) => n + (v?.byteLength ?? 0), 0) : 0,
    };
    T.pendingPuts++;
    const done = () => { T.pendingPuts--; entry.done = now() - t0; touch(); };
    request.addEventListener('success', done);
    request.addEventListener('error', done);
    T.puts.push(entry);
    return request;
  };

  new PerformanceObserver((list) => {
    if (list.getEntries().some((e) => e.name === 'aa-save')) touch();
  }).observe({ type: 'measure' });
  // Long tasks with when they began (shared clock), to tell an edit's from a scroll's.
  T.longtasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) T.longtasks.push({ at: performance.timeOrigin + e.startTime, duration: e.duration });
  }).observe({ type: 'longtask' });

  T.sig = () => `${document.querySelector('aside h2')?.textContent ?? ''}|${document.querySelector('aside ul.counts')?.textContent ?? ''}`;
  T.status = () => document.querySelector('.team-status')?.textContent ?? '';
  let lastSig = null;
  let lastStatus = null;
  new MutationObserver(() => {
    const at = performance.timeOrigin + now();
    const sig = T.sig();
    if (sig !== lastSig) {
      lastSig = sig;
      T.signatures.push({ at, sig });
      T.waiters = T.waiters.filter((check) => !check());
    }
    const status = T.status();
    if (status !== lastStatus) {
      lastStatus = status;
      T.statuses.push({ at, status });
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
  /** When (shared clock) this page first showed `sig` at or after `after`. */
  T.shown = (sig, after, timeout = 120_000) => new Promise((resolve, reject) => {
    const check = () => {
      const hit = T.signatures.find((e) => e.at >= after && e.sig === sig);
      if (hit) resolve(hit.at);
      return Boolean(hit);
    };
    if (check()) return;
    T.waiters.push(check);
    setTimeoutOriginal(() => reject(new Error(`not shown: ${sig}; showing ${T.sig()}`)), timeout);
  });
  /** Nothing of team mode pending, and nothing done for `ms`. */
  T.quiet = (ms) => T.pendingKeeps === 0 && T.pendingPuts === 0 && now() - T.last >= ms;
}

/** Main-thread CPU time so far (CDP `Performance.getMetrics`, ms): every task, and its script, style and layout. */
async function mainThread(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value * 1000]));
  return { task: m.TaskDuration, script: m.ScriptDuration, style: m.RecalcStyleDuration, layout: m.LayoutDuration };
}
const minus = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k] - b[k]]));

/** Two animation frames on `page`: what a change drew has been laid out and painted. */
const frames = (page) => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));

/** Where each of the page's logs stands, to take what comes after. */
const marks = (page) => page.evaluate(() => ({
  messages: __team.messages.length, calls: __team.calls.length, keeps: __team.keeps.length,
  puts: __team.puts.length, saves: __bench.saves.length, longtasks: __bench.longtasks.length,
  at: performance.timeOrigin + performance.now(), origin: performance.timeOrigin, sig: __team.sig(),
}));
const since = (page, m) => page.evaluate((m) => ({
  messages: __team.messages.slice(m.messages), calls: __team.calls.slice(m.calls),
  keeps: __team.keeps.slice(m.keeps), puts: __team.puts.slice(m.puts),
  saves: __bench.saves.slice(m.saves), longtasks: __bench.longtasks.slice(m.longtasks),
  statuses: __team.statuses.filter((s) => s.at >= m.at), tasks: __team.longtasks.filter((t) => t.at + t.duration >= m.at),
}), m);

/**
 * Waits until the page saved after mark `m` (its `aa-save`) and team mode is quiet. An edit that
 * changed nothing saves nothing: after 15 s without a save it says so, and waits for quiet only.
 */
async function settled(page, m, what = '') {
  try {
    await page.waitForFunction((saves) => __bench.saves.length > saves && __team.quiet(300),
      m.saves, { polling: 100, timeout: 15_000 });
  } catch {
    const state = await page.evaluate(() => ({ sig: __team.sig(), status: __team.status(), notice: document.querySelector('.notices')?.textContent ?? '', saves: __bench.saves.length }));
    console.log(`  (no save after ${what}: ${JSON.stringify(state)})`);
    await quiet(page);
  }
}

async function openWith(browser, base, name, storage) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addInitScript(instrument);
  await context.addInitScript(teamInstrument);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`  ${name}: page error: ${e.message}`));
  if (process.env.BENCH_DEBUG) page.on('console', (m) => console.log(`  ${name}: console: ${m.text()}`));
  await page.goto(`${base}/__blank.html`);
  await page.evaluate((entries) => {
    localStorage.clear();
    for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
  }, storage);
  await page.goto(base);
  const cdp = await context.newCDPSession(page);
  // Thread time: the main thread's own CPU time, which other processes on a busy machine do not
  // inflate (the key's script and the pages' own timings are wall-clock, as in run.mjs).
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  return { page, cdp, name };
}

/** Waits until team mode has nothing pending on the page and did nothing for half a second. */
const quiet = (page) => page.waitForFunction(() => __team.quiet(500), null, { polling: 100, timeout: 60_000 });

/** Join a team… by its CSS classes and ids (role queries walk 10,000 highlights). */
async function joinL(page, server) {
  await page.locator('.team-join').click();
  await page.locator('#team-url').fill(server.url);
  await page.locator('#team-corpus').fill('news');
  await page.locator('#team-token').fill('rw-secret');
  await page.locator('.team-dialog button[type="submit"]').click();
  await page.locator('.team-status', { hasText: /^connected/ }).waitFor({ timeout: 120_000 });
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
/** The longest of `tasks` ({at, duration}, shared clock) that ran between `from` and `to`; 0 if none. */
const longestIn = (tasks, from, to) => Math.max(0, ...tasks.filter((t) => t.at < to && t.at + t.duration > from).map((t) => t.duration));

/**
 * Ann's edits on the shared article and the unshared one, interleaved; what they cost Ann, Bob
 * and the team module. `runs` of each edit.
 */
async function measureSharedL(browser, base, runs) {
  const [chars, spanCount, relationCount] = SIZES[SHARED_SIZE];
  const doc = generate(SHARED_SIZE, chars, spanCount, relationCount);
  const title = `Benchmark ${SHARED_SIZE}`;
  const server = await startTeamServer();
  const contexts = [];
  const out = { size: SHARED_SIZE, chars: Array.from(doc.text).length, spans: doc.annotations.length, runs };
  try {
    const step = (what) => console.log(`  shared ${SHARED_SIZE}: ${what}`);
    const local = await openWith(browser, base, 'Local', doc.storage);
    const ann = await openWith(browser, base, 'Ann', doc.storage);
    const bob = await openWith(browser, base, 'Bob', { 'article-annotator-annotator': 'Bob' });
    contexts.push(local, ann, bob);
    for (const { page } of [local, ann]) {
      await page.locator('aside h2', { hasText: `(${doc.annotations.length})` }).waitFor({ timeout: 120_000 });
    }
    const allShown = await ann.page.evaluate(() => __team.sig());
    step(`opened (${allShown})`);

    // Ann shares L; the click timed as run.mjs times a click, then until the server has it all.
    const rssBefore = rss(server.pid);
    await joinL(ann.page, server);
    const annBefore = await marks(ann.page);
    const shareClick = await timeClick(ann.page, () => ann.page.locator('.team-share').click());
    await ann.page.locator('.doc-row', { hasText: title }).filter({ hasText: 'shared' }).waitFor({ timeout: 120_000 });
    await ann.page.waitForFunction(() => __team.status() === 'connected', null, { polling: 100, timeout: 180_000 });
    const shareDone = await ann.page.evaluate(() => performance.timeOrigin + performance.now());
    const annShare = await since(ann.page, annBefore);
    step('shared');

    // Bob joins (his team module takes the whole article in and hands it to the page), then opens
    // it: from the click on its row until every annotation shows.
    const bobJoin = await marks(bob.page);
    await joinL(bob.page, server);
    await bob.page.locator('.doc-row', { hasText: title }).waitFor({ timeout: 120_000 });
    await quiet(bob.page);
    const bobJoined = await since(bob.page, bobJoin);
    const bobBefore = await marks(bob.page);
    await bob.page.locator('.doc-row', { hasText: title }).locator('button').first().click({ timeout: 120_000 });
    const opened = await bob.page.evaluate(([sig, after]) => __team.shown(sig, after), [allShown, bobBefore.at]);
    await bob.page.waitForFunction(() => __team.status() === 'connected', null, { polling: 100, timeout: 120_000 });
    await frames(bob.page);
    const bobOpen = await since(bob.page, bobBefore);
    await quiet(bob.page);
    await quiet(ann.page);
    step('Bob has it');
    const rssShared = rss(server.pid);
    out.setup = {
      shareClickScript: shareClick.script,
      shareCall: annShare.calls.find((c) => c.name === 'share')?.sync ?? null,
      shareToStoredMs: shareDone - (annBefore.origin + shareClick.t0),
      annLongestTaskDuringShare: Math.max(0, ...annShare.longtasks),
      bobOpenMs: opened - bobBefore.at,
      bobAnnounce: bobJoined.messages.filter((m) => m.parts.article).map((m) => ({ sync: m.sync, total: m.total, article: m.parts.article, bytes: m.bytes })),
      bobLongestTaskDuringJoin: Math.max(0, ...bobJoined.longtasks),
      bobLongestTaskDuringOpen: Math.max(0, ...bobOpen.longtasks),
      serverRssBeforeBytes: rssBefore,
      serverRssSharedBytes: rssShared,
      storedBytes: storedBytes(server.dataDir),
    };

    // What the instrumentation and the waits cost a page doing nothing, over Bob's window (two
    // frames) and over a second of waiting for quiet.
    const idleWindow = [];
    for (let i = 0; i < 5; i++) {
      const b0 = await mainThread(bob.cdp);
      await bob.page.evaluate(([sig, after]) => __team.shown(sig, after), [allShown, 0]);
      await frames(bob.page);
      idleWindow.push((await mainThread(bob.cdp)).task - b0.task);
    }
    const idlePerSecond = {};
    for (const { page, cdp, name } of [local, ann, bob]) {
      const m0 = await mainThread(cdp);
      const t0 = Date.now();
      await page.waitForFunction((until) => Date.now() >= until, t0 + 1500, { polling: 100 });
      idlePerSecond[name] = ((await mainThread(cdp)).task - m0.task) / ((Date.now() - t0) / 1000);
    }
    out.idle = { bobWindowTask: stats(idleWindow), perSecondTask: idlePerSecond };

    for (const { page } of [local, ann, bob]) {
      await page.evaluate(() => { __bench.longtasks = []; __bench.saves = []; });
    }

    // The unshared page's edit: timed as run.mjs does, plus its main-thread time until the
    // frame after it, and until its save is done.
    const localEdit = async (page, key) => {
      const m = await marks(page);
      const m0 = await mainThread(local.cdp);
      const timing = await timeKey(page, key);
      const m1 = await mainThread(local.cdp);
      const unchanged = (await page.evaluate(() => __team.sig())) === m.sig;
      if (unchanged) console.log(`  (unshared ${key} changed no count: ${m.sig})`);
      await settled(page, m, `unshared ${key}`);
      const m2 = await mainThread(local.cdp);
      const logs = await since(page, m);
      const keyAt = m.origin + timing.t0;
      return {
        ...timing, unchanged, window: minus(m1, m0), task: m1.task - m0.task, cycleTask: m2.task - m0.task, saves: logs.saves,
        longestInWindow: longestIn(logs.tasks, keyAt, keyAt + timing.painted), longestInCycle: longestIn(logs.tasks, keyAt, Infinity),
      };
    };
    const sharedEdit = async (page, key) => {
      const [ma, mb] = await Promise.all([marks(ann.page), marks(bob.page)]);
      const [a0, b0] = await Promise.all([mainThread(ann.cdp), mainThread(bob.cdp)]);
      const timing = await timeKey(page, key);
      const a1 = await mainThread(ann.cdp);
      const keyAt = ma.origin + timing.t0;
      const sig = await page.evaluate(() => __team.sig());
      if (sig === ma.sig) {
        // Nothing for Bob to show (the key changed nothing here): not one of the edits measured.
        console.log(`  (shared ${key} changed no count: ${sig})`);
        await Promise.all([quiet(ann.page), quiet(bob.page)]);
        return { ...timing, unchanged: true };
      }
      const shownAt = await bob.page.evaluate(([sig, after]) => __team.shown(sig, after), [sig, keyAt]);
      await frames(bob.page);
      const b1 = await mainThread(bob.cdp);
      const bobDone = await bob.page.evaluate(() => performance.timeOrigin + performance.now());
      await Promise.all([settled(ann.page, ma, `shared ${key}`), settled(bob.page, mb, `Bob, shared ${key}`)]);
      const [a2, b2] = await Promise.all([mainThread(ann.cdp), mainThread(bob.cdp)]);
      const [la, lb] = await Promise.all([since(ann.page, ma), since(bob.page, mb)]);
      const unsentSeen = la.statuses.findIndex((s) => s.status !== 'connected');
      const acked = unsentSeen < 0 ? null : la.statuses.slice(unsentSeen).find((s) => s.status === 'connected');
      return {
        ...timing,
        window: minus(a1, a0),
        task: a1.task - a0.task,
        cycleTask: a2.task - a0.task,
        longestInWindow: longestIn(la.tasks, keyAt, keyAt + timing.painted),
        longestInCycle: longestIn(la.tasks, keyAt, Infinity),
        bobLongestInWindow: longestIn(lb.tasks, keyAt, bobDone),
        bobLongestInCycle: longestIn(lb.tasks, keyAt, Infinity),
        latency: shownAt - keyAt,
        ackMs: acked ? acked.at - keyAt : null,
        bobWindow: minus(b1, b0),
        bobCycleTask: b2.task - b0.task,
        ann: la,
        bob: lb,
      };
    };

    const plain = edits(local.page, doc, runs, { timeEdit: localEdit });
    const shared = edits(ann.page, doc, runs, { timeEdit: sharedEdit });
    const done = { local: [], shared: [] };
    for (let i = 0; ; i++) {
      // Each goes first every other time.
      const order = i % 2 === 0 ? [['local', plain], ['shared', shared]] : [['shared', shared], ['local', plain]];
      let more = false;
      for (const [which, generator] of order) {
        const next = await generator.next();
        if (!next.done) {
          done[which].push(next.value);
          more = true;
        }
      }
      if (!more) break;
      if (i % 10 === 9) step(`${i + 1} edits each`);
    }
    const longest = {};
    for (const { page, name } of [local, ann, bob]) {
      longest[name] = await page.evaluate(() => Math.max(0, ...__bench.longtasks));
    }

    // Keys that changed nothing (none expected) are left out of every measure, and counted.
    out.unchanged = { unshared: done.local.filter((e) => e.timing.unchanged).length, shared: done.shared.filter((e) => e.timing.unchanged).length };
    done.local = done.local.filter((e) => !e.timing.unchanged);
    done.shared = done.shared.filter((e) => !e.timing.unchanged);
    const byKind = (list, kind) => list.filter((e) => e.kind === kind).map((e) => e.timing);
    const KINDS = ['add', 'relabel', 'delete', 'undo'];
    const side = (list) => {
      const r = {};
      for (const kind of KINDS) {
        const t = byKind(list, kind);
        r[kind] = {
          script: stats(t.map((x) => x.script)),
          task: stats(t.map((x) => x.task)),
          windowScript: stats(t.map((x) => x.window.script)),
          windowStyleLayout: stats(t.map((x) => x.window.style + x.window.layout)),
          cycleTask: stats(t.map((x) => x.cycleTask)),
          longestInWindow: Math.max(0, ...t.map((x) => x.longestInWindow)),
        };
      }
      return r;
    };
    out.unshared = side(done.local);
    out.shared = side(done.shared);
    out.unshared.save = stats(done.local.flatMap((e) => e.timing.saves));
    out.unshared.longestTask = longest.Local;
    out.unshared.longestInWindow = Math.max(0, ...done.local.map((e) => e.timing.longestInWindow));
    out.unshared.longestInCycle = Math.max(0, ...done.local.map((e) => e.timing.longestInCycle));
    const sharedTimings = done.shared.map((e) => e.timing);
    out.shared.save = stats(sharedTimings.flatMap((t) => t.ann.saves));
    out.shared.longestTask = longest.Ann;
    out.shared.longestInWindow = Math.max(0, ...sharedTimings.map((t) => t.longestInWindow));
    out.shared.longestInCycle = Math.max(0, ...sharedTimings.map((t) => t.longestInCycle));
    for (const kind of KINDS) {
      out.ratio = out.ratio ?? {};
      out.ratio[kind] = round(out.shared[kind].script.median / out.unshared[kind].script.median, 2);
    }
    out.ratio.save = round(out.shared.save.median / out.unshared.save.median, 2);

    // Ann's side of team mode, per edit: the push (inside the key's script), the server's
    // answers (acknowledgement, status), the kept copy.
    const calls = (t, name) => t.ann.calls.filter((c) => c.name === name);
    const pushes = sharedTimings.flatMap((t) => calls(t, 'push'));
    out.annTeam = {
      push: stats(pushes.map((c) => c.sync)),
      pushStatusListener: stats(pushes.map((c) => c.parts.status ?? 0)),
      ackMs: stats(sharedTimings.map((t) => t.ackMs).filter((x) => x != null)),
      messagesPerEdit: stats(sharedTimings.map((t) => t.ann.messages.length)),
      messagesTaskPerEdit: stats(sharedTimings.map((t) => sum(t.ann.messages.map((m) => m.total ?? m.sync)))),
      // Frames that handed Ann's page an article (the server's version of her own edit).
      articleMessagesPerEdit: stats(sharedTimings.map((t) => t.ann.messages.filter((m) => m.parts.article).length)),
    };

    // Bob's side, per edit of Ann's.
    const updates = sharedTimings.map((t) => t.bob.messages.filter((m) => m.parts.article));
    const update = updates.map((u) => u[0]).filter(Boolean);
    const others = sharedTimings.map((t) => t.bob.messages.filter((m) => !m.parts.article));
    out.bob = {
      latency: stats(sharedTimings.map((t) => t.latency)),
      latencyByKind: Object.fromEntries(KINDS.map((k) => [k, stats(byKind(done.shared, k).map((t) => t.latency))])),
      windowTask: stats(sharedTimings.map((t) => t.bobWindow.task)),
      windowScript: stats(sharedTimings.map((t) => t.bobWindow.script)),
      windowStyleLayout: stats(sharedTimings.map((t) => t.bobWindow.style + t.bobWindow.layout)),
      windowTaskByKind: Object.fromEntries(KINDS.map((k) => [k, stats(byKind(done.shared, k).map((t) => t.bobWindow.task))])),
      updatesPerEdit: stats(updates.map((u) => u.length)),
      updateBytes: stats(update.map((m) => m.bytes)),
      updateTotal: stats(update.map((m) => m.total)),
      updateHandler: stats(update.map((m) => m.sync)),
      updateModule: stats(update.map((m) => m.sync - sum(Object.values(m.parts)))),
      updatePageArticle: stats(update.map((m) => m.parts.article)),
      updatePageStatus: stats(update.map((m) => m.parts.status ?? 0)),
      updateRender: stats(update.map((m) => m.total - m.sync)),
      otherMessagesPerEdit: stats(others.map((o) => o.length)),
      otherMessagesTask: stats(others.map((o) => sum(o.map((m) => m.total ?? m.sync)))),
      save: stats(sharedTimings.flatMap((t) => t.bob.saves)),
      cycleTask: stats(sharedTimings.map((t) => t.bobCycleTask)),
      longestTask: longest.Bob,
      longestInWindow: Math.max(0, ...sharedTimings.map((t) => t.bobLongestInWindow)),
      longestInCycle: Math.max(0, ...sharedTimings.map((t) => t.bobLongestInCycle)),
    };
    out.cycleTask = {
      unshared: stats(done.local.map((e) => e.timing.cycleTask)),
      ann: stats(sharedTimings.map((t) => t.cycleTask)),
      bob: out.bob.cycleTask,
    };

    // The kept copy (keep_copies → offline_copy::save), on both pages.
    const keeps = sharedTimings.flatMap((t) => [...t.ann.keeps, ...t.bob.keeps]);
    const puts = sharedTimings.flatMap((t) => [...t.ann.puts, ...t.bob.puts]);
    out.keep = {
      perEditAnn: stats(sharedTimings.map((t) => t.ann.keeps.length)),
      perEditBob: stats(sharedTimings.map((t) => t.bob.keeps.length)),
      timer: stats(keeps.map((k) => k.total ?? k.sync)),
      put: stats(puts.map((p) => p.sync)),
      putDone: stats(puts.map((p) => p.done).filter((x) => x != null)),
      bytes: stats(puts.map((p) => p.bytes)),
    };
    // Every edit's timings and logs, for a closer look.
    if (process.env.BENCH_RAW) fs.writeFileSync(process.env.BENCH_RAW, JSON.stringify(done, null, 1));
    return out;
  } finally {
    for (const { page } of contexts) await page.context().close().catch(() => {});
    await server.stop();
  }
}

const dataServer = await serveDist();
const base = `http://127.0.0.1:${dataServer.address().port}`;
const team = await startTeamServer();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const results = { date: new Date().toISOString(), clients: CLIENTS, edits: EDITS };
try {
  if (PHASES.has('latency')) {
    // --- latency between two clients ---
    const [latencyText, latencyWords] = article(LATENCY_EDITS);
    const ann = await client(browser, base, 'Ann');
    await pasteArticle(ann, latencyText, 'Latency');
    await join(ann, team);
    await ann.getByRole('button', { name: 'Share this article' }).click();
    const bob = await client(browser, base, 'Bob');
    await join(bob, team);
    await open(bob, 'Latency');
    const latencies = [];
    for (let i = 0; i < LATENCY_EDITS; i++) {
      await dragSelect(ann, [latencyWords[i], latencyWords[i] + WORD]);
      await ann.evaluate(() => { window.__keys = []; });
      await ann.keyboard.press('e');
      const seen = await waitForCount(bob, i + 1);
      const pressed = await ann.evaluate(() => window.__keys[0]);
      latencies.push(seen - pressed);
    }
    results.latency = {
      edits: LATENCY_EDITS,
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
      max: Math.max(...latencies),
    };
    console.log(`latency Ann → Bob over ${LATENCY_EDITS} spans: p50 ${results.latency.p50.toFixed(1)} ms, p95 ${results.latency.p95.toFixed(1)} ms`);
    await ann.context().close();
    await bob.context().close();
  }

  if (PHASES.has('convergence')) {
    // --- convergence: CLIENTS clients × EDITS edits ---
    const total = CLIENTS * EDITS;
    const [text, words] = article(total);
    wordAt = (offset) => text.slice(offset, offset + WORD);
    const rssBefore = rss(team.pid);
    const owner = await client(browser, base, 'c0');
    await pasteArticle(owner, text, 'Convergence');
    await join(owner, team);
    await owner.getByRole('button', { name: 'Share this article' }).click();
    const clients = [owner];
    for (let i = 1; i < CLIENTS; i++) {
      const page = await client(browser, base, `c${i}`);
      await join(page, team);
      await open(page, 'Convergence');
      clients.push(page);
    }
    await new Promise((r) => setTimeout(r, 1500));
    const storedBefore = storedBytes(team.dataDir);
    const rssShared = rss(team.pid);
    // Each client tags its own words, all clients at once; client k takes words k, k+CLIENTS, ...
    // so their spans interleave through the article.
    await Promise.all(clients.map((p) => p.evaluate(() => { window.__keys = []; })));
    const started = Date.now();
    await Promise.all(clients.map(async (page, k) => {
      for (let e = 0; e < EDITS; e++) {
        await tagWhileOthersDo(page, words[k + e * CLIENTS]);
      }
    }));
    const dragsEnded = Date.now();
    const keyTimes = await Promise.all(clients.map((p) => p.evaluate(() => window.__keys)));
    const lastKey = Math.max(...keyTimes.flat());
    const firstKey = Math.min(...keyTimes.flat());
    let converged;
    try {
      converged = Math.max(...await Promise.all(clients.map((p) => waitForCount(p, total, 120_000))));
    } catch (error) {
      const counts = await Promise.all(clients.map((p) => p.evaluate(() => document.querySelector('aside h2')?.textContent)));
      const byAuthor = await Promise.all(clients.map((p) => p.evaluate(() => {
        const tally = {};
        for (const k of Object.keys(localStorage).filter((k) => k.startsWith('article-annotator:doc:'))) {
          for (const a of JSON.parse(localStorage.getItem(k)).document.annotations) {
            tally[a.made_by] = (tally[a.made_by] ?? 0) + 1;
          }
        }
        return JSON.stringify(tally) + ' keys ' + window.__keys.length + ' refused ' + JSON.stringify(window.__refused);
      })));
      throw new Error(`not every client reached ${total}: ${counts.join(' | ')}\n${byAuthor.join('\n')}`);
    }
    results.convergence = {
      total,
      fromFirstKeyMs: converged - firstKey,
      afterLastKeyMs: converged - lastKey,
      wallSeconds: (Date.now() - started) / 1000,
      // After the last client's drags ended (negative: every client had them all before).
      afterDragsMs: converged - dragsEnded,
      selectionsRedone: retries,
    };
    console.log(`convergence ${CLIENTS} clients × ${EDITS} edits: all ${total} everywhere ${(results.convergence.fromFirstKeyMs / 1000).toFixed(1)} s after the first key (${retries} drags redone)`);
    await new Promise((r) => setTimeout(r, 2000));
    const rssAfter = rss(team.pid);
    const storedAfter = storedBytes(team.dataDir);
    results.server = {
      rssBeforeBytes: rssBefore,
      rssSharedBytes: rssShared,
      rssAfterBytes: rssAfter,
      rssPer1000Bytes: ((rssAfter - rssShared) * 1000) / total,
      storedBeforeBytes: storedBefore,
      storedAfterBytes: storedAfter,
      storedPer1000Bytes: ((storedAfter - storedBefore) * 1000) / total,
    };
    console.log(`server memory: ${(rssAfter / 2 ** 20).toFixed(1)} MB resident; +${(results.server.rssPer1000Bytes / 1024).toFixed(0)} KB per 1,000 annotations (resident), +${(results.server.storedPer1000Bytes / 1024).toFixed(0)} KB per 1,000 stored`);
    // Their browsers are done with: the next phase has the machine to itself.
    await Promise.all(clients.map((p) => p.context().close()));
  }

  if (PHASES.has('shared-l')) {
    // --- the edit targets on a shared L article ---
    const r = results.sharedL = await measureSharedL(browser, base, SHARED_RUNS);
    for (const kind of ['add', 'relabel', 'delete', 'undo']) {
      console.log(`shared ${r.size} ${kind}: script ${round(r.shared[kind].script.median, 2)} ms (p95 ${round(r.shared[kind].script.p95, 2)}) vs unshared ${round(r.unshared[kind].script.median, 2)} ms (p95 ${round(r.unshared[kind].script.p95, 2)}): ${r.ratio[kind]}×; Bob latency ${round(r.bob.latencyByKind[kind].median)} ms, Bob main thread ${round(r.bob.windowTaskByKind[kind].median)} ms`);
    }
    console.log(`shared ${r.size} save ${round(r.shared.save.median)} ms (p95 ${round(r.shared.save.p95)}) vs unshared ${round(r.unshared.save.median)} ms; longest task Ann ${round(r.shared.longestTask)} ms, unshared ${round(r.unshared.longestTask)} ms, Bob ${round(r.bob.longestTask)} ms`);
    console.log(`shared ${r.size} Bob per update: handler ${round(r.bob.updateHandler.median)} ms (module ${round(r.bob.updateModule.median)}, page merge ${round(r.bob.updatePageArticle.median)}), + render ${round(r.bob.updateRender.median)} ms; save ${round(r.bob.save.median)} ms`);
    console.log(`shared ${r.size} kept copy: ${round(r.keep.timer.median)} ms timer task (p95 ${round(r.keep.timer.p95)}), put ${round(r.keep.put.median)} ms of ${(r.keep.bytes.median / 2 ** 20).toFixed(2)} MB`);
  }
} finally {
  await browser.close();
  await team.stop();
  dataServer.close();
}

const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
const mb = (b) => `${(b / 2 ** 20).toFixed(1)} MB`;
/** "median (p95 x)" of a stats object, in ms. */
const mp = (st, d = 1) => (st?.median == null ? '–' : `${round(st.median, d)} ms (p95 ${round(st.p95, d)})`);
const md = [
  '## Team mode (make bench-team: tests/e2e/bench/team.mjs)',
  '',
  `_${results.date}; Chromium pages of the release build and the team server (Hocuspocus 3.4.4, SQLite) on loopback; each client its own browser context._`,
  '',
];
if (results.latency || results.convergence) md.push('| measure | value |', '|---|---|');
if (results.latency) {
  md.push(`| update latency, Ann's key to Bob's list (${results.latency.edits} spans) | p50 ${results.latency.p50.toFixed(1)} ms, p95 ${results.latency.p95.toFixed(1)} ms, max ${results.latency.max.toFixed(1)} ms |`);
}
if (results.convergence) {
  md.push(
    `| convergence, ${CLIENTS} clients × ${EDITS} spans at once: all ${results.convergence.total} on every client | ${(results.convergence.fromFirstKeyMs / 1000).toFixed(1)} s after the first key, which is how long the ${results.convergence.total} mouse drags themselves take here (${CLIENTS} browsers on ${os.cpus().length} cores; ${results.convergence.selectionsRedone} drags redone: no highlight of the word within 2 s of its key). ${results.convergence.afterDragsMs <= 0 ? 'Every client had all of them when the drags ended' : `Every client had all of them ${results.convergence.afterDragsMs.toFixed(0)} ms after the drags ended`} |`,
    `| server memory per 1,000 annotations (resident, before and after) | ${kb(results.server.rssPer1000Bytes)} (${(results.server.rssSharedBytes / 2 ** 20).toFixed(1)} → ${(results.server.rssAfterBytes / 2 ** 20).toFixed(1)} MB) |`,
    `| stored per 1,000 annotations (the document's SQLite row) | ${kb(results.server.storedPer1000Bytes)} |`,
  );
}
md.push('');
const r = results.sharedL;
if (r) {
  const KINDS = [['add', 'add one annotation (drag + key)'], ['relabel', 'relabel'], ['delete', 'delete'], ['undo', 'undo a delete']];
  md.push(
    `### Edits on a shared ${r.size} article (${r.chars.toLocaleString('en')} characters, ${r.spans.toLocaleString('en')} spans)`,
    '',
    `_Same run: three pages of one browser. **Unshared**: the article in a page that joined no team. **Shared**: the same article in Ann's page, shared into a corpus on a server of its own; Bob's page has it open (at its start) and takes each edit in. The same ${r.runs} edits of each kind as \`make bench\` makes them (tests/e2e/bench/page_timing.mjs), alternately on the two pages, each left to save (and Ann's and Bob's team modules to keep their copies) before the next. **Script before frame**: as in \`make bench\`, wall clock from a keydown listener on window in the capture phase to one in the bubble phase (the app's listeners, its render and effects, which include the push to the team module). **Main thread**: CPU time of the page's renderer main thread over the window named (CDP \`Performance.getMetrics\` TaskDuration, thread ticks: script, style, layout, paint, GC). **Team mode's parts** are wall clock, timed by an init script around where the app meets the browser: \`WebSocket.onmessage\` (a frame's task, through its microtask checkpoint, so with the render it caused), the team module's exports and the page's listeners it calls back, its 1 s \`setTimeout\` (\`keep_copies\`) and \`IDBObjectStore.put\`. **Latency**: Ann's keydown to the mutation on Bob's page that shows the same annotation count and counts per label, both on the shared clock. Medians, p95 in brackets; ratios are shared / unshared of the medians.${r.unchanged.unshared + r.unchanged.shared ? ` Keys that changed nothing are left out (${r.unchanged.unshared} unshared, ${r.unchanged.shared} shared: a relabel the app refuses, the span being tagged so already)._` : '_'}`,
    '',
    '| measure | unshared | shared (Ann) | ratio |',
    '|---|---|---|---|',
  );
  for (const [kind, what] of KINDS) {
    md.push(`| ${what}: script before frame | ${mp(r.unshared[kind].script, 2)} | ${mp(r.shared[kind].script, 2)} | ${r.ratio[kind]}× |`);
  }
  for (const [kind, what] of KINDS) {
    md.push(`| ${what}: main-thread CPU, key to two frames after | ${mp(r.unshared[kind].task)} | ${mp(r.shared[kind].task)} | ${round(r.shared[kind].task.median / r.unshared[kind].task.median, 2)}× |`);
  }
  md.push(
    `| save after an edit (aa-save) | ${mp(r.unshared.save)} | ${mp(r.shared.save)} | ${r.ratio.save}× |`,
    `| longest main-thread task (longtask: over 50 ms only; 0: none) in an edit's window, key to painted | ${round(r.unshared.longestInWindow)} ms | ${round(r.shared.longestInWindow)} ms | |`,
    `| — in an edit's whole cycle, key until saved and quiet | ${round(r.unshared.longestInCycle)} ms | ${round(r.shared.longestInCycle)} ms | |`,
    `| — anywhere in the phase (also the scrolls to each place edited) | ${round(r.unshared.longestTask)} ms | ${round(r.shared.longestTask)} ms | |`,
    `| all main-thread CPU per edit, key until saved and quiet (incl. the kept copy; idle ≈ ${round(r.idle.perSecondTask.Local)} / ${round(r.idle.perSecondTask.Ann)} ms per s) | ${mp(r.cycleTask.unshared)} | ${mp(r.cycleTask.ann)} | ${round(r.cycleTask.ann.median / r.cycleTask.unshared.median, 2)}× |`,
    '',
    '| team mode on each edit | median (p95) |',
    '|---|---|',
    `| Ann: the \`push\` call into the team module (inside the script above; of it, the page's status listener ${mp(r.annTeam.pushStatusListener, 2)}) | ${mp(r.annTeam.push, 2)} |`,
    `| Ann: key to "not on the server yet" gone (the server's stored acknowledgement) | ${mp(r.annTeam.ackMs, 0)} |`,
    `| Ann: the server's frames after an edit (${r.annTeam.messagesPerEdit.median} per edit), their tasks together | ${mp(r.annTeam.messagesTaskPerEdit, 2)} |`,
    `| Bob: Ann's key to Bob's page showing it (annotation count, counts per label) | ${mp(r.bob.latency)} |`,
    `| Bob: main-thread CPU, Ann's key to two frames after Bob shows it (idle: ${round(r.idle.bobWindowTask.median, 2)} ms) | ${mp(r.bob.windowTask)}; script ${mp(r.bob.windowScript)}, style + layout ${mp(r.bob.windowStyleLayout, 2)} |`,
    ...KINDS.map(([kind, what]) => `| Bob: — the same, for ${what} | ${mp(r.bob.windowTaskByKind[kind])}; latency ${mp(r.bob.latencyByKind[kind])} |`),
    `| Bob: the update's task, wall clock: handler and microtasks (a frame of ${r.bob.updateBytes.median} bytes) | ${mp(r.bob.updateTotal)} |`,
    `| Bob: — of it, the team module (replica, mirror, whole entry encoded) | ${mp(r.bob.updateModule)} |`,
    `| Bob: — of it, the page reading the entry and merging it (\`take_article\`) | ${mp(r.bob.updatePageArticle)} |`,
    `| Bob: — of it, the page's status listener | ${mp(r.bob.updatePageStatus, 2)} |`,
    `| Bob: — of it, the render and effects after (microtasks) | ${mp(r.bob.updateRender)} |`,
    `| Bob: the server's other frames (${r.bob.otherMessagesPerEdit.median} per edit), their tasks together | ${mp(r.bob.otherMessagesTask, 2)} |`,
    `| Bob: its save of the merged article (aa-save) | ${mp(r.bob.save)} |`,
    `| Bob: all main-thread CPU per edit of Ann's, until saved and quiet (incl. the kept copy; idle ≈ ${round(r.idle.perSecondTask.Bob)} ms per s) | ${mp(r.bob.cycleTask)} |`,
    `| Bob: longest main-thread task (wall clock): taking an edit in (Ann's key to two frames after Bob shows it); in the whole cycle; anywhere in the phase | ${round(r.bob.longestInWindow)} ms; ${round(r.bob.longestInCycle)} ms; ${round(r.bob.longestTask)} ms |`,
    `| kept copy (\`keep_copies\` timer: \`replica.save()\` of the whole Yjs state; ${r.keep.perEditAnn.median} on Ann's page and ${r.keep.perEditBob.median} on Bob's per edit) | ${mp(r.keep.timer)} |`,
    `| kept copy: IndexedDB \`put\` of ${mb(r.keep.bytes.median)} (the call, with its structured clone; until it succeeded ${mp(r.keep.putDone, 0)}) | ${mp(r.keep.put, 2)} |`,
    `| sharing it: the click (script before frame; of it the \`share\` call ${round(r.setup.shareCall)} ms), until the server stored all of it | ${round(r.setup.shareClickScript)} ms, ${round(r.setup.shareToStoredMs / 1000, 1)} s; longest task ${round(r.setup.annLongestTaskDuringShare)} ms |`,
    `| Bob joining: the whole article handed to his page (the frame's task; of it the page's \`take_article\`) | ${r.setup.bobAnnounce.map((a) => `${round(a.total)} ms (${round(a.article)} ms)`).join(', ') || '–'}; longest task ${round(r.setup.bobLongestTaskDuringJoin)} ms |`,
    `| Bob opening it: the click on its row until every annotation shows | ${round(r.setup.bobOpenMs / 1000, 2)} s; longest task ${round(r.setup.bobLongestTaskDuringOpen)} ms |`,
    `| server: resident with the article shared, its stored row | ${mb(r.setup.serverRssBeforeBytes)} → ${mb(r.setup.serverRssSharedBytes)}; ${mb(r.setup.storedBytes)} |`,
    '',
  );
}
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'team-results.json'), JSON.stringify(results, null, 2) + '\n');
fs.writeFileSync(path.join(outDir, 'team.md'), md.join('\n'));
console.log(`wrote ${path.join(outDir, 'team-results.json')} and ${path.join(outDir, 'team.md')}`);
