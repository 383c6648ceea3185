import { z } from 'zod';
import {
  ASPECTS,
  COMPETITOR_IDS,
  COMPLAINT_CATEGORIES,
  ESCALATIONS,
  LIFE_EVENTS,
  NEEDS,
} from '../../../domain/labels.js';

/** Schemas of the taxonomy files in models/taxonomy (see its README). Unknown keys are errors. */
const term = z.union([z.string().min(1), z.number().transform((n) => String(n))]);
const terms = z.array(term).default([]);
const patterns = z.array(z.string().min(1)).default([]);
const words = z.number().int().min(0).max(50);

export const institutionSchema = z.strictObject({
  home: z.strictObject({ id: z.string().min(1), names: terms }),
  selfReferences: terms,
});

export const cuesSchema = z.strictObject({
  clauseBreaks: terms,
  neutral: terms,
  negation: z.strictObject({
    terms,
    scope: words,
    transparent: terms,
    backward: terms,
    backwardScope: words.default(5),
  }),
  hypothetical: z.strictObject({ terms, consequent: terms, backward: terms, unreal: terms }),
  intent: z.strictObject({
    desire: terms,
    action: terms,
    question: terms,
    past: terms,
    pastBefore: terms,
    before: words,
    after: words,
  }),
  decline: z.strictObject({ terms, before: words, after: words }),
  marketing: z.strictObject({ terms, before: words, after: words }),
  service: z.strictObject({ terms, before: words, after: words }),
  answers: z.strictObject({ offer: terms, accept: terms, refuse: terms }),
});

const categorySchema = z.strictObject({
  terms,
  topics: terms,
  cues: terms,
  patterns,
  exclude: terms,
  window: words.optional(),
});
const specificCategories = COMPLAINT_CATEGORIES.filter((c) => c !== 'other');

export const complaintsSchema = z.strictObject({
  triggers: z.strictObject({ terms, exclude: terms, patterns }),
  negativeCues: terms,
  window: words,
  categories: z.partialRecord(z.enum(specificCategories), categorySchema),
  escalation: z.partialRecord(z.enum(ESCALATIONS), z.strictObject({ terms, weak: terms })),
  /** words of praise or satisfaction: a call made to praise tells of a past problem, not a complaint */
  praise: terms.default([]),
});

export const competitorsSchema = z.strictObject({
  competitors: z.partialRecord(
    z.enum(COMPETITOR_IDS),
    z.strictObject({ names: terms, weakNames: terms, generic: terms, pinyin: z.boolean().default(true) }),
  ),
  weakContext: z.strictObject({ before: terms, after: terms, financeWindow: words.default(4) }),
  /** A short or weak name followed by one of these is a place or a company (民生路, 华夏花园), not a bank. */
  placeSuffixes: terms.default([]),
  thirdParty: terms,
  pinyinExclude: terms,
  otherBank: z.strictObject({ suffixes: terms, notNames: terms }),
  aspects: z.strictObject({
    window: words,
    terms: z.partialRecord(z.enum(ASPECTS), terms),
    /** a complaint category said about a rival is what the customer says about it (催收天天打 → service) */
    fromComplaints: z.partialRecord(z.enum(specificCategories), z.enum(ASPECTS)).default({}),
  }),
  switching: z.strictObject({ patterns, anaphoric: terms }),
});

export const needsSchema = z.strictObject({
  needs: z.partialRecord(
    z.enum(NEEDS),
    z.strictObject({
      terms,
      products: terms,
      patterns,
      exclude: terms,
      generic: z.array(z.strictObject({ products: terms, to: z.enum(NEEDS), when: terms })).default([]),
    }),
  ),
});

export const lifeEventsSchema = z.strictObject({
  lifeEvents: z.partialRecord(z.enum(LIFE_EVENTS), z.strictObject({ terms, patterns, exclude: terms })),
});

export const sentimentSchema = z.strictObject({
  positive: z.record(z.string(), z.number().min(0).max(1)),
  negative: z.record(z.string(), z.number().min(-1).max(0)),
  intensifiers: z.record(z.string(), z.number().positive().max(3)),
  exclamation: z.number().positive().max(3).default(1),
});

export const TAXONOMY_FILES = {
  'institution.yaml': institutionSchema,
  'cues.yaml': cuesSchema,
  'complaints.yaml': complaintsSchema,
  'competitors.yaml': competitorsSchema,
  'needs.yaml': needsSchema,
  'life-events.yaml': lifeEventsSchema,
  'sentiment.yaml': sentimentSchema,
} as const;

export interface TaxonomyData {
  institution: z.infer<typeof institutionSchema>;
  cues: z.infer<typeof cuesSchema>;
  complaints: z.infer<typeof complaintsSchema>;
  competitors: z.infer<typeof competitorsSchema>;
  needs: z.infer<typeof needsSchema>;
  lifeEvents: z.infer<typeof lifeEventsSchema>;
  sentiment: z.infer<typeof sentimentSchema>;
}
