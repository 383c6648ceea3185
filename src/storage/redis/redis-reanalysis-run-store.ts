import { Redis } from 'ioredis';
import type { PlannedPage, ReanalysisRun, ReanalysisRunStore } from '../reanalysis-run-store.js';

/** KEYS: current, run hash. ARGV: id, force, startedAt, total. */
const BEGIN = `local cur = redis.call('GET', KEYS[1])
if cur and redis.call('HGET', ARGV[5] .. cur, 'state') == 'running' then return 0 end
redis.call('HSET', KEYS[2], 'id', ARGV[1], 'force', ARGV[2], 'state', 'running', 'startedAt', ARGV[3],
  'total', ARGV[4], 'pages', 0, 'planningDone', 0, 'scanned', 0, 'rewritten', 0, 'pagesDone', 0)
redis.call('SET', KEYS[1], ARGV[1])
return 1`;
/** KEYS: plan hash, run hash. ARGV: page, entry json. */
const PLAN_PAGE = `if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then redis.call('HINCRBY', KEYS[2], 'pages', 1) end
return redis.call('HGET', KEYS[1], ARGV[1])`;
/** KEYS: plan hash, run hash. ARGV: pages. */
const PLANNED = `if redis.call('HGET', KEYS[2], 'planningDone') == '1' then return 0 end
local total = 0
for _, v in ipairs(redis.call('HVALS', KEYS[1])) do total = total + cjson.decode(v).count end
redis.call('HSET', KEYS[2], 'planningDone', 1, 'pages', ARGV[1], 'total', total)
return 1`;
/** KEYS: done set, run hash. ARGV: page, scanned, rewritten. */
const PAGE_DONE = `if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[2], 'scanned', ARGV[2])
redis.call('HINCRBY', KEYS[2], 'rewritten', ARGV[3])
redis.call('HINCRBY', KEYS[2], 'pagesDone', 1)
return 1`;
/** KEYS: run hash. ARGV: finishedAt. */
const COMPLETE = `local r = redis.call('HMGET', KEYS[1], 'state', 'planningDone', 'pagesDone', 'pages')
if r[1] ~= 'running' or r[2] ~= '1' or tonumber(r[3]) < tonumber(r[4]) then return 0 end
redis.call('HSET', KEYS[1], 'state', 'completed', 'finishedAt', ARGV[1])
return 1`;
/** KEYS: run hash. ARGV: error, finishedAt. */
const FAIL = `if redis.call('HGET', KEYS[1], 'state') ~= 'running' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'failed', 'error', ARGV[1], 'finishedAt', ARGV[2])
return 1`;

/** Re-analysis runs of the distributed mode, in the queue's Redis; every change is one script. */
export class RedisReanalysisRunStore implements ReanalysisRunStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 3 });
    this.redis.on('error', () => undefined);
  }

  private k(...parts: string[]): string {
    return `${this.prefix}:reanalysis:${parts.join(':')}`;
  }

  async begin(run: { id: string; force: boolean; startedAt: string; total: number }): Promise<boolean> {
    const ok = await this.redis.eval(
      BEGIN,
      2,
      this.k('current'),
      this.k('run', run.id),
      run.id,
      run.force ? '1' : '0',
      run.startedAt,
      String(run.total),
      this.k('run', ''),
    );
    return ok === 1;
  }

  async current(): Promise<ReanalysisRun | undefined> {
    const id = await this.redis.get(this.k('current'));
    return id === null ? undefined : this.get(id);
  }

  async get(id: string): Promise<ReanalysisRun | undefined> {
    const h = await this.redis.hgetall(this.k('run', id));
    if (!h.id) return undefined;
    return {
      id: h.id,
      force: h.force === '1',
      state: h.state as ReanalysisRun['state'],
      startedAt: h.startedAt!,
      ...(h.finishedAt ? { finishedAt: h.finishedAt } : {}),
      ...(h.error ? { error: h.error } : {}),
      total: Number(h.total),
      pages: Number(h.pages),
      planningDone: h.planningDone === '1',
      scanned: Number(h.scanned),
      rewritten: Number(h.rewritten),
      pagesDone: Number(h.pagesDone),
    };
  }

  async planPage(id: string, page: number, entry: PlannedPage): Promise<PlannedPage> {
    const stored = (await this.redis.eval(
      PLAN_PAGE,
      2,
      this.k('plan', id),
      this.k('run', id),
      String(page),
      JSON.stringify(entry),
    )) as string;
    return JSON.parse(stored) as PlannedPage;
  }

  async planned(id: string, pages: number): Promise<void> {
    await this.redis.eval(PLANNED, 2, this.k('plan', id), this.k('run', id), String(pages));
  }

  async pageDone(id: string, page: number, counts: { scanned: number; rewritten: number }): Promise<boolean> {
    const ok = await this.redis.eval(
      PAGE_DONE,
      2,
      this.k('done', id),
      this.k('run', id),
      String(page),
      String(counts.scanned),
      String(counts.rewritten),
    );
    return ok === 1;
  }

  async completeIfDone(id: string, finishedAt: string): Promise<boolean> {
    return (await this.redis.eval(COMPLETE, 1, this.k('run', id), finishedAt)) === 1;
  }

  async fail(id: string, error: string, finishedAt: string): Promise<void> {
    await this.redis.eval(FAIL, 1, this.k('run', id), error, finishedAt);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
