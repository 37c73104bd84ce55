import type { RunView } from '../api/types';

/** A queued run with no parameters, for unit tests; `overrides` sets what a test is about. */
export function testRun(overrides: Partial<RunView> = {}): RunView {
  return {
    id: 1,
    experimentId: 1,
    experimentName: 'e',
    index: 0,
    seed: 0,
    state: 'QUEUED',
    params: {},
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
    ...overrides,
  };
}
