// Produces the README screenshot from a real run of the release build: serves dist/, pastes the
// seed article, tags nested and overlapping spans with the mouse and keys, selects one, and saves
// a PNG. Usage: node screenshot.mjs OUTPUT.png   (run `make build` first; `make screenshot` does both)
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS } from './playwright.config.mjs';
import { SEED, pasteArticle, span, dragSelect, doubleClickWord, clickChar } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const output = path.resolve(process.argv[2] ?? 'screenshot.png');
const PORT = 8766;

const server = spawn('python3', ['-m', 'http.server', String(PORT), '--bind', '127.0.0.1',
  '--directory', path.join(here, '../../dist')], { stdio: 'ignore' });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 820 }, deviceScaleFactor: 1 });
  for (let i = 0; ; i++) {
    try { await page.goto(`http://127.0.0.1:${PORT}/`); break; } catch (e) {
      if (i > 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await pasteArticle(page, SEED);
  const quote = '“A group of us made the request that China use its influence on Iran to prevent the escalation of this conflict.”';
  const tag = async (needle, key, nth = 0) => { await dragSelect(page, span(SEED, needle, nth)); await page.keyboard.press(key); };
  await tag('Chuck Schumer', 'e');
  await tag('Schumer revealed, ' + quote, 'c');
  await tag(quote, 'q');
  await doubleClickWord(page, span(SEED, 'request that China')[0] + 14);
  await page.keyboard.press('e');
  await tag('China possesses various means of influencing Iran', 'c');
  await tag('various means of influencing Iran and expressed hope', 'q');
  await tag('Hezbollah', 'e');
  await clickChar(page, span(SEED, 'request that China')[0] + 15);
  await page.evaluate(() => document.querySelector('article .mark.selected').scrollIntoView({ block: 'center' }));
  await page.mouse.move(5, 5);
  await page.screenshot({ path: output });
  console.log(`screenshot written to ${output}`);
} finally {
  await browser.close();
  server.kill();
}
