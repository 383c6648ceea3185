/**
 * How a search term is written into, and looked up in, the FTS5 index.
 *
 * The unicode61 tokenizer keeps a run of letters and digits together (so a space-separated 「大额存单」
 * is one token) but splits on punctuation and drops symbols: 「C++」 would become 「c」 and 「😀」
 * nothing. To keep "one term = one token" for every term, a term made only of ASCII letters, digits
 * and CJK ideographs is stored as is, and any other term as `_` + hex of its UTF-8 bytes (`_` is a
 * token character here and cannot occur in a plain term, so the two forms never collide).
 */
const PLAIN = /^[a-z0-9\u3400-\u4dbf\u4e00-\u9fff]+$/u;

export function ftsTerm(term: string): string {
  return PLAIN.test(term) ? term : `_${Buffer.from(term, 'utf8').toString('hex')}`;
}

/** FTS5 MATCH expression requiring every term (implicit AND of quoted strings). */
export function ftsMatchAll(terms: readonly string[]): string {
  // Quoting with doubled quotes is the FTS5 string syntax; encoded terms hold no quote, but the
  // quoting keeps words such as AND, OR, NOT, NEAR from being read as operators.
  return terms.map((t) => `"${ftsTerm(t).replace(/"/g, '""')}"`).join(' ');
}
