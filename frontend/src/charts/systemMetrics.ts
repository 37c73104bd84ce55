/**
 * System metrics: the CPU, memory and GPU samples the backend appends to every run under `sys/`. They measure
 * the machine, not the computation, so they get their own section on the run page and are never picked as the
 * metric a page opens on.
 */
export const SYSTEM_PREFIX = 'sys/';

export function isSystemMetric(name: string): boolean {
  return name.startsWith(SYSTEM_PREFIX);
}

/** The metric a page shows when nothing is picked: the first of `sorted` that is the run's own. */
export function defaultMetric(sorted: readonly string[]): string {
  return sorted.find((m) => !isSystemMetric(m)) ?? sorted[0] ?? '';
}
