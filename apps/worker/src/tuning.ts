/**
 * Operational knobs that are not Mirrorbits/Mirrorball config keys (so the config stays the
 * contract's): BullMQ lock and stall timings, shutdown deadline. Read from the environment.
 */
export interface WorkerTuning {
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  shutdownDeadlineMs: number;
  reconcileIntervalMs?: number;
  queueMetricsIntervalMs: number;
  /** How often /readyz re-reads the database schema version. */
  schemaRecheckMs: number;
}

function ms(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw new Error(`${name} must be a positive number of milliseconds, got ${JSON.stringify(v)}`);
  return Number(v);
}

export function readTuning(env: NodeJS.ProcessEnv): WorkerTuning {
  return {
    lockDurationMs: ms(env, 'WORKER_LOCK_DURATION_MS'),
    stalledIntervalMs: ms(env, 'WORKER_STALLED_INTERVAL_MS'),
    shutdownDeadlineMs: ms(env, 'WORKER_SHUTDOWN_DEADLINE_MS') ?? 30_000,
    reconcileIntervalMs: ms(env, 'WORKER_RECONCILE_INTERVAL_MS'),
    queueMetricsIntervalMs: ms(env, 'WORKER_QUEUE_METRICS_INTERVAL_MS') ?? 15_000,
    schemaRecheckMs: ms(env, 'WORKER_SCHEMA_RECHECK_MS') ?? 30_000,
  };
}
