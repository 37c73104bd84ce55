import type { Brush } from '../charts/parallel';
import { FilterError, parseRange } from './filterGrammar';

/** The metric summary a sweep axis shows, from `GET /api/experiments/{id}/summaries`. */
export type Summary = 'last' | 'min' | 'max';

export const SUMMARIES: Summary[] = ['last', 'min', 'max'];

/** Key of the metric axis; parameter axes are `p:NAME`. */
export const METRIC_AXIS = 'metric';

/**
 * The sweep view's state, kept in the URL:
 * `/experiments/3/sweep?metric=train/loss&summary=min&q=seed<3&b.p:lr=0.001..0.1&b.p:optimizer=in:adamw|muon&b.metric=..0.5&sel=4,7`.
 * A range brush is `LO..HI` in the filter grammar's range syntax (values, not pixels, so the URL survives new
 * runs; either end may be left out); a category brush is `in:` and the categories, each URI-encoded, joined
 * with `|`. `q` is a filter in the runs table's grammar (filterGrammar.ts), applied before the brushes.
 */
export interface SweepState {
  metric: string;
  summary: Summary;
  /** The runs table's filter grammar; runs must pass it and every brush. */
  q: string;
  brushes: Map<string, Brush>;
  sel: number[];
  /** Brushes of the URL that do not parse, each naming its parameter and why; they are ignored, and said so. */
  ignored: string[];
}

export function parseSweepState(search: string): SweepState {
  const p = new URLSearchParams(search);
  const summary = p.get('summary') as Summary;
  const brushes = new Map<string, Brush>();
  const ignored: string[] = [];
  for (const [name, text] of p) {
    if (!name.startsWith('b.')) continue;
    if (name.length <= 2) {
      ignored.push(`${name}=${text}: a brush names its axis, e.g. b.p:lr=0.001..0.1`);
      continue;
    }
    try {
      brushes.set(name.slice(2), readBrush(text));
    } catch (e) {
      ignored.push(`${name}=${text}: ${e instanceof FilterError ? e.reason : String(e)}`);
    }
  }
  return {
    metric: p.get('metric') ?? '',
    summary: SUMMARIES.includes(summary) ? summary : 'last',
    q: p.get('q') ?? '',
    brushes,
    ignored,
    sel: (p.get('sel') ?? '')
      .split(',')
      .filter((s) => /^\d+$/.test(s))
      .map(Number),
  };
}

/** A brush from its URL text; null when it does not parse (a hand-edited URL). */
export function parseBrush(text: string): Brush | null {
  try {
    return readBrush(text);
  } catch {
    return null;
  }
}

/**
 * A brush from its URL text: `in:a|b` or a range in the filter grammar (`a..b`, `..b`, `a..`).
 *
 * @throws FilterError saying why the text is not a brush
 */
function readBrush(text: string): Brush {
  if (text.startsWith('in:')) {
    const rest = text.slice(3);
    try {
      return { kind: 'set', values: rest === '' ? [] : rest.split('|').map(decodeURIComponent) };
    } catch {
      throw new FilterError(text, 'a category is not URI-encoded');
    }
  }
  return { kind: 'range', ...parseRange(text, text) };
}

export function brushText(b: Brush): string {
  if (b.kind === 'set') return `in:${b.values.map(encodeURIComponent).join('|')}`;
  const end = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : '');
  return `${end(b.lo)}..${end(b.hi)}`;
}

export function sweepStateToSearch(s: SweepState): string {
  const p = new URLSearchParams();
  if (s.metric) p.set('metric', s.metric);
  if (s.summary !== 'last') p.set('summary', s.summary);
  if (s.q) p.set('q', s.q);
  for (const [key, b] of [...s.brushes].sort(([a], [b]) => a.localeCompare(b))) p.set(`b.${key}`, brushText(b));
  if (s.sel.length > 0) p.set('sel', s.sel.join(','));
  const text = p.toString();
  return text ? `?${text}` : '';
}
