/**
 * The console's static files, compressed and cacheable: each file is read and gzipped once (again
 * when it changes on disk), answered with an ETag so a browser revalidates with a 304 instead of
 * downloading again, and gzipped for every client that accepts it (ECharts: 1 MB → about 330 KB).
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';
import { NotFoundError } from '../errors.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface Entry {
  mtimeMs: number;
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

const cache = new Map<string, Entry>();

async function load(file: string): Promise<Entry> {
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new NotFoundError(`Console file ${path.basename(file)}`);
  }
  const cached = cache.get(file);
  if (cached !== undefined && cached.mtimeMs === info.mtimeMs) return cached;
  const body = await readFile(file);
  const entry: Entry = {
    mtimeMs: info.mtimeMs,
    body,
    gzip: gzipSync(body, { level: 9 }),
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  };
  cache.set(file, entry);
  return entry;
}

/**
 * Sends one file. `maxAge` (seconds) lets the browser keep it without asking; 0 means it asks
 * every time (a 304 when unchanged), right for the console's own files, which change with a deploy.
 */
export async function sendStatic(req: Request, res: Response, file: string, maxAge = 0): Promise<void> {
  const entry = await load(file);
  res.setHeader('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream');
  res.setHeader('cache-control', maxAge > 0 ? `public, max-age=${maxAge}` : 'no-cache');
  res.setHeader('etag', entry.etag);
  res.setHeader('vary', 'accept-encoding');
  const tags = (req.headers['if-none-match'] ?? '').split(',').map((t) => t.trim());
  if (tags.includes(entry.etag)) {
    res.status(304).end();
    return;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (gzip) res.setHeader('content-encoding', 'gzip');
  const body = gzip ? entry.gzip : entry.body;
  res.setHeader('content-length', String(body.length));
  res.status(200).end(req.method === 'HEAD' ? undefined : body);
}
