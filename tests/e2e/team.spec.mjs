// #16, team mode: several annotators on one shared corpus through a Hocuspocus server the test
// starts on loopback. Each client is a browser context of its own (its own localStorage), driven
// as a person would: Join a team…, Share this article, mouse selections and label keys.
import { test, expect } from '@playwright/test';
import { ANSWERED } from './playwright.config.mjs';
import {
  SEED, pasteArticle, span, dragSelect, expectCount, panel, details, storedDocuments, shot, charRect,
  exportAs,
} from './helpers.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTeamServer, startRedis, rawPeer, startCuttableRelay } from './team_server.mjs';

/** A profile whose annotator is `name`. */
const named = (name) => ({
  ...ANSWERED,
  origins: ANSWERED.origins.map((o) => ({
    ...o,
    localStorage: [{ name: 'article-annotator-annotator', value: name }],
  })),
});

async function client(browser, name) {
  const context = await browser.newContext({ storageState: named(name) });
  const page = await context.newPage();
  await page.goto('/');
  return page;
}

const team = (page) => page.getByRole('region', { name: 'Team' });

async function join(page, server, token = 'rw-secret', corpus = 'news') {
  await page.getByRole('button', { name: 'Join a team…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Join a team' });
  await dialog.getByRole('textbox', { name: 'Server' }).fill(server.url);
  await dialog.getByRole('textbox', { name: 'Corpus' }).fill(corpus);
  await dialog.getByLabel('Token').fill(token);
  await dialog.getByRole('button', { name: 'Join' }).click();
  await expect(dialog).toBeHidden();
}

const connected = (page) => expect(team(page).getByRole('status')).toHaveText('connected');

/** Ann, who pastes `text` as `title`, joins the team on `server` and shares it. */
async function sharer(browser, server, title = 'Shared story', text = SEED) {
  const ann = await client(browser, 'Ann');
  await pasteArticle(ann, text, title);
  await join(ann, server);
  await connected(ann);
  await team(ann).getByRole('button', { name: 'Share this article' }).click();
  return ann;
}

/** The shared article's annotations as this client stores them: [id, label, start, end, made_by]. */
async function stored(page, title) {
  for (const [entry] of await storedDocuments(page)) {
    if (entry.document.title === title) {
      return entry.document.annotations
        .map((a) => [a.id, a.label, a.start, a.end, a.made_by ?? null])
        .sort((x, y) => (x[0] < y[0] ? -1 : 1));
    }
  }
  return null;
}

/** Waits until every page has stored `count` annotations of `title`, the same in each; returns them. */
async function expectSameStored(pages, title, count) {
  for (const page of pages) {
    await expect.poll(async () => (await stored(page, title))?.length).toBe(count);
  }
  const reference = await stored(pages[0], title);
  for (const page of pages.slice(1)) {
    expect(await stored(page, title)).toEqual(reference);
  }
  return reference;
}

/** The words of SEED a client tags: distinct, so no two clients tag one span alike. */
function words(count, skip = 0) {
  const found = [...SEED.matchAll(/\p{L}{5,}/gu)].map((m) => m[0]);
  const unique = [...new Set(found)].filter((w) => SEED.indexOf(w) === SEED.lastIndexOf(w));
  return unique.slice(skip, skip + count);
}

async function tag(page, word, key = 'e') {
  await dragSelect(page, span(SEED, word));
  await page.keyboard.press(key);
}

test('two annotators see each other’s spans live, with who made them; a wrong token sends nothing; a read-only one cannot edit', async ({ browser }, testInfo) => {
  const server = await startTeamServer();
  try {
    const ann = await client(browser, 'Ann');
    const fetched = [];
    ann.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    await ann.reload();
    await pasteArticle(ann, SEED, 'Shared story');
    // The team module is fetched when a team is joined, never before.
    expect(fetched.filter((p) => p.includes('team'))).toEqual([]);
    await join(ann, server);
    await connected(ann);
    expect(fetched.filter((p) => p.includes('team_bg.wasm'))).toHaveLength(1);
    await team(ann).getByRole('button', { name: 'Share this article' }).click();
    await expect(ann.locator('.doc-row', { hasText: 'Shared story' })).toContainText('shared');

    const bob = await client(browser, 'Bob');
    await join(bob, server);
    const row = bob.locator('.doc-row', { hasText: 'Shared story' });
    await expect(row).toContainText('shared');
    await row.getByRole('button').first().click();
    await connected(bob);

    const [first, second] = words(2);
    await tag(ann, first, 'q');
    await expectCount(bob, 1);
    await tag(bob, second, 'e');
    await expectCount(ann, 2);
    await panel(ann).locator('.annotation-row', { hasText: second }).click();
    await expect(details(ann).locator('.authors')).toHaveText('Made by Bob');
    await shot(ann, testInfo, 'team-two-annotators');

    // Everyone holds the same records, stored in their own browser.
    await expectSameStored([ann, bob], 'Shared story', 2);
    // The shared article exports like any other: Bob's file has both spans, each with its maker.
    const [file] = await exportAs(bob, testInfo, 'Native JSON');
    const [exported] = JSON.parse(fs.readFileSync(file, 'utf8')).documents;
    expect(exported.annotations.map((a) => [a.text, a.made_by]).sort()).toEqual([[first, 'Ann'], [second, 'Bob']].sort());
    // Undo works on it as on a local article, and the others see it: Bob's span goes, then comes back.
    await bob.keyboard.press('Control+z');
    await expectCount(bob, 1);
    await expectCount(ann, 1);
    await bob.keyboard.press('Control+Shift+z');
    await expectCount(ann, 2);

    // A wrong token: a clear refusal, and the corpus's article never arrives.
    const eve = await client(browser, 'Eve');
    await join(eve, server, 'guess');
    await expect(team(eve).getByRole('status')).toHaveText('refused by the server');
    await expect(team(eve).getByRole('alert')).toContainText('token');
    await expect(eve.locator('.doc-row', { hasText: 'Shared story' })).toHaveCount(0);
    await shot(eve, testInfo, 'team-wrong-token');

    // A read-only token: the article, but no edits.
    const rita = await client(browser, 'Rita');
    await join(rita, server, 'ro-secret');
    const ritaRow = rita.locator('.doc-row', { hasText: 'Shared story' });
    await ritaRow.getByRole('button').first().click();
    await expectCount(rita, 2);
    await expect(team(rita).getByRole('status')).toContainText('read-only');
    await tag(rita, words(1, 5)[0], 'c');
    await expect(rita.locator('.notices')).toContainText('only reads');
    await expectCount(rita, 2);
    await expectCount(ann, 2);
  } finally {
    await server.stop();
  }
});

const labelBar = (page) => page.getByRole('toolbar', { name: 'Labels' });

test('the label schema is the corpus’s: one annotator’s rename and new label reach the others; a joiner takes it; a read-only token cannot change it', async ({ browser }, testInfo) => {
  const server = await startTeamServer();
  try {
    const ann = await sharer(browser, server);
    const [first, second] = words(2);
    await tag(ann, first, 'e');

    // Bob had a label of his own before joining: the corpus's schema replaces his.
    const bob = await client(browser, 'Bob');
    await pasteArticle(bob, 'A note of my own, never shared.', 'Mine');
    await bob.getByRole('button', { name: 'Labels & relations' }).click();
    let editor = bob.getByRole('dialog', { name: 'Labels & relations' });
    await editor.getByRole('textbox', { name: 'New label name' }).fill('rumour');
    await editor.getByRole('button', { name: 'Add label' }).click();
    await editor.getByRole('button', { name: 'Apply' }).click();
    await expect(labelBar(bob).getByRole('button', { name: 'rumour', exact: true })).toBeVisible();
    await join(bob, server);
    await connected(bob);
    await expect(labelBar(bob).getByRole('button', { name: 'rumour', exact: true })).toHaveCount(0);
    await bob.locator('.doc-row', { hasText: 'Shared story' }).getByRole('button').first().click();
    await expectCount(bob, 1);

    // Ann renames "entity" to "person" and adds "source" on key s: Bob's labels follow, and so
    // does his copy of her annotation.
    await ann.getByRole('button', { name: 'Labels & relations' }).click();
    editor = ann.getByRole('dialog', { name: 'Labels & relations' });
    const name = editor.getByRole('textbox', { name: 'Name of label entity' });
    await name.fill('person');
    await name.press('Enter');
    await editor.getByRole('textbox', { name: 'New label name' }).fill('source');
    await editor.getByRole('button', { name: 'Add label' }).click();
    await editor.getByRole('combobox', { name: 'Key of source' }).selectOption('s');
    await editor.getByRole('button', { name: 'Apply' }).click();
    await expect(editor).toBeHidden();
    await expect(labelBar(bob).getByRole('button', { name: 'source', exact: true })).toBeVisible();
    await expect(labelBar(bob).getByRole('button', { name: 'person', exact: true })).toBeVisible();
    await expect(panel(bob).locator('.annotation-row', { hasText: first })).toContainText('person');
    // Bob tags with the new key; Ann gets it under the new label.
    await tag(bob, second, 's');
    await expectCount(ann, 2);
    await expect(panel(ann).locator('.annotation-row', { hasText: second })).toContainText('source');
    await shot(bob, testInfo, 'team-shared-schema');
    // Stored in Bob's browser: a reload keeps it before the server answers.
    await bob.reload();
    await expect(labelBar(bob).getByRole('button', { name: 'source', exact: true })).toBeVisible();

    // A read-only token takes the schema and cannot change it.
    const rita = await client(browser, 'Rita');
    await join(rita, server, 'ro-secret');
    await rita.locator('.doc-row', { hasText: 'Shared story' }).getByRole('button').first().click();
    await expect(labelBar(rita).getByRole('button', { name: 'source', exact: true })).toBeVisible();
    await expect(team(rita).getByRole('status')).toContainText('read-only');
    await rita.getByRole('button', { name: 'Labels & relations' }).click();
    editor = rita.getByRole('dialog', { name: 'Labels & relations' });
    await expect(editor.getByRole('status')).toContainText('only reads');
    await expect(editor.getByRole('button', { name: 'Apply' })).toBeDisabled();
  } finally {
    await server.stop();
  }
});

test('an article one member deletes leaves the corpus: the others keep it as a local article, a reload does not bring it back, a later joiner never gets it', async ({ browser }, testInfo) => {
  const server = await startTeamServer();
  try {
    const ann = await sharer(browser, server);
    await tag(ann, words(1)[0], 'e');
    const bob = await client(browser, 'Bob');
    await join(bob, server);
    const bobRow = bob.locator('.doc-row', { hasText: 'Shared story' });
    await expect(bobRow).toContainText('shared');
    await bobRow.getByRole('button').first().click();
    await expectCount(bob, 1);

    await ann.getByRole('button', { name: 'Delete Shared story' }).click();
    await expect(ann.locator('.notices')).toContainText('from the team');
    // Bob keeps his copy, no longer shared, and can go on with it.
    await expect(bobRow).not.toContainText('shared');
    await expect(bob.locator('.notices')).toContainText('“Shared story” was taken out of the team');
    await expectCount(bob, 1);
    await expect(team(bob).getByRole('button', { name: 'Share this article' })).toBeVisible();
    await shot(bob, testInfo, 'team-article-unshared');
    await tag(bob, words(1, 1)[0], 'q');
    await expectCount(bob, 2);
    // Ann's reload does not bring it back; Bob's keeps his local copy.
    await ann.reload();
    await connected(ann);
    await expect(ann.locator('.doc-row', { hasText: 'Shared story' })).toHaveCount(0);
    await bob.reload();
    await connected(bob);
    await expect(bobRow).toHaveCount(1);
    await expect(bobRow).not.toContainText('shared');
    // A member joining now never gets it.
    const cy = await client(browser, 'Cy');
    await join(cy, server);
    await connected(cy);
    await expect(cy.locator('.doc-row')).toHaveCount(0);
  } finally {
    await server.stop();
  }
});

test('two tabs of one browser joined to the team: each sees the other’s and the team’s spans, and nobody gets anything twice', async ({ browser }) => {
  const server = await startTeamServer();
  try {
    const ann = await sharer(browser, server);
    // A second tab of Ann's browser joins again by itself, from the saved settings.
    const annTab = await ann.context().newPage();
    await annTab.goto('/');
    await connected(annTab);
    await annTab.locator('.doc-row', { hasText: 'Shared story' }).getByRole('button').first().click();
    const bob = await client(browser, 'Bob');
    await join(bob, server);
    await bob.locator('.doc-row', { hasText: 'Shared story' }).getByRole('button').first().click();

    const [first, second, third] = words(3);
    await tag(ann, first, 'q');
    await tag(annTab, second, 'e');
    await tag(bob, third, 'c');
    for (const page of [ann, annTab, bob]) await expectCount(page, 3);
    // Ann's two tabs share one library; Bob's copy holds the same three records, once each.
    const reference = await expectSameStored([ann, bob], 'Shared story', 3);
    expect(new Set(reference.map((r) => r[0])).size).toBe(3);
    await expect(team(ann).getByRole('status')).toHaveText('connected');
    await expect(team(annTab).getByRole('status')).toHaveText('connected');
    // A deletion in one tab reaches the other tab and Bob.
    await panel(annTab).locator('.annotation-row', { hasText: first }).click();
    await annTab.keyboard.press('Delete');
    for (const page of [ann, annTab, bob]) await expectCount(page, 2);
    await expectSameStored([ann, bob], 'Shared story', 2);
  } finally {
    await server.stop();
  }
});

test('a span arriving from the team while you select leaves your selection where it was: mid-drag, and before the label key', async ({ browser }) => {
  const server = await startTeamServer();
  try {
    const ann = await sharer(browser, server);
    const bob = await client(browser, 'Bob');
    await join(bob, server);
    await bob.locator('.doc-row', { hasText: 'Shared story' }).getByRole('button').first().click();
    await connected(bob);
    const middle = (r) => (r.top + r.bottom) / 2;
    const status = ann.locator('.selection-status');

    // Ann is halfway through a drag when Bob tags a word in the same paragraph (which would
    // split the text her drag started in): his span waits until she lets go, and she tags what
    // she dragged over.
    const [start, end] = span(SEED, 'Majority Leader Chuck');
    const first = await charRect(ann, start);
    const last = await charRect(ann, end - 1);
    await ann.mouse.move(first.left + 1, middle(first));
    await ann.mouse.down();
    await ann.mouse.move((first.left + last.right) / 2, middle(last), { steps: 5 });
    await tag(bob, 'Senate', 'e');
    await expect(team(bob).getByRole('status')).toHaveText('connected');
    // Loopback delivers in milliseconds (make bench-team); nothing may show while she drags.
    await ann.waitForTimeout(500);
    await expectCount(ann, 0);
    await ann.mouse.move(last.right - 1, middle(last), { steps: 5 });
    await ann.mouse.up();
    await expectCount(ann, 1);
    await expect(status).toContainText('“Majority Leader Chuck”');
    await ann.keyboard.press('q');
    await expectCount(ann, 2);
    await expect(panel(ann).locator('.annotation-row', { hasText: 'Majority Leader Chuck' })).toContainText('Quote');

    // A finished selection, then Bob's span before Ann's key: the key tags her selection.
    await dragSelect(ann, span(SEED, 'congressional delegation'));
    await tag(bob, 'Schumer', 'e');
    await expectCount(ann, 3);
    await expect(status).toContainText('“congressional delegation”');
    await ann.keyboard.press('c');
    await expectCount(ann, 4);
    await expectSameStored([ann, bob], 'Shared story', 4);
    const labels = (await stored(ann, 'Shared story')).map(([, label, s, e]) => [label, SEED.slice(s, e)]);
    expect(labels.sort()).toEqual([
      ['claim', 'congressional delegation'], ['entity', 'Schumer'], ['entity', 'Senate'], ['quote', 'Majority Leader Chuck'],
    ]);
  } finally {
    await server.stop();
  }
});

test('ten annotators at once: every span of every client reaches every client, none twice', async ({ browser }) => {
  test.setTimeout(240_000);
  const server = await startTeamServer();
  try {
    const owner = await client(browser, 'c0');
    await pasteArticle(owner, SEED, 'Ten hands');
    await join(owner, server);
    await connected(owner);
    await team(owner).getByRole('button', { name: 'Share this article' }).click();
    const clients = [owner];
    for (let i = 1; i < 10; i++) {
      const page = await client(browser, `c${i}`);
      await join(page, server);
      await page.locator('.doc-row', { hasText: 'Ten hands' }).getByRole('button').first().click();
      await connected(page);
      clients.push(page);
    }
    const perClient = 3;
    const all = words(perClient * clients.length);
    // Interleaved: client 0 tags its first word, then client 1, ... while the others take them in.
    for (let round = 0; round < perClient; round++) {
      for (const [i, page] of clients.entries()) {
        await tag(page, all[i * perClient + round]);
      }
    }
    const total = perClient * clients.length;
    for (const page of clients) {
      await expectCount(page, total);
    }
    const reference = await expectSameStored(clients, 'Ten hands', total);
    expect(new Set(reference.map((a) => a[0])).size).toBe(total);
  } finally {
    await server.stop();
  }
});

test('the server is killed mid-session: clients keep editing offline, reconnect by themselves, and nothing is lost', async ({ browser }, testInfo) => {
  const server = await startTeamServer();
  try {
    const ann = await sharer(browser, server, 'Outage');
    const bob = await client(browser, 'Bob');
    await join(bob, server);
    await bob.locator('.doc-row', { hasText: 'Outage' }).getByRole('button').first().click();
    await connected(bob);

    const list = words(24);
    await tag(ann, list[0]);
    await expectCount(bob, 1);
    // Stored on the server: nothing of Ann's is waiting.
    await expect(team(ann).getByRole('status')).toHaveText('connected');

    await server.kill();
    await expect(team(ann).getByRole('status')).toContainText('offline');
    await expect(team(bob).getByRole('status')).toContainText('offline');
    for (const word of list.slice(1, 13)) await tag(ann, word);
    for (const word of list.slice(13, 24)) await tag(bob, word, 'c');
    await expect(team(ann).getByRole('status')).toContainText('changes not on the server yet');
    await shot(ann, testInfo, 'team-offline');

    await server.restart();
    for (const page of [ann, bob]) {
      await expect(team(page).getByRole('status')).toHaveText('connected', { timeout: 20_000 });
      await expectCount(page, 24);
    }
    await expectSameStored([ann, bob], 'Outage', 24);

    // A newcomer after the restart gets everything from the server's own storage.
    const cleo = await client(browser, 'Cleo');
    await join(cleo, server);
    await cleo.locator('.doc-row', { hasText: 'Outage' }).getByRole('button').first().click();
    await expectCount(cleo, 24);
  } finally {
    await server.stop();
  }
});

test('two server instances behind one Redis: clients on different instances converge', async ({ browser }) => {
  const redis = await startRedis();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'team-shared-'));
  const args = ['--redis', redis.address];
  const one = await startTeamServer({ dataDir, args });
  const two = await startTeamServer({ dataDir, args });
  try {
    const ann = await sharer(browser, one, 'Two instances');
    const bob = await client(browser, 'Bob');
    await join(bob, two);
    await bob.locator('.doc-row', { hasText: 'Two instances' }).getByRole('button').first().click();
    await connected(bob);
    const [first, second, third] = words(3);
    await tag(ann, first);
    await tag(bob, second, 'q');
    await tag(ann, third, 'c');
    await expectCount(ann, 3);
    await expectCount(bob, 3);
    await expectSameStored([ann, bob], 'Two instances', 3);
  } finally {
    await one.stop();
    await two.stop();
    await redis.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a peer writing broken records: they are left out with a message, the rest arrives, nothing local is harmed', async ({ browser }) => {
  const server = await startTeamServer();
  try {
    const ann = await sharer(browser, server, 'Targeted');
    const [mine, theirs] = words(2);
    await tag(ann, mine);
    await expectCount(ann, 1);
    const id = await ann.evaluate(() => Object.keys(localStorage)
      .find((k) => k.startsWith('article-annotator:doc:')).slice('article-annotator:doc:'.length));

    // Not the app: Yjs straight into the article's map, with a write token.
    const peer = await rawPeer(server, `news/${id}`);
    const [start, end] = span(SEED, theirs);
    peer.doc.transact(() => {
      peer.annotations.set('broken', '{not json');
      peer.annotations.set('far', JSON.stringify({ id: 'far', label: 'quote', start: 0, end: 10 ** 9 }));
      peer.annotations.set('stolen', JSON.stringify({ id: 'someone-else', label: 'quote', start, end }));
      peer.annotations.set('a1.peer0', JSON.stringify({ id: 'a1.peer0', label: 'entity', start, end, made_by: 'Mallory' }));
    });
    await expect(ann.locator('.notices')).toContainText('3 records from the team could not be used');
    await expectCount(ann, 2);
    await expect(panel(ann).locator('.annotation-row', { hasText: theirs })).toHaveCount(1);
    peer.close();
  } finally {
    await server.stop();
  }
});

test('a huge article is refused by the server with a message; it stays here as a local article and leaves the corpus', async ({ browser }, testInfo) => {
  const server = await startTeamServer({ args: ['--max-update-bytes', '150000'] });
  try {
    // About 300 KB: twice what this server takes in one message.
    const big = Array.from({ length: 60 }, () => SEED).join('\n\n');
    const ann = await sharer(browser, server, 'Too big', big);
    await expect(team(ann).getByRole('alert')).toContainText('“Too big” was not shared: the server refused it');
    await expect(team(ann).getByRole('alert')).toContainText('150000 bytes');
    // It stays here, as a local article, and nothing waits to be sent.
    const row = ann.locator('.doc-row', { hasText: 'Too big' });
    await expect(row).not.toContainText('shared');
    await expect(team(ann).getByRole('status')).toHaveText('connected');
    await expect(team(ann).getByRole('button', { name: 'Share this article' })).toBeVisible();
    await shot(ann, testInfo, 'team-huge-refused');
    // Nothing of it reached anyone: a newcomer finds no such article.
    const bob = await client(browser, 'Bob');
    await join(bob, server);
    await connected(bob);
    await expect(bob.locator('.doc-row', { hasText: 'Too big' })).toHaveCount(0);
    await expect(ann.locator('.doc-row', { hasText: 'Too big' })).toHaveCount(1);
  } finally {
    await server.stop();
  }
});

test('offline across a reload: a deletion and an addition made offline survive the reload and reach the others', async ({ browser }, testInfo) => {
  const server = await startTeamServer();
  try {
    const ann = await sharer(browser, server, 'Reloaded');
    const bob = await client(browser, 'Bob');
    await join(bob, server);
    await bob.locator('.doc-row', { hasText: 'Reloaded' }).getByRole('button').first().click();
    await connected(bob);
    const [kept, doomed, added, bobsLater] = words(4);
    await tag(ann, kept);
    await tag(bob, doomed, 'q');
    await expectCount(ann, 2);
    await connected(ann);

    await server.kill();
    await expect(team(ann).getByRole('status')).toContainText('offline');
    await panel(ann).locator('.annotation-row', { hasText: doomed }).click();
    await ann.getByRole('button', { name: 'Delete', exact: true }).click();
    // A deletion counts as not on the server (Yjs deletions advance no clock: the server's
    // acknowledgement carries its removals).
    await expect(team(ann).getByRole('status')).toContainText('1 change not on the server yet');
    await tag(ann, added, 'c');
    await expectCount(ann, 2);
    await expect(team(ann).getByRole('status')).toContainText('2 changes not on the server yet');
    // Kept across the reload: the page's copy of the shared article, with what the server lacks.
    await ann.waitForTimeout(1500);
    await ann.reload();
    await ann.locator('.doc-row', { hasText: 'Reloaded' }).getByRole('button').first().click();
    await expectCount(ann, 2);
    await expect(team(ann).getByRole('status')).toContainText('2 changes not on the server yet');
    await shot(ann, testInfo, 'team-offline-after-reload');
    // Bob, offline too meanwhile, tags something of his own.
    await tag(bob, bobsLater, 'e');

    await server.restart();
    for (const page of [ann, bob]) {
      await expect(team(page).getByRole('status')).toHaveText('connected', { timeout: 20_000 });
    }
    // The deletion made offline stays deleted everywhere; the additions of both arrive.
    for (const page of [ann, bob]) {
      await expectCount(page, 3);
      await expect(panel(page).locator('.annotation-row', { hasText: doomed })).toHaveCount(0);
    }
    await expectSameStored([ann, bob], 'Reloaded', 3);
  } finally {
    await server.stop();
  }
});

test('one client offline for 100 edits while another edits: it reconnects by itself and every edit survives', async ({ browser }) => {
  test.setTimeout(240_000);
  const server = await startTeamServer();
  const relay = await startCuttableRelay(server);
  try {
    const bob = await client(browser, 'Bob');
    await pasteArticle(bob, SEED, 'Long offline');
    await join(bob, server);
    await connected(bob);
    await team(bob).getByRole('button', { name: 'Share this article' }).click();
    // Ann reaches the server through a relay the test can cut: only she goes offline.
    const ann = await client(browser, 'Ann');
    await join(ann, relay);
    await ann.locator('.doc-row', { hasText: 'Long offline' }).getByRole('button').first().click();
    await connected(ann);

    const list = words(110);
    relay.cut();
    await expect(team(ann).getByRole('status')).toContainText('offline');
    for (const word of list.slice(0, 100)) await tag(ann, word);
    await expect(team(ann).getByRole('status')).toContainText('100 changes not on the server yet');
    for (const word of list.slice(100)) await tag(bob, word, 'q');
    await expectCount(bob, 10);
    await expectCount(ann, 100);

    relay.restore();
    await expect(team(ann).getByRole('status')).toHaveText('connected', { timeout: 20_000 });
    await expectCount(ann, 110);
    await expectCount(bob, 110);
    await expectSameStored([ann, bob], 'Long offline', 110);
  } finally {
    await relay.stop();
    await server.stop();
  }
});
