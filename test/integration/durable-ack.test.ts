/**
 * The rule behind the upload's 202 in the distributed mode: the ingest job is in Redis, and Redis runs
 * with `appendonly yes` and `appendfsync always` (docker/compose.yml), so the job is in the AOF before
 * Redis answers. Here: the check that reads the rule, and an acknowledged job that survives Redis
 * being killed with SIGKILL at once.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { generateConversations } from '../../pipelines/demo-data/generate.js';
import { startRedisServer, type RedisServer } from '../../pipelines/redis-server.js';
import { redactConversation } from '../../src/pipeline/redact/index.js';
import { BullJobQueue } from '../../src/queue/bull/bull-job-queue.js';
import { redisAckDurability } from '../../src/queue/bull/redis-durability.js';
import { memoryLogger } from '../helpers/silent-logger.js';

const ALWAYS = ['--appendonly', 'yes', '--appendfsync', 'always'];
const root = path.resolve(import.meta.dirname, '..', '..');

describe('durable acknowledgement of uploads (Redis AOF, appendfsync always)', function () {
  const servers: RedisServer[] = [];
  after(async () => {
    for (const s of servers) {
      await s.stop();
      fs.rmSync(s.dir, { recursive: true, force: true });
    }
  });

  it('the deployment runs Redis with appendonly yes and appendfsync always', () => {
    const compose = fs.readFileSync(path.join(root, 'docker/compose.yml'), 'utf8');
    assert.match(compose, /'--appendonly', 'yes', '--appendfsync', 'always'/);
  });

  it('reads the rule from Redis: durable only with appendonly yes and appendfsync always', async () => {
    const always = await startRedisServer(ALWAYS);
    const everysec = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'everysec']);
    const none = await startRedisServer(['--appendonly', 'no']);
    servers.push(always, everysec, none);
    assert.deepEqual(await redisAckDurability(always.url), {
      appendonly: 'yes',
      appendfsync: 'always',
      durable: true,
    });
    assert.equal((await redisAckDurability(everysec.url)).durable, false);
    assert.equal((await redisAckDurability(none.url)).durable, false);
  });

  it('keeps an acknowledged ingest job when Redis is killed right after the acknowledgement', async () => {
    const server = await startRedisServer(ALWAYS);
    servers.push(server);
    const options = { prefix: 'ack', attempts: 3, backoffMs: 100, logger: memoryLogger().logger };
    const queue = new BullJobQueue({ redisUrl: server.url, ...options });
    const conversations = [...generateConversations({ count: 200, seed: 3 })].map(
      (c) => redactConversation(c).conversation,
    );
    await queue.enqueueIngest('ack-job', { conversations, source: { format: 'native-json' } });
    server.process.kill('SIGKILL');
    await new Promise((r) => server.process.once('exit', r));
    await queue.close({ drain: false }).catch(() => undefined);

    const again = await server.restart();
    servers.push(again);
    const reopened = new BullJobQueue({ redisUrl: again.url, ...options });
    try {
      const job = await reopened.getJob('ack-job');
      assert.equal(job?.state, 'waiting');
      assert.equal(job?.conversations, 200);
    } finally {
      await reopened.close({ drain: false });
    }
  });
});
