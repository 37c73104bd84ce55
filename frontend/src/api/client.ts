import type { ExperimentView, RunView } from './types';

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = await response.json();
      detail = problem.detail ?? detail;
    } catch {
      // not problem+json: keep the status text
    }
    throw new Error(`${path}: ${response.status} ${detail}`);
  }
  return response.json() as Promise<T>;
}

export const api = {
  experiments: () => getJson<ExperimentView[]>('/api/experiments'),
  experiment: (id: number) => getJson<ExperimentView>(`/api/experiments/${id}`),
  runs: (experimentId: number) => getJson<RunView[]>(`/api/runs?experiment=${experimentId}&limit=10000`),
};
