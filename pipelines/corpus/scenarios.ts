import type { Aspect, CompetitorId, Need } from '../../src/domain/labels.js';
import { COMPLAINTS, ESCALATIONS, GENERIC_COMPLAINTS, NON_COMPLAINTS } from './banks/complaints.js';
import {
  AGENT_BANK_LINES,
  ASPECT_FRAMES,
  BANK_NAMES,
  CREDIT_FRAMES,
  CREDIT_NAMES,
  SWITCH_FRAMES,
  WALLET_FRAMES,
  WALLET_NAMES,
  WORSE_FRAMES,
} from './banks/competitors.js';
import { EXTRA } from './banks/extra.js';
import { HOLDOUT } from './banks/holdout.js';
import { HOLDOUT2 } from './banks/holdout2.js';
import { LIFE_EVENTS, NON_LIFE_EVENTS } from './banks/life-events.js';
import { parseSpec } from './banks/spec.js';
import { HOME_LINES, NEUTRAL_CUSTOMER } from './banks/misc.js';
import {
  ACCEPTS,
  AGENT_OFFERS,
  DECLINE_FRAMES,
  HYPOTHETICAL_NEED_FRAMES,
  NEED_FRAMES,
  NEED_SENTENCES,
  PRODUCTS,
  REFUSALS,
  SERVICE_SENTENCES,
} from './banks/needs.js';
import { pick } from './compose.js';
import type { Bank, Expected, Split } from './types.js';

/** One turn of a scenario: who speaks and what the turn means. */
export interface Turn {
  speaker: 'agent' | 'customer';
  text: string;
  labels: Partial<Expected>;
  angry?: boolean;
}

export type Scenario = (random: () => number, split: Split) => Turn[];

const customer = (text: string, labels: Partial<Expected> = {}, angry = false): Turn => ({
  speaker: 'customer',
  text,
  labels,
  angry,
});
const agent = (text: string): Turn => ({ speaker: 'agent', text, labels: {} });
const keys = <K extends string>(r: Partial<Record<K, unknown>>): K[] => Object.keys(r) as K[];
const fill = (frame: string, slot: string, value: string): string => frame.replace(`{${slot}}`, value);

function product(random: () => number, split: Split, need: Need): string {
  return pick(random, PRODUCTS[need][split]);
}

const NOUN_NEEDS = keys(PRODUCTS).filter((n) => n !== 'credit_limit_increase');

export const needSentence: Scenario = (random, split) => {
  const need = pick(random, keys(NEED_SENTENCES));
  return [customer(pick(random, NEED_SENTENCES[need][split]), { needs: [need] })];
};

export const needFrame: Scenario = (random, split) => {
  const need = pick(random, NOUN_NEEDS);
  return [
    customer(fill(pick(random, NEED_FRAMES[split]), 'p', product(random, split, need)), { needs: [need] }),
  ];
};

export const declineFrame: Scenario = (random, split) => {
  const need = pick(random, keys(PRODUCTS));
  return [
    customer(fill(pick(random, DECLINE_FRAMES[split]), 'p', product(random, split, need)), {
      declinedNeeds: [need],
    }),
  ];
};

export const hypotheticalNeed: Scenario = (random, split) => {
  const need = pick(random, NOUN_NEEDS);
  return [
    customer(fill(pick(random, HYPOTHETICAL_NEED_FRAMES[split]), 'p', product(random, split, need)), {
      needs: [need],
    }),
  ];
};

export const agentOffer: Scenario = (random, split) => {
  const need = pick(random, NOUN_NEEDS);
  const offer = agent(fill(pick(random, AGENT_OFFERS[split]), 'p', product(random, split, need)));
  if (random() < 0.5) return [offer, customer(pick(random, ACCEPTS[split]), { needs: [need] })];
  return [offer, customer(pick(random, REFUSALS[split]), { declinedNeeds: [need] })];
};

export const agentOfferIgnored: Scenario = (random, split) => {
  const need = pick(random, NOUN_NEEDS);
  return [
    agent(fill(pick(random, AGENT_OFFERS[split]), 'p', product(random, split, need))),
    customer(pick(random, NEUTRAL_CUSTOMER[split])),
  ];
};

export const service: Scenario = (random, split) => [customer(pick(random, SERVICE_SENTENCES[split]))];

export const complaint: Scenario = (random, split) => {
  const category = pick(random, keys(COMPLAINTS));
  const angry = random() < 0.4;
  return [
    customer(pick(random, COMPLAINTS[category][split]), { complaint: true, categories: [category] }, angry),
  ];
};

export const complaintEscalated: Scenario = (random, split) => {
  const category = pick(random, keys(COMPLAINTS));
  const escalation = pick(random, keys(ESCALATIONS));
  return [
    customer(pick(random, COMPLAINTS[category][split]), { complaint: true, categories: [category] }, true),
    customer(
      pick(random, ESCALATIONS[escalation][split]),
      { complaint: true, escalation: [escalation] },
      true,
    ),
  ];
};

export const genericComplaint: Scenario = (random, split) => [
  customer(pick(random, GENERIC_COMPLAINTS[split]), { complaint: true }, random() < 0.5),
];

export const escalationOnly: Scenario = (random, split) => {
  const escalation = pick(random, keys(ESCALATIONS));
  return [
    customer(
      pick(random, ESCALATIONS[escalation][split]),
      { complaint: true, escalation: [escalation] },
      true,
    ),
  ];
};

export const nonComplaint: Scenario = (random, split) => [customer(pick(random, NON_COMPLAINTS[split]))];

function competitorName(
  random: () => number,
  split: Split,
  names: Partial<Record<CompetitorId, Bank<string>>>,
): [CompetitorId, string] {
  const id = pick(random, keys(names));
  const bank = names[id];
  if (!bank) throw new Error(`no names for ${id}`);
  return [id, pick(random, bank[split])];
}

const mention = (id: CompetitorId, aspects: Aspect[], switchingIntent: boolean): Partial<Expected> => ({
  competitors: [{ id, aspects, switchingIntent }],
});

export const competitorAspect: Scenario = (random, split) => {
  const [id, name] = competitorName(random, split, BANK_NAMES);
  const aspect = pick(random, keys(ASPECT_FRAMES));
  return [
    customer(fill(pick(random, ASPECT_FRAMES[aspect][split]), 'c', name), mention(id, [aspect], false)),
  ];
};

export const competitorFintech: Scenario = (random, split) => {
  const wallet = random() < 0.4;
  const [id, name] = competitorName(random, split, wallet ? WALLET_NAMES : CREDIT_NAMES);
  const frame = pick(random, (wallet ? WALLET_FRAMES : CREDIT_FRAMES)[split]);
  return [customer(fill(frame.text, 'c', name), mention(id, frame.aspects, false))];
};

const WALLET_SWITCH: Bank<string> = {
  train: ['我把钱都转到{c}了', '活期的钱我全挪到{c}了', '我打算把存款转到{c}里'],
  dev: ['工资一到账我就转进{c}', '闲钱都放到{c}去了'],
};

export const competitorSwitch: Scenario = (random, split) => {
  if (random() < 0.25) {
    const [id, name] = competitorName(random, split, WALLET_NAMES);
    return [customer(fill(pick(random, WALLET_SWITCH[split]), 'c', name), mention(id, [], true))];
  }
  const [id, name] = competitorName(random, split, BANK_NAMES);
  const turns = [customer(fill(pick(random, SWITCH_FRAMES[split]), 'c', name), mention(id, [], true))];
  if (random() < 0.4) {
    const aspect = pick(random, keys(ASPECT_FRAMES));
    turns.unshift(
      customer(fill(pick(random, ASPECT_FRAMES[aspect][split]), 'c', name), mention(id, [aspect], false)),
    );
  }
  return turns;
};

export const competitorWorse: Scenario = (random, split) => {
  const [id, name] = competitorName(random, split, BANK_NAMES);
  const frame = pick(random, WORSE_FRAMES[split]);
  return [customer(fill(frame.text, 'c', name), mention(id, frame.aspects, false))];
};

export const agentNamesBank: Scenario = (random, split) => {
  const [, name] = competitorName(random, split, BANK_NAMES);
  return [
    agent(fill(pick(random, AGENT_BANK_LINES[split]), 'c', name)),
    customer(pick(random, NEUTRAL_CUSTOMER[split])),
  ];
};

export const lifeEvent: Scenario = (random, split) => {
  const event = pick(random, keys(LIFE_EVENTS));
  const unit = pick(random, LIFE_EVENTS[event][split]);
  return [customer(unit.text, { lifeEvents: [event], needs: unit.needs ?? [] })];
};

export const nonLifeEvent: Scenario = (random, split) => [customer(pick(random, NON_LIFE_EVENTS[split]))];

export const homeInstitution: Scenario = (random, split) => {
  const line = pick(random, HOME_LINES[split]);
  const labels: Partial<Expected> =
    line.categories.length > 0 ? { complaint: true, categories: line.categories } : {};
  return [customer(line.text, labels)];
};

export const extraSentence: Scenario = (random, split) => {
  const [text, spec] = pick(random, EXTRA[split]);
  const labels = parseSpec(spec);
  return [customer(text, labels, labels.complaint === true && random() < 0.5)];
};

/** Dev only: whole hand-written mini-conversations ("A:" turns are the agent's). */
export const holdoutConversation: Scenario = (random, split) => {
  if (split !== 'dev') return extraSentence(random, split);
  const [turns, spec] = pick(random, [...HOLDOUT, ...HOLDOUT2]);
  const labels = parseSpec(spec);
  const lastCustomer = turns.map((t) => !t.startsWith('A:')).lastIndexOf(true);
  return turns.map((t, i) =>
    t.startsWith('A:')
      ? agent(t.slice(2))
      : customer(t, i === lastCustomer ? labels : {}, labels.complaint === true && random() < 0.4),
  );
};

/** Scenario mix with weights. */
export const SCENARIOS: [Scenario, number][] = [
  [needSentence, 14],
  [needFrame, 8],
  [declineFrame, 7],
  [hypotheticalNeed, 3],
  [agentOffer, 6],
  [agentOfferIgnored, 2],
  [service, 7],
  [complaint, 16],
  [complaintEscalated, 4],
  [genericComplaint, 3],
  [escalationOnly, 3],
  [nonComplaint, 6],
  [competitorAspect, 9],
  [competitorFintech, 4],
  [competitorSwitch, 5],
  [competitorWorse, 4],
  [agentNamesBank, 3],
  [lifeEvent, 10],
  [nonLifeEvent, 2],
  [homeInstitution, 3],
  [extraSentence, 45],
  [holdoutConversation, 25],
];
