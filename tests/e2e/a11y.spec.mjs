// Accessibility as the issue (#13) measures it: axe-core (WCAG 2.1 A/AA and best practices) on
// every screen, in the light theme, the dark theme and forced colours (high contrast) over a
// dark and a light palette, failing on any serious or critical violation; and the keyboard
// patterns the toolbar and the Export menu claim, driven by keys alone (no mouse call).
import { test, expect } from '@playwright/test';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MULTILINGUAL, article, panel, pasteArticle, span, dragSelect, clickChar, cp, expectCount, importFiles, expectNotice,
} from './helpers.mjs';
import { startTeamServer } from './team_server.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, '../fixtures/formats');

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const FAILING = new Set(['serious', 'critical']);

const MODES = [
  ['light', { colorScheme: 'light', forcedColors: 'none' }],
  ['dark', { colorScheme: 'dark', forcedColors: 'none' }],
  ['forced colours, dark', { colorScheme: 'dark', forcedColors: 'active' }],
  ['forced colours, light', { colorScheme: 'light', forcedColors: 'active' }],
];

/** One line per failing node: rule, impact, the element, and what axe says to fix. */
function describe(violations) {
  return violations.flatMap((v) => v.nodes.map((n) =>
    `${v.id} (${v.impact}) at ${n.target.join(' > ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`));
}

/** Runs axe on the page as it is; fails on serious and critical violations, naming each node. */
async function expectNoSeriousViolations(page, screen) {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ path: AXE });
  }
  const violations = await page.evaluate(async (tags) => {
    const results = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return results.violations.map(({ id, impact, nodes }) => ({
      id, impact, nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })),
    }));
  }, TAGS);
  const failing = violations.filter((v) => FAILING.has(v.impact));
  const minor = violations.filter((v) => !FAILING.has(v.impact)).map((v) => `${v.id} (${v.impact})`);
  if (minor.length) console.log(`axe, ${screen}: not failing on ${minor.join(', ')}`);
  expect(describe(failing), `axe, ${screen}: serious or critical violations`).toEqual([]);
}

for (const [mode, media] of MODES) {
  test(`axe finds nothing serious on any screen (${mode})`, async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    await page.emulateMedia(media);
    await page.goto('/');
    await expect(page.getByRole('textbox', { name: 'Article text' })).toBeVisible();
    await expectNoSeriousViolations(page, `${mode}: paste form`);

    // An article with nested and overlapping annotations, one of them selected.
    await pasteArticle(page, MULTILINGUAL, 'Summit');
    const tag = async (needle, key) => {
      await dragSelect(page, span(MULTILINGUAL, needle));
      await page.keyboard.press(key);
    };
    await tag('“We will not back down,” said María José Núñez', 'c');
    await tag('“We will not back down,”', 'q');
    await tag('María José Núñez', 'e');
    await tag('北京', 'e');
    await tag('« Nous avançons » 👍🏽 après', 'q');
    await tag('Seoul (서울) agreed', 'c');
    await expectCount(page, 6);
    await clickChar(page, cp(MULTILINGUAL, 'José'));
    await expect(article(page).locator('mark.selected').first()).toHaveAttribute('data-label', /entity/i);
    await expectNoSeriousViolations(page, `${mode}: article with a selected annotation`);
    await page.screenshot({ path: testInfo.outputPath(`article-${mode.replace(/\W+/g, '-')}.png`) });

    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const menu = page.getByRole('menu', { name: 'Export' });
    await expect(menu).toBeVisible();
    await expectNoSeriousViolations(page, `${mode}: export menu`);
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();

    await page.getByRole('button', { name: 'Labels & relations' }).click();
    const settings = page.getByRole('dialog', { name: 'Labels & relations' });
    await expect(settings).toBeVisible();
    await expectNoSeriousViolations(page, `${mode}: schema settings`);
    await page.keyboard.press('Escape');
    await expect(settings).toBeHidden();

    // Foreign labels: the dialog shows its label mapping too.
    const dialog = await importFiles(page, path.join(fixtures, 'jsonl/source.jsonl'));
    await expect(dialog).toContainText('Format: JSONL');
    await expectNoSeriousViolations(page, `${mode}: import dialog`);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // An error notice: the export module cannot be fetched. In a second tab, since this one has
    // loaded the module already (for the import).
    const offline = await page.context().newPage();
    await offline.emulateMedia(media);
    await offline.route('**/formats-worker_bg.wasm', (route) => route.abort());
    await offline.goto('/');
    await offline.getByRole('button', { name: 'Export', exact: true }).click();
    await offline.getByRole('menuitem', { name: 'JSONL (spaCy / Prodigy / Hugging Face)', exact: true }).click();
    await expectNotice(offline, 'Nothing was exported');
    await expectNoSeriousViolations(offline, `${mode}: error notice`);
    await offline.close();

    // An information notice with its action: a deleted article, with Undo delete.
    await page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: 'Delete Summit' }).click();
    await expect(page.getByRole('button', { name: 'Undo delete' })).toBeVisible();
    await expectNoSeriousViolations(page, `${mode}: deleted notice`);
  });
}

for (const [mode, media] of MODES) {
  test(`axe finds nothing serious in the Suggest dialog and the review bar (${mode})`, async ({ page }, testInfo) => {
    await page.emulateMedia(media);
    await page.goto('/');
    await pasteArticle(page, '“We will respond,” said Jane Doe. Doe left. Acme said so.', 'Suggest');
    await page.getByRole('button', { name: 'Suggest…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Suggest spans to review' });
    await expect(dialog).toBeVisible();
    await expectNoSeriousViolations(page, `${mode}: Suggest dialog`);
    await dialog.getByRole('button', { name: 'Quotes and speakers' }).click();
    const bar = page.getByRole('region', { name: 'Suggestions' });
    await expect(bar).toContainText('1 of 2');
    await expectNoSeriousViolations(page, `${mode}: review bar`);
    await page.screenshot({ path: testInfo.outputPath(`suggestions-${mode.replace(/[^a-z]+/g, '-')}.png`) });
  });
}

for (const [mode, media] of MODES) {
  test(`axe finds nothing serious in the Fix text dialog with an orphan, and in the review of attached quotes (${mode})`, async ({ page }, testInfo) => {
    await page.emulateMedia(media);
    await page.goto('/');
    const text = 'Jane Dow said so on Monday.';
    await pasteArticle(page, text, 'Fix');
    await dragSelect(page, span(text, 'Jane Dow'));
    await page.keyboard.press('e');
    await expectCount(page, 1);
    await page.getByRole('button', { name: /^Fix text…/ }).click();
    const dialog = page.getByRole('dialog', { name: "Fix the article's text" });
    await dialog.getByRole('textbox', { name: 'Article text' }).fill('Jane Doe said so on Monday.');
    await dialog.getByRole('button', { name: 'Apply the change' }).click();
    await expect(dialog.getByRole('alert')).toBeVisible();
    await expectNoSeriousViolations(page, `${mode}: Fix text, before orphaning`);
    await dialog.getByRole('button', { name: 'Apply anyway' }).click();
    await expect(dialog.getByRole('region', { name: 'Orphans (1)' })).toBeVisible();
    await expectNoSeriousViolations(page, `${mode}: Fix text with an orphan`);
    await page.screenshot({ path: testInfo.outputPath(`text-fix-${mode.replace(/[^a-z]+/g, '-')}.png`) });
    await dialog.getByRole('button', { name: 'Close' }).click();
    const review = await importFiles(page, path.join(fixtures, 'w3c/quotes-only.jsonld'));
    await expect(review).toBeVisible();
    await page.getByRole('dialog').first().waitFor();
    await expectNoSeriousViolations(page, `${mode}: review of quotes to attach`);
  });
}

for (const [mode, media] of MODES) {
  test(`axe finds nothing serious with the find bar and the guidelines open (${mode})`, async ({ page }, testInfo) => {
    await page.emulateMedia(media);
    await page.goto('/');
    const text = 'São Paulo voted. In SAO PAULO, turnout was high.';
    await pasteArticle(page, text, 'Find');
    await dragSelect(page, span(text, 'São Paulo'));
    await page.keyboard.press('e');
    await expectCount(page, 1);
    await page.getByRole('button', { name: 'Find…' }).click();
    const find = page.getByRole('search', { name: 'Find in the article' });
    await find.getByRole('searchbox', { name: 'Find in the article' }).fill('sao paulo');
    await expect(find).toContainText('1 of 2 matches');
    await expectNoSeriousViolations(page, `${mode}: find bar`);
    await page.screenshot({ path: testInfo.outputPath(`find-${mode.replace(/[^a-z]+/g, '-')}.png`) });
    await page.keyboard.press('Escape');
    const side = page.getByRole('complementary', { name: 'Annotations' });
    await side.getByRole('button', { name: 'Guidelines', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Guidelines' });
    await panel.getByRole('button', { name: 'Start from a template' }).click();
    await expectNoSeriousViolations(page, `${mode}: guidelines editor`);
    await panel.getByRole('button', { name: 'Save guidelines' }).click();
    await side.locator('.annotation-row').first().click();
    await expect(panel.getByRole('heading', { name: 'Entity' })).toHaveClass(/current/);
    await expectNoSeriousViolations(page, `${mode}: guidelines`);
    await page.screenshot({ path: testInfo.outputPath(`guidelines-${mode.replace(/[^a-z]+/g, '-')}.png`) });
  });
}

/**
 * Pastes an article, tags all of it with `key` and selects that annotation, by keys alone: every
 * label, Delete and Undo are then enabled, and Redo is not.
 */
async function tagWholeArticleByKeys(page, key) {
  await page.goto('/');
  await page.getByRole('textbox', { name: 'Article text' }).fill(MULTILINGUAL);
  await page.getByRole('button', { name: 'Annotate' }).press('Enter');
  await expect(article(page)).toBeVisible();
  await page.keyboard.press('ControlOrMeta+a');
  // The selection reaches the app on `selectionchange`, a moment after the keys.
  await expect(page.locator('.selection-status')).toContainText('Selected');
  await page.keyboard.press(key);
  await expectCount(page, 1);
  // Focusing its row in the list selects it.
  const row = panel(page).locator('.annotation-row');
  for (let tabs = 0; !(await row.evaluate((el) => el === document.activeElement)); tabs++) {
    expect(tabs, 'Tab never reached the annotation list').toBeLessThan(60);
    await page.keyboard.press('Tab');
  }
  await expect(article(page).locator('mark.selected').first()).toBeVisible();
}

test('the label toolbar is one Tab stop whose buttons the arrow keys, Home and End walk', async ({ page }) => {
  await tagWholeArticleByKeys(page, 'q');
  const bar = page.getByRole('toolbar', { name: 'Labels' });
  const button = (name) => bar.getByRole('button', { name, exact: true });
  await expect(button('Delete')).toBeEnabled();
  await expect(button('Redo')).toBeDisabled();
  await expect(bar.locator('button[tabindex="0"]')).toHaveCount(1);
  await expect(bar.locator('button:not([tabindex])')).toHaveCount(0);

  // Tab reaches the bar from the top of the page, on its one Tab stop.
  await page.getByRole('button', { name: 'Labels & relations' }).focus();
  let tabs = 0;
  while (!(await bar.evaluate((el) => el.contains(document.activeElement)))) {
    expect(++tabs, 'Tab never reached the label toolbar').toBeLessThan(40);
    await page.keyboard.press('Tab');
  }
  await expect(bar.locator('button[tabindex="0"]')).toBeFocused();
  for (const [key, name] of [
    ['Home', 'Quote'], ['ArrowRight', 'Entity'], ['ArrowRight', 'Claim'], ['ArrowRight', 'Delete'],
    ['ArrowRight', 'Tag all'], ['ArrowRight', 'Find…'], ['ArrowRight', 'Undo'],
    // Redo is disabled: it is skipped, and the walk wraps around.
    ['ArrowRight', 'Quote'], ['ArrowLeft', 'Undo'], ['Home', 'Quote'], ['End', 'Undo'], ['ArrowLeft', 'Find…'],
    ['ArrowLeft', 'Tag all'],
  ]) {
    await page.keyboard.press(key);
    await expect(button(name), `${key} moves to ${name}`).toBeFocused();
  }
  // One Tab leaves the bar; Shift+Tab comes back to the button focused last.
  await page.keyboard.press('Tab');
  expect(await bar.evaluate((el) => el.contains(document.activeElement))).toBe(false);
  await page.keyboard.press('Shift+Tab');
  await expect(button('Tag all')).toBeFocused();
  await expect(bar.locator('button[tabindex="0"]')).toHaveCount(1);
  // The buttons work from the keyboard: relabel to Entity.
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await expect(button('Entity')).toHaveAttribute('aria-pressed', 'true');
  await expect(button('Entity')).toBeFocused();
});

test('the Export menu is entered, walked and left by keys; it is not a row of Tab stops', async ({ page }, testInfo) => {
  await tagWholeArticleByKeys(page, 'e');
  const selected = article(page).locator('mark.selected');
  await expect(selected.first()).toBeVisible();

  const exportButton = page.getByRole('button', { name: 'Export', exact: true });
  const menu = page.getByRole('menu', { name: 'Export' });
  const focusedName = () => page.evaluate(() => {
    const el = document.activeElement;
    return el.querySelector('.menu-name')?.textContent ?? el.textContent.trim();
  });

  await exportButton.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toBeVisible();
  await expect(exportButton).toHaveAttribute('aria-expanded', 'true');
  await expect(menu.getByRole('menuitemradio', { name: 'This article' })).toBeFocused();
  // No entry is a Tab stop.
  const entries = menu.locator('[role^=menuitem]');
  expect(await entries.count()).toBe(11);
  expect(await entries.evaluateAll((items) => items.filter((i) => i.tabIndex !== -1).length)).toBe(0);
  for (const [key, name] of [
    ['ArrowDown', 'All articles (1)'], ['ArrowDown', 'Native JSON'], ['End', 'CSV, spans and relations (zip)'],
    ['ArrowDown', 'This article'], ['ArrowUp', 'CSV, spans and relations (zip)'], ['Home', 'This article'],
  ]) {
    await page.keyboard.press(key);
    expect(await focusedName(), `${key} moves to ${name}`).toBe(name);
  }
  // Escape closes the menu and only the menu: focus is back on its button, the annotation
  // stays selected.
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(exportButton).toBeFocused();
  await expect(exportButton).toHaveAttribute('aria-expanded', 'false');
  await expect(selected.first()).toBeVisible();

  // Tab closes it and moves on to the next control.
  await page.keyboard.press('Enter');
  await expect(menu).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(menu).toBeHidden();
  await expect(page.getByRole('button', { name: 'Export all' })).toBeFocused();

  // Focus moving anywhere outside closes it.
  await exportButton.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toBeVisible();
  await page.getByRole('button', { name: 'Import a file' }).focus();
  await expect(menu).toBeHidden();

  // Choosing a format by keys downloads it and gives focus back to the Export button.
  await exportButton.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  expect(await focusedName()).toBe('Native JSON');
  const [file] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(file.suggestedFilename()).toMatch(/\.annotations\.json$/);
  await file.saveAs(testInfo.outputPath(file.suggestedFilename()));
  await expect(menu).toBeHidden();
  await expect(exportButton).toBeFocused();
});

for (const [mode, media] of MODES) {
  test(`axe finds nothing serious in the Compare dialog's report (${mode})`, async ({ page }, testInfo) => {
    await page.emulateMedia(media);
    await page.goto('/');
    await page.getByRole('button', { name: 'Compare…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Compare annotators' });
    await expect(dialog).toBeVisible();
    await expectNoSeriousViolations(page, `${mode}: Compare dialog, empty`);
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      dialog.getByRole('button', { name: 'Add annotators\' files…' }).click(),
    ]);
    const agreement = path.join(here, '../fixtures/agreement');
    await chooser.setFiles(['ann.json', 'bob.json', 'cy.json'].map((f) => path.join(agreement, f)));
    await expect(dialog.getByRole('status')).toHaveText('Comparing 3 annotators.');
    await expectNoSeriousViolations(page, `${mode}: Compare dialog, report`);
    await page.screenshot({ path: testInfo.outputPath(`compare-${mode.replace(/[^a-z]+/g, '-')}.png`) });
  });
}

for (const [mode, media] of MODES) {
  test(`axe finds nothing serious in the annotator name dialog, a refused name included (${mode})`, async ({ page }, testInfo) => {
    await page.emulateMedia(media);
    await page.goto('/');
    await page.getByRole('button', { name: 'Set your name…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your annotator name' });
    await expect(dialog).toBeFocused();
    await expectNoSeriousViolations(page, `${mode}: annotator dialog`);
    // Refused: the reason is an alert the field is described by.
    const field = dialog.getByRole('textbox', { name: 'Name' });
    await field.fill('Lee, Ann');
    await field.press('Enter');
    await expect(field).toHaveAccessibleDescription(/comma/);
    await expectNoSeriousViolations(page, `${mode}: annotator dialog, refused`);
    await page.screenshot({ path: testInfo.outputPath(`annotator-${mode.replace(/[^a-z]+/g, '-')}.png`) });
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('button', { name: 'Set your name…' })).toBeFocused();
  });
}

test('axe finds nothing serious in team mode: the Join dialog, the team panel connected, refused (every mode)', async ({ page }) => {
  test.setTimeout(180_000);
  const server = await startTeamServer();
  try {
    for (const [mode, media] of MODES) {
      await page.emulateMedia(media);
      await page.goto('/');
      await page.evaluate(() => localStorage.removeItem('article-annotator-team'));
      await page.goto('/');
      await page.getByRole('button', { name: 'Join a team…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Join a team' });
      await dialog.getByRole('textbox', { name: 'Server' }).fill(server.url);
      await dialog.getByRole('textbox', { name: 'Corpus' }).fill('bad name!');
      await dialog.getByLabel('Token').fill('rw-secret');
      await dialog.getByRole('button', { name: 'Join' }).click();
      await expect(dialog.getByRole('alert')).toContainText('corpus name');
      // A refusal keeps what was typed.
      await expect(dialog.getByLabel('Token')).toHaveValue('rw-secret');
      await expect(dialog.getByRole('textbox', { name: 'Server' })).toHaveValue(server.url);
      await expectNoSeriousViolations(page, `${mode}: Join a team, a field refused`);
      await dialog.getByRole('textbox', { name: 'Corpus' }).fill('news');
      await dialog.getByRole('button', { name: 'Join' }).click();
      const team = page.getByRole('region', { name: 'Team' });
      await expect(team.getByRole('status')).toHaveText('connected');
      await expectNoSeriousViolations(page, `${mode}: team panel, connected`);
      await team.getByRole('button', { name: 'Leave team' }).click();
      await page.getByRole('button', { name: 'Join a team…' }).click();
      await dialog.getByRole('textbox', { name: 'Server' }).fill(server.url);
      await dialog.getByRole('textbox', { name: 'Corpus' }).fill('news');
      await dialog.getByLabel('Token').fill('wrong-token');
      await dialog.getByRole('button', { name: 'Join' }).click();
      await expect(team.getByRole('alert')).toContainText('token');
      await expectNoSeriousViolations(page, `${mode}: team panel, token refused`);
      await team.getByRole('button', { name: 'Leave team' }).click();
    }
  } finally {
    await server.stop();
  }
});
