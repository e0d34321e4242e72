// The team server end to end: each test starts its own server processes (node server.mjs --port 0,
// a temporary data folder and tokens file) and talks to them with Hocuspocus's own provider, or with
// a raw WebSocket where a well-behaved client cannot say what the test needs.
//
//   node --test team-server/test/        (make test-team-server installs what it needs first)
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { HocuspocusProvider } from "@hocuspocus/provider";
import Sqlite from "better-sqlite3";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as Y from "yjs";

const SERVER = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "server.mjs");
const RW = "rw-token-alice-0001";
const RW2 = "rw-token-bob-0002";
const RO = "ro-token-carol-0003";
const OTHER = "rw-token-other-0004";
const TOKENS = {
	corpora: {
		demo: { [RW]: "read-write", [RW2]: "read-write", [RO]: "read-only" },
		other: { [OTHER]: "read-write" },
	},
};
// Hocuspocus wire protocol (server/src/types.ts): every frame is <varString document name>
// <varUint message type> <payload>.
const SYNC = 0;
const AUTH = 2;
const STATELESS = 5;
const CLOSE = 7;
const SYNC_STATUS = 8;

// --- processes: every one is killed when the tests end, pass or fail ------------------------------
// The after() hook kills them; should this process die without running it (its stdout pipe closed
// under it, say), each child has an IPC channel to it and goes when that disconnects: the server
// stops itself, redis-server runs under a small watchdog that kills it.
const children = new Map(); // child process -> the signal that ends it
const killAll = () => {
	for (const [child, signal] of children) {
		try {
			child.kill(signal);
		} catch {}
	}
	children.clear();
};
process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
	process.once(signal, () => {
		killAll();
		process.exit(1);
	});
}
const temporary = [];
after(() => {
	killAll();
	for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

// Runs a command and kills it (SIGKILL) when this watchdog gets SIGTERM or loses its parent.
const WATCHDOG = `
const { spawn } = require("node:child_process");
const [command, ...args] = JSON.parse(process.argv[1]);
const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"] });
const end = () => child.kill("SIGKILL");
process.on("disconnect", end);
process.on("SIGTERM", end);
child.on("exit", (code) => process.exit(code ?? 0));
`;

function tempDir() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), "team-server-test-"));
	temporary.push(dir);
	return dir;
}

function setup(tokens = TOKENS) {
	const dir = tempDir();
	const tokensFile = path.join(dir, "tokens.json");
	fs.writeFileSync(tokensFile, JSON.stringify(tokens));
	return { data: path.join(dir, "data"), tokensFile };
}

async function startServer({ data, tokensFile }, extra = []) {
	const args = [SERVER, "--port", "0", "--host", "127.0.0.1", "--data", data, "--tokens", tokensFile, ...extra];
	const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe", "ipc"] });
	children.set(child, "SIGKILL");
	let stdout = "";
	let stderr = "";
	child.stderr.on("data", (chunk) => {
		stderr += chunk;
	});
	const exited = new Promise((resolve) => {
		child.on("exit", (code, signal) => {
			children.delete(child);
			resolve({ code, signal });
		});
	});
	const url = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`the server did not start within 10 s:\n${stderr}`)), 10_000);
		child.stdout.on("data", (chunk) => {
			stdout += chunk;
			const match = /^team-server listening on (ws:\/\/\S+)\n/m.exec(stdout);
			if (match) {
				clearTimeout(timer);
				resolve(match[1]);
			}
		});
		exited.then(({ code, signal }) => {
			clearTimeout(timer);
			reject(new Error(`the server exited (${code ?? signal}) before listening:\n${stderr}`));
		});
	});
	return {
		url,
		exited,
		get stdout() {
			return stdout;
		},
		get stderr() {
			return stderr;
		},
		signal(name) {
			child.kill(name);
		},
		stop(signal = "SIGTERM") {
			child.kill(signal);
			return exited;
		},
	};
}

function freePort() {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once("error", reject);
		probe.listen(0, "127.0.0.1", () => {
			const { port } = probe.address();
			probe.close(() => resolve(port));
		});
	});
}

async function waitFor(what, predicate, ms = 8000) {
	const deadline = Date.now() + ms;
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// --- clients ------------------------------------------------------------------------------------
// The reference client: Hocuspocus's provider over `ws`, recording what the server tells it.
function client(t, url, name, token) {
	const doc = new Y.Doc();
	const seen = { stateless: [], denied: [], closed: [], scope: null, synced: false };
	const provider = new HocuspocusProvider({
		url,
		name,
		token,
		document: doc,
		WebSocketPolyfill: WebSocket,
		delay: 200,
		minDelay: 100,
		maxDelay: 1000,
		onStateless: ({ payload }) => seen.stateless.push(JSON.parse(payload)),
		onAuthenticationFailed: ({ reason }) => seen.denied.push(reason),
		onAuthenticated: ({ scope }) => {
			seen.scope = scope;
		},
		onSynced: () => {
			seen.synced = true;
		},
		onClose: ({ event }) => seen.closed.push(event.reason),
	});
	const c = { provider, doc, seen, map: doc.getMap("article") };
	t.after(() => shut(c));
	return c;
}

// provider.destroy(), except that a provider whose socket closed within the last reconnect delay
// (its server was just stopped) has a reconnect timer pending, which would call connect() after
// destroy() and retry forever (provider 3.4.4): the destroyed socket's connect() is made a no-op.
function shut(c) {
	const socket = c.provider.configuration.websocketProvider;
	c.provider.destroy();
	socket.connect = async () => {};
}

async function synced(t, url, name, token = RW) {
	const c = client(t, url, name, token);
	await waitFor(`${name} to sync`, () => c.seen.synced);
	return c;
}

// A state vector the server reported as stored covers every change this client made.
const acknowledged = (c) => ackedClock(c) >= clockOf(c.doc);

const clockOf = (doc) => Y.decodeStateVector(Y.encodeStateVector(doc)).get(doc.clientID) ?? 0;

// The highest clock of this client's changes that a stored acknowledgement covered.
function ackedClock(c) {
	let best = 0;
	for (const message of c.seen.stateless) {
		if (message.stored === undefined) continue;
		const clock = Y.decodeStateVector(Buffer.from(message.stored, "base64")).get(c.doc.clientID) ?? 0;
		best = Math.max(best, clock);
	}
	return best;
}

function frame(name, write) {
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, name);
	write(encoder);
	return encoding.toUint8Array(encoder);
}

function readFrame(data) {
	const decoder = decoding.createDecoder(new Uint8Array(data));
	const name = decoding.readVarString(decoder);
	const type = decoding.readVarUint(decoder);
	const out = { name, type };
	if (type === AUTH) {
		out.auth = decoding.readVarUint(decoder);
		out.text = decoding.readVarString(decoder);
	} else if (type === STATELESS || type === CLOSE) {
		out.text = decoding.readVarString(decoder);
	} else if (type === SYNC_STATUS) {
		out.applied = decoding.readVarUint(decoder) === 1;
	}
	return out;
}

// A raw WebSocket that authenticates on one document and then sends whatever it is told to.
async function rawClient(t, url, name, token = RW) {
	const ws = new WebSocket(url);
	const frames = [];
	let closed = null;
	ws.on("message", (data) => frames.push(readFrame(data)));
	ws.on("close", (code, reason) => {
		closed = { code, reason: reason.toString() };
	});
	ws.on("error", () => {});
	t.after(() => ws.terminate());
	await once(ws, "open");
	ws.send(
		frame(name, (e) => {
			encoding.writeVarUint(e, AUTH);
			encoding.writeVarUint(e, 0);
			encoding.writeVarString(e, token);
		}),
	);
	return {
		ws,
		frames,
		get closed() {
			return closed;
		},
		sendUpdate(update) {
			ws.send(
				frame(name, (e) => {
					encoding.writeVarUint(e, SYNC);
					encoding.writeVarUint(e, 2);
					encoding.writeVarUint8Array(e, update);
				}),
			);
		},
	};
}

function storedMap(data, name) {
	const db = new Sqlite(path.join(data, "documents.sqlite"), { readonly: true, fileMustExist: true });
	try {
		const row = db.prepare("SELECT data FROM documents WHERE name = ?").get(name);
		if (!row) return null;
		const doc = new Y.Doc();
		Y.applyUpdate(doc, row.data);
		return doc.getMap("article").toJSON();
	} finally {
		db.close();
	}
}

// --- the tests ----------------------------------------------------------------------------------
test("a good token: two clients on one article converge; the corpus document opens too", async (t) => {
	const server = await startServer(setup());
	const a = await synced(t, server.url, "demo/article-1", RW);
	const b = await synced(t, server.url, "demo/article-1", RW2);
	assert.equal(a.seen.scope, "read-write");
	a.map.set("from-a", "1");
	await waitFor("B to see A's change", () => b.map.get("from-a") === "1");
	b.map.set("from-b", "two");
	await waitFor("A to see B's change", () => a.map.get("from-b") === "two");
	const index = await synced(t, server.url, "demo", RW);
	assert.equal(index.seen.scope, "read-write");
	const { code } = await server.stop("SIGTERM");
	assert.equal(code, 0, server.stderr);
	assert.equal(server.stdout, `team-server listening on ${server.url}\n`, "stdout is exactly the one line");
});

test("a wrong token is denied with its reason and changes nothing", async (t) => {
	const files = setup();
	const server = await startServer(files, ["--max-update-bytes", "65536"]);
	const wrong = client(t, server.url, "demo/article-2", "not-a-token-at-all");
	const otherCorpus = client(t, server.url, "demo/article-2", OTHER);
	const badName = client(t, server.url, "no spaces allowed/x", RW);
	await waitFor("the denials", () => wrong.seen.denied.length && otherCorpus.seen.denied.length && badName.seen.denied.length);
	assert.equal(wrong.seen.denied[0], 'this token does not open corpus "demo"');
	assert.equal(otherCorpus.seen.denied[0], 'this token does not open corpus "demo"');
	assert.match(badName.seen.denied[0], /is not a document name/);
	wrong.map.set("intruder", "true");
	otherCorpus.map.set("intruder", "true");
	await sleep(400);
	const reader = await synced(t, server.url, "demo/article-2", RW);
	assert.deepEqual(reader.map.toJSON(), {}, "the document stays empty");

	// A socket that keeps sending for a document it was refused is closed once it has piled up
	// more than the budget (limit + 1 MiB here) in the server's pre-authentication queue.
	const raw = await rawClient(t, server.url, "demo/article-2", "not-a-token-at-all");
	await waitFor("the raw denial", () => raw.frames.some((f) => f.type === AUTH && f.auth === 1));
	for (let i = 0; i < 40 && !raw.closed; i++) {
		raw.sendUpdate(crypto.randomBytes(60_000));
		await sleep(5);
	}
	await waitFor("the flooding socket to be closed", () => raw.closed);
	assert.equal(raw.closed.code, 1008);

	assert.equal((await server.stop("SIGTERM")).code, 0, server.stderr);
	const stored = storedMap(files.data, "demo/article-2");
	assert.ok(stored === null || Object.keys(stored).length === 0, `nothing stored, got ${JSON.stringify(stored)}`);
});

test("a read-only token receives the document; its changes reach nobody", async (t) => {
	const files = setup();
	const server = await startServer(files);
	const writer = await synced(t, server.url, "demo/article-3", RW);
	writer.map.set("seed", "s");
	const ro = client(t, server.url, "demo/article-3", RO);
	await waitFor("the read-only client to receive the document", () => ro.map.get("seed") === "s");
	assert.equal(ro.seen.scope, "readonly");
	ro.map.set("ro-change", "nope");
	ro.doc.getText("t").insert(0, "nor this");
	writer.map.set("later", "2");
	await waitFor("the read-only client to keep receiving", () => ro.map.get("later") === "2");
	await sleep(500); // past the store debounce
	assert.equal(writer.map.get("ro-change"), undefined);
	assert.ok(ro.provider.hasUnsyncedChanges, "the server answered the read-only client's update with SyncStatus 0");
	const fresh = await synced(t, server.url, "demo/article-3", RW2);
	assert.deepEqual(fresh.map.toJSON(), { seed: "s", later: "2" });
	assert.equal(fresh.doc.getText("t").toString(), "");
	assert.equal((await server.stop("SIGTERM")).code, 0, server.stderr);
	assert.deepEqual(storedMap(files.data, "demo/article-3"), { seed: "s", later: "2" });
});

// The removals the last stored acknowledgement says are on disk.
function ackedDeletions(c) {
	const last = c.seen.stateless.filter((m) => m.deleted !== undefined).at(-1);
	return last ? Y.decodeSnapshot(Buffer.from(last.deleted, "base64")).ds : null;
}

// The id of the item that holds `key` in client `c`'s map now.
const itemOf = (c, key) => c.map._map.get(key).id;

test("a removal counts as stored once an acknowledgement's delete set holds it, also after a restart", async (t) => {
	const files = setup();
	const first = await startServer(files);
	const a = await synced(t, first.url, "demo/article-9", RW);
	a.map.set("kept", "1");
	a.map.set("removed", "2");
	await waitFor("the two values to be acknowledged", () => acknowledged(a));
	const removed = itemOf(a, "removed");
	assert.equal(Y.isDeleted(ackedDeletions(a), removed), false);
	a.map.delete("removed");
	// A removal advances no clock: only the delete set can say it is on disk.
	await waitFor("the removal to be acknowledged", () => Y.isDeleted(ackedDeletions(a), removed));
	assert.deepEqual(storedMap(files.data, "demo/article-9"), { kept: "1" });
	await first.stop("SIGTERM");
	shut(a);
	// A client connecting to a restarted server is told the removals on disk straight away.
	const second = await startServer(files);
	const b = client(t, second.url, "demo/article-9", RW2);
	await waitFor("the acknowledgement on connecting", () => ackedDeletions(b) !== null);
	assert.ok(Y.isDeleted(ackedDeletions(b), removed));
	await second.stop("SIGTERM");
});

test("killed while a client edits, restarted: every acknowledged change is there; SIGTERM stores first", async (t) => {
	const files = setup();
	const first = await startServer(files);
	const a = await synced(t, first.url, "demo/article-4", RW);
	for (let round = 0; round < 5; round++) {
		for (let i = 0; i < 10; i++) a.map.set(`k${round}-${i}`, String(round * 10 + i));
		await sleep(30);
	}
	a.map.set("persisted", "persisted text");
	await waitFor("the stored acknowledgement to cover every change", () => acknowledged(a));
	// The acknowledgement means on disk: the row already holds all of it.
	assert.equal(Object.keys(storedMap(files.data, "demo/article-4")).length, 51);

	// The client keeps editing (one change every 5 ms) and the server is killed mid-stream, once an
	// acknowledgement has come for some of these changes.
	const live = [];
	let editing = true;
	const editor = (async () => {
		for (let i = 0; editing; i++) {
			a.map.set(`live-${i}`, String(i));
			live.push({ key: `live-${i}`, clock: clockOf(a.doc) });
			await sleep(5);
		}
	})();
	await waitFor("an acknowledgement during the edits", () => live.length > 0 && ackedClock(a) >= live[0].clock);
	await sleep(70);
	const killed = await first.stop("SIGKILL");
	editing = false;
	await editor;
	assert.equal(killed.signal, "SIGKILL");
	const acked = ackedClock(a);
	shut(a);
	const mustSurvive = live.filter((edit) => edit.clock <= acked).map((edit) => edit.key);
	assert.ok(mustSurvive.length > 0 && mustSurvive.length < live.length, `${mustSurvive.length} of ${live.length} live edits acknowledged`);

	const second = await startServer(files);
	const b = await synced(t, second.url, "demo/article-4", RW2);
	for (let i = 0; i < 50; i++) assert.equal(b.map.get(`k${Math.floor(i / 10)}-${i % 10}`), String(i));
	assert.equal(b.map.get("persisted"), "persisted text");
	for (const key of mustSurvive) assert.ok(b.map.has(key), `acknowledged ${key} survived the kill`);
	await waitFor("a connecting client to be told what is stored", () => b.seen.stateless.some((m) => m.stored));

	// Changes the server has applied but not stored yet (inside the 200 ms debounce) are stored by
	// SIGTERM before the process exits.
	const before = Object.keys(b.map.toJSON()).length;
	for (let i = 0; i < 5; i++) b.map.set(`late-${i}`, String(i));
	await waitFor("the server to apply the late changes", () => !b.provider.hasUnsyncedChanges, 3000);
	const stopped = await second.stop("SIGTERM");
	assert.equal(stopped.code, 0, second.stderr);
	shut(b);
	const third = await startServer(files);
	const c = await synced(t, third.url, "demo/article-4", RW);
	assert.equal(c.map.get("late-4"), "4");
	assert.equal(Object.keys(c.map.toJSON()).length, before + 5);
	await third.stop("SIGTERM");
});

test("a value the app cannot hold (not text, a list, another map) is refused; the document is unchanged", async (t) => {
	// One such update stored would stop every app client's sync of the document: the app refuses,
	// whole, a remote update that writes anything but text into its three maps.
	const files = setup();
	const server = await startServer(files);
	const b = await synced(t, server.url, "demo/article-shape", RW2);
	b.map.set("fine", "yes");
	const writes = [
		(c) => c.map.set("number", 7),
		(c) => c.map.set("nested", new Y.Map()),
		(c) => c.doc.getText("t").insert(0, "a text"),
		(c) => c.doc.getArray("annotations").push(["a list"]),
	];
	for (const write of writes) {
		const c = await synced(t, server.url, "demo/article-shape", RW);
		write(c);
		await waitFor("the refusal", () => c.seen.stateless.some((m) => m.refused && m.refused.includes("shape refused")));
		shut(c);
	}
	b.map.set("later", "still");
	const fresh = await synced(t, server.url, "demo/article-shape", RW);
	await waitFor("the later change", () => fresh.map.get("later") === "still");
	assert.deepEqual(fresh.map.toJSON(), { fine: "yes", later: "still" });
	assert.deepEqual([...fresh.doc.share.keys()], ["article"]);
	assert.equal((await server.stop("SIGTERM")).code, 0, server.stderr);
});

test("an update above --max-update-bytes is refused with a message; the others carry on", async (t) => {
	const files = setup();
	const server = await startServer(files, ["--max-update-bytes", "65536"]);
	const a = await synced(t, server.url, "demo/article-5", RW);
	const b = await synced(t, server.url, "demo/article-5", RW2);
	a.map.set("small", "1");
	await waitFor("the small change to arrive", () => b.map.get("small") === "1");
	a.map.set("big", crypto.randomBytes(100 * 1024).toString("base64"));
	await waitFor("the refusal", () => a.seen.stateless.some((m) => m.refused));
	const { refused } = a.seen.stateless.find((m) => m.refused);
	assert.match(refused, /bytes refused: the server takes at most 65536 bytes per message; the document was not changed/);
	await waitFor("the close with the same reason", () => a.seen.closed.includes(refused));
	b.map.set("after", "2");
	const c = await synced(t, server.url, "demo/article-5", RW);
	await waitFor("the later change", () => c.map.get("after") === "2");
	assert.equal(b.map.get("big"), undefined);
	assert.deepEqual(c.map.toJSON(), { small: "1", after: "2" });

	// A frame beyond the socket's maxPayload (limit + 1 MiB) never gets buffered: ws closes the
	// socket with 1009.
	const raw = await rawClient(t, server.url, "demo/article-5");
	await waitFor("the raw client to be admitted", () => raw.frames.some((f) => f.type === AUTH && f.auth === 2));
	raw.sendUpdate(crypto.randomBytes(65536 + 1024 * 1024 + 10));
	await waitFor("the oversized socket to be closed", () => raw.closed);
	assert.equal(raw.closed.code, 1009);

	c.map.set("still", "3");
	await waitFor("the server to keep serving", () => b.map.get("still") === "3");
	assert.equal((await server.stop("SIGTERM")).code, 0, server.stderr);
	assert.deepEqual(storedMap(files.data, "demo/article-5"), { small: "1", after: "2", still: "3" });
});

test("malformed updates are refused and change nothing; the server keeps serving", async (t) => {
	const files = setup();
	const server = await startServer(files);
	const watcher = await synced(t, server.url, "demo/article-6", RW);
	watcher.map.set("before", "1");

	// Valid structs followed by a garbage delete set: Yjs integrates the structs and then throws;
	// y-protocols swallows the error, so plain Hocuspocus keeps "evil", broadcasts and stores it.
	const evil = new Y.Doc();
	evil.getMap("article").set("evil", "x".repeat(20));
	const update = Y.encodeStateAsUpdate(evil);
	assert.equal(update[update.length - 1], 0, "the update ends with an empty delete set");
	const garbageDs = encoding.createEncoder();
	encoding.writeVarUint(garbageDs, 1); // one client
	encoding.writeVarUint(garbageDs, 4242); // its id
	encoding.writeVarUint(garbageDs, 2 ** 30); // "this many deleted ranges", then the end
	const hostile = new Uint8Array([...update.subarray(0, -1), ...encoding.toUint8Array(garbageDs)]);
	assert.throws(() => Y.applyUpdate(new Y.Doc(), hostile));

	const raw = await rawClient(t, server.url, "demo/article-6");
	await waitFor("the raw client to be admitted", () => raw.frames.some((f) => f.type === AUTH && f.auth === 2));
	raw.sendUpdate(hostile);
	await waitFor("the refusal", () => raw.frames.some((f) => f.type === CLOSE));
	const refusal = raw.frames.find((f) => f.type === STATELESS && f.text.includes("refused"));
	assert.match(JSON.parse(refusal.text).refused, /^malformed update refused/);
	assert.ok(!raw.frames.some((f) => f.type === SYNC_STATUS && f.applied), "no SyncStatus 'applied' for it");

	// Random bytes after a valid header, a length running past the frame, an unreadable frame.
	const raw2 = await rawClient(t, server.url, "demo/article-6");
	await waitFor("the second raw client to be admitted", () => raw2.frames.some((f) => f.type === AUTH && f.auth === 2));
	raw2.sendUpdate(crypto.randomBytes(300));
	await waitFor("the second refusal", () => raw2.frames.some((f) => f.type === CLOSE));
	const raw3 = await rawClient(t, server.url, "demo/article-6");
	await waitFor("the third raw client to be admitted", () => raw3.frames.some((f) => f.type === AUTH && f.auth === 2));
	raw3.ws.send(frame("demo/article-6", (e) => {
		encoding.writeVarUint(e, SYNC);
		encoding.writeVarUint(e, 2);
		encoding.writeVarUint(e, 5000); // claims 5000 bytes
		encoding.writeUint8Array(e, new Uint8Array([1, 2, 3]));
	}));
	await waitFor("the third refusal", () => raw3.frames.some((f) => f.type === CLOSE));
	const raw4 = await rawClient(t, server.url, "demo/article-6");
	raw4.ws.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
	await waitFor("the unreadable socket to be closed", () => raw4.closed);

	watcher.map.set("after", "2");
	const fresh = await synced(t, server.url, "demo/article-6", RW2);
	await waitFor("the later change", () => fresh.map.get("after") === "2");
	assert.deepEqual(fresh.map.toJSON(), { before: "1", after: "2" });
	assert.deepEqual(watcher.map.toJSON(), { before: "1", after: "2" });
	assert.equal((await server.stop("SIGTERM")).code, 0, server.stderr);
	assert.deepEqual(storedMap(files.data, "demo/article-6"), { before: "1", after: "2" });
});

test("SIGHUP re-reads the tokens file and closes the connections whose access changed", async (t) => {
	const files = setup();
	const server = await startServer(files);
	const kept = await synced(t, server.url, "demo/article-8", RW);
	const revoked = await synced(t, server.url, "demo/article-8", RW2);
	const { [RW2]: _, ...rest } = TOKENS.corpora.demo;
	fs.writeFileSync(files.tokensFile, JSON.stringify({ corpora: { ...TOKENS.corpora, demo: rest } }));
	server.signal("SIGHUP");
	await waitFor("the revoked client to be closed", () => revoked.seen.closed.length > 0);
	assert.equal(revoked.seen.closed[0], 'the access of this token to corpus "demo" changed');
	revoked.map.set("after-revocation", "1");
	kept.map.set("kept", "1");
	const again = client(t, server.url, "demo/article-8", RW2);
	await waitFor("the revoked token to be denied", () => again.seen.denied.length > 0);
	const fresh = await synced(t, server.url, "demo/article-8", RW);
	await waitFor("the kept client's change", () => fresh.map.get("kept") === "1");
	assert.equal(fresh.map.get("after-revocation"), undefined);
	assert.equal((await server.stop("SIGTERM")).code, 0, server.stderr);
});

test("a store never overwrites what another instance stored in the same folder", async (t) => {
	// Without Redis the two instances do not see each other's clients, but each store merges with
	// the row when another process wrote it since: neither change is lost.
	const files = setup();
	const one = await startServer(files);
	const two = await startServer(files);
	const a = await synced(t, one.url, "demo/article-9", RW);
	const b = await synced(t, two.url, "demo/article-9", RW2);
	a.map.set("from-one", "1");
	await waitFor("the first store", () => acknowledged(a));
	b.map.set("from-two", "2");
	await waitFor("the second store", () => acknowledged(b));
	assert.deepEqual(storedMap(files.data, "demo/article-9"), { "from-one": "1", "from-two": "2" });
	a.map.set("again-one", "3");
	await waitFor("the third store", () => acknowledged(a));
	assert.deepEqual(storedMap(files.data, "demo/article-9"), { "from-one": "1", "from-two": "2", "again-one": "3" });
	await Promise.all([one.stop("SIGTERM"), two.stop("SIGTERM")]);
});

test("two instances behind Redis share documents and one SQLite folder", async (t) => {
	const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
	if (found.status !== 0) {
		assert.fail("redis-server is not on PATH: run scripts/setup.sh team (it installs it with apt)");
	}
	const port = await freePort();
	const redisArgs = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
	const redis = spawn(process.execPath, ["-e", WATCHDOG, JSON.stringify(["redis-server", ...redisArgs])], {
		stdio: ["ignore", "pipe", "pipe", "ipc"],
	});
	children.set(redis, "SIGTERM");
	t.after(() => redis.kill("SIGTERM"));
	let redisOut = "";
	redis.stdout.on("data", (chunk) => {
		redisOut += chunk;
	});
	await waitFor("redis-server to accept connections", () => /Ready to accept connections/.test(redisOut), 10_000);

	const files = setup();
	const one = await startServer(files, ["--redis", `127.0.0.1:${port}`]);
	const two = await startServer(files, ["--redis", `127.0.0.1:${port}`]);
	const a = await synced(t, one.url, "demo/article-7", RW);
	const b = await synced(t, two.url, "demo/article-7", RW2);
	a.map.set("via-one", "1");
	await waitFor("the client on instance two to see it", () => b.map.get("via-one") === "1");
	b.map.set("via-two", "2");
	await waitFor("the client on instance one to see it", () => a.map.get("via-two") === "2");
	await waitFor("both clients' changes to be acknowledged", () => acknowledged(a) && acknowledged(b));
	shut(a);
	shut(b);
	await Promise.all([one.stop("SIGKILL"), two.stop("SIGKILL")]);

	// Each instance stored what its own clients sent, merged with what the other had stored.
	const alone = await startServer(files);
	const c = await synced(t, alone.url, "demo/article-7", RW);
	assert.deepEqual(c.map.toJSON(), { "via-one": "1", "via-two": "2" });
	await alone.stop("SIGTERM");
});
