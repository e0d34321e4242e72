// Phones, tablets and a 320 px window (WCAG 1.4.10 reflow), touch targets, and the text-spacing
// overrides of WCAG 1.4.12. At each size every screen (paste form, article with annotations, one
// selected, the link picker, the Export menu, the import dialog, a notice, the schema settings)
// must fit the width, keep every control on screen, and, on a touch screen, give each control
// 44 px. Each screen is saved as a screenshot (<size>-<screen>.png under the test's output
// folder) to be looked at by eye.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';
import {
  SEED, article, panel, pasteArticle, span, details, linkField, expectCount, listedAnnotations, importFiles,
  dragSelect,
} from './helpers.mjs';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/formats');

// A paste without a title takes its first line as the title: a long one used to widen the single
// column of a phone to 1,132 px.
const LONG_TITLE = 'At the briefing on Tuesday the spokesperson for the foreign ministry said the talks had been constructive and would go';
const TEXT = `${LONG_TITLE}\n\n${SEED}`;
const QUOTE = '“A group of us made the request that China use its influence on Iran to prevent the escalation of this conflict.”';

const SIZES = [
  { name: 'phone-390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  { name: 'tablet-820', viewport: { width: 820, height: 1180 }, isMobile: true, hasTouch: true },
  { name: 'narrow-320', viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true },
  { name: 'phone-landscape', viewport: { width: 844, height: 390 }, isMobile: true, hasTouch: true },
];

/** Fails unless `locator`'s box lies inside the window (menus and dialogs must never hang off it). */
async function expectInsideWindow(page, locator) {
  const { width, height } = page.viewportSize();
  const box = await locator.boundingBox();
  expect(box.x, 'left edge').toBeGreaterThanOrEqual(0);
  expect(box.y, 'top edge').toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, 'right edge').toBeLessThanOrEqual(width);
  expect(box.y + box.height, 'bottom edge').toBeLessThanOrEqual(height);
}

/** Waits until the window stops scrolling (a row's highlight is scrolled to smoothly when near). */
function scrollSettled(page) {
  return page.evaluate(() => new Promise((resolve) => {
    let last = NaN;
    const tick = () => {
      if (window.scrollY === last) resolve();
      else {
        last = window.scrollY;
        requestAnimationFrame(() => requestAnimationFrame(tick));
      }
    };
    tick();
  }));
}

const labelBar = (page) => page.getByRole('toolbar', { name: 'Labels' });
const docs = (page) => page.getByRole('navigation', { name: 'Documents' });

/**
 * Selects code points [start, end) of the article by script. A long-press and the system's
 * selection handles cannot be driven from Playwright; what they leave behind is a DOM selection,
 * which this makes directly (Selection.setBaseAndExtent), so the tap that follows meets the same
 * state as after a real touch selection.
 */
async function touchSelect(page, [start, end]) {
  await page.evaluate(([start, end]) => {
    const root = document.querySelector('article[aria-label="Article"]');
    const boundary = (offset, after) => {
      for (const piece of root.querySelectorAll('[data-start]')) {
        const first = Number(piece.dataset.start);
        const chars = Array.from(piece.textContent);
        if (offset < first || offset >= first + chars.length) continue;
        let node = piece;
        while (node.firstChild) node = node.firstChild;
        const at = offset - first + (after ? 1 : 0);
        return [node, chars.slice(0, at).join('').length];
      }
      throw new Error(`offset ${offset} is not rendered`);
    };
    const [startNode, startOffset] = boundary(start, false);
    const [endNode, endOffset] = boundary(end - 1, true);
    startNode.parentElement.scrollIntoView({ block: 'center' });
    window.getSelection().setBaseAndExtent(startNode, startOffset, endNode, endOffset);
  }, [start, end]);
  await expect(page.locator('.selection-status')).toContainText('Selected');
}

/**
 * What is wrong with the screen as it is: sideways scrolling, controls off the left or right edge
 * (or clipped by a box that cannot scroll), and, on a coarse pointer, targets under 44 px.
 */
function problems(page, width) {
  return page.evaluate((width) => {
    const found = [];
    const scrollWidth = document.scrollingElement.scrollWidth;
    if (scrollWidth > width) found.push(`the page is ${scrollWidth} px wide in a ${width} px window`);
    if (window.innerWidth !== width) found.push(`the window is ${window.innerWidth} px wide, not ${width}`);
    const coarse = matchMedia('(pointer: coarse)').matches;
    const selector = 'button, select, input, textarea, a[href], [role="option"], [role^="menuitem"]';
    const describe = (el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} "${(el.getAttribute('aria-label') ?? el.textContent).trim().slice(0, 40)}"`;
    for (const el of document.querySelectorAll(selector)) {
      if (!el.checkVisibility({ visibilityProperty: true }) || el.closest('[aria-hidden="true"]')) continue;
      if (el.classList.contains('visually-hidden')) continue;
      const r = el.getBoundingClientRect();
      if (r.left < -0.5 || r.right > width + 0.5) {
        found.push(`${describe(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
      }
      if (r.top + window.scrollY < -0.5) found.push(`${describe(el)} is above the top of the page`);
      // A box that clips sideways without scrolling hides whatever sticks out of it.
      for (let box = el.parentElement; box; box = box.parentElement) {
        if (getComputedStyle(box).overflowX !== 'hidden' && getComputedStyle(box).overflowX !== 'clip') continue;
        const b = box.getBoundingClientRect();
        if (r.left < b.left - 0.5 || r.right > b.right + 0.5) found.push(`${describe(el)} is cut off by ${describe(box)}`);
      }
      if (coarse) {
        const checkable = el.type === 'checkbox' || el.type === 'radio';
        const target = checkable ? el.closest('label') ?? el : el;
        const t = target.getBoundingClientRect();
        if (t.width < 43.5 || t.height < 43.5) {
          found.push(`${describe(target)} is a ${Math.round(t.width)}×${Math.round(t.height)} px target`);
        }
      }
    }
    return found;
  }, width);
}

for (const size of SIZES) {
  test.describe(size.name, () => {
    test.use({ viewport: size.viewport, isMobile: size.isMobile, hasTouch: size.hasTouch });

    test(`every screen fits ${size.viewport.width} px, keeps its controls on screen, and tags by touch`, async ({ page }, testInfo) => {
      test.setTimeout(180_000);
      const { width, height } = size.viewport;
      const check = async (screen) => {
        await page.screenshot({ path: testInfo.outputPath(`${size.name}-${screen}.png`) });
        expect(await problems(page, width), screen).toEqual([]);
      };
      await page.goto('/');
      expect(await page.evaluate(() => matchMedia('(pointer: coarse)').matches), 'a touch screen').toBe(size.hasTouch);
      await check('paste-form');

      // No title given: the long first line becomes the title, cut short on screen but whole in
      // the button's name and tooltip.
      await pasteArticle(page, TEXT);
      const docButton = docs(page).getByRole('button', { name: new RegExp(`^${LONG_TITLE}`) });
      await expect(docButton).toBeVisible();
      await expect(docButton.locator('.doc-title')).toHaveAttribute('title', LONG_TITLE);

      // Tap-to-tag: a touch selection, then a tap on a label button, tags the span.
      await touchSelect(page, span(TEXT, QUOTE));
      await labelBar(page).getByRole('button', { name: 'Quote', exact: true }).tap();
      await expectCount(page, 1);
      // The list cuts excerpts at 80 characters.
      expect(await listedAnnotations(page)).toEqual([['quote', `${Array.from(QUOTE).slice(0, 80).join('')}…`]]);
      await touchSelect(page, span(TEXT, 'Chuck Schumer'));
      await labelBar(page).getByRole('button', { name: 'Entity', exact: true }).tap();
      await touchSelect(page, span(TEXT, 'China possesses various means of influencing Iran'));
      await labelBar(page).getByRole('button', { name: 'Claim', exact: true }).tap();
      await expectCount(page, 3);
      expect(await article(page).evaluate((el) => el.textContent)).toBe(TEXT);

      // The label bar stays at the top while reading, and leaves most of the screen to the text.
      // 600 px into the article, counted from the page's top (`offsetTop` counts from the article's
      // offset parent, not the page: with taller rows above it the bar was not reached yet).
      await page.evaluate(() => window.scrollTo(0, document.querySelector('.article').getBoundingClientRect().top + window.scrollY + 600));
      const bar = await page.locator('.workspace-bar').boundingBox();
      expect(bar.y, 'the label bar sticks to the top').toBeLessThanOrEqual(1);
      expect(bar.y, 'the label bar sticks to the top').toBeGreaterThanOrEqual(-1);
      expect(bar.height, 'the label bar is compact').toBeLessThan(0.4 * height);
      for (const name of ['Quote', 'Entity', 'Claim']) {
        await expect(labelBar(page).getByRole('button', { name, exact: true })).toBeInViewport();
      }
      await check('article');

      // One tap from the text to the list, and one back to the same place in the text.
      const readingAt = await page.evaluate(() => window.scrollY);
      await page.getByRole('button', { name: 'Annotations (3)' }).tap();
      const back = page.getByRole('button', { name: 'Back to article' });
      await expect(back).toBeFocused();
      await expect(back).toBeInViewport();
      await expect(panel(page).getByRole('heading', { name: 'Annotations (3)' })).toBeInViewport();
      await check('annotations');
      await back.tap();
      await expect(page.getByRole('button', { name: 'Annotations (3)' })).toBeFocused();
      await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(readingAt);

      // One annotation selected from the list: its details in the panel, its badge in the text.
      await page.getByRole('button', { name: 'Annotations (3)' }).tap();
      await panel(page).getByRole('button', { name: /Chuck Schumer/ }).tap();
      await expect(labelBar(page).getByRole('button', { name: 'Entity', exact: true })).toHaveAttribute('aria-pressed', 'true');
      await expect(article(page).locator('mark.selected')).toBeInViewport();
      await scrollSettled(page);
      await check('selected-article');
      await details(page).scrollIntoViewIfNeeded();
      await check('selected-details');

      // The link picker takes the details' place.
      await details(page).getByRole('button', { name: 'Link…' }).tap();
      await expect(linkField(page)).toBeVisible();
      await linkField(page).scrollIntoViewIfNeeded();
      await check('link-picker');
      await panel(page).getByRole('button', { name: /^Cancel/ }).tap();
      await expect(linkField(page)).toHaveCount(0);

      // The Export menu opens inside the window, every entry whole.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.getByRole('button', { name: 'Export', exact: true }).tap();
      const menu = page.getByRole('menu', { name: 'Export' });
      await expect(menu).toBeVisible();
      await expectInsideWindow(page, menu);
      await check('export-menu');
      await page.getByRole('button', { name: 'Export', exact: true }).tap();
      await expect(menu).toBeHidden();

      // Import is on screen, and its dialog fits.
      await expect(page.getByRole('button', { name: 'Import a file' })).toBeInViewport({ ratio: 1 });
      const dialog = await importFiles(page, path.join(fixtures, 'jsonl/source.jsonl'));
      await expect(dialog).toContainText('3 documents');
      await expectInsideWindow(page, dialog);
      await check('import-dialog');
      await dialog.getByRole('button', { name: 'Cancel' }).tap();
      await expect(dialog).toBeHidden();

      // The schema settings dialog.
      await page.getByRole('button', { name: 'Labels & relations' }).tap();
      const settings = page.getByRole('dialog', { name: 'Labels & relations' });
      await expect(settings).toBeVisible();
      await expectInsideWindow(page, settings);
      await check('schema-settings');
      await settings.getByRole('button', { name: 'Cancel' }).tap();
      await expect(settings).toBeHidden();

      // A notice that quotes the long title.
      await docs(page).getByRole('button', { name: `Delete ${LONG_TITLE}` }).tap();
      const undo = page.getByRole('button', { name: 'Undo delete' });
      await expect(undo).toBeVisible();
      await check('notice');
      await undo.tap();
      await expect(docButton).toBeVisible();
    });
  });
}

// WCAG 1.4.12: with the text-spacing overrides a reader's style sheet may apply, nothing is cut
// off: not the rows of the (virtualised, fixed-height) annotation list, not the label buttons,
// not the status line.
const TEXT_SPACING = `
  * { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
  p { margin-bottom: 2em !important; }
`;

/** Elements whose content is taller than their box (cut off, or scrolled within it). */
function clipped(page, selector) {
  return page.locator(selector).evaluateAll((elements) => elements
    .filter((el) => el.checkVisibility() && el.scrollHeight > el.clientHeight + 1)
    .map((el) => `${el.className}: ${el.scrollHeight} > ${el.clientHeight} "${el.textContent.trim().slice(0, 30)}"`));
}

for (const size of [{ name: 'desktop', viewport: { width: 1400, height: 900 } }, SIZES[0]]) {
  test.describe(`text spacing, ${size.name}`, () => {
    test.use({ viewport: size.viewport, isMobile: !!size.isMobile, hasTouch: !!size.hasTouch });

    test('rows, labels and the status line are not cut off under the WCAG 1.4.12 spacing', async ({ page }, testInfo) => {
      await page.goto('/');
      await pasteArticle(page, SEED);
      for (const [needle, key] of [[QUOTE, 'Quote'], ['Chuck Schumer', 'Entity'], ['China possesses various means of influencing Iran', 'Claim']]) {
        await touchSelect(page, span(SEED, needle));
        await labelBar(page).getByRole('button', { name: key, exact: true }).click();
      }
      await expectCount(page, 3);
      // A row with every kind of meta: a value tag, a relation count and a note mark.
      await panel(page).getByRole('button', { name: /A group of us/ }).click();
      await details(page).getByRole('combobox', { name: /^type/i }).selectOption({ index: 1 });
      await details(page).getByRole('textbox', { name: /^Note/ }).fill('Said at the press conference.');
      await details(page).getByRole('textbox', { name: /^Note/ }).blur();
      await expect(panel(page).locator('.annotation-row .has-note')).toHaveCount(1);

      await page.addStyleTag({ content: TEXT_SPACING });
      await page.screenshot({ path: testInfo.outputPath(`${size.name}-text-spacing.png`), fullPage: true });
      const selectors = '.annotation-row, .label-bar button, .selection-status, .doc-open, .doc-title, .count, .row-filter select, .details-title, .relation-toggle';
      expect(await clipped(page, selectors)).toEqual([]);
      // The rows of the list do not overlap each other either.
      const overlaps = await panel(page).locator('.annotation-rows > li').evaluateAll((items) => items
        .map((li) => li.getBoundingClientRect())
        .flatMap((r, i, all) => (i > 0 && all[i - 1].bottom > r.top + 0.5 ? [`row ${i} starts ${all[i - 1].bottom - r.top} px inside the one above`] : [])));
      expect(overlaps).toEqual([]);
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      expect(await clipped(page, '.menu button')).toEqual([]);
    });
  });
}

// The badge of the selected annotation sits above its first line. Paragraphs off screen skip
// painting (content-visibility), which clips to the paragraph's box; the badge on a paragraph's
// first line must still be drawn above it.
test('the selected annotation\'s badge is drawn whole on a paragraph\'s first line', async ({ page }) => {
  await page.goto('/');
  await pasteArticle(page, SEED);
  // The start of a paragraph in the middle of the article.
  await dragSelect(page, span(SEED, 'U.S. Senate Majority Leader'));
  await labelBar(page).getByRole('button', { name: 'Quote', exact: true }).click();
  await expectCount(page, 1);
  const mark = article(page).locator('mark.mark').first();
  // Above the paragraph's box, over the start of the highlight: where the badge must show.
  const strip = async () => {
    const { x, top } = await mark.evaluate((el) => ({
      x: el.getBoundingClientRect().left, top: el.closest('.para').getBoundingClientRect().top,
    }));
    return { x, y: top - 5, width: 20, height: 5 };
  };
  await mark.click();
  await expect(article(page).locator('mark.selected.opens')).toHaveCount(1);
  const withBadge = await page.screenshot({ clip: await strip() });
  await page.keyboard.press('Escape');
  await expect(article(page).locator('mark.selected')).toHaveCount(0);
  const without = await page.screenshot({ clip: await strip() });
  expect(withBadge.equals(without), 'the badge shows above the paragraph').toBe(false);
});
