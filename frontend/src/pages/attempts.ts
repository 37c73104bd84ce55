import type { AttemptView } from '../api/types';

/** The attempt selector's entries, newest first; the latest's value is 'latest' (read without `?attempt=`). */
export function attemptOptions(attempts: AttemptView[]): { value: string; label: string }[] {
  return attempts
    .slice()
    .reverse()
    .map((a) => ({
      value: a.latest ? 'latest' : String(a.number),
      label: `${a.number}${a.latest ? ' (latest)' : ''} · ${a.state.toLowerCase()} · ${a.points} rows${a.reason ? ` · ${a.reason}` : ''}`,
    }));
}

/** The attempt to read for a selector value: undefined means the latest. */
export function attemptOf(value: string): number | undefined {
  return value === 'latest' ? undefined : Number(value);
}
