// Relations, attribute values and notes as a user meets them: attribute quotes in the seed
// article to their speakers with the mouse and with the keyboard alone, rate claims, write notes,
// undo and redo, reload, filter the list, see the arcs, and take every export into a fresh
// profile to get the same relations and values back.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SEED, article, panel, pasteArticle, cp, span, dragSelect, clickChar, expectCount, exportAs, importFiles,
  pythonCheck, shot, details, linkField, keyboardSelectRow, readDetails, panelSummary,
} from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const TITLE = 'US urges China to use Iran influence';
const QUOTE = '“A group of us made the request that China use its influence on Iran to prevent the escalation of this conflict.”';

/** `inner` inside the first occurrence of `outer`, in code points. */
function within(outer, inner) {
  const start = cp(SEED, outer) + Array.from(outer.slice(0, outer.indexOf(inner))).length;
  return [start, start + Array.from(inner).length];
}

/** Every span the user makes, by name: [label, text, [start, end]]. */
const SPANS = {
  chuck: ['entity', 'Chuck Schumer', span(SEED, 'Chuck Schumer')],
  delegation: ['quote', 'a congressional delegation during its visit to China had appealed to Beijing to use its influence with Iran'],
  schumer: ['entity', 'Schumer', within('Schumer revealed', 'Schumer')],
  group: ['quote', QUOTE],
  means: ['claim', 'China possesses various means of influencing Iran'],
  officials: ['entity', 'U.S. officials', within('U.S. officials at', 'U.S. officials')],
  committed: ['claim', 'the Chinese government had committed to delivering the message to Iranian authorities'],
  meeting: ['claim', 'The meeting with President Xi exceeded initial expectations, lasting approximately 80 minutes'],
  xi: ['entity', 'President Xi', within('President Xi exceeded', 'President Xi')],
  maoNing: ['entity', 'Mao Ning'],
  concerns: ['quote', 'expressed China’s concerns over civilian casualties and condemned actions that harm civilians'],
  mao: ['entity', 'Mao', within('Mao reiterated', 'Mao')],
  halt: ['quote', 'their call for all relevant parties to immediately halt the fighting, protect civilians, and avoid further deterioration of the situation'],
  spokesman: ['entity', 'a Hamas spokesman'],
  backing: ['quote', 'direct backing from Iran'],
  three: ['entity', 'three U.S. officials'],
  corroborate: ['quote', 'they were unable to corroborate the details presented in The Wall Street Journal’s account'],
};
for (const entry of Object.values(SPANS)) {
  if (!entry[2]) entry[2] = span(SEED, entry[1]);
}
const KEYS = { quote: 'q', entity: 'e', claim: 'c' };
const NAMES = { quote: 'Quote', entity: 'Entity', claim: 'Claim' };

/** The relations made below: [from, type, to]. */
const RELATIONS = [
  ['group', 'said_by', 'schumer'], // mouse, "Link…"
  ['delegation', 'said_by', 'chuck'], // mouse, R
  ['concerns', 'said_by', 'maoNing'], // mouse, "Link…"
  ['committed', 'made_by', 'officials'], // mouse, "Link…"
  ['halt', 'said_by', 'mao'], // keys: filter, Enter
  ['backing', 'said_by', 'spokesman'], // keys: type key S, Enter
  ['corroborate', 'said_by', 'three'], // keys: filter, ArrowDown, ArrowUp, Enter
  ['meeting', 'about', 'xi'], // keys: type key A, Enter
];
const RATINGS = { means: 'yes', committed: 'unsure' };
const NOTE = 'Checked against the briefing video, 12:40.';
const ARTICLE_NOTE = 'Source: wire copy of 9 October; the ministry transcript was checked.';

/** The side panel's excerpt: the first `max` characters, an ellipsis when cut. */
function excerpt(text, max) {
  const chars = Array.from(text);
  return chars.slice(0, max).join('') + (chars.length > max ? '…' : '');
}
/** An excerpt as the app quotes it: in quotation marks, unless it opens with one of its own. */
const quoted = (text) => (/^[“"«„‘'「»]/.test(text) ? text : `“${text}”`);
const named = (key) => `${NAMES[SPANS[key][0]]} ${quoted(excerpt(SPANS[key][1], 40))}`;
const kindWords = (kind) => kind.replace(/_/g, ' ');

/** What the side panel should say about every annotation, in list (text) order. */
function expectedSummary({ note = true } = {}) {
  return Object.entries(SPANS)
    .sort(([, a], [, b]) => a[2][0] - b[2][0])
    .map(([key, [label, text]]) => ({
      title: `${NAMES[label]} ${quoted(excerpt(text, 60))}`,
      fields: label === 'quote' ? { type: '' }
        : label === 'entity' ? { kind: '', id: '' }
          : { 'check worthy': RATINGS[key] ?? '' },
      note: note && key === 'group' ? NOTE : '',
      relations: RELATIONS.flatMap(([from, kind, to]) => [
        ...(from === key ? [`${kindWords(kind)} ${named(to)}`] : []),
        ...(to === key ? [`${named(from)} is ${kindWords(kind)} this`] : []),
      ]).sort(),
    }));
}

/** The middle code point of a span (for clicking its highlight). */
const middle = (key) => Math.floor((SPANS[key][2][0] + SPANS[key][2][1]) / 2);
const rowExcerpt = (key) => excerpt(SPANS[key][1], 80);
const toggle = (page) => page.getByRole('button', { name: /^Show all relations/ });
const relationsHeading = (page) => details(page).getByRole('heading', { name: /^Relations \(/ });

/** Clicks a highlight and waits for the side panel to show it selected. */
async function clickSpan(page, key) {
  const title = Array.from(SPANS[key][1]).slice(0, 30).join('');
  // A reveal just before may still be scrolling smoothly: a click computed from where the text
  // was can land beside it. Clicked again until the annotation is selected.
  await expect(async () => {
    await clickChar(page, middle(key));
    await expect(details(page).locator('.details-title')).toContainText(title, { timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
}

/** Links `from` to `to` with the mouse: click, "Link…" (or R), click the other highlight. */
async function mouseLink(page, from, to, { key = false } = {}) {
  await clickSpan(page, from);
  if (key) {
    await page.keyboard.press('r');
  } else {
    await details(page).getByRole('button', { name: 'Link…' }).click();
  }
  await expect(linkField(page)).toBeFocused();
  await clickChar(page, middle(to));
  await expect(linkField(page)).toHaveCount(0);
}

/** The active candidate of the link picker. */
const activeCandidate = (page) => panel(page).getByRole('listbox', { name: 'Candidates' }).getByRole('option', { selected: true });

test('quotes attributed by mouse and by keyboard, claims rated, every format round trips the relations', async ({ page, browser }, testInfo) => {
  test.setTimeout(420_000);
  // The arcs are drawn by the dialogs module: an article without relations never fetches it.
  const fetched = [];
  page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  const dialogsModule = () => fetched.filter((p) => p.endsWith('dialogs_bg.wasm'));
  await page.goto('/');
  await pasteArticle(page, SEED);
  for (const [label, , range] of Object.values(SPANS)) {
    await dragSelect(page, range);
    await page.keyboard.press(KEYS[label]);
  }
  await expectCount(page, Object.keys(SPANS).length);
  await expect(toggle(page)).toHaveText('Show all relations (0)');
  await expect(toggle(page)).toBeDisabled();
  expect(dialogsModule(), 'no relations, no arcs module').toEqual([]);

  // --- By mouse: click the quote, "Link…", click the speaker: "said by" follows from the labels.
  await mouseLink(page, 'group', 'schumer');
  await expect(relationsHeading(page)).toHaveText('Relations (1)');
  await expect(details(page).getByRole('button', { name: 'said by Entity “Schumer”', exact: true })).toBeVisible();
  // The selected quote's arc joins its highlight to the speaker's, labelled with the type.
  const arcs = page.locator('svg.relation-arcs .arc');
  await expect(arcs).toHaveCount(1);
  await expect(arcs.first()).toHaveClass(/selected/);
  await expect(arcs.first().locator('text')).toHaveText('said by');
  expect(dialogsModule(), 'fetched once the article has a relation').toHaveLength(1);
  // Where the arc's path starts and ends, and the first line boxes of the two highlights.
  const ends = await page.evaluate(() => {
    const wrap = document.querySelector('.article-wrap').getBoundingClientRect();
    const numbers = document.querySelector('svg.relation-arcs .arc path').getAttribute('d')
      .match(/-?\d+(\.\d+)?/g).map(Number);
    const box = (mark) => {
      const r = mark.getClientRects()[0];
      return { left: r.left, right: r.right, top: r.top };
    };
    return {
      first: { x: numbers[0] + wrap.left, y: numbers[1] + wrap.top },
      last: { x: numbers[numbers.length - 2] + wrap.left, y: numbers[numbers.length - 1] + wrap.top },
      from: box(document.querySelector('mark.selected')),
      to: box([...document.querySelectorAll('mark[data-id]')].find((m) => m.textContent === 'Schumer')),
    };
  });
  // The arc starts over the quote's first line and ends over the speaker's.
  expect(ends.first.x).toBeGreaterThanOrEqual(ends.from.left - 1);
  expect(ends.first.x).toBeLessThanOrEqual(ends.from.right + 1);
  expect(Math.abs(ends.first.y - ends.from.top)).toBeLessThan(3);
  expect(ends.last.x).toBeGreaterThanOrEqual(ends.to.left - 1);
  expect(ends.last.x).toBeLessThanOrEqual(ends.to.right + 1);
  expect(Math.abs(ends.last.y - ends.to.top)).toBeLessThan(3);
  await shot(page, testInfo, '01-selected-quote-arc');

  // Undo and redo the link.
  await page.keyboard.press('Control+z');
  await expect(relationsHeading(page)).toHaveText('Relations (0)');
  await expect(arcs).toHaveCount(0);
  await expect(toggle(page)).toHaveText('Show all relations (0)');
  await page.keyboard.press('Control+Shift+z');
  await expect(relationsHeading(page)).toHaveText('Relations (1)');
  await expect(toggle(page)).toHaveText('Show all relations (1)');

  // Clicking the relation selects its other end, which says the same from its side.
  await details(page).getByRole('button', { name: 'said by Entity “Schumer”', exact: true }).click();
  await expect(details(page).locator('.details-title')).toHaveText('Entity “Schumer”');
  await expect(details(page).getByRole('button', { name: `${named('group')} is said by this`, exact: true })).toBeVisible();

  await mouseLink(page, 'delegation', 'chuck', { key: true });
  // Escape cancels a link: nothing is made, the quote stays selected.
  await clickSpan(page, 'concerns');
  await details(page).getByRole('button', { name: 'Link…' }).click();
  await expect(linkField(page)).toBeFocused();
  await page.keyboard.type('sch');
  await page.keyboard.press('Escape');
  await expect(linkField(page)).toHaveCount(0);
  await expect(details(page).locator('.details-title')).toContainText('expressed China’s concerns');
  await expect(relationsHeading(page)).toHaveText('Relations (0)');
  await mouseLink(page, 'concerns', 'maoNing');
  await expect(details(page).getByRole('button', { name: 'said by Entity “Mao Ning”', exact: true })).toBeVisible();
  await mouseLink(page, 'committed', 'officials');
  await expect(details(page).getByRole('button', { name: 'made by Entity “U.S. officials”', exact: true })).toBeVisible();
  // A rating with the mouse.
  await details(page).getByRole('combobox', { name: 'check worthy' }).selectOption('unsure');
  await expect(details(page).getByRole('combobox', { name: 'check worthy' })).toHaveValue('unsure');
  // A click on plain text (the title line) clears the selection.
  await clickChar(page, 2);
  await expect(details(page)).toHaveCount(0);

  // --- By keyboard only: a list row is selected with Tab and the arrow keys, R opens the
  // picker with its filter focused, the arrow keys and Enter pick the speaker.
  await keyboardSelectRow(page, rowExcerpt('halt'));
  await page.keyboard.press('r');
  await expect(linkField(page)).toBeFocused();
  await page.keyboard.type('mao');
  const candidates = panel(page).getByRole('listbox', { name: 'Candidates' }).getByRole('option');
  // Nearest first: "Mao" of the same sentence, then "Mao Ning".
  await expect(candidates).toHaveCount(2);
  await expect(candidates.nth(0)).toContainText('Mao');
  await expect(candidates.nth(1)).toContainText('Mao Ning');
  await expect(activeCandidate(page)).toHaveText(/^Entity\s*Mao\s*said by$/);
  await expect(linkField(page)).toHaveAttribute('aria-activedescendant', await candidates.nth(0).getAttribute('id'));
  await shot(page, testInfo, '02-link-picker');
  await page.keyboard.press('Enter');
  await expect(linkField(page)).toHaveCount(0);
  await expect(details(page).getByRole('button', { name: 'said by Entity “Mao”', exact: true })).toBeVisible();

  // The type by its key (S: said by) with focus out of the filter, then back to it.
  await keyboardSelectRow(page, rowExcerpt('backing'));
  await page.keyboard.press('r');
  await expect(linkField(page)).toBeFocused();
  await expect(activeCandidate(page)).toContainText('a Hamas spokesman');
  // Tab leaves the filter: with many candidates the scrolling listbox itself takes focus
  // (Chromium makes scrollable boxes focusable), otherwise Cancel does.
  await page.keyboard.press('Tab');
  await expect(linkField(page)).not.toBeFocused();
  expect(await page.evaluate(() => document.activeElement.id || document.activeElement.textContent))
    .toMatch(/^(link-candidates|CancelEsc)$/);
  await page.keyboard.press('s');
  await expect(panel(page).getByRole('combobox', { name: 'Relation type' })).toHaveValue('said_by');
  await page.keyboard.press('Shift+Tab');
  await expect(linkField(page)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(details(page).getByRole('button', { name: 'said by Entity “a Hamas spokesman”', exact: true })).toBeVisible();

  // Filter, then walk the candidates with the arrow keys.
  await keyboardSelectRow(page, rowExcerpt('corroborate'));
  await page.keyboard.press('r');
  await page.keyboard.type('officials');
  await expect(candidates).toHaveCount(2);
  await expect(activeCandidate(page)).toContainText('three U.S. officials');
  await page.keyboard.press('ArrowDown');
  await expect(activeCandidate(page)).toHaveText(/^Entity\s*U\.S\. officials\s*said by$/);
  await page.keyboard.press('ArrowUp');
  await expect(activeCandidate(page)).toContainText('three U.S. officials');
  await page.keyboard.press('Enter');
  await expect(details(page).getByRole('button', { name: 'said by Entity “three U.S. officials”', exact: true })).toBeVisible();

  // A claim about an entity: the type key A changes what every candidate would get.
  await keyboardSelectRow(page, rowExcerpt('meeting'));
  await page.keyboard.press('r');
  await page.keyboard.type('xi');
  await expect(candidates).toHaveCount(1);
  await expect(activeCandidate(page)).toContainText('made by');
  await page.keyboard.press('Tab');
  await expect(panel(page).getByRole('button', { name: /^Cancel/ })).toBeFocused();
  await page.keyboard.press('a');
  await expect(activeCandidate(page)).toContainText('about');
  await page.keyboard.press('Shift+Tab');
  await expect(linkField(page)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(details(page).getByRole('button', { name: 'about Entity “President Xi”', exact: true })).toBeVisible();
  // Digits set the first choice attribute of the selected annotation; 0 clears it.
  const worthy = details(page).getByRole('combobox', { name: 'check worthy' });
  await page.keyboard.press('2');
  await expect(worthy).toHaveValue('no');
  await page.keyboard.press('0');
  await expect(worthy).toHaveValue('');
  await keyboardSelectRow(page, rowExcerpt('means'));
  await page.keyboard.press('1');
  await expect(worthy).toHaveValue('yes');
  // N goes to the note; it is saved when focus leaves it.
  await keyboardSelectRow(page, rowExcerpt('group'));
  await page.keyboard.press('n');
  await expect(details(page).getByRole('textbox', { name: 'Note' })).toBeFocused();
  await page.keyboard.type(NOTE);
  await page.keyboard.press('Tab');
  await expect(panel(page).locator('.annotation-row[aria-current="true"] .has-note')).toBeVisible();
  await expect(toggle(page)).toHaveText(`Show all relations (${RELATIONS.length})`);

  const summary = await panelSummary(page);
  expect(summary).toEqual(expectedSummary());

  // --- Deleting an annotation removes its relations; undo brings both back.
  await clickSpan(page, 'maoNing');
  await page.keyboard.press('Delete');
  await expectCount(page, Object.keys(SPANS).length - 1);
  await expect(toggle(page)).toHaveText(`Show all relations (${RELATIONS.length - 1})`);
  await clickSpan(page, 'concerns');
  await expect(relationsHeading(page)).toHaveText('Relations (0)');
  await page.keyboard.press('Control+z');
  await expectCount(page, Object.keys(SPANS).length);
  await expect(toggle(page)).toHaveText(`Show all relations (${RELATIONS.length})`);
  await clickSpan(page, 'concerns');
  await expect(details(page).getByRole('button', { name: 'said by Entity “Mao Ning”', exact: true })).toBeVisible();

  // --- Show all relations draws every relation in view, not only the selected one's.
  await page.keyboard.press('Escape');
  await expect(arcs).toHaveCount(0);
  await toggle(page).click();
  await expect(toggle(page)).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => arcs.count()).toBeGreaterThan(1);
  await expect(page.locator('svg.relation-arcs .arc.selected')).toHaveCount(0);
  await page.locator('.main').evaluate((el) => { el.scrollTop = 0; });
  await shot(page, testInfo, '03-show-all-relations');
  // Every arc since, and the waiting draws while it loaded, came from that one load.
  expect(dialogsModule()).toHaveLength(1);
  await toggle(page).click();
  await expect(toggle(page)).toHaveAttribute('aria-pressed', 'false');
  await expect(arcs).toHaveCount(0);

  // --- The "Show" filter.
  const show = panel(page).getByRole('combobox', { name: 'Show' });
  const listed = () => panel(page).locator('.annotation-row .excerpt').allTextContents();
  await show.selectOption({ label: 'Claim without check worthy' });
  await expect.poll(listed).toEqual([rowExcerpt('meeting')]);
  await show.selectOption({ label: 'With a note' });
  await expect.poll(listed).toEqual([rowExcerpt('group')]);
  await show.selectOption({ label: 'Not linked' });
  await expect.poll(listed).toEqual([rowExcerpt('means')]);
  // Only the rows near the scroll position exist: the list's length is each row's aria-setsize.
  const listSize = () => panel(page).locator('.annotation-rows > li').first().getAttribute('aria-setsize');
  await show.selectOption({ label: 'Linked' });
  await expect.poll(listSize).toBe(String(Object.keys(SPANS).length - 1));
  await show.selectOption({ label: 'All annotations' });
  await expect.poll(listSize).toBe(String(Object.keys(SPANS).length));

  // --- The article note (nothing selected), then a reload keeps it and every relation.
  const articleNote = panel(page).getByRole('textbox', { name: 'Article note' });
  await articleNote.fill(ARTICLE_NOTE);
  await articleNote.press('Tab');
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.startsWith('article-annotator:doc:'))
    .some((k) => localStorage.getItem(k).includes('ministry transcript was checked')))).toBe(true);
  await page.reload();
  await expect(article(page)).toBeVisible();
  await expect(panel(page).getByRole('textbox', { name: 'Article note' })).toHaveValue(ARTICLE_NOTE);
  expect(await panelSummary(page)).toEqual(summary);

  // --- A phone: the side panel with a selection.
  await page.setViewportSize({ width: 390, height: 844 });
  await panel(page).locator('.annotation-row', { hasText: rowExcerpt('group').slice(0, 30) }).click();
  await details(page).scrollIntoViewIfNeeded();
  await shot(page, testInfo, '04-phone-selection');
  const overflow = await details(page).evaluate((el) => ({
    width: el.getBoundingClientRect().width,
    right: el.getBoundingClientRect().right,
    clipped: [...el.querySelectorAll('button, select, textarea, input')]
      .filter((c) => c.getBoundingClientRect().right > window.innerWidth + 1).map((c) => c.outerHTML.slice(0, 80)),
  }));
  expect(overflow.right).toBeLessThanOrEqual(390);
  expect(overflow.clipped).toEqual([]);
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.keyboard.press('Escape');

  // --- Every export entry, checked with Python.
  const exportDir = testInfo.outputPath('exports');
  fs.mkdirSync(exportDir, { recursive: true });
  const into = { outputPath: (name) => path.join(exportDir, name) };
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const entries = await page.getByRole('menu', { name: 'Export' }).getByRole('menuitem')
    .evaluateAll((items) => items.map((item) => item.querySelector('.menu-name').textContent));
  await page.keyboard.press('Escape');
  expect(entries.length).toBeGreaterThanOrEqual(9);
  const files = {};
  for (const name of entries) {
    // Both scopes are used: the library holds this one article.
    const scope = name.startsWith('Native') || name.startsWith('brat') ? 'All articles (1)' : 'This article';
    [files[name]] = await exportAs(page, into, name, scope);
  }
  const formatCheck = execFileSync('python3', [path.join(here, '../interop/check_formats.py'), exportDir], { encoding: 'utf8' });
  console.log(`relations.spec: ${formatCheck.trim().split('\n').pop()}`);
  expect(formatCheck).toMatch(/, 0 problems\b/);
  // Every file that carries relations carries all of them.
  const [, relationCount, fileCount] = formatCheck.match(/(\d+) relations\b.* in (\d+) files/);
  expect(Number(relationCount)).toBe(RELATIONS.length * Number(fileCount));
  const native = Object.entries(files).find(([name]) => name.startsWith('Native'))[1];
  const textOf = (key) => SPANS[key][1];
  const pythonSays = pythonCheck(testInfo, native, {
    [TITLE]: {
      spans: Object.values(SPANS).sort((a, b) => a[2][0] - b[2][0]).map(([label, text]) => [label, text]),
      relations: RELATIONS.map(([from, kind, to]) => [textOf(from), kind, textOf(to)]),
      attributes: Object.entries(RATINGS).map(([key, value]) => ['claim', textOf(key), 'check_worthy', value]),
    },
  });
  expect(pythonSays).toContain(`${Object.keys(SPANS).length} annotations in 1 documents, 0 problems`);
  const nativeData = JSON.parse(fs.readFileSync(native, 'utf8'));
  expect(nativeData.documents[0].note).toBe(ARTICLE_NOTE);

  // --- Each file that can be imported, in a fresh profile, gives back the relations and values.
  const lost = [];
  for (const [name, file] of Object.entries(files)) {
    if (/labeling config|CSV/i.test(name)) continue;
    const fresh = await browser.newContext({ acceptDownloads: true });
    const other = await fresh.newPage();
    await other.goto('/');
    const dialog = await importFiles(other, file);
    await expect(dialog, name).toContainText('Format:');
    const importButton = dialog.getByRole('button', { name: 'Import', exact: true });
    if (await importButton.count() === 0) {
      expect.soft(await dialog.textContent(), `${name}: refused`).toBe('an Import button');
      await fresh.close();
      continue;
    }
    await importButton.click();
    await expect(article(other)).toBeVisible();
    await expectCount(other, Object.keys(SPANS).length);
    const back = await panelSummary(other);
    const withoutNotes = (rows) => rows.map(({ note, ...rest }) => rest);
    expect.soft(withoutNotes(back), `${name}: relations and values after import`).toEqual(withoutNotes(summary));
    // Notes are not asked of every format: what each keeps is recorded; native must keep both.
    const noteBack = back.some((row) => row.note === NOTE);
    const articleNoteBack = await panel(other).getByRole('textbox', { name: 'Article note' }).inputValue() === ARTICLE_NOTE;
    if (!noteBack || !articleNoteBack) {
      lost.push(`${name}:${noteBack ? '' : ' annotation note'}${articleNoteBack ? '' : ' article note'}`);
    }
    if (name.startsWith('Native')) {
      expect.soft(back, `${name}: notes after import`).toEqual(summary);
      expect.soft(articleNoteBack, `${name}: article note after import`).toBe(true);
    }
    await fresh.close();
  }
  testInfo.annotations.push({ type: 'notes not carried', description: lost.join('; ') || 'none' });
  console.log(`relations.spec: notes not carried by: ${lost.join('; ') || 'none'}`);
});
