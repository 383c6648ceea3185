import type { Tag, TagChange } from '../domain/tag.js';
import { tagFingerprint, type ComputedTag } from './compute-tags.js';

/** A tag as a store keeps it: the tag and the fingerprint it was compared by. */
export interface StoredTag {
  tag: Tag;
  fingerprint: string;
}

export interface TagPlan {
  /** Tags to write (with their new or kept version). */
  writes: StoredTag[];
  /** Keys to forget silently (exited tags no analysis shows any more). */
  deletes: string[];
  /** Feed entries, in order; the store gives them ids as it appends them. */
  changes: Omit<TagChange, 'id'>[];
  /** The customer's version counter after the plan. */
  version: number;
}

/**
 * The difference between the stored tags and freshly computed ones, as writes and feed changes.
 * Only real changes get a version and a feed entry: an unchanged re-analysis plans nothing, and an
 * exited tag that stays exited is rewritten silently. Every store runs this inside its own atomic
 * step (a SQLite transaction, a Redis MULTI under WATCH), so the feed and the tags never disagree.
 */
export function planTagChanges(
  customerId: string,
  stored: ReadonlyMap<string, StoredTag>,
  computed: readonly ComputedTag[],
  version: number,
  at: string,
): TagPlan {
  const plan: TagPlan = { writes: [], deletes: [], changes: [], version };
  const change = (tag: Tag, kind: TagChange['change']): void => {
    plan.writes.push({ tag, fingerprint: tagFingerprint(tag) });
    plan.changes.push({ customerId, key: tag.key, change: kind, version: tag.version, at, tag });
  };
  const seen = new Set<string>();
  for (const next of computed) {
    seen.add(next.key);
    const before = stored.get(next.key);
    const fingerprint = tagFingerprint(next);
    if (before?.fingerprint === fingerprint) continue;
    if (!before) {
      if (next.status === 'active') change({ ...next, version: ++plan.version }, 'entered');
      continue;
    }
    const was = before.tag.status;
    if (was === 'exited' && next.status === 'exited') {
      plan.writes.push({ tag: { ...next, version: before.tag.version }, fingerprint });
      continue;
    }
    const kind = was === 'active' ? (next.status === 'active' ? 'updated' : 'exited') : 'entered';
    change({ ...next, version: ++plan.version }, kind);
  }
  for (const [key, before] of stored) {
    if (seen.has(key)) continue;
    if (before.tag.status === 'exited') plan.deletes.push(key);
    else
      change({ ...before.tag, status: 'exited', exitReason: 'corrected', version: ++plan.version }, 'exited');
  }
  return plan;
}
