import type { Speaker } from '../../domain/conversation.js';
import type { SpeakerMapping } from './types.js';

/** Words that name a role in transcripts and chat exports (Simplified and Traditional). */
const ROLE_WORDS: Record<Speaker, readonly string[]> = {
  agent: [
    '坐席',
    '座席',
    '坐席员',
    '客服',
    '客服人员',
    '客服代表',
    '人工客服',
    '柜员',
    '櫃員',
    'agent',
    'staff',
    'operator',
  ],
  customer: [
    '客户',
    '客戶',
    '用户',
    '用戶',
    '来电人',
    '來電人',
    '访客',
    '訪客',
    'customer',
    'client',
    'user',
    'visitor',
    'caller',
  ],
  system: [
    '系统',
    '系統',
    '机器人',
    '機器人',
    '智能客服',
    '语音导航',
    '語音導航',
    'system',
    'bot',
    'robot',
    'ivr',
  ],
};

const BY_WORD = new Map<string, Speaker>(
  (Object.entries(ROLE_WORDS) as [Speaker, readonly string[]][]).flatMap(([role, words]) =>
    words.map((w) => [w, role] as const),
  ),
);

/** 坐席 -> agent, 客戶 -> customer, Bot -> system; undefined for anything else. */
export function roleOfLabel(label: string): Speaker | undefined {
  return BY_WORD.get(label.trim().toLowerCase());
}

/** Labels that ASR tools give anonymous voices: 说话人1, 发言人 2, Speaker 1, SPEAKER_00, spk_0. */
export function isGenericSpeakerId(label: string): boolean {
  return /^(说话人|說話人|发言人|發言人|讲话人|講話人|角色|speaker|spk)[ _-]?\d{1,3}$/i.test(label.trim());
}

export interface SpeakerPrefix {
  /** the label as written, used as the vendor speaker key */
  label: string;
  /** set when the label names a role */
  role?: Speaker;
  rest: string;
}

const PREFIX =
  /^\s*(?:[[【(（]([^\]】)）:：]{1,24})[\]】)）]\s*[:：]?|([^\s:：[\]【】()（）][^:：[\]【】]{0,23}?)\s*[:：])\s*/;

/**
 * Splits "坐席：您好", "[客户] 你好", "说话人1: 嗯" into label and text. Only labels that name a role,
 * anonymous ASR voices, or ids of the caller's speaker mapping count: "时间：明天" is text.
 */
export function splitSpeakerPrefix(line: string, mapping: SpeakerMapping): SpeakerPrefix | undefined {
  const m = PREFIX.exec(line);
  if (!m) return undefined;
  const label = (m[1] ?? m[2] ?? '').trim();
  const role = roleOfLabel(label);
  if (!role && !isGenericSpeakerId(label) && !(mapping.map && Object.hasOwn(mapping.map, label)))
    return undefined;
  return { label, ...(role ? { role } : {}), rest: line.slice(m[0].length) };
}
