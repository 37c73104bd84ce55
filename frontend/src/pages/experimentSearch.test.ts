import { describe, expect, it } from 'vitest';
import type { ExperimentView } from '../api/types';
import { filterExperiments } from './experimentSearch';

function experiment(id: number, name: string, tags: string[], displayName: string | null = null): ExperimentView {
  return {
    id,
    name,
    description: '',
    kind: 'optimizer-sweep',
    specFile: '',
    primaryMetric: null,
    metricGoal: null,
    runCount: 0,
    createdAt: '',
    runsByState: {},
    specText: null,
    displayName,
    note: null,
    tags,
    archived: false,
  };
}

describe('filterExperiments', () => {
  const list = [
    experiment(1, 'muon-vs-adamw', ['baseline', 'lr-study']),
    experiment(2, 'char-transformer', ['lr-study'], 'Shakespeare'),
    experiment(3, 'rl-cartpole', []),
  ];
  const ids = (q: string) => filterExperiments(list, q).map((e) => e.id);

  it('matches names, display names and tags as text, case-insensitively', () => {
    expect(ids('')).toEqual([1, 2, 3]);
    expect(ids('MUON')).toEqual([1]);
    expect(ids('shakespeare')).toEqual([2]);
    expect(ids('lr-study')).toEqual([1, 2]);
    expect(ids('transformer study')).toEqual([2]);
  });

  it('wants a tag with tag:NAME and its absence with !tag:NAME', () => {
    expect(ids('tag:baseline')).toEqual([1]);
    expect(ids('!tag:baseline')).toEqual([2, 3]);
    expect(ids('tag:lr-study !tag:baseline')).toEqual([2]);
    expect(ids('tag:lr')).toEqual([]); // a tag matches whole
  });
});
