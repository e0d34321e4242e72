// Suggestions, as an annotator uses them: tag a name, "Tag all" suggests its other places
// (dashed, not annotations), Enter / Delete / N / P review them one by one and "Accept all in
// view" takes only what is on screen; Suggest… finds the direct quotes with their speakers
// (accepting both links them) and the names of a pasted list. Nothing suggested is saved or
// exported until accepted.
import fs from 'node:fs';
import { test, expect } from '@playwright/test';
import {
  article, dragSelect, expectCount, exportAs, listedAnnotations, pasteArticle, panel, shot, span,
  storedDocuments, expectSaved,
} from './helpers.mjs';

const NAME = 'Doe';
// Fifty paragraphs: the last "Doe"s are far below the first screen.
const TEXT = [
  '“We will respond, and firmly,” said Jane Doe on Monday. Doe left early.',
  ...Array.from({ length: 50 }, (_, i) => `Paragraph ${i + 1} says nothing much about anyone at all.`),
  'Later, Doe spoke again: “Nothing has changed.” Acme Corp said Doe was right; Doedoe was not.',
].join('\n');

const bar = (page) => page.getByRole('region', { name: 'Suggestions' });

/** Clicks `locator` where it is on screen, as a mouse does: Playwright's own click first
 * scrolls it "into view", which for the bar (held at the bottom of the screen) means to its
 * place in the page, under the article's end. */
async function clickWhereItIs(page, locator) {
  const box = await locator.boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}
const suggested = (page) => page.evaluate(() => {
  const all = CSS.highlights.get('suggestion');
  const current = CSS.highlights.get('suggestion-current');
  return {
    all: all ? [...all].map((r) => r.toString()) : [],
    current: current ? [...current].map((r) => r.toString()) : [],
  };
});

test('tag all suggests the other places; they are reviewed one by one or in view only, and never saved or exported until accepted', async ({ page }, testInfo) => {
  await page.goto('/');
  await pasteArticle(page, TEXT, 'Suggestions');
  await dragSelect(page, span(TEXT, NAME));
  await page.keyboard.press('e');
  await expectCount(page, 1);

  // The span just tagged is where Tag all starts from.
  await page.getByRole('toolbar', { name: 'Labels' }).getByRole('button', { name: 'Tag all' }).click();
  await expect(bar(page)).toBeVisible();
  await expect(bar(page)).toContainText('1 of 3: Entity “Doe” — another occurrence');
  await expect(page.locator('.notices')).toContainText('Tag all: 3 suggestions');
  // Focus is on the bar: the keys work at once. "Doedoe" is not a whole-word place.
  await expect(bar(page).getByRole('button', { name: 'Accept', exact: true })).toBeFocused();
  let drawn = await suggested(page);
  expect(drawn.current).toEqual(['Doe']);
  expect(drawn.all).toEqual(['Doe', 'Doe']);
  // Suggestions are not annotations: the list, storage and the article's marks do not have them.
  await expectCount(page, 1);
  await expect(article(page).locator('mark')).toHaveCount(1);
  await shot(page, testInfo, 'suggestions-tag-all');

  await page.keyboard.press('Enter'); // accepts "Doe left early"
  await expectCount(page, 2);
  await expect(bar(page)).toContainText('1 of 2');
  await page.keyboard.press('n');
  await expect(bar(page)).toContainText('2 of 2');
  await page.keyboard.press('p');
  await expect(bar(page)).toContainText('1 of 2');
  await page.keyboard.press('Delete'); // rejects "Doe spoke", the first of the last paragraph's
  await expect(bar(page)).toContainText('1 of 1');
  await expectCount(page, 2);

  // Scrolled to the top, the one left is off screen: "Accept all in view" does not take it.
  await article(page).locator('.para').first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await expect(article(page).getByText('Doe left early')).toBeInViewport();
  await clickWhereItIs(page, bar(page).getByRole('button', { name: 'Accept all in view' }));
  await expectCount(page, 2);
  await expect(bar(page)).toContainText('1 of 1');
  // At the end of the article it is in view, and accepted.
  await article(page).locator('.para').last().scrollIntoViewIfNeeded();
  await bar(page).getByRole('button', { name: 'Accept all in view' }).click();
  await expectCount(page, 3);
  await expect(bar(page)).toBeHidden();
  drawn = await suggested(page);
  expect(drawn.all).toEqual([]);
  expect(drawn.current).toEqual([]);
  // Undo takes it back, redo brings it again.
  await page.getByRole('toolbar', { name: 'Labels' }).getByRole('button', { name: 'Undo' }).click();
  await expectCount(page, 2);
  await page.getByRole('toolbar', { name: 'Labels' }).getByRole('button', { name: 'Redo' }).click();
  await expectCount(page, 3);

  await expectSaved(page, 3);
  const [[document]] = await storedDocuments(page);
  expect(document.document.annotations).toHaveLength(3);
  const [file] = await exportAs(page, testInfo, 'JSONL (spaCy / Prodigy / Hugging Face)');
  const line = JSON.parse(fs.readFileSync(file, 'utf8').trim());
  const spans = line.spans.map((s) => [line.text.slice(s.start, s.end), s.label]);
  expect(spans).toEqual([['Doe', 'entity'], ['Doe', 'entity'], ['Doe', 'entity']]);
});

test('Suggest… finds quotes with their speakers, linked when both are accepted, and the names of a pasted list', async ({ page }, testInfo) => {
  await page.goto('/');
  await pasteArticle(page, TEXT, 'Quotes');
  await page.getByRole('button', { name: 'Suggest…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Suggest spans to review' });
  await expect(dialog).toBeVisible();
  await shot(page, testInfo, 'suggestions-dialog');
  await dialog.getByRole('button', { name: 'Quotes and speakers' }).click();
  await expect(dialog).toBeHidden();
  // Two quotes, each with its speaker.
  await expect(page.locator('.notices')).toContainText('Quotes and speakers: 4 suggestions');
  await expect(bar(page)).toContainText('1 of 4: Quote “We will respond, and firmly,” — between quotation marks');
  await page.keyboard.press('Enter');
  await expect(bar(page)).toContainText('1 of 3: Entity “Jane Doe” — a speaker of the quote');
  await shot(page, testInfo, 'suggestions-speaker');
  await page.keyboard.press('Enter');
  await expectCount(page, 2);
  // The quote and its speaker are linked: the quote's details name who said it.
  await panel(page).getByText('We will respond, and firmly,').first().click();
  await expect(panel(page)).toContainText('said by');
  await expect(panel(page)).toContainText('Jane Doe');
  await bar(page).getByRole('button', { name: 'Dismiss all' }).click();
  await expect(bar(page)).toBeHidden();

  // A dictionary, pasted: CSV with a spaCy type, and a line it cannot read.
  await page.getByRole('button', { name: 'Suggest…' }).click();
  await dialog.getByRole('textbox', { name: /Names or phrases/ }).fill('Acme Corp,ORG\nNobody,WEIRDO');
  await dialog.getByRole('button', { name: 'Find these' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('.notices')).toContainText('Dictionary: 1 suggestion');
  await expect(page.locator('.notices')).toContainText('line 2');
  await expect(bar(page)).toContainText('Entity “Acme Corp” — in your list');
  await page.keyboard.press('Enter');
  await expectCount(page, 3);
  expect(await listedAnnotations(page)).toContainEqual(['entity', 'Acme Corp']);
});
