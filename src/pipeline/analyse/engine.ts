import type { Analysis } from '../../domain/analysis.js';
import type { Speaker } from '../../domain/conversation.js';
import type { Aspect, Need } from '../../domain/labels.js';
import type { NormalisedText } from '../normalise/normalise.js';
import { normaliseTerm } from '../normalise/normalise.js';
import type { Segmentation } from '../segment/segmenter.js';
import { aggregate, placeOf, praiseCall, type ConversationFindings } from './aggregate.js';
import { UtteranceContext } from './context/utterance-context.js';
import {
  attachAspects,
  detectSwitching,
  findMentions,
  rivalAspects,
  type Mention,
} from './detectors/competitors.js';
import { praiseReach } from './detectors/praise.js';
import { detectComplaints } from './detectors/complaints.js';
import type { Finding } from './detectors/finding.js';
import { HomophoneMatcher } from './detectors/homophones.js';
import { detectLifeEvents } from './detectors/life-events.js';
import { detectAnswers, detectNeeds, namedNeeds } from './detectors/needs.js';
import { conversationSentiment, utteranceSentiment } from './detectors/sentiment.js';
import { compileLexicon, type HomeInstitution, type Lexicon } from './lexicon/compile-lexicon.js';
import { loadTaxonomy } from './taxonomy/load-taxonomy.js';

/** An utterance after normalisation and segmentation. */
export interface PreparedUtterance {
  speaker: Speaker;
  norm: NormalisedText;
  seg: Segmentation;
}

export interface EngineResult {
  analysis: Analysis;
  /** customer sentiment per utterance (-1..1), null for agent and system speech */
  utteranceSentiment: (number | null)[];
  /** a conversation with an agent in which the customer says no word of displeasure (see aggregate.ts) */
  customerCalm: boolean;
}

export interface Engine {
  /** taxonomy version: content hash of the taxonomy files and the home institution */
  readonly version: string;
  readonly lexicon: Lexicon;
  analyse(id: string, utterances: readonly PreparedUtterance[]): EngineResult;
}

/** Load, validate and compile the taxonomy of `dir` (throws TaxonomyError with file and path). */
export function createEngine(dir: string, home?: HomeInstitution): Engine {
  const { data, version } = loadTaxonomy(dir, JSON.stringify(home ?? null));
  const lexicon = compileLexicon(data, home);
  const homophones = new HomophoneMatcher(
    lexicon.pinyinNames,
    data.competitors.pinyinExclude.map((t) => normaliseTerm(t)),
  );
  const generic = new Map<Need, { to: Need; products: Set<string> }[]>();
  for (const [need, def] of Object.entries(data.needs.needs)) {
    generic.set(
      need as Need,
      def.generic.map((g) => ({ to: g.to, products: new Set(g.products.map((p) => normaliseTerm(p))) })),
    );
  }
  /**
   * 贷款 in 我想贷款买车 is a car loan: a generic product takes the need its utterance names, else
   * the one the conversation was last about (客户: 刚提了台车 … 坐席: 车主分期 … 客户: 没必要贷款), by the
   * words of either speaker before it.
   */
  const retargetIn = (
    contextFor: (i: number) => UtteranceContext | undefined,
  ): ((f: Finding<Need>) => Finding<Need>) => {
    return (f) => {
      // an answer to an offer (不用了) is about the product word the agent said
      const word = f.offered ?? f;
      const text = word.ctx.text.slice(word.span.start, word.span.end);
      const targets = new Set(
        (generic.get(f.label) ?? []).filter((g) => g.products.has(text)).map((g) => g.to),
      );
      if (targets.size === 0) return f;
      const purposeHits = (c: UtteranceContext) =>
        c.get('needContext').filter((h) => h.role.need === f.label && targets.has(h.role.to));
      const purposes = (c: UtteranceContext): Need[] => purposeHits(c).map((h) => h.role.to);
      // in the product's own utterance, the purpose nearest the product word (个体户信用贷… 另外送货车
      // 我行也有商用车贷款: the 贷款 is for the van)
      const nearest = purposeHits(word.ctx).sort(
        (a, b) => Math.abs(a.span.start - word.span.start) - Math.abs(b.span.start - word.span.start),
      )[0]?.role.to;
      const here = nearest ?? (f.offered ? purposes(f.ctx)[0] : undefined);
      if (here) return { ...f, label: here };
      for (let j = word.ctx.index - 1; j >= 0; j--) {
        const c = contextFor(j);
        if (!c) continue;
        const to =
          purposes(c).at(-1) ??
          namedNeeds(c)
            .filter((n) => targets.has(n))
            .at(-1);
        if (to) return { ...f, label: to };
      }
      return f;
    };
  };

  /**
   * The aspect the conversation is about at utterance i: the last aspect word of this utterance or,
   * failing that, of the three before it (either speaker: 坐席: 年费是六百 … 客户: 华夏才一百).
   */
  const topicAspect = (
    i: number,
    contextFor: (j: number) => UtteranceContext | undefined,
  ): Aspect | undefined => {
    for (let j = i; j >= Math.max(0, i - 3); j--) {
      const hit = contextFor(j)?.get('aspect').at(-1);
      if (hit) return hit.role.aspect;
    }
    return undefined;
  };

  const fromComplaints = lexicon.data.competitors.aspects.fromComplaints;

  const analyse = (id: string, utterances: readonly PreparedUtterance[]): EngineResult => {
    const contexts: (UtteranceContext | undefined)[] = [];
    const contextFor = (i: number): UtteranceContext | undefined => {
      const u = utterances[i];
      if (!u) return undefined;
      contexts[i] ??= new UtteranceContext(i, u.speaker, u.norm, u.seg, lexicon);
      return contexts[i];
    };
    const found: ConversationFindings = {
      mentions: [],
      complaints: { categories: [], triggers: [], escalations: [] },
      needs: { needs: [], declined: [] },
      lifeEvents: [],
      // a post or a comment (no agent) states its problem to complain about it
      upset: !utterances.some((u) => u.speaker === 'agent'),
      lastPraise: -1,
    };
    const sentiment: (number | null)[] = utterances.map(() => null);
    let lastNamed: Mention | undefined;
    const push = <T>(into: T[], items: readonly T[]): void => {
      for (const item of items) into.push(item);
    };
    let previousCustomer = -1;
    for (let i = 0; i < utterances.length; i++) {
      if ((utterances[i] as PreparedUtterance).speaker !== 'customer') continue;
      const before = previousCustomer;
      previousCustomer = i;
      const ctx = contextFor(i) as UtteranceContext;
      for (const p of ctx.get('praise')) {
        if (ctx.isNegated(p.span) || ctx.isUnreal(p.span)) continue;
        found.lastPraise = Math.max(found.lastPraise, placeOf(i, praiseReach(ctx.text, p.span)));
      }
      const mentions = findMentions(ctx, homophones);
      // small talk (好的, 是的我本人): nothing to detect beyond names said by sound
      if (mentions.length === 0 && !ctx.carriesSignal) {
        sentiment[i] = 0;
        continue;
      }
      if (mentions.length > 0) {
        attachAspects(ctx, mentions, () => topicAspect(i, contextFor));
        lastNamed = mentions[mentions.length - 1];
      }
      detectSwitching(ctx, mentions, lastNamed);
      const priorRival = mentions.length === 0 && lastNamed?.ctx.index === before;
      push(found.mentions, mentions);
      const complaints = detectComplaints(ctx, mentions, priorRival);
      rivalAspects(ctx, complaints.aboutRivals, mentions, priorRival ? lastNamed : undefined, fromComplaints);
      push(found.complaints.categories, complaints.categories);
      push(found.complaints.triggers, complaints.triggers);
      push(found.complaints.escalations, complaints.escalations);
      const needs = detectNeeds(ctx, mentions);
      const answers = detectAnswers(
        ctx,
        () => (utterances[i - 1]?.speaker === 'agent' ? contextFor(i - 1) : undefined),
        (need) => found.needs.needs.some((f) => f.label === need),
      );
      push(found.needs.needs, needs.needs);
      push(found.needs.needs, answers.needs);
      push(found.needs.declined, needs.declined);
      push(found.needs.declined, answers.declined);
      push(found.lifeEvents, detectLifeEvents(ctx));
      sentiment[i] = utteranceSentiment(ctx, complaints.categories.length + complaints.triggers.length);
      // the customer's own words, complaint signals aside, say they are unhappy
      if (!found.upset && sentiment[i]! < 0 && utteranceSentiment(ctx, 0) < 0) found.upset = true;
    }
    const retarget = retargetIn(contextFor);
    found.needs.needs = found.needs.needs.map(retarget);
    found.needs.declined = found.needs.declined.map(retarget);
    return {
      analysis: aggregate(id, found, conversationSentiment(sentiment)),
      utteranceSentiment: sentiment,
      customerCalm: !found.upset || praiseCall(found),
    };
  };

  return { version, lexicon, analyse };
}
