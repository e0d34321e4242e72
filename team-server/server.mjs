#!/usr/bin/env node
// The team-mode sync server: Hocuspocus 3 (a Yjs WebSocket server) with
//  - token auth per corpus (tokens file, read-write or read-only),
//  - persistence in SQLite (one row per document, the whole Yjs state), acknowledged to clients:
//    after each store every connection of the document gets the stateless message
//    {"stored":"<base64 Yjs state vector now on disk>","deleted":"<base64 Yjs snapshot of its
//    delete set>"}; a change counts as acknowledged once that state vector covers it (a removal,
//    which advances no clock, once that delete set holds it), and an acknowledged change survives
//    the server being killed,
//  - refusal of oversized and malformed messages before they reach the document,
//  - optional Redis (--redis host:port) so several instances serve the same documents.
//
//   node team-server/server.mjs [--port 1234] [--host 127.0.0.1] [--data DIR] [--tokens FILE]
//                               [--redis host:port] [--max-update-bytes N]
//
// Env: TEAM_PORT, TEAM_HOST, TEAM_DATA, TEAM_TOKENS, TEAM_REDIS, TEAM_MAX_UPDATE_BYTES (flags win).
// Stdout carries exactly one line, `team-server listening on ws://HOST:PORT`; logs go to stderr.
// SIGTERM / SIGINT store every document and exit 0; SIGHUP re-reads the tokens file and closes the
// connections whose token no longer opens their corpus with the same access.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Database } from "@hocuspocus/extension-database";
import { Redis } from "@hocuspocus/extension-redis";
import { MessageType, Server } from "@hocuspocus/server";
import BetterSqlite3 from "better-sqlite3";
import * as decoding from "lib0/decoding";
import * as Y from "yjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MiB = 1024 * 1024;

// How long the server waits after a change before storing the document, and the longest a steady
// stream of changes can put the store off. Hocuspocus defaults to 2 s / 10 s; a store here is one
// SQLite write of the document's state, cheap for article-sized documents, and clients count their
// changes as unacknowledged until it happens, so the acknowledgement comes within 0.2 s of a pause
// and within 1 s during continuous editing.
const STORE_DEBOUNCE_MS = 200;
const STORE_MAX_DEBOUNCE_MS = 1000;
const MAX_NAME_LENGTH = 1024;
const CORPUS_RE = /^[A-Za-z0-9._-]{1,64}$/;
// <corpus> or <corpus>/<article>; the article part is any text without control characters.
const NAME_RE = /^([A-Za-z0-9._-]{1,64})(?:\/([^\u0000-\u001f\u007f]+))?$/;
const ACCESS = new Set(["read-write", "read-only"]);

// Logging never stops the server: a closed stderr (its reader gone) only loses the lines.
const log = (...parts) => {
	try {
		console.error("team-server:", ...parts);
	} catch {}
};
process.stdout.on("error", () => {});
process.stderr.on("error", () => {});

// --- options ------------------------------------------------------------------------------------
function usage(problem) {
	if (problem) console.error(`team-server: ${problem}`);
	console.error(
		"usage: node team-server/server.mjs [--port 1234] [--host 127.0.0.1] [--data DIR] " +
			"[--tokens FILE] [--redis host:port] [--max-update-bytes N]",
	);
	process.exit(2);
}

let args;
try {
	args = parseArgs({
		options: {
			port: { type: "string" },
			host: { type: "string" },
			data: { type: "string" },
			tokens: { type: "string" },
			redis: { type: "string" },
			"max-update-bytes": { type: "string" },
			help: { type: "boolean", short: "h" },
		},
		strict: true,
		allowPositionals: false,
	}).values;
} catch (error) {
	usage(error.message);
}
if (args.help) usage();

const env = process.env;
const portText = args.port ?? env.TEAM_PORT ?? "1234";
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65535) usage(`--port must be 0-65535, not ${portText}`);
const host = args.host ?? env.TEAM_HOST ?? "127.0.0.1";
const dataDir = path.resolve(args.data ?? env.TEAM_DATA ?? path.join(HERE, "data"));
const defaultTokens = fs.existsSync(path.join(HERE, "tokens.json"))
	? path.join(HERE, "tokens.json")
	: path.join(HERE, "tokens.example.json");
const tokensFile = path.resolve(args.tokens ?? env.TEAM_TOKENS ?? defaultTokens);
const redisText = args.redis ?? env.TEAM_REDIS ?? "";
const maxText = args["max-update-bytes"] ?? env.TEAM_MAX_UPDATE_BYTES ?? String(16 * MiB);
const maxUpdateBytes = Number(maxText);
if (!/^\d+$/.test(maxText) || maxUpdateBytes < 1024) {
	usage(`--max-update-bytes must be a whole number of bytes, at least 1024, not ${maxText}`);
}
// Frames up to the limit are handled; frames a little above it still reach the server and are
// refused with a readable reason ({"refused": ...}); ws itself drops anything beyond this, closing
// the whole socket with code 1009, so one absurd frame is never buffered whole.
const maxPayload = maxUpdateBytes + MiB;
// Messages a socket may have queued for documents it has not been admitted to yet (Hocuspocus holds
// them until onAuthenticate has answered): past this the socket is closed.
const preAuthBudget = maxUpdateBytes + MiB;

// --- tokens -------------------------------------------------------------------------------------
// { "corpora": { "<corpus>": { "<token>": "read-write" | "read-only" } } }; top-level keys starting
// with "_" are comments.
function loadTokens(file) {
	let parsed;
	try {
		parsed = JSON.parse(fs.readFileSync(file, "utf8"));
	} catch (error) {
		throw new Error(`cannot read the tokens file ${file}: ${error.message}`);
	}
	const bad = (what) => new Error(`tokens file ${file}: ${what}`);
	if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw bad("not a JSON object");
	for (const key of Object.keys(parsed)) {
		if (key !== "corpora" && !key.startsWith("_")) throw bad(`unknown key "${key}"`);
	}
	const { corpora } = parsed;
	if (!corpora || typeof corpora !== "object" || Array.isArray(corpora)) {
		throw bad('"corpora" must be an object of corpus name -> { token: access }');
	}
	const table = new Map();
	for (const [corpus, grants] of Object.entries(corpora)) {
		if (!CORPUS_RE.test(corpus)) throw bad(`corpus name "${corpus}" is not 1-64 of [A-Za-z0-9._-]`);
		if (!grants || typeof grants !== "object" || Array.isArray(grants)) {
			throw bad(`corpus "${corpus}" must map tokens to "read-write" or "read-only"`);
		}
		const byToken = new Map();
		for (const [token, access] of Object.entries(grants)) {
			if (token.length < 8) throw bad(`a token of corpus "${corpus}" is shorter than 8 characters`);
			if (!ACCESS.has(access)) {
				throw bad(`corpus "${corpus}": access must be "read-write" or "read-only", not ${JSON.stringify(access)}`);
			}
			byToken.set(token, access);
		}
		table.set(corpus, byToken);
	}
	return table;
}

let tokens;
try {
	tokens = loadTokens(tokensFile);
} catch (error) {
	console.error(`team-server: ${error.message}`);
	process.exit(2);
}
if (path.basename(tokensFile) === "tokens.example.json") {
	log(`using the example tokens (${tokensFile}); write team-server/tokens.json or pass --tokens for real use`);
}

function corpusOf(documentName) {
	if (typeof documentName !== "string" || documentName.length > MAX_NAME_LENGTH) return null;
	const match = NAME_RE.exec(documentName);
	return match ? match[1] : null;
}

// Thrown from hooks: Hocuspocus sends `reason` to the client (PermissionDenied from onAuthenticate,
// a Close message from beforeHandleMessage). A plain object, not an Error, so Hocuspocus does not
// log a stack for every refusal; we log one line ourselves.
const refusal = (code, reason) => ({ code, reason });

// --- persistence ----------------------------------------------------------------------------------
fs.mkdirSync(dataDir, { recursive: true });
const db = new BetterSqlite3(path.join(dataDir, "documents.sqlite"));
db.pragma("journal_mode = WAL");
// FULL: a commit is on disk (fsync of the WAL) before the store returns and the ack goes out, so an
// acknowledged change survives the machine going down too, not only the process.
db.pragma("synchronous = FULL");
db.pragma("busy_timeout = 10000");
db.exec("CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, data BLOB)");
const selectDoc = db.prepare("SELECT data FROM documents WHERE name = ?");
const upsertDoc = db.prepare(
	"INSERT INTO documents (name, data) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data",
);

const hashOf = (bytes) => crypto.createHash("sha256").update(bytes).digest("base64");
const base64 = (bytes) => Buffer.from(bytes).toString("base64");
const EMPTY_SV = base64(Y.encodeStateVector(new Y.Doc()));
/** The removals `doc` holds, as a Yjs snapshot with an empty state vector (`Y.encodeSnapshot`). */
const deletionsOf = (doc) =>
	base64(Y.encodeSnapshot(Y.createSnapshot(Y.createDeleteSetFromStructStore(doc.store), new Map())));
const NO_DELETIONS = deletionsOf(new Y.Doc());

// Per loaded document: the hash of the row as this process last read or wrote it, and the state
// vector and removals of that row (what the acks report).
const onDisk = new Map();

function mergeStates(a, b) {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, a);
	Y.applyUpdate(doc, b);
	const merged = { data: Y.encodeStateAsUpdate(doc), sv: Y.encodeStateVector(doc) };
	doc.destroy();
	return merged;
}

// One write transaction (BEGIN IMMEDIATE: writers of several processes queue on the file lock).
// When the row is still what this process last read or wrote, the live document contains it and its
// state replaces it. When another instance wrote the row since (several instances behind Redis share
// the file), the two states are merged, so no instance ever overwrites changes it has not seen yet.
const writeState = db.transaction((name, state, sv, knownHash) => {
	const row = selectDoc.get(name);
	const written = row?.data && hashOf(row.data) !== knownHash ? mergeStates(row.data, state) : { data: state, sv };
	upsertDoc.run(name, Buffer.from(written.data.buffer, written.data.byteOffset, written.data.byteLength));
	return written;
});

function sendStored(connection, { sv, deleted }) {
	connection.sendStateless(JSON.stringify({ stored: sv, deleted }));
}

const database = new Database({
	async fetch({ documentName }) {
		const row = selectDoc.get(documentName);
		if (!row?.data) {
			onDisk.set(documentName, { hash: null, sv: EMPTY_SV, deleted: NO_DELETIONS });
			return null;
		}
		const stored = new Y.Doc();
		Y.applyUpdate(stored, row.data);
		onDisk.set(documentName, {
			hash: hashOf(row.data),
			sv: base64(Y.encodeStateVector(stored)),
			deleted: deletionsOf(stored),
		});
		stored.destroy();
		return row.data;
	},
	async store({ documentName, document, state }) {
		// The extension encoded `state` from the document synchronously just before calling us, so
		// the document's state vector, taken before anything is awaited, is the state's (without the
		// structs Yjs holds back as pending, which makes it, if anything, an under-statement).
		// Its removals likewise: those of the live document (after a merge with another instance's
		// row, the row may hold more, which the next store reports).
		const stateVector = Y.encodeStateVector(document);
		const deleted = deletionsOf(document);
		const known = onDisk.get(documentName)?.hash ?? null;
		const written = writeState.immediate(documentName, state, stateVector, known);
		const acknowledged = { sv: base64(written.sv), deleted };
		onDisk.set(documentName, { hash: hashOf(written.data), ...acknowledged });
		for (const connection of document.getConnections()) sendStored(connection, acknowledged);
	},
});

// --- guard against malformed updates ----------------------------------------------------------------
// y-protocols applies a sync update inside try/catch and Hocuspocus then acknowledges it: an update
// that throws halfway (its structs integrate, then its delete set is garbage, or a struct refers to
// something of the wrong kind) leaves whatever was integrated in the document, which is then
// broadcast and stored. So every update from a writer is first applied to a shadow copy of the
// document; if that throws, the message is refused before Hocuspocus sees it and the shadow is
// rebuilt from the (untouched) document. The shadow follows the document's own updates (other
// clients, Redis), so it costs one extra apply per update, not a copy of the document per update.
const shadows = new WeakMap();

// --- guard the shape of a shared article ------------------------------------------------------------
// The app keeps every shared document as three maps of strings (crates/team: annotations,
// relations, article) and refuses, whole, a remote update that writes anything else: one such
// update stored here would stop every app client's sync of that document. So a writer's update
// is refused here first when it carries a value that is not a string (a number, a nested type, a
// Y.Text, binary) or, once applied to the shadow, leaves a root other than those maps or a root
// used as a list.
const SHARED_MAPS = new Set(["annotations", "relations", "article"]);

function contentProblem(update) {
	for (const struct of Y.decodeUpdate(update).structs) {
		if (!(struct instanceof Y.Item) || struct.content instanceof Y.ContentDeleted) continue;
		const content = struct.content;
		if (!(content instanceof Y.ContentAny) || !content.arr.every((value) => typeof value === "string")) {
			return "shape refused (a shared article holds only text values)";
		}
	}
	return null;
}

function shapeProblem(shadow) {
	for (const [name, type] of shadow.share) {
		if (!SHARED_MAPS.has(name)) return `shape refused (no map "${name.slice(0, 40)}" in a shared article)`;
		if (type._start !== null) return `shape refused ("${name}" is a map, not a list)`;
	}
	return null;
}
const followed = new WeakSet();

function shadowOf(document) {
	let shadow = shadows.get(document);
	if (!shadow) {
		shadow = new Y.Doc({ gc: document.gc });
		Y.applyUpdate(shadow, Y.encodeStateAsUpdate(document));
		shadows.set(document, shadow);
	}
	if (!followed.has(document)) {
		followed.add(document);
		document.on("update", (update) => {
			const current = shadows.get(document);
			if (!current) return;
			try {
				Y.applyUpdate(current, update);
			} catch {
				shadows.delete(document);
			}
		});
	}
	return shadow;
}

function refuse(connection, code, reason) {
	log(`refused a message on ${JSON.stringify(connection.document.name)} (socket ${connection.socketId}): ${reason}`);
	connection.sendStateless(JSON.stringify({ refused: reason }));
	throw refusal(code, reason);
}

// Reads the frame as Hocuspocus will (<document name> <message type> ...); returns the Yjs update it
// carries, if any. Throws an Error on anything it cannot read, a refusal on a broadcast that is not
// allowed.
function readFrame(frame, connection) {
	const decoder = decoding.createDecoder(frame);
	decoding.readVarString(decoder);
	const type = decoding.readVarUint(decoder);
	if (type === MessageType.Sync || type === MessageType.SyncReply) {
		const step = decoding.readVarUint(decoder);
		if (step === 0) {
			Y.decodeStateVector(decoding.readVarUint8Array(decoder));
			return null;
		}
		if (step === 1 || step === 2) return decoding.readVarUint8Array(decoder);
		throw new Error(`unknown sync step ${step}`);
	}
	if (type === MessageType.BroadcastStateless) {
		if (connection.readOnly) throw refusal(4403, "a read-only token cannot broadcast to the document");
		const payload = decoding.readVarString(decoder);
		let parsed = null;
		try {
			parsed = JSON.parse(payload);
		} catch {}
		if (parsed && typeof parsed === "object" && ("stored" in parsed || "refused" in parsed)) {
			throw refusal(4403, 'broadcast refused: "stored" and "refused" messages come from the server only');
		}
	}
	return null;
}

// --- admission bookkeeping: which documents each socket has been admitted to ------------------------
const admitted = new WeakMap(); // http request of the socket -> Set of document names

function admit(request, documentName) {
	let names = admitted.get(request);
	if (!names) admitted.set(request, (names = new Set()));
	names.add(documentName);
}

// --- the server -------------------------------------------------------------------------------------
const extensions = [];
if (redisText) {
	const match = /^(?:redis:\/\/)?([^:/]+):(\d+)\/?$/.exec(redisText);
	if (!match) usage(`--redis must be host:port, not ${redisText}`);
	// The extension takes a Redlock around each store and, when another instance holds it, skips that
	// store (the changes then wait for the next one). Our store merges with the row inside an SQLite
	// write transaction instead, so concurrent stores are safe and none is skipped.
	class SharedRedis extends Redis {
		async onStoreDocument() {}
	}
	extensions.push(
		new SharedRedis({ host: match[1], port: Number(match[2]), prefix: "annotator-team" }),
	);
}
extensions.push(database);

const server = new Server(
	{
		name: "annotator-team",
		port,
		address: host,
		quiet: true,
		stopOnSignals: false,
		debounce: STORE_DEBOUNCE_MS,
		maxDebounce: STORE_MAX_DEBOUNCE_MS,
		extensions,

		async onAuthenticate({ documentName, token, request, connectionConfig }) {
			const corpus = corpusOf(documentName);
			if (!corpus) {
				const shown = JSON.stringify(String(documentName).slice(0, 80));
				log(`denied ${shown}: not a document name`);
				throw refusal(
					4403,
					`${shown} is not a document name: <corpus> or <corpus>/<article>, the corpus 1-64 of [A-Za-z0-9._-], no control characters`,
				);
			}
			const access = tokens.get(corpus)?.get(token ?? "");
			if (!access) {
				log(`denied ${JSON.stringify(documentName)}: the token does not open corpus ${corpus}`);
				throw refusal(4403, `this token does not open corpus "${corpus}"`);
			}
			if (access === "read-only") connectionConfig.readOnly = true;
			admit(request, documentName);
			return { corpus, token, access };
		},

		async connected({ connection, documentName }) {
			// What is on disk already: a client that reconnects after a restart learns that its
			// earlier changes are stored without having to change anything.
			const known = onDisk.get(documentName);
			if (known) sendStored(connection, known);
			connection.onClose(() => admitted.get(connection.request)?.delete(documentName));
		},

		async beforeHandleMessage({ update: frame, connection, document }) {
			if (frame.length > maxUpdateBytes) {
				refuse(
					connection,
					1009,
					`message of ${frame.length} bytes refused: the server takes at most ${maxUpdateBytes} bytes per message; the document was not changed`,
				);
			}
			let update;
			try {
				update = readFrame(frame, connection);
			} catch (error) {
				if (error?.reason) refuse(connection, error.code, error.reason);
				refuse(connection, 4400, `malformed message refused (${error.message}); the document was not changed`);
			}
			// Hocuspocus applies nothing from a read-only connection (it answers SyncStatus 0).
			if (!update || connection.readOnly) return;
			let problem;
			try {
				problem = contentProblem(update);
				if (!problem) {
					const shadow = shadowOf(document);
					Y.applyUpdate(shadow, update);
					problem = shapeProblem(shadow);
				}
			} catch (error) {
				problem = `malformed update refused (${error.message})`;
			}
			if (problem) {
				shadows.delete(document);
				refuse(connection, 4400, `${problem}; the document was not changed`);
			}
		},

		async afterUnloadDocument({ instance, documentName }) {
			if (!instance.documents.has(documentName) && !instance.loadingDocuments.has(documentName)) {
				onDisk.delete(documentName);
			}
		},
	},
	{ maxPayload },
);

// Hocuspocus queues every message of a document until its onAuthenticate has answered, and keeps
// queueing for a document whose token was refused: count those bytes per socket and close a socket
// that piles up more than the budget.
server.webSocketServer.on("connection", (socket, request) => {
	const pending = new Map();
	let total = 0;
	socket.on("message", (data) => {
		let name;
		try {
			name = decoding.readVarString(decoding.createDecoder(data instanceof Uint8Array ? data : new Uint8Array(data)));
		} catch {
			return; // Hocuspocus closes the socket for an unreadable frame
		}
		const names = admitted.get(request);
		for (const [queued, bytes] of pending) {
			if (names?.has(queued)) {
				total -= bytes;
				pending.delete(queued);
			}
		}
		if (names?.has(name)) return;
		pending.set(name, (pending.get(name) ?? 0) + data.length);
		total += data.length;
		if (total > preAuthBudget) {
			log(`closing a socket that sent ${total} bytes for documents it was not admitted to`);
			socket.close(1008, "too much data before authentication");
		}
	});
});

server.httpServer.once("error", (error) => {
	console.error(`team-server: cannot listen on ${host}:${port}: ${error.message}`);
	process.exit(1);
});

process.on("unhandledRejection", (reason) => {
	log("unhandled rejection:", reason?.stack ?? reason);
});

// --- signals --------------------------------------------------------------------------------------
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());

async function storeEverything() {
	const hocuspocus = server.hocuspocus;
	const runs = [];
	for (const document of hocuspocus.documents.values()) {
		const id = `onStoreDocument-${document.name}`;
		if (hocuspocus.debouncer.isDebounced(id)) runs.push(hocuspocus.debouncer.executeNow(id));
		runs.push(document.saveMutex.waitForUnlock());
	}
	const results = await Promise.allSettled(runs);
	for (const result of results) {
		if (result.status === "rejected") log("a store failed while stopping:", result.reason);
	}
}

let stopping = false;
async function stop(signal) {
	if (stopping) return;
	stopping = true;
	log(`${signal}: storing documents and stopping`);
	// destroy() stops accepting, detaches every connection from its document (which stores the
	// documents with a store pending) and resolves once every document is unloaded.
	const destroyed = server.destroy().catch((error) => log("while stopping:", error));
	await storeEverything();
	await Promise.race([destroyed, sleep(5000)]);
	await storeEverything();
	db.close();
	process.exit(0);
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));

process.on("SIGHUP", () => {
	let next;
	try {
		next = loadTokens(tokensFile);
	} catch (error) {
		log(`SIGHUP: kept the old tokens: ${error.message}`);
		return;
	}
	tokens = next;
	let closed = 0;
	for (const document of server.hocuspocus.documents.values()) {
		for (const connection of document.getConnections()) {
			const { corpus, token, access } = connection.context ?? {};
			if (corpus && tokens.get(corpus)?.get(token) !== access) {
				connection.close({ code: 4403, reason: `the access of this token to corpus "${corpus}" changed` });
				closed += 1;
			}
		}
	}
	log(`SIGHUP: re-read ${tokensFile}; closed ${closed} connection(s) whose access changed`);
});

await server.listen();
const shownHost = host.includes(":") ? `[${host}]` : host;
console.log(`team-server listening on ws://${shownHost}:${server.address.port}`);

// Started by a Node process with an IPC channel (child_process.fork, or spawn with "ipc"; the tests
// do): stop with that parent, however it ends, even before this point.
if (typeof process.send === "function") {
	if (process.connected) process.on("disconnect", () => stop("parent gone"));
	else stop("parent gone");
}
