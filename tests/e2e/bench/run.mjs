// `make bench`: measures the release build in headless Chromium against the browser's own floor
// (the same text as plain paragraphs) and writes bench/results.json and BENCHMARKS.md.
//
//   node run.mjs [--sizes S,M,L,L+R] [--runs N] [--out DIR] [--markdown FILE|none] [--render-only 1]
//
// "L+R" (and "S+R", for the smoke) is the L (S) document with relations and attribute values
// (tests/e2e/bench/generate.mjs); it adds the link, set-attribute and "Show all relations" rows,
// and its edits are also given as a ratio to L's when both ran.
//
// Timings are medians and p95 over repeated runs, and every page timing is also given as a ratio
// to the floor measured in the same run: these machines are shared and noisy, so only same-run
// ratios are comparable. Nothing here asserts a time; `make test` runs a tiny S smoke of it.
import { chromium } from '@playwright/test';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS } from '../playwright.config.mjs';
import { dragSelect, clickChar, charRect } from '../helpers.mjs';
import { generate, SIZES } from './generate.mjs';
import {
  instrument, stats, round, timeClick, timeKey, edits, collectEdits,
} from './page_timing.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => {
  if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
  return pairs;
}, []));
const dist = path.resolve(args.dist ?? path.join(root, 'dist'));
const sizes = (args.sizes ?? 'S,M,L,L+R').split(',');
const runs = Number(args.runs ?? 9);
const outDir = path.resolve(args.out ?? path.join(root, 'bench'));
const markdown = args.markdown === 'none' ? null : path.resolve(args.markdown ?? path.join(root, 'BENCHMARKS.md'));

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/__blank.html') {
      // Storage is seeded from a page without the app, which would otherwise save its own
      // (empty) state over it when the page is left.
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>blank</title>');
      return;
    }
    const file = url.pathname === '/__floor.html'
      ? path.join(here, 'floor.html')
      : path.join(dist, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname));
    if (!file.startsWith(dist) && !file.startsWith(here)) { res.writeHead(403).end(); return; }
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function heapBytes(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

async function timeOpen(page, url) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    await page.goto(url);
    await page.waitForFunction(() => window.__bench && window.__bench.painted, null, { timeout: 120_000 });
    times.push(await page.evaluate(() => window.__bench.painted));
  }
  return times;
}

/** The `relations-drawn` measures recorded since the last call, as [{start, duration}]. */
const takeDrawn = (page) => page.evaluate(() => window.__bench.drawn.splice(0));

async function measureSize(browser, baseUrl, name) {
  const [chars, spanCount, relationCount] = SIZES[name];
  const doc = generate(name, chars, spanCount, relationCount);
  const related = new Set(doc.relations.flatMap((r) => [r.from, r.to]));
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`  ${name}: page error: ${e.message}`));
  if (process.env.BENCH_DEBUG) page.on('console', (m) => console.log(`  ${name}: console: ${m.text()}`));
  await page.goto(`${baseUrl}__blank.html`);
  await page.evaluate((entries) => {
    localStorage.clear();
    for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
  }, doc.storage);

  const result = {
    chars: Array.from(doc.text).length,
    spans: doc.annotations.length,
    relations: doc.relations.length,
    withAttributes: doc.annotations.filter((a) => a.attributes).length,
  };
  const step = (what) => { if (process.env.BENCH_DEBUG) console.log(`  ${name}: ${what}`); };
  // (1) open a stored document until its highlights are painted; the floor the same way.
  const open = await timeOpen(page, baseUrl);
  const memoryApp = await heapBytes(page);
  const wasmBytes = await page.evaluate(() => window.__bench.wasm?.memory?.buffer?.byteLength ?? 0);
  const floorPage = await context.newPage();
  const floor = await timeOpen(floorPage, `${baseUrl}__floor.html`);
  const memoryFloor = await heapBytes(floorPage);
  await floorPage.close();
  result.open = stats(open);
  result.floor = stats(floor);
  result.openRatio = round(result.open.median / result.floor.median, 2);
  result.memory = { jsHeap: memoryApp, wasm: wasmBytes, floorJsHeap: memoryFloor, ratio: round((memoryApp + wasmBytes) / memoryFloor, 2) };

  step('opened');
  // (2) add one annotation by a mouse selection and a key, in different paragraphs; (3) relabel,
  // delete and undo of existing annotations, selected by clicking them (page_timing.mjs).
  const { add, relabel, delete: del, undo, selectedRelated } = await collectEdits(edits(page, doc, runs, { related }));
  result.add = { script: stats(add.map((r) => r.script)), frame: stats(add.map((r) => r.frame)), painted: stats(add.map((r) => r.painted)) };
  step('added');
  result.relabel = stats(relabel.map((r) => r.script));
  result.delete = stats(del.map((r) => r.script));
  result.undo = stats(undo.map((r) => r.script));
  if (related.size) {
    result.selectedWithRelations = `${selectedRelated} of ${relabel.length}`;
    result.drawnDuringEdits = stats((await takeDrawn(page)).map((d) => d.duration));
    step('edited');
    Object.assign(result, await measureRelations(page, doc, related));
    step('relations');
  } else {
    step('edited');
  }

  // (5) the save of this document after those edits: its own measure, and any long task.
  await page.waitForFunction(() => window.__bench.saves.length > 0, null, { timeout: 30_000 });
  result.save = stats(await page.evaluate(() => window.__bench.saves));
  result.longestTask = await page.evaluate(() => (window.__bench.longtasks.length ? Math.max(...window.__bench.longtasks) : 0));

  step('saved');
  // (4) export to native JSON and to JSONL: from the click on the menu entry to the file handed
  // to the browser. CSS locators: role queries scan the whole accessibility tree, slow with
  // 10,000 spans.
  const timeExport = async (entry) => {
    await page.locator('.export-menu > button').click();
    await page.locator('#export-menu .menu-scope', { hasText: 'This article' }).click();
    await page.evaluate(() => {
      const original = URL.createObjectURL;
      window.__bench.exported = new Promise((resolve) => {
        addEventListener('click', () => {
          const t0 = performance.now();
          URL.createObjectURL = (blob) => { resolve(performance.now() - t0); URL.createObjectURL = original; return original.call(URL, blob); };
        }, { capture: true, once: true });
      });
    });
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 120_000 }),
      page.locator("#export-menu").getByRole("menuitem", { name: entry, exact: true }).click(),
    ]);
    await download.cancel().catch(() => {});
    return page.evaluate(() => window.__bench.exported);
  };
  const exportTimes = [];
  const jsonlTimes = [];
  for (let i = 0; i < Math.min(runs, 5); i++) {
    exportTimes.push(await timeExport('Native JSON'));
    jsonlTimes.push(await timeExport('JSONL (spaCy / Prodigy / Hugging Face)'));
  }
  result.exportNative = stats(exportTimes);
  result.exportJsonl = stats(jsonlTimes);
  step('exported');
  Object.assign(result, await measureSuggestions(page, doc));
  step('suggested');
  Object.assign(result, await measureFind(page));
  step('found');
  Object.assign(result, await measureTextFix(page, doc));
  step('text fixed');
  Object.assign(result, await measureCompare(page, doc, name));
  step('compared');
  await context.close();
  return result;
}

/**
 * #15 on this size: two annotators' native files of the article (the second with every 7th
 * span's end moved and every 11th relabelled) picked in Compare…, timed from the file field's
 * change to the report drawn (the module's formats worker reads both, the core pairs them and
 * computes every measure); then "Adjudicate" clicked, timed to the first difference drawn
 * (the adjudication saved, read back, the differences lined up). Each run starts afresh.
 */
async function measureCompare(page, doc, name) {
  const native = (shift) => JSON.stringify({
    format: 'article-annotator', version: 2, offset_unit: 'codepoint',
    documents: [{
      id: doc.id, title: `Benchmark ${name}`, text: doc.text,
      created: '2026-11-29T00:00:00.000Z', modified: '2026-11-29T00:00:00.000Z',
      annotations: doc.annotations.map((a, i) => {
        const moved = shift && i % 7 === 0 && a.end - a.start > 1;
        const relabelled = shift && i % 11 === 0;
        const end = moved ? a.end - 1 : a.end;
        const label = relabelled ? ({ quote: 'claim', entity: 'quote', claim: 'entity' })[a.label] : a.label;
        return { id: a.id, label, start: a.start, end, text: Array.from(a.text).slice(0, end - a.start).join('') };
      })
        // A relabelled span must not land on one the file already has.
        .filter((a, i, all) => all.findIndex((b) => b.start === a.start && b.end === a.end && b.label === a.label) === i),
      relations: [],
    }],
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-compare-'));
  const files = [['ann', native(false)], ['bob', native(true)]].map(([who, json]) => {
    const file = path.join(dir, `${who}.json`);
    fs.writeFileSync(file, json);
    return file;
  });
  const reportRuns = [];
  const adjudicateRuns = [];
  try {
    for (let i = 0; i < Math.min(runs, 3); i++) {
      await page.getByRole('button', { name: 'Compare…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Compare annotators' });
      await dialog.waitFor();
      await page.evaluate(() => {
        window.__bench.reported = new Promise((resolve) => {
          addEventListener('change', () => {
            const t0 = performance.now();
            const poll = () => {
              const done = document.querySelector('.compare-status')?.textContent === 'Comparing 2 annotators.'
                && document.querySelector('.agreement-table');
              if (done) requestAnimationFrame(() => resolve(performance.now() - t0));
              else requestAnimationFrame(poll);
            };
            poll();
          }, { capture: true, once: true });
        });
      });
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        dialog.getByRole('button', { name: "Add annotators' files…" }).click(),
      ]);
      await chooser.setFiles(files);
      reportRuns.push(await page.evaluate(() => window.__bench.reported));
      await page.evaluate(() => {
        window.__bench.adjudicating = new Promise((resolve) => {
          addEventListener('click', () => {
            const t0 = performance.now();
            const poll = () => {
              const failed = document.querySelector('.adjudication [role="alert"], .compare-problem');
              if (failed) resolve(`the adjudication did not open: ${failed.textContent}`);
              else if (document.querySelector('.adj-current')) requestAnimationFrame(() => resolve(performance.now() - t0));
              else requestAnimationFrame(poll);
            };
            poll();
          }, { capture: true, once: true });
        });
      });
      await dialog.getByRole('button', { name: /^Adjudicate / }).first().click();
      const opened = await page.evaluate(() => window.__bench.adjudicating);
      if (typeof opened === 'string') throw new Error(`${name}: ${opened}`);
      adjudicateRuns.push(opened);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      await page.evaluate(() => Object.keys(localStorage)
        .filter((k) => k.startsWith('article-annotator-adjudication:'))
        .forEach((k) => localStorage.removeItem(k)));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { compareReport: stats(reportRuns), adjudicateOpen: stats(adjudicateRuns) };
}

/**
 * The find bar on the whole article: Ctrl+F until the bar is drawn with its field focused (the
 * text folded for case- and accent-insensitive search, once per opening), and a query typed
 * until the count is drawn (one search over the folded text, the matches near the screen
 * drawn). Closed with Escape in between; the selection it leaves is dropped.
 */
async function measureFind(page) {
  const openRuns = [];
  const queryRuns = [];
  let count = 0;
  for (let i = 0; i < Math.min(runs, 5); i++) {
    await page.locator('article[aria-label="Article"]').focus();
    await page.evaluate(() => {
      window.__bench.findOpened = new Promise((resolve) => {
        addEventListener('keydown', () => {
          const t0 = performance.now();
          const poll = () => {
            const field = document.querySelector('.find-bar input[type="search"]');
            if (field && document.activeElement === field) requestAnimationFrame(() => resolve(performance.now() - t0));
            else requestAnimationFrame(poll);
          };
          poll();
        }, { capture: true, once: true });
      });
    });
    await page.keyboard.press('Control+f');
    openRuns.push(await page.evaluate(() => window.__bench.findOpened));
    const [time, words] = await page.evaluate(() => new Promise((resolve) => {
      const field = document.querySelector('.find-bar input[type="search"]');
      const t0 = performance.now();
      field.value = 'Mao Ning';
      field.dispatchEvent(new InputEvent('input', { bubbles: true }));
      const poll = () => {
        const words = document.querySelector('.find-count')?.textContent ?? '';
        if (/ of [0-9]/.test(words)) requestAnimationFrame(() => resolve([performance.now() - t0, words]));
        else requestAnimationFrame(poll);
      };
      poll();
    }));
    queryRuns.push(time);
    count = Number(/ of ([0-9,]+)/.exec(words)?.[1]?.replace(/,/g, '') ?? 0);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  }
  return { findOpen: stats(openRuns), findQuery: stats(queryRuns), findCount: count };
}

/**
 * Fixing the text: in the Fix text dialog a character goes in between two spans (a typo
 * fixed: no span orphaned) and "Apply the change" is clicked. Timed: the re-anchoring (the
 * `aa-text-fix` measure around `fix_text`: the smallest change of the 1 MB text found, the new
 * text indexed, every span placed, the document rebuilt), and from the click to the status
 * drawn (which includes handing the fixed document to the page, not the page's redraw).
 */
async function measureTextFix(page, doc) {
  const chars = Array.from(doc.text);
  const spans = [...doc.annotations].sort((a, b) => a.start - b.start);
  const gaps = [];
  let reach = 0;
  for (const a of spans) {
    if (a.start > reach + 1) gaps.push(reach + 1);
    reach = Math.max(reach, a.end);
  }
  const runs = [];
  const reanchor = [];
  for (let i = 0; i < 3 && i < gaps.length; i++) {
    await page.locator('.fix-text-button').click();
    await page.locator('.text-fix-dialog').waitFor();
    // Gaps from the end first: an insertion never moves a gap still to come.
    const at = chars.slice(0, gaps[gaps.length - 1 - i]).join('').length;
    await page.locator('#text-fix-text').evaluate((area, at) => {
      area.value = `${area.value.slice(0, at)}x${area.value.slice(at)}`;
      area.dispatchEvent(new InputEvent('input', { bubbles: true }));
    }, at);
    const time = await page.evaluate(() => new Promise((resolve) => {
      const button = [...document.querySelectorAll('.text-fix-dialog button')].find((b) => b.textContent === 'Apply the change');
      const t0 = performance.now();
      button.click();
      const poll = () => {
        if (document.querySelector('.text-fix-status')?.textContent.startsWith('The text was changed')) {
          resolve(performance.now() - t0);
        } else requestAnimationFrame(poll);
      };
      poll();
    }));
    runs.push(time);
    reanchor.push(await page.evaluate(() => performance.getEntriesByName('aa-text-fix', 'measure').at(-1)?.duration));
    const status = await page.locator('.text-fix-status').textContent();
    if (!status.includes('10,000') && !/kept their text\.$/.test(status)) console.warn(`text fix: ${status}`);
    await page.locator('.text-fix-dialog button', { hasText: 'Close' }).click();
    await page.locator('.text-fix-dialog').waitFor({ state: 'detached' });
  }
  return { textFix: stats(runs), reanchor: stats(reanchor) };
}

/**
 * Suggestions: "Tag all" from a name just tagged (a name the generator uses about once every
 * 110 words: over 1,000 places in L), and "Quotes and speakers" in the Suggest dialog. Each from
 * the click to the suggestions drawn (the `suggestion` CSS highlight set, then the next frame),
 * with the dialogs module already loaded (a first, untimed run loads it). "Dismiss all" between
 * runs.
 */
async function measureSuggestions(page, doc) {
  const NAME = 'Mao Ning';
  const text = Array.from(doc.text);
  const at = text.join('').indexOf(NAME);
  const start = Array.from(doc.text.slice(0, at)).length;
  await dragSelect(page, [start, start + Array.from(NAME).length]);
  // As a claim: the generated entities may hold this very span already.
  await page.keyboard.press('c');
  const timeRun = async (click, prepare = async () => {}) => {
    await prepare();
    // The clock starts at the click (capture) and stops at the frame after the drawing.
    await page.evaluate(() => {
      window.__bench.suggested = new Promise((resolve) => {
        addEventListener('click', () => {
          const t0 = performance.now();
          const poll = () => {
            const drawn = CSS.highlights.get('suggestion');
            if (drawn && drawn.size > 0) requestAnimationFrame(() => resolve(performance.now() - t0));
            else requestAnimationFrame(poll);
          };
          poll();
        }, { capture: true, once: true });
      });
    });
    await click();
    const time = await page.evaluate(() => window.__bench.suggested);
    const status = await page.locator('.suggestion-status').textContent();
    await page.locator('.suggestion-bar button', { hasText: 'Dismiss all' }).click();
    await page.waitForFunction(() => !CSS.highlights.get('suggestion'));
    return { time, count: Number(/ of ([0-9]+)/.exec(status)?.[1] ?? 0) };
  };
  const tagAll = () => page.locator('.label-bar button', { hasText: 'Tag all' }).click();
  const openDialog = async () => {
    await page.locator('.suggest-button').click();
    await page.locator('.suggest-dialog').waitFor();
  };
  const quotes = () => page.locator('.suggest-dialog button', { hasText: 'Quotes and speakers' }).click();
  await timeRun(tagAll); // loads the dialogs module
  const tagAllRuns = [];
  const quoteRuns = [];
  for (let i = 0; i < Math.min(runs, 5); i++) {
    tagAllRuns.push(await timeRun(tagAll));
    quoteRuns.push(await timeRun(quotes, openDialog));
  }
  return {
    tagAll: stats(tagAllRuns.map((r) => r.time)),
    tagAllCount: tagAllRuns[0]?.count ?? 0,
    quotes: stats(quoteRuns.map((r) => r.time)),
    quotesCount: quoteRuns[0]?.count ?? 0,
  };
}

/**
 * The rows of a document with relations: a link finished by clicking a highlight, an attribute
 * value set by its number key, and "Show all relations" turned on and off over the paragraphs in
 * view.
 */
async function measureRelations(page, doc, related) {
  const n = doc.annotations.length;
  const linked = new Set(doc.relations.flatMap((r) => [`${r.from} ${r.to}`, `${r.to} ${r.from}`]));
  const relationTotal = () => page.evaluate(() => Number(document.querySelector('.relation-toggle')?.textContent.match(/\((\d+)\)/)?.[1]));
  // Spread over the document: 0.618… apart (mod 1), so retries land elsewhere.
  const spread = (i, offset) => Math.floor(((offset + i * 0.6180339887) % 1) * n);
  const select = async (annotation) => {
    await charRect(page, annotation.start);
    await page.waitForFunction((id) => document.querySelector(`article mark[data-id="${id}"]`), annotation.id);
    await clickChar(page, annotation.start);
    return page.evaluate(() => document.querySelector('article mark.selected')?.dataset.id);
  };
  await takeDrawn(page);

  // Link: select, R, click a nearby highlight not yet linked to it. Only presses that made a
  // relation (the toggle's count went up by one) are kept; a target that was already linked by
  // that type makes none, and is tried again elsewhere.
  const link = [];
  let linkMissed = 0;
  for (let i = 0; link.length < runs && i < runs * 4; i++) {
    const k = spread(i, 0.3);
    const source = doc.annotations[k];
    const target = doc.annotations.slice(k + 1, k + 16)
      .find((a) => a.start >= source.end && a.start < source.end + 400 && !linked.has(`${source.id} ${a.id}`));
    if (!target) continue;
    const from = await select(source);
    if (!from) continue;
    await page.keyboard.press('r');
    await page.waitForSelector('#link-filter');
    const before = await relationTotal();
    await charRect(page, target.start); // in view before the clock starts
    const timing = await timeClick(page, () => clickChar(page, target.start));
    if ((await relationTotal()) === before + 1) {
      link.push(timing);
    } else {
      linkMissed++;
      if (await page.locator('#link-filter').count()) await page.keyboard.press('Escape');
    }
  }
  const drawnLink = (await takeDrawn(page)).map((d) => d.duration);

  // Set attribute: the first choice attribute's value by its number key (1, or 2 when it is
  // already the first value), read back from the side panel's dropdown.
  const attr = [];
  for (let i = 0; attr.length < runs && i < runs * 3; i++) {
    const annotation = doc.annotations[spread(i, 0.1)];
    if (!(await select(annotation))) continue;
    const field = () => page.evaluate(() => {
      const s = document.querySelector('select[aria-keyshortcuts]');
      return s ? { value: s.value, values: [...s.options].map((o) => o.value) } : null;
    });
    const before = await field();
    if (!before) continue;
    const digit = before.value === before.values[1] ? '2' : '1';
    const timing = await timeKey(page, digit);
    if ((await field())?.value === before.values[Number(digit)]) attr.push(timing);
  }
  const drawnAttr = (await takeDrawn(page)).map((d) => d.duration);

  // Show all relations: nothing selected, the paragraphs at the i-th ninth of the text in view
  // and highlighted; click the toggle on (timed until the arcs are laid out and rendered), then
  // off.
  const show = []; const hide = []; const drawnShow = []; const arcs = []; const marks = [];
  const toggle = page.locator('.relation-toggle');
  const text = Array.from(doc.text);
  for (let i = 0; i < runs; i++) {
    let at = Math.floor(((i + 0.5) / runs) * (text.length - 1));
    while (at < text.length - 1 && (text[at] === '\n' || text[at] === ' ')) at++;
    await charRect(page, at);
    await page.keyboard.press('Escape');
    // The chunks near the new position get their highlights from an IntersectionObserver:
    // wait until the number of highlights stops changing.
    await page.waitForFunction(() => {
      const count = document.querySelectorAll('article mark').length;
      const same = count === window.__bench.marks;
      window.__bench.marks = count;
      return same && count > 0;
    }, null, { polling: 150, timeout: 30_000 });
    await takeDrawn(page);
    // The arcs' layout measures every highlight in the article, and chunks keep theirs once they
    // have been near the viewport: how many there are says what it had to go through.
    marks.push(await page.evaluate(() => document.querySelectorAll('article mark').length));
    const on = await timeClick(page, () => toggle.click());
    const drawn = (await takeDrawn(page)).filter((d) => d.start >= on.t0);
    if (!drawn.length || (await toggle.getAttribute('aria-pressed')) !== 'true') {
      throw new Error('"Show all relations" drew nothing');
    }
    // Until the arcs are laid out, if that ran after the bubble listener.
    const end = Math.max(...drawn.map((d) => d.start + d.duration)) - on.t0;
    show.push({ ...on, script: Math.max(on.script, end) });
    drawnShow.push(...drawn.map((d) => d.duration));
    arcs.push(await page.locator('svg.relation-arcs g.arc').count());
    hide.push(await timeClick(page, () => toggle.click()));
    await takeDrawn(page);
  }
  return {
    link: stats(link.map((r) => r.script)),
    linkMissed,
    drawnDuringLink: stats(drawnLink),
    setAttribute: stats(attr.map((r) => r.script)),
    drawnDuringSetAttribute: stats(drawnAttr),
    showAll: {
      script: stats(show.map((r) => r.script)),
      frame: stats(show.map((r) => r.frame)),
      painted: stats(show.map((r) => r.painted)),
    },
    relationsDrawn: stats(drawnShow),
    arcs: stats(arcs),
    marks: stats(marks),
    hideAll: stats(hide.map((r) => r.script)),
  };
}

function distSizes() {
  const files = fs.readdirSync(dist, { recursive: true })
    .filter((f) => !path.basename(f).startsWith('.') && fs.statSync(path.join(dist, f)).isFile());
  // index.html names (by path from the root) everything the page loads before it runs; the
  // rest (the formats worker, the schema editor) is loaded on first use.
  const index = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const rows = files.sort().map((f) => {
    const data = fs.readFileSync(path.join(dist, f));
    const first = f === 'index.html' || index.includes(`/${f}`);
    return { file: f, raw: data.length, gzip: zlib.gzipSync(data, { level: 9 }).length, firstLoad: first };
  });
  const sum = (list, key) => list.reduce((a, r) => a + r[key], 0);
  const first = rows.filter((r) => r.firstLoad);
  return {
    files: rows, raw: sum(rows, 'raw'), gzip: sum(rows, 'gzip'),
    firstLoadRaw: sum(first, 'raw'), firstLoadGzip: sum(first, 'gzip'),
  };
}

const ms = (x) => (x == null ? '–' : `${round(x)} ms`);
function renderMarkdown(results) {
  const lines = [];
  const notes = fs.existsSync(path.join(root, 'bench', 'NOTES.md')) ? fs.readFileSync(path.join(root, 'bench', 'NOTES.md'), 'utf8') : '';
  lines.push('# Benchmarks', '', '_Generated by `make bench` (tests/e2e/bench/run.mjs); the analysis at the end is bench/NOTES.md._', '');
  lines.push('## Machine and method', '');
  lines.push(`- ${results.machine.cpus} × ${results.machine.cpu}, ${results.machine.memoryGiB} GiB, ${results.machine.browser}, ${results.date}.`);
  lines.push(`- ${results.runs} runs per measure (exports: up to 5); median and p95. Documents are generated deterministically (tests/e2e/bench/generate.mjs).`);
  lines.push('- **Open**: navigation start to two `requestAnimationFrame`s after the first highlight exists, reloading a stored document. **Floor**: the same stored text shown as plain paragraphs in a `white-space: pre-wrap` element, timed the same way in the same run.');
  lines.push('- **Script before frame**: all script the key press runs before the browser can paint: from a `keydown` listener on `window` in the capture phase (before the app sees the key) to one in the bubble phase (after every app listener and the yew render they queue as a microtask). **To next frame** adds the wait for the next `requestAnimationFrame` (up to one 16.7 ms vsync interval); **until painted** is one frame later.');
  lines.push('- **Save**: the app\'s own `performance.measure("aa-save")` around writing changed documents and the index. **Longest task**: the longest `longtask` entry seen (the API reports only tasks over 50 ms; 0 means none).');
  lines.push('- **Memory**: JS heap after a forced GC (CDP `Runtime.getHeapUsage`) plus the wasm linear memory, against the floor page\'s JS heap.');
  lines.push('- **+R** is the same document with relations between nearby annotations (the types the default schema allows between their labels) and a value of the first attribute on every other annotation. Its relabel, delete and undo pick annotations that have relations. **Link**: an annotation selected, R pressed, then the click on another highlight that finishes the link (one `FinishLink` edit). **Set attribute**: the number key that sets the selected annotation\'s first attribute (one `SetAttribute` edit). **Show all relations**: nothing selected, the click on the toggle until the arcs of the relations in view are laid out (the app\'s `relations-drawn` measure) and rendered; **relations-drawn** is that measure alone. The ratio column of its edits is against the same edit on the plain document in the same run.', '');
  for (const [name, r] of Object.entries(results.sizes)) {
    const extra = r.relations ? `, ${r.relations.toLocaleString('en')} relations, attribute values on ${r.withAttributes.toLocaleString('en')} spans` : '';
    lines.push(`## ${name}: ${r.chars.toLocaleString('en')} characters, ${r.spans.toLocaleString('en')} spans${extra}`, '');
    // The plain document of a "+R" one, when it ran too: its edits are the yardstick.
    const base = name.endsWith('+R') ? results.sizes[name.slice(0, -2)] : null;
    const vs = (pick) => {
      const [mine, theirs] = [pick(r), base && pick(base)];
      return mine != null && theirs ? `${round(mine / theirs, 2)}× ${name.slice(0, -2)}` : '';
    };
    lines.push('| measure | median | p95 | ratio to floor |', '|---|---|---|---|');
    lines.push(`| open, painted | ${ms(r.open.median)} | ${ms(r.open.p95)} | ${r.openRatio}× |`);
    lines.push(`| floor (plain text), painted | ${ms(r.floor.median)} | ${ms(r.floor.p95)} | 1× |`);
    lines.push(`| add one annotation: script before frame | ${ms(r.add.script.median)} | ${ms(r.add.script.p95)} | ${vs((x) => x.add.script.median)} |`);
    if (r.add.frame) lines.push(`| add one annotation: to next frame | ${ms(r.add.frame.median)} | ${ms(r.add.frame.p95)} | |`);
    lines.push(`| add one annotation: until painted | ${ms(r.add.painted.median)} | ${ms(r.add.painted.p95)} | |`);
    lines.push(`| relabel: script before frame | ${ms(r.relabel.median)} | ${ms(r.relabel.p95)} | ${vs((x) => x.relabel.median)} |`);
    lines.push(`| delete: script before frame | ${ms(r.delete.median)} | ${ms(r.delete.p95)} | ${vs((x) => x.delete.median)} |`);
    lines.push(`| undo: script before frame | ${ms(r.undo.median)} | ${ms(r.undo.p95)} | ${vs((x) => x.undo.median)} |`);
    if (r.link) {
      lines.push(`| link (R, then click a highlight): script before frame | ${ms(r.link.median)} | ${ms(r.link.p95)} | |`);
      lines.push(`| set attribute (key 1–9): script before frame | ${ms(r.setAttribute.median)} | ${ms(r.setAttribute.p95)} | |`);
      lines.push(`| relations-drawn during the edits above (the selected annotation's arcs) | ${ms(r.drawnDuringEdits.median)} | ${ms(r.drawnDuringEdits.p95)} | ${r.drawnDuringEdits.runs} layouts |`);
      lines.push(`| show all relations (click → arcs drawn): script before frame | ${ms(r.showAll.script.median)} | ${ms(r.showAll.script.p95)} | |`);
      lines.push(`| show all relations: to next frame | ${ms(r.showAll.frame.median)} | ${ms(r.showAll.frame.p95)} | |`);
      lines.push(`| show all relations: until painted | ${ms(r.showAll.painted.median)} | ${ms(r.showAll.painted.p95)} | |`);
      lines.push(`| show all relations: relations-drawn measure | ${ms(r.relationsDrawn.median)} | ${ms(r.relationsDrawn.p95)} | ${r.arcs.median} arcs (median)${r.marks ? ` among ${r.marks.median.toLocaleString('en')} highlights` : ''} |`);
      lines.push(`| hide all relations: script before frame | ${ms(r.hideAll.median)} | ${ms(r.hideAll.p95)} | |`);
    }
    lines.push(`| save after an edit (aa-save) | ${ms(r.save.median)} | ${ms(r.save.p95)} | max ${ms(r.save.max)}${base ? `; ${vs((x) => x.save.median)}` : ''} |`);
    lines.push(`| longest main-thread task seen | ${ms(r.longestTask)} | | |`);
    lines.push(`| export to native JSON (click → file) | ${ms(r.exportNative.median)} | ${ms(r.exportNative.p95)} | |`);
    if (r.exportJsonl) lines.push(`| export to JSONL (click → file) | ${ms(r.exportJsonl.median)} | ${ms(r.exportJsonl.p95)} | |`);
    if (r.tagAll) lines.push(`| Tag all (click → suggestions drawn) | ${ms(r.tagAll.median)} | ${ms(r.tagAll.p95)} | ${r.tagAllCount.toLocaleString('en')} suggestions |`);
    if (r.reanchor) lines.push(`| Fix text: re-anchoring (aa-text-fix: change found, text indexed, spans placed) | ${ms(r.reanchor.median)} | ${ms(r.reanchor.p95)} | a typo between two spans, none orphaned |`);
    if (r.textFix) lines.push(`| Fix text: click Apply → status drawn | ${ms(r.textFix.median)} | ${ms(r.textFix.p95)} | |`);
    if (r.quotes) lines.push(`| Quotes and speakers (click → suggestions drawn) | ${ms(r.quotes.median)} | ${ms(r.quotes.p95)} | ${r.quotesCount.toLocaleString('en')} suggestions |`);
    if (r.findOpen) lines.push(`| Find: Ctrl+F → bar drawn, field focused (the text folded) | ${ms(r.findOpen.median)} | ${ms(r.findOpen.p95)} | |`);
    if (r.compareReport) lines.push(`| Compare: two annotators' files picked → report drawn | ${ms(r.compareReport.median)} | ${ms(r.compareReport.p95)} | |`);
    if (r.adjudicateOpen) lines.push(`| Adjudicate: click → first difference drawn | ${ms(r.adjudicateOpen.median)} | ${ms(r.adjudicateOpen.p95)} | ${round(r.adjudicateOpen.median / r.floor.median, 2)}× floor |`);
    if (r.findQuery) lines.push(`| Find: a query typed → count drawn | ${ms(r.findQuery.median)} | ${ms(r.findQuery.p95)} | ${r.findCount.toLocaleString('en')} matches |`);
    lines.push(`| memory: JS heap + wasm | ${(r.memory.jsHeap / 1e6).toFixed(1)} MB + ${(r.memory.wasm / 1e6).toFixed(1)} MB | | ${r.memory.ratio}× (floor ${(r.memory.floorJsHeap / 1e6).toFixed(1)} MB) |`);
    lines.push('');
  }
  lines.push('## Bundle', '', '| file | raw | gzip -9 |', '|---|---|---|');
  const when = (f) => (f.firstLoad === false ? ' (on first use)' : '');
  for (const f of results.dist.files) lines.push(`| ${f.file}${when(f)} | ${f.raw.toLocaleString('en')} B | ${f.gzip.toLocaleString('en')} B |`);
  if (results.dist.firstLoadGzip != null) {
    lines.push(`| **first load** | **${results.dist.firstLoadRaw.toLocaleString('en')} B** | **${results.dist.firstLoadGzip.toLocaleString('en')} B** |`);
  }
  lines.push(`| **total** | **${results.dist.raw.toLocaleString('en')} B** | **${results.dist.gzip.toLocaleString('en')} B** |`, '');
  if (results.native) {
    lines.push('## Native core (cargo bench -p annotator-core --bench core)', '', '| operation | median | p95 |', '|---|---|---|');
    for (const [k, v] of Object.entries(results.native)) lines.push(`| ${k} | ${ms(v.median)} | ${ms(v.p95)} |`);
    lines.push('');
  }
  // Team mode's numbers come from their own run (`make bench-team`, bench/team.mjs).
  const teamFile = path.join(root, 'bench', 'team.md');
  if (fs.existsSync(teamFile)) lines.push(fs.readFileSync(teamFile, 'utf8'));
  // The two sync engines measured before choosing (`make bench-engines`, team-server/bench/engines.mjs).
  const enginesFile = path.join(root, 'bench', 'engines.md');
  if (fs.existsSync(enginesFile)) lines.push(fs.readFileSync(enginesFile, 'utf8'));
  return lines.join('\n') + '\n' + (notes ? '\n' + notes : '');
}

if ('render-only' in args) {
  // Rewrites BENCHMARKS.md from bench/results.json (after editing bench/NOTES.md).
  const saved = JSON.parse(fs.readFileSync(path.join(outDir, 'results.json'), 'utf8'));
  saved.dist.files = saved.dist.files.filter((f) => !f.file.startsWith('.'));
  saved.dist.raw = saved.dist.files.reduce((a, r) => a + r.raw, 0);
  saved.dist.gzip = saved.dist.files.reduce((a, r) => a + r.gzip, 0);
  fs.writeFileSync(markdown, renderMarkdown(saved));
  console.log(`rewrote ${markdown}`);
  process.exit(0);
}

const server = await serve();
const baseUrl = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
const results = {
  date: new Date().toISOString(),
  runs,
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), browser: `Chromium ${browser.version()}` },
  sizes: {},
  dist: distSizes(),
};
try {
  for (const name of sizes) {
    process.stdout.write(`bench ${name}… `);
    results.sizes[name] = await measureSize(browser, baseUrl, name);
    const r = results.sizes[name];
    console.log(`open ${round(r.open.median)} ms (${r.openRatio}× floor), add ${round(r.add.script.median)} ms script, save ${round(r.save.median)} ms`
      + (r.link ? `, link ${round(r.link.median)} ms, set attribute ${round(r.setAttribute.median)} ms, show all ${round(r.showAll.script.median)} ms (relations-drawn ${round(r.relationsDrawn.median)} ms, ${r.arcs.median} arcs)` : ''));
  }
} finally {
  await browser.close();
  server.close();
}
const nativeFile = path.join(outDir, 'native.json');
if (fs.existsSync(nativeFile)) results.native = JSON.parse(fs.readFileSync(nativeFile, 'utf8'));
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
if (markdown) fs.writeFileSync(markdown, renderMarkdown(results));
// The smoke in `make test` relies on this: every measure produced a number.
for (const [name, r] of Object.entries(results.sizes)) {
  for (const key of ['open', 'floor', 'relabel', 'delete', 'undo', 'save', 'exportNative', 'exportJsonl', 'tagAll', 'quotes', 'findOpen', 'findQuery', 'reanchor', 'textFix', 'compareReport', 'adjudicateOpen']) {
    if (r[key].median == null) throw new Error(`${name}: no measurement for ${key}`);
  }
  if (r.add.script.median == null) throw new Error(`${name}: no measurement for add`);
  if (r.relations) {
    for (const key of ['link', 'setAttribute', 'relationsDrawn', 'hideAll']) {
      if (r[key].median == null) throw new Error(`${name}: no measurement for ${key}`);
    }
    if (r.showAll.script.median == null) throw new Error(`${name}: no measurement for showAll`);
  }
}
console.log(`wrote ${path.join(outDir, 'results.json')}${markdown ? ` and ${markdown}` : ''}`);
