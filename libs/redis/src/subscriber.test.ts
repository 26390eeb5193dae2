import { afterEach, describe, expect, it } from 'vitest';
import { RedisServer } from '@mirrorball/testing';
import { createRedis, waitReady } from './connection.ts';
import {
  parseClusterPayload, parseMirrorFilePayload, publishClusterHello, publishFileUpdate, publishMirrorFileUpdate,
  publishMirrorUpdate, RedisSubscriber,
} from './subscriber.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function next<T extends unknown[]>(sub: RedisSubscriber, event: 'file' | 'mirror' | 'mirrorFile' | 'cluster' | 'reconnected' | 'disconnected', timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${event} event within ${timeoutMs} ms`)), timeoutMs);
    sub.once(event, (...args: unknown[]) => {
      clearTimeout(t);
      resolve(args as T);
    });
  });
}

describe('payload parsing', () => {
  it('splits mirror-file payloads at the first space and validates ids', () => {
    expect(parseMirrorFilePayload('3 /dir with space/a b.txt')).toEqual({ id: 3, path: '/dir with space/a b.txt' });
    expect(parseMirrorFilePayload('x /a')).toBeNull();
    expect(parseMirrorFilePayload('/a')).toBeNull();
    expect(parseClusterPayload('HELLO0 vm-14295')).toEqual({ db: 0, nodeId: 'vm-14295' });
    expect(parseClusterPayload('HOLA0 x')).toBeNull();
  });
});

describe('RedisSubscriber', () => {
  it('delivers the four channels, survives a Redis restart and fires reconnected', async () => {
    const srv = await RedisServer.start();
    cleanups.push(() => srv.stop());
    const cfg = { RedisAddress: srv.address };
    const sub = RedisSubscriber.create(cfg);
    cleanups.push(() => sub.close());
    const pub = createRedis(cfg, { purpose: 'main' });
    cleanups.push(() => pub.disconnect());
    await sub.waitConnected();
    expect(sub.connected).toBe(true);

    let e: Promise<unknown[]> = next(sub, 'file');
    await publishFileUpdate(pub, '/a b.iso');
    expect(await e).toEqual(['/a b.iso']);
    e = next(sub, 'mirror');
    await publishMirrorUpdate(pub, 12);
    expect(await e).toEqual([12]);
    e = next(sub, 'mirrorFile');
    await publishMirrorFileUpdate(pub, 3, '/dir with space/x y');
    expect(await e).toEqual([3, '/dir with space/x y']);
    e = next(sub, 'cluster');
    await publishClusterHello(pub, 0, 'web1-01234');
    expect(await e).toEqual([0, 'web1-01234']);

    // Inside MULTI the helpers join the transaction.
    e = next(sub, 'mirror');
    const multi = pub.multi();
    publishMirrorUpdate(multi, 5);
    await multi.exec();
    expect(await e).toEqual([5]);

    const disconnected = next(sub, 'disconnected');
    const reconnected = next(sub, 'reconnected', 15_000);
    await srv.kill();
    await disconnected;
    expect(sub.connected).toBe(false);
    await srv.restart();
    await reconnected;
    expect(sub.connected).toBe(true);
    await waitReady(pub);
    e = next(sub, 'file');
    await publishFileUpdate(pub, '/after');
    expect(await e).toEqual(['/after']);
  });
});
