import { Redis } from 'ioredis';

/** How durable Redis makes an acknowledged upload: the rule is `appendonly yes` + `appendfsync always`. */
export interface AckDurability {
  appendonly: string;
  appendfsync: string;
  /** Every write is in the AOF and fsynced before Redis answers, so a 202 survives a power loss. */
  durable: boolean;
}

/**
 * Reads the AOF settings of the queue's Redis. An upload is acknowledged (202) once its jobs are in
 * Redis; with `appendfsync everysec` the last second of acknowledged uploads can be lost when the
 * machine (not only the process) dies, with `appendonly no` everything since the last snapshot.
 */
export async function redisAckDurability(url: string): Promise<AckDurability> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const [, appendonly = ''] = (await redis.config('GET', 'appendonly')) as string[];
    const [, appendfsync = ''] = (await redis.config('GET', 'appendfsync')) as string[];
    return { appendonly, appendfsync, durable: appendonly === 'yes' && appendfsync === 'always' };
  } finally {
    redis.disconnect();
  }
}
