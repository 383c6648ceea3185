/** A throwaway redis-server on a free port with its own data directory (bench:ack and its test). */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

export interface RedisServer {
  url: string;
  dir: string;
  process: ChildProcess;
  /** Starts it again on the same port and directory (after a kill). */
  restart(): Promise<RedisServer>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function startRedisServer(
  args: string[],
  where: { port?: number; dir?: string } = {},
): Promise<RedisServer> {
  const port = where.port ?? (await freePort());
  const dir = where.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'voc-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--dir', dir, '--save', '', ...args], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      // An AOF being loaded answers LOADING: wait until the data is back.
      if ((await probe.ping()) === 'PONG') break;
    } catch {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${url} within 20 s`);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      probe.disconnect();
    }
  }
  const server: RedisServer = {
    url,
    dir,
    process: child,
    restart: () => startRedisServer(args, { port, dir }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    },
  };
  return server;
}
