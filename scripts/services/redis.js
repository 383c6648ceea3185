/** A throwaway Redis: `redis-server` without persistence, detached, in a temp dir. */
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { findOnPath, freePort, log, registerStarted, stopService, tail, waitFor } from './process.js';

/** True when a Redis server answers PING at `url` (after AUTH when the URL carries credentials). */
export function redisAnswers(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    let target;
    try {
      target = new URL(url);
    } catch {
      resolve(false);
      return;
    }
    const host = target.hostname || '127.0.0.1';
    const port = Number(target.port || 6379);
    const secure = target.protocol === 'rediss:';
    const socket = secure ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    const command = (...args) =>
      `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
    let reply = '';
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on(secure ? 'secureConnect' : 'connect', () => {
      const user = decodeURIComponent(target.username);
      const password = decodeURIComponent(target.password);
      if (password !== '')
        socket.write(user !== '' ? command('AUTH', user, password) : command('AUTH', password));
      socket.write(command('PING'));
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('+PONG')) done(true);
      else if (reply.startsWith('-') && reply.includes('\r\n')) done(false);
    });
  });
}

/** Starts `redis-server` (--save "" --appendonly no) on `port` (default: a free port). */
export async function startRedis({ port } = {}) {
  const binary = findOnPath('redis-server');
  if (binary === undefined) {
    throw new Error(
      'no Redis answers (REDIS_URL, redis://127.0.0.1:6379) and redis-server is not installed: ' +
        'install it (apt-get install redis-server) or set REDIS_URL to a running Redis',
    );
  }
  const redisPort = port ?? (await freePort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-redis-'));
  const consoleLog = path.join(dir, 'redis.log');
  const out = fs.openSync(consoleLog, 'a');
  const args = [
    '--port',
    String(redisPort),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
  const child = spawn(binary, args, { cwd: dir, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const url = `redis://127.0.0.1:${redisPort}`;
  // redis-server rewrites its command line to "redis-server 127.0.0.1:<port>".
  const signature = `127.0.0.1:${redisPort}`;
  const handle = registerStarted({ kind: 'redis', url, pgid: child.pid, dir, signature, child });
  const failure = await waitFor(() => redisAnswers(url, 1000), child, 15_000, 'Redis');
  if (failure !== undefined) {
    const logTail = tail(consoleLog);
    await stopService(handle);
    throw new Error(`Redis did not start: ${failure}\n--- last lines of ${consoleLog} ---\n${logTail}`);
  }
  log(`Redis ready at ${url} (pid ${child.pid})`);
  return handle;
}
