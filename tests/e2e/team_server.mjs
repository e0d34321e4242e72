// The team server (team-server/server.mjs, Hocuspocus) for the team mode tests: each test starts
// its own on a free loopback port, with its own data folder and tokens, and stops it after.
import { spawn } from 'node:child_process';
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
export async function startTeamServer({ port, dataDir, tokens = TOKENS } = {}) {
  port ??= await freePort();
  dataDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'team-data-'));
  const tokensFile = path.join(dataDir, 'tokens.json');
  fs.writeFileSync(tokensFile, JSON.stringify(tokens));
  let child = null;
  const start = () => new Promise((resolve, reject) => {
    child = spawn(process.execPath, [SERVER, '--port', String(port), '--host', '127.0.0.1',
      '--data', dataDir, '--tokens', tokensFile], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    kill,
    async restart() {
      await kill();
      await start();
    },
    async stop() {
      await kill();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
