// The whole user flow in Chromium: paste, select with the mouse, tag with buttons and keys,
// nest and overlap, click to select and cycle, relabel, delete, undo/redo, reload, export, and a
// Python check that every exported offset slices out exactly the annotated text.
import { test, expect } from '@playwright/test';
import {
  SEED, MULTILINGUAL, article, panel, pasteArticle, span, dragSelect, doubleClickWord, clickChar, charRect,
  shiftClickSelect, status, expectCount, expectLabelCounts, listedAnnotations, expectSaved, download, exportAs,
  pythonCheck, shot, expectNotice,
} from './helpers.mjs';

const TITLE = 'US urges China to use Iran influence';
const QUOTE = '“A group of us made the request that China use its influence on Iran to prevent the escalation of this conflict.”';
const CLAIM = 'Schumer revealed, ' + QUOTE;

test('paste, tag, nest, edit, undo, reload and export the seed article', async ({ page }, testInfo) => {
  await page.goto('/');
  await page.getByRole('textbox', { name: 'Article text' }).fill(SEED);
  await expect(page.getByRole('textbox', { name: 'Title' })).toHaveValue(TITLE);
  await page.getByRole('button', { name: 'Annotate' }).click();
  await expect(article(page)).toBeVisible();
  expect(await article(page).evaluate((el) => el.textContent)).toBe(SEED);

  // Outer claim by drag + key, quote inside it by drag + button, entity inside that by
  // double-click + key: three levels of nesting.
  await dragSelect(page, span(SEED, CLAIM));
  await expect(status(page)).toContainText(`Selected ${Array.from(CLAIM).length} characters`);
  await page.keyboard.press('c');
  await expectCount(page, 1);
  await dragSelect(page, span(SEED, QUOTE));
  await page.getByRole('button', { name: 'Quote', exact: true }).click();
  await expectCount(page, 2);
  const china = span(SEED, 'request that China')[0] + 'request that '.length;
  await doubleClickWord(page, china + 1);
  await page.keyboard.press('e');
  await expectCount(page, 3);

  // Shift-click extends a selection; the Entity button tags it.
  await shiftClickSelect(page, span(SEED, 'Chuck Schumer'));
  await page.getByRole('button', { name: 'Entity', exact: true }).click();
  // Two crossing spans.
  await dragSelect(page, span(SEED, 'China possesses various means of influencing Iran'));
  await page.keyboard.press('c');
  await dragSelect(page, span(SEED, 'various means of influencing Iran and expressed hope'));
  await page.keyboard.press('q');
  await expectCount(page, 6);
  await expectLabelCounts(page, 2, 2, 2);
  // Every highlight is in the article, and the text is still exactly the document.
  await expect(article(page).locator('mark.mark-quote.layer-1').first()).toBeVisible();
  expect(await article(page).evaluate((el) => el.textContent)).toBe(SEED);
  await shot(page, testInfo, '01-annotated');

  // Clicking a nested highlight selects the innermost; clicking again walks outward and wraps.
  for (const label of ['Entity', 'Quote', 'Claim', 'Entity']) {
    await clickChar(page, china + 2);
    await expect(page.getByRole('button', { name: label, exact: true })).toHaveAttribute('aria-pressed', 'true');
  }
  await expect(status(page)).toContainText('Entity “China”');
  await expect(article(page).locator('mark.selected')).toHaveCount(1);
  await shot(page, testInfo, '02-selected-entity');

  // Relabel the selected entity with a key, then undo and redo it.
  await page.keyboard.press('c');
  await expectLabelCounts(page, 2, 1, 3);
  await page.keyboard.press('Control+z');
  await expectLabelCounts(page, 2, 2, 2);
  await page.keyboard.press('Control+Shift+z');
  await expectLabelCounts(page, 2, 1, 3);
  await page.keyboard.press('Control+z');
  await expectLabelCounts(page, 2, 2, 2);

  // Delete from the list (Delete key), undo with Ctrl+Z, redo with Ctrl+Y, undo again.
  await panel(page).getByRole('button', { name: /Chuck Schumer/ }).click();
  await expect(status(page)).toContainText('Entity “Chuck Schumer”');
  await page.keyboard.press('Delete');
  await expectCount(page, 5);
  await page.keyboard.press('Control+z');
  await expectCount(page, 6);
  await page.keyboard.press('Control+y');
  await expectCount(page, 5);
  await page.keyboard.press('Control+z');
  await expectCount(page, 6);
  // Backspace deletes a highlight selected by clicking it; the Undo button restores it.
  await clickChar(page, span(SEED, 'Chuck Schumer')[0] + 2);
  await page.keyboard.press('Backspace');
  await expectCount(page, 5);
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expectCount(page, 6);

  // Everything is in localStorage without any unload event, and a reload restores it exactly.
  const before = await listedAnnotations(page);
  await expectSaved(page, 6);
  await page.reload();
  await expect(article(page)).toBeVisible();
  expect(await listedAnnotations(page)).toEqual(before);
  expect(await article(page).evaluate((el) => el.textContent)).toBe(SEED);
  await expect(article(page).locator('mark[data-id]')).not.toHaveCount(0);

  const [file, name] = await exportAs(page, testInfo, 'Native JSON');
  expect(name).toBe('us-urges-china-to-use-iran-influence.annotations.json');
  const output = pythonCheck(testInfo, file, {
    [TITLE]: [
      ['entity', 'Chuck Schumer'],
      ['claim', CLAIM],
      ['quote', QUOTE],
      ['entity', 'China'],
      ['claim', 'China possesses various means of influencing Iran'],
      ['quote', 'various means of influencing Iran and expressed hope'],
    ],
  });
  expect(output).toContain('6 annotations in 1 documents, 0 problems');
});

test('a second article with emoji, ZWJ, CJK, Arabic and combining marks exports exact offsets', async ({ page }, testInfo) => {
  await page.goto('/');
  await pasteArticle(page, SEED);
  await dragSelect(page, span(SEED, 'Chuck Schumer'));
  await page.keyboard.press('e');
  await expectCount(page, 1);

  await pasteArticle(page, MULTILINGUAL);
  await expect(page.getByRole('navigation', { name: 'Documents' }).getByRole('listitem')).toHaveCount(2);
  expect(await article(page).evaluate((el) => el.textContent)).toBe(MULTILINGUAL);
  const text = MULTILINGUAL;
  await dragSelect(page, span(text, '北京'));
  await page.keyboard.press('e');
  await dragSelect(page, span(text, 'Le président a dit « Nous avançons » 👍🏽'));
  await page.keyboard.press('c');
  await dragSelect(page, span(text, '« Nous avançons »'));
  await page.keyboard.press('q');
  await dragSelect(page, span(text, '“We will not back down,”'));
  await page.keyboard.press('q');
  await dragSelect(page, span(text, 'María José Núñez 👩‍👩‍👧‍👦'));
  await page.keyboard.press('e');
  await dragSelect(page, span(text, '«كانت مثمرة»'), { rtl: true });
  await page.keyboard.press('q');
  await dragSelect(page, span(text, 'Zoe\u0308 noted'));
  await page.keyboard.press('c');
  await doubleClickWord(page, span(text, '서울')[0]);
  await page.keyboard.press('e');
  await expectCount(page, 8);
  await shot(page, testInfo, '03-multilingual');

  // Switch documents with the list; each keeps its own annotations.
  const docs = page.getByRole('navigation', { name: 'Documents' });
  await docs.getByRole('button', { name: /^US urges China/ }).click();
  await expectCount(page, 1);
  await docs.getByRole('button', { name: /^Summit in 北京/ }).click();
  await expectCount(page, 8);

  await expectSaved(page, 9);
  await page.reload();
  await expectCount(page, 8);
  const [file, name] = await download(page, testInfo, 'Export all');
  expect(name).toBe('all-articles.annotations.json');
  const output = pythonCheck(testInfo, file, {
    [TITLE]: [['entity', 'Chuck Schumer']],
    'Summit in 北京 ends 🇨🇳': [
      ['entity', '北京'],
      ['claim', 'Le président a dit « Nous avançons » 👍🏽'],
      ['quote', '« Nous avançons »'],
      ['quote', '“We will not back down,”'],
      ['entity', 'María José Núñez 👩‍👩‍👧‍👦'],
      ['quote', '«كانت مثمرة»'],
      ['claim', 'Zoe\u0308 noted'],
      ['entity', '서울'],
    ],
  });
  expect(output).toContain('9 annotations in 2 documents, 0 problems');
});

test('a selection reaching outside the article is clipped to it', async ({ page }) => {
  await page.goto('/');
  await pasteArticle(page, SEED);
  // Drag from the status line above the article to the end of "China" in the first line.
  const hint = await status(page).boundingBox();
  const end = await (async () => {
    const [s, e] = span(SEED, 'US urges China');
    return { s, e };
  })();
  await page.mouse.move(hint.x + 5, hint.y + hint.height / 2);
  await page.mouse.down();
  const { charRect } = await import('./helpers.mjs');
  const last = await charRect(page, end.e - 1);
  await page.mouse.move(last.right - 1, (last.top + last.bottom) / 2, { steps: 10 });
  await page.mouse.up();
  await page.keyboard.press('q');
  await expectCount(page, 1);
  expect(await listedAnnotations(page)).toEqual([['quote', 'US urges China']]);
});

test('pasted markup is shown as text and never runs', async ({ page }, testInfo) => {
  let dialogs = 0;
  page.on('dialog', async (dialog) => { dialogs += 1; await dialog.dismiss(); });
  await page.goto('/');
  const hostile = '<img src=x onerror=alert(1)> headline\n\n<script>alert(2)</script> <b>bold</b> & "quotes"';
  await pasteArticle(page, hostile);
  expect(await article(page).evaluate((el) => el.textContent)).toBe(hostile);
  await expect(article(page).locator('img, script, b')).toHaveCount(0);
  await expect(page.locator('body img')).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Documents' })).toContainText('<img src=x onerror=alert(1)> headline');
  await dragSelect(page, span(hostile, '<b>bold</b>'));
  await page.keyboard.press('e');
  await expectCount(page, 1);
  await shot(page, testInfo, '04-hostile-text');
  expect(dialogs).toBe(0);
});

test('empty or whitespace-only text gets a clear message and creates nothing', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Annotate' }).click();
  await expect(page.getByRole('alert')).toContainText('Paste an article first');
  await page.getByRole('textbox', { name: 'Article text' }).fill('   \n\t  \n');
  await page.getByRole('button', { name: 'Annotate' }).click();
  await expect(page.getByRole('alert')).toContainText('Paste an article first');
  await expect(article(page)).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Documents' }).getByRole('listitem')).toHaveCount(0);
});

test('clicking a list item scrolls to its highlight and flashes it', async ({ page }) => {
  await page.goto('/');
  await pasteArticle(page, SEED);
  const target = span(SEED, 'The Wall Street Journal', 1);
  await dragSelect(page, target);
  await page.keyboard.press('e');
  await page.locator('main').evaluate((main) => main.scrollTo(0, 0));
  await expect(article(page).locator('mark[data-id]').first()).not.toBeInViewport();
  await panel(page).getByRole('button', { name: /The Wall Street Journal/ }).click();
  const mark = article(page).locator('mark[data-id]').first();
  await expect(mark).toBeInViewport();
  await expect(mark).toHaveClass(/flash/);
  await expect(mark).toHaveClass(/selected/);
});

test('a deleted document can be restored, and stays deleted after a reload otherwise', async ({ page }) => {
  await page.goto('/');
  await pasteArticle(page, SEED);
  await pasteArticle(page, MULTILINGUAL);
  const docs = page.getByRole('navigation', { name: 'Documents' });
  await expect(docs.getByRole('listitem')).toHaveCount(2);
  await docs.getByRole('button', { name: `Delete ${TITLE}` }).click();
  await expect(docs.getByRole('listitem')).toHaveCount(1);
  await expectNotice(page, `Deleted “${TITLE}”`);
  await page.getByRole('button', { name: 'Undo delete' }).click();
  await expect(docs.getByRole('listitem')).toHaveCount(2);
  await page.reload();
  await expect(docs.getByRole('listitem')).toHaveCount(2);
  await docs.getByRole('button', { name: `Delete ${TITLE}` }).click();
  await expect(docs.getByRole('listitem')).toHaveCount(1);
  // Its document entry and its text entry are both removed.
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage)
    .filter((k) => /^article-annotator:(doc|text):/.test(k)).sort()
    .map((k) => k.replace(/:[^:]*$/, '')))).toEqual(['article-annotator:doc', 'article-annotator:text']);
  await page.reload();
  await expect(docs.getByRole('listitem')).toHaveCount(1);
  await expect(docs).not.toContainText(TITLE);
});

/** Stores the benchmark's M document (100,000 characters, 2,000 spans) and opens the app on it. */
async function openBenchDocument(page) {
  const { generate } = await import('./bench/generate.mjs');
  const doc = generate('M', 100_000, 2_000);
  // Seed storage from a page of the same origin that does not run the app.
  await page.goto('/no-app-here');
  await page.evaluate((entries) => {
    for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
  }, doc.storage);
  await page.goto('/');
  return doc;
}

test('a long article draws highlights only near the viewport, and its text is exact everywhere', async ({ page }) => {
  const doc = await openBenchDocument(page);
  await expect(panel(page).getByRole('heading')).toHaveText('Annotations (2000)');
  const textContent = () => article(page).evaluate((el) => el.textContent);
  expect(await textContent()).toBe(doc.text);
  const first = doc.annotations[0];
  const far = doc.annotations[1900];
  await expect(page.locator(`article mark[data-id="${first.id}"]`).first()).toBeVisible();
  await expect(page.locator(`article mark[data-id="${far.id}"]`)).toHaveCount(0);
  // Scrolling there draws them before they come into view.
  await charRect(page, far.start);
  await expect(page.locator(`article mark[data-id="${far.id}"]`).first()).toBeVisible();
  expect(await textContent()).toBe(doc.text);
});

test('revealing a far highlight jumps to it, and so does a near one when motion is reduced', async ({ page }) => {
  const doc = await openBenchDocument(page);
  const list = panel(page);
  await expect(list.getByRole('heading')).toHaveText('Annotations (2000)');
  const scroller = list.locator('.annotation-scroller');
  // Clicks the annotation's row and records the article pane's scroll position on every frame
  // for a second: returns how many different positions it passed through (a smooth scroll
  // passes through dozens) and how far the highlight's centre then is from the pane's centre,
  // in pane heights (revealing centres it).
  const reveal = async (index) => {
    const a = doc.annotations[index];
    await scroller.evaluate((el, i) => {
      const row = el.querySelector('.annotation-rows > li').offsetHeight;
      el.scrollTop = Math.max(0, (i - 2) * row);
    }, index);
    await page.evaluate(() => {
      const pane = document.querySelector('main');
      window.__positions = new Set();
      const until = performance.now() + 1000;
      const record = () => {
        window.__positions.add(pane.scrollTop);
        if (performance.now() < until) requestAnimationFrame(record);
      };
      requestAnimationFrame(record);
    });
    await list.getByRole('button', { name: new RegExp(`${a.start}–${a.end}$`) }).click();
    await page.waitForTimeout(1200);
    return page.evaluate((id) => {
      const pane = document.querySelector('main').getBoundingClientRect();
      const r = document.querySelector(`article mark[data-id="${id}"]`).getBoundingClientRect();
      return {
        positions: window.__positions.size,
        offCentre: Math.abs((r.top + r.bottom) / 2 - (pane.top + pane.bottom) / 2) / pane.height,
      };
    }, a.id);
  };
  // 80,000 characters down: one jump (and a correction or two once the paragraphs around it
  // have their real heights), and it ends centred.
  const far = await reveal(1600);
  expect(far.offCentre).toBeLessThan(0.1);
  expect(far.positions).toBeLessThanOrEqual(5);
  // A highlight about one and a half screens below the top is near, so it scrolls smoothly,
  // unless the reader asked for less motion.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.locator('main').evaluate((main) => main.scrollTo(0, 0));
  const nearId = await page.evaluate(() => {
    const pane = document.querySelector('main').getBoundingClientRect();
    return [...document.querySelectorAll('article mark[data-id]')].find((m) => {
      const below = m.getBoundingClientRect().top - pane.top;
      return below > 1.3 * pane.height && below < 1.7 * pane.height;
    })?.dataset.id;
  });
  expect(nearId).toBeTruthy();
  const near = await reveal(doc.annotations.findIndex((a) => a.id === nearId));
  expect(near.offCentre).toBeLessThan(0.1);
  expect(near.positions).toBeLessThanOrEqual(3);
});

test('a long list renders only the rows in view, scrolls to the selected one, and walks with the arrow keys', async ({ page }) => {
  const doc = await openBenchDocument(page);
  const list = panel(page);
  await expect(list.getByRole('heading')).toHaveText('Annotations (2000)');
  const rows = list.getByRole('list', { name: 'Annotation list' }).getByRole('listitem');
  // Only a window of rows exists, each saying where it sits in the whole list.
  await expect(rows.first()).toHaveAttribute('aria-setsize', '2000');
  await expect(rows.first()).toHaveAttribute('aria-posinset', '1');
  const rendered = await rows.count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(100);
  // A taller window shows more rows: the rows still reach the bottom of the list.
  const rowsReachTheBottom = () => list.locator('.annotation-scroller').evaluate((el) => {
    const last = el.querySelector('.annotation-rows > li:last-child').getBoundingClientRect();
    return last.bottom >= el.getBoundingClientRect().bottom;
  });
  await page.setViewportSize({ width: 1400, height: 2400 });
  await expect.poll(rowsReachTheBottom).toBe(true);
  await page.setViewportSize({ width: 1400, height: 900 });
  // Scrolling the list to its end brings the last rows in.
  const last = doc.annotations[doc.annotations.length - 1];
  await list.locator('.annotation-scroller').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(list.getByRole('button', { name: new RegExp(`${last.start}–${last.end}$`) })).toBeInViewport();
  await expect(rows.last()).toHaveAttribute('aria-posinset', '2000');
  // Clicking a highlight far from the rows in view selects it and scrolls its row into view.
  const target = doc.annotations[1000];
  await list.locator('.annotation-scroller').evaluate((el) => { el.scrollTop = 0; });
  await expect(list.getByRole('button', { name: new RegExp(`${target.start}–${target.end}$`) })).toHaveCount(0);
  // Far down the article: its highlights are drawn once it scrolls near the viewport, so scroll
  // there and let them appear before clicking (as a reader's click always comes after).
  await charRect(page, target.start);
  await expect(page.locator(`article mark[data-id="${target.id}"]`).first()).toBeVisible();
  await clickChar(page, target.start);
  const current = list.locator('[aria-current="true"]');
  await expect(current).toHaveCount(1);
  await expect(current).toBeInViewport();
  const selectedId = await page.locator('article mark.selected').first().getAttribute('data-id');
  const selected = doc.annotations.find((a) => a.id === selectedId);
  await expect(current).toContainText(`${selected.start}–${selected.end}`);
  const currentItem = list.locator('li:has([aria-current="true"])');
  const position = Number(await currentItem.getAttribute('aria-posinset'));
  // The arrow keys move the selection (and focus) through the rows; End and Home jump.
  await current.focus();
  await page.keyboard.press('ArrowDown');
  await expect(currentItem).toHaveAttribute('aria-posinset', String(position + 1));
  await expect(current).toBeFocused();
  const nextId = await page.locator('article mark.selected').first().getAttribute('data-id');
  expect(nextId).not.toBe(selectedId);
  await page.keyboard.press('ArrowUp');
  await expect(currentItem).toHaveAttribute('aria-posinset', String(position));
  await page.keyboard.press('End');
  await expect(currentItem).toHaveAttribute('aria-posinset', '2000');
  await expect(current).toBeInViewport();
  await expect(current).toBeFocused();
  await page.keyboard.press('Home');
  await expect(currentItem).toHaveAttribute('aria-posinset', '1');
  await expect(current).toContainText(`${doc.annotations[0].start}–${doc.annotations[0].end}`);
  // Escape clears the selection.
  await page.keyboard.press('Escape');
  await expect(current).toHaveCount(0);
});
