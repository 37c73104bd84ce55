import type { ApiNumber, EventView, SummaryView } from '../api/types';
import type { RunRow } from './runs';

/** What one live event did to the runs table. */
export type EventEffect = 'changed' | 'unknown-run' | 'ignored';

function toNumber(v: ApiNumber | undefined): number | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'number' ? v : Number(v);
}

/**
 * Applies a live event (`/api/events`) to the table's rows in place: a state event sets the run's state and
 * message, a metrics event its metrics' last values (and widens min and max by them; the exact extremes come
 * with the next summaries fetch, as points between two events are not sent). A changed row is a new object,
 * so caches keyed by row see the change. `unknown-run` asks the caller to fetch the run list again.
 */
export function applyEvent(rows: RunRow[], index: Map<number, number>, event: EventView): EventEffect {
  const at = index.get(event.runId);
  if (at === undefined) return event.type === 'state' ? 'unknown-run' : 'ignored';
  const row = rows[at];
  if (event.type === 'state' && event.to) {
    rows[at] = {
      run: { ...row.run, state: event.to, message: event.message ?? row.run.message },
      metrics: row.metrics,
    };
    return 'changed';
  }
  if (event.type === 'metrics' && event.latest) {
    const metrics = { ...row.metrics };
    for (const [name, raw] of Object.entries(event.latest)) {
      const value = toNumber(raw);
      const old: SummaryView = metrics[name] ?? {
        runId: row.run.id,
        metric: name,
        last: null,
        min: null,
        max: null,
        count: 0,
      };
      const finite = value !== null && Number.isFinite(value);
      metrics[name] = {
        ...old,
        last: value,
        min: finite && (old.min === null || value < old.min) ? value : old.min,
        max: finite && (old.max === null || value > old.max) ? value : old.max,
      };
    }
    rows[at] = { run: row.run, metrics };
    return 'changed';
  }
  return 'ignored';
}

/** Row position by run id, for {@link applyEvent}. */
export function indexRows(rows: RunRow[]): Map<number, number> {
  return new Map(rows.map((r, i) => [r.run.id, i]));
}

/**
 * Runs `task` at most once per `ms` however often {@link request} is called, and never twice at once: a request
 * during a run schedules one more run after it. Keeps a busy experiment from refetching on every event.
 */
export class Throttle {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private again = false;

  constructor(
    private readonly task: () => Promise<void> | void,
    private readonly ms: number,
  ) {}

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer !== null) return;
    this.timer = setTimeout(() => void this.fire(), this.ms);
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.again = false;
  }

  private async fire(): Promise<void> {
    this.timer = null;
    this.running = true;
    try {
      await this.task();
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.request();
      }
    }
  }
}
