// What a user does, as helpers: paste an article, select text with the mouse, read the list.
// Character positions are looked up in the DOM only to know where to put the mouse.
import { expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const article = (page) => page.getByRole('article', { name: 'Article' });
/**
 * A notice (the banner under the toolbar) says `text`, and the live regions read it out: the
 * banner has no live role of its own (components/live_region.rs).
 */
export async function expectNotice(page, text) {
  await expect(page.locator('.notices')).toContainText(text);
  await expect(page.locator('#live-polite, #live-assertive').filter({ hasText: text })).toHaveCount(1);
}

export const panel = (page) => page.getByRole('complementary', { name: 'Annotations' });

export async function pasteArticle(page, text, title) {
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByRole('textbox', { name: 'Article text' }).fill(text);
  if (title !== undefined) {
    await page.getByRole('textbox', { name: 'Title' }).fill(title);
  }
  await page.getByRole('button', { name: 'Annotate' }).click();
  await expect(article(page)).toBeVisible();
}

/** Code point offset of the `nth` occurrence (0-based) of `needle` in `text`. */
export function cp(text, needle, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`occurrence ${nth} of ${JSON.stringify(needle)} not found`);
  }
  return Array.from(text.slice(0, at)).length;
}

/** [start, end) in code points of the `nth` occurrence of `needle`. */
export function span(text, needle, nth = 0) {
  const start = cp(text, needle, nth);
  return [start, start + Array.from(needle).length];
}

/** The viewport rectangle of the code point at `offset` in the rendered article. */
export async function charRect(page, offset) {
  return page.evaluate((offset) => {
    const root = document.querySelector('article[aria-label="Article"]');
    for (const piece of root.querySelectorAll('[data-start]')) {
      const start = Number(piece.dataset.start);
      const chars = Array.from(piece.textContent);
      if (offset < start || offset >= start + chars.length) continue;
      let node = piece;
      while (node.firstChild) node = node.firstChild;
      const before = chars.slice(0, offset - start).join('').length;
      const range = document.createRange();
      range.setStart(node, before);
      range.setEnd(node, before + chars[offset - start].length);
      const rects = range.getClientRects();
      const rect = rects.length ? rects[0] : range.getBoundingClientRect();
      // Visible means below the sticky label bar and above the bottom of the window.
      const bar = document.querySelector('.label-bar').getBoundingClientRect();
      if (rect.top < bar.bottom + 4 || rect.bottom > window.innerHeight - 10) {
        piece.scrollIntoView({ block: 'center' });
        return null;
      }
      return { left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom };
    }
    throw new Error(`offset ${offset} not rendered`);
  }, offset).then(async (rect) => rect ?? (await settle(page), charRect(page, offset)));
}

/** Waits two frames: after a scroll, paragraphs laid out anew at their real heights (they wait at
 * an estimated one, `content-visibility: auto`) and the browser's scroll anchoring still move the
 * text for a frame. A person sees the page settle before pointing at a word. */
export async function settle(page) {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** The rectangle of code point `offset` once it stays put between two frames. */
async function settledRect(page, offset) {
  let rect = await charRect(page, offset);
  for (let i = 0; i < 10; i++) {
    await settle(page);
    const again = await charRect(page, offset);
    if (again.top === rect.top && again.left === rect.left) return again;
    rect = again;
  }
  return rect;
}

const mid = (r) => (r.top + r.bottom) / 2;

/** Drags the mouse from the start of code point `start` to the end of code point `end - 1`. */
export async function dragSelect(page, [start, end], { rtl = false } = {}) {
  await settledRect(page, start); // scrolls the start into view if needed
  const last = await charRect(page, end - 1);
  const first = await settledRect(page, start);
  await page.mouse.move(rtl ? first.right - 1 : first.left + 1, mid(first));
  await page.mouse.down();
  await page.mouse.move(rtl ? last.left + 1 : last.right - 1, mid(last), { steps: 10 });
  await page.mouse.up();
  await expectSelected(page);
}

/** Waits until the label bar shows a text selection, as a person would before pressing a key. */
export async function expectSelected(page) {
  await expect(page.locator('.selection-status')).toContainText('Selected');
}

/** Double-clicks the word around code point `offset`. */
export async function doubleClickWord(page, offset) {
  const r = await charRect(page, offset);
  await page.mouse.dblclick((r.left + r.right) / 2, mid(r));
  await expectSelected(page);
}

/** Clicks the middle of code point `offset` (a highlight, or plain text). */
export async function clickChar(page, offset) {
  const r = await charRect(page, offset);
  await page.mouse.click((r.left + r.right) / 2, mid(r));
}

/** Clicks just before code point `start`, then shift-clicks just after code point `end - 1`. */
export async function shiftClickSelect(page, [start, end]) {
  const first = await charRect(page, start);
  await page.mouse.click(first.left + 1, mid(first));
  const last = await charRect(page, end - 1);
  await page.keyboard.down('Shift');
  await page.mouse.click(last.right - 1, mid(last));
  await page.keyboard.up('Shift');
  await expectSelected(page);
}

/** The selection status line: what the label bar says is selected. */
export const status = (page) => page.locator('.selection-status');

export async function expectCount(page, n) {
  await expect(panel(page).getByRole('heading', { level: 2 })).toHaveText(`Annotations (${n})`);
}

export async function expectLabelCounts(page, quote, entity, claim) {
  const counts = panel(page).getByRole('list', { name: 'Counts per label' });
  await expect(counts).toHaveText(new RegExp(`Quote\\s*${quote}\\s*Entity\\s*${entity}\\s*Claim\\s*${claim}`));
}

/** The annotation list rows as [label, excerpt] pairs, in list order. */
export async function listedAnnotations(page) {
  return panel(page).locator('.annotation-row').evaluateAll((rows) =>
    rows.map((r) => [r.querySelector('.tag').textContent.toLowerCase(), r.querySelector('.excerpt').textContent]));
}

/**
 * Every stored document this version wrote (entries of a newer schema are skipped), as
 * [document entry, text entry] (schema 5, crates/core/src/persist/stored.rs: the text
 * under `article-annotator:text:<id>`, written before the document entry that names it by its
 * length and hash). The text entry is null when it is missing or is not the one the document
 * entry names (its length, or the hash it states, differs).
 */
export async function storedDocuments(page) {
  return page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.startsWith('article-annotator:doc:'))
    .sort()
    .map((k) => {
      const entry = JSON.parse(localStorage.getItem(k));
      if (entry.version > 5) return null;
      const raw = localStorage.getItem(`article-annotator:text:${k.slice('article-annotator:doc:'.length)}`);
      const text = raw === null ? null : JSON.parse(raw);
      const matches = text !== null && entry.document.text_chars === Array.from(text.text).length
        && text.fnv1a64 === entry.document.text_fnv1a64;
      return [entry, matches ? text : null];
    })
    .filter((row) => row !== null));
}

/** Waits until localStorage holds `n` annotations across all saved documents, each with its text. */
export async function expectSaved(page, n) {
  await expect.poll(async () => {
    let total = 0;
    for (const [entry, text] of await storedDocuments(page)) {
      if (text === null) return `${entry.document.id} has no text entry`;
      total += entry.document.annotations.length;
    }
    return total;
  }).toBe(n);
}

/** Clicks an export button, saves the download under the test output, returns [path, name]. */
export async function download(page, testInfo, buttonName) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: buttonName }).click(),
  ]);
  const target = testInfo.outputPath(file.suggestedFilename());
  await file.saveAs(target);
  return [target, file.suggestedFilename()];
}

/** Exports through the Export menu: `scope` is 'This article' or 'All articles'; returns [path, name]. */
export async function exportAs(page, testInfo, format, scope = 'This article') {
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const menu = page.getByRole('menu', { name: 'Export' });
  await menu.getByRole('menuitemradio', { name: scope }).click();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    menu.getByRole('menuitem', { name: format, exact: true }).click(),
  ]);
  await expect(menu).toBeHidden();
  const target = testInfo.outputPath(file.suggestedFilename());
  await file.saveAs(target);
  return [target, file.suggestedFilename()];
}

/** Opens "Import…" and picks `files` (paths); returns the import dialog. */
export async function importFiles(page, files) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import a file' }).click(),
  ]);
  await chooser.setFiles(files);
  return page.getByRole('dialog');
}

/** Runs the Python (stdlib) dataset check on an export, with the spans expected per title. */
export function pythonCheck(testInfo, exportPath, expected) {
  const expectedPath = testInfo.outputPath('expected-spans.json');
  fs.writeFileSync(expectedPath, JSON.stringify(expected, null, 1));
  return execFileSync('python3', [path.join(here, 'check_export.py'), exportPath, expectedPath], {
    encoding: 'utf8',
  });
}

export async function shot(page, testInfo, name) {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: false });
}

export const SEED = fs.readFileSync(path.join(here, '../fixtures/seed-article.txt'), 'utf8');

/** A second article: emoji (with skin tone, ZWJ family, flag), CJK, Arabic, combining marks. */
export const MULTILINGUAL = [
  'Summit in 北京 ends 🇨🇳',
  '',
  'Le président a dit « Nous avançons » 👍🏽 après la réunion de 東京.',
  '“We will not back down,” said María José Núñez 👩‍👩‍👧‍👦 of the coalition.',
  'قال المتحدث باسم الوزارة إن المحادثات «كانت مثمرة» يوم الاثنين.',
  'Zoe\u0308 noted that the delegation from Seoul (서울) agreed.',
].join('\n');

// Relations, attribute values and notes (relations.spec.mjs).

/** The "Selected annotation" region of the side panel. */
export const details = (page) => panel(page).getByRole('region', { name: 'Selected annotation' });

/** The link picker's filter field ("Link to"), a combobox over the listbox "Candidates". */
export const linkField = (page) => panel(page).getByRole('combobox', { name: 'Link to' });

/**
 * Selects the list row whose excerpt is `excerpt` with keys only: Tab until a row has focus
 * (focusing a row selects it), then the arrow keys until the wanted row is the current one.
 */
export async function keyboardSelectRow(page, excerpt) {
  const inList = () => page.evaluate(() => document.activeElement?.classList.contains('annotation-row') ?? false);
  for (let tabs = 0; !(await inList()); tabs++) {
    if (tabs > 120) throw new Error('Tab never reached the annotation list');
    await page.keyboard.press('Tab');
  }
  // Only the rows near the scroll position exist: positions are read from aria-posinset, and a
  // row not rendered yet is walked towards (down first, then up from the end).
  const position = () => panel(page).locator('.annotation-rows > li').evaluateAll((items, excerpt) => {
    const at = (li) => Number(li.getAttribute('aria-posinset'));
    const current = items.find((li) => li.querySelector('[aria-current="true"]'));
    const wanted = items.find((li) => li.querySelector('.excerpt').textContent === excerpt);
    return {
      current: current ? at(current) : -1,
      wanted: wanted ? at(wanted) : -1,
      size: items.length ? Number(items[0].getAttribute('aria-setsize')) : 0,
    };
  }, excerpt);
  let { current, wanted, size } = await position();
  let direction = 'ArrowDown';
  for (let steps = 0; current !== wanted; steps++) {
    if (steps > 2 * size + 2) throw new Error(`the arrow keys never reached ${JSON.stringify(excerpt)}`);
    if (wanted > 0) direction = current < wanted ? 'ArrowDown' : 'ArrowUp';
    else if (current === size) direction = 'ArrowUp';
    await page.keyboard.press(direction);
    await expect.poll(async () => (await position()).current).not.toBe(current);
    ({ current, wanted, size } = await position());
  }
  const row = panel(page).locator('.annotation-row[aria-current="true"]');
  await expect(row).toBeFocused();
  await expect(row.locator('.excerpt')).toHaveText(excerpt);
}

/** What the "Selected annotation" region says: its title, each field's value, each relation. */
export async function readDetails(page) {
  const region = details(page);
  await expect(region).toBeVisible();
  return region.evaluate((el) => ({
    title: el.querySelector('.details-title').textContent,
    fields: Object.fromEntries([...el.querySelectorAll('.fields .field')].map((f) => [
      f.querySelector('label').firstChild.textContent,
      f.querySelector('select, input').value,
    ])),
    note: el.querySelector('textarea').value,
    relations: [...el.querySelectorAll('.relation-go')].map((b) => b.textContent).sort(),
  }));
}

/**
 * Every annotation's details as the side panel shows them, in list order, read by selecting each
 * row in turn (the first by a click, the rest with ArrowDown, since only the rows near the scroll
 * position exist); a check, not a user's steps. Leaves nothing selected.
 */
export async function panelSummary(page) {
  const summary = [];
  const scroller = panel(page).locator('.annotation-scroller');
  await scroller.evaluate((el) => { el.scrollTop = 0; });
  const currentItem = panel(page).locator('.annotation-rows > li:has([aria-current="true"])');
  await panel(page).locator('.annotation-rows > li[aria-posinset="1"] .annotation-row').click();
  for (let position = 1; ; position++) {
    await expect(currentItem).toHaveAttribute('aria-posinset', String(position));
    const excerpt = await currentItem.locator('.excerpt').textContent();
    await expect(details(page).locator('.details-title')).toContainText(Array.from(excerpt).slice(0, 20).join(''));
    summary.push(await readDetails(page));
    if (await currentItem.getAttribute('aria-setsize') === String(position)) break;
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Escape');
  await expect(details(page)).toHaveCount(0);
  return summary;
}
