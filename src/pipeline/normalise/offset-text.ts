/**
 * A text produced from another one, remembering for every character the span [start, end) of the
 * source it came from. Normalisation passes compose these so evidence maps back to what was said.
 */
export interface OffsetText {
  text: string;
  starts: Int32Array;
  ends: Int32Array;
}

export class OffsetBuilder {
  private codes: number[] = [];
  private starts: number[] = [];
  private ends: number[] = [];

  push(code: number, start: number, end: number): void {
    this.codes.push(code);
    this.starts.push(start);
    this.ends.push(end);
  }

  get length(): number {
    return this.codes.length;
  }

  /** Build the text; `source` maps this pass's source offsets to the original (undefined = identity). */
  build(source?: OffsetText): OffsetText {
    const n = this.codes.length;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const s = this.starts[i] ?? 0;
      const e = this.ends[i] ?? s;
      starts[i] = source ? (source.starts[s] ?? 0) : s;
      ends[i] = source ? (source.ends[e - 1] ?? 0) : e;
    }
    let text = '';
    for (let i = 0; i < n; i += 2048) text += String.fromCharCode(...this.codes.slice(i, i + 2048));
    return { text, starts, ends };
  }
}

export function identityOffsets(text: string): OffsetText {
  const n = text.length;
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    starts[i] = i;
    ends[i] = i + 1;
  }
  return { text, starts, ends };
}
