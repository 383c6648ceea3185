import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { DECISION_CHANNELS, OFFER_KINDS, type DecisionChannel, type OfferKind } from '../domain/offer.js';
import { ExpressionError, parseExpression, type Expr } from './expression.js';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

const duration = z
  .string()
  .regex(/^\d+(m|h|d|w)$/, 'expected a duration such as 14d, 72h or 6w (units m, h, d, w)')
  .transform((text) => Number(text.slice(0, -1)) * UNIT_MS[text.slice(-1)]!);

const expression = z.string().transform((source, ctx): Expr => {
  try {
    return parseExpression(source);
  } catch (err) {
    const message = err instanceof ExpressionError ? err.message : String(err);
    ctx.addIssue({ code: 'custom', message: `not a valid expression (${message}): "${source}"` });
    return z.NEVER;
  }
});

const date = z.iso.date('expected a date such as 2026-01-01').or(z.iso.datetime({ offset: true }));
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time such as 21:00');

const offerSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lower-case id (a-z, 0-9, _)'),
  product: z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lower-case product id'),
  name: z.string().min(1),
  kind: z.enum(OFFER_KINDS),
  /** The taxonomy need it serves: a declined need (need_declined.<need>) suppresses it. */
  need: z.string().optional(),
  /** Offered without looking at what the customer said: allowed under the personalisation opt-out. */
  generic: z.boolean().default(false),
  eligibility: expression.default(() => ({ op: 'true' }) as const),
  exclusions: z
    .strictObject({
      /** Products (ids) the customer already holds, as the CRM sends them in `holdings`. */
      owns: z.array(z.string()).default([]),
      /** Not offered again to a customer who declined it within this time. */
      declinedWithin: duration.optional(),
    })
    .default({ owns: [] }),
  channels: z.array(z.enum(DECISION_CHANNELS)).min(1, 'expected at least one channel'),
  value: z.number().positive().max(1000),
  levers: z.number().positive().max(100).default(1),
  prior: z.strictObject({ alpha: z.number().positive(), beta: z.number().positive() }),
  validity: z.strictObject({ from: date.optional(), until: date.optional() }).optional(),
  context: z.array(z.strictObject({ when: expression, weight: z.number().positive().max(100) })).default([]),
  pitch: z.string().min(1),
});

const policySchema = z.strictObject({
  caps: z
    .array(
      z.strictObject({
        window: duration,
        max: z.number().int().min(0),
        channel: z.enum(DECISION_CHANNELS).optional(),
      }),
    )
    .min(1),
  /** Kinds that count against the caps. */
  capKinds: z.array(z.enum(OFFER_KINDS)).min(1),
  /** Kinds a do-not-market customer never gets. */
  marketingKinds: z.array(z.enum(OFFER_KINDS)).min(1),
  cooldownAfterDecline: z.strictObject({ for: duration, kinds: z.array(z.enum(OFFER_KINDS)).min(1) }),
  ignoredSuppression: z.strictObject({
    after: z.number().int().min(1),
    for: duration,
    kinds: z.array(z.enum(OFFER_KINDS)).min(1),
  }),
  quietHours: z.strictObject({
    from: clock,
    to: clock,
    timeZone: z.string().min(1),
    channels: z.array(z.enum(DECISION_CHANNELS)).min(1),
    kinds: z.array(z.enum(OFFER_KINDS)).min(1),
  }),
  /** An offer with no outcome after this long counts as no_answer (a negative). */
  noAnswerAfter: duration,
  maxOffers: z.number().int().min(1).max(10),
});

const learningSchema = z.strictObject({
  controlShare: z.number().min(0).max(0.5),
  controlSalt: z.string().min(1),
  ramp: z.strictObject({ trials: z.number().int().min(0), minReach: z.number().gt(0).max(1) }),
  samples: z.number().int().min(10).max(10_000),
});

const fileSchema = z.strictObject({
  offers: z.array(offerSchema).optional(),
  policy: policySchema.optional(),
  learning: learningSchema.optional(),
});

export type OfferDefinition = z.infer<typeof offerSchema>;
export type ContactPolicyConfig = z.infer<typeof policySchema>;
export type LearningConfig = z.infer<typeof learningSchema>;

export interface OfferCatalog {
  /** sha256 over the files, short: decisions record the catalog they ran on. */
  version: string;
  offers: OfferDefinition[];
  byId: Map<string, OfferDefinition>;
  policy: ContactPolicyConfig;
  learning: LearningConfig;
}

/** A catalog that cannot be used: names the file, the path inside it and what was expected. */
export class OfferCatalogError extends Error {
  constructor(readonly problems: string[]) {
    super(`offer catalog: ${problems.join('; ')}`);
    this.name = 'OfferCatalogError';
  }
}

/** Parses the catalog files (name → text); every problem of every file is listed. */
export function parseCatalog(files: { name: string; text: string }[]): OfferCatalog {
  const problems: string[] = [];
  const offers: OfferDefinition[] = [];
  const seen = new Map<string, string>();
  let policy: ContactPolicyConfig | undefined;
  let learning: LearningConfig | undefined;
  const hash = createHash('sha256');
  for (const { name, text } of files) {
    hash.update(name).update('\0').update(text).update('\0');
    let raw: unknown;
    try {
      raw = parse(text);
    } catch (err) {
      problems.push(`${name}: not valid YAML: ${(err as Error).message}`);
      continue;
    }
    const result = fileSchema.safeParse(raw ?? {});
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push(`${name}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
      continue;
    }
    (result.data.offers ?? []).forEach((offer, i) => {
      const first = seen.get(offer.id);
      if (first) problems.push(`${name}: offers.${i}.id: "${offer.id}" is already defined in ${first}`);
      seen.set(offer.id, name);
      offers.push(offer);
    });
    if (result.data.policy) {
      if (policy) problems.push(`${name}: policy: defined in more than one file`);
      policy = result.data.policy;
    }
    if (result.data.learning) {
      if (learning) problems.push(`${name}: learning: defined in more than one file`);
      learning = result.data.learning;
    }
  }
  if (!policy) problems.push('no file defines `policy` (the contact policy)');
  if (!learning) problems.push('no file defines `learning` (control group, ramp)');
  if (offers.length === 0) problems.push('no file defines any offer');
  if (problems.length || !policy || !learning) throw new OfferCatalogError(problems);
  return {
    version: hash.digest('hex').slice(0, 12),
    offers,
    byId: new Map(offers.map((o) => [o.id, o])),
    policy,
    learning,
  };
}

/** Reads every models/offers/*.yaml. */
export function loadCatalog(modelsDir: string): OfferCatalog {
  const dir = join(modelsDir, 'offers');
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
      .sort();
  } catch (err) {
    throw new OfferCatalogError([
      `${dir} cannot be read (${(err as Error).message}); it holds the offer catalog`,
    ]);
  }
  return parseCatalog(
    names.map((name) => ({ name: join(dir, name), text: readFileSync(join(dir, name), 'utf8') })),
  );
}

/** Holds the catalog; reload() swaps it only when the new files are valid. */
export class CatalogHolder {
  private current: OfferCatalog;

  constructor(private readonly modelsDir: string) {
    this.current = loadCatalog(modelsDir);
  }

  get catalog(): OfferCatalog {
    return this.current;
  }

  /** Re-reads the files; on an error the previous catalog stays and the error is thrown. */
  reload(): OfferCatalog {
    this.current = loadCatalog(this.modelsDir);
    return this.current;
  }
}

export type { DecisionChannel, OfferKind };
