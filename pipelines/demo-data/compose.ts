/**
 * Writes the utterances of one conversation from its plan: greeting, the planned topics in a
 * plausible order, padding or trimming to the drawn length (3–14), closing; then the channel's
 * style (ASR or chat), the customer's script, and call timings.
 */
import type { Channel, Utterance } from '../../src/domain/conversation.js';
import {
  AGENT_APOLOGIES,
  AGENT_CALMING,
  COMPLAINT_PHRASES,
  ESCALATION_PHRASES,
  NOT_A_COMPLAINT,
} from './phrases/complaints.js';
import { AGENT_NAMES_BANK, ASPECT_PHRASES, COMPETITORS, SWITCHING_PHRASES } from './phrases/competitors.js';
import { LIFE_EVENT_PHRASES } from './phrases/life-events.js';
import {
  AGENT_OFFERS,
  AGENT_SCRIPTS,
  DECLINED_PHRASES,
  NEED_PHRASES,
  NEUTRAL_ACKS,
} from './phrases/needs.js';
import * as S from './phrases/service.js';
import type { PiiSample } from './pii.js';
import type { ConversationPlan, PlannedCompetitor } from './plan.js';
import type { Rng } from './prng.js';
import { callStyle, chatStyle, toScript, type CallStyle, type Script } from './text-style.js';

export const MIN_UTTERANCES = 3;
export const MAX_UTTERANCES = 14;

interface Turn {
  speaker: Utterance['speaker'];
  text: string;
  /**
   * Turns with a priority may be dropped to fit the length, lowest first; turns without one carry
   * the plan (or are the greeting and closing) and always stay.
   */
  priority?: number;
}

/** Drop order of optional turns: chrome first, the agent's actual answers last. */
const P = { chrome: 1, ack: 2, reply: 3, prompt: 4, apology: 5, answer: 6 } as const;

type Say = (speaker: Turn['speaker'], text: string, priority?: number) => void;

export interface ComposeContext {
  rng: Rng;
  channel: Channel;
  script: Script;
  line: 'card' | 'retail';
  agentNumber: string;
  pii?: PiiSample;
}

const NEED_REPLIES = [
  '好的,我给您介绍一下',
  '可以的,我把产品信息发到您手机上',
  '这个需要到网点办理,我帮您预约客户经理',
  '好的,我帮您登记一下,稍后会有专人联系您',
];
const COMPETITOR_REPLIES = [
  '感谢您的反馈,我们也有类似的优惠活动',
  '您的意见我们会反馈给相关部门',
  '理解,我们的产品也在不断优化',
];

export function composeUtterances(plan: ConversationPlan, ctx: ComposeContext): Utterance[] {
  const { rng } = ctx;
  const turns: Turn[] = [];
  const say: Say = (speaker, text, priority) =>
    turns.push(priority === undefined ? { speaker, text } : { speaker, text, priority });
  const fill = (text: string) =>
    text.includes('{')
      ? text
          .replace('{amt}', String(rng.int(2, 9999) * (rng.chance(0.5) ? 10 : 1)))
          .replace('{day}', String(rng.int(1, 28)))
          .replace('{line}', S.LINES[ctx.line])
          .replace('{num}', ctx.agentNumber)
      : text;

  if (ctx.channel === 'call' ? rng.chance(0.35) : rng.chance(0.25))
    say('system', rng.pick(ctx.channel === 'call' ? S.IVR_LINES : S.BOT_LINES), P.chrome);
  if (ctx.channel === 'chat' && rng.chance(0.3)) say('customer', rng.pick(S.CHAT_OPENERS), P.chrome);
  say('agent', fill(rng.pick(ctx.channel === 'call' ? S.CALL_GREETINGS : S.CHAT_GREETINGS)));

  const topics: (() => void)[] = [];
  if (plan.complaint) {
    const { category, escalation } = plan.complaint;
    topics.push(() => {
      say('customer', rng.pick(COMPLAINT_PHRASES[category]));
      say('agent', rng.pick(AGENT_APOLOGIES), P.apology);
      if (escalation) {
        say('customer', rng.pick(ESCALATION_PHRASES[escalation]));
        say('agent', rng.pick(AGENT_CALMING), P.reply);
      }
    });
  }
  if (plan.serviceRequest) {
    topics.push(() => {
      const exchange = rng.pick(S.SERVICE_REQUESTS);
      const request = rng.pick(exchange.customer);
      say('customer', plan.negation ? `${rng.pick(NOT_A_COMPLAINT)},${request}` : request);
      say('agent', fill(rng.pick(exchange.agent)), P.answer);
    });
  }
  if (plan.needs.length > 0 || plan.lifeEvents.length > 0) {
    topics.push(() => {
      const event = plan.lifeEvents.map((e) => rng.pick(LIFE_EVENT_PHRASES[e]));
      const needs = plan.needs.map((n) => rng.pick(NEED_PHRASES[n]));
      if (event.length > 0 && needs.length > 0 && rng.chance(0.6))
        say('customer', `${event.join(',')},${needs.join(',')}`);
      else for (const text of [...event, ...needs]) say('customer', text);
      if (needs.length > 0) say('agent', rng.pick(NEED_REPLIES), P.answer);
    });
  }
  if (plan.competitors.length > 0) topics.push(() => competitorTurns(plan.competitors, ctx, say));
  shuffleAfterFirst(topics, rng);
  topics.forEach((topic, i) => {
    topic();
    if (i === 0 && ctx.pii) {
      const prompt = S.PII_PROMPTS[ctx.pii.kind];
      say('agent', prompt.agent, P.prompt);
      say('customer', prompt.customer.replace('{pii}', ctx.pii.spoken));
    }
  });
  if (plan.agentNamesBank) say('agent', rng.pick(AGENT_NAMES_BANK));
  for (const need of plan.declinedNeeds) {
    say('agent', rng.pick(AGENT_OFFERS[need]));
    say('customer', rng.pick(DECLINED_PHRASES[need]));
  }
  if (plan.agentScript) {
    say('agent', rng.pick(AGENT_SCRIPTS));
    say('customer', rng.pick(NEUTRAL_ACKS), P.ack);
  }
  say('agent', rng.pick(S.CLOSINGS[ctx.channel]));

  fitLength(turns, drawLength(rng), ctx);
  return render(turns, ctx);
}

function competitorTurns(competitors: readonly PlannedCompetitor[], ctx: ComposeContext, say: Say): void {
  const { rng } = ctx;
  for (const c of competitors) {
    const { kind, names } = COMPETITORS[c.id];
    const name = rng.pick(names);
    let text = rng.pick(ASPECT_PHRASES[c.aspect][kind]);
    if (c.switchingIntent) text += `,${rng.pick(SWITCHING_PHRASES[kind])}`;
    say('customer', text.replaceAll('{b}', name));
  }
  say('agent', rng.pick(COMPETITOR_REPLIES), P.reply);
}

/** The customer's opening topic stays first (it is why they called); the rest come in any order. */
function shuffleAfterFirst<T>(items: T[], rng: Rng): void {
  for (let i = items.length - 1; i > 1; i--) {
    const j = 1 + Math.floor(rng.next() * i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

/** Mostly 5 to 11 utterances, occasionally as short as 3 or as long as 14. */
function drawLength(rng: Rng): number {
  return MIN_UTTERANCES + Math.floor(((rng.next() + rng.next()) / 2) * (MAX_UTTERANCES - MIN_UTTERANCES + 1));
}

function fitLength(turns: Turn[], target: number, ctx: ComposeContext): void {
  while (turns.length > target) {
    let drop = -1;
    turns.forEach((t, i) => {
      if (t.priority !== undefined && (drop < 0 || t.priority < (turns[drop]?.priority ?? 0))) drop = i;
    });
    if (drop < 0) break;
    turns.splice(drop, 1);
  }
  pad(turns, target, ctx.rng, ctx.channel);
}

/** Adds small talk where a real conversation would have it until the target length is reached. */
function pad(turns: Turn[], target: number, rng: Rng, channel: Channel): void {
  const used = new Set<keyof typeof S.PADDING>();
  const customerLines = () =>
    turns.flatMap((t, i) => (t.speaker === 'customer' && t.priority === undefined ? [i] : []));
  const pair = (kind: keyof typeof S.PADDING, at: number) => {
    const p = S.PADDING[kind];
    turns.splice(
      at,
      0,
      { speaker: 'agent', text: rng.pick(p.agent), priority: P.chrome },
      { speaker: 'customer', text: rng.pick(p.customer), priority: P.chrome },
    );
    used.add(kind);
  };
  for (let guard = 0; turns.length < target && guard < 50; guard++) {
    if (channel === 'chat' && rng.chance(0.3) && splitChatLine(turns)) continue;
    const lines = customerLines();
    const first = lines[0];
    if (target - turns.length >= 2) {
      if (!used.has('verify') && first !== undefined && rng.chance(0.5)) pair('verify', first + 1);
      else if (!used.has('anythingElse') && rng.chance(0.5)) pair('anythingElse', turns.length - 1);
      else if (lines.length > 0) pair('hold', rng.pick(lines) + 1);
      else pair(used.has('anythingElse') ? 'verify' : 'anythingElse', turns.length - 1);
      continue;
    }
    // One line left: the customer acknowledges an agent line (never after the closing).
    const agentLines = turns.flatMap((t, i) => (t.speaker === 'agent' && i < turns.length - 1 ? [i] : []));
    const at = agentLines.length > 0 ? rng.pick(agentLines) + 1 : turns.length - 1;
    turns.splice(at, 0, { speaker: 'customer', text: rng.pick(S.CUSTOMER_ACKS), priority: P.ack });
  }
}

/** Chat customers often send one thought as two short messages. */
function splitChatLine(turns: Turn[]): boolean {
  const i = turns.findIndex((t) => t.speaker === 'customer' && t.text.includes(','));
  const turn = turns[i];
  if (!turn) return false;
  const cut = turn.text.indexOf(',');
  turns.splice(i, 1, { ...turn, text: turn.text.slice(0, cut) }, { ...turn, text: turn.text.slice(cut + 1) });
  return true;
}

function render(turns: readonly Turn[], ctx: ComposeContext): Utterance[] {
  const { rng, channel } = ctx;
  const out: Utterance[] = [];
  const style: CallStyle = {
    joiner: rng.chance(0.3) ? ' ' : '',
    fillerRate: 0.15 + rng.next() * 0.25,
    homophoneRate: 0.3,
  };
  const fullWidth = rng.chance(0.8);
  let clock = 0;
  for (const turn of turns) {
    const customer = turn.speaker === 'customer';
    if (channel === 'chat') {
      // Agents type from templates with full-width punctuation; customers vary.
      const text = chatStyle(turn.text, rng, !customer || fullWidth);
      out.push({ speaker: turn.speaker, text: customer ? toScript(text, ctx.script) : text });
      continue;
    }
    const spoken =
      turn.speaker === 'system'
        ? turn.text.replace(/,/g, '')
        : callStyle(turn.text, rng, style, turn.speaker);
    const text = customer ? toScript(spoken, ctx.script) : spoken;
    const duration = 600 + text.length * 230 + rng.int(0, 400);
    out.push({ speaker: turn.speaker, text, startMs: clock, endMs: clock + duration });
    clock += duration + rng.int(150, 1200);
  }
  return out;
}
