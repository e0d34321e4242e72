// #15, annotator identity: the name is asked once, before the first export (with the work done
// before it, if it is the person's); every annotation records who made it and who last changed
// it; every export carries it; Compare names each file's annotator by the name the file carries.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { ANSWERED } from './playwright.config.mjs';
import {
  MULTILINGUAL, pasteArticle, span, dragSelect, expectCount, panel, details, exportAs, shot,
} from './helpers.mjs';

// A profile that was never asked (the config's default has answered "no name").
test.use({ storageState: { cookies: [], origins: [] } });

const nameButton = (page) => page.getByRole('button', { name: /^(Set your name…|Annotator: .*)$/ });

/** Picks an export entry and waits for the download, answering the name question on the way. */
async function exportAnswering(page, testInfo, format, answer) {
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const menu = page.getByRole('menu', { name: 'Export' });
  await menu.getByRole('menuitemradio', { name: 'This article' }).click();
  const downloaded = page.waitForEvent('download');
  await menu.getByRole('menuitem', { name: format, exact: true }).click();
  await answer(page.getByRole('dialog', { name: 'Who is annotating?' }));
  const file = await downloaded;
  const target = testInfo.outputPath(`${format.split(' ')[0]}-${Date.now()}-${file.suggestedFilename()}`);
  await file.saveAs(target);
  return target;
}

const annotationsOf = (file) => JSON.parse(fs.readFileSync(file, 'utf8')).documents[0].annotations;

test('the first export asks who is annotating; each annotation records who made and last changed it', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(nameButton(page)).toHaveText('Set your name…');
  await pasteArticle(page, MULTILINGUAL, 'Summit');
  await dragSelect(page, span(MULTILINGUAL, 'María José Núñez'));
  await page.keyboard.press('e');
  await expectCount(page, 1);

  // The first export asks; a name with a comma is refused and said why, in the field's terms.
  const first = await exportAnswering(page, testInfo, 'Native JSON', async (dialog) => {
    await expect(dialog).toBeVisible();
    await shot(page, testInfo, 'identity-asked-before-export');
    const field = dialog.getByRole('textbox', { name: 'Name' });
    await field.fill('Lee, Ann');
    await field.press('Enter');
    await expect(dialog.getByRole('alert')).toContainText('comma');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    // What was tagged before is offered as hers, ticked.
    const sign = dialog.getByRole('checkbox', { name: /Record me as the maker of the 1 annotation that name/ });
    await expect(sign).toBeChecked();
    await field.fill('Ann Lee 李');
    await field.press('Enter');
    await expect(dialog).toBeHidden();
  });
  // Made before the name was set, signed with it: this very file says so, and the article too.
  expect(annotationsOf(first)[0]).toMatchObject({ made_by: 'Ann Lee 李', changed_by: 'Ann Lee 李' });
  await expect(nameButton(page)).toHaveText('Annotator: Ann Lee 李');
  await panel(page).locator('.annotation-row', { hasText: 'María José Núñez' }).click();
  await expect(details(page).locator('.authors')).toHaveText('Made by Ann Lee 李');

  // From now on, each new annotation is Ann's, and the panel says so.
  await dragSelect(page, span(MULTILINGUAL, '“We will not back down,”'));
  await page.keyboard.press('q');
  await expectCount(page, 2);
  await panel(page).locator('.annotation-row', { hasText: 'We will not back down' }).click();
  await expect(details(page).getByText('Made by Ann Lee 李', { exact: true })).toBeVisible();

  // Another person takes over in this browser: the button opens the same dialog.
  await nameButton(page).click();
  const settings = page.getByRole('dialog', { name: 'Your annotator name' });
  await expect(settings.getByRole('textbox', { name: 'Name' })).toHaveValue('Ann Lee 李');
  await settings.getByRole('textbox', { name: 'Name' }).fill('Bob 👨🏿‍💻');
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(settings).toBeHidden();
  await expect(nameButton(page)).toHaveText('Annotator: Bob 👨🏿‍💻');

  // Bob relabels Ann's quote as a claim: made by Ann, last changed by Bob.
  await panel(page).locator('.annotation-row', { hasText: 'We will not back down' }).click();
  await page.keyboard.press('c');
  const line = details(page).locator('.authors');
  await expect(line).toHaveText('Made by Ann Lee 李, last changed by Bob 👨🏿‍💻');
  await shot(page, testInfo, 'identity-details');

  // No second question; both names in the export.
  const second = await exportAnswering(page, testInfo, 'Native JSON', async (dialog) => {
    await expect(dialog).toHaveCount(0);
  });
  const quote = annotationsOf(second).find((a) => a.text === '“We will not back down,”');
  expect(quote).toMatchObject({ label: 'claim', made_by: 'Ann Lee 李', changed_by: 'Bob 👨🏿‍💻' });
  const jsonl = await exportAnswering(page, testInfo, 'JSONL (spaCy / Prodigy / Hugging Face)', async () => {});
  const record = JSON.parse(fs.readFileSync(jsonl, 'utf8').split('\n')[0]);
  expect(record.meta.annotators).toEqual(['Ann Lee 李', 'Bob 👨🏿‍💻']);
  expect(record.spans.find((s) => s.label === 'claim')).toMatchObject({ made_by: 'Ann Lee 李', changed_by: 'Bob 👨🏿‍💻' });

  // Kept across a reload: the name, and who did what.
  await page.reload();
  await expect(nameButton(page)).toHaveText('Annotator: Bob 👨🏿‍💻');
  await panel(page).locator('.annotation-row', { hasText: 'We will not back down' }).click();
  await expect(details(page).locator('.authors')).toHaveText('Made by Ann Lee 李, last changed by Bob 👨🏿‍💻');
});

test('going on without a name is asked once, by keyboard too; another tab takes the name in', async ({ page, context }, testInfo) => {
  await page.goto('/');
  await pasteArticle(page, MULTILINGUAL, 'Summit');
  await dragSelect(page, span(MULTILINGUAL, 'María José Núñez'));
  await page.keyboard.press('e');
  // Escape is "Export without a name": the export goes on, and nothing is signed.
  await exportAnswering(page, testInfo, 'Native JSON', async (dialog) => {
    await expect(dialog).toBeFocused();
    await expect(dialog.getByRole('checkbox')).toBeChecked();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });
  await expect(nameButton(page)).toHaveText('Set your name…');
  const [again] = await exportAs(page, testInfo, 'Native JSON');
  expect(annotationsOf(again)[0].made_by).toBeUndefined();

  // A second tab of the same browser: the name set in one reaches the other.
  const other = await context.newPage();
  await other.goto('/');
  await nameButton(page).click();
  const dialog = page.getByRole('dialog', { name: 'Your annotator name' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill('cy');
  await page.keyboard.press('Enter');
  await expect(nameButton(other)).toHaveText('Annotator: cy');
  // And what the other tab tags is cy's.
  await dragSelect(other, span(MULTILINGUAL, '서울'));
  await other.keyboard.press('e');
  await panel(other).locator('.annotation-row', { hasText: '서울' }).click();
  await expect(details(other).locator('.authors')).toHaveText('Made by cy');
});

test('Compare names each file\'s annotator by the name the file carries', async ({ browser, page }, testInfo) => {
  const files = [];
  for (const [who, needle] of [['ann', '« Nous avançons »'], ['bob', '“We will not back down,”']]) {
    const context = await browser.newContext({
      storageState: {
        cookies: [],
        origins: [{ origin: ANSWERED.origins[0].origin, localStorage: [{ name: 'article-annotator-annotator', value: who }] }],
      },
    });
    const tab = await context.newPage();
    await tab.goto('/');
    await pasteArticle(tab, MULTILINGUAL, 'Summit');
    await dragSelect(tab, span(MULTILINGUAL, needle));
    await tab.keyboard.press('q');
    const [file] = await exportAs(tab, testInfo, 'Native JSON');
    const target = testInfo.outputPath(`export-${files.length + 1}.json`);
    fs.copyFileSync(file, target);
    files.push(target);
    await context.close();
  }
  await page.goto('/');
  await page.getByRole('button', { name: 'Compare…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Compare annotators' });
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    dialog.getByRole('button', { name: 'Add annotators\' files…' }).click(),
  ]);
  await chooser.setFiles(files);
  await expect(dialog.getByRole('status')).toHaveText('Comparing 2 annotators.');
  await expect(dialog.getByRole('textbox', { name: 'Name of the annotator of export-1.json' })).toHaveValue('ann');
  await expect(dialog.getByRole('textbox', { name: 'Name of the annotator of export-2.json' })).toHaveValue('bob');
});
