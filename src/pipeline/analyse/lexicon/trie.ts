/**
 * A character trie over every term of the taxonomy, built once at load then frozen into flat arrays.
 * `scan` reports every term occurrence (overlapping ones included) in one pass: a dense table for the
 * first character (most positions stop there), sorted child lists below (a node has few children).
 */
export class TermTrie {
  private readonly root = new Int32Array(0x10000).fill(-1);
  private building: Map<number, number>[] = [new Map()];
  private readonly termAtList: number[] = [-1];
  // frozen form
  private termAt = new Int32Array(0);
  private childStart = new Int32Array(0);
  private childCount = new Int32Array(0);
  private childCodes = new Uint16Array(0);
  private childNext = new Int32Array(0);
  private frozen = false;

  add(text: string, termId: number): void {
    if (this.frozen) throw new Error('TermTrie is frozen');
    let node = -1;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let next: number | undefined;
      if (node === -1) {
        next = this.root[code] as number;
        if (next < 0) {
          next = this.newNode();
          this.root[code] = next;
        }
      } else {
        const map = this.building[node] as Map<number, number>;
        next = map.get(code);
        if (next === undefined) {
          next = this.newNode();
          map.set(code, next);
        }
      }
      node = next;
    }
    if (node >= 0) this.termAtList[node] = termId;
  }

  private newNode(): number {
    this.building.push(new Map());
    this.termAtList.push(-1);
    return this.building.length - 1;
  }

  /** Flatten the child maps; no term can be added afterwards. */
  freeze(): void {
    if (this.frozen) return;
    const nodes = this.building.length;
    const total = this.building.reduce((sum, m) => sum + m.size, 0);
    this.termAt = Int32Array.from(this.termAtList);
    this.childStart = new Int32Array(nodes);
    this.childCount = new Int32Array(nodes);
    this.childCodes = new Uint16Array(total);
    this.childNext = new Int32Array(total);
    let at = 0;
    this.building.forEach((map, node) => {
      this.childStart[node] = at;
      this.childCount[node] = map.size;
      for (const [code, next] of [...map.entries()].sort((a, b) => a[0] - b[0])) {
        this.childCodes[at] = code;
        this.childNext[at++] = next;
      }
    });
    this.building = [];
    this.frozen = true;
  }

  private child(node: number, code: number): number {
    let lo = this.childStart[node] as number;
    let hi = lo + (this.childCount[node] as number) - 1;
    const codes = this.childCodes;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = codes[mid] as number;
      if (c === code) return this.childNext[mid] as number;
      if (c < code) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Calls `emit(termId, start, end)` for every occurrence, by increasing start then end. */
  scan(text: string, emit: (termId: number, start: number, end: number) => void): void {
    if (!this.frozen) this.freeze();
    const n = text.length;
    const root = this.root;
    const termAt = this.termAt;
    for (let i = 0; i < n; i++) {
      let node = root[text.charCodeAt(i)] as number;
      let j = i;
      while (node >= 0) {
        const term = termAt[node] as number;
        if (term >= 0) emit(term, i, j + 1);
        if (++j >= n) break;
        node = this.child(node, text.charCodeAt(j));
      }
    }
  }
}
