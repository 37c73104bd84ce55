import { api } from '../api/client';

/** What the runs table's bulk buttons do to each selected run, through the single-run endpoints. */
export type BulkAction = 'archive' | 'unarchive' | 'delete' | 'cancel' | 'retry';

export const BULK_ACTIONS: { action: BulkAction; label: string; past: string }[] = [
  { action: 'archive', label: 'Archive', past: 'archived' },
  { action: 'unarchive', label: 'Unarchive', past: 'unarchived' },
  { action: 'cancel', label: 'Cancel', past: 'cancelled' },
  { action: 'retry', label: 'Retry', past: 'queued again' },
  { action: 'delete', label: 'Delete…', past: 'deleted' },
];

/** The request of one action for one run. */
export function bulkRequest(action: BulkAction, runId: number): Promise<unknown> {
  switch (action) {
    case 'archive':
      return api.patchRun(runId, { archived: true });
    case 'unarchive':
      return api.patchRun(runId, { archived: false });
    case 'delete':
      return api.deleteRun(runId);
    case 'cancel':
      return api.cancel(runId);
    case 'retry':
      return api.retry(runId);
  }
}

export interface BulkOutcome {
  done: number[];
  /** each refused run with the server's reason */
  failed: { runId: number; message: string }[];
}

/**
 * Applies `act` to every run, `parallel` at a time, in the order given; a refusal of one run (deleting a running
 * one, say) is recorded with its reason and the others go on.
 */
export async function runBulk(
  runIds: number[],
  act: (runId: number) => Promise<unknown>,
  parallel = 4,
): Promise<BulkOutcome> {
  const ok = new Set<number>();
  const failed = new Map<number, string>();
  let next = 0;
  async function worker(): Promise<void> {
    while (next < runIds.length) {
      const id = runIds[next++];
      try {
        await act(id);
        ok.add(id);
      } catch (e) {
        failed.set(id, reason(e));
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, runIds.length) }, () => worker()));
  return {
    done: runIds.filter((id) => ok.has(id)),
    failed: runIds.filter((id) => failed.has(id)).map((runId) => ({ runId, message: failed.get(runId)! })),
  };
}

/** The server's sentence without the request path the client puts before it. */
function reason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/^\/api\/\S+: /, '');
}

/** One line for the status region: how many runs the action reached and how many it could not. */
export function bulkSummary(action: BulkAction, outcome: BulkOutcome): string {
  const past = BULK_ACTIONS.find((a) => a.action === action)!.past;
  const runs = (n: number) => `${n} run${n === 1 ? '' : 's'}`;
  const head = `${runs(outcome.done.length)} ${past}`;
  return outcome.failed.length === 0 ? `${head}.` : `${head}; ${runs(outcome.failed.length)} refused:`;
}
