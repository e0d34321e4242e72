// Fixing an article's text as an annotator does: cut a stray header and fix a typo inside a
// tagged name. The annotations elsewhere move with their words; the tagged name whose words
// changed is not moved onto other words: the dialog says so before anything changes, keeps it
// as an orphan, and the user places it on the corrected words. Undo takes back the placing,
// then text and annotations together. What is saved and exported is exact (checked by Python).
import { test, expect } from '@playwright/test';
import {
  article, dragSelect, expectCount, exportAs, pasteArticle, pythonCheck, shot, span,
  storedDocuments, listedAnnotations,
} from './helpers.mjs';

const BEFORE = 'STRAY HEADER 😀\n“We will respond,” said Jane Dow on Monday.\nAcme Corp agreed 👩‍💻 later.';
const AFTER = '“We will respond,” said Jane Doe on Monday.\nAcme Corp agreed 👩‍💻 later.';
const fixButton = (page) => page.getByRole('button', { name: /^Fix text…/ });
const dialog = (page) => page.getByRole('dialog', { name: "Fix the article's text" });

/** The saved document's text and each annotation's text by Python's text[s:e]. */
async function saved(page) {
  const [[entry, text]] = await storedDocuments(page);
  const chars = Array.from(text.text);
  return {
    text: text.text,
    spans: entry.document.annotations.map((a) => [a.label, chars.slice(a.start, a.end).join('')]),
    orphans: (entry.document.orphans ?? []).map((o) => [o.label, o.text]),
  };
}

test('a typo fixed inside a tagged name orphans it, and the user places it; undo takes text and annotations back together', async ({ page }, testInfo) => {
  await page.goto('/');
  await pasteArticle(page, BEFORE, 'Fixing');
  await dragSelect(page, span(BEFORE, '“We will respond,”'));
  await page.keyboard.press('q');
  await dragSelect(page, span(BEFORE, 'Jane Dow'));
  await page.keyboard.press('e');
  await dragSelect(page, span(BEFORE, 'Acme Corp'));
  await page.keyboard.press('e');
  await expectCount(page, 3);

  await fixButton(page).click();
  await expect(dialog(page)).toBeVisible();
  const text = dialog(page).getByRole('textbox', { name: 'Article text' });
  await expect(text).toHaveValue(BEFORE);
  await text.fill(AFTER);
  await dialog(page).getByRole('button', { name: 'Apply the change' }).click();
  // Said before anything changes.
  const alert = dialog(page).getByRole('alert');
  await expect(alert).toContainText('1 annotation would lose its text and become an orphan: Entity “Jane Dow”');
  expect((await saved(page)).text).toBe(BEFORE);
  await dialog(page).getByRole('button', { name: 'Apply anyway' }).click();
  // One change runs from the header cut to the typo: the quote inside it is found again by its
  // words; "Acme Corp" after it only moves.
  await expect(dialog(page).getByRole('status').first()).toContainText(
    'The text was changed: 1 annotation kept its text, 1 found again, 1 orphan to place or delete below.',
  );
  const orphans = dialog(page).getByRole('region', { name: 'Orphans (1)' });
  await expect(orphans).toContainText('Entity “Jane Dow” was: …');
  await expect(orphans).toContainText('Its text no longer occurs in the article.');
  // The page has the new text already, and the orphan saved.
  await expect.poll(async () => (await saved(page)).text).toBe(AFTER);
  expect((await saved(page)).orphans).toEqual([['entity', 'Jane Dow']]);
  await shot(page, testInfo, 'text-fix-orphan');

  // Select "Jane Doe" in the words around where it was, and place it there.
  const near = orphans.getByRole('textbox', { name: 'The text around where it was: select its words' });
  await near.evaluate((area) => {
    const at = area.value.indexOf('Jane Doe');
    area.focus();
    area.setSelectionRange(at, at + 'Jane Doe'.length);
  });
  await orphans.getByRole('button', { name: 'Place on the selected words: Entity “Jane Dow”' }).click();
  await expect(dialog(page).getByRole('status').first()).toContainText('Placed Entity on “Jane Doe”.');
  await expect(orphans).toBeHidden();
  await dialog(page).getByRole('button', { name: 'Close' }).click();
  await expect(dialog(page)).toBeHidden();

  await expect(article(page)).toHaveText(AFTER);
  await expectCount(page, 3);
  await expect(fixButton(page)).toHaveText('Fix text…');
  await expect.poll(async () => (await saved(page)).orphans).toEqual([]);
  expect((await saved(page)).spans).toEqual([
    ['quote', '“We will respond,”'], ['entity', 'Jane Doe'], ['entity', 'Acme Corp'],
  ]);

  // Undo: the placing, then the fix with its annotations.
  await page.keyboard.press('Control+z');
  await expect(fixButton(page)).toHaveText('Fix text… (1 orphan)');
  await expectCount(page, 2);
  await page.keyboard.press('Control+z');
  await expect(article(page)).toHaveText(BEFORE);
  await expectCount(page, 3);
  await expect(fixButton(page)).toHaveText('Fix text…');
  await expect.poll(async () => (await saved(page)).text).toBe(BEFORE);
  expect((await saved(page)).spans).toEqual([
    ['quote', '“We will respond,”'], ['entity', 'Jane Dow'], ['entity', 'Acme Corp'],
  ]);
  // Redo both.
  await page.keyboard.press('Control+Shift+z');
  await page.keyboard.press('Control+Shift+z');
  await expect(article(page)).toHaveText(AFTER);
  await expectCount(page, 3);
  expect(await listedAnnotations(page)).toHaveLength(3);

  // The export has exactly the annotations on the fixed text.
  const [file] = await exportAs(page, testInfo, 'Native JSON');
  const output = pythonCheck(testInfo, file, {
    Fixing: [['quote', '“We will respond,”'], ['entity', 'Jane Doe'], ['entity', 'Acme Corp']],
  });
  expect(output).toContain('3 annotations in 1 documents, 0 problems');
});

test('an orphan can be placed where its words still occur, or deleted, and the orphans survive a reload', async ({ page }) => {
  const text = 'Jane Dow said so. Later, Jane Dow left.';
  await page.goto('/');
  await pasteArticle(page, text, 'Twice');
  await dragSelect(page, span(text, 'Jane Dow'));
  await page.keyboard.press('e');
  await dragSelect(page, span(text, 'said so'));
  await page.keyboard.press('c');
  await fixButton(page).click();
  await dialog(page).getByRole('textbox', { name: 'Article text' }).fill('Jane Doe says so. Later, Jane Dow left.');
  await dialog(page).getByRole('button', { name: 'Apply the change' }).click();
  await expect(dialog(page).getByRole('alert')).toContainText('2 annotations would lose their text and become orphans');
  // By keyboard: focus is on "Apply anyway" as it appears, and back in the text after it.
  await expect(dialog(page).getByRole('button', { name: 'Apply anyway' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog(page).getByRole('textbox', { name: 'Article text' })).toBeFocused();
  await expect(dialog(page).getByRole('region', { name: 'Orphans (2)' })).toBeVisible();
  await dialog(page).getByRole('button', { name: 'Close' }).click();
  await expect(fixButton(page)).toHaveText('Fix text… (2 orphans)');

  await page.reload();
  await expect(fixButton(page)).toHaveText('Fix text… (2 orphans)');
  await fixButton(page).click();
  const orphans = dialog(page).getByRole('region', { name: 'Orphans (2)' });
  // "Jane Dow" still occurs once, later: offered, never taken by itself.
  await expect(orphans).toContainText('Its text occurs once in the article:');
  await orphans.getByRole('button', { name: /^Place here: place 1 of 1, …/ }).click();
  await expect(dialog(page).getByRole('region', { name: 'Orphans (1)' })).toBeVisible();
  // The button went with its orphan: focus is on the dialog, not lost to the page.
  await expect(dialog(page)).toBeFocused();
  await dialog(page).getByRole('button', { name: 'Delete: the orphan Claim “said so”' }).click();
  await expect(dialog(page).getByRole('region', { name: /^Orphans/ })).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toBeHidden();
  await expectCount(page, 1);
  await expect.poll(async () => (await saved(page)).spans).toEqual([['entity', 'Jane Dow']]);
  await expect.poll(async () => (await saved(page)).orphans).toEqual([]);
  await expect(fixButton(page)).toHaveText('Fix text…');
  const [[entry]] = await storedDocuments(page);
  expect(entry.document.annotations[0].start).toBe(Array.from('Jane Doe says so. Later, ').length);
});
