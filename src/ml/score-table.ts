/**
 * Scores of many texts in one typed array, label order fixed, for the analysis engine: building a
 * sorted array of {label, score} objects per text cost more than the model itself (see
 * docs/CLASSIFIER.md, Speed).
 */
export interface ScoreTable {
  labels: readonly string[];
  /** texts × labels, row-major: scores[text * labels.length + label] */
  scores: Float64Array;
}

/** One row of a ScoreTable read as label → score, without copying it into a Map. */
export class ScoreRow implements ReadonlyMap<string, number> {
  constructor(
    /** label → its column, shared by every row of the table */
    readonly labelIndex: ReadonlyMap<string, number>,
    readonly table: ScoreTable,
    readonly row: number,
  ) {}

  /** The score of label number `l` of the table. */
  at(l: number): number {
    return this.table.scores[this.row * this.table.labels.length + l]!;
  }

  get size(): number {
    return this.table.labels.length;
  }

  get(label: string): number | undefined {
    const l = this.labelIndex.get(label);
    return l === undefined ? undefined : this.table.scores[this.row * this.table.labels.length + l];
  }

  has(label: string): boolean {
    return this.labelIndex.has(label);
  }

  *entries(): MapIterator<[string, number]> {
    const base = this.row * this.table.labels.length;
    for (let l = 0; l < this.table.labels.length; l++)
      yield [this.table.labels[l]!, this.table.scores[base + l]!];
  }

  *keys(): MapIterator<string> {
    yield* this.table.labels;
  }

  *values(): MapIterator<number> {
    for (const [, v] of this.entries()) yield v;
  }

  forEach(fn: (value: number, key: string, map: ReadonlyMap<string, number>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }
}

/** Every row of a table as a ScoreRow, sharing one label index. */
export function scoreRows(table: ScoreTable): ScoreRow[] {
  const index = new Map(table.labels.map((label, i) => [label, i]));
  const rows = table.labels.length === 0 ? 0 : table.scores.length / table.labels.length;
  return Array.from({ length: rows }, (_, r) => new ScoreRow(index, table, r));
}
