// The find bar, as an annotator uses it: Ctrl+F over the article, a count and next/previous,
// case and accents ignored unless asked, whole words as an option; a match tagged from the bar
// or, after Escape, by a label key; every match turned into suggestions to review; the
// browser's own find one more Ctrl+F away. Matches are drawn, never saved or exported.
import { test, expect } from '@playwright/test';
import {
  article, expectCount, expectSelected, listedAnnotations, pasteArticle, shot, storedDocuments,
  expectSaved,
} from './helpers.mjs';

// Two hundred paragraphs: the last match is far below the first screen.
const TEXT = [
  'São Paulo voted on Sunday. In SAO PAULO, turnout was high.',
  ...Array.from({ length: 200 }, (_, i) => `Paragraph ${i + 1} says nothing much about anyone at all.`),
  'Back in sao paulo, the count went on; Paulistas waited.',
].join('\n');

const bar = (page) => page.getByRole('search', { name: 'Find in the article' });
const field = (page) => bar(page).getByRole('searchbox', { name: 'Find in the article' });
const count = (page) => bar(page).locator('.find-count');
const drawn = (page) => page.evaluate(() => {
  const words = (name) => {
    const h = CSS.highlights.get(name);
    return h ? [...h].map((r) => r.toString()) : [];
  };
  return { all: words('find-match'), current: words('find-current') };
});

/** Presses Ctrl+F and tells whether something let the browser's own find open. */
async function ctrlF(page) {
  await page.evaluate(() => {
    window.lastFindKey = null;
    if (!window.findKeyWatched) {
      window.findKeyWatched = true;
      window.addEventListener('keydown', (e) => {
        if (e.key === 'f' && e.ctrlKey) window.lastFindKey = e.defaultPrevented ? 'app' : 'browser';
      });
    }
  });
  await page.keyboard.press('Control+f');
  return page.evaluate(() => window.lastFindKey);
}

test('find: count, next and previous, options, tag a match, Escape then a label key, suggest all; nothing drawn is saved', async ({ page }, testInfo) => {
  await page.goto('/');
  await pasteArticle(page, TEXT, 'Find');
  await article(page).focus();
  expect(await ctrlF(page)).toBe('app');
  await expect(bar(page)).toBeVisible();
  await expect(field(page)).toBeFocused();
  await expect(count(page)).toHaveText('Type to find in the article.');

  await field(page).pressSequentially('sao paulo');
  await expect(count(page)).toContainText('1 of 3 matches');
  let shown = await drawn(page);
  expect(shown.current).toEqual(['São Paulo']);
  expect(shown.all).toEqual(['SAO PAULO']); // the far one is drawn when it comes near
  await shot(page, testInfo, 'find-bar');

  // Enter walks on, Shift+Enter back; the last match is brought into view.
  await page.keyboard.press('Enter');
  await expect(count(page)).toContainText('2 of 3 matches: “SAO PAULO”');
  await page.keyboard.press('Enter');
  await expect(count(page)).toContainText('3 of 3 matches: “sao paulo”');
  await expect.poll(async () => (await drawn(page)).current).toEqual(['sao paulo']);
  // On screen and not under the bar (the chunks coming near render and move the text; the bar
  // follows the match for a few frames).
  await expect.poll(() => page.evaluate(() => {
    const r = [...CSS.highlights.get('find-current')][0].getBoundingClientRect();
    const bar = document.querySelector('.find-bar').getBoundingClientRect();
    return r.top >= 0 && r.bottom <= bar.top;
  })).toBe(true);
  await page.keyboard.press('Shift+Enter');
  await expect(count(page)).toContainText('2 of 3 matches');

  // The options, each a checkbox with its name.
  await bar(page).getByRole('checkbox', { name: 'Match case' }).check();
  await expect(count(page)).toHaveText('1 of 1 match: “sao paulo”');
  await bar(page).getByRole('checkbox', { name: 'Match case' }).uncheck();
  await bar(page).getByRole('checkbox', { name: 'Match accents' }).check();
  await expect(count(page)).toContainText('of 2 matches');
  await bar(page).getByRole('checkbox', { name: 'Match accents' }).uncheck();
  // Part of a word is found unless whole words are asked for.
  await field(page).fill('pauli');
  await expect(count(page)).toContainText('1 of 1 match');
  await bar(page).getByRole('checkbox', { name: 'Whole words' }).check();
  await expect(count(page)).toHaveText('No matches.');
  await bar(page).getByRole('checkbox', { name: 'Whole words' }).uncheck();

  // Tag the current match with a label from the bar: one annotation, and the bar moves on.
  await field(page).fill('sao paulo');
  await expect(count(page)).toContainText('1 of 3 matches');
  await bar(page).getByRole('combobox', { name: 'Label' }).selectOption({ label: 'Entity' });
  await bar(page).getByRole('button', { name: 'Tag as Entity' }).click();
  await expectCount(page, 1);
  await expect(count(page)).toContainText('2 of 3 matches');
  expect(await listedAnnotations(page)).toEqual([['entity', 'São Paulo']]);

  // Ctrl+F in the bar's field is the browser's own find.
  await field(page).focus();
  expect(await ctrlF(page)).toBe('browser');

  // Escape closes the bar with the current match selected in the text: a label key tags it.
  await field(page).focus();
  await page.keyboard.press('Escape');
  await expect(bar(page)).toHaveCount(0);
  await expect(article(page)).toBeFocused();
  expect(await page.evaluate(() => getSelection().toString())).toBe('SAO PAULO');
  // As a person would: the status line names the selection before a label key is pressed.
  await expectSelected(page);
  await page.keyboard.press('c');
  await expectCount(page, 2);
  expect((await drawn(page)).all).toEqual([]);

  // Undo takes back that one tag only.
  await page.keyboard.press('Control+z');
  await expectCount(page, 1);

  // Suggest all: every match becomes a suggestion, reviewed one by one in the review bar.
  await page.getByRole('button', { name: 'Find…' }).click();
  await expect(field(page)).toBeFocused();
  await field(page).fill('sao paulo');
  await expect(count(page)).toContainText('of 3 matches');
  await bar(page).getByRole('combobox', { name: 'Label' }).selectOption({ label: 'Entity' });
  await bar(page).getByRole('button', { name: 'Suggest all 3' }).click();
  await expect(bar(page)).toHaveCount(0);
  const review = page.getByRole('region', { name: 'Suggestions' });
  // The one already tagged Entity is not suggested again.
  await expect(review).toContainText('1 of 2: Entity “SAO PAULO” — a search match');
  await expect(review.getByRole('button', { name: 'Accept', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expectCount(page, 2);
  await page.keyboard.press('Delete');
  await expect(review).toHaveCount(0);
  await expectCount(page, 2);
  await expectSaved(page, 2);
  const [[entry]] = await storedDocuments(page);
  expect(entry.document.annotations.map((a) => [a.label, a.start, a.end])).toEqual([
    ['entity', 0, 9], ['entity', 30, 39],
  ]);
  await shot(page, testInfo, 'find-after');
});

test('the annotation list filters by text (case and accents aside), by label and by a value', async ({ page }) => {
  await page.goto('/');
  await pasteArticle(page, 'São Paulo said the tax rose. Lima denied it. In SAO PAULO, nobody did.', 'Filter');
  const tag = async (query, label) => {
    await page.keyboard.press('Control+f');
    await field(page).fill(query);
    await bar(page).getByRole('combobox', { name: 'Label' }).selectOption({ label });
    await bar(page).getByRole('button', { name: `Tag as ${label}` }).click();
    await page.keyboard.press('Escape');
  };
  await article(page).focus();
  await tag('são paulo', 'Entity');
  await tag('lima', 'Entity');
  await tag('the tax rose', 'Claim');
  await expectCount(page, 3);
  const list = page.getByRole('complementary', { name: 'Annotations' });
  const filter = list.getByRole('searchbox', { name: 'Filter by text' });
  await filter.fill('sao');
  expect(await listedAnnotations(page)).toEqual([['entity', 'São Paulo']]);
  await filter.fill('');
  await list.getByRole('combobox', { name: 'Show' }).selectOption({ label: 'Claim only' });
  expect(await listedAnnotations(page)).toEqual([['claim', 'the tax rose']]);
  await list.getByRole('combobox', { name: 'Show' }).selectOption({ label: 'Entity only' });
  expect(await listedAnnotations(page)).toEqual([['entity', 'São Paulo'], ['entity', 'Lima']]);
  await filter.fill('LIMA');
  expect(await listedAnnotations(page)).toEqual([['entity', 'Lima']]);
  await filter.fill('nobody');
  await expect(list).toContainText('No annotation matches the filter.');
  expect(await listedAnnotations(page)).toEqual([]);
});

test('a fixed text drops the matches and the suggestions found in the old one', async ({ page }) => {
  await page.goto('/');
  const text = 'Doe met Doe. Doe left.';
  await pasteArticle(page, text, 'Fixed');
  await article(page).focus();
  await page.keyboard.press('Control+f');
  await field(page).fill('doe');
  await expect(count(page)).toContainText('1 of 3 matches');
  await bar(page).getByRole('button', { name: 'Suggest all 3' }).click();
  const review = page.getByRole('region', { name: 'Suggestions' });
  await expect(review).toContainText('1 of 3');
  await page.keyboard.press('Control+f');
  await field(page).fill('met');
  await expect(count(page)).toContainText('1 of 1 match');
  // A fix moves every word: what was found in the old text would land on other words.
  await page.getByRole('button', { name: /^Fix text…/ }).click();
  const dialog = page.getByRole('dialog', { name: "Fix the article's text" });
  await dialog.getByRole('textbox', { name: 'Article text' }).fill('Then Doe met Doe. Doe left.');
  await dialog.getByRole('button', { name: 'Apply the change' }).click();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(bar(page)).toHaveCount(0);
  await expect(review).toHaveCount(0);
  expect(await page.evaluate(() => ['find-match', 'find-current', 'suggestion', 'suggestion-current']
    .map((name) => CSS.highlights.get(name)?.size ?? 0))).toEqual([0, 0, 0, 0]);
  // Found again in the new text, the matches are where its words are.
  await page.keyboard.press('Control+f');
  await field(page).fill('met');
  await expect(count(page)).toContainText('1 of 1 match');
  expect(await page.evaluate(() => [...CSS.highlights.get('find-current')][0].toString())).toBe('met');
});

test.describe('phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  test('on a phone the find bar folds its options away, and neither it nor the guidelines scroll sideways', async ({ page }, testInfo) => {
    await page.goto('/');
    const text = 'São Paulo voted on Sunday. In SAO PAULO, turnout was high. ' + 'More words here. '.repeat(40);
    await pasteArticle(page, text, 'Phone');
    await page.getByRole('button', { name: 'Find…' }).click();
    const bar = page.getByRole('search', { name: 'Find in the article' });
    await bar.getByRole('searchbox').fill('sao paulo');
    await expect(bar).toContainText('1 of 2');
    await expect(bar.getByRole('checkbox', { name: 'Match case' })).toBeHidden();
    await bar.getByRole('button', { name: 'Options' }).click();
    await expect(bar.getByRole('checkbox', { name: 'Match case' })).toBeVisible();
    await bar.getByRole('button', { name: 'Options' }).click();
    await page.screenshot({ path: testInfo.outputPath('phone-find.png') });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await bar.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: /^Annotations \(/ }).click();
    await page.getByRole('complementary', { name: 'Annotations' }).getByRole('button', { name: 'Guidelines', exact: true }).click();
    await page.getByRole('region', { name: 'Guidelines' }).getByRole('button', { name: 'Start from a template' }).click();
    await page.getByRole('region', { name: 'Guidelines' }).getByRole('button', { name: 'Save guidelines' }).click();
    await page.getByRole('region', { name: 'Guidelines' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath('phone-guidelines.png') });
    const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow2).toBeLessThanOrEqual(0);
  });
});
