// The team server (team-server/server.mjs, Hocuspocus) for the team mode tests: each test starts
// its own on a free loopback port, with its own data folder and tokens, and stops it after.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SERVER = path.join(here, '../../team-server/server.mjs');

/** A loopback port nothing listens on now. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Tokens for corpus `news`: one that writes, one that only reads. */
export const TOKENS = { corpora: { news: { 'rw-secret': 'read-write', 'ro-secret': 'read-only' } } };

/**
 * Starts a server; `restart()` kills it with SIGKILL (no chance to store anything more) and
 * starts it again on the same port and data; `stop()` ends it.
 */
export async function startTeamServer({ port, dataDir, tokens = TOKENS, args = [] } = {}) {
  port ??= await freePort();
  const ownData = dataDir === undefined;
  dataDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'team-data-'));
  const tokensFile = path.join(dataDir, `tokens-${port}.json`);
  fs.writeFileSync(tokensFile, JSON.stringify(tokens));
  let child = null;
  const start = () => new Promise((resolve, reject) => {
    child = spawn(process.execPath, [SERVER, '--port', String(port), '--host', '127.0.0.1',
      '--data', dataDir, '--tokens', tokensFile, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let said = '';
    const timer = setTimeout(() => reject(new Error(`the team server did not start: ${said}`)), 20_000);
    const listen = (chunk) => {
      said += chunk;
      if (said.includes('team-server listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', listen);
    child.stderr.on('data', (chunk) => { said += chunk; });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the team server exited (${code}): ${said}`));
    });
  });
  const kill = () => new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
  await start();
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    dataDir,
    /** The running server's process id (for its memory). */
    get pid() {
      return child?.pid;
    },
    kill,
    async restart() {
      await kill();
      await start();
    },
    async stop() {
      await kill();
      if (ownData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A redis-server (Debian's, installed by scripts/setup.sh team) on a free port, nothing saved. */
export async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
    '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise((resolve, reject) => {
    let said = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${said}`)), 10_000);
    child.once('error', (e) => reject(new Error(`redis-server could not start (run scripts/setup.sh team): ${e.message}`)));
    child.stdout.on('data', (chunk) => {
      said += chunk;
      if (said.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    address: `127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    }),
  };
}

/**
 * A peer that is no browser: Yjs and the Hocuspocus provider from the team server's packages,
 * writing straight into a shared article's maps what the app would never write.
 */
export async function rawPeer(server, documentName, token = 'rw-secret') {
  const require = createRequire(path.join(here, '../../team-server/package.json'));
  const Y = require('yjs');
  const { HocuspocusProvider } = require('@hocuspocus/provider');
  const WebSocket = require('ws');
  const doc = new Y.Doc();
  let synced;
  const ready = new Promise((resolve) => { synced = resolve; });
  const provider = new HocuspocusProvider({
    url: server.url, name: documentName, token, document: doc, WebSocketPolyfill: WebSocket,
    onSynced: () => synced(),
  });
  await ready;
  return {
    annotations: doc.getMap('annotations'),
    doc,
    close() {
      const socket = provider.configuration.websocketProvider;
      provider.destroy();
      // A destroyed provider whose socket closed meanwhile would reconnect forever.
      socket.connect = async () => {};
    },
  };
}

/**
 * A TCP relay from a port of its own to `server`, which a test can cut (every connection through
 * it drops, new ones are refused) and restore: one client offline while the others are not.
 */
export async function startCuttableRelay(server) {
  const port = await freePort();
  const sockets = new Set();
  let cut = false;
  const relay = net.createServer((inbound) => {
    if (cut) return inbound.destroy();
    const outbound = net.connect(server.port, '127.0.0.1');
    for (const [a, b] of [[inbound, outbound], [outbound, inbound]]) {
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
      sockets.add(a);
      a.on('close', () => sockets.delete(a));
    }
  });
  await new Promise((resolve) => relay.listen(port, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${port}`,
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      cut = false;
    },
    stop: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      relay.close(() => resolve());
    }),
  };
}
