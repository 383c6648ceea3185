import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { TAG_FAMILIES, type TagFamily } from '../domain/tag.js';
import { normaliseTerm } from '../pipeline/normalise/normalise.js';

const DAY = 24 * 3600 * 1000;
const UNIT_MS: Record<string, number> = { h: 3600 * 1000, d: DAY, w: 7 * DAY };

const duration = z
  .string()
  .regex(/^\d+(h|d|w)$/, 'expected a duration such as 6w, 90d or 12h (units h, d, w)')
  .transform((text) => Number(text.slice(0, -1)) * (UNIT_MS[text.slice(-1)] ?? DAY));

const pattern = z.string().transform((source, ctx) => {
  try {
    return new RegExp(normaliseTerm(source), 'u');
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(err as Error).message}` });
    return z.NEVER;
  }
});

const schema = z.strictObject({
  lifetimes: z.strictObject(
    Object.fromEntries(TAG_FAMILIES.map((family) => [family, duration])) as Record<
      TagFamily,
      typeof duration
    >,
  ),
  evidencePerTag: z.number().int().min(1).max(20),
  resolutionCues: z.array(z.string().min(1)).min(1),
  doNotMarketPatterns: z.array(pattern).min(1),
});

/** How tags age and what the profile step listens for: models/profiles/profiles.yaml. */
export interface ProfileConfig {
  /** Lifetime per tag family, in ms from the conversation that last showed the tag. */
  lifetimes: Record<TagFamily, number>;
  evidencePerTag: number;
  /** Normalised phrases: said in a later conversation without a complaint, they close complaint.open. */
  resolutionCues: string[];
  doNotMarketPatterns: RegExp[];
}

/** A profiles.yaml that cannot be used: names the file, the path inside it and what was expected. */
export class ProfileConfigError extends Error {
  constructor(file: string, problems: string[]) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'ProfileConfigError';
  }
}

export function parseProfileConfig(text: string, file: string): ProfileConfig {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new ProfileConfigError(file, [`not valid YAML: ${(err as Error).message}`]);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new ProfileConfigError(
      file,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`),
    );
  }
  return {
    ...result.data,
    resolutionCues: result.data.resolutionCues.map((cue) => normaliseTerm(cue)),
  };
}

export function loadProfileConfig(modelsDir: string): ProfileConfig {
  const file = join(modelsDir, 'profiles', 'profiles.yaml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ProfileConfigError(file, [
      `cannot be read (${(err as Error).message}); it holds the tag lifetimes`,
    ]);
  }
  return parseProfileConfig(text, file);
}
