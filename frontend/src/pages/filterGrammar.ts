/**
 * The one filter grammar of the runs table and the sweep view (the server's `filter=` and `replica ls
 * --where` take the same operators): whitespace-separated terms, all of which must hold.
 *
 * - `name OP value` with OP one of `=`, `!=`, `<`, `<=`, `>`, `>=`; `<`…`>=` need a number.
 * - `name=a..b`, `name=..b`, `name=a..`: an inclusive range (one end may be open).
 * - `tag:NAME` keeps runs that carry the tag, `!tag:NAME` runs that do not (the server's `filter=tag:NAME`).
 * - anything else without an operator is free text, searched in the run's id, state, experiment, message,
 *   executor and parameter values — never in parameter names.
 *
 * A name is a parameter, a metric (its last value), `state`, `seed` or `id`. Anything that does not parse
 * is an error that names the token.
 */

export type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Term =
  | { kind: 'compare'; name: string; op: Op; value: string; number: number }
  | { kind: 'range'; name: string; lo: number; hi: number }
  | { kind: 'tag'; tag: string; negated: boolean }
  | { kind: 'text'; text: string };

export class FilterError extends Error {
  constructor(
    readonly token: string,
    readonly reason: string,
  ) {
    super(`'${token}': ${reason}`);
  }
}

const OPERATOR = /(<=|>=|!=|<|>|=)/;
const TAG_TERM = /^(!?)tag:(.*)$/;
/** What a tag may be; the server's Tags.check says the same. */
const TAG = /^[A-Za-z0-9][A-Za-z0-9._/+-]{0,63}$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function toNumber(text: string): number {
  return NUMBER.test(text) ? Number(text) : NaN;
}

const RANGE = /^(.*)\.\.(.*)$/;

/** Whether `value` is written as a range `a..b` (either end may be left out). */
export function isRange(value: string): boolean {
  return RANGE.test(value);
}

/**
 * The inclusive range `a..b`, `..b` or `a..` of a filter term or a sweep-view brush (one parser for both,
 * so `..0.3` means "at most 0.3" everywhere); an open end is ±Infinity.
 *
 * @throws FilterError naming `token` when an end is not a number, both ends are missing, or start > end
 */
export function parseRange(token: string, value: string): { lo: number; hi: number } {
  const range = value.match(RANGE);
  if (!range) throw new FilterError(token, `'${value}' is not a range a..b`);
  const [, a, b] = range;
  if (a === '' && b === '') throw new FilterError(token, 'a range needs at least one end');
  const lo = a === '' ? -Infinity : toNumber(a);
  const hi = b === '' ? Infinity : toNumber(b);
  if (Number.isNaN(lo)) throw new FilterError(token, `range start '${a}' is not a number`);
  if (Number.isNaN(hi)) throw new FilterError(token, `range end '${b}' is not a number`);
  if (lo > hi) throw new FilterError(token, `range start ${a} is above its end ${b}`);
  return { lo, hi };
}

/** Parses the terms of `q`; throws {@link FilterError} naming the first token that does not parse. */
export function parseFilter(q: string): Term[] {
  const terms: Term[] = [];
  for (const token of q.trim().split(/\s+/)) {
    if (token === '') continue;
    const tag = token.match(TAG_TERM);
    if (tag) {
      if (OPERATOR.test(tag[2])) {
        throw new FilterError(token, 'a tag filter is tag:NAME, or !tag:NAME for runs without the tag; no operator');
      }
      if (!TAG.test(tag[2])) {
        throw new FilterError(
          token,
          "a tag is 1–64 letters, digits, '.', '_', '-', '/' or '+', starting with a letter or digit",
        );
      }
      terms.push({ kind: 'tag', tag: tag[2], negated: tag[1] === '!' });
      continue;
    }
    const m = token.match(OPERATOR);
    if (!m || m.index === undefined) {
      terms.push({ kind: 'text', text: token.toLowerCase() });
      continue;
    }
    const name = token.slice(0, m.index);
    const op = m[1] as Op;
    const value = token.slice(m.index + op.length);
    if (name === '') throw new FilterError(token, `a name must come before ${op}`);
    if (value === '') throw new FilterError(token, `a value must follow ${op}`);
    if (OPERATOR.test(value)) throw new FilterError(token, 'one operator per term');
    if (isRange(value)) {
      if (op !== '=') throw new FilterError(token, `a range needs =, not ${op}`);
      terms.push({ kind: 'range', name, ...parseRange(token, value) });
      continue;
    }
    const number = toNumber(value);
    if (op !== '=' && op !== '!=' && Number.isNaN(number)) {
      throw new FilterError(token, `${op} needs a number, got '${value}'`);
    }
    terms.push({ kind: 'compare', name, op, value, number });
  }
  return terms;
}

/** What a term reads from a run: a named value (undefined when the run has none) and the free text. */
export interface Subject {
  value(name: string): string | number | boolean | null | undefined;
  text(): string;
  tags(): readonly string[];
}

/** Whether `term` holds for `s`. A run without the named value matches no comparison (not even !=). */
export function holds(term: Term, s: Subject): boolean {
  if (term.kind === 'text') return s.text().includes(term.text);
  if (term.kind === 'tag') return s.tags().includes(term.tag) !== term.negated;
  const v = s.value(term.name);
  if (v === undefined || v === null) return false;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? toNumber(v) : NaN;
  if (term.kind === 'range') return !Number.isNaN(n) && n >= term.lo && n <= term.hi;
  const equal = String(v) === term.value || (!Number.isNaN(n) && !Number.isNaN(term.number) && n === term.number);
  switch (term.op) {
    case '=':
      return equal;
    case '!=':
      return !equal;
    case '<':
      return !Number.isNaN(n) && n < term.number;
    case '<=':
      return !Number.isNaN(n) && n <= term.number;
    case '>':
      return !Number.isNaN(n) && n > term.number;
    case '>=':
      return !Number.isNaN(n) && n >= term.number;
  }
}
