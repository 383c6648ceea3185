/**
 * A character trie over every term of the taxonomy, built once at load. `scan` reports every term
 * occurrence (overlapping ones included) in one pass: a dense table for the first character (most
 * positions stop there), maps below.
 */
export class TermTrie {
  private readonly root = new Int32Array(0x10000).fill(-1);
  private readonly children: Map<number, number>[] = [new Map()];
  private readonly termAt: number[] = [-1];

  add(text: string, termId: number): void {
    let node = -1;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let next: number | undefined;
      if (node === -1) {
        next = this.root[code];
        if (next === undefined || next < 0) {
          next = this.newNode();
          this.root[code] = next;
        }
      } else {
        const map = this.children[node] as Map<number, number>;
        next = map.get(code);
        if (next === undefined) {
          next = this.newNode();
          map.set(code, next);
        }
      }
      node = next;
    }
    if (node >= 0) this.termAt[node] = termId;
  }

  private newNode(): number {
    this.children.push(new Map());
    this.termAt.push(-1);
    return this.children.length - 1;
  }

  /** Calls `emit(termId, start, end)` for every occurrence, by increasing start then end. */
  scan(text: string, emit: (termId: number, start: number, end: number) => void): void {
    const n = text.length;
    for (let i = 0; i < n; i++) {
      let node = this.root[text.charCodeAt(i)] ?? -1;
      let j = i;
      while (node >= 0) {
        const term = this.termAt[node] ?? -1;
        if (term >= 0) emit(term, i, j + 1);
        j++;
        if (j >= n) break;
        node = (this.children[node] as Map<number, number>).get(text.charCodeAt(j)) ?? -1;
      }
    }
  }
}
