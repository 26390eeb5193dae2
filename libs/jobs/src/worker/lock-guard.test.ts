import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer } from '@mirrorball/testing';
import { LockGuard } from './lock-guard.ts';
import { testConnection, waitFor } from './testkit.ts';

/** A lock that lapsed (as after a Redis outage longer than lockDuration), simulated with DEL. */
const lockKey = (w: Worker, id: string) => `${w.toKey(id)}:lock`;

describe('LockGuard against a real redis-server', () => {
  let server: RedisServer;
  let redis: Redis;
  const closers: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    server = await RedisServer.start();
    redis = new Redis(server.port, '127.0.0.1');
  });
  afterAll(async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
    redis?.disconnect();
    await server?.stop();
  });

  const setup = (name: string, lockDuration = 30_000) => {
    const connection = testConnection(server.port);
    const queue = new Queue(name, { connection });
    closers.push(() => queue.close());
    return { queue, connection, lockDuration };
  };

  it('without it a job whose lock lapsed stays active; with it the failure is recorded', async () => {
    const processor = (w: () => Worker) => async (job: Job) => {
      await redis.del(lockKey(w(), job.id!));
      throw new Error('boom');
    };
    // Control: plain BullMQ forgets the result and leaves the job active.
    const a = setup('lg-plain');
    let plain: Worker | null = null;
    const missing = new Promise<string>((resolve) => {
      plain = new Worker('lg-plain', processor(() => plain!), { connection: a.connection });
      plain.on('error', (e) => resolve(e.message));
    });
    closers.push(() => plain!.close(true));
    const j1 = await a.queue.add('x', {}, { attempts: 1 });
    expect(await missing).toMatch(/Missing lock for job/);
    expect(await a.queue.getJobState(j1.id!)).toBe('active');

    const b = setup('lg-guarded');
    const outcomes: string[] = [];
    const guard = new LockGuard({ onOutcome: (id, o, when) => outcomes.push(`${id} ${o} ${when}`) });
    let guarded: Worker | null = null;
    guarded = new Worker('lg-guarded', guard.wrap(processor(() => guarded!)), { connection: b.connection });
    guard.attach(guarded);
    closers.push(() => guarded!.close());
    const j2 = await b.queue.add('x', {}, { attempts: 1 });
    await waitFor(async () => (await b.queue.getJobState(j2.id!)) === 'failed', 15_000, 'job failed');
    const got = (await b.queue.getJob(j2.id!))!;
    expect(got.failedReason).toBe('boom');
    expect(got.attemptsMade).toBe(1);
    expect(outcomes).toEqual([`${j2.id} reclaimed finished`]);
  });

  it('a renewal that finds the lock lapsed re-takes it and the job completes', async () => {
    const s = setup('lg-renew');
    let reclaimed!: () => void;
    const reclaimedWhileRunning = new Promise<void>((r) => (reclaimed = r));
    const guard = new LockGuard({ onOutcome: (_id, o, when) => o === 'reclaimed' && when === 'running' && reclaimed() });
    let w: Worker | null = null;
    w = new Worker('lg-renew', guard.wrap(async (job: Job) => {
      await redis.del(lockKey(w!, job.id!));
      await reclaimedWhileRunning; // event-driven: the renewal after the DEL fails, the guard re-takes
      return 'done';
    }), { connection: s.connection, lockDuration: 1000 });
    guard.attach(w);
    w.on('error', () => {}); // the failed renewal is reported as an error too
    closers.push(() => w!.close());
    const job = await s.queue.add('x', {});
    await waitFor(async () => (await s.queue.getJobState(job.id!)) === 'completed', 15_000, 'job completed');
    expect((await s.queue.getJob(job.id!))!.returnvalue).toBe('done');
  });

  it('a lock held by someone else cancels the running job here', async () => {
    const s = setup('lg-lost');
    const outcomes: string[] = [];
    const guard = new LockGuard({ onOutcome: (_id, o, when) => outcomes.push(`${o} ${when}`) });
    let aborted!: (reason: unknown) => void;
    const abortedP = new Promise<unknown>((r) => (aborted = r));
    let w: Worker | null = null;
    w = new Worker('lg-lost', guard.wrap(async (job: Job, signal?: AbortSignal) => {
      // Another pod took the job over (stalled check + new owner): its token is in the lock.
      await redis.set(lockKey(w!, job.id!), 'someone-else', 'PX', 60_000);
      await new Promise<void>((resolve) => signal!.addEventListener('abort', () => {
        aborted(signal!.reason);
        resolve();
      }, { once: true }));
      throw new Error('cancelled');
    }), { connection: s.connection, lockDuration: 1000 });
    guard.attach(w);
    w.on('error', () => {}); // BullMQ reports the refused result too
    closers.push(() => w!.close(true));
    const job = await s.queue.add('x', {});
    expect(await abortedP).toBe('job lock lost');
    await waitFor(() => outcomes.length === 2, 10_000, 'end-of-run check');
    expect(outcomes).toEqual(['lost running', 'lost finished']);
    // The other owner's lock is untouched.
    expect(await redis.get(lockKey(w, job.id!))).toBe('someone-else');
  });
});
