/** A content-check job: sample a mirror's files and verify their recorded byte ranges. */
import type { Job } from 'bullmq';
import { contentCheckMirror } from '@mirrorball/content-check';
import { getMirror } from '@mirrorball/redis';
import type { ContentJobData, ContentJobResult } from '../queues.ts';
import type { WorkerDeps } from './deps.ts';

export async function processContent(job: Job<ContentJobData>, deps: WorkerDeps, signal?: AbortSignal): Promise<ContentJobResult> {
  const { redis, config, metrics, log } = deps;
  const mirror = await getMirror(redis, job.data.mirrorId);
  if (!mirror) return { skipped: 'mirror not found' };
  if (!mirror.enabled && !job.data.force) return { skipped: 'disabled' };
  const r = await contentCheckMirror(redis, mirror, {
    filesPerCheck: config.ContentCheck.FilesPerCheck, paths: job.data.paths, ca: deps.ca, signal,
    log: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
  });
  if (r.skipped) return { skipped: r.skipped };
  for (const f of r.files) {
    metrics.contentChecks.inc({ outcome: f.outcome });
    if (f.outcome === 'mismatch') metrics.contentMismatches.inc({ mirror: mirror.name });
  }
  return { files: r.files.map(({ path, outcome, detail }) => ({ path, outcome, detail })) };
}
