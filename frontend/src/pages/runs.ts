import { holds, parseFilter } from './filterGrammar';
import type { ParamValue, RunView, SummaryView } from '../api/types';

/** Parameters whose value differs between at least two runs, sorted: the columns worth showing. */
export function varyingParams(runs: RunView[]): string[] {
  if (runs.length === 0) return [];
  const first = runs[0].params;
  const varying = new Set<string>();
  for (const run of runs) {
    for (const [name, value] of Object.entries(run.params)) {
      if (first[name] !== value) varying.add(name);
    }
    for (const name of Object.keys(first)) {
      if (!(name in run.params)) varying.add(name);
    }
  }
  return [...varying].sort();
}

/** Formats a parameter value for a table cell; floats keep their precision. */
export function formatValue(value: ParamValue | null | undefined): string {
  if (value === undefined || value === null) return '';
  return String(value);
}

/** A run with its metric summaries keyed by metric name. */
export interface RunRow {
  run: RunView;
  metrics: Record<string, SummaryView>;
}

export function joinSummaries(runs: RunView[], summaries: SummaryView[]): RunRow[] {
  const byRun = new Map<number, Record<string, SummaryView>>();
  for (const s of summaries) {
    let m = byRun.get(s.runId);
    if (!m) byRun.set(s.runId, (m = {}));
    m[s.metric] = s;
  }
  return runs.map((run) => ({ run, metrics: byRun.get(run.id) ?? {} }));
}

/**
 * What the runs table shows, kept in the URL: `?state=RUNNING&q=lr=0.1 adam&sort=-m:loss&cols=p:lr,m:loss&sel=3,4`.
 * Column keys: `id`, `name`, `index`, `state`, `seed`, `reason` (why a run failed), `p:NAME` (a parameter),
 * `m:NAME` (a metric's last value), `min:NAME` / `max:NAME` (its smallest / largest value).
 */
export interface TableState {
  state: string;
  q: string;
  sort: { key: string; desc: boolean } | null;
  /** Columns chosen by the user, in order; null means the remembered choice, else the default. */
  cols: string[] | null;
  sel: number[];
  /** archived runs shown too (`archived=1`) */
  archived: boolean;
}

export function parseTableState(search: string): TableState {
  const p = new URLSearchParams(search);
  const sortText = p.get('sort');
  const cols = p.get('cols');
  return {
    state: p.get('state') ?? '',
    q: p.get('q') ?? '',
    sort: sortText ? { key: sortText.replace(/^-/, ''), desc: sortText.startsWith('-') } : null,
    cols: cols === null ? null : cols.split(',').filter((c) => c !== ''),
    sel: (p.get('sel') ?? '')
      .split(',')
      .filter((s) => /^\d+$/.test(s))
      .map(Number),
    archived: p.get('archived') === '1',
  };
}

export function tableStateToSearch(s: TableState): string {
  const p = new URLSearchParams();
  if (s.state) p.set('state', s.state);
  if (s.q) p.set('q', s.q);
  if (s.sort) p.set('sort', (s.sort.desc ? '-' : '') + s.sort.key);
  if (s.cols !== null) p.set('cols', s.cols.join(','));
  if (s.sel.length > 0) p.set('sel', s.sel.join(','));
  if (s.archived) p.set('archived', '1');
  const text = p.toString();
  return text ? `?${text}` : '';
}

/** States whose message says why a run did not finish: the failure-reason column shows it. */
const ENDED_BADLY = new Set(['FAILED', 'CANCELLED', 'INTERRUPTED', 'PRUNED']);

/** The metrics logged by any run, sorted. */
export function metricNames(rows: RunRow[]): string[] {
  const metrics = new Set<string>();
  for (const r of rows) for (const m of Object.keys(r.metrics)) metrics.add(m);
  return [...metrics].sort();
}

/**
 * Default columns: the display name, the state, the primary metric's last value and its best (min or max by
 * the goal), the varying parameters, the failure reason, then every other metric's last value.
 */
export function defaultColumns(rows: RunRow[], primary: string | null = null, goal: string | null = null): string[] {
  const metrics = metricNames(rows);
  const head = ['name', 'state'];
  if (primary) head.push(`m:${primary}`, `${goal?.toLowerCase() === 'max' ? 'max' : 'min'}:${primary}`);
  return [
    ...head,
    ...varyingParams(rows.map((r) => r.run)).map((p) => `p:${p}`),
    'reason',
    ...metrics.filter((m) => m !== primary).map((m) => `m:${m}`),
  ];
}

/**
 * Every column the chooser offers, defaults first in their order, then the index, seed, parameters that do
 * not vary and each metric's minimum and maximum.
 */
export function availableColumns(rows: RunRow[], defaults: string[]): string[] {
  const params = new Set<string>();
  for (const r of rows) for (const p of Object.keys(r.run.params)) params.add(p);
  const metrics = metricNames(rows);
  return [
    ...new Set([
      ...defaults,
      'index',
      'seed',
      ...[...params].sort().map((p) => `p:${p}`),
      ...metrics.map((m) => `m:${m}`),
      ...metrics.flatMap((m) => [`min:${m}`, `max:${m}`]),
    ]),
  ];
}

/** Keeps the chosen columns that still exist, in the order they were chosen. */
export function keepKnownColumns(chosen: string[], available: string[]): string[] {
  const known = new Set(available);
  return chosen.filter((c) => known.has(c));
}

/** The columns with `key` moved one place left (-1) or right (+1); unchanged at either end. */
export function moveColumn(columns: string[], key: string, by: -1 | 1): string[] {
  const from = columns.indexOf(key);
  const to = from + by;
  if (from < 0 || to < 0 || to >= columns.length) return columns;
  const next = [...columns];
  [next[from], next[to]] = [next[to], next[from]];
  return next;
}

/** Where the column choice of one experiment is remembered in this browser (localStorage). */
export function columnsStorageKey(experimentId: number): string {
  return `replica.columns.${experimentId}`;
}

/** A remembered column choice, or null when there is none or it does not read as a list of names. */
export function parseStoredColumns(text: string | null): string[] | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;
  } catch {
    return null;
  }
}

/** The value of a column for one row: a number where one exists (so sorting is numeric), else text. */
export function cellValue(row: RunRow, key: string): string | number | boolean | null {
  const { run } = row;
  switch (key) {
    case 'id':
      return run.id;
    case 'name':
      return run.displayName;
    case 'index':
      return run.index;
    case 'state':
      return run.state;
    case 'seed':
      return run.seed;
    case 'reason':
      return ENDED_BADLY.has(run.state) ? run.message : null;
    default: {
      const colon = key.indexOf(':');
      const name = key.slice(colon + 1);
      switch (key.slice(0, colon)) {
        case 'p':
          return run.params[name] ?? null;
        case 'm':
          return row.metrics[name]?.last ?? null;
        case 'min':
          return row.metrics[name]?.min ?? null;
        case 'max':
          return row.metrics[name]?.max ?? null;
        default:
          return null;
      }
    }
  }
}

/** True for columns whose cells are numbers (right-aligned, formatted). */
export function isMetricColumn(key: string): boolean {
  return /^(m|min|max):/.test(key);
}

export function columnLabel(key: string): string {
  if (key.startsWith('p:')) return key.slice(2);
  if (key.startsWith('m:')) return `${key.slice(2)} (last)`;
  if (key.startsWith('min:')) return `${key.slice(4)} (best, min)`;
  if (key.startsWith('max:')) return `${key.slice(4)} (best, max)`;
  return { id: 'Run', name: 'Name', index: '#', state: 'State', seed: 'Seed', reason: 'Failure reason' }[key] ?? key;
}

/**
 * Filters rows: `state` matches the run state exactly, and every term of `q` must hold (see
 * {@link parseFilter}: `name OP value`, ranges `name=a..b`, free text in names and values).
 *
 * @throws FilterError naming the token of `q` that does not parse
 */
export function filterRows(rows: RunRow[], state: string, q: string): RunRow[] {
  const terms = parseFilter(q);
  if (!state && terms.length === 0) return rows;
  return rows.filter(
    (r) =>
      (!state || r.run.state === state) &&
      terms.every((t) =>
        holds(t, {
          value: (name) => valueOf(r, name),
          text: () => searchText(r),
          tags: () => r.run.tags ?? [],
        }),
      ),
  );
}

/** A parameter, else a metric's last value, else the run's state, seed or id. */
function valueOf(r: RunRow, name: string): string | number | boolean | null | undefined {
  if (name in r.run.params) return r.run.params[name] as string | number | boolean | null;
  if (name in r.metrics) return r.metrics[name]?.last;
  if (name === 'state') return r.run.state;
  if (name === 'seed') return r.run.seed;
  if (name === 'id') return r.run.id;
  return undefined;
}

const searchCache = new WeakMap<RunRow, string>();

function searchText(r: RunRow): string {
  let text = searchCache.get(r);
  if (text === undefined) {
    const { run } = r;
    text = [
      run.id,
      run.state,
      run.experimentName,
      run.displayName ?? '',
      run.message ?? '',
      run.executor ?? '',
      // values only: `muon` must not match every run through a parameter named muon_scale
      ...Object.values(run.params).map((v) => String(v)),
    ]
      .join(' ')
      .toLowerCase();
    searchCache.set(r, text);
  }
  return text;
}

/** Sorts a copy by one column; missing values and NaN go last whichever the direction. */
export function sortRows(rows: RunRow[], key: string, desc: boolean): RunRow[] {
  const keyed = rows.map((r) => ({ r, v: cellValue(r, key) }));
  keyed.sort((a, b) => {
    const am = a.v === null || (typeof a.v === 'number' && Number.isNaN(a.v));
    const bm = b.v === null || (typeof b.v === 'number' && Number.isNaN(b.v));
    if (am || bm) return am === bm ? 0 : am ? 1 : -1;
    let c: number;
    if (typeof a.v === 'number' && typeof b.v === 'number') c = a.v - b.v;
    else c = String(a.v).localeCompare(String(b.v), undefined, { numeric: true });
    return desc ? -c : c;
  });
  return keyed.map((k) => k.r);
}

/**
 * A CSV cell, escaped as the server's exports do (MetricExport.csvText): a number as it is; text that starts
 * with = + - @, a tab or a carriage return gets a leading `'` (formula injection); quoted when needed.
 */
export function csvCell(value: unknown): string {
  if (typeof value === 'number') return String(value);
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The table as CSV: run id, state, seed, then the given columns. */
export function rowsToCsv(rows: RunRow[], columns: string[]): string {
  const head = ['run', 'state', 'seed', ...columns.map(columnLabel)];
  const lines = [head.map(csvCell).join(',')];
  for (const r of rows) {
    lines.push([r.run.id, r.run.state, r.run.seed, ...columns.map((c) => cellValue(r, c))].map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Concatenates long-format CSV exports of several runs, keeping the first header only. */
export function concatCsv(parts: string[]): string {
  let header: string | null = null;
  const out: string[] = [];
  for (const part of parts) {
    const lines = part.split(/\r?\n/).filter((l) => l !== '');
    if (lines.length === 0) continue;
    if (header === null) {
      header = lines[0];
      out.push(header);
    }
    out.push(...lines.slice(lines[0] === header ? 1 : 0));
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
