/**
 * A mirror health check (contract §9): HEAD a random handled file over each protocol the mirror
 * serves and record the outcome with the §4.4 state-update sequence.
 */
import { goTimeFromDate } from '@mirrorball/gofmt';
import type { Mirror } from '@mirrorball/model';
import { keys, mirrorLog, pushMirrorLog, setHealthState, setMirrorEnabled, type HealthProto } from '@mirrorball/redis';
import type { Redis } from 'ioredis';
import { probe, type ProbeResult } from './probe.ts';
import { fileUrl, protocolsOf, redirectsAllowed } from './urls.ts';
import { HEALTH_USER_AGENT } from './version.ts';

export interface HealthLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error?(msg: string, fields?: Record<string, unknown>): void;
}

export interface HealthCheckOptions {
  /** Config `DisallowRedirects` (used when the mirror's `allowredirects` is 0). */
  disallowRedirects: boolean;
  /** Config `DisableOnMissingFile`. */
  disableOnMissingFile: boolean;
  userAgent?: string;
  /** Contract: 20 s / 40 s. */
  connectTimeoutMs?: number;
  timeoutMs?: number;
  /** Extra trusted CA certificates (tests). */
  ca?: string | Buffer | Array<string | Buffer>;
  log?: HealthLog;
  signal?: AbortSignal;
  /** Only these protocols (default: every protocol the mirror serves). */
  protocols?: HealthProto[];
}

/** Outcome label for metrics. */
export type HealthOutcome = 'up' | 'size_mismatch' | 'unreachable' | 'redirect_refused' | 'not_found' | 'bad_status';

export interface ProtocolResult {
  protocol: HealthProto;
  up: boolean;
  /** Reason stored (empty when up). */
  reason: string;
  outcome: HealthOutcome;
  /** The state flipped (stateSince and a log event were written). */
  changed: boolean;
  ms: number;
  url: string;
}

export interface HealthCheckResult {
  /** Set when nothing was checked: `not yet scanned` or `no http URL`. */
  skipped?: string;
  file?: string;
  results: ProtocolResult[];
  /** DisableOnMissingFile disabled the mirror. */
  disabled: boolean;
}

const SILENT: HealthLog = { info() {}, warn() {} };

/** Map one probe to the contract's state, reason and log line. */
export function classify(r: ProbeResult, file: string, indexedSize: number | null): { up: boolean; reason: string; outcome: HealthOutcome } {
  if (r.kind === 'error') return { up: false, reason: 'Unreachable', outcome: 'unreachable' };
  if (r.kind === 'redirectRefused') return { up: false, reason: 'Unauthorized redirect', outcome: 'redirect_refused' };
  if (r.status === 200) {
    const mismatch = r.contentLength !== null && indexedSize !== null && r.contentLength !== indexedSize;
    return { up: true, reason: '', outcome: mismatch ? 'size_mismatch' : 'up' };
  }
  if (r.status === 404) return { up: false, reason: `File not found ${file} (error 404)`, outcome: 'not_found' };
  return { up: false, reason: `Got status code ${r.status}`, outcome: 'bad_status' };
}

export async function checkMirrorHealth(redis: Redis, mirror: Mirror, opts: HealthCheckOptions): Promise<HealthCheckResult> {
  const log = opts.log ?? SILENT;
  const protos = protocolsOf(mirror.httpURL).filter((p) => !opts.protocols || opts.protocols.includes(p));
  if (protos.length === 0) return { skipped: 'no http URL', results: [], disabled: false };
  const file = await redis.srandmember(keys.handledFiles(mirror.id));
  if (!file) return { skipped: 'not yet scanned', results: [], disabled: false };
  const sizeText = await redis.hget(keys.file(file), 'size');
  const indexedSize = sizeText !== null && /^\d+$/.test(sizeText) ? Number(sizeText) : null;
  const allow = redirectsAllowed(mirror.allowRedirects, opts.disallowRedirects);
  const out: HealthCheckResult = { file, results: [], disabled: false };
  const pad = mirror.name.padEnd(20);

  for (const protocol of protos) {
    const url = fileUrl(mirror, protocol, file);
    const r = await probe(url, {
      userAgent: opts.userAgent ?? HEALTH_USER_AGENT, allowRedirects: allow, ca: opts.ca, signal: opts.signal,
      connectTimeoutMs: opts.connectTimeoutMs ?? 20_000, timeoutMs: opts.timeoutMs ?? 40_000,
    });
    const c = classify(r, file, indexedSize);
    const P = protocol.toUpperCase();
    switch (r.kind) {
      case 'error':
        log.warn(`${pad} ${P} Error: ${r.error} (${r.ms}ms)`);
        break;
      case 'redirectRefused':
        log.warn(`Unauthorized redirection for ${mirror.name}: ${r.from} => ${r.to}`);
        break;
      case 'response':
        if (c.outcome === 'size_mismatch') log.warn(`${pad} ${P} File size mismatch! [${file}]`);
        else if (c.up) log.info(`${pad} ${P} Up! (${r.ms}ms)`);
        else log.warn(`${pad} ${P} Down! ${c.reason} (${r.ms}ms)`);
    }
    const changed = await setHealthState(redis, mirror.id, protocol, c.up, c.reason, goTimeFromDate(new Date()));
    out.results.push({ protocol, ...c, changed, ms: r.ms, url });
    if (c.outcome === 'not_found' && opts.disableOnMissingFile && !out.disabled) {
      await setMirrorEnabled(redis, mirror.id, false);
      log.warn(`${pad} ${P} disabled: ${c.reason} (DisableOnMissingFile)`);
      out.disabled = true;
    }
  }
  return out;
}

/** Push an `error` event to the mirror's log (permanent job failures). */
export async function logMirrorError(redis: Redis, id: number, err: string): Promise<void> {
  await pushMirrorLog(redis, mirrorLog(id, { type: 1, err }));
}
