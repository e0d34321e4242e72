// The label schema as a user owns it ("Labels & relations"): the editor (in the dialogs module,
// with the import review) loads when it is first opened (not with the page), renames carry annotations along, removing a label in use asks
// first, keys and colours change, Escape drops the draft, and the schema survives a reload.
import { test, expect } from '@playwright/test';
import {
  MULTILINGUAL, article, panel, pasteArticle, span, dragSelect, expectCount, listedAnnotations, shot, expectNotice,
  importFiles,
} from './helpers.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/formats');

const settings = (page) => page.getByRole('dialog', { name: 'Labels & relations' });
const labelBar = (page) => page.getByRole('toolbar', { name: 'Labels' });

async function openSettings(page) {
  await page.getByRole('button', { name: 'Labels & relations' }).click();
  await expect(settings(page)).toBeVisible();
  return settings(page);
}

test('the schema editor loads on first use; renames follow into annotations; removal asks first; Escape cancels; it survives a reload', async ({ page }, testInfo) => {
  const fetched = [];
  page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  await page.goto('/');
  await pasteArticle(page, MULTILINGUAL, 'Summit');
  await dragSelect(page, span(MULTILINGUAL, '北京'));
  await page.keyboard.press('e');
  await dragSelect(page, span(MULTILINGUAL, 'Nous avançons'));
  await page.keyboard.press('q');
  await expectCount(page, 2);
  expect(fetched.filter((p) => p.includes('dialogs')), 'not with the page').toEqual([]);

  // Rename "entity" to "place", by keyboard: the annotation follows.
  let dialog = await openSettings(page);
  expect(fetched.filter((p) => p.endsWith('dialogs_bg.wasm'))).toHaveLength(1);
  const name = dialog.getByRole('textbox', { name: 'Name of label entity' });
  await name.fill('place');
  await name.press('Enter');
  // A new label with its own key.
  await dialog.getByRole('textbox', { name: 'New label name' }).fill('source');
  await dialog.getByRole('button', { name: 'Add label' }).click();
  await dialog.getByRole('combobox', { name: 'Key of source' }).selectOption('s');
  await shot(page, testInfo, 'settings-edited');
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Labels & relations' })).toBeFocused();
  await expect(labelBar(page).getByRole('button', { name: 'place', exact: true })).toBeVisible();
  await expect(labelBar(page).getByRole('button', { name: 'source', exact: true })).toBeVisible();
  expect(await listedAnnotations(page)).toEqual([['place', '北京'], ['quote', 'Nous avançons']]);
  // The new key tags a selection.
  await dragSelect(page, span(MULTILINGUAL, 'Seoul'));
  await page.keyboard.press('s');
  await expectCount(page, 3);
  await expect(article(page).locator('mark', { hasText: 'Seoul' })).toHaveCount(1);

  // Removing a label in use asks first; Keep it keeps it.
  dialog = await openSettings(page);
  await dialog.getByRole('button', { name: 'Remove label quote' }).click();
  const question = dialog.getByRole('group', { name: 'Confirm removal' });
  await expect(question).toContainText('1 annotation uses label “quote”');
  await shot(page, testInfo, 'settings-remove-asks');
  await question.getByRole('button', { name: 'Keep it' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Name of label quote' })).toBeVisible();
  // A change, then Escape: nothing of the draft is applied.
  await dialog.getByRole('textbox', { name: 'Name of label place' }).fill('location');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(labelBar(page).getByRole('button', { name: 'place', exact: true })).toBeVisible();

  // Stored with the articles: a reload keeps the schema and the annotations' labels.
  await page.reload();
  await expect(labelBar(page).getByRole('button', { name: 'source', exact: true })).toBeVisible();
  expect(await listedAnnotations(page)).toEqual([['place', '北京'], ['quote', 'Nous avançons'], ['source', 'Seoul']]);

  // Keys typed in the editor stay there: with 北京 selected, "q" in a field relabels nothing.
  await article(page).locator('mark', { hasText: '北京' }).first().click();
  dialog = await openSettings(page);
  await dialog.getByRole('textbox', { name: 'New label name' }).pressSequentially('q');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await listedAnnotations(page)).toEqual([['place', '北京'], ['quote', 'Nous avançons'], ['source', 'Seoul']]);
});

test('a dialogs module that cannot load is a message (settings and import), and the page goes on working', async ({ page }, testInfo) => {
  await page.goto('/');
  await pasteArticle(page, MULTILINGUAL, 'Summit');
  await page.route('**/dialogs_bg.wasm', (route) => route.abort());
  await page.getByRole('button', { name: 'Labels & relations' }).click();
  await expectNotice(page, 'The label settings could not be opened');
  await shot(page, testInfo, 'settings-failed');
  await dragSelect(page, span(MULTILINGUAL, '北京'));
  await page.keyboard.press('e');
  await expectCount(page, 1);
  // The import review lives in the same module: an import says so and changes nothing.
  await importFiles(page, path.join(fixtures, 'jsonl/source.jsonl'));
  await expectNotice(page, 'Nothing was imported: the import could not be shown');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expectCount(page, 1);
});

test('a schema file picker closed without a choice leaves the editor and its draft as they were', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Labels & relations' }).click();
  const dialog = settings(page);
  await expect(dialog).toBeVisible();
  const name = dialog.getByRole('textbox', { name: /name/i }).first();
  await name.fill('Quotation');
  // What the browser fires when its file picker is closed without a choice: a `cancel` that
  // bubbles from the field. It once reached the dialog as if it were Escape and dropped the draft.
  await dialog.locator('input[type=file]').evaluate((input) => input.dispatchEvent(new Event('cancel', { bubbles: true })));
  await expect(dialog).toBeVisible();
  await expect(name).toHaveValue('Quotation');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});
