// Mirrors the backend's View records (see /q/openapi).
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

/** GET /api/web/summaries: one metric's summary for one run. */
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
  n: number;
  mean: ApiNumber;
  ciLow: ApiNumber;
  ciHigh: ApiNumber;
  baseline: boolean;
  welchP: ApiNumber;
  welchPHolm: ApiNumber;
  mannWhitneyPHolm: ApiNumber;
  hedgesG: ApiNumber;
}

/** GET /api/web/groups. */
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
