// "Never lose an annotation": full quota, no storage, corrupt and newer data, migration from an
// older schema, a killed tab, two tabs editing the same article, backup and restore, durability.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SEED, MULTILINGUAL, article, pasteArticle, span, dragSelect, expectCount, expectSaved, download, importFiles,
  storedDocuments, expectNotice,
} from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const TITLE = 'US urges China to use Iran influence';
const docs = (page) => page.getByRole('navigation', { name: 'Documents' });

/** Every value under our prefix, parsed: proves nothing stored is half-written. */
async function ourEntries(page) {
  return page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.startsWith('article-annotator:'))
    .map((k) => [k, JSON.parse(localStorage.getItem(k))]));
}

async function tag(page, text, needle, key) {
  await dragSelect(page, span(text, needle));
  await page.keyboard.press(key);
}

test('a full quota shows a banner with usage and export, keeps the work, and resumes saving', async ({ page }, testInfo) => {
  await page.goto('/');
  // A large article A, saved, then a small article B.
  const big = (SEED + '\n\n').repeat(60);
  await pasteArticle(page, big, 'Big article');
  await pasteArticle(page, MULTILINGUAL);
  await expectSaved(page, 0);
  // Each article's text entry and document entry, and the index.
  await expect.poll(async () => (await ourEntries(page)).length).toBe(5);
  // Another script on this origin fills the rest of localStorage, to the last few characters.
  await page.evaluate(() => {
    let n = 0;
    for (const size of [256 * 1024, 16 * 1024, 1024, 64, 4, 1]) {
      const chunk = 'x'.repeat(size);
      for (;;) {
        try { localStorage.setItem(`filler-${n++}`, chunk); } catch { break; }
      }
    }
  });
  await tag(page, MULTILINGUAL, '北京', 'e');
  const banner = page.getByRole('alert').filter({ hasText: 'Browser storage is full' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(/Stored now: 10\.[45] MB of about 10\.5 MB \((99|100)%\), of which Article Annotator.s: [\d.]+ kB/);
  await expect(page.getByRole('region', { name: 'Storage' })).toContainText('used of about 10.5 MB');
  // The work is intact in the page, and nothing stored is half-written.
  await expectCount(page, 1);
  for (const [, value] of await ourEntries(page)) expect(value.format).toBe('article-annotator-store');
  // "Export all now" saves the unsaved work as a file.
  const [file] = await download(page, testInfo, 'Export all now');
  const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
  expect(exported.documents.map((d) => d.annotations.length)).toEqual([0, 1]);
  await page.screenshot({ path: testInfo.outputPath('quota-banner.png') });
  // Deleting the big article frees space; saving resumes by itself and the banner goes.
  await docs(page).getByRole('button', { name: 'Delete Big article' }).click();
  await expect(banner).toHaveCount(0);
  await expectSaved(page, 1);
  // Both of its entries are gone.
  expect((await ourEntries(page)).map(([k]) => k).filter((k) => /:(doc|text):/.test(k))).toHaveLength(2);
});

test('without localStorage the app works in memory and warns that nothing persists', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    });
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  const warning = page.getByRole('alert').filter({ hasText: 'Saving is not possible in this browser' });
  await expect(warning).toBeVisible();
  await pasteArticle(page, SEED);
  await tag(page, SEED, 'Chuck Schumer', 'e');
  await expectCount(page, 1);
  await expect(warning).toContainText('Nothing will be kept when this tab closes');
  expect(errors).toEqual([]);
});

test('corrupt data is moved aside; data of a newer version is left exactly as it is, read-only and downloadable', async ({ page }, testInfo) => {
  await page.goto('/');
  await pasteArticle(page, SEED);
  await tag(page, SEED, 'Chuck Schumer', 'e');
  await expectSaved(page, 1);
  const broken = '{"format": "article-annotator-store", "version": 1, "document": {"id": "broken"';
  const newer = JSON.stringify({
    format: 'article-annotator-store', version: 99, saved_at: '2030-01-01T00:00:00.000Z',
    document: { id: 'future', title: 'Briefing from the future', shape: 'unknown to this version' },
  });
  await page.evaluate(([broken, newer]) => {
    localStorage.setItem('article-annotator:doc:broken', broken);
    localStorage.setItem('article-annotator:doc:future', newer);
  }, [broken, newer]);
  await page.reload();
  // The readable document loads normally.
  await expect(article(page)).toBeVisible();
  await expectCount(page, 1);
  const notice = page.getByRole('alert').filter({ hasText: 'moved aside, not deleted' });
  await expect(notice).toContainText('article-annotator:doc:broken');
  await expect(notice).not.toContainText('future');
  const newerList = page.getByRole('status').filter({ hasText: 'Saved by a newer version of Article Annotator' });
  await expect(newerList).toContainText('“Briefing from the future” (storage schema 99)');
  await page.screenshot({ path: testInfo.outputPath('quarantine-and-newer.png') });
  // The broken one moved to a quarantine key, byte for byte; the newer one was not touched.
  const keys = await page.evaluate(() => Object.keys(localStorage).sort());
  expect(keys.filter((k) => k.startsWith('article-annotator:quarantine:'))).toHaveLength(1);
  expect(await page.evaluate(() => localStorage.getItem('article-annotator:doc:future'))).toBe(newer);
  // Download the raw data of the broken one, and of the newer one.
  const saveRaw = async (list, name) => {
    const [d] = await Promise.all([
      page.waitForEvent('download'),
      list.getByRole('listitem').filter({ hasText: name }).getByRole('button', { name: 'Download raw data' }).click(),
    ]);
    const p = testInfo.outputPath(d.suggestedFilename());
    await d.saveAs(p);
    return fs.readFileSync(p, 'utf8');
  };
  expect(await saveRaw(notice, 'doc:broken')).toBe(broken);
  expect(await saveRaw(newerList, 'Briefing from the future')).toBe(newer);
  // Edits and saves go on; neither the quarantined entry nor the newer one is touched by them,
  // and the newer one stays in the document list the newer version reads.
  await tag(page, SEED, 'Mao Ning', 'e');
  await expectSaved(page, 2);
  const raw = await page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.startsWith('article-annotator:quarantine:'))
    .map((k) => JSON.parse(localStorage.getItem(k)).raw));
  expect(raw).toEqual([broken]);
  expect(await page.evaluate(() => localStorage.getItem('article-annotator:doc:future'))).toBe(newer);
  const index = await page.evaluate(() => JSON.parse(localStorage.getItem('article-annotator:index')));
  expect(index.documents).toContain('future');
  // Deleting the quarantined one is the user's choice.
  await notice.getByRole('listitem').getByRole('button', { name: 'Delete it' }).click();
  await expect(notice).toHaveCount(0);
});

test('a document list written by a newer version makes this page read-only and changes nothing', async ({ page }, testInfo) => {
  await page.goto('/');
  await pasteArticle(page, SEED);
  await tag(page, SEED, 'Chuck Schumer', 'e');
  await expectSaved(page, 1);
  // A newer version of the app, in another tab, rewrites the index in its own schema.
  await page.evaluate(() => {
    const index = JSON.parse(localStorage.getItem('article-annotator:index'));
    localStorage.setItem('article-annotator:index', JSON.stringify({ ...index, version: 99, shards: 2 }));
  });
  await page.reload();
  const before = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()));
  const banner = page.getByRole('status').filter({ hasText: 'written by a newer version of Article Annotator (storage schema 99)' });
  await expect(banner).toContainText('read-only');
  // The document still reads; tagging is refused with the same reason, and nothing is written.
  await expectCount(page, 1);
  await tag(page, SEED, 'Mao Ning', 'e');
  await expectNotice(page, 'read-only');
  await expectCount(page, 1);
  // Dismissing the refusal leaves the banner: the page stays read-only.
  await page.getByRole('button', { name: 'Dismiss message' }).click();
  await expect(banner).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('read-only.png') });
  await page.evaluate(() => new Promise((r) => setTimeout(r, 600)));
  expect(await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()))).toBe(before);
});

for (const version of [1, 2]) {
  test(`data saved by an older schema (v${version}) is migrated on load, each text to its own key`, async ({ page }) => {
    const dir = path.join(here, `../fixtures/storage/v${version}`);
    const entries = fs.readdirSync(dir).filter((f) => f.endsWith('.json'))
      .map((f) => [`article-annotator:${f.replace(/\.json$/, '').replace(/^doc-/, 'doc:')}`, fs.readFileSync(path.join(dir, f), 'utf8')]);
    await page.goto('/');
    await page.evaluate((entries) => {
      for (const [k, v] of entries) localStorage.setItem(k, v);
    }, entries);
    await page.reload();
    await expect(docs(page).getByRole('listitem')).toHaveCount(entries.length - 1);
    await expect(page.getByRole('alert')).toHaveCount(0);
    // Rewritten in the current schema: every document entry with its text entry, and without the text.
    await expect.poll(async () => (await storedDocuments(page))
      .every(([entry, text]) => entry.version === 5 && text !== null && text.version === 3
        && entry.document.text === undefined)).toBe(true);
    const texts = (await storedDocuments(page)).map(([, text]) => text.text);
    expect(texts).toHaveLength(2);
    expect(texts.join('')).toContain('Café owner said');
    // The annotations are all there, with the rich document's 13.
    await expect.poll(async () => (await storedDocuments(page)).map(([entry]) => entry.document.annotations.length).sort())
      .toEqual([0, 13]);
  });
}

test('a tab killed right after an edit keeps everything older than 500 ms, and lost index entries are recovered', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // A killed tab runs no pagehide, visibilitychange or unload handler: make sure ours never do,
  // so only the timed autosave can have stored anything.
  await page.addInitScript(() => {
    const add = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = function (type, ...rest) {
      if (['pagehide', 'visibilitychange', 'unload', 'beforeunload'].includes(type)) return;
      return add.call(this, type, ...rest);
    };
  });
  await page.goto('/');
  await pasteArticle(page, SEED);
  await tag(page, SEED, 'Chuck Schumer', 'e');
  // The guarantee is about time: edits older than 500 ms are stored even if the tab dies.
  await page.waitForTimeout(600);
  await tag(page, SEED, 'Mao Ning', 'e');
  await page.close();
  const next = await context.newPage();
  await next.goto('/');
  await expect(article(next)).toBeVisible();
  const listed = await next.getByRole('complementary', { name: 'Annotations' }).textContent();
  expect(listed).toContain('Chuck Schumer');
  // A crash between a document write and the index write: the document is still found, and
  // opened. (Wait out this tab's first save, so the index stays missing across the reload.)
  await next.waitForTimeout(600);
  await next.evaluate(() => localStorage.removeItem('article-annotator:index'));
  await next.reload();
  await expect(article(next)).toBeVisible();
  await expect(docs(next).getByRole('listitem')).toHaveCount(1);
  await context.close();
});

/** Two tabs of one browser: tab one pastes the seed article and tags one span, saved; tab two
 * then opens and shows it. `initScript` runs in every page before the app. */
async function twoTabsWithSeed(browser, initScript) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  if (initScript) await context.addInitScript(initScript);
  const one = await context.newPage();
  await one.goto('/');
  await pasteArticle(one, SEED);
  await tag(one, SEED, 'Chuck Schumer', 'e');
  await expectSaved(one, 1);
  const two = await context.newPage();
  await two.goto('/');
  await expectCount(two, 1);
  return { context, one, two };
}

test('two tabs: edits appear in the other tab, concurrent additions merge, an edit beats a racing delete', async ({ browser }) => {
  const { context, one, two } = await twoTabsWithSeed(browser);

  // An edit in one tab shows up in the other.
  await tag(one, SEED, 'Mao Ning', 'e');
  await expectCount(two, 2);

  // Both tabs add at the same time (neither has seen the other's addition): both survive.
  await Promise.all([
    tag(one, SEED, 'Hezbollah', 'e'),
    tag(two, SEED, 'The Wall Street Journal', 'e'),
  ]);
  await expectCount(one, 4);
  await expectCount(two, 4);
  await expectSaved(one, 4);

  // Tab one deletes "Mao Ning" while tab two relabels it: the relabelled annotation is kept.
  const panel = (p) => p.getByRole('complementary', { name: 'Annotations' });
  await panel(two).getByRole('button', { name: /Mao Ning/ }).click();
  await panel(one).getByRole('button', { name: /Mao Ning/ }).click();
  await Promise.all([one.keyboard.press('Delete'), two.keyboard.press('q')]);
  await expect(panel(one).getByRole('button', { name: /QUOTE.*Mao Ning/i })).toBeVisible();
  await expect(panel(two).getByRole('button', { name: /QUOTE.*Mao Ning/i })).toBeVisible();
  await expectCount(one, 4);
  await expectCount(two, 4);
  await context.close();
});

test('two tabs: undo after a merge that renumbered this tab\'s annotation undoes this tab\'s own edit', async ({ browser }, testInfo) => {
  // Tab two can be made deaf to storage events (as when an event comes late or never): its
  // listeners are wrapped before the app registers them.
  const { context, one, two } = await twoTabsWithSeed(browser, () => {
    const add = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = function (type, listener, ...rest) {
      if (type !== 'storage') return add.call(this, type, listener, ...rest);
      return add.call(this, type, (e) => { if (!window.holdStorageEvents) listener.call(this, e); }, ...rest);
    };
  });
  const listed = (p, name) => p.getByRole('complementary', { name: 'Annotations' }).getByRole('button', { name });
  // Tab two does not hear of tab one's next save: both tabs then give their new annotation the
  // same id, and tab two's save, which finds tab one's entry, renumbers its own as it merges.
  await two.evaluate(() => { window.holdStorageEvents = true; });
  await tag(one, SEED, 'Hezbollah', 'e');
  await expectSaved(one, 2);
  await tag(two, SEED, 'The Wall Street Journal', 'e');
  await two.evaluate(() => { window.holdStorageEvents = false; });
  await expectCount(two, 3);
  await expectCount(one, 3);
  await expectSaved(one, 3);
  // Undo in tab two takes away its own annotation, under its new id, and not tab one's.
  await two.keyboard.press('Control+z');
  await expect(listed(two, /Wall Street Journal/)).toHaveCount(0);
  await expect(listed(two, /Hezbollah/)).toHaveCount(1);
  await expect(listed(one, /Wall Street Journal/)).toHaveCount(0);
  await expect(listed(one, /Hezbollah/)).toHaveCount(1);
  await expectSaved(one, 2);
  await two.screenshot({ path: testInfo.outputPath('undo-after-merge.png') });
  // Redo brings it back; undo in tab one takes away tab one's own.
  await two.keyboard.press('Control+Shift+z');
  await expect(listed(one, /Wall Street Journal/)).toHaveCount(1);
  await one.keyboard.press('Control+z');
  await expect(listed(one, /Hezbollah/)).toHaveCount(0);
  await expect(listed(two, /Hezbollah/)).toHaveCount(0);
  await expect(listed(two, /Wall Street Journal/)).toHaveCount(1);
  await expectSaved(one, 2);
  // Tab one deletes tab two's annotation; tab two's undo of its addition then no longer fits:
  // it is dropped with a notice, and nothing else changes.
  await listed(one, /Wall Street Journal/).click();
  await one.keyboard.press('Delete');
  await expect(listed(two, /Wall Street Journal/)).toHaveCount(0);
  await two.keyboard.press('Control+z');
  await expectNotice(two, 'Nothing was undone: the annotation was changed or removed in another tab');
  await expectCount(two, 1);
  await expectSaved(one, 1);
  await two.screenshot({ path: testInfo.outputPath('undo-dropped.png') });
  await context.close();
});

test('two tabs: an article deleted in one tab while the other edits it comes back once, with the edit', async ({ browser }, testInfo) => {
  const { context, one, two } = await twoTabsWithSeed(browser);

  // Tab two tags a span and tab one deletes the article right after, before tab two's save
  // (250 ms after a change). In this order: the other way round, the deletion can reach tab two
  // first, and then there is no article left to tag there.
  await dragSelect(two, span(SEED, 'Mao Ning'));
  await two.keyboard.press('e');
  await docs(one).getByRole('button', { name: `Delete ${TITLE}` }).click();
  // The edit wins: the article is back in tab one, once, with both annotations, and Undo
  // delete is gone (it would have added a second copy under the same id).
  await expectNotice(one, 'was changed in another tab after you deleted it here');
  await expect(docs(one).getByRole('button', { name: `Delete ${TITLE}` })).toHaveCount(1);
  await expect(docs(one).getByText('2 annotations')).toBeVisible();
  await expect(one.getByRole('button', { name: 'Undo delete' })).toHaveCount(0);
  await one.screenshot({ path: testInfo.outputPath('deleted-here-edited-there.png') });
  // It is not opened by itself (tab one may be pasting a new article); opening it shows both.
  await docs(one).getByRole('button', { name: new RegExp(`^${TITLE}`) }).click();
  await expectCount(one, 2);
  await expectCount(two, 2);
  await expectSaved(one, 2);
  await context.close();
});

test('Export all and Import restore the library exactly; newer local work is never replaced silently', async ({ browser }, testInfo) => {
  const first = await browser.newContext({ acceptDownloads: true });
  const page = await first.newPage();
  await page.goto('/');
  await pasteArticle(page, SEED);
  await tag(page, SEED, 'Chuck Schumer', 'e');
  await tag(page, SEED, 'China possesses various means', 'c');
  await pasteArticle(page, MULTILINGUAL);
  await tag(page, MULTILINGUAL, '北京', 'e');
  const [backup] = await download(page, testInfo, 'Export all');

  // A fresh browser profile restores everything: ids, timestamps, labels, text.
  const second = await browser.newContext({ acceptDownloads: true });
  const fresh = await second.newPage();
  await fresh.goto('/');
  const dialog = await importFiles(fresh, backup);
  await expect(dialog).toContainText('Format: Article Annotator native JSON');
  await expect(dialog).toContainText('2 documents, 3 spans: 0 quote, 2 entity, 1 claim.');
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(docs(fresh).getByRole('listitem')).toHaveCount(2);
  const [restored] = await download(fresh, testInfo.outputPath ? testInfo : testInfo, 'Export all');
  expect(fs.readFileSync(restored, 'utf8')).toBe(fs.readFileSync(backup, 'utf8'));

  // Newer local work: the dialog says so, and the user chooses.
  await docs(page).getByRole('button', { name: /^US urges China/ }).click();
  await tag(page, SEED, 'Hezbollah', 'e');
  await importFiles(page, backup);
  await expect(page.getByRole('dialog')).toContainText('the local copy is NEWER');
  await expect(page.getByRole('dialog')).toContainText('2 of them are already in this browser. Choose what to do with those:');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expectCount(page, 3);
  await importFiles(page, backup);
  await page.getByRole('button', { name: 'Keep both' }).click();
  await expect(docs(page).getByRole('listitem')).toHaveCount(4);
  await importFiles(page, backup);
  await page.getByRole('button', { name: 'Replace local copies' }).click();
  await docs(page).getByRole('button', { name: /^US urges China/ }).first().click();
  await expectCount(page, 2);
  // A malformed backup changes nothing and says why.
  const bad = testInfo.outputPath('bad.json');
  fs.writeFileSync(bad, '{"format": "article-annotator", "version": 1, "offset_unit": "codepoint", "documents": [{"id": 1}]}');
  const rejected = await importFiles(page, bad);
  await expect(rejected.getByRole('alert')).toContainText('Nothing can be imported from this file, and nothing was changed.');
  await expect(rejected.getByRole('alert')).toContainText('bad.json: unknown shape: invalid type: integer `1`, expected a string');
  await rejected.getByRole('button', { name: 'Close' }).click();
  await expect(rejected).toBeHidden();
  await expect(docs(page).getByRole('listitem')).toHaveCount(4);
  await first.close();
  await second.close();
});

test('the storage panel shows usage, persistence and the browser quota', async ({ page }) => {
  await page.goto('/');
  await pasteArticle(page, SEED);
  const panel = page.getByRole('region', { name: 'Storage' });
  await expect(panel).toContainText(/[\d.]+ kB used of about 10\.5 MB \(\d+%\)/);
  await expect(panel).toContainText(/Persistent storage: (granted|not granted)/);
  await expect(panel).toContainText(/Browser quota for this site: .* used of /);
});
