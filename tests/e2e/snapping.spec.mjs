// Snapping, as an annotator drags: a drag that starts or ends inside a word tags whole words,
// the span being made is shown while the mouse is still down, Alt drags exactly, and each label
// can keep its own rule (Labels & relations: "Drags for …").
import { test, expect } from '@playwright/test';
import {
  charRect, pasteArticle, span, settle, expectCount, listedAnnotations, shot, status,
} from './helpers.mjs';

const TEXT = [
  'Jane Doe said “We will respond, and firmly.” on Monday.',
  'The minister 👩‍👩‍👧 of Kraków met 東京 officials.',
].join('\n');

const mid = (r) => (r.top + r.bottom) / 2;

/** Presses the mouse on the left of code point `from` and moves to the right of `to`: as sloppy
 * as a person, inside the characters, not on their edges. */
async function pressAndMove(page, from, to) {
  const a = await charRect(page, from);
  const b = await charRect(page, to);
  await page.mouse.move(a.left + (a.right - a.left) * 0.3, mid(a));
  await page.mouse.down();
  await page.mouse.move(b.left + (b.right - b.left) * 0.7, mid(b), { steps: 8 });
  await settle(page);
}

/** The text the snap preview (a CSS highlight) covers, or null when none is shown. */
const preview = (page) => page.evaluate(() => {
  const highlight = CSS.highlights.get('snap-preview');
  return highlight ? [...highlight][0].toString() : null;
});

test('a sloppy drag tags whole words, shown while dragging; Alt drags exactly; a label can keep its own rule', async ({ page }, testInfo) => {
  await page.goto('/');
  await pasteArticle(page, TEXT, 'Snapping');

  // From inside "Doe" to inside "said": the preview shows the whole words before the mouse is up.
  const [doe] = span(TEXT, 'Doe');
  const [said] = span(TEXT, 'said');
  await pressAndMove(page, doe + 1, said + 2);
  await expect.poll(() => preview(page)).toBe('Doe said');
  await shot(page, testInfo, 'snap-preview-while-dragging');
  await page.mouse.up();
  await expect(status(page)).toContainText('Selected 8 characters: “Doe said”');
  await page.keyboard.press('e');
  await expectCount(page, 1);
  await expect.poll(() => preview(page)).toBe(null);

  // Inside an emoji family and inside "Kraków": neither is cut.
  const [family] = span(TEXT, '👩‍👩‍👧');
  const [krakow] = span(TEXT, 'Kraków');
  await pressAndMove(page, family + 2, krakow + 3);
  await page.mouse.up();
  await page.keyboard.press('e');
  await expectCount(page, 2);

  // Alt held: exactly what was dragged, no preview.
  const [respond] = span(TEXT, 'respond');
  await page.keyboard.down('Alt');
  await pressAndMove(page, respond + 2, respond + 4);
  expect(await preview(page)).toBe(null);
  await page.mouse.up();
  await page.keyboard.up('Alt');
  await expect(status(page)).toContainText('“spo”');
  await page.keyboard.press('c');
  await expectCount(page, 3);

  // Quotes without their end punctuation; claims exactly as dragged.
  await page.getByRole('button', { name: 'Labels & relations' }).click();
  const dialog = page.getByRole('dialog', { name: 'Labels & relations' });
  await dialog.getByRole('combobox', { name: 'Drags for quote' }).selectOption({ label: 'words, no end punctuation' });
  await dialog.getByRole('combobox', { name: 'Drags for claim' }).selectOption({ label: 'exactly as dragged' });
  await shot(page, testInfo, 'snap-settings');
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog).toBeHidden();

  // From the opening quotation mark to inside "firmly.”"'s last word: the quote drops the marks.
  const [open] = span(TEXT, '“We');
  const [firmly] = span(TEXT, 'firmly');
  await pressAndMove(page, open, firmly + 3);
  await page.mouse.up();
  await page.keyboard.press('q');
  await expectCount(page, 4);
  // The same drag for a claim takes exactly what was dragged.
  await pressAndMove(page, open, firmly + 3);
  await page.mouse.up();
  await page.keyboard.press('c');
  await expectCount(page, 5);

  const listed = await listedAnnotations(page);
  expect(listed).toEqual(expect.arrayContaining([
    ['entity', 'Doe said'],
    ['entity', '👩‍👩‍👧 of Kraków'],
    ['claim', 'spo'],
    ['quote', 'We will respond, and firmly'],
    ['claim', '“We will respond, and firm'],
  ]));
  await shot(page, testInfo, 'snap-tagged');
});

test('scripts without spaces snap to the words of the browser dictionary', async ({ page }, testInfo) => {
  // Chinese, Japanese and Thai write words without spaces between them: the browser's
  // Intl.Segmenter finds them with its dictionaries, and a drag inside one takes it whole.
  const text = ['北京市政府的官员今天表示', 'สวัสดีครับทุกคน', '東京都の知事が話した'].join('\n');
  await page.goto('/');
  await pasteArticle(page, text, 'Scripts');
  const words = await page.evaluate((text) => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
    return [...segmenter.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment);
  }, text);
  for (const word of ['สวัสดี', '政府']) {
    expect(words, `the browser cuts ${word} as a word`).toContain(word);
    const [start, end] = span(text, word);
    // From the second character of the word to the one before its last.
    await pressAndMove(page, start + 1, end - 1 > start + 1 ? end - 2 : start + 1);
    await expect.poll(() => preview(page)).toBe(word);
    await page.mouse.up();
    await expect(status(page)).toContainText(`“${word}”`);
    await page.keyboard.press('e');
  }
  await expectCount(page, 2);
  expect((await listedAnnotations(page)).map(([, excerpt]) => excerpt).sort()).toEqual(['政府', 'สวัสดี'].sort());
  await shot(page, testInfo, 'snap-scripts');
});
