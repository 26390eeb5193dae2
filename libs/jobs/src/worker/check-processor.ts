/** A health-check job (contract §9) and its metrics. */
import type { Job } from 'bullmq';
import { checkMirrorHealth } from '@mirrorball/health';
import { getMirror } from '@mirrorball/redis';
import type { CheckJobData, CheckJobResult } from '../queues.ts';
import type { WorkerDeps } from './deps.ts';

export async function processCheck(job: Job<CheckJobData>, deps: WorkerDeps, signal?: AbortSignal): Promise<CheckJobResult> {
  const { redis, config, metrics, log } = deps;
  const mirror = await getMirror(redis, job.data.mirrorId);
  if (!mirror) return { skipped: 'mirror not found' };
  if (!mirror.enabled && !job.data.force) return { skipped: 'disabled' };
  const r = await checkMirrorHealth(redis, mirror, {
    disallowRedirects: config.DisallowRedirects, disableOnMissingFile: config.DisableOnMissingFile, ca: deps.ca, signal,
    connectTimeoutMs: deps.checkTimeouts?.connectMs, timeoutMs: deps.checkTimeouts?.totalMs,
    log: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
  });
  if (r.skipped) return { skipped: r.skipped };
  for (const p of r.results) {
    metrics.healthChecks.inc({ protocol: p.protocol, outcome: p.outcome });
    metrics.mirrorUp.set({ mirror: mirror.name, protocol: p.protocol }, p.up ? 1 : 0);
  }
  return {
    file: r.file, disabled: r.disabled,
    results: r.results.map(({ protocol, up, reason, outcome, changed }) => ({ protocol, up, reason, outcome, changed })),
  };
}
