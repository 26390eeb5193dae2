/**
 * Sampled content checks: for a few random files a mirror holds with the source's size, fetch the
 * byte ranges whose SHA-256 the indexer recorded and compare. A mismatch puts the file in the
 * mirror's CONTENTBAD set (selection then excludes the mirror for it with `Content mismatch`);
 * a later match takes it out. Transport errors change nothing.
 */
import https from 'node:https';
import type { Mirror } from '@mirrorball/model';
import {
  decodeRangeHash, FILE_FIELDS, keys, mirrorLog, pushMirrorLog, RANGE_HASH_FIELDS, recordContentResult, type HashedRange,
} from '@mirrorball/redis';
import { fileUrl, protocolsOf, MIRRORBALL_VERSION } from '@mirrorball/health';
import type { Redis } from 'ioredis';
import { fetchRangeDigest } from './range-fetch.ts';

export const CONTENT_USER_AGENT = `Mirrorball/${MIRRORBALL_VERSION} CONTENT CHECK`;

export interface ContentCheckOptions {
  filesPerCheck: number;
  /** Per range request (default 60 s). */
  timeoutMs?: number;
  ca?: string | Buffer | Array<string | Buffer>;
  signal?: AbortSignal;
  log?: { info(msg: string): void; warn(msg: string): void };
  /** Check these paths instead of a random sample (on-demand checks, tests). */
  paths?: string[];
}

export type FileOutcome = 'match' | 'mismatch' | 'error';

export interface FileCheck {
  path: string;
  outcome: FileOutcome;
  detail: string;
  /** CONTENTBAD membership changed. */
  changed: boolean;
}

export interface ContentCheckResult {
  skipped?: string;
  protocol?: 'http' | 'https';
  files: FileCheck[];
}

interface Candidate {
  path: string;
  ranges: HashedRange[];
  size: string;
  modTime: string;
}

/** https when the mirror serves it and is up over it, else http when up there. */
function pickProtocol(m: Mirror): 'http' | 'https' | null {
  const protos = protocolsOf(m.httpURL);
  if (protos.includes('https') && m.httpsUp) return 'https';
  if (protos.includes('http') && m.httpUp) return 'http';
  return null;
}

async function candidates(redis: Redis, m: Mirror, opts: ContentCheckOptions): Promise<Candidate[]> {
  // Oversample: not every handled file has range hashes (yet) or the source's size.
  const sample = opts.paths ?? [...new Set(await redis.srandmember(keys.handledFiles(m.id), Math.max(1, opts.filesPerCheck) * 4))];
  if (sample.length === 0) return [];
  const p = redis.pipeline();
  for (const path of sample) {
    p.hmget(keys.rangeHash(path), ...RANGE_HASH_FIELDS);
    p.hmget(keys.file(path), ...FILE_FIELDS);
    p.hmget(keys.fileInfo(m.id, path), 'size', 'modTime');
  }
  const res = (await p.exec()) ?? [];
  const out: Candidate[] = [];
  sample.forEach((path, i) => {
    const [e1, rh] = res[3 * i]!;
    const [e2, src] = res[3 * i + 1]!;
    const [e3, fi] = res[3 * i + 2]!;
    if (e1 || e2 || e3) return;
    const ranges = decodeRangeHash(rh as (string | null)[]);
    const srcSize = (src as (string | null)[])[0];
    const [size, modTime] = fi as (string | null)[];
    // A size mismatch already excludes the mirror for this file; hashing it would prove nothing.
    if (ranges && size != null && size === srcSize) out.push({ path, ranges, size, modTime: modTime ?? '' });
  });
  return out.slice(0, opts.paths ? out.length : opts.filesPerCheck);
}

export async function contentCheckMirror(redis: Redis, m: Mirror, opts: ContentCheckOptions): Promise<ContentCheckResult> {
  const proto = pickProtocol(m);
  if (!proto) return { skipped: 'mirror is down', files: [] };
  if (opts.filesPerCheck <= 0 && !opts.paths) return { skipped: 'content checks disabled', files: [] };
  const list = await candidates(redis, m, opts);
  if (list.length === 0) return { skipped: 'no file with range hashes', protocol: proto, files: [] };
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ...(opts.ca ? { ca: opts.ca } : {}) });
  const files: FileCheck[] = [];
  try {
    for (const c of list) {
      const url = fileUrl(m, proto, c.path);
      let outcome: FileOutcome = 'match';
      let detail = '';
      for (const r of c.ranges) {
        const d = await fetchRangeDigest(url, r, { userAgent: CONTENT_USER_AGENT, agent, timeoutMs: opts.timeoutMs, signal: opts.signal });
        if (!d.ok) {
          outcome = 'error';
          detail = `bytes ${r.start}-${r.end}: ${d.error}`;
          break;
        }
        if (d.sha256 !== r.sha256) {
          outcome = 'mismatch';
          detail = `bytes ${r.start}-${r.end}: sha256 ${d.sha256}, expected ${r.sha256}`;
          break;
        }
      }
      let changed = false;
      if (outcome !== 'error') {
        changed = await recordContentResult(redis, m.id, c.path, {
          result: outcome === 'match' ? 'ok' : 'mismatch', checkedAt: Math.floor(Date.now() / 1000), detail, size: c.size, modTime: c.modTime,
        });
      }
      if (outcome === 'mismatch') {
        opts.log?.warn(`[${m.name}] content mismatch on ${c.path}: ${detail}`);
        if (changed) await pushMirrorLog(redis, mirrorLog(m.id, { type: 1, err: `Content mismatch on ${c.path} (${detail})` }));
      } else if (outcome === 'error') {
        opts.log?.warn(`[${m.name}] content check of ${c.path} failed: ${detail}`);
      }
      files.push({ path: c.path, outcome, detail, changed });
    }
  } finally {
    agent.destroy();
  }
  return { protocol: proto, files };
}
