/**
 * `npm run demo`: starts the service (embedded by default) and, on an empty store, loads generated
 * demo conversations through the normal ingest path (redaction, queue, analysis, index).
 * Prints an analyst key and example requests. Honours PORT, DATA_DIR and DEMO_COUNT.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config/env.js';
import { createLogger } from '../src/logging/logger.js';
import { startService, stopOnSignals } from '../src/main.js';
import { generateConversations } from './demo-data/generate.js';

const count = Number(process.env.DEMO_COUNT ?? 2000);
const config = loadConfig();
const logger = createLogger(config.logLevel);
const service = await startService(['api'], config, logger);
stopOnSignals(service, logger);
const { container } = service;

const keyFile = path.join(
  config.mode === 'embedded' && config.storage.kind === 'sqlite' ? config.storage.dataDir : '.',
  'demo-keys.json',
);
let keys: Record<string, string>;
if (fs.existsSync(keyFile)) {
  keys = JSON.parse(fs.readFileSync(keyFile, 'utf8')) as Record<string, string>;
} else {
  keys = {};
  for (const role of ['admin', 'analyst', 'ingest'] as const)
    keys[role] = (await container.keys.create(role, `demo ${role}`)).key;
  fs.mkdirSync(path.dirname(keyFile), { recursive: true });
  fs.writeFileSync(keyFile, JSON.stringify(keys, null, 2), { mode: 0o600 });
}

if ((await container.stores.conversations.count()) === 0 && count > 0) {
  logger.info({ count }, 'loading demo conversations');
  let batch = [];
  for (const conversation of generateConversations({ count, seed: 42 })) {
    batch.push(conversation);
    if (batch.length === 1000) {
      await container.ingest.accept(batch, { format: 'demo' });
      batch = [];
    }
  }
  if (batch.length) await container.ingest.accept(batch, { format: 'demo' });
}

const base = `http://${config.http.host}:${service.port}`;
process.stderr.write(`
VoC demo is running on ${base} (${config.mode} mode, data in ${config.storage.kind === 'sqlite' ? config.storage.dataDir : config.storage.url})
Keys (also in ${keyFile}):
  analyst ${keys.analyst}
  ingest  ${keys.ingest}
  admin   ${keys.admin}
Analyst console: ${base}/console (sign in with the analyst key)
Try:
  curl -s -H "Authorization: Bearer ${keys.analyst}" "${base}/v1/search?q=%E5%B9%B4%E8%B4%B9"
Stop with Ctrl-C.
`);
