/**
 * A process that uploads to an embedded queue as the API does (claimLatest, then enqueueIngest) and
 * prints `acked <job id>` once each enqueue has resolved, the moment the API would answer 202; eight
 * uploads in flight at a time, until it is killed. test/unit/queue/sqlite-job-queue.test.ts kills it
 * with SIGKILL and looks for every acknowledged job.
 */
import { SqliteJobQueue } from '../../src/queue/embedded/sqlite-job-queue.js';
import { memoryLogger } from './silent-logger.js';

const dataDir = process.argv[2]!;
const queue = new SqliteJobQueue({ dataDir, attempts: 3, backoffMs: 20, logger: memoryLogger().logger });

let next = 0;
async function uploader(): Promise<void> {
  for (;;) {
    const id = `job-${next++}`;
    const conversations = Array.from({ length: 50 }, (_, i) => ({
      id: `${id}-c${i}`,
      channel: 'chat' as const,
      startedAt: '2026-11-01T10:00:00+08:00',
      utterances: [{ speaker: 'customer' as const, text: '我的信用卡年费怎么又扣了' }],
    }));
    const uploadSeq = await queue.claimLatest(
      id,
      conversations.map((c) => c.id),
    );
    await queue.enqueueIngest(id, { conversations, source: { format: 'native-json' }, uploadSeq });
    process.stdout.write(`acked ${id}\n`);
  }
}

await Promise.all(Array.from({ length: 8 }, uploader));
