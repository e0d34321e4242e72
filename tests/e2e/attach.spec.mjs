// A W3C Web Annotation file from another tool (Hypothesis-like: each target quotes a web page
// by TextQuoteSelector, and the file carries none of the page's text) attached to the open
// article: the review says what was found, maps PERSON onto entity, lists the quotes it could not
// place (one fits eleven places, one is not in the article), and attaching is one undoable step.
// The export has exactly the attached spans, checked by Python.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';
import {
  expectCount, exportAs, importFiles, pasteArticle, pythonCheck, shot, SEED,
} from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const FILE = path.join(here, '../fixtures/formats/w3c/quotes-only.jsonld');
const TITLE = 'US urges China to use Iran influence';

test('a W3C file of quotes without texts attaches to the open article, listing what it could not place', async ({ page }, testInfo) => {
  await page.goto('/');
  await pasteArticle(page, SEED);
  const dialog = await importFiles(page, FILE);
  await expect(dialog).toContainText('Format: W3C Web Annotation');
  await expect(dialog).toContainText(
    `Its 5 annotations quote a page but carry none of its text. Found in “${TITLE}”: 3 spans to attach (2 entity, 1 claim).`,
  );
  await expect(dialog.getByRole('combobox', { name: 'Map PERSON to' })).toHaveValue('entity');
  await expect(dialog.getByRole('heading', { name: 'Not attached: 1 fit several places equally well' })).toBeVisible();
  await expect(dialog).toContainText('annotation https://hypothes.is/a/china: “China”');
  await expect(dialog.getByRole('heading', { name: 'Not attached: 1 not in this article' })).toBeVisible();
  await expect(dialog).toContainText('annotation https://hypothes.is/a/blinken: “Antony Blinken”');
  await shot(page, testInfo, 'attach-review');
  await dialog.getByRole('button', { name: `Attach 3 to “${TITLE}”` }).click();
  await expect(dialog).toBeHidden();
  await expectCount(page, 3);
  await expect(page.locator('.notices')).toContainText('Attached 3 annotations from “quotes-only.jsonld” (W3C Web Annotation)');

  const [file] = await exportAs(page, testInfo, 'Native JSON');
  const output = pythonCheck(testInfo, file, {
    [TITLE]: [
      ['entity', 'Schumer'],
      ['entity', 'Mao Ning'],
      ['claim', 'expressed China’s concerns over civilian casualties'],
    ],
  });
  expect(output).toContain('3 annotations in 1 documents, 0 problems');

  await page.keyboard.press('Control+z');
  await expectCount(page, 0);
});
