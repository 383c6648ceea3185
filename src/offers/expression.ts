/**
 * Eligibility and context expressions of the offer catalog: a tiny grammar, parsed once at load,
 * evaluated without eval.
 *
 *   expr    := or
 *   or      := and ("or" and)*
 *   and     := unary ("and" unary)*
 *   unary   := "not" unary | "(" expr ")" | call
 *   call    := has(PATTERN) | live(PATTERN) | channel(NAME) | consent(marketing) | true
 *
 * PATTERN is a tag key whose segments may be `*` (`competitor.*.rate`). `has` looks at the active
 * tags of the profile and the live conversation; `live` only at the live conversation.
 */

export type Expr =
  | { op: 'and' | 'or'; args: Expr[] }
  | { op: 'not'; arg: Expr }
  | { op: 'has' | 'live'; pattern: string[] }
  | { op: 'channel'; name: string }
  | { op: 'consent'; name: 'marketing' }
  | { op: 'true' };

/** What an expression is evaluated against. */
export interface ExprContext {
  /** Active tag keys, profile and live conversation together. */
  tags: ReadonlySet<string>;
  /** Tag keys shown by the live conversation. */
  live: ReadonlySet<string>;
  channel: string;
  marketingConsent: boolean;
}

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at character ${position}`);
    this.name = 'ExpressionError';
  }
}

const TOKEN = /\s*(\(|\)|[A-Za-z_][\w.*-]*|\S)/y;
const KEY = /^[a-z_][a-z0-9_]*(\.([a-z0-9_]+|\*))*$/;

export function parseExpression(text: string): Expr {
  const tokens: { text: string; at: number }[] = [];
  TOKEN.lastIndex = 0;
  for (;;) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) {
      if (text.slice(start).trim()) throw new ExpressionError('unexpected input', start);
      break;
    }
    tokens.push({ text: m[1]!, at: m.index + m[0].length - m[1]!.length });
  }
  let i = 0;
  const peek = (): string | undefined => tokens[i]?.text;
  const at = (): number => tokens[i]?.at ?? text.length;
  const expect = (t: string): void => {
    if (peek() !== t)
      throw new ExpressionError(`expected "${t}", got ${peek() ? `"${peek()}"` : 'the end'}`, at());
    i++;
  };
  const parseOr = (): Expr => {
    const args = [parseAnd()];
    while (peek() === 'or') {
      i++;
      args.push(parseAnd());
    }
    return args.length === 1 ? args[0]! : { op: 'or', args };
  };
  const parseAnd = (): Expr => {
    const args = [parseUnary()];
    while (peek() === 'and') {
      i++;
      args.push(parseUnary());
    }
    return args.length === 1 ? args[0]! : { op: 'and', args };
  };
  const parseUnary = (): Expr => {
    const t = peek();
    if (t === 'not') {
      i++;
      return { op: 'not', arg: parseUnary() };
    }
    if (t === '(') {
      i++;
      const e = parseOr();
      expect(')');
      return e;
    }
    if (t === 'true') {
      i++;
      return { op: 'true' };
    }
    return parseCall();
  };
  const parseCall = (): Expr => {
    const name = peek();
    const where = at();
    if (name !== 'has' && name !== 'live' && name !== 'channel' && name !== 'consent')
      throw new ExpressionError(
        `expected has(...), live(...), channel(...), consent(marketing), not, true or "(", got ${name ? `"${name}"` : 'the end'}`,
        where,
      );
    i++;
    expect('(');
    const argAt = at();
    const arg = peek();
    if (arg === undefined || arg === ')') throw new ExpressionError(`${name}() needs an argument`, argAt);
    i++;
    expect(')');
    if (name === 'channel') return { op: 'channel', name: arg };
    if (name === 'consent') {
      if (arg !== 'marketing') throw new ExpressionError('consent() knows only "marketing"', argAt);
      return { op: 'consent', name: 'marketing' };
    }
    if (!KEY.test(arg)) throw new ExpressionError(`"${arg}" is not a tag key or pattern`, argAt);
    return { op: name, pattern: arg.split('.') };
  };
  if (tokens.length === 0) throw new ExpressionError('empty expression', 0);
  const expr = parseOr();
  if (i < tokens.length) throw new ExpressionError(`unexpected "${peek()}"`, at());
  return expr;
}

function matches(pattern: string[], key: string): boolean {
  const parts = key.split('.');
  return parts.length === pattern.length && pattern.every((p, k) => p === '*' || p === parts[k]);
}

/** A wildcard-free pattern's key (null when it has a `*`), per parsed pattern. */
const exactKeys = new WeakMap<string[], string | null>();

/** Keys of `set` that match the pattern. */
export function matching(pattern: string[], set: Iterable<string>): string[] {
  // Most patterns name one key: a set lookup instead of splitting every tag key of the customer
  // (this ran for every offer of every decision).
  let exact = exactKeys.get(pattern);
  if (exact === undefined) {
    exact = pattern.includes('*') ? null : pattern.join('.');
    exactKeys.set(pattern, exact);
  }
  if (exact !== null && set instanceof Set) return set.has(exact) ? [exact] : [];
  const out: string[] = [];
  for (const key of set) if (matches(pattern, key)) out.push(key);
  return out;
}

/**
 * Evaluates the expression; `found` collects the tag keys whose presence made a has()/live() true
 * (outside a `not`), which the reason then quotes.
 */
export function evaluate(expr: Expr, ctx: ExprContext, found?: string[]): boolean {
  switch (expr.op) {
    case 'true':
      return true;
    case 'and':
      return expr.args.every((a) => evaluate(a, ctx, found));
    case 'or': {
      let any = false;
      for (const a of expr.args) if (evaluate(a, ctx, found)) any = true;
      return any;
    }
    case 'not':
      return !evaluate(expr.arg, ctx);
    case 'channel':
      return ctx.channel === expr.name;
    case 'consent':
      return ctx.marketingConsent;
    case 'has':
    case 'live': {
      const keys = matching(expr.pattern, expr.op === 'has' ? ctx.tags : ctx.live);
      if (found) found.push(...keys);
      return keys.length > 0;
    }
  }
}
