// #15: annotators' files made through the UI, compared in the page; the report downloaded and held
// against the Python reference implementations (tests/agreement/check_report.py).
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  MULTILINGUAL, pasteArticle, span, dragSelect, expectCount, exportAs, shot,
} from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '../..');
const SECOND = 'Budget talks resume\n\nThe minister said “we will balance the budget” on Monday, according to aides.';

/** What each annotator tags: [article, needle, key]. They agree on some spans and not others. */
const PLANS = {
  ann: [
    [MULTILINGUAL, '« Nous avançons »', 'q'], [MULTILINGUAL, 'María José Núñez', 'e'],
    [MULTILINGUAL, '“We will not back down,”', 'q'], [MULTILINGUAL, '서울', 'e'],
    [SECOND, '“we will balance the budget”', 'q'], [SECOND, 'The minister', 'e'],
  ],
  bob: [
    [MULTILINGUAL, '« Nous avançons »', 'q'], [MULTILINGUAL, 'María José Núñez', 'e'],
    [MULTILINGUAL, 'We will not back down', 'q'], [MULTILINGUAL, 'Seoul', 'e'],
    [SECOND, '“we will balance the budget”', 'c'], [SECOND, 'minister', 'e'],
  ],
  cy: [
    [MULTILINGUAL, '« Nous avançons »', 'q'], [MULTILINGUAL, 'José Núñez', 'e'],
    [MULTILINGUAL, '“We will not back down,”', 'q'], [MULTILINGUAL, '東京', 'e'],
    [SECOND, '“we will balance the budget”', 'q'],
  ],
};

/** One annotator's session in a profile of their own: paste both articles, tag, export all. */
async function annotatorFile(browser, testInfo, name) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  const docs = page.getByRole('navigation', { name: 'Documents' });
  for (const [text, title] of [[MULTILINGUAL, 'Summit'], [SECOND, 'Budget']]) {
    await pasteArticle(page, text, title);
    const plan = PLANS[name].filter(([article]) => article === text);
    for (const [, needle, key] of plan) {
      await dragSelect(page, span(text, needle));
      await page.keyboard.press(key);
    }
    await expectCount(page, plan.length);
  }
  await docs.getByRole('button', { name: /Summit/ }).first().click();
  const [file] = await exportAs(page, testInfo, 'Native JSON', 'All articles');
  const target = testInfo.outputPath(`${name}.json`);
  fs.copyFileSync(file, target);
  await context.close();
  return target;
}

test('three annotators\' files made in the app are compared; the report equals the Python references', async ({ browser, page }, testInfo) => {
  const files = {};
  for (const name of Object.keys(PLANS)) files[name] = await annotatorFile(browser, testInfo, name);

  await page.goto('/');
  const compare = page.getByRole('button', { name: 'Compare…' });
  await compare.click();
  const dialog = page.getByRole('dialog', { name: 'Compare annotators' });
  await expect(dialog).toBeVisible();
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    dialog.getByRole('button', { name: 'Add annotators\' files…' }).click(),
  ]);
  await chooser.setFiles(Object.values(files));
  await expect(dialog.getByRole('status')).toHaveText('Comparing 3 annotators.');
  for (const name of Object.keys(PLANS)) {
    await expect(dialog.getByRole('textbox', { name: `Name of the annotator of ${name}.json` })).toHaveValue(name);
  }
  // Listed in the order picked, whichever file's read ends first (the report's pairs follow it).
  const names = await dialog.getByRole('textbox', { name: /^Name of the annotator of/ })
    .evaluateAll((fields) => fields.map((field) => field.value));
  expect(names).toEqual(Object.keys(PLANS));
  const table = dialog.getByRole('table', { name: /Corpus, per label/ });
  await expect(table.getByRole('row', { name: /All labels/ })).toBeVisible();
  // Each measure says what it measures: its column is described by its line below the table.
  await expect(table.getByRole('columnheader', { name: 'α_u' })).toHaveAccessibleDescription(/unitizing alpha/);
  await expect(dialog.getByRole('img', { name: /Agreement per label/ })).toBeVisible();
  await expect(dialog.getByText('2 articles paired by text', { exact: false })).toBeVisible();
  await shot(page, testInfo, 'compare-report');

  // The JSON report equals the references on the same files; the CSV has a row per number.
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Download report (JSON)' }).click(),
  ]);
  const reportPath = testInfo.outputPath('agreement-report.json');
  await json.saveAs(reportPath);
  const output = execFileSync(path.join(root, 'target/pyref/bin/python'), [
    path.join(root, 'tests/agreement/check_report.py'), 'check', reportPath,
    ...Object.entries(files).map(([name, file]) => `${name}=${file}`),
  ], { encoding: 'utf8' });
  expect(output).toContain('the report matches the references (2 articles)');
  const report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
  // ann and bob agree exactly on 2 of their 6 spans each.
  const annBob = report.corpus.pairs.find((p) => p.a === 'ann' && p.b === 'bob');
  expect([annBob.exact.matched, annBob.exact.only_a, annBob.exact.only_b]).toEqual([2, 4, 4]);
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Download report (CSV)' }).click(),
  ]);
  const csvPath = testInfo.outputPath('agreement-report.csv');
  await csv.saveAs(csvPath);
  const lines = fs.readFileSync(csvPath, 'utf8').trim().split('\r\n'); // RFC 4180 line ends
  expect(lines[0]).toBe('scope,article,measure,label,annotator_a,annotator_b,value,matched,only_a,only_b');
  expect(lines).toContain('corpus,,exact_f1,,ann,bob,0.3333333333333333,2,4,4');

  // Another pair in detail; a renamed annotator is named so in the report.
  await dialog.getByRole('combobox', { name: 'Pair shown:' }).selectOption('ann and cy');
  await expect(table).toHaveAccessibleName(/ann and cy/);
  const cyName = dialog.getByRole('textbox', { name: 'Name of the annotator of cy.json' });
  await cyName.fill('Cyrielle');
  await cyName.press('Tab');
  await expect(dialog.getByRole('combobox', { name: 'Pair shown:' })).toContainText('ann and Cyrielle');
  await dialog.getByRole('button', { name: 'Remove bob' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Comparing 2 annotators.');
  await shot(page, testInfo, 'compare-two');

  // Escape closes it and focus goes back to the button; nothing was added to the library.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(compare).toBeFocused();
  await expect(page.getByRole('navigation', { name: 'Documents' }).getByRole('listitem')).toHaveCount(0);
});

test('a file that is not an export is listed with why, and does not stop the others', async ({ page }, testInfo) => {
  const broken = testInfo.outputPath('notes.json');
  fs.writeFileSync(broken, '{"hello": ');
  await page.goto('/');
  await page.getByRole('button', { name: 'Compare…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Compare annotators' });
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    dialog.getByRole('button', { name: 'Add annotators\' files…' }).click(),
  ]);
  await chooser.setFiles([broken]);
  await expect(dialog.getByText(/notes\.json: not compared/)).toBeVisible();
  await expect(dialog.getByRole('status')).toHaveText(/0 files read; add at least two/);
  await expect(dialog.getByRole('button', { name: 'Download report (JSON)' })).toBeDisabled();
});

const agreementFixtures = path.join(here, '../fixtures/agreement');

/** Opens Compare and adds fixture files; returns the dialog. */
async function compareFixtures(page, names) {
  await page.getByRole('button', { name: 'Compare…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Compare annotators' });
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    dialog.getByRole('button', { name: 'Add annotators\' files…' }).click(),
  ]);
  await chooser.setFiles(names.map((n) => path.join(agreementFixtures, `${n}.json`)));
  await expect(dialog.getByRole('status')).toHaveText(`Comparing ${names.length} annotators.`);
  return dialog;
}

test('disagreements are adjudicated by keys and buttons into a gold article that survives a reload, imports, and exports its provenance', async ({ page, browser }, testInfo) => {
  await page.goto('/');
  let dialog = await compareFixtures(page, ['ann', 'bob']);
  await dialog.getByRole('button', { name: 'Adjudicate Summit between ann and bob' }).click();
  // Focus goes to the view's heading (the button pressed is gone).
  await expect(dialog.getByRole('heading', { name: 'Adjudicating “Summit”: ann and bob' })).toBeFocused();
  const status = dialog.getByRole('region', { name: /^Adjudicating/ }).getByRole('status');
  await expect(status).toHaveText('3 of 3 disagreements left; 0 of 2 agreements accepted.');
  await dialog.getByRole('textbox', { name: 'Adjudicator' }).fill('Zoe');
  await dialog.getByRole('textbox', { name: 'Adjudicator' }).press('Tab');

  // The first disagreement: other boundaries, each side marked and labelled in words.
  let current = dialog.getByRole('group', { name: /^Difference 2 of 5: other boundaries/ });
  await expect(current).toContainText('ann: ');
  await expect(current).toContainText('[quote “We will not back down,”]');
  await expect(current).toContainText('[quote We will not back down]');
  await shot(page, testInfo, 'adjudication');
  await current.getByRole('button', { name: 'Accept ann' }).click();
  await expect(status).toHaveText('2 of 3 disagreements left; 0 of 2 agreements accepted.');
  current = dialog.getByRole('group', { name: /^Difference 4 of 5: only bob/ });
  await current.getByRole('button', { name: 'Accept bob' }).click();
  current = dialog.getByRole('group', { name: /^Difference 5 of 5: only ann/ });
  await current.getByRole('button', { name: 'Reject' }).click();
  await expect(status).toHaveText('0 of 3 disagreements left; 0 of 2 agreements accepted.');
  // Undo by key takes the rejection back; the span is kept instead, as the adjudicator's own.
  await page.keyboard.press('Control+z');
  await expect(status).toHaveText('1 of 3 disagreements left; 0 of 2 agreements accepted.');
  current = dialog.getByRole('group', { name: /^Difference 5 of 5/ });
  await current.getByRole('button', { name: 'Edit…' }).click();
  await current.getByRole('combobox', { name: 'Label' }).selectOption('entity');
  await current.getByRole('button', { name: 'Use this span' }).click();
  await expect(status).toHaveText('0 of 3 disagreements left; 0 of 2 agreements accepted.');
  await expect(dialog.locator('.adj-decide button').first()).toBeFocused();
  // n and p walk the disagreements.
  await dialog.getByRole('button', { name: 'Previous disagreement' }).focus();
  await page.keyboard.press('n');
  await expect(dialog.getByRole('group', { name: /^Difference 2 of 5/ })).toBeVisible();
  await page.keyboard.press('p');
  await expect(dialog.getByRole('group', { name: /^Difference 5 of 5/ })).toBeVisible();
  await dialog.getByRole('button', { name: 'Accept where both agree (2)' }).click();
  await expect(status).toHaveText('0 of 3 disagreements left; 2 of 2 agreements accepted.');
  await dialog.getByRole('button', { name: 'Back to the report' }).click();
  await expect(dialog.getByRole('heading', { name: 'Agreement', exact: true })).toBeFocused();

  // A reload loses nothing: the adjudication resumes without the files.
  await page.reload();
  await page.getByRole('button', { name: 'Compare…' }).click();
  dialog = page.getByRole('dialog', { name: 'Compare annotators' });
  await dialog.getByRole('button', { name: /^Resume “Summit”: ann and bob, 5 decided/ }).click();
  await expect(dialog.getByRole('region', { name: /^Adjudicating/ }).getByRole('status'))
    .toHaveText('0 of 3 disagreements left; 2 of 2 agreements accepted.');
  await expect(dialog.getByRole('textbox', { name: 'Adjudicator' })).toHaveValue('Zoe');

  // The gold article goes through the import's review into the library.
  const [gold] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Download the gold article (JSON)' }).click(),
  ]);
  const goldPath = testInfo.outputPath('Summit.gold.json');
  await gold.saveAs(goldPath);
  await dialog.getByRole('button', { name: 'Add the gold article to my articles' }).click();
  const review = page.getByRole('dialog');
  await review.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('navigation', { name: 'Documents' })).toContainText('Summit (gold)');
  await expectCount(page, 5);

  const file = JSON.parse(fs.readFileSync(goldPath, 'utf8'));
  const spans = file.documents[0].annotations.map((a) => [a.label, a.text, a.attributes.annotators ?? null, a.attributes.adjudicator]);
  expect(spans).toEqual([
    ['quote', '« Nous avançons »', 'ann, bob', 'Zoe'],
    ['quote', '“We will not back down,”', 'ann', 'Zoe'],
    ['entity', 'María José Núñez', 'ann, bob', 'Zoe'],
    ['entity', 'Seoul', 'bob', 'Zoe'],
    ['entity', '서울', 'ann', 'Zoe'],
  ]);

  // In a fresh profile the gold file imports unchanged and exports the same spans.
  const context = await browser.newContext();
  const fresh = await context.newPage();
  await fresh.goto('/');
  const [chooser] = await Promise.all([
    fresh.waitForEvent('filechooser'),
    fresh.getByRole('button', { name: 'Import a file' }).click(),
  ]);
  await chooser.setFiles(goldPath);
  await fresh.getByRole('dialog').getByRole('button', { name: 'Import', exact: true }).click();
  await expectCount(fresh, 5);
  const [again] = await exportAs(fresh, testInfo, 'Native JSON');
  const reexported = JSON.parse(fs.readFileSync(again, 'utf8')).documents[0];
  expect(reexported.text).toBe(file.documents[0].text);
  expect(reexported.annotations.map((a) => [a.label, a.start, a.end, a.attributes]))
    .toEqual(file.documents[0].annotations.map((a) => [a.label, a.start, a.end, a.attributes]));
  await context.close();
});

test('a file holding two annotators\' work on one article imports each twice-tagged span once, and says so', async ({ page }, testInfo) => {
  const read = (who) => JSON.parse(fs.readFileSync(path.join(agreementFixtures, `${who}.json`), 'utf8'));
  const [ann, bob] = [read('ann'), read('bob')];
  const summit = ann.documents.find((d) => d.title === 'Summit');
  const bobs = bob.documents.find((d) => d.title === 'Summit').annotations.map((a) => ({ ...a, id: `b-${a.id}` }));
  const merged = { ...ann, documents: [{ ...summit, annotations: [...summit.annotations, ...bobs] }] };
  const file = testInfo.outputPath('ann-and-bob.json');
  fs.writeFileSync(file, JSON.stringify(merged));
  await page.goto('/');
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import a file' }).click(),
  ]);
  await chooser.setFiles(file);
  const review = page.getByRole('dialog');
  // « Nous avançons » and María José Núñez were tagged alike by both.
  await expect(review).toContainText('2 spans were in the file twice (the same place and label, as in merged annotators\' work) and are imported once each.');
  await review.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toContainText('2 spans merged into identical ones (same place and label).');
  await expectCount(page, 6);
});

/** Presses Tab until `target` has focus (at most `limit` presses): proves it is reachable. */
async function tabTo(page, target, limit = 80) {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${target} was not reached with ${limit} presses of Tab`);
}

test('Compare and adjudication by keyboard only: files, report, a decision, back, close', async ({ page }) => {
  await page.goto('/');
  const compare = page.getByRole('button', { name: 'Compare…' });
  await tabTo(page, compare);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Compare annotators' });
  // The dialog takes focus once it is shown as a modal one (after its first render): Tab
  // before that would walk the page behind it.
  await expect(dialog).toBeFocused();
  // A file picker closed without a choice fires a bubbling `cancel` at its field: the dialog
  // stays (only its own cancel, Escape, closes it).
  await dialog.locator('input[type=file]').evaluate((input) => input.dispatchEvent(new Event('cancel', { bubbles: true })));
  await expect(dialog).toBeVisible();
  // Listening for the picker turns on Playwright's interception of it, which takes a round trip:
  // started before the keys, not beside the last one (on a loaded machine the Enter won that
  // race and a real picker opened instead).
  const picking = page.waitForEvent('filechooser');
  const add = dialog.getByRole('button', { name: 'Add annotators\' files…' });
  await tabTo(page, add);
  await expect(add).toBeFocused();
  await page.keyboard.press('Enter');
  const chooser = await picking;
  await chooser.setFiles(['ann', 'bob'].map((n) => path.join(agreementFixtures, `${n}.json`)));
  await expect(dialog.getByRole('status')).toHaveText('Comparing 2 annotators.');
  // The tables scroll in boxes that take focus, so a phone's reader can scroll them by keys.
  await tabTo(page, dialog.getByRole('region', { name: 'Corpus, per label' }));
  await tabTo(page, dialog.getByRole('button', { name: 'Adjudicate Budget between ann and bob' }));
  await page.keyboard.press('Enter');
  const view = dialog.getByRole('region', { name: /^Adjudicating “Budget”/ });
  await expect(view.getByRole('heading')).toBeFocused();
  await tabTo(page, view.getByRole('button', { name: 'Accept bob' }));
  await page.keyboard.press('Enter');
  await expect(view.getByRole('status')).toHaveText('1 of 2 disagreements left; 0 of 0 agreements accepted.');
  await tabTo(page, view.getByRole('button', { name: 'Back to the report' }));
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('heading', { name: 'Agreement', exact: true })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(compare).toBeFocused();
  await page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.startsWith('article-annotator-adjudication:'))
    .forEach((k) => localStorage.removeItem(k)));
});
