// The corpus's guidelines beside the article: written in the app (from a template), drawn as
// text (never as HTML), opened at the section of the selected annotation's label, kept with
// the label schema across a reload, and exported and imported with it.
import fs from 'node:fs';
import { test, expect } from '@playwright/test';
import { article, download, dragSelect, expectCount, pasteArticle, shot, span } from './helpers.mjs';

const TEXT = '“We will respond,” said Jane Doe. The tax rose by 4%.';
const GUIDELINES = [
  '# Guidelines',
  'Tag what is *said*, not what is **meant**.',
  '## Quotes',
  'The words between the marks, without them.',
  ...Array.from({ length: 30 }, (_, i) => `- rule ${i + 1} about quotes`),
  '> “We will respond,” said Jane Doe.',
  '## Entity',
  'People and organisations, by their name as written. <b>not bold</b>',
  '## Claim',
  'A checkable statement.',
].join('\n');

const side = (page) => page.getByRole('complementary', { name: 'Annotations' });
const panel = (page) => page.getByRole('region', { name: 'Guidelines' });

test('guidelines: written from a template, opened at the selected label, kept, exported and imported with the schema', async ({ page }, testInfo) => {
  await page.goto('/');
  await pasteArticle(page, TEXT, 'Guidelines');
  await dragSelect(page, span(TEXT, 'Jane Doe'));
  await page.keyboard.press('e');
  await dragSelect(page, span(TEXT, 'The tax rose by 4%'));
  await page.keyboard.press('c');
  await expectCount(page, 2);

  const toggle = side(page).getByRole('button', { name: 'Guidelines', exact: true });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(panel(page)).toContainText('No guidelines yet.');
  await panel(page).getByRole('button', { name: 'Start from a template' }).click();
  const editor = panel(page).getByRole('textbox', { name: 'Guidelines' });
  await expect(editor).toBeFocused();
  expect(await editor.inputValue()).toContain('## Quote\n');
  await editor.fill(GUIDELINES);
  await shot(page, testInfo, 'guidelines-editing');
  await expect(panel(page).getByRole('button', { name: 'Save guidelines' })).toBeInViewport();
  await panel(page).getByRole('button', { name: 'Save guidelines' }).click();
  await expect(panel(page).getByRole('status')).toHaveText('Guidelines saved with the label schema.');
  await expect(panel(page).getByRole('heading', { name: 'Quotes' })).toBeVisible();
  // Markup is drawn as such, and anything else stays text.
  await expect(panel(page).locator('em')).toHaveText('said');
  await expect(panel(page).locator('strong')).toHaveText('meant');
  await expect(panel(page).locator('b')).toHaveCount(0);
  await expect(panel(page)).toContainText('<b>not bold</b>');
  await expect(panel(page).locator('.guideline-example')).toContainText('Example “We will respond,” said Jane Doe.');

  // Selecting an annotation opens its label's section, scrolled into the panel's view.
  await side(page).locator('.annotation-row', { hasText: 'The tax rose' }).click();
  const claim = panel(page).getByRole('heading', { name: 'Claim' });
  await expect(claim).toHaveClass(/current/);
  await expect(claim).toBeInViewport();
  await shot(page, testInfo, 'guidelines-claim');
  await side(page).locator('.annotation-row', { hasText: 'Jane Doe' }).click();
  await expect(panel(page).getByRole('heading', { name: 'Entity' })).toHaveClass(/current/);

  // Kept with the schema: after a reload they are there.
  await page.reload();
  await side(page).getByRole('button', { name: 'Guidelines', exact: true }).click();
  await expect(panel(page).getByRole('heading', { name: 'Quotes' })).toBeVisible();

  // Exported with the schema (the native backup carries it), and a schema file brings its own.
  const [exported] = await download(page, testInfo, 'Export all');
  const backup = JSON.parse(fs.readFileSync(exported, 'utf8'));
  expect(backup.schema.guidelines).toBe(GUIDELINES);
  const schemaFile = testInfo.outputPath('theirs.schema.json');
  fs.writeFileSync(schemaFile, JSON.stringify({
    format: 'article-annotator-schema', version: 1, ...backup.schema,
    guidelines: '## Entity\nTheirs: names only.',
  }));
  await page.getByRole('button', { name: 'Labels & relations' }).click();
  const dialog = page.getByRole('dialog');
  const chooser = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'Import schema…' }).click();
  await (await chooser).setFiles(schemaFile);
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(panel(page)).toContainText('Theirs: names only.');
  await shot(page, testInfo, 'guidelines-imported');
});
