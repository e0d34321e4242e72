// What a user does, as helpers: paste an article, drag-select text with the mouse.
// Character positions are looked up in the DOM only to know where to put the mouse.
import { expect } from '@playwright/test';

export async function pasteArticle(page, text, title) {
  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByRole('textbox', { name: 'Article text' }).fill(text);
  if (title !== undefined) {
    await page.getByRole('textbox', { name: 'Title' }).fill(title);
  }
  await page.getByRole('button', { name: 'Annotate' }).click();
  await expect(page.getByRole('article', { name: 'Article' })).toBeVisible();
}

/** Code point offset of the first occurrence of `needle` (after `from`) in `text`. */
export function cpIndex(text, needle, from = 0) {
  const cps = Array.from(text);
  const hay = cps.join('');
  let utf16 = hay.indexOf(needle, Array.from(text).slice(0, from).join('').length);
  if (utf16 < 0) throw new Error(`not found: ${needle}`);
  return Array.from(hay.slice(0, utf16)).length;
}

/** The viewport rectangle of the code point at `offset` in the rendered article. */
export async function charRect(page, offset) {
  return page.evaluate((offset) => {
    const article = document.querySelector('article[aria-label="Article"]');
    for (const piece of article.querySelectorAll('[data-start]')) {
      const start = Number(piece.dataset.start);
      const chars = Array.from(piece.textContent);
      if (offset < start || offset >= start + chars.length) continue;
      let node = piece;
      while (node.firstChild) node = node.firstChild;
      const before = chars.slice(0, offset - start).join('').length;
      const range = document.createRange();
      range.setStart(node, before);
      range.setEnd(node, before + chars[offset - start].length);
      range.startContainer.parentElement.scrollIntoView({ block: 'center' });
      const rect = range.getClientRects()[0] ?? range.getBoundingClientRect();
      return { left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom };
    }
    throw new Error(`offset ${offset} not rendered`);
  }, offset);
}

/** Drags the mouse from the start of code point `start` to the end of code point `end - 1`. */
export async function dragSelect(page, start, end, { rtl = false } = {}) {
  const first = await charRect(page, start);
  const last = await charRect(page, end - 1);
  const y1 = (first.top + first.bottom) / 2;
  const y2 = (last.top + last.bottom) / 2;
  const x1 = rtl ? first.right - 1 : first.left + 1;
  const x2 = rtl ? last.left + 1 : last.right - 1;
  await page.mouse.move(x1, y1);
  await page.mouse.down();
  await page.mouse.move(x2, y2, { steps: 8 });
  await page.mouse.up();
}

/** Clicks in the middle of code point `offset`. */
export async function clickChar(page, offset, modifiers = {}) {
  const r = await charRect(page, offset);
  if (modifiers.shift) await page.keyboard.down('Shift');
  await page.mouse.click((r.left + r.right) / 2, (r.top + r.bottom) / 2);
  if (modifiers.shift) await page.keyboard.up('Shift');
}

/** The rows of the annotation list as [label, excerpt] pairs, in list order. */
export async function listedAnnotations(page) {
  const rows = page.getByRole('complementary', { name: 'Annotations' }).locator('.annotation-row');
  const count = await rows.count();
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push([
      (await rows.nth(i).locator('.tag').innerText()).toLowerCase(),
      await rows.nth(i).locator('.excerpt').innerText(),
    ]);
  }
  return out;
}
