import type { ParamValue, RunView } from '../api/types';

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
export function formatValue(value: ParamValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number' && !Number.isInteger(value)) return String(value);
  return String(value);
}
