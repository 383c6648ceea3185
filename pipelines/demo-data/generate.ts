/**
 * Seeded, deterministic demo conversations in the native format of taxonomy.md. Streaming: one
 * conversation at a time, so a million cost no more memory than ten. Each conversation has its own
 * random stream derived from (seed, n), so conversation n does not depend on the ones before it.
 */
import type { Channel, Conversation } from '../../src/domain/conversation.js';
import { Calendar, formatChinaTime, parseInstant } from './calendar.js';
import { composeUtterances } from './compose.js';
import { piiSample, type PiiSample } from './pii.js';
import { DEFAULT_MIX, drawPlan, type ConversationPlan, type DemoMix } from './plan.js';
import { Rng, mixSeed } from './prng.js';
import type { Script } from './text-style.js';

export interface DemoOptions {
  count: number;
  seed?: number;
  /** ISO date or timestamp, inclusive; default 2026-05-01 (six months before 2026-11-01). */
  from?: string;
  /** ISO date or timestamp, exclusive; default 2026-11-01. */
  to?: string;
  /** Distinct customers; default a quarter of count (customers call more than once). */
  customers?: number;
  /** Distinct agents, in teams of 10; default 60. */
  agents?: number;
  channels?: Channel[];
  /** Overrides of the topic mix (shares of conversations); see DEFAULT_MIX. */
  mix?: Partial<DemoMix>;
}

export const DEFAULT_FROM = '2026-05-01';
export const DEFAULT_TO = '2026-11-01';
export const DEFAULT_SEED = 42;
const AGENTS_PER_TEAM = 10;
/** Share of calls among conversations when both channels are asked for. */
const CALL_SHARE = 0.65;
/** Conversations with no customer id: anonymous chats, unidentified callers. */
const ANONYMOUS_SHARE = 0.04;

export interface DemoItem {
  conversation: Conversation;
  plan: ConversationPlan;
  /** The script the customer's lines were written in. */
  script: Script;
  /** The personal number spoken in it, if any. */
  pii?: PiiSample;
}

/** The team of an agent id made by this generator (a-001 … a-010 are team-01, and so on). */
export function agentTeam(agentId: string): { team: string; line: 'card' | 'retail' } {
  const index = Number(agentId.slice(2)) - 1;
  const team = Math.floor(index / AGENTS_PER_TEAM) + 1;
  return { team: `team-${String(team).padStart(2, '0')}`, line: team % 2 === 1 ? 'card' : 'retail' };
}

/** Conversations only: what the CLI writes and what ingest tests consume. */
export function* generateConversations(options: DemoOptions): Generator<Conversation> {
  for (const item of generateDemoItems(options)) yield item.conversation;
}

/** Conversations with the plan each was written from (for the generator's own checks). */
export function* generateDemoItems(options: DemoOptions): Generator<DemoItem> {
  const settings = resolve(options);
  for (let n = 0; n < settings.count; n++) yield makeItem(n, settings);
}

interface Settings {
  count: number;
  seed: number;
  calendar: Calendar;
  customers: number;
  customerDigits: number;
  agents: number;
  channels: readonly Channel[];
  mix: DemoMix;
}

function resolve(options: DemoOptions): Settings {
  const count = options.count;
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`count must be a non-negative integer, got ${count}`);
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  const customers = options.customers ?? Math.max(1, Math.ceil(count / 4));
  const agents = options.agents ?? 60;
  if (!(customers >= 1 && Number.isInteger(customers)))
    throw new Error('customers must be a positive integer');
  if (!(agents >= 1 && agents <= 999 && Number.isInteger(agents)))
    throw new Error('agents must be an integer from 1 to 999');
  const channels = options.channels ?? ['call', 'chat'];
  if (channels.length === 0 || channels.some((c) => c !== 'call' && c !== 'chat'))
    throw new Error('channels must be call and/or chat');
  const mix = { ...DEFAULT_MIX, ...options.mix };
  for (const [k, v] of Object.entries(mix))
    if (!(v >= 0 && v <= 1)) throw new Error(`mix.${k} must be within 0..1`);
  return {
    count,
    seed,
    calendar: new Calendar(
      parseInstant(options.from ?? DEFAULT_FROM),
      parseInstant(options.to ?? DEFAULT_TO),
    ),
    customers,
    customerDigits: Math.max(6, String(customers).length),
    agents,
    channels,
    mix,
  };
}

function makeItem(n: number, s: Settings): DemoItem {
  const rng = new Rng(mixSeed(s.seed, n));
  const channel: Channel =
    s.channels.length === 1 ? (s.channels[0] as Channel) : rng.chance(CALL_SHARE) ? 'call' : 'chat';
  const startedAt = formatChinaTime(s.calendar.instant((n + rng.next()) / Math.max(1, s.count), rng));
  const agentIndex = rng.int(1, s.agents);
  const agentId = `a-${String(agentIndex).padStart(3, '0')}`;
  // Some customers call again and again: a skewed pick favours low indices.
  const customerIndex = Math.floor(s.customers * Math.pow(rng.next(), 1.5));
  const anonymous = rng.chance(ANONYMOUS_SHARE);
  const script = customerScript(
    anonymous ? rng.next() : unitHash(s.seed, customerIndex),
    s.mix.traditionalCustomers,
  );
  const plan = drawPlan(rng, s.mix);
  const pii = plan.pii ? piiSample(rng, channel) : undefined;
  const utterances = composeUtterances(plan, {
    rng,
    channel,
    script,
    line: agentTeam(agentId).line,
    agentNumber: String(1000 + agentIndex * 7),
    ...(pii ? { pii } : {}),
  });
  const conversation: Conversation = {
    id: `demo-${s.seed}-${n}`,
    channel,
    startedAt,
    ...(anonymous ? {} : { customerId: `cust-${String(customerIndex).padStart(s.customerDigits, '0')}` }),
    agentId,
    utterances,
  };
  return { conversation, plan, script, ...(pii ? { pii } : {}) };
}

/** A customer writes Traditional characters always or never: decided by a hash of their id. */
function customerScript(u: number, share: number): Script {
  if (u >= share) return 'simplified';
  return u < share / 2 ? 'tw' : 'hk';
}

function unitHash(seed: number, index: number): number {
  return mixSeed(seed ^ 0x5bd1e995, index) / 4294967296;
}
