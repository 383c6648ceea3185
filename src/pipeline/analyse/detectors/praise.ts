import type { Span } from '../context/utterance-context.js';

/** 想表扬一下, 点个赞, 打电话来感谢: the call's purpose, said before the story it praises. */
const PRAISE_PURPOSE = /表扬|点赞|点个赞|感谢/;
const CONTRAST = /但是|可是|不过|就是|只是|然而/;

/**
 * How far a praise covers its utterance: to its own end, or, when it says the call is made to praise
 * (我想表扬一下周经理 我卡丢了 机器又坏了 她陪我等了两个小时), over the story that follows, up to a turn
 * to something else (但是, 不过, 就是).
 */
export function praiseReach(text: string, span: Span): number {
  if (!PRAISE_PURPOSE.test(text.slice(span.start, span.end))) return span.end;
  const turn = text.slice(span.end).search(CONTRAST);
  return turn < 0 ? text.length : span.end + turn;
}
