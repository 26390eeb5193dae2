/**
 * A scan job: skip when another node scanned recently (cluster-wide `lastSync`), run the
 * contract §8.2 scan under `SCANNING_<id>`, sort failures into retryable and permanent.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import { isMirrorUp, type Mirror } from '@mirrorball/model';
import { ScanAbortedError, ScanError, ScanLockedError, scanMirror } from '@mirrorball/mirror-scan';
import { clearStaleContentResults, getMirror, mirrorLog, pushMirrorLog, setMirrorEnabled } from '@mirrorball/redis';
import type { ScanJobData, ScanJobResult } from '../queues.ts';
import type { WorkerDeps } from './deps.ts';

const PROTOCOL_LABEL = ['rsync', 'ftp', 'http'] as const;

/** The protocol a scan will try first (for metrics of failures that name no protocol). */
function firstProtocol(m: Mirror, which: ScanJobData['protocols']): string {
  const all = !which || which === 'all';
  if ((all || which === 'rsync') && m.rsyncURL) return 'rsync';
  if ((all || which === 'ftp') && m.ftpURL) return 'ftp';
  return 'http';
}

function hasUrlFor(m: Mirror, which: ScanJobData['protocols']): boolean {
  const all = !which || which === 'all';
  return ((all || which === 'rsync') && !!m.rsyncURL) || ((all || which === 'ftp') && !!m.ftpURL) || ((all || which === 'http') && !!m.httpURL);
}

export async function processScan(job: Job<ScanJobData>, deps: WorkerDeps, signal?: AbortSignal): Promise<ScanJobResult> {
  const { redis, config, metrics, log } = deps;
  const d = job.data;
  const mirror = await getMirror(redis, d.mirrorId);
  if (!mirror) return { skipped: 'mirror not found' };
  if (!mirror.enabled && !d.force && !d.autoEnable) return { skipped: 'disabled' };
  // Cluster-wide interval: Mirrorbits daemons and other pods write lastSync too. A retry of
  // this very job (its own attempt set lastSync) must not be mistaken for someone else's scan.
  const nowSec = Math.floor(Date.now() / 1000);
  if (!d.force && job.attemptsStarted <= 1 && nowSec - mirror.lastSync < config.ScanInterval * 60) return { skipped: 'recently scanned' };
  if (!hasUrlFor(mirror, d.protocols)) {
    await pushMirrorLog(redis, mirrorLog(mirror.id, { type: 1, err: 'no suitable URL for the scan' }));
    metrics.scans.inc({ protocol: firstProtocol(mirror, d.protocols), outcome: 'failure' });
    throw new UnrecoverableError('no suitable URL for the scan');
  }

  const abort = new AbortController();
  const onOuter = () => abort.abort();
  signal?.addEventListener('abort', onOuter, { once: true });
  const timer = d.timeoutSec ? setTimeout(() => abort.abort(), d.timeoutSec * 1000) : null;
  const started = performance.now();
  const protoGuess = firstProtocol(mirror, d.protocols);
  try {
    const r = await scanMirror(redis, mirror, {
      protocols: d.protocols ?? 'all', config, signal: abort.signal, ca: deps.ca,
      log: { info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
    });
    const protocol = PROTOCOL_LABEL[r.protocol] ?? 'http';
    metrics.scans.inc({ protocol, outcome: 'success' });
    metrics.scanDuration.observe({ protocol }, (performance.now() - started) / 1000);
    metrics.mirrorFiles.set({ mirror: mirror.name }, r.filesIndexed);
    metrics.mirrorLastSuccessfulScan.set({ mirror: mirror.name }, Math.floor(Date.now() / 1000));
    if (r.skipped) metrics.scanUnparsedLines.inc({ protocol }, r.skipped);

    const cleared = await clearStaleContentResults(redis, mirror.id);
    if (cleared.length) log.info(`[${mirror.name}] ${cleared.length} content-check result(s) voided by changed files`);
    let enabled = mirror.enabled;
    if (d.autoEnable && !enabled) {
      await setMirrorEnabled(redis, mirror.id, true);
      enabled = true;
    }
    // Contract §8.1: after a successful scan of an enabled mirror that is not up, check it now.
    if (enabled && !isMirrorUp(mirror)) {
      await deps.jobs.enqueueCheck({ mirrorId: mirror.id, force: false }).catch((e: unknown) => log.warn(`[${mirror.name}] could not queue a health check: ${(e as Error).message}`));
    }
    return {
      filesIndexed: r.filesIndexed, knownIndexed: r.knownIndexed, removed: r.removed, tzOffsetMs: r.tzOffsetMs,
      protocol: r.protocol, skippedLines: r.skipped, enabled,
    };
  } catch (e) {
    if (e instanceof ScanLockedError) {
      metrics.scans.inc({ protocol: protoGuess, outcome: 'skipped_locked' });
      // Scheduled: skip, as Mirrorbits does (the other node is doing the work). On demand:
      // retried with back-off until the other node's scan ends.
      if (!d.force) return { skipped: 'scan already in progress on another node' };
      throw new Error(`scan already in progress on another node (SCANNING_${mirror.id} held)`);
    }
    metrics.scans.inc({ protocol: protoGuess, outcome: 'failure' });
    metrics.scanDuration.observe({ protocol: protoGuess }, (performance.now() - started) / 1000);
    if (e instanceof ScanAbortedError) {
      if (signal?.aborted) throw e; // shutdown: let BullMQ hand the job to another pod
      throw new UnrecoverableError(d.timeoutSec ? `scan timed out after ${d.timeoutSec} s` : 'scan aborted');
    }
    if (e instanceof ScanError && e.permanent) throw new UnrecoverableError(e.message);
    throw e;
  } finally {
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onOuter);
  }
}
