// `make profile`: where the time goes on L, from Chromium's own sampling CPU profiler (CDP
// `Profiler`), for the phases the benchmark measures: opening a stored document, adding one
// annotation (mouse selection + key), relabelling, deleting and undoing a delete (on L+R, of
// annotations that have relations). Run against a build that keeps
// wasm function names (the Makefile builds one without wasm-opt), so Rust functions show by name.
//
//   node profile.mjs --dist DIR [--size L] [--out bench/profile.json] [--markdown bench/PROFILE.md]
//                    [--raw DIR]   (also writes each phase's .cpuprofile, for DevTools or scripts)
//                    [--interval MICROSECONDS]   (sampling interval, 200 by default)
//                    [--repeat N]   (each edit N times on different annotations; times are per edit)
//                    [--top N]   (functions listed per phase, 15 by default)
//
// Self time is summed per function over the phase (samples × interval); "inclusive" adds the time
// of everything a function called. Nothing here asserts anything.
import { chromium } from '@playwright/test';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS } from '../playwright.config.mjs';
import { dragSelect, clickChar, charRect } from '../helpers.mjs';
import { generate, SIZES } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => {
  if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
  return pairs;
}, []));
const dist = path.resolve(args.dist ?? path.join(root, 'target/profile-dist'));
const size = args.size ?? 'L';
const out = path.resolve(args.out ?? path.join(root, 'bench/profile.json'));
const markdown = path.resolve(args.markdown ?? path.join(root, 'bench/PROFILE.md'));
const raw = args.raw ? path.resolve(args.raw) : null;
const TOP = Number(args.top ?? 15);
const repeat = Number(args.repeat ?? 1);

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/__blank.html') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>blank</title>');
    return;
  }
  const file = path.join(dist, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname));
  fs.readFile(file, (err, data) => {
    if (err) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(data);
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${server.address().port}/`;

/** Wasm names come as `$name` or demangled paths; keep the readable part, drop hashes. */
function tidy(frame) {
  let name = frame.functionName || '(anonymous)';
  name = name.replace(/::h[0-9a-f]{16}$/, '').replace(/^\$/, '');
  if (frame.url && !frame.url.includes('wasm') && !name.startsWith('(')) name += ' [js]';
  return name.length > 110 ? name.slice(0, 107) + '…' : name;
}

/** Self and inclusive milliseconds per function in a CDP profile. */
function summarise(profiles, repeat) {
  const self = new Map(); const inclusive = new Map();
  let total = 0;
  for (const profile of profiles) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    const node = byId.get(id);
    const name = tidy(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + ms);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const n = tidy(byId.get(at).callFrame);
      if (seen.has(n)) continue;
      seen.add(n);
      inclusive.set(n, (inclusive.get(n) ?? 0) + ms);
    }
  });
  }
  for (const m of [self, inclusive]) for (const [k, v] of m) m.set(k, v / repeat);
  total /= repeat;
  const top = (m) => [...m].filter(([n]) => n !== '(root)').sort((a, b) => b[1] - a[1]).slice(0, TOP)
    .map(([name, ms]) => ({ name, ms: Math.round(ms * 10) / 10, share: Math.round((ms / total) * 1000) / 10 }));
  const idle = self.get('(idle)') ?? 0;
  return { totalMs: Math.round(total), busyMs: Math.round(total - idle), self: top(self), inclusive: top(inclusive) };
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const [chars, spanCount, relationCount] = SIZES[size];
const doc = generate(size, chars, spanCount, relationCount);
const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
const page = await context.newPage();
await page.goto(`${baseUrl}__blank.html`);
await page.evaluate((entries) => {
  localStorage.clear();
  for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
}, doc.storage);
const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: Number(args.interval ?? 200) });

const painted = () => page.evaluate(() => new Promise((resolve) => {
  const poll = () => (document.querySelector('article mark')
    ? requestAnimationFrame(() => requestAnimationFrame(resolve))
    : requestAnimationFrame(poll));
  poll();
}));
const nextFrames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** Profiles `act` `repeat` times (after `before`, unprofiled, each time) and sums the samples. */
async function phase(name, act, { before = async () => {}, repeat = 1 } = {}) {
  const profiles = [];
  let wall = 0;
  for (let i = 0; i < repeat; i++) {
    await before(i);
    await cdp.send('Profiler.start');
    const t0 = Date.now();
    await act(i);
    wall += Date.now() - t0;
    const { profile } = await cdp.send('Profiler.stop');
    profiles.push(profile);
  }
  if (raw) {
    fs.mkdirSync(raw, { recursive: true });
    profiles.forEach((profile, i) => fs.writeFileSync(path.join(raw, `${name.split(' ')[0]}-${i}.cpuprofile`), JSON.stringify(profile)));
  }
  const summary = { wallMs: Math.round(wall / repeat), repeat, ...summarise(profiles, repeat) };
  console.log(`${name}: ${summary.wallMs} ms wall, ${summary.busyMs} ms busy a time; top self: ${summary.self.slice(0, 3).map((f) => `${f.name} ${f.ms} ms`).join(', ')}`);
  return summary;
}

const phases = {};
await page.goto(baseUrl);
await painted();
phases.open = await phase('open (reload until painted)', async () => { await page.reload(); await painted(); });
const text = Array.from(doc.text);
// Scrolling somewhere brings new chunks near the viewport, which then get their highlights: let
// that finish, so each phase records the key press alone.
const settle = async () => { await page.waitForTimeout(300); await nextFrames(); };
phases.add = await phase('add one annotation (key e)', async () => { await page.keyboard.press('e'); await nextFrames(); }, {
  repeat,
  before: async (i) => {
    let start = Math.floor(((i + 0.5) / repeat) * (text.length - 80));
    while (text[start] === '\n' || text[start] === ' ') start++;
    let end = start + 12;
    while (text.slice(start, end).includes('\n')) end--;
    await dragSelect(page, [start, end]);
    await settle();
  },
});
// With relations (L+R), annotations that have some, as the benchmark picks them.
const related = new Set((doc.relations ?? []).flatMap((r) => [r.from, r.to]));
// Each phase its own annotations: the delete phase's are gone by the undo phase.
const targetsAt = (at) => Array.from({ length: repeat }, (_, i) => {
  let k = Math.floor(((i + at) / repeat) * doc.annotations.length);
  while (related.size && k < doc.annotations.length - 1 && !related.has(doc.annotations[k].id)) k++;
  return doc.annotations[k];
});
const targets = { relabel: targetsAt(0.5), delete: targetsAt(0.5), undo: targetsAt(0.75) };
const select = (phaseTargets) => async (i) => {
  const target = phaseTargets[i];
  await charRect(page, target.start);
  await page.waitForFunction((id) => document.querySelector(`article mark[data-id="${id}"]`), target.id);
  await clickChar(page, target.start);
  await settle();
};
phases.relabel = await phase('relabel (key q/c)', async () => {
  const label = await page.evaluate(() => document.querySelector('article mark.selected')?.dataset.label);
  await page.keyboard.press(label === 'Claim' ? 'q' : 'c');
  await nextFrames();
}, { repeat, before: select(targets.relabel) });
phases.delete = await phase('delete (key Delete)', async () => { await page.keyboard.press('Delete'); await nextFrames(); }, { repeat, before: select(targets.delete) });
phases.undo = await phase('undo (Control+z)', async () => { await page.keyboard.press('Control+z'); await nextFrames(); }, {
  repeat,
  before: async (i) => { await select(targets.undo)(i); await page.keyboard.press('Delete'); await settle(); },
});
await browser.close();
server.close();

const result = { date: new Date().toISOString(), size, chars: text.length, spans: doc.annotations.length, phases };
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
const lines = [`# CPU profile, ${size} (${text.length.toLocaleString('en')} characters, ${doc.annotations.length.toLocaleString('en')} spans)`, '',
  `_Generated by \`make profile\` (tests/e2e/bench/profile.mjs) on ${result.date}: Chromium's sampling profiler (200 µs) over a release build without wasm-opt, so wasm functions keep their names. ${repeat > 1 ? `Each edit ${repeat} times on different annotations, times per edit` : 'One run'}: shares matter, not absolute times._`, ''];
for (const [name, p] of Object.entries(phases)) {
  lines.push(`## ${name}: ${p.wallMs} ms wall, ${p.busyMs} ms busy${p.repeat > 1 ? ` (mean of ${p.repeat})` : ''}`, '', '| self | ms | share | | inclusive | ms | share |', '|---|---|---|---|---|---|---|');
  for (let i = 0; i < TOP; i++) {
    const s = p.self[i]; const c = p.inclusive[i];
    lines.push(`| ${s ? '`' + s.name.replace(/\|/g, '\\|') + '`' : ''} | ${s?.ms ?? ''} | ${s ? s.share + '%' : ''} | | ${c ? '`' + c.name.replace(/\|/g, '\\|') + '`' : ''} | ${c?.ms ?? ''} | ${c ? c.share + '%' : ''} |`);
  }
  lines.push('');
}
fs.writeFileSync(markdown, lines.join('\n'));
console.log(`wrote ${path.relative(root, out)} and ${path.relative(root, markdown)}`);
