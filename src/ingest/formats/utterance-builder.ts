import type { Speaker, Utterance } from '../../domain/conversation.js';
import { joinWords, normaliseText } from './text-utils.js';
import type { ParseIssue, SpeakerMapping } from './types.js';

/** One piece of speech as a vendor file gives it, before speaker mapping. */
export interface Fragment {
  where: string;
  text: string;
  /** vendor speaker or channel id ("0", "spk_1", "SPEAKER_00", "说话人1"); absent when the file has none */
  speaker?: string;
  /** set when the file itself names the role (坐席：, <v 客户>, sender=customer) */
  role?: Speaker;
  startMs?: number;
  endMs?: number;
}

export interface BuildOptions {
  mapping: SpeakerMapping;
  /**
   * Apply the contact-center convention to unnamed voices: the first voice heard is
   * `mapping.firstSpeaker` (default agent), every other voice the opposite role. Off for chat,
   * where the customer usually writes first.
   */
  firstSpeakerRule: boolean;
  /** Join consecutive fragments of one voice: only for vendors that split speech into words (AWS items). */
  merge?: boolean;
  /** What the user can do when the file does not tell the voices apart, e.g. "enable diarisation". */
  speakerHint: string;
}

/**
 * The one place where vendor fragments become native utterances: text normalised, empty pieces
 * dropped, ordered by time, speaker ids mapped to roles, word fragments merged.
 */
export function buildUtterances(
  input: Fragment[],
  where: string,
  options: BuildOptions,
): { utterances: Utterance[]; issues: ParseIssue[] } {
  const fragments = orderByTime(
    input.map((f) => ({ ...f, text: normaliseText(f.text) })).filter((f) => f.text.length > 0),
  );
  const issues: ParseIssue[] = [];
  if (fragments.length === 0) return { utterances: [], issues };
  const resolve = roleResolver(fragments, where, options, issues);
  if (!resolve) return { utterances: [], issues };

  const utterances: Utterance[] = [];
  let previousKey: string | undefined;
  for (const fragment of fragments) {
    const speaker = resolve(fragment);
    if (!speaker) continue;
    const key = fragment.speaker ?? fragment.role;
    const last = utterances.at(-1);
    if (options.merge && last && last.speaker === speaker && key === previousKey) {
      last.text = joinWords(last.text, fragment.text);
      if (fragment.endMs !== undefined) last.endMs = fragment.endMs;
      continue;
    }
    utterances.push({
      speaker,
      text: fragment.text,
      ...(fragment.startMs !== undefined ? { startMs: fragment.startMs } : {}),
      ...(fragment.endMs !== undefined && (fragment.startMs ?? 0) <= fragment.endMs
        ? { endMs: fragment.endMs }
        : {}),
    });
    previousKey = key;
  }
  return { utterances, issues };
}

/** Vendors mostly write in time order; dual-channel results may list one channel after the other. */
function orderByTime(fragments: Fragment[]): Fragment[] {
  if (!fragments.every((f) => f.startMs !== undefined)) return fragments;
  return fragments
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (a.f.startMs ?? 0) - (b.f.startMs ?? 0) || a.i - b.i)
    .map(({ f }) => f);
}

function roleResolver(
  fragments: Fragment[],
  where: string,
  options: BuildOptions,
  issues: ParseIssue[],
): ((f: Fragment) => Speaker | undefined) | undefined {
  const map = options.mapping.map ?? {};
  const explicit = (f: Fragment): Speaker | undefined =>
    (f.speaker !== undefined && Object.hasOwn(map, f.speaker) ? map[f.speaker] : undefined) ?? f.role;

  if (fragments.every((f) => f.speaker === undefined && f.role === undefined)) {
    issues.push({
      where,
      message: `no speaker labels, so agent and customer cannot be told apart: ${options.speakerHint}`,
    });
    return undefined;
  }
  const labelled = fragments.filter((f) => f.speaker !== undefined || f.role !== undefined);
  const voices = new Set(labelled.map((f) => f.speaker ?? `role:${f.role ?? ''}`));
  const unnamed = fragments.find((f) => f.speaker !== undefined && !explicit(f));
  if (voices.size === 1 && unnamed) {
    issues.push({
      where,
      message:
        `only one voice (speaker "${unnamed.speaker}") in the conversation, so agent and customer cannot be told apart: ` +
        `${options.speakerHint}, or map that voice explicitly (e.g. speakers ${unnamed.speaker}:customer)`,
    });
    return undefined;
  }

  // The first voice heard (an IVR prompt aside) decides: unnamed, it takes `firstSpeaker` and the
  // other unnamed voices the opposite role; named (坐席, or mapped), the unnamed voices take the opposite.
  const opposite = (role: Speaker): Speaker => (role === 'agent' ? 'customer' : 'agent');
  const opener = labelled.find((f) => explicit(f) !== 'system');
  const openerRole = opener ? explicit(opener) : undefined;
  const first: Speaker = openerRole ? opposite(openerRole) : (options.mapping.firstSpeaker ?? 'agent');
  const other: Speaker = openerRole ? first : opposite(first);
  const firstVoice = openerRole ? undefined : opener?.speaker;
  const reported = new Set<string>();
  return (f) => {
    const role = explicit(f);
    if (role) return role;
    if (f.speaker === undefined) {
      issues.push({
        where: f.where,
        message: `skipped: no speaker label on this piece of speech (${options.speakerHint})`,
      });
      return undefined;
    }
    if (options.firstSpeakerRule) return f.speaker === firstVoice ? first : other;
    if (!reported.has(f.speaker)) {
      reported.add(f.speaker);
      issues.push({
        where: f.where,
        message:
          `skipped messages of sender "${f.speaker}": expected a role such as 坐席/客服/agent, 客户/用户/customer or ` +
          `机器人/系统/system, or a speaker mapping such as ${f.speaker}:agent`,
      });
    }
    return undefined;
  };
}
