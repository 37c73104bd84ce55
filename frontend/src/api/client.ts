import type {
  ArtifactView,
  AttemptView,
  DeletedView,
  DiffView,
  ExperimentView,
  GroupsView,
  LabelPatch,
  LabelView,
  RunDetailView,
  RunView,
  Series,
  SummaryView,
} from './types';

/** A 401: this server wants a token or a signed-in session (docs/security.md); the page offers a sign-in. */
export class AuthRequiredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthRequiredError';
  }
}

/**
 * Every call carries the session cookie (HttpOnly, set by signing in); the browser adds it to same-origin
 * requests, EventSource included, and never to another site's. Writes name their content type, so that no
 * request of this workbench looks like one a foreign page could send (the server refuses those).
 */
const CREDENTIALS: RequestCredentials = 'same-origin';

async function check(path: string, response: Response): Promise<Response> {
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = await response.json();
      detail = problem.detail ?? problem.title ?? detail;
    } catch {
      // not problem+json: keep the status text
    }
    if (response.status === 401) throw new AuthRequiredError(`${path}: ${detail}`);
    throw new Error(`${path}: ${response.status} ${detail}`);
  }
  return response;
}

async function getJson<T>(path: string): Promise<T> {
  const response = await check(
    path,
    await fetch(path, { headers: { Accept: 'application/json' }, credentials: CREDENTIALS }),
  );
  return response.json() as Promise<T>;
}

async function getText(path: string): Promise<string> {
  return (await check(path, await fetch(path, { credentials: CREDENTIALS }))).text();
}

async function send<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const response = await check(
    path,
    await fetch(path, {
      method,
      headers:
        body === undefined
          ? { Accept: 'application/json' }
          : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: CREDENTIALS,
    }),
  );
  // 204 No Content (a DELETE that returns nothing)
  if (response.status === 204) return undefined as T;
  return response.json() as Promise<T>;
}

/** Live events of the server (`GET /api/events`), with the session cookie. */
export function events(experimentId: number): EventSource {
  return new EventSource(`/api/events?experiment=${experimentId}`, { withCredentials: true });
}

/** Live events of every experiment (the experiments list). */
export function allEvents(): EventSource {
  return new EventSource('/api/events', { withCredentials: true });
}

/** What the server asks of callers (`GET /api/session`). */
export interface SessionView {
  tokensRequired: boolean;
  readsProtected: boolean;
  signedIn: boolean;
  scope: string | null;
}

export interface SeriesQuery {
  buckets?: number;
  /** one attempt of a retried run; the latest when left out */
  attempt?: number;
  x?: string;
  from?: number;
  to?: number;
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
}

export const api = {
  experiments: () => getJson<ExperimentView[]>('/api/experiments'),
  experiment: (id: number) => getJson<ExperimentView>(`/api/experiments/${id}`),
  /** The runs of an experiment; archived ones too with `archived`. */
  runs: (experimentId: number, archived = false) =>
    getJson<RunView[]>(`/api/runs?experiment=${experimentId}&limit=10000${archived ? '&archived=all' : ''}`),
  run: (id: number) => getJson<RunDetailView>(`/api/runs/${id}`),
  /** Several runs with their histories and summaries in one request, in the order asked. */
  details: (ids: number[]) => getJson<RunDetailView[]>(`/api/runs/details?ids=${ids.join(',')}`),
  /** As details, leaving out ids that are not runs (the caller names them: see unknownRuns). */
  knownDetails: (ids: number[]) => getJson<RunDetailView[]>(`/api/runs/details?ids=${ids.join(',')}&unknown=omit`),
  summaries: (experimentId: number) => getJson<SummaryView[]>(`/api/experiments/${experimentId}/summaries`),
  metrics: (runId: number, attempt?: number) =>
    getJson<string[]>(`/api/runs/${runId}/metrics${attempt === undefined ? '' : `?attempt=${attempt}`}`),
  /** Every start of a run, oldest first; metrics of one are read with `attempt`. */
  attempts: (runId: number) => getJson<AttemptView[]>(`/api/runs/${runId}/attempts`),
  series: (runId: number, metric: string, q: SeriesQuery = {}) =>
    getJson<Series>(
      `/api/runs/${runId}/metrics/${encodeURIComponent(metric)}/series?${query({ buckets: q.buckets ?? 1000, x: q.x, from: q.from, to: q.to, attempt: q.attempt })}`,
    ),
  /** One metric of several runs in one request; runs that did not log it are left out. */
  seriesOf: (runIds: number[], metric: string, q: SeriesQuery = {}) =>
    getJson<Series[]>(
      `/api/runs/series?${query({ ids: runIds.join(','), metric, buckets: q.buckets ?? 1000, x: q.x, from: q.from, to: q.to })}`,
    ),
  groups: (
    runIds: number[],
    metric: string,
    by: string[],
    x: string,
    baseline?: string,
    buckets = 500,
    value = 'final',
  ) =>
    getJson<GroupsView>(
      `/api/runs/groups?${query({ ids: runIds.join(','), metric, by: by.join(','), x, baseline, buckets, value })}`,
    ),
  /** Only the group curves, over an x range (a zoomed chart): no comparison table. */
  groupCurves: (
    runIds: number[],
    metric: string,
    by: string[],
    x: string,
    range: { min: number; max: number },
    buckets = 500,
  ) =>
    getJson<GroupsView>(
      `/api/runs/groups?${query({ ids: runIds.join(','), metric, by: by.join(','), x, buckets, from: range.min, to: range.max, table: 'false' })}`,
    ),
  logs: (runId: number) => getText(`/api/runs/${runId}/logs`),
  csv: (runId: number) => getText(`/api/runs/${runId}/metrics/export.csv`),
  manifest: async (runId: number) => {
    const path = `/api/runs/${runId}/manifest`;
    return (
      await check(path, await fetch(path, { headers: { Accept: 'application/json' }, credentials: CREDENTIALS }))
    ).text();
  },
  artifacts: (runId: number) => getJson<ArtifactView[]>(`/api/runs/${runId}/artifacts`),
  diff: (a: number, b: number) => getJson<DiffView>(`/api/runs/${a}/diff/${b}`),
  cancel: (runId: number) => send<unknown>('POST', `/api/runs/${runId}/cancel`),
  retry: (runId: number) => send<unknown>('POST', `/api/runs/${runId}/retry`),
  deleteRun: (runId: number) => send<DeletedView>('DELETE', `/api/runs/${runId}`),
  patchRun: (runId: number, patch: LabelPatch) => send<LabelView>('PATCH', `/api/runs/${runId}`, patch),
  patchExperiment: (experimentId: number, patch: LabelPatch) =>
    send<LabelView>('PATCH', `/api/experiments/${experimentId}`, patch),
  session: () => getJson<SessionView>('/api/session'),
  /** Signs this browser in with the start token `replica serve` printed, or an API token. */
  signIn: (token: string) => send<SessionView>('POST', '/api/session', { token }),
  signOut: () => send<SessionView>('DELETE', '/api/session'),
};

/** Longest run list sent in an export URL; the server reads request lines of up to 4 KiB. */
export const MAX_EXPORT_RUNS = 400;

/**
 * The full-resolution export of some runs (`GET /api/export/metrics`): the whole experiment when every
 * one of its runs is chosen, else the listed runs; null when the list is too long for a URL.
 */
export function exportUrl(
  format: 'csv' | 'csv-wide' | 'arrow',
  experimentId: number | null,
  runIds: number[],
  allOfExperiment = false,
): string | null {
  if (experimentId !== null && allOfExperiment)
    return `/api/export/metrics?experiment=${experimentId}&format=${format}`;
  if (runIds.length === 0 || runIds.length > MAX_EXPORT_RUNS) return null;
  return `/api/export/metrics?runs=${runIds.join(',')}&format=${format}`;
}

/** Where an artifact of a run downloads from; each path segment is URI-encoded. */
export function artifactUrl(runId: number, name: string): string {
  return `/api/runs/${runId}/artifacts/${name.split('/').map(encodeURIComponent).join('/')}`;
}
