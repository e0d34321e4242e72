// Keyboard only, as a person who cannot use a mouse works: no click, drag or tap anywhere in
// this file. Controls are reached with Tab, spans are made with the article's caret, and after
// every action focus must be on something, never on <body>.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { article, panel, expectCount, expectLabelCounts, listedAnnotations } from './helpers.mjs';

const TEXT = [
  'Mao Ning said the talks were useful.',
  'The ministry will respond soon, she added.',
  '',
  'A third paragraph holds a claim about trade.',
].join('\n');

const SECOND = 'A second article 👩‍👩‍👧 with an emoji family and e\u0301 accents.';

/** Presses Tab until `target` has focus (at most `limit` presses): proves it is reachable. */
async function tabTo(page, target, { limit = 80, back = false } = {}) {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${target} was not reached with ${limit} presses of Tab`);
}

/** Focus is on a control or the article, never on the page itself. */
/** Reaches a button of the label toolbar: Tab to its one Tab stop, then arrows along it. */
async function toolbarTo(page, target) {
  const toolbar = page.getByRole('toolbar', { name: 'Labels' });
  await tabTo(page, toolbar.locator('button[tabindex="0"]'));
  for (let i = 0; i < 12; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('ArrowRight');
  }
  throw new Error(`${target} was not reached along the toolbar`);
}

async function expectFocusKept(page, what) {
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.tagName ?? 'none'), { message: `focus after ${what}` })
    .not.toMatch(/^(BODY|none)$/);
}

async function expectArticleFocused(page) {
  await expect.poll(() => page.evaluate(() => document.activeElement?.matches('article.article') ?? false)).toBe(true);
}

async function press(page, ...keys) {
  for (const key of keys) await page.keyboard.press(key);
}

/** The span the caret selection covers, as the label bar states it. */
const selectionStatus = (page) => page.locator('.selection-status');

async function pasteByKeyboard(page, text) {
  await tabTo(page, page.getByRole('textbox', { name: 'Article text' }));
  await page.keyboard.insertText(text);
  await tabTo(page, page.getByRole('button', { name: 'Annotate' }));
  await page.keyboard.press('Enter');
  await expect(article(page)).toBeVisible();
  await expectArticleFocused(page);
}

test('a whole session by keyboard: spans, nesting, a line break, relabel, delete, undo, switch, import, export', async ({ page }, testInfo) => {
  await page.goto('/');
  await pasteByKeyboard(page, TEXT);

  // 1. `w` selects the word under the caret, again grows it: "Mao Ning"; `e` tags it.
  await press(page, 'w', 'w');
  await expect(selectionStatus(page)).toContainText('“Mao Ning”');
  await press(page, 'e');
  await expectCount(page, 1);
  await expectFocusKept(page, 'tagging');

  // 2. `s` selects the sentence around the caret: a claim with the entity nested in it.
  await press(page, 's');
  await expect(selectionStatus(page)).toContainText('Mao Ning said the talks were useful.');
  await press(page, 'c');
  await expectCount(page, 2);

  // 3. Across the line break, brat-style: Space marks the start, the caret moves, Space marks
  //    the end. From "useful" to the end of "The" on the next line.
  await press(page, 'End', 'Control+ArrowLeft', ' ', 'Control+ArrowRight', 'Control+ArrowRight', 'Control+ArrowRight', ' ');
  await expect(selectionStatus(page)).toContainText('useful. The');
  await press(page, 'q');
  await expectCount(page, 3);

  // 4. Enter selects the annotation under the caret; `c` relabels it.
  await press(page, 'Enter');
  await expect(selectionStatus(page)).toContainText('Quote');
  await press(page, 'c');
  await expectLabelCounts(page, 0, 1, 2);
  await expectFocusKept(page, 'relabelling');

  // 5. Shift+Home from the end of the article: the last line, as a claim; then the last word
  //    by Shift+Ctrl+Left, as an entity (nested in that claim).
  await press(page, 'Escape', 'Control+End', 'Shift+Home');
  await expect(selectionStatus(page)).toContainText('A third paragraph holds a claim about trade.');
  await press(page, 'c');
  await press(page, 'Control+End', 'ArrowLeft', 'Control+ArrowLeft', 'Shift+Control+ArrowRight');
  await expect(selectionStatus(page)).toContainText('“trade”');
  await press(page, 'e');
  await expectCount(page, 5);
  await expectLabelCounts(page, 0, 2, 3);

  // Delete: Enter picks the innermost (the entity), Enter again the claim around it.
  await press(page, 'Enter', 'Enter');
  await expect(selectionStatus(page)).toContainText('Claim “A third paragraph');
  await press(page, 'Delete');
  await expectCount(page, 4);
  await expectFocusKept(page, 'deleting');
  await press(page, 'Control+z');
  await expectCount(page, 5);
  await expectFocusKept(page, 'undo');

  // Every annotation is named in the accessibility tree with its label and its text.
  const list = panel(page).getByRole('list', { name: 'Annotation list' });
  const rows = list.getByRole('button');
  await expect(rows).toHaveCount(5);
  const snapshot = await list.ariaSnapshot();
  for (const [label, text] of [
    ['Entity', 'Mao Ning'], ['Claim', 'Mao Ning said the talks were useful.'], ['Claim', 'useful. ⏎ The'],
    ['Claim', 'A third paragraph holds a claim about trade.'], ['Entity', 'trade'],
  ]) {
    expect(snapshot, `${label} ${text}`).toContain(`${label} ${text}`);
  }
  // The article names each span once, where it opens.
  await expect(article(page).locator('mark[title]:not([title=""])')).toHaveCount(5);
  // To assistive technology each span is one highlight, described by its label and extent
  // (where it starts and ends, how long it is); the fragments that continue a span cut by
  // others are no element of their own. Read from Chromium's accessibility tree.
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const highlights = nodes
    .filter((n) => !n.ignored && n.role?.value === 'mark')
    .map((n) => n.description?.value ?? '')
    .sort();
  expect(highlights).toEqual([
    'Claim “A third paragraph holds a claim about trade.”, 8 words',
    'Claim “Mao Ning said the talks were useful.”, 7 words',
    'Claim “useful. The”, 2 words',
    'Entity “Mao Ning”, 2 words',
    'Entity “trade”, 1 word',
  ]);
  expect(await article(page).locator('mark[role="none"]').count()).toBeGreaterThan(0);
  await cdp.detach();

  // Undo and Redo buttons by keyboard: focus stays on something when Undo runs out.
  const undo = page.getByRole('button', { name: 'Undo' });
  await toolbarTo(page, undo);
  await press(page, 'Enter');
  await expectCount(page, 4);
  await expectFocusKept(page, 'the Undo button');

  // A second article, then back to the first from the document list.
  await tabTo(page, page.getByRole('button', { name: 'New article' }));
  await press(page, 'Enter');
  await expectFocusKept(page, 'New article');
  await pasteByKeyboard(page, SECOND);
  // The caret steps over the emoji family as one character.
  await press(page, 'Control+ArrowRight', 'Control+ArrowRight', 'Control+ArrowRight', 'ArrowRight', 'Shift+ArrowRight');
  await expect(selectionStatus(page)).toContainText('“👩‍👩‍👧”');
  await press(page, 'e');
  await expectCount(page, 1);
  const first = page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: /^Mao Ning said/ });
  await tabTo(page, first, { back: true });
  await press(page, 'Enter');
  await expectArticleFocused(page);
  await expectCount(page, 4);

  // Export by keyboard: ArrowUp on the button opens the menu on its last entry, Escape closes
  // it back onto the button; Enter opens it on its first entry; arrows pick the format.
  await tabTo(page, page.getByRole('button', { name: 'Export', exact: true }));
  await press(page, 'ArrowUp');
  const menu = page.getByRole('menu');
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem').last()).toBeFocused();
  await press(page, 'Escape');
  await expect(menu).toBeHidden();
  await expect(page.getByRole('button', { name: 'Export', exact: true })).toBeFocused();
  await press(page, 'Enter');
  await expect(menu).toBeVisible();
  await expectFocusKept(page, 'opening the menu');
  const downloadPromise = page.waitForEvent('download');
  const native = menu.getByRole('menuitem', { name: /Native JSON/ }).first();
  for (let i = 0; i < 20 && !(await native.evaluate((el) => el === document.activeElement)); i++) {
    await press(page, 'ArrowDown');
  }
  await press(page, 'Enter');
  const download = await downloadPromise;
  const exported = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(exported);
  await expectFocusKept(page, 'exporting');
  const json = JSON.parse(fs.readFileSync(exported, 'utf8'));
  expect(json.documents).toHaveLength(1);
  expect(json.documents[0].annotations).toHaveLength(4);

  // Import it back by keyboard: the file chooser opens from the keyboard, the dialog takes
  // focus, Tab stays inside it, and closing it leaves focus on the opened article.
  const chooser = page.waitForEvent('filechooser');
  await tabTo(page, page.getByRole('button', { name: /^Import/ }));
  await press(page, 'Enter');
  await (await chooser).setFiles(exported);
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect.poll(() => dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  for (let i = 0; i < 12; i++) {
    await press(page, 'Tab');
    expect(await dialog.evaluate((el) => el.contains(document.activeElement)), 'Tab stays in the dialog').toBe(true);
  }
  await tabTo(page, dialog.getByRole('button', { name: 'Keep both' }));
  await press(page, 'Enter');
  await expect(dialog).toBeHidden();
  await expectFocusKept(page, 'the import');
  await expect(page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: /^Mao Ning said/ })).toHaveCount(2);

  // Cancelling an import gives focus back to the Import button.
  const again = page.waitForEvent('filechooser');
  await tabTo(page, page.getByRole('button', { name: /^Import/ }));
  await press(page, 'Enter');
  await (await again).setFiles(exported);
  await expect(dialog).toBeVisible();
  await press(page, 'Escape');
  await expect(dialog).toBeHidden();
  await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toMatch(/^Import/);
  expect(await listedAnnotations(page)).toHaveLength(4);
});
