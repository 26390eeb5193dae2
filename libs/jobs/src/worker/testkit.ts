/** Test wiring for the worker runtime (not a test itself): deps over a real redis-server. */
import { defaultConfig } from '@mirrorball/config';
import { createLogger } from '@mirrorball/logger';
import { createMetricsRegistry } from '@mirrorball/metrics';
import { emptyMirror, type Mirror } from '@mirrorball/model';
import { addMirror, getMirror } from '@mirrorball/redis';
import { Redis } from 'ioredis';
import { JobClient } from '../client.ts';
import type { WorkerConfig, WorkerDeps } from './deps.ts';

export function testConnection(port: number) {
  return { host: '127.0.0.1', port, maxRetriesPerRequest: null, retryStrategy: () => 200 };
}

export function testDeps(port: number, config: Partial<WorkerConfig> = {}): WorkerDeps & { close(): Promise<void> } {
  const redis = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => 200 });
  redis.on('error', () => {});
  const jobs = new JobClient({ connection: testConnection(port), jobOptions: { attempts: 8, backoff: { type: 'exponential', delay: 400 } } });
  return {
    redis, jobs,
    config: { ...defaultConfig(), ...config },
    metrics: createMetricsRegistry('worker', { defaultMetrics: false }),
    log: createLogger('worker-test', { level: (process.env.MB_TEST_LOG as 'error' | undefined) ?? 'error' }),
    checkTimeouts: { connectMs: 1000, totalMs: 2000 },
    async close() {
      await jobs.close();
      redis.disconnect();
    },
  };
}

export async function makeMirror(redis: Redis, m: Partial<Mirror>): Promise<Mirror> {
  const id = await addMirror(redis, { ...emptyMirror(), name: `m${Math.random().toString(36).slice(2, 8)}`, ...m });
  return (await getMirror(redis, id))!;
}

export const waitFor = async (fn: () => Promise<boolean> | boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
