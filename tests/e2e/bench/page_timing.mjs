// How the benchmarks time the page, shared by run.mjs (`make bench`) and team.mjs
// (`make bench-team`): the instrumentation installed before any page script, the timing of one
// key press, the edit measures (add by a mouse selection and a key, relabel, delete, undo) and
// the statistics they are given as.
import { dragSelect, clickChar, charRect } from '../helpers.mjs';

// Installed before any page script: paint detection, save timings, long tasks, wasm memory,
// and `arm(type, key)`, which times one input event to the next frame.
export function instrument() {
  window.__bench = { saves: [], longtasks: [], drawn: [] };
  addEventListener('TrunkApplicationStarted', (e) => { window.__bench.wasm = e.detail.wasm; });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name === 'aa-save') window.__bench.saves.push(e.duration);
      // The arcs' layout (src/components/relation_arcs.rs), whenever it runs.
      if (e.name === 'relations-drawn') window.__bench.drawn.push({ start: e.startTime, duration: e.duration });
    }
  }).observe({ type: 'measure', buffered: true });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__bench.longtasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch { /* not supported */ }
  const poll = () => {
    if (document.querySelector('article mark')) {
      requestAnimationFrame(() => requestAnimationFrame(() => { window.__bench.painted = performance.now(); }));
    } else {
      requestAnimationFrame(poll);
    }
  };
  requestAnimationFrame(poll);
  // `key`, when given, is the one key event to time: `Control+z` also sends a keydown for
  // Control alone, which must not start the clock. `script` runs from the first listener
  // (capture, on window) to the last (bubble, on window): every listener the app has in between,
  // and the microtasks they queue (yew renders in one), run inside that span. It leaves out the
  // wait for the next frame, which depends on where in the 16.7 ms vsync interval the key fell.
  window.__bench.arm = (type, key) => new Promise((resolve) => {
    let t0 = null;
    let script = null;
    const start = (event) => {
      if (key && event.key !== key) return;
      removeEventListener(type, start, { capture: true });
      t0 = performance.now();
      requestAnimationFrame(() => {
        const frame = performance.now() - t0;
        removeEventListener(type, end);
        requestAnimationFrame(() => resolve({ script: script ?? frame, frame, painted: performance.now() - t0, t0 }));
      });
    };
    const end = (event) => {
      if (t0 === null || (key && event.key !== key)) return;
      removeEventListener(type, end);
      script = performance.now() - t0;
    };
    addEventListener(type, start, { capture: true });
    addEventListener(type, end);
  });
}

export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : null; };
export const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] : null; };
export const stats = (xs) => ({ median: median(xs), p95: p95(xs), runs: xs.length, max: xs.length ? Math.max(...xs) : null });
export const round = (x, d = 1) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);

/** Clicks (by `click`, a function) and times the click event to the next frame. */
export async function timeClick(page, click) {
  await page.evaluate(() => { window.__bench.pending = window.__bench.arm('click'); });
  await click();
  return page.evaluate(() => window.__bench.pending);
}

/** Presses `key` and times it to the next frame: `{ script, frame, painted, t0 }` (ms; `t0` on the page's clock). */
export async function timeKey(page, key) {
  // Install the listener first (evaluate returns once it ran), then press, then collect.
  const last = key.split('+').pop();
  await page.evaluate((k) => { window.__bench.pending = window.__bench.arm('keydown', k); }, last);
  await page.keyboard.press(key);
  return page.evaluate(() => window.__bench.pending);
}

/**
 * The edits `make bench` times on a document `doc` (from generate.mjs) open in `page`, one at a
 * time: yields `{ kind, timing, related }` after each, `kind` one of add, relabel, delete, undo.
 *
 * - add: `runs` mouse selections of a word-ish range, each in the next tenth (runs-th) of the text,
 *   then the label key `e`;
 * - relabel, delete, undo: `runs` existing annotations spread through the list (with `related`,
 *   a set of annotation ids, the first from there on that has a relation), each selected by a
 *   click, then relabelled (`q` or `c`), deleted and the delete undone (Ctrl+Z).
 *
 * `timeEdit(page, key, kind)` presses the key and returns its timing (`timeKey` by default): a
 * caller can measure more around each edit. A generator, so that a caller can interleave the
 * same edits on two pages.
 */
export async function* edits(page, doc, runs, { related = new Set(), timeEdit = timeKey } = {}) {
  const text = Array.from(doc.text);
  for (let i = 0; i < runs; i++) {
    // A word-ish range in the i-th tenth of the text, clear of line breaks.
    let start = Math.floor(((i + 0.5) / runs) * (text.length - 80));
    while (text[start] === '\n' || text[start] === ' ') start++;
    let end = start + 12;
    while (text.slice(start, end).includes('\n')) end--;
    await dragSelect(page, [start, end]);
    yield { kind: 'add', timing: await timeEdit(page, 'e', 'add') };
  }
  for (let i = 0; i < runs; i++) {
    // With relations, the first annotation from there on that has one: its arcs are drawn while
    // it is selected, and a delete takes its relations with it.
    let k = Math.floor(((i + 0.5) / runs) * doc.annotations.length);
    while (related.size && k < doc.annotations.length - 1 && !related.has(doc.annotations[k].id)) k++;
    const target = doc.annotations[k];
    // Scroll there first and let the chunk get its highlights (drawn as it nears the viewport).
    await charRect(page, target.start);
    await page.waitForFunction((id) => document.querySelector(`article mark[data-id="${id}"]`), target.id);
    await clickChar(page, target.start);
    const { label, id } = await page.evaluate(() => ({ ...document.querySelector('article mark.selected')?.dataset }));
    if (!label) continue;
    const withRelations = related.has(id);
    yield { kind: 'relabel', related: withRelations, timing: await timeEdit(page, label === 'Claim' ? 'q' : 'c', 'relabel') };
    yield { kind: 'delete', related: withRelations, timing: await timeEdit(page, 'Delete', 'delete') };
    yield { kind: 'undo', related: withRelations, timing: await timeEdit(page, 'Control+z', 'undo') };
  }
}

/** Runs [`edits`] to the end: each kind's timings, and how many selected annotations had relations. */
export async function collectEdits(generator) {
  const done = { add: [], relabel: [], delete: [], undo: [], selectedRelated: 0 };
  for await (const { kind, timing, related } of generator) {
    done[kind].push(timing);
    if (kind === 'relabel' && related) done.selectedRelated++;
  }
  return done;
}
