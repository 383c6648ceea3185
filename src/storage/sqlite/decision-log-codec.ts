import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { DecisionRecord, DecisionStage, StageVerdict } from '../../domain/offer.js';

/**
 * The decision log's rows in SQLite. A record carries every stage's verdict for every offer (21
 * offers × 5 stages), and most of those are the same dozen sentences, so the row (format 2) holds
 * each distinct string once in `strings` and the verdicts and suppressions as index triples:
 * about 12 KB of UTF-8 JSON becomes about 3.6 KB, packed in 25–50 µs. Deflating the full JSON
 * (format 1) cost 150–200 µs, a third of a decision's CPU time, and this row still fits in one page.
 * Rows of format 1 (deflated JSON) and plain JSON text from before still read.
 */
interface PackedRecord extends Omit<DecisionRecord, 'stages' | 'suppressed' | 'outcomes'> {
  v: 2;
  strings: string[];
  /** offerId → [stage, pass (1|0), why] per verdict, stage and why as indices into `strings`. */
  stages: Record<string, [number, number, number][]>;
  /** [offerId, stage, why], each an index into `strings`. */
  suppressed: [number, number, number][];
}

/** The row's value for a record (outcomes are stored apart and left out). */
export function packDecision(record: DecisionRecord): string {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const at = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.push(s) - 1;
      index.set(s, i);
    }
    return i;
  };
  const stages: PackedRecord['stages'] = {};
  for (const [offerId, verdicts] of Object.entries(record.stages))
    stages[offerId] = verdicts.map((v) => [at(v.stage), v.pass ? 1 : 0, at(v.why)]);
  // outcomes: undefined leaves them out of the JSON (they are stored apart).
  const packed: PackedRecord & { outcomes?: undefined } = {
    ...record,
    outcomes: undefined,
    v: 2,
    stages,
    suppressed: record.suppressed.map((s) => [at(s.offerId), at(s.stage), at(s.why)]),
    strings,
  };
  return JSON.stringify(packed);
}

/** A record from its row, whichever format wrote it; `outcomes` is empty. */
export function unpackDecision(data: string | Buffer): DecisionRecord {
  // Format 1 is a deflated BLOB; format 2 and the first plain JSON are TEXT.
  const parsed = JSON.parse(typeof data === 'string' ? data : inflateRawSync(data).toString('utf8')) as
    DecisionRecord | PackedRecord;
  if (!('v' in parsed) || parsed.v !== 2) return { ...parsed, outcomes: [] } as DecisionRecord;
  return expand(parsed);
}

function expand({ v: _v, strings, stages, suppressed, ...rest }: PackedRecord): DecisionRecord {
  const text = (i: number): string => strings[i]!;
  return {
    ...rest,
    suppressed: suppressed.map(([offerId, stage, why]) => ({
      offerId: text(offerId),
      stage: text(stage) as DecisionStage,
      why: text(why),
    })),
    stages: Object.fromEntries(
      Object.entries(stages).map(([offerId, verdicts]) => [
        offerId,
        verdicts.map(([stage, pass, why]): StageVerdict => ({
          stage: text(stage) as DecisionStage,
          pass: pass === 1,
          why: text(why),
        })),
      ]),
    ),
    outcomes: [],
  };
}

/** Format 1, kept for the test that old rows still read. */
export function packDecisionV1(record: DecisionRecord): Buffer {
  return deflateRawSync(JSON.stringify({ ...record, outcomes: undefined }));
}
