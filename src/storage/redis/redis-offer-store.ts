import { Redis } from 'ioredis';
import type { DecisionRecord, Outcome, OutcomeRecord } from '../../domain/offer.js';
import {
  armKey,
  HISTORY_MS,
  type ArmCountMap,
  type CapRule,
  type ContactEntry,
  type ContactRequest,
  type OfferStore,
  type Reservation,
  type ResponseEntry,
} from '../offer-store.js';

/**
 * Counts the customer's counted contacts inside each cap's window, grants the leading requests that
 * fit every cap and records them: one Lua script, so concurrent reservations never exceed a cap.
 * Members: at|channel|kind|offerId|decisionId|n (n keeps two offers of one decision apart). Each
 * granted offer also joins KEYS[2], the unanswered offers (decisionId|offerId by time), until its outcome.
 */
const RESERVE = `
local key = KEYS[1]
local at = tonumber(ARGV[1])
local channel = ARGV[2]
redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (at - tonumber(ARGV[3])))
local counted = {}
for kind in string.gmatch(ARGV[4], '[^,]+') do counted[kind] = true end
local ncaps = tonumber(ARGV[5])
local caps = {}
local longest = 0
for i = 0, ncaps - 1 do
  local w = tonumber(ARGV[6 + i * 3])
  caps[i + 1] = { window = w, max = tonumber(ARGV[7 + i * 3]), channel = ARGV[8 + i * 3], used = 0 }
  if w > longest then longest = w end
end
local members = redis.call('ZRANGEBYSCORE', key, '(' .. (at - longest), '+inf', 'WITHSCORES')
for m = 1, #members, 2 do
  local member = members[m]
  local score = tonumber(members[m + 1])
  local parts = {}
  for p in string.gmatch(member, '[^|]+') do parts[#parts + 1] = p end
  if counted[parts[3]] then
    for _, cap in ipairs(caps) do
      if score > at - cap.window and (cap.channel == '' or cap.channel == parts[2]) then cap.used = cap.used + 1 end
    end
  end
end
local base = 6 + ncaps * 3
local limit = tonumber(ARGV[base])
local nreq = tonumber(ARGV[base + 1])
local granted = {}
for r = 0, nreq - 1 do
  if #granted >= limit then break end
  local offer = ARGV[base + 2 + r * 3]
  local kind = ARGV[base + 3 + r * 3]
  local decision = ARGV[base + 4 + r * 3]
  local fits = true
  if counted[kind] then
    for _, cap in ipairs(caps) do
      if (cap.channel == '' or cap.channel == channel) and cap.used >= cap.max then fits = false end
    end
    if fits then
      for _, cap in ipairs(caps) do
        if cap.channel == '' or cap.channel == channel then cap.used = cap.used + 1 end
      end
    end
  end
  if fits then
    redis.call('ZADD', key, at, at .. '|' .. channel .. '|' .. kind .. '|' .. offer .. '|' .. decision .. '|' .. r)
    redis.call('ZADD', KEYS[2], 'NX', at, decision .. '|' .. offer)
    granted[#granted + 1] = r
  end
end
redis.call('PEXPIRE', key, ARGV[3])
return granted
`;

/**
 * Records an outcome once per (decision, offer), with the response entry and the arm count, and takes
 * the offer off the unanswered ones (KEYS[4]).
 */
const OUTCOME = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  redis.call('ZREM', KEYS[4], ARGV[7])
  return 0
end
redis.call('ZREM', KEYS[4], ARGV[7])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (tonumber(ARGV[3]) - tonumber(ARGV[6])))
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('HINCRBY', KEYS[3], ARGV[5], 1)
return 1
`;

type Scripted = Redis & {
  offersReserve(key: string, ...args: (string | number)[]): Promise<number[]>;
  offersOutcome(
    k1: string,
    k2: string,
    k3: string,
    k4: string,
    ...args: (string | number)[]
  ): Promise<number>;
};

/** Decisions in the distributed mode, shared by every API process. */
export class RedisOfferStore implements OfferStore {
  private readonly redis: Scripted;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    const redis = new Redis(url, { maxRetriesPerRequest: 3 });
    redis.on('error', () => undefined);
    redis.defineCommand('offersReserve', { numberOfKeys: 2, lua: RESERVE });
    redis.defineCommand('offersOutcome', { numberOfKeys: 4, lua: OUTCOME });
    this.redis = redis as Scripted;
  }

  private k(...parts: string[]): string {
    return `${this.prefix}:offers:${parts.join(':')}`;
  }

  async reserveContacts(
    customerId: string,
    channel: string,
    at: number,
    requests: ContactRequest[],
    limit: number,
    caps: CapRule[],
    countedKinds: readonly string[],
  ): Promise<number[]> {
    const args: (string | number)[] = [at, channel, HISTORY_MS, countedKinds.join(','), caps.length];
    for (const cap of caps) args.push(cap.windowMs, cap.max, cap.channel ?? '');
    args.push(limit, requests.length);
    for (const r of requests) args.push(r.offerId, r.kind, r.decisionId);
    const granted = await this.redis.offersReserve(
      this.k('contacts', customerId),
      this.k('unanswered'),
      ...args,
    );
    return granted.map(Number);
  }

  async reserveAndLog(r: Reservation, build: (granted: number[]) => DecisionRecord): Promise<DecisionRecord> {
    const granted = await this.reserveContacts(
      r.customerId,
      r.channel,
      r.at,
      r.requests,
      r.limit,
      r.caps,
      r.countedKinds,
    );
    const record = build(granted);
    await this.putDecision(record);
    return record;
  }

  async history(customerId: string): Promise<{ contacts: ContactEntry[]; responses: ResponseEntry[] }> {
    const [contacts, responses] = await Promise.all([
      this.redis.zrange(this.k('contacts', customerId), 0, -1),
      this.redis.zrange(this.k('responses', customerId), 0, -1),
    ]);
    return {
      contacts: contacts.map((m) => {
        const [at, channel, kind, offerId, decisionId] = m.split('|');
        return { at: Number(at), channel: channel!, kind: kind!, offerId: offerId!, decisionId: decisionId! };
      }),
      responses: responses.map((m) => {
        const [at, offerId, decisionId, outcome] = m.split('|');
        return { at: Number(at), offerId: offerId!, decisionId: decisionId!, outcome: outcome as Outcome };
      }),
    };
  }

  async putDecision(record: DecisionRecord): Promise<void> {
    // Outcomes live apart (written once each, concurrently); the record is written once.
    const rest = JSON.stringify({ ...record, outcomes: undefined });
    await this.redis
      .multi()
      .set(this.k('decision', record.decisionId), rest)
      .zadd(this.k('decisions'), Date.parse(record.at), record.decisionId)
      .exec();
  }

  async getDecision(decisionId: string): Promise<DecisionRecord | undefined> {
    const text = await this.redis.get(this.k('decision', decisionId));
    if (!text) return undefined;
    return (await this.withOutcomes([JSON.parse(text) as DecisionRecord]))[0];
  }

  async addOutcome(decision: DecisionRecord, outcome: OutcomeRecord): Promise<boolean> {
    return this.writeOutcome(decision.customerId, decision.segment, decision.decisionId, outcome);
  }

  private async writeOutcome(
    customerId: string,
    segment: string,
    decisionId: string,
    outcome: OutcomeRecord,
  ): Promise<boolean> {
    const at = Date.parse(outcome.at);
    const accepted = outcome.outcome === 'accepted';
    const done = await this.redis.offersOutcome(
      this.k('outcomes', decisionId),
      this.k('responses', customerId),
      this.k('arms'),
      this.k('unanswered'),
      outcome.offerId,
      JSON.stringify(outcome),
      at,
      `${at}|${outcome.offerId}|${decisionId}|${outcome.outcome}`,
      `${armKey(outcome.offerId, segment)}|${accepted ? 'a' : 'r'}`,
      HISTORY_MS,
      `${decisionId}|${outcome.offerId}`,
    );
    return done === 1;
  }

  async settleUnanswered(
    madeBefore: number,
    waitMs: number,
    limit: number,
  ): Promise<{ settled: number; dropped: number }> {
    const page = await this.redis.zrangebyscore(
      this.k('unanswered'),
      '-inf',
      madeBefore,
      'WITHSCORES',
      'LIMIT',
      0,
      limit,
    );
    const due: { decisionId: string; offerId: string; at: number }[] = [];
    for (let i = 0; i < page.length; i += 2) {
      const member = page[i]!;
      const cut = member.indexOf('|');
      due.push({ decisionId: member.slice(0, cut), offerId: member.slice(cut + 1), at: Number(page[i + 1]) });
    }
    if (due.length === 0) return { settled: 0, dropped: 0 };
    const ids = [...new Set(due.map((d) => d.decisionId))];
    const texts = await this.redis.mget(...ids.map((id) => this.k('decision', id)));
    const logged = new Map<string, DecisionRecord>();
    ids.forEach((id, i) => texts[i] && logged.set(id, JSON.parse(texts[i]) as DecisionRecord));
    let settled = 0;
    let dropped = 0;
    for (const d of due) {
      const decision = logged.get(d.decisionId);
      const done =
        decision !== undefined &&
        (await this.writeOutcome(decision.customerId, decision.segment, d.decisionId, {
          offerId: d.offerId,
          outcome: 'no_answer',
          at: new Date(d.at + waitMs).toISOString(),
          source: 'timeout',
        }));
      if (done) settled++;
      else {
        // Never logged, or answered already (the script took it off the queue then).
        if (!decision) await this.redis.zrem(this.k('unanswered'), `${d.decisionId}|${d.offerId}`);
        dropped++;
      }
    }
    return { settled, dropped };
  }

  async armCounts(): Promise<ArmCountMap> {
    const all = await this.redis.hgetall(this.k('arms'));
    const out: ArmCountMap = new Map();
    for (const [field, value] of Object.entries(all)) {
      const cut = field.lastIndexOf('|');
      const arm = field.slice(0, cut);
      const entry = out.get(arm) ?? { accepted: 0, rejected: 0 };
      if (field.slice(cut + 1) === 'a') entry.accepted += Number(value);
      else entry.rejected += Number(value);
      out.set(arm, entry);
    }
    return out;
  }

  async decisions(from: string, to: string): Promise<DecisionRecord[]> {
    const ids = await this.redis.zrangebyscore(this.k('decisions'), Date.parse(from), `(${Date.parse(to)}`);
    const records: DecisionRecord[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const texts = await this.redis.mget(...chunk.map((id) => this.k('decision', id)));
      const parsed = texts.filter((t): t is string => t !== null).map((t) => JSON.parse(t) as DecisionRecord);
      records.push(...(await this.withOutcomes(parsed)));
    }
    return records;
  }

  private async withOutcomes(records: DecisionRecord[]): Promise<DecisionRecord[]> {
    if (records.length === 0) return records;
    const pipeline = this.redis.pipeline();
    for (const r of records) pipeline.hvals(this.k('outcomes', r.decisionId));
    const results = (await pipeline.exec()) ?? [];
    return records.map((r, i) => ({
      ...r,
      outcomes: ((results[i]?.[1] as string[] | undefined) ?? []).map((t) => JSON.parse(t) as OutcomeRecord),
    }));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
