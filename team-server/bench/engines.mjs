#!/usr/bin/env node
// `make bench-engines`: the two Yjs sync servers we could run team mode on, measured with the same
// workload, from Node Yjs clients on loopback:
//
//  - Hocuspocus 3.4.4 as we run it (team-server/server.mjs: token auth, SQLite, message guards),
//    spoken to with @hocuspocus/provider;
//  - y-sweet (`y-sweet serve <dir>`, file store, no auth), spoken to with the y-websocket sync
//    protocol (y-protocols/sync, no awareness) on its document socket /d/<id>/ws/<id>.
//
// The workload mirrors the app: a Y.Map "annotations" of JSON strings of ~120 bytes, one key per
// annotation (`a17.k3x9q`), one transaction per annotation. Per engine:
//
//  (a) update latency: client A sets a key, until client B's map has it (300 samples, ~20 ms apart);
//  (b) convergence: 10 clients × 100 edits at once (small random pauses), from the first edit until
//      every client holds all 1,000 keys;
//  (c) server memory: resident size (VmRSS) before any document, and once one document holds
//      1,000 annotations;
//  (d) bytes on disk of the data folder once those 1,000 are stored (waits until the size stops
//      changing, at most 15 s);
//  (e) kill -9 of the server after that store, restart on the same folder: keys a fresh client gets;
//      and kill -9 0.5 s after 100 more annotations reached the server, restart: keys kept;
//  (f) two live instances on one store (Hocuspocus with --redis, if redis-server is installed;
//      y-sweet: two `serve` processes on one folder): does an edit made through one reach a client
//      of the other;
//  (g) auth: a wrong token refused (Hocuspocus); y-sweet with --auth: what it refuses without its
//      server token or a client token it issued.
//
// Prints a table, writes bench/engines-results.json and bench/engines.md (paths from the repo root).
// Nothing is asserted: the machines are shared and noisy.
//
//   cd team-server && node bench/engines.mjs [--latency-samples 300] [--clients 10] [--edits 100]
//        [--annotations 1000] [--engines hocuspocus,y-sweet] [--out DIR]
//
// Env: Y_SWEET, the y-sweet binary (default target/tools/y-sweet/bin/y-sweet under the repo root).
// Every process it starts is killed when it ends, pass or fail, and its temporary folders removed;
// should this process itself be killed, the servers go too (each child has an IPC channel to it:
// Hocuspocus stops itself, y-sweet and redis-server run under a watchdog that SIGKILLs them).
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { HocuspocusProvider } from "@hocuspocus/provider";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TEAM = path.resolve(HERE, "..");
const ROOT = path.resolve(HERE, "../..");
const SERVER = path.join(TEAM, "server.mjs");
const YSWEET = path.resolve(process.env.Y_SWEET || path.join(ROOT, "target/tools/y-sweet/bin/y-sweet"));

const { values: opts } = parseArgs({
	options: {
		"latency-samples": { type: "string", default: "300" },
		clients: { type: "string", default: "10" },
		edits: { type: "string", default: "100" },
		annotations: { type: "string", default: "1000" },
		engines: { type: "string", default: "hocuspocus,y-sweet" },
		out: { type: "string", default: path.join(ROOT, "bench") },
	},
	strict: true,
});
const LATENCY_SAMPLES = Number(opts["latency-samples"]);
const CLIENTS = Number(opts.clients);
const EDITS = Number(opts.edits);
const ANNOTATIONS = Number(opts.annotations);
const LATE_EDITS = 100; // the edits of the "kill -9 soon after" check
const ENGINES = opts.engines.split(",").map((e) => e.trim());
const OUT = path.resolve(opts.out);
for (const [name, n] of Object.entries({ LATENCY_SAMPLES, CLIENTS, EDITS, ANNOTATIONS })) {
	if (!Number.isInteger(n) || n < 1) {
		console.error(`engines: ${name} must be a whole number >= 1`);
		process.exit(2);
	}
}
for (const engine of ENGINES) {
	if (engine !== "hocuspocus" && engine !== "y-sweet") {
		console.error(`engines: unknown engine ${JSON.stringify(engine)} (hocuspocus, y-sweet)`);
		process.exit(2);
	}
}
if (ENGINES.includes("y-sweet")) {
	try {
		fs.accessSync(YSWEET, fs.constants.X_OK);
	} catch {
		console.error(
			`engines: no y-sweet binary at ${YSWEET}.\n` +
				"  Install it with `make bench-engines` (cargo install --locked --root target/tools/y-sweet y-sweet --version 0.9.1)\n" +
				"  or point Y_SWEET at one.",
		);
		process.exit(2);
	}
}

// --- processes and temporary folders: all gone when this process ends ------------------------------
const children = new Set(); // { pid (the server's own), proc (what we spawned) }
const temporary = [];
function cleanUp() {
	for (const child of children) {
		for (const pid of new Set([child.pid, child.proc.pid])) {
			try {
				if (pid) process.kill(pid, "SIGKILL");
			} catch {}
		}
	}
	children.clear();
	for (const dir of temporary.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
process.on("exit", cleanUp);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
	process.once(signal, () => {
		console.error(`engines: ${signal}, stopping`);
		process.exit(1);
	});
}

function tempDir(what) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-engines-${what}-`));
	temporary.push(dir);
	return dir;
}

// Runs a command and SIGKILLs it when this watchdog loses its parent or gets SIGTERM; tells the
// parent the command's pid.
const WATCHDOG = `
const { spawn } = require("node:child_process");
const [command, ...args] = JSON.parse(process.argv[1]);
const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"] });
const end = () => { try { child.kill("SIGKILL"); } catch {} };
child.on("error", (error) => { console.error(String(error)); process.exit(127); });
if (child.pid) process.send({ pid: child.pid });
process.on("disconnect", end);
process.on("SIGTERM", end);
child.on("exit", (code, signal) => process.exit(code ?? 1));
`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const stripAnsi = (text) => text.replace(/\u001b\[[0-9;]*m/g, "");

// Spawns `proc`, collects its output, resolves once `ready` matches it (returns the match).
function launch(proc, ready, what, pidFromIpc = false) {
	const child = { proc, pid: pidFromIpc ? null : proc.pid, output: "" };
	children.add(child);
	child.exited = new Promise((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal })));
	child.exited.then(() => children.delete(child));
	const started = new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${what} did not start within 15 s:\n${child.output}`)), 15_000);
		let pid = pidFromIpc ? null : proc.pid;
		let match = null;
		const check = () => {
			if (match && pid) {
				clearTimeout(timer);
				child.pid = pid;
				resolve(match);
			}
		};
		const take = (chunk) => {
			child.output = (child.output + stripAnsi(String(chunk))).slice(-20_000);
			if (!match) {
				match = ready.exec(child.output);
				check();
			}
		};
		proc.stdout.on("data", take);
		proc.stderr.on("data", take);
		if (pidFromIpc) {
			proc.on("message", (message) => {
				pid = message.pid;
				check();
			});
		}
		child.exited.then(({ code, signal }) => {
			clearTimeout(timer);
			reject(new Error(`${what} exited (${code ?? signal}) before it was ready:\n${child.output}`));
		});
	});
	return { child, started };
}

async function kill9(child) {
	process.kill(child.pid, "SIGKILL");
	await child.exited;
}

async function stop(child) {
	try {
		process.kill(child.pid, "SIGKILL");
	} catch {}
	try {
		process.kill(child.proc.pid, "SIGKILL");
	} catch {}
	await child.exited;
}

/** Resident memory of a process, in bytes. */
const rss = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]) * 1024;

/** The files under `dir` and their sizes (apparent bytes), their total, and a signature that
 * changes whenever a file is written (sizes and modification times: SQLite's WAL is rewritten in
 * place after a checkpoint, its size unchanged). */
function diskUse(dir) {
	const files = {};
	let total = 0;
	let signature = "";
	const walk = (at) => {
		for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
			const full = path.join(at, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.isFile()) {
				const { size, mtimeNs } = fs.statSync(full, { bigint: true });
				files[path.relative(dir, full)] = Number(size);
				total += Number(size);
				signature += `${full}:${size}:${mtimeNs};`;
			}
		}
	};
	if (fs.existsSync(dir)) walk(dir);
	return { total, files, signature };
}

async function waitFor(what, predicate, ms = 10_000) {
	const deadline = Date.now() + ms;
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
		await sleep(5);
	}
}

function withTimeout(promise, ms, what) {
	let timer;
	return Promise.race([
		promise,
		new Promise((_, reject) => {
			timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
		}),
	]).finally(() => clearTimeout(timer));
}

const quantile = (values, q) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

// --- the workload ---------------------------------------------------------------------------------
const rand5 = () => Math.random().toString(36).slice(2, 7).padEnd(5, "0");
const keyOf = (n) => `a${n}.${rand5()}`;
/** An annotation as the app stores it: a JSON string of ~120 bytes. */
function annotation(key, n, by) {
	const record = { id: key, start: 1000 + n * 9, end: 1008 + n * 9, label: "PER", by, at: 1764921600000 + n, note: "" };
	const pad = 120 - JSON.stringify(record).length;
	if (pad > 0) record.note = "x".repeat(pad);
	return JSON.stringify(record);
}

// --- servers --------------------------------------------------------------------------------------
const TOKEN = "bench-token-read-write-0001";
const WRONG_TOKEN = "bench-token-wrong-0002";
const CORPUS = "bench";

function hocuspocusTokens(dir) {
	const file = path.join(dir, "tokens.json");
	fs.writeFileSync(file, JSON.stringify({ corpora: { [CORPUS]: { [TOKEN]: "read-write" } } }));
	return file;
}

async function startHocuspocus(dataDir, tokensFile, extra = []) {
	const args = [SERVER, "--port", "0", "--host", "127.0.0.1", "--data", dataDir, "--tokens", tokensFile, ...extra];
	const proc = spawn(process.execPath, args, { cwd: TEAM, stdio: ["ignore", "pipe", "pipe", "ipc"] });
	const { child, started } = launch(proc, /team-server listening on (ws:\/\/\S+)\n/, "the Hocuspocus server");
	const match = await started;
	return { child, url: match[1] };
}

// `y-sweet serve` on port 0: the kernel picks a free port, which y-sweet prints
// ("Listening on ws://127.0.0.1:PORT"); then GET /ready must answer.
async function startYSweet(storeDir, extra = []) {
	const command = [YSWEET, "serve", storeDir, "--host", "127.0.0.1", "--port", "0", ...extra];
	const proc = spawn(process.execPath, ["-e", WATCHDOG, JSON.stringify(command)], {
		stdio: ["ignore", "pipe", "pipe", "ipc"],
	});
	const { child, started } = launch(proc, /Listening on ws:\/\/(127\.0\.0\.1:\d+)/, "y-sweet", true);
	const match = await started;
	const http = `http://${match[1]}`;
	const ready = await fetch(`${http}/ready`).then((r) => r.json());
	if (!ready.ok) throw new Error(`y-sweet /ready answered ${JSON.stringify(ready)}`);
	return { child, http, ws: `ws://${match[1]}` };
}

async function startRedis() {
	const { default: net } = await import("node:net");
	const port = await new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once("error", reject);
		probe.listen(0, "127.0.0.1", () => {
			const { port } = probe.address();
			probe.close(() => resolve(port));
		});
	});
	const command = ["redis-server", "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
	const proc = spawn(process.execPath, ["-e", WATCHDOG, JSON.stringify(command)], {
		stdio: ["ignore", "pipe", "pipe", "ipc"],
	});
	const { child, started } = launch(proc, /Ready to accept connections/, "redis-server", true);
	await started;
	return { child, address: `127.0.0.1:${port}` };
}

// --- clients: { doc, map, synced (a promise), close() } -------------------------------------------
function hocuspocusClient(server, id, token = TOKEN) {
	const doc = new Y.Doc();
	let provider;
	const synced = new Promise((resolve, reject) => {
		provider = new HocuspocusProvider({
			url: server.url,
			name: `${CORPUS}/${id}`,
			token,
			document: doc,
			WebSocketPolyfill: WebSocket,
			// The app sends no awareness; neither does the y-sweet client here.
			awareness: null,
			onSynced: () => resolve(),
			onAuthenticationFailed: ({ reason }) => reject(new Error(`authentication failed: ${reason}`)),
		});
	});
	return {
		doc,
		map: doc.getMap("annotations"),
		synced: withTimeout(synced, 15_000, `a Hocuspocus client of ${id} to sync`),
		close() {
			// provider.destroy(), and no reconnect timer left behind (provider 3.4.4 can call connect()
			// after destroy() when its socket had just closed: see team-server/test/server.test.mjs).
			const socket = provider.configuration.websocketProvider;
			provider.destroy();
			socket.connect = async () => {};
		},
	};
}

// The y-websocket protocol as y-sweet speaks it (y-sweet-core doc_connection.rs): every frame is
// varUint(message type) then the payload; 0 = sync (y-protocols/sync), 1 = awareness (ignored
// here). The server sends its step 1 and an awareness update on connect; the client is synced once
// it has the server's step 2 (the answer to its own step 1).
function ySweetClient(server, id, token = null) {
	const doc = new Y.Doc();
	const query = token ? `?token=${encodeURIComponent(token)}` : "";
	const socket = new WebSocket(`${server.ws}/d/${id}/ws/${id}${query}`);
	const send = (encoder) => {
		if (socket.readyState === WebSocket.OPEN) socket.send(encoding.toUint8Array(encoder));
	};
	const onUpdate = (update, origin) => {
		if (origin === socket) return;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 0);
		syncProtocol.writeUpdate(encoder, update);
		send(encoder);
	};
	doc.on("update", onUpdate);
	const synced = new Promise((resolve, reject) => {
		socket.on("open", () => {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, 0);
			syncProtocol.writeSyncStep1(encoder, doc);
			send(encoder);
		});
		socket.on("message", (data) => {
			const decoder = decoding.createDecoder(new Uint8Array(data));
			const type = decoding.readVarUint(decoder);
			if (type !== 0) return;
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, 0);
			const kind = syncProtocol.readSyncMessage(decoder, encoder, doc, socket);
			if (encoding.length(encoder) > 1) send(encoder);
			if (kind === syncProtocol.messageYjsSyncStep2) resolve();
		});
		socket.on("unexpected-response", (_, response) => reject(new Error(`y-sweet refused the socket: HTTP ${response.statusCode}`)));
		socket.on("error", reject);
	});
	return {
		doc,
		map: doc.getMap("annotations"),
		synced: withTimeout(synced, 15_000, `a y-sweet client of ${id} to sync`),
		close() {
			doc.off("update", onUpdate);
			socket.on("error", () => {});
			socket.terminate();
		},
	};
}

const ENGINE = {
	hocuspocus: {
		title: `Hocuspocus ${JSON.parse(fs.readFileSync(path.join(TEAM, "node_modules/@hocuspocus/server/package.json"), "utf8")).version}`,
		// How long after a change each stores it: server.mjs stores 200 ms after a change, at most
		// 1 s after the first of a stream of changes; y-sweet every --checkpoint-freq-seconds (10).
		storeIntervalMs: 1000,
		async start(dir) {
			const tokensFile = hocuspocusTokens(dir);
			return startHocuspocus(path.join(dir, "data"), tokensFile);
		},
		dataDir: (dir) => path.join(dir, "data"),
		async create() {},
		client: hocuspocusClient,
	},
	"y-sweet": {
		title: `y-sweet ${ENGINES.includes("y-sweet") ? execFileSync(YSWEET, ["version"], { encoding: "utf8" }).trim() : "?"}`,
		storeIntervalMs: 10_000,
		start: (dir) => startYSweet(path.join(dir, "data")),
		dataDir: (dir) => path.join(dir, "data"),
		// Without --auth, POST /doc/new {"docId"} creates (or loads) a document; its socket would be
		// opened anyway (a socket with full access creates the document), but this is the documented way.
		async create(server, id) {
			const response = await fetch(`${server.http}/doc/new`, {
				method: "POST",
				headers: { "content-type": "application/json" },
				body: JSON.stringify({ docId: id }),
			});
			if (!response.ok) throw new Error(`y-sweet POST /doc/new ${id}: HTTP ${response.status} ${await response.text()}`);
		},
		client: ySweetClient,
	},
};

async function connect(engine, server, id) {
	const c = engine.client(server, id);
	await c.synced;
	return c;
}

/** Sets `count` annotations from `c`, one transaction each, yielding every 50. */
async function write(c, from, count, by) {
	for (let n = from; n < from + count; n++) {
		const key = keyOf(n);
		c.map.set(key, annotation(key, n, by));
		if (n % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
	}
}

// (d): the size of the data folder once the server has stored the document. The server held every
// annotation at `heldAt`, so any store after it has them all: done when the folder changed after
// `heldAt` and then stayed 1 s, or stayed for the engine's store interval + 1 s, or after 15 s.
async function waitStored(engine, dir, heldAt) {
	let last = diskUse(dir).signature;
	let lastChange = null;
	let quietSince = performance.now();
	for (;;) {
		await sleep(100);
		const now = performance.now();
		const signature = diskUse(dir).signature;
		if (signature !== last) {
			last = signature;
			lastChange = now;
			quietSince = now;
		}
		if (lastChange !== null && now - quietSince >= 1000) break;
		if (now - quietSince >= engine.storeIntervalMs + 1000) break;
		if (now - heldAt >= 15_000) break;
	}
	const { total, files } = diskUse(dir);
	return {
		total,
		files,
		lastChangeAfterMs: lastChange === null ? null : lastChange - heldAt,
		waitedMs: performance.now() - heldAt,
	};
}

// --- one engine -------------------------------------------------------------------------------------
async function measure(name) {
	const engine = ENGINE[name];
	const result = { engine: engine.title };
	const dir = tempDir(name);
	const dataDir = engine.dataDir(dir);
	const open = new Set();
	const client = async (server, id) => {
		const c = await connect(engine, server, id);
		open.add(c);
		return c;
	};
	const closeAll = () => {
		for (const c of open) c.close();
		open.clear();
	};
	let server = await engine.start(dir);
	try {
		// (c) memory, (d) disk: one document, ANNOTATIONS annotations from one client.
		await sleep(500);
		const rssBefore = rss(server.child.pid);
		const diskBefore = diskUse(dataDir).total;
		await engine.create(server, "memory");
		const writer = await client(server, "memory");
		await write(writer, 0, ANNOTATIONS, "w");
		const reader = await client(server, "memory");
		await waitFor(`the server to hold ${ANNOTATIONS} annotations`, () => reader.map.size === ANNOTATIONS, 30_000);
		const heldAt = performance.now();
		await sleep(1000);
		const rssAfter = rss(server.child.pid);
		result.memory = {
			rssBeforeBytes: rssBefore,
			rssAfterBytes: rssAfter,
			rssPer1000Bytes: ((rssAfter - rssBefore) * 1000) / ANNOTATIONS,
			annotations: ANNOTATIONS,
			note: "resident size of the server process before any document, and 1 s after one document holds the annotations (two clients connected)",
		};
		console.log(`${name}: memory ${(rssBefore / 2 ** 20).toFixed(1)} → ${(rssAfter / 2 ** 20).toFixed(1)} MB`);
		const stored = await waitStored(engine, dataDir, heldAt);
		result.disk = {
			beforeBytes: diskBefore,
			...stored,
			annotations: ANNOTATIONS,
			// The document itself, as one Yjs update (what any engine has to keep at least).
			yjsStateBytes: Y.encodeStateAsUpdate(reader.doc).length,
		};
		const when = stored.lastChangeAfterMs === null ? "before" : `${stored.lastChangeAfterMs.toFixed(0)} ms after`;
		console.log(`${name}: on disk ${stored.total} B (${JSON.stringify(stored.files)}), last change ${when} the server held them`);

		// (e) kill -9 after the store, restart on the same folder.
		await kill9(server.child);
		closeAll();
		server = await engine.start(dir);
		const fresh = await client(server, "memory");
		result.restartAfterStore = { kept: fresh.map.size, of: ANNOTATIONS };
		console.log(`${name}: kill -9 after the store, restart: ${fresh.map.size} of ${ANNOTATIONS}`);
		// ... and kill -9 0.5 s after LATE_EDITS more reached the server.
		const watcher = await client(server, "memory");
		await write(fresh, ANNOTATIONS, LATE_EDITS, "late");
		const total = ANNOTATIONS + LATE_EDITS;
		await waitFor(`the server to hold ${total} annotations`, () => watcher.map.size === total, 30_000);
		await sleep(500);
		await kill9(server.child);
		closeAll();
		server = await engine.start(dir);
		const after = await client(server, "memory");
		result.restartSoonAfterEdits = { kept: after.map.size, of: total, killedAfterMs: 500 };
		console.log(`${name}: kill -9 0.5 s after ${LATE_EDITS} more edits, restart: ${after.map.size} of ${total}`);
		closeAll();

		// (a) latency between two clients.
		await engine.create(server, "latency");
		const a = await client(server, "latency");
		const b = await client(server, "latency");
		const waiting = new Map();
		b.map.observe((event) => {
			const at = performance.now();
			for (const key of event.keysChanged) waiting.get(key)?.(at);
		});
		const latencies = [];
		for (let i = 0; i < LATENCY_SAMPLES; i++) {
			const key = keyOf(i);
			const seen = new Promise((resolve) => waiting.set(key, resolve));
			const sent = performance.now();
			a.map.set(key, annotation(key, i, "a"));
			latencies.push((await withTimeout(seen, 10_000, `latency sample ${i}`)) - sent);
			waiting.delete(key);
			await sleep(20);
		}
		result.latency = {
			samples: LATENCY_SAMPLES,
			p50Ms: quantile(latencies, 0.5),
			p95Ms: quantile(latencies, 0.95),
			maxMs: Math.max(...latencies),
		};
		console.log(`${name}: latency p50 ${result.latency.p50Ms.toFixed(2)} ms, p95 ${result.latency.p95Ms.toFixed(2)} ms, max ${result.latency.maxMs.toFixed(2)} ms`);
		closeAll();

		// (b) convergence: CLIENTS clients × EDITS edits at once.
		await engine.create(server, "convergence");
		const clients = [];
		for (let k = 0; k < CLIENTS; k++) clients.push(await client(server, "convergence"));
		const everything = CLIENTS * EDITS;
		const reached = new Array(CLIENTS).fill(null);
		clients.forEach((c, k) => {
			c.map.observe(() => {
				if (reached[k] === null && c.map.size === everything) reached[k] = performance.now();
			});
		});
		const first = performance.now();
		let lastEdit = first;
		await Promise.all(
			clients.map(async (c, k) => {
				for (let e = 0; e < EDITS; e++) {
					const n = k * EDITS + e;
					const key = keyOf(n);
					c.map.set(key, annotation(key, n, `c${k}`));
					lastEdit = performance.now();
					await sleep(Math.random() * 3);
				}
			}),
		);
		try {
			await waitFor(`every client to hold ${everything} keys`, () => reached.every((t) => t !== null), 60_000);
		} catch (error) {
			throw new Error(`${error.message}: ${clients.map((c) => c.map.size).join(", ")}`);
		}
		const converged = Math.max(...reached);
		result.convergence = {
			clients: CLIENTS,
			edits: EDITS,
			total: everything,
			fromFirstEditMs: converged - first,
			editingMs: lastEdit - first,
			afterLastEditMs: converged - lastEdit,
		};
		console.log(`${name}: convergence ${CLIENTS}×${EDITS}: ${result.convergence.fromFirstEditMs.toFixed(0)} ms from the first edit (edits took ${result.convergence.editingMs.toFixed(0)} ms)`);
		closeAll();
	} finally {
		closeAll();
		await stop(server.child);
	}
	result.instances = await twoInstances(name);
	result.auth = await authCheck(name);
	fs.rmSync(dir, { recursive: true, force: true });
	return result;
}

// (f) Two live instances on one store: a key set through instance 1, seen by a client of instance 2?
async function twoInstances(name) {
	const dir = tempDir(`${name}-two`);
	const started = [];
	const opened = [];
	try {
		let one;
		let two;
		let how;
		if (name === "hocuspocus") {
			try {
				execFileSync("sh", ["-c", "command -v redis-server"], { stdio: "ignore" });
			} catch {
				return { checked: false, how: "not checked: no redis-server on this machine" };
			}
			const redis = await startRedis();
			started.push(redis);
			const tokensFile = hocuspocusTokens(dir);
			const extra = ["--redis", redis.address];
			one = await startHocuspocus(path.join(dir, "data"), tokensFile, extra);
			started.push(one);
			two = await startHocuspocus(path.join(dir, "data"), tokensFile, extra);
			started.push(two);
			how = "two server.mjs instances with --redis on one redis-server and one SQLite file";
		} else {
			one = await startYSweet(path.join(dir, "data"));
			started.push(one);
			two = await startYSweet(path.join(dir, "data"));
			started.push(two);
			how = "two `y-sweet serve` processes on one store folder";
		}
		await ENGINE[name].create(one, "shared");
		await ENGINE[name].create(two, "shared");
		const c1 = await connect(ENGINE[name], one, "shared");
		opened.push(c1);
		const c2 = await connect(ENGINE[name], two, "shared");
		opened.push(c2);
		const key = keyOf(1);
		const sent = performance.now();
		c1.map.set(key, annotation(key, 1, "one"));
		try {
			await waitFor("the other instance's client", () => c2.map.has(key), 3000);
			return { checked: true, how, reached: true, afterMs: performance.now() - sent };
		} catch {
			return { checked: true, how, reached: false, waitedMs: 3000 };
		}
	} finally {
		for (const c of opened) c.close();
		for (const s of started.reverse()) await stop(s.child);
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

// (g) Auth, checked on a running server.
async function authCheck(name) {
	const dir = tempDir(`${name}-auth`);
	let server;
	try {
		if (name === "hocuspocus") {
			server = await ENGINE.hocuspocus.start(dir);
			const wrong = hocuspocusClient(server, "auth", WRONG_TOKEN);
			let refused = null;
			try {
				await wrong.synced;
			} catch (error) {
				refused = error.message;
			}
			wrong.close();
			const right = hocuspocusClient(server, "auth", TOKEN);
			let accepted = true;
			try {
				await right.synced;
			} catch {
				accepted = false;
			}
			right.close();
			return {
				model: "onAuthenticate hook per document (<corpus> or <corpus>/<id>) against our tokens file",
				wrongTokenRefused: refused !== null,
				refusal: refused,
				rightTokenAccepted: accepted,
			};
		}
		const keys = JSON.parse(execFileSync(YSWEET, ["gen-auth", "--json"], { encoding: "utf8" }));
		server = await startYSweet(path.join(dir, "data"), ["--auth", keys.private_key]);
		const post = (url, body, bearer) =>
			fetch(url, {
				method: "POST",
				headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
				body: JSON.stringify(body),
			});
		const newWithout = (await post(`${server.http}/doc/new`, { docId: "auth" })).status;
		const newWith = (await post(`${server.http}/doc/new`, { docId: "auth" }, keys.server_token)).status;
		const authResponse = await post(`${server.http}/doc/auth/auth`, {}, keys.server_token);
		const issued = authResponse.ok ? await authResponse.json() : null;
		const upgrade = (url) =>
			new Promise((resolve) => {
				const socket = new WebSocket(url);
				socket.on("open", () => {
					socket.terminate();
					resolve(101);
				});
				socket.on("unexpected-response", (_, response) => {
					resolve(response.statusCode);
					socket.terminate();
				});
				socket.on("error", () => resolve("error"));
			});
		const wsWithout = await upgrade(`${server.ws}/d/auth/ws/auth`);
		const wsWith = issued?.token ? await upgrade(`${issued.url}/auth?token=${encodeURIComponent(issued.token)}`) : null;
		const ownKey = JSON.parse(execFileSync(YSWEET, ["gen-auth", "--json"], { encoding: "utf8" })).server_token;
		const newWithOtherKey = (await post(`${server.http}/doc/new`, { docId: "auth" }, ownKey)).status;
		// A document id like ours, <corpus>/<id>.
		const newWithSlash = (await post(`${server.http}/doc/new`, { docId: "bench/a1" }, keys.server_token)).status;
		// A client token opens its own document only.
		await post(`${server.http}/doc/new`, { docId: "other" }, keys.server_token);
		const wsOtherDoc = issued?.token ? await upgrade(`${server.ws}/d/other/ws/other?token=${encodeURIComponent(issued.token)}`) : null;
		// A read-only client token: its edit must not reach a full client.
		let readOnlyEditApplied = null;
		const readOnlyResponse = await post(`${server.http}/doc/auth/auth`, { authorization: "read-only" }, keys.server_token);
		if (readOnlyResponse.ok && issued?.token) {
			const readOnly = await readOnlyResponse.json();
			const full = ySweetClient(server, "auth", issued.token);
			const viewer = ySweetClient(server, "auth", readOnly.token);
			try {
				await full.synced;
				await viewer.synced;
				viewer.map.set("a1.ro000", annotation("a1.ro000", 1, "viewer"));
				try {
					await waitFor("the read-only edit", () => full.map.has("a1.ro000"), 1500);
					readOnlyEditApplied = true;
				} catch {
					readOnlyEditApplied = false;
				}
			} finally {
				full.close();
				viewer.close();
			}
		}
		return {
			model:
				"serve --auth <private key> (from `y-sweet gen-auth`); a backend holding the server token calls POST /doc/<id>/auth and hands the client the token and URL it returns",
			newDocWithoutServerToken: newWithout,
			newDocWithServerToken: newWith,
			newDocWithAnotherKeysServerToken: newWithOtherKey,
			clientTokenIssued: Boolean(issued?.token),
			clientTokenFields: issued ? Object.keys(issued) : null,
			socketWithoutToken: wsWithout,
			socketWithIssuedToken: wsWith,
			socketToAnotherDocWithThatToken: wsOtherDoc,
			newDocWithSlashInId: newWithSlash,
			readOnlyTokenEditReachedAFullClient: readOnlyEditApplied,
		};
	} finally {
		if (server) await stop(server.child);
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

// --- run, report --------------------------------------------------------------------------------
const nproc = Number(execFileSync("nproc", { encoding: "utf8" }).trim());
const results = {
	date: new Date().toISOString(),
	nproc,
	node: process.version,
	cpu: os.cpus()[0]?.model ?? "?",
	workload: {
		map: "annotations",
		valueBytes: annotation(keyOf(0), 0, "w").length,
		latencySamples: LATENCY_SAMPLES,
		clients: CLIENTS,
		edits: EDITS,
		annotations: ANNOTATIONS,
	},
	engines: {},
};
const startedAt = performance.now();
try {
	for (const name of ENGINES) results.engines[name] = await measure(name);
} catch (error) {
	console.error(`engines: ${error.stack ?? error}`);
	process.exit(1);
}
results.seconds = (performance.now() - startedAt) / 1000;

const ms = (x) => (x === null || x === undefined ? "–" : x < 10 ? x.toFixed(2) : x.toFixed(0));
const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
const mb = (b) => `${(b / 2 ** 20).toFixed(1)} MB`;
const rows = [
	[`update latency A → B, ${LATENCY_SAMPLES} samples`, (r) => `p50 ${ms(r.latency.p50Ms)} ms, p95 ${ms(r.latency.p95Ms)} ms, max ${ms(r.latency.maxMs)} ms`],
	[
		`convergence ${CLIENTS} clients × ${EDITS} edits: all ${CLIENTS * EDITS} on every client`,
		(r) =>
			`${ms(r.convergence.fromFirstEditMs)} ms after the first edit, ${ms(r.convergence.afterLastEditMs)} ms after the last (the clients took ${ms(r.convergence.editingMs)} ms to make them)`,
	],
	[
		`server memory, before any document → one document of ${ANNOTATIONS} annotations`,
		(r) => `${mb(r.memory.rssBeforeBytes)} → ${mb(r.memory.rssAfterBytes)} (${r.memory.rssPer1000Bytes >= 0 ? "+" : ""}${kb(r.memory.rssPer1000Bytes)} per 1,000)`,
	],
	[
		`data folder once ${ANNOTATIONS} annotations are stored`,
		(r) =>
			`${kb(r.disk.total)} (${Object.entries(r.disk.files).map(([f, s]) => `${f} ${kb(s)}`).join(", ")}); empty: ${kb(r.disk.beforeBytes)}; the document as one Yjs update: ${kb(r.disk.yjsStateBytes)}; last change ${r.disk.lastChangeAfterMs === null ? "before" : `${(r.disk.lastChangeAfterMs / 1000).toFixed(1)} s after`} the server held them`,
	],
	["kill -9 after the store, restart: keys a fresh client gets", (r) => `${r.restartAfterStore.kept} of ${r.restartAfterStore.of}`],
	[
		`kill -9 0.5 s after ${LATE_EDITS} more edits reached the server, restart`,
		(r) => `${r.restartSoonAfterEdits.kept} of ${r.restartSoonAfterEdits.of}`,
	],
	[
		"two live instances on one store: an edit through one reaches a client of the other",
		(r) =>
			!r.instances.checked
				? r.instances.how
				: r.instances.reached
					? `yes, in ${ms(r.instances.afterMs)} ms (${r.instances.how})`
					: `no, not within ${r.instances.waitedMs / 1000} s (${r.instances.how})`,
	],
];
const names = Object.keys(results.engines);
const table = [
	`| measure | ${names.map((n) => results.engines[n].engine).join(" | ")} |`,
	`|---|${names.map(() => "---").join("|")}|`,
	...rows.map(([label, cell]) => `| ${label} | ${names.map((n) => cell(results.engines[n])).join(" | ")} |`),
];

const h = results.engines.hocuspocus;
const y = results.engines["y-sweet"];
const features = [];
if (h) {
	features.push(
		`- **${h.engine}** (team-server/server.mjs): auth: the onAuthenticate hook checks every document (\`<corpus>\` or \`<corpus>/<id>\`) against our own tokens file, read-write or read-only, re-read on SIGHUP (this run: a wrong token ${h.auth.wrongTokenRefused ? "refused" : "NOT refused"}, the right one ${h.auth.rightTokenAccepted ? "accepted" : "NOT accepted"}). Several live instances: the Redis extension (\`--redis host:port\`) fans updates out between them, stores merge into the shared SQLite file (this run: ${h.instances.checked ? (h.instances.reached ? `an edit crossed instances in ${ms(h.instances.afterMs)} ms` : "an edit did NOT cross instances") : h.instances.how}). Persistence: SQLite through our Database extension (WAL, synchronous=FULL), one row of Yjs state per document, stored 200 ms after a change (at most 1 s into a stream of changes), and each store acknowledged to the clients (\`{"stored": <state vector>}\`).`,
	);
}
if (y) {
	const a = y.auth;
	features.push(
		`- **${y.engine}**: auth: no hook for our tokens; \`serve --auth <key>\` (key from \`y-sweet gen-auth\`), then a backend holding the server token creates documents (\`POST /doc/new\`) and issues a client token per document (\`POST /doc/<id>/auth\`, full or read-only, expiring), which the client passes as \`?token=\` on the socket (this run, with --auth: /doc/new without the server token → HTTP ${a.newDocWithoutServerToken}, with it → ${a.newDocWithServerToken}; socket without a token → ${a.socketWithoutToken}, with the issued token → ${a.socketWithIssuedToken}, with it on another document → ${a.socketToAnotherDocWithThatToken}; ${a.readOnlyTokenEditReachedAFullClient === null ? "the read-only token not checked" : `an edit through a read-only token ${a.readOnlyTokenEditReachedAFullClient ? "DID reach" : "did not reach"} a full client`}); without --auth every document is open to anyone (it warns "Only use this for local development"). Document ids are only [A-Za-z0-9_-] (this run: \`/doc/new\` of \`bench/a1\` → HTTP ${a.newDocWithSlashInId}), so \`<corpus>/<id>\` would need mapping. Several live instances: \`serve --help\` has no option to connect instances (no Redis or other fan-out); each process broadcasts only to its own sockets (this run: ${y.instances.reached ? `an edit crossed instances in ${ms(y.instances.afterMs)} ms` : `two \`serve\` processes on one folder: an edit did not reach the other's client within ${y.instances.waitedMs / 1000} s`}); its \`serve-doc\` command serves one document per process (documents routed to processes by a session backend such as Plane, per its source), not checked here. Persistence: a file per document (\`<store>/<id>/data.ysweet\`) or S3 (\`serve s3://bucket/prefix\`, S3 not checked), written at most every \`--checkpoint-freq-seconds\` (default 10 s), with no acknowledgement to clients.`,
	);
}

const md = [
	"### Sync engines: Hocuspocus and y-sweet",
	"",
	`_${results.date}; \`cd team-server && node bench/engines.mjs\`; ${nproc} CPUs (nproc), Node ${process.version}; servers on loopback, Node Yjs clients in one process; a Y.Map "annotations" of ${results.workload.valueBytes}-byte JSON strings, one transaction per annotation. Hocuspocus is our team-server/server.mjs (tokens, SQLite, message guards); y-sweet is \`y-sweet serve <folder>\` without auth._`,
	"",
	...table,
	"",
	"Clients and servers share the machine's CPUs: the clients' own work (Yjs, the provider) is in every time above. Memory is the server process's VmRSS (Node's heap for Hocuspocus, so it moves with garbage collection). Hocuspocus's folder is SQLite with its write-ahead log, which keeps the stores since its last checkpoint (each store writes the whole document); y-sweet's is one snapshot file per document.",
	"",
	...features,
	"",
].join("\n");

console.log("");
console.log(table.join("\n"));
console.log("");
fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(path.join(OUT, "engines-results.json"), `${JSON.stringify(results, null, 2)}\n`);
fs.writeFileSync(path.join(OUT, "engines.md"), md);
console.log(`wrote ${path.relative(process.cwd(), path.join(OUT, "engines-results.json"))} and ${path.relative(process.cwd(), path.join(OUT, "engines.md"))} (${results.seconds.toFixed(0)} s)`);
process.exit(0);
