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
