// `make bench-team`: team mode measured end to end, app to app, through a Hocuspocus server of its
// own on loopback (team-server/server.mjs):
//
// - update latency: Ann presses a label key; how long until Bob's page shows the new span (both
//   times read from the one system clock, in the pages: Ann's keydown, Bob's annotation count);
// - convergence: 10 clients each tag 100 words at once; how long until every client shows all
//   1,000, from the first key, and from the last;
// - server memory per 1,000 annotations: the server's resident memory and its stored document,
//   before and after those 1,000.
//
// Prints the numbers, writes bench/team-results.json and bench/team.md, and has run.mjs rewrite
// BENCHMARKS.md with them. Nothing is asserted: the machines are shared and noisy.
//
//   node team.mjs [--latency-edits N] [--clients N] [--edits N]
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
 * Tags the word at `start` while other clients' spans keep arriving. A span arriving mid-drag
 * redraws its paragraph and can drop the selection being made; the drag is then made again, as a
 * person would (counted in `retries`).
 */
let retries = 0;
async function tagWhileOthersDo(page, start) {
  for (let attempt = 0; ; attempt++) {
    try {
      await dragSelect(page, [start, start + WORD]);
      await page.keyboard.press('e');
      // The selection can also go between the drag and the key: then nothing is tagged. Each
      // word is one client's, so a highlight of exactly it is this client's span.
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

const dataServer = await serveDist();
const base = `http://127.0.0.1:${dataServer.address().port}`;
const team = await startTeamServer();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const results = { date: new Date().toISOString(), clients: CLIENTS, edits: EDITS };
try {
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
} finally {
  await browser.close();
  await team.stop();
  dataServer.close();
}

const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
const md = [
  '## Team mode (make bench-team: tests/e2e/bench/team.mjs)',
  '',
  `_${results.date}; Chromium pages of the release build and the team server (Hocuspocus 3.4.4, SQLite) on loopback; each client its own browser context._`,
  '',
  '| measure | value |',
  '|---|---|',
  `| update latency, Ann's key to Bob's list (${results.latency.edits} spans) | p50 ${results.latency.p50.toFixed(1)} ms, p95 ${results.latency.p95.toFixed(1)} ms, max ${results.latency.max.toFixed(1)} ms |`,
  `| convergence, ${CLIENTS} clients × ${EDITS} spans at once: all ${results.convergence.total} on every client | ${(results.convergence.fromFirstKeyMs / 1000).toFixed(1)} s after the first key, which is how long the ${results.convergence.total} mouse drags themselves take here (${CLIENTS} browsers on ${os.cpus().length} cores; ${results.convergence.selectionsRedone} drags redone: a span arriving mid-drag redraws the paragraph). ${results.convergence.afterDragsMs <= 0 ? 'Every client had all of them when the drags ended' : `Every client had all of them ${results.convergence.afterDragsMs.toFixed(0)} ms after the drags ended`} |`,
  `| server memory per 1,000 annotations (resident, before and after) | ${kb(results.server.rssPer1000Bytes)} (${(results.server.rssSharedBytes / 2 ** 20).toFixed(1)} → ${(results.server.rssAfterBytes / 2 ** 20).toFixed(1)} MB) |`,
  `| stored per 1,000 annotations (the document's SQLite row) | ${kb(results.server.storedPer1000Bytes)} |`,
  '',
].join('\n');
fs.writeFileSync(path.join(root, 'bench', 'team-results.json'), JSON.stringify(results, null, 2) + '\n');
fs.writeFileSync(path.join(root, 'bench', 'team.md'), md);
console.log('wrote bench/team-results.json and bench/team.md');
