import { describe, expect, it } from 'vitest';
import type { RunView, SummaryView } from '../api/types';
import {
  concatCsv,
  csvCell,
  defaultColumns,
  filterRows,
  formatValue,
  joinSummaries,
  parseTableState,
  rowsToCsv,
  sortRows,
  tableStateToSearch,
  varyingParams,
} from './runs';

function run(params: RunView['params']): RunView {
  return {
    id: 1,
    experimentId: 1,
    experimentName: 'e',
    index: 0,
    seed: 0,
    state: 'QUEUED',
    params,
    attempt: 0,
    executor: null,
    exitCode: null,
    message: null,
    createdAt: '',
    startedAt: null,
    finishedAt: null,
    displayName: null,
    note: null,
    tags: [],
    archived: false,
    prunedAtResource: null,
  };
}

describe('varyingParams', () => {
  it('lists only parameters that differ, sorted', () => {
    const runs = [
      run({ lr: 0.1, optimizer: 'adamw', steps: 500 }),
      run({ lr: 0.2, optimizer: 'adamw', steps: 500 }),
      run({ lr: 0.1, optimizer: 'muon', steps: 500 }),
    ];
    expect(varyingParams(runs)).toEqual(['lr', 'optimizer']);
  });

  it('counts a parameter missing from some runs as varying', () => {
    expect(varyingParams([run({ a: 1 }), run({})])).toEqual(['a']);
  });

  it('is empty for no runs', () => {
    expect(varyingParams([])).toEqual([]);
  });
});

describe('formatValue', () => {
  it('keeps float precision and prints booleans', () => {
    expect(formatValue(0.0001)).toBe('0.0001');
    expect(formatValue(true)).toBe('true');
    expect(formatValue(undefined)).toBe('');
  });
});

function runWith(id: number, state: string, params: RunView['params']): RunView {
  return { ...run(params), id, state, seed: id };
}

function summary(runId: number, metric: string, last: number | null): SummaryView {
  return { runId, metric, last, min: last, max: last, count: 1 };
}

const rows = joinSummaries(
  [
    runWith(1, 'SUCCEEDED', { lr: 0.1, optimizer: 'adamw' }),
    runWith(2, 'FAILED', { lr: 0.01, optimizer: 'muon' }),
    runWith(3, 'SUCCEEDED', { lr: 1, optimizer: 'muon' }),
  ],
  [summary(1, 'loss', 2.5), summary(3, 'loss', 0.5), summary(2, 'loss', null)],
);

describe('filterRows', () => {
  it('filters by state, parameter value, numeric comparison on metrics and free text', () => {
    expect(filterRows(rows, 'SUCCEEDED', '').map((r) => r.run.id)).toEqual([1, 3]);
    expect(filterRows(rows, '', 'optimizer=muon').map((r) => r.run.id)).toEqual([2, 3]);
    expect(filterRows(rows, '', 'lr=1').map((r) => r.run.id)).toEqual([3]);
    expect(filterRows(rows, '', 'loss<1').map((r) => r.run.id)).toEqual([3]);
    expect(filterRows(rows, '', 'ADAM').map((r) => r.run.id)).toEqual([1]);
    expect(filterRows(rows, 'SUCCEEDED', 'muon').map((r) => r.run.id)).toEqual([3]);
  });

  it('applies every operator, ranges with one or two ends, and state', () => {
    const ids = (q: string) => filterRows(rows, '', q).map((r) => r.run.id);
    expect(ids('optimizer!=muon')).toEqual([1]);
    expect(ids('lr>=0.1')).toEqual([1, 3]);
    expect(ids('lr<=0.1')).toEqual([1, 2]);
    expect(ids('lr>0.1')).toEqual([3]);
    expect(ids('lr=0.01..0.1')).toEqual([1, 2]);
    expect(ids('loss=..0.5')).toEqual([3]); // one-ended: only a "to"
    expect(ids('loss=1..')).toEqual([1]); // only a "from"
    expect(ids('state=FAILED')).toEqual([2]);
    expect(ids('state!=FAILED')).toEqual([1, 3]);
    expect(ids('seed>=2 optimizer=muon')).toEqual([2, 3]);
    expect(ids('loss!=0.5')).toEqual([1]); // run 2 has no loss value: matches no comparison
  });

  it('keeps runs with (tag:NAME) or without (!tag:NAME) a tag, as the server does', () => {
    const tagged = joinSummaries(
      [
        { ...runWith(1, 'SUCCEEDED', {}), tags: ['baseline', 'lr-study'], displayName: 'reference run' },
        { ...runWith(2, 'SUCCEEDED', {}), tags: ['lr-study'] },
        runWith(3, 'FAILED', {}),
      ],
      [],
    );
    const ids = (q: string) => filterRows(tagged, '', q).map((r) => r.run.id);
    expect(ids('tag:baseline')).toEqual([1]);
    expect(ids('tag:lr-study')).toEqual([1, 2]);
    expect(ids('!tag:baseline')).toEqual([2, 3]);
    expect(ids('tag:lr-study !tag:baseline')).toEqual([2]);
    expect(ids('reference')).toEqual([1]); // the display name is searched as free text
    expect(() => ids('tag:a=b')).toThrow(
      "'tag:a=b': a tag filter is tag:NAME, or !tag:NAME for runs without the tag; no operator",
    );
    expect(() => ids('tag:')).toThrow("'tag:': a tag is 1–64 letters");
  });

  it('searches parameter values, not parameter names', () => {
    const named = joinSummaries([runWith(7, 'SUCCEEDED', { muon_scale: 2, optimizer: 'adamw' })], []);
    expect(filterRows(named, '', 'muon')).toEqual([]);
    expect(filterRows(named, '', 'adamw').map((r) => r.run.id)).toEqual([7]);
  });

  it('rejects what does not parse, naming the token', () => {
    expect(() => filterRows(rows, '', 'adamw lr<abc')).toThrow("'lr<abc': < needs a number, got 'abc'");
    expect(() => filterRows(rows, '', '=3')).toThrow("'=3': a name must come before =");
    expect(() => filterRows(rows, '', 'lr>=')).toThrow("'lr>=': a value must follow >=");
    expect(() => filterRows(rows, '', 'lr<0.1..1')).toThrow("'lr<0.1..1': a range needs =, not <");
    expect(() => filterRows(rows, '', 'lr=..')).toThrow("'lr=..': a range needs at least one end");
    expect(() => filterRows(rows, '', 'lr=x..1')).toThrow("'lr=x..1': range start 'x' is not a number");
    expect(() => filterRows(rows, '', 'lr=2..1')).toThrow("'lr=2..1': range start 2 is above its end 1");
    expect(() => filterRows(rows, '', 'a=b=c')).toThrow("'a=b=c': one operator per term");
  });
});

describe('sortRows', () => {
  it('sorts numerically either way with missing values last', () => {
    expect(sortRows(rows, 'm:loss', false).map((r) => r.run.id)).toEqual([3, 1, 2]);
    expect(sortRows(rows, 'm:loss', true).map((r) => r.run.id)).toEqual([1, 3, 2]);
    expect(sortRows(rows, 'p:lr', false).map((r) => r.run.id)).toEqual([2, 1, 3]);
    expect(sortRows(rows, 'p:optimizer', true).map((r) => r.run.id)).toEqual([2, 3, 1]);
  });
});

describe('table URL state', () => {
  it('round-trips through the query string', () => {
    const state = {
      state: 'RUNNING',
      q: 'lr=0.1 adam',
      sort: { key: 'm:loss', desc: true },
      cols: ['p:lr', 'm:loss'],
      sel: [3, 4],
    };
    const search = tableStateToSearch(state);
    expect(search).toContain('sort=-m%3Aloss');
    expect(parseTableState(search)).toEqual(state);
  });

  it('defaults when the query string is empty and ignores junk selections', () => {
    expect(parseTableState('?sel=1,x,2')).toEqual({ state: '', q: '', sort: null, cols: null, sel: [1, 2] });
    expect(tableStateToSearch(parseTableState(''))).toBe('');
  });
});

describe('columns and CSV', () => {
  it('defaults to the varying parameters and every metric', () => {
    expect(defaultColumns(rows)).toEqual(['p:lr', 'p:optimizer', 'm:loss']);
  });

  it('escapes formula-like cells and quotes commas', () => {
    expect(csvCell('=cmd()')).toBe("'=cmd()");
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(rowsToCsv(rows.slice(0, 1), ['p:lr', 'm:loss'])).toBe(
      'run,state,seed,lr,loss (last)\n1,SUCCEEDED,1,0.1,2.5\n',
    );
  });

  it('concatenates run exports under one header', () => {
    expect(concatCsv(['run,step\n1,0\n', '', 'run,step\n2,0\n2,1\n'])).toBe('run,step\n1,0\n2,0\n2,1\n');
  });
});
