// The backend's View records as the client uses them. Each is checked at compile time against the type
// generated from the OpenAPI snapshot (openapi-types.ts, `npm run gen:api`; the backend's WebApiH2Test keeps
// the snapshot equal to /q/openapi): same field names, compatible field types. The generated types have every
// field optional and nothing nullable (SmallRye does not say); these say which fields may be null and that
// NaN and ±Infinity arrive as strings (ApiNumber). A field added, removed or retyped in a Java record fails
// `tsc` (and so `npm run build`) at the check at the end of this file.
import type { components, paths } from './openapi-types';

type Schemas = components['schemas'];

export interface ExperimentView {
  id: number;
  name: string;
  description: string;
  kind: string;
  specFile: string;
  primaryMetric: string | null;
  metricGoal: string | null;
  runCount: number;
  createdAt: string;
  runsByState: Record<string, number>;
  specText: string | null;
  displayName: string | null;
  note: string | null;
  tags: string[];
  archived: boolean;
}

export type ParamValue = string | number | boolean;

export interface RunView {
  id: number;
  experimentId: number;
  experimentName: string;
  index: number;
  seed: number;
  state: string;
  params: Record<string, ParamValue>;
  attempt: number;
  executor: string | null;
  exitCode: number | null;
  message: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** the user's labels (PATCH /api/runs/{id}) */
  displayName: string | null;
  note: string | null;
  tags: string[];
  archived: boolean;
  /** the rung (e.g. the step) where early stopping stopped a PRUNED run, else null */
  prunedAtResource: number | null;
}

/** PATCH /api/runs/{id} and /api/experiments/{id}: fields left out stay; '' clears a name or note. */
export interface LabelPatch {
  displayName?: string;
  note?: string;
  tags?: string[];
  addTags?: string[];
  removeTags?: string[];
  archived?: boolean;
}

/** The labels after a PATCH. */
export interface LabelView {
  displayName: string | null;
  note: string | null;
  tags: string[];
  archived: boolean;
}

/** DELETE /api/runs/{id}: what was removed. */
export interface DeletedView {
  runId: number;
  experimentId: number;
  message: string;
  filesRemoved: number;
}

/** A number from the API: NaN and ±Infinity arrive as JSON strings. */
export type ApiNumber = number | 'NaN' | 'Infinity' | '-Infinity' | null;

export interface RunEvent {
  from: string | null;
  to: string;
  message: string | null;
  at: string;
}

export interface MetricSummaryView {
  metric: string;
  last: number | null;
  lastStep: number | null;
  min: number | null;
  minStep: number | null;
  max: number | null;
  maxStep: number | null;
  count: number;
  nanCount: number;
}

export interface RunDetailView {
  run: RunView;
  events: RunEvent[];
  metrics: MetricSummaryView[];
}

/** One metric of one run, downsampled per x bucket (min/max keep spikes visible). */
export interface Series {
  runId: string;
  metric: string;
  /** The x axis: STEP, TIME_MS or METRIC (with its name). */
  x: { kind: 'STEP' | 'TIME_MS' | 'METRIC'; metric: string | null };
  downsampled: boolean;
  sourcePoints: number;
  bucketStart: ApiNumber[];
  bucketEnd: ApiNumber[];
  count: number[];
  firstX: ApiNumber[];
  first: ApiNumber[];
  lastX: ApiNumber[];
  last: ApiNumber[];
  minX: ApiNumber[];
  min: ApiNumber[];
  maxX: ApiNumber[];
  max: ApiNumber[];
}

export interface EventView {
  type: 'state' | 'metrics';
  runId: number;
  experimentId: number;
  from?: string;
  to?: string;
  message?: string;
  at: string;
  latest?: Record<string, ApiNumber>;
  rows?: number;
}

/** GET /api/experiments/{id}/summaries: one metric's summary for one run. */
export interface SummaryView {
  runId: number;
  metric: string;
  last: number | null;
  min: number | null;
  max: number | null;
  count: number;
}

export interface GroupCurve {
  label: string;
  params: Record<string, ParamValue | null>;
  runIds: string[];
  x: ApiNumber[];
  n: number[];
  mean: ApiNumber[];
  ciLow: ApiNumber[];
  ciHigh: ApiNumber[];
}

export interface GroupRow {
  label: string;
  /** runs in the group */
  runs: number;
  /** runs with a value */
  n: number;
  /** runs whose metric reached NaN or ±Infinity, left out of the statistics */
  diverged: number;
  mean: ApiNumber;
  ciLow: ApiNumber;
  ciHigh: ApiNumber;
  baseline: boolean;
  welchP: ApiNumber;
  welchPHolm: ApiNumber;
  mannWhitneyPHolm: ApiNumber;
  hedgesG: ApiNumber;
  /** Steps-to-target efficiency against the baseline; null on the baseline row. */
  efficiency: Efficiency | null;
}

/**
 * How much sooner a group's seed-mean curve reaches the baseline's final value (the NorMuon paper's
 * efficiency): value = 1 − steps / baselineSteps (0.2 means 20% fewer steps), with a bootstrap interval over
 * seeds. `reached` false: it never gets there within `lastStep` (value and steps are then null).
 */
export interface Efficiency {
  value: number | null;
  /** null when the interval is unbounded or unknown (fewer than two runs in a group) */
  ciLow: number | null;
  ciHigh: number | null;
  steps: number | null;
  baselineSteps: number;
  reached: boolean;
  /** the group's last step, for "never reaches within N steps" */
  lastStep: ApiNumber;
  /** the baseline's final (seed-mean) value */
  target: ApiNumber;
  /** share of bootstrap resamples that reach the target (NaN without a bootstrap) */
  reachedFraction: ApiNumber;
}

/** GET /api/runs/groups. */
export interface GroupsView {
  metric: string;
  x: string;
  scalar: string;
  confidence: number;
  baseline: string | null;
  groups: GroupCurve[];
  table: GroupRow[];
}

/** GET /api/runs/{a}/diff/{b}: what differs between two runs' manifests. */
export interface DiffView {
  a: number;
  b: number;
  recipeDiffers: boolean;
  differences: { group: string; field: string; left: string | null; right: string | null }[];
}

/** GET /api/runs/{id}/artifacts: a file in the run's folder. */
export interface ArtifactView {
  /** Path relative to the run's folder, `/`-separated. */
  name: string;
  size: number;
  contentType: string;
  modifiedAt: string;
}

/** GET /api/runs/{id}/attempts: one start of a run (docs/adr/0008-attempts-derived-from-events.md). */
export interface AttemptView {
  number: number;
  /** RUNNING while it runs, else the state it ended in */
  state: string;
  started: string | null;
  ended: string | null;
  reason: string | null;
  /** metric rows kept for this attempt */
  points: number;
  latest: boolean;
}

// ---- Checks against the generated OpenAPI types (compile time only) --------------------------------------

/** NaN/±Infinity strings as numbers, null dropped, all the way down: what the generated types describe. */
type Plain<T> = T extends null | undefined
  ? never
  : T extends 'NaN' | 'Infinity' | '-Infinity'
    ? number
    : T extends readonly (infer E)[]
      ? Plain<E>[]
      : T extends object
        ? { [K in keyof T]: Plain<T[K]> }
        : T;

/** `true` when H has exactly G's fields and each is compatible; otherwise a type naming what differs. */
type Matches<H, G> = [Exclude<keyof H, keyof G>, Exclude<keyof G, keyof H>] extends [never, never]
  ? Plain<H> extends G
    ? true
    : {
        incompatibleFields: { [K in keyof H & keyof G]: Plain<H[K]> extends NonNullable<G[K]> ? never : K }[keyof H &
          keyof G];
      }
  : { onlyInTypesTs: Exclude<keyof H, keyof G>; onlyInOpenApi: Exclude<keyof G, keyof H> };

type Check<T extends true> = T;

/** The JSON body of a GET answer, as the OpenAPI document declares it. */
export type GetJson<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { 'application/json': infer B } } } };
}
  ? B
  : never;

/** Fails to compile when types.ts and the OpenAPI snapshot disagree; see the note at the top. */
export type ApiChecks = [
  Check<Matches<ExperimentView, Schemas['ExperimentView']>>,
  Check<Matches<RunView, Schemas['RunView']>>,
  Check<Matches<RunEvent, Schemas['Event']>>,
  Check<Matches<MetricSummaryView, Schemas['MetricSummaryView']>>,
  Check<Matches<RunDetailView, Schemas['RunDetailView']>>,
  Check<Matches<Series, Schemas['Series']>>,
  Check<Matches<EventView, Schemas['EventView']>>,
  Check<Matches<SummaryView, Schemas['SummaryView']>>,
  Check<Matches<GroupCurve, Schemas['Curve']>>,
  Check<Matches<Efficiency, Schemas['Efficiency']>>,
  Check<Matches<GroupRow, Schemas['Row']>>,
  Check<Matches<GroupsView, Schemas['GroupsView']>>,
  Check<Matches<DiffView['differences'][number], Schemas['Difference']>>,
  Check<Matches<DiffView, Schemas['DiffView']>>,
  Check<Matches<ArtifactView, Schemas['ArtifactView']>>,
  Check<Matches<AttemptView, Schemas['Attempt']>>,
  Check<Matches<LabelView, Schemas['LabelView']>>,
  Check<Matches<DeletedView, Schemas['DeletedView']>>,
  Check<Matches<Required<LabelPatch>, Schemas['LabelPatch']>>,
  // the endpoints the client reads, by path: a path renamed or answering another schema fails here
  Check<Matches<ExperimentView, GetJson<'/api/experiments/{id}'>>>,
  Check<Matches<RunView, GetJson<'/api/runs'>[number]>>,
  Check<Matches<RunDetailView, GetJson<'/api/runs/{id}'>>>,
  Check<Matches<RunDetailView, GetJson<'/api/runs/details'>[number]>>,
  Check<Matches<Series, GetJson<'/api/runs/series'>[number]>>,
  Check<Matches<SummaryView, GetJson<'/api/experiments/{id}/summaries'>[number]>>,
  Check<Matches<Series, GetJson<'/api/runs/{id}/metrics/{metric}/series'>>>,
  Check<Matches<GroupsView, GetJson<'/api/runs/groups'>>>,
  Check<Matches<DiffView, GetJson<'/api/runs/{a}/diff/{b}'>>>,
  Check<Matches<ArtifactView, GetJson<'/api/runs/{id}/artifacts'>[number]>>,
  Check<Matches<AttemptView, GetJson<'/api/runs/{id}/attempts'>[number]>>,
];
