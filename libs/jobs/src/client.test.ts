import { Queue, Worker, UnrecoverableError } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer } from '@mirrorball/testing';
import { JobClient, JobTimeoutError } from './client.ts';
import { QUEUES } from './queues.ts';
import { testConnection, waitFor } from './worker/testkit.ts';

describe('JobClient.waitForResult against a real redis-server', () => {
  let server: RedisServer;
  let client: JobClient;
  let queue: Queue;
  let worker: Worker;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  beforeAll(async () => {
    server = await RedisServer.start();
    client = new JobClient({ connection: testConnection(server.port), jobOptions: { attempts: 1 } });
    queue = new Queue(QUEUES.check, { connection: testConnection(server.port) });
    worker = new Worker(QUEUES.check, async (job) => {
      if (job.data.mirrorId === 2) throw new UnrecoverableError('mirror 2 is broken');
      if (job.data.mirrorId === 3) await gate;
      return { file: `/f${job.data.mirrorId}` };
    }, { connection: testConnection(server.port) });
  });
  afterAll(async () => {
    release();
    await worker?.close();
    await queue?.close();
    await client?.close();
    await server?.stop();
  });

  it('returns the result of a job that finished before anyone listened', async () => {
    // Added by another process (no events subscribed here), finished before the wait starts.
    const job = await queue.add('scheduled', { mirrorId: 1 });
    await waitFor(async () => (await queue.getJobState(job.id!)) === 'completed', 10_000, 'job completed');
    expect(await client.waitForResult(job, 10_000)).toEqual({ file: '/f1' });
  });

  it('throws the failure reason of a failed job and a JobTimeoutError for a slow one', async () => {
    const failing = await client.enqueueCheck({ mirrorId: 2 });
    await expect(client.waitForResult(failing, 10_000)).rejects.toThrow('mirror 2 is broken');
    const slow = await client.enqueueCheck({ mirrorId: 3 });
    const err = await client.waitForResult(slow, 300).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobTimeoutError);
    release();
    expect(await client.waitForResult(slow, 10_000)).toEqual({ file: '/f3' });
  });
});
