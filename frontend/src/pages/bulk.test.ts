import { describe, expect, it } from 'vitest';
import { bulkSummary, runBulk } from './bulk';

describe('runBulk', () => {
  it('goes on past refusals and reports each with the server sentence', async () => {
    const seen: number[] = [];
    const outcome = await runBulk(
      [5, 6, 7, 8],
      async (id) => {
        seen.push(id);
        if (id % 2 === 0) throw new Error(`/api/runs/${id}: 409 run ${id} is running; cancel it first`);
      },
      2,
    );
    expect(seen.sort()).toEqual([5, 6, 7, 8]);
    expect(outcome.done).toEqual([5, 7]);
    expect(outcome.failed).toEqual([
      { runId: 6, message: '409 run 6 is running; cancel it first' },
      { runId: 8, message: '409 run 8 is running; cancel it first' },
    ]);
    expect(bulkSummary('delete', outcome)).toBe('2 runs deleted; 2 runs refused:');
  });

  it('never has more requests in flight than asked', async () => {
    let inFlight = 0;
    let most = 0;
    await runBulk(
      Array.from({ length: 10 }, (_, i) => i),
      async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
      },
      3,
    );
    expect(most).toBe(3);
  });

  it('says one run in the singular', async () => {
    expect(bulkSummary('archive', await runBulk([1], async () => undefined))).toBe('1 run archived.');
  });
});
