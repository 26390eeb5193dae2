/**
 * End to end in one process: the source indexer records range hashes, the worker pool scans two
 * HTTP mirrors, health-checks them and content-checks them; the api then excludes the mirror
 * whose copy has the right size but wrong bytes, with its own reason.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpMirror } from '@mirrorball/testing';
import { runIndex } from '@mirrorball/indexer';
import { LocalDirectorySource } from '@mirrorball/source';
import type { ContentJobResult, ScanJobResult } from '@mirrorball/jobs';
import { startWorkerPool, type WorkerPool } from '@mirrorball/jobs/worker';
import { makeMirror, testConnection, testDeps, waitFor } from '../../../libs/jobs/src/worker/testkit.ts';
import { startApi, type ApiHarness } from '../../api/src/test-harness.ts';

const FILE = '/release/image 1.iso';

describe('content mismatch reaches the api', () => {
  let api: ApiHarness;
  let deps: ReturnType<typeof testDeps>;
  let pool: WorkerPool;
  let src: string;
  let good: HttpMirror;
  let bad: HttpMirror;

  beforeAll(async () => {
    api = await startApi();
    src = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-e2e-src-'));
    fs.mkdirSync(path.join(src, 'release'));
    fs.writeFileSync(path.join(src, FILE), randomBytes(200_000));
    good = await HttpMirror.start({ root: src });
    bad = await HttpMirror.start({ root: src, faults: { [FILE]: { kind: 'wrongBytes' } } });
    deps = testDeps(api.srv.port, { ContentCheck: { FilesPerCheck: 5, Interval: 60 } });
    await runIndex({ redis: deps.redis, source: new LocalDirectorySource(src), hashes: { sha1: true, sha256: true, md5: true }, progressEveryMs: 0 });
    pool = startWorkerPool(deps, { connection: testConnection(api.srv.port), noReconciler: true, queueMetricsIntervalMs: 0 });
  });
  afterAll(async () => {
    await pool?.close(2000);
    await deps?.close();
    await good?.stop();
    await bad?.stop();
    await api?.close();
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('excludes the mirror with wrong bytes with `Content mismatch`, and takes it back once fixed', async () => {
    const g = await makeMirror(deps.redis, { name: 'good-mirror', httpURL: good.url, enabled: true });
    const b = await makeMirror(deps.redis, { name: 'bad-mirror', httpURL: bad.url, enabled: true });
    for (const m of [g, b]) {
      const r = await deps.jobs.waitForResult<ScanJobResult>(await deps.jobs.enqueueScan({ mirrorId: m.id }), 20_000);
      expect(r.filesIndexed).toBe(1);
      // The follow-up health check (HEAD: right size) marks it up.
      await waitFor(async () => (await deps.redis.hget(`MIRROR_${m.id}`, 'httpUp')) === '1', 10_000, 'mirror up');
    }
    const reasons = async () => {
      const r = await api.get(`${encodeURI(FILE)}?pretty`, { Accept: 'application/json' });
      expect(r.status).toBe(200);
      const j = JSON.parse(r.body);
      return {
        list: j.MirrorList.map((m: { Name: string }) => m.Name),
        excluded: Object.fromEntries((j.ExcludedList ?? []).map((m: { Name: string; ExcludeReason: string }) => [m.Name, m.ExcludeReason])),
      };
    };
    expect((await reasons()).list.sort()).toEqual(['bad-mirror', 'good-mirror']);

    for (const m of [g, b]) {
      const r = await deps.jobs.waitForResult<ContentJobResult>(await deps.jobs.enqueueContentCheck({ mirrorId: m.id }), 20_000);
      expect(r.files?.map((f) => f.outcome)).toEqual([m.id === b.id ? 'mismatch' : 'match']);
    }
    await waitFor(async () => (await reasons()).excluded['bad-mirror'] === 'Content mismatch', 5000, 'api exclusion');
    expect(await reasons()).toEqual({ list: ['good-mirror'], excluded: { 'bad-mirror': 'Content mismatch' } });

    // The admin fixes the copy: the next content check clears the exclusion.
    bad.clearFaults();
    await deps.jobs.waitForResult(await deps.jobs.enqueueContentCheck({ mirrorId: b.id }), 20_000);
    await waitFor(async () => (await reasons()).list.length === 2, 5000, 'mirror selectable again');
    expect(await deps.metrics.registry.metrics()).toMatch(/mirrorball_content_mismatches_total\{mirror="bad-mirror"\} 1/);
  });
});
