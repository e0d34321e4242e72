// Dataset formats as a user meets them: export every format from the Export menu, check the
// files with Python, import each one into a fresh browser profile and compare; map foreign
// labels; see a bad file refused with the record named; drop files on the page; brat pairs.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MULTILINGUAL, article, panel, pasteArticle, span, dragSelect, expectCount, exportAs, importFiles, shot, expectNotice,
} from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, '../fixtures/formats');
const docs = (page) => page.getByRole('navigation', { name: 'Documents' });

/** Every export entry, with the name of the format the import dialog should detect. */
const FORMATS = [
  ['Native JSON', 'Article Annotator native JSON'],
  ['JSONL (spaCy / Prodigy / Hugging Face)', 'JSONL (spaCy / Prodigy style)'],
  ['W3C Web Annotation (JSON-LD)', 'W3C Web Annotation'],
  ['doccano JSONL', 'doccano JSONL'],
  ['doccano JSONL, UTF-16 offsets', 'doccano JSONL'],
  ['Label Studio JSON', 'Label Studio JSON'],
  ['Label Studio labeling config (XML)', null],
  ['brat standoff (zip)', 'brat standoff (zip)'],
  ['CSV, spans and relations (zip)', null],
];

/** Documents of a native export as {id: {text, spans}} with spans as sorted "start end label". */
function library(file) {
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  return Object.fromEntries(data.documents.map((d) => [d.id, {
    text: d.text,
    spans: d.annotations.map((a) => `${a.start} ${a.end} ${a.label}`).sort(),
  }]));
}

async function tagWith(page, needle, key, options) {
  await dragSelect(page, span(MULTILINGUAL, needle), options);
  await page.keyboard.press(key);
}

test('every format exports from the menu, passes the Python check and imports back exactly into a fresh profile', async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto('/');
  // A library with custom labels (imported) and an article tagged here by mouse and keys.
  const dialog = await importFiles(page, path.join(fixtures, 'jsonl/source.jsonl'));
  await expect(dialog).toContainText('Format: JSONL (spaCy / Prodigy style)');
  await expect(dialog).toContainText('3 documents, 20 spans');
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(docs(page).getByRole('listitem')).toHaveCount(3);
  await pasteArticle(page, MULTILINGUAL);
  await tagWith(page, '北京', 'e');
  await tagWith(page, '« Nous avançons »', 'q');
  await tagWith(page, '“We will not back down,” said María José Núñez 👩‍👩‍👧‍👦', 'c');
  await tagWith(page, 'María José Núñez', 'e');
  await tagWith(page, '«كانت مثمرة»', 'q', { rtl: true });
  await tagWith(page, 'Zoe\u0308', 'e');
  await expectCount(page, 6);

  // The menu: a scope, then one entry per format, each stating its offset unit.
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const menu = page.getByRole('menu', { name: 'Export' });
  await expect(menu.getByRole('menuitemradio', { name: 'This article' })).toHaveAttribute('aria-checked', 'true');
  await expect(menu.getByRole('menuitem')).toHaveCount(FORMATS.length);
  await shot(page, testInfo, 'export-menu');
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();

  const files = {};
  for (const [entry] of FORMATS) {
    const [file, name] = await exportAs(page, testInfo, entry, 'All articles (4)');
    files[entry] = file;
    expect(name.startsWith('all-articles.')).toBe(true);
  }
  expect(path.basename(files['doccano JSONL, UTF-16 offsets'])).toBe('all-articles.doccano-utf16.jsonl');
  const [single] = await exportAs(page, testInfo, 'JSONL (spaCy / Prodigy / Hugging Face)', 'This article');
  expect(fs.readFileSync(single, 'utf8').trim().split('\n')).toHaveLength(1);
  fs.unlinkSync(single);

  // Python, stdlib only, reads every file and checks each span against its text.
  const output = execFileSync('python3', [path.join(here, '../interop/check_formats.py'), testInfo.outputPath(), '--expect-all'], { encoding: 'utf8' });
  // Findings (values the schema lacks, from the imported custom labels) are reported, not problems.
  expect(output).toMatch(/, 0 problems, \d+ findings$/m);
  const original = library(files['Native JSON']);
  expect(Object.keys(original)).toHaveLength(4);

  // Each importable file, in a fresh profile, gives back every text and span.
  for (const [entry, detected] of FORMATS) {
    if (!detected) continue;
    const fresh = await browser.newContext({ acceptDownloads: true });
    const other = await fresh.newPage();
    await other.goto('/');
    const imported = await importFiles(other, files[entry]);
    await expect(imported).toContainText(`Format: ${detected}`);
    if (entry.includes('UTF-16')) {
      await expect(imported.getByRole('radio', { name: /UTF-16 code units.*guessed from the file/ })).toBeChecked();
    }
    await expect(imported).toContainText('4 documents, 26 spans');
    await imported.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(docs(other).getByRole('listitem')).toHaveCount(4);
    const [back] = await exportAs(other, { outputPath: (n) => testInfo.outputPath(`back-${entry.replace(/\W+/g, '-')}-${n}`) }, 'Native JSON', 'All articles (4)');
    expect(library(back), `${entry} round trip`).toEqual(original);
    await fresh.close();
  }
  await context.close();
});

test('foreign labels are mapped or kept, and custom labels show in a neutral style', async ({ page }, testInfo) => {
  await page.goto('/');
  const file = testInfo.outputPath('foreign.jsonl');
  const text = 'Angela Merkel of the CDU said: “Wir schaffen das.”';
  const at = (needle) => span(text, needle);
  const spans = [['Angela Merkel', 'PERSON'], ['CDU', 'ORG'], ['“Wir schaffen das.”', 'Quotation']]
    .map(([needle, label]) => ({ start: at(needle)[0], end: at(needle)[1], label, text: needle }));
  fs.writeFileSync(file, JSON.stringify({ text, meta: { id: 'merkel', title: 'Merkel' }, spans }) + '\n');
  const dialog = await importFiles(page, file);
  const mapping = dialog.getByRole('table');
  await expect(mapping.getByRole('row')).toHaveCount(4);
  // Obvious names are preselected: Quotation as quote, the named-entity types as entity. The
  // user keeps ORG as it is.
  await expect(dialog.getByRole('combobox', { name: 'Map Quotation to' })).toHaveValue('quote');
  await expect(dialog.getByRole('combobox', { name: 'Map PERSON to' })).toHaveValue('entity');
  await expect(dialog.getByRole('combobox', { name: 'Map ORG to' })).toHaveValue('entity');
  await dialog.getByRole('combobox', { name: 'Map ORG to' }).selectOption('');
  await expect(dialog).toContainText('1 document, 3 spans: 1 quote, 1 entity, 0 claim, 1 ORG.');
  await shot(page, testInfo, 'label-mapping');
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(article(page)).toBeVisible();
  await expectCount(page, 3);
  const counts = panel(page).getByRole('list', { name: 'Counts per label' });
  await expect(counts).toContainText('ORG');
  await expect(article(page).locator('mark.mark-custom')).toHaveText('CDU');
  await expect(article(page).locator('mark.mark-entity')).toHaveText('Angela Merkel');
  await shot(page, testInfo, 'custom-label');
  // A custom label is exported back as it came.
  const [back] = await exportAs(page, testInfo, 'JSONL (spaCy / Prodigy / Hugging Face)');
  const labels = JSON.parse(fs.readFileSync(back, 'utf8')).spans.map((s) => s.label);
  expect(labels).toEqual(['entity', 'ORG', 'quote']);
});

test('a bad file is refused naming the record and nothing changes; doccano units; collisions; pairs; drops; size', async ({ page }, testInfo) => {
  await page.goto('/');
  await pasteArticle(page, MULTILINGUAL);

  // Offsets past the end: refused, with the line and span named.
  const bad = testInfo.outputPath('bad.doccano.jsonl');
  fs.writeFileSync(bad, '{"text": "fine", "label": [[0, 4, "X"]]}\n{"text": "abc", "label": [[0, 9, "PER"]]}\n');
  let dialog = await importFiles(page, bad);
  await expect(dialog.getByRole('alert')).toContainText('Nothing can be imported from this file, and nothing was changed.');
  await expect(dialog.getByRole('alert')).toContainText('line 2, span 1: offsets 0..9 reach past the end of the text (3 code points).');
  await expect(dialog.getByRole('alert')).toContainText('past the end');
  await expect(dialog.getByRole('button', { name: 'Import', exact: true })).toHaveCount(0);
  await shot(page, testInfo, 'rejected-file');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(docs(page).getByRole('listitem')).toHaveCount(1);

  // An empty file is empty; broken JSON says where it breaks, whatever it was meant to be: a
  // notice when the format cannot even be told, the dialog's alert when it can (W3C here).
  const empty = testInfo.outputPath('empty.json');
  fs.writeFileSync(empty, '\n');
  await importFiles(page, empty);
  await expectNotice(page, 'Nothing was imported (empty.json: the file is empty).');
  const notJson = testInfo.outputPath('notes.json');
  fs.writeFileSync(notJson, '{\n  title: "Summit",\n  spans: []\n}');
  await importFiles(page, notJson);
  await expectNotice(page, 'notes.json: not valid JSON at line 2, column 3: key must be a string');
  const cut = testInfo.outputPath('cut.json');
  fs.writeFileSync(cut, '{"@context": "http://www.w3.org/ns/anno.jsonld",\n "type": "Annotation",\n "target": {');
  dialog = await importFiles(page, cut);
  await expect(dialog.getByRole('alert')).toContainText('cut.json: not valid JSON at line 3, column 12: the text ends before the JSON does');
  await shot(page, testInfo, 'broken-json');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(docs(page).getByRole('listitem')).toHaveCount(1);

  // doccano does not say its unit: UTF-16 is guessed here (the emoji shifts the span), and
  // reading it as code points instead gives a different span, shown before anything is stored.
  const emoji = testInfo.outputPath('emoji.jsonl');
  fs.writeFileSync(emoji, JSON.stringify({ text: '👍 Bob', label: [[3, 6, 'PER']] }) + '\n');
  dialog = await importFiles(page, emoji);
  await expect(dialog).toContainText('Format: doccano JSONL');
  const utf16 = dialog.getByRole('radio', { name: /UTF-16 code units/ });
  await expect(utf16).toBeChecked();
  await dialog.getByRole('radio', { name: /code points/ }).check();
  await expect(dialog.getByRole('alert')).toContainText('past the end');
  await utf16.check();
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(article(page)).toHaveText('👍 Bob');
  await expect(article(page).locator('mark')).toHaveText('Bob');

  // The same file again after a local edit: doccano keeps no time of change, so the dialog
  // does not call either copy newer. Unchanged, it is identical. The user chooses.
  await article(page).locator('mark').click();
  await page.keyboard.press('Delete');
  await expect(article(page).locator('mark')).toHaveCount(0);
  dialog = await importFiles(page, emoji);
  await expect(dialog).toContainText('already here, with other content — the file does not say when it was changed');
  await expect(dialog).not.toContainText('newer (');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.keyboard.press('Control+z');
  await expect(article(page).locator('mark')).toHaveText('Bob');
  dialog = await importFiles(page, emoji);
  await expect(dialog).toContainText('already here, identical');
  await dialog.getByRole('button', { name: 'Keep both' }).click();
  await expect(docs(page).getByRole('listitem')).toHaveCount(3);

  // brat: a .txt and its .ann picked together, CRLF counted as brat counts it.
  const txt = testInfo.outputPath('crlf.txt');
  const ann = testInfo.outputPath('crlf.ann');
  fs.writeFileSync(txt, 'First line\r\nBerlin is big.\r\n');
  fs.writeFileSync(ann, 'T1\tLocation 12 18\tBerlin\n');
  dialog = await importFiles(page, [txt, ann]);
  await expect(dialog).toContainText('Format: brat standoff (.txt + .ann)');
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(article(page).locator('mark')).toHaveText('Berlin');
  // Selected, so the keys below would delete or relabel it if the dialog did not hold them.
  await article(page).locator('mark').click();
  const label = await article(page).locator('mark').getAttribute('data-label');

  // Dropping a file anywhere on the page imports it the same way.
  const dropped = fs.readFileSync(path.join(fixtures, 'w3c/source.w3c.jsonld'), 'utf8');
  const transfer = await page.evaluateHandle((content) => {
    const data = new DataTransfer();
    data.items.add(new File([content], 'dropped.jsonld', { type: 'application/ld+json' }));
    return data;
  }, dropped);
  await page.dispatchEvent('main', 'dragover', { dataTransfer: transfer });
  await expect(page.locator('.drop-overlay')).toBeVisible();
  await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
  dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Format: W3C Web Annotation');
  await expect(page.locator('.drop-overlay')).toHaveCount(0);
  // While the dialog is open the article's keys do nothing; Escape closes it.
  await page.keyboard.press('Delete');
  await page.keyboard.press(label === 'Claim' ? 'q' : 'c');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(article(page).locator('mark')).toHaveText('Berlin');
  await expect(article(page).locator('mark')).toHaveAttribute('data-label', label);

  // Over the size limit: refused before it is read.
  const huge = testInfo.outputPath('huge.jsonl');
  fs.writeFileSync(huge, Buffer.alloc(21 * 1024 * 1024, 0x20));
  await importFiles(page, huge);
  await expectNotice(page, 'files over 20 MB are refused');
  fs.unlinkSync(huge);
  await expect(docs(page).getByRole('listitem')).toHaveCount(4);
});

test('an import that stacks 1,000 spans renders at once, its text intact, with one "+N" for what is not drawn', async ({ page }, testInfo) => {
  // Merged annotators' files stack many spans on one place: 1,000 nested spans around "w200".
  const words = Array.from({ length: 400 }, (_, i) => `w${i}`);
  const text = `Merged annotators. ${words.join(' ')} — the end.`;
  const mid = text.indexOf('w200');
  const label = Array.from({ length: 1000 }, (_, k) => [mid - (k % 900), mid + 4 + k, ['PER', 'ORG', 'QUOTE'][k % 3]]);
  const file = testInfo.outputPath('stacked.jsonl');
  fs.writeFileSync(file, `${JSON.stringify({ text, label })}\n`);
  await page.goto('/');
  const dialog = await importFiles(page, file);
  await dialog.getByRole('button', { name: /^Import/ }).click();
  await expectCount(page, 1000);
  expect(await article(page).locator('.para').first().textContent()).toBe(text);
  // Eight layers are drawn; one count, at the start of the stack, says how many more there are.
  const more = article(page).locator('.more');
  await expect(more).toHaveCount(1);
  await expect(more).toHaveAttribute('data-more', '+992');
  await page.screenshot({ path: testInfo.outputPath('stacked.png') });
});

test('the first load fetches no format code; the first export loads the worker once, and a worker that cannot load is a message, not a broken page', async ({ page }, testInfo) => {
  const fetched = [];
  page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  const worker = (path) => path.includes('formats-worker');
  await page.goto('/');
  await pasteArticle(page, MULTILINGUAL, 'Summit');
  await tagWith(page, '北京', 'e');
  expect(fetched.filter(worker), 'nothing of the worker on the first load').toEqual([]);

  // The worker's code cannot be fetched (say, the connection dropped): the user is told, and
  // nothing else changes.
  await page.route('**/formats-worker_bg.wasm', (route) => route.abort());
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const menu = page.getByRole('menu', { name: 'Export' });
  await menu.getByRole('menuitem', { name: 'JSONL (spaCy / Prodigy / Hugging Face)', exact: true }).click();
  await expectNotice(page, 'Nothing was exported: the import and export module stopped');
  await shot(page, testInfo, 'worker-failed');
  await expectCount(page, 1);

  // Back online: the next export starts a fresh worker and downloads the file.
  await page.unroute('**/formats-worker_bg.wasm');
  fetched.length = 0;
  const [jsonl] = await exportAs(page, testInfo, 'JSONL (spaCy / Prodigy / Hugging Face)');
  const line = JSON.parse(fs.readFileSync(jsonl, 'utf8').trim());
  // Code point offsets, as Python slices them.
  expect([...line.text].slice(line.spans[0].start, line.spans[0].end).join('')).toBe('北京');
  await exportAs(page, testInfo, 'brat standoff (zip)');
  expect(fetched.filter((p) => p.endsWith('formats-worker_bg.wasm')), 'loaded once, then reused').toHaveLength(1);
});
