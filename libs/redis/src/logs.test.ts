import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { parseRedisDump, RedisServer } from '@mirrorball/testing';
import { createRedis } from './connection.ts';
import { decodeMirrorLog, encodeMirrorLog, mirrorLog, mirrorLogText, pushMirrorLog, readMirrorLogs, renderMirrorLog } from './logs.ts';

const dump = parseRedisDump(fs.readFileSync(new URL('../testdata/10-redis-dump.txt', import.meta.url), 'utf8'));
const logs2 = dump.find((d) => d.key === 'MIRRORLOGS_2')!.values;

describe('mirror log codec', () => {
  it('decodes and re-encodes the v0.6.1 dump byte for byte', () => {
    for (const line of logs2) expect(encodeMirrorLog(decodeMirrorLog(line)!)).toBe(line);
  });

  it('renders like `mirrorbits logs` (capture 15)', () => {
    expect(logs2.map((l) => renderMirrorLog(decodeMirrorLog(l)!))).toEqual([
      '2026-11-25 20:26:48 UTC: Mirror added',
      '2026-11-25 20:27:03 UTC: Mirror edited',
      '2026-11-25 20:27:06 UTC: RSYNC scan started',
      '2026-11-25 20:27:06 UTC: Scan completed: 9 files (9 known), 0 removed',
      '2026-11-25 20:27:06 UTC: RSYNC scan started',
      '2026-11-25 20:27:06 UTC: Scan completed: 9 files (9 known), 0 removed',
      '2026-11-25 20:27:06 UTC: Mirror enabled',
      '2026-11-25 20:27:07 UTC: HTTP mirror is up',
    ]);
  });

  it('covers every type and the contract example', () => {
    const ex = '{"Type":6,"MirrorID":3,"Timestamp":"2025-01-02T03:04:05.000006+01:00","Proto":2,"Up":false,"Reason":"Got status code 404"}';
    const e = decodeMirrorLog(ex)!;
    expect(encodeMirrorLog(e)).toBe(ex);
    expect(renderMirrorLog(e)).toMatch(/^2025-01-02 03:04:05 \S+: HTTPS mirror is down: Got status code 404$/);
    const t = { sec: 1700000000, nsec: 5 };
    const text = (b: Parameters<typeof mirrorLog>[1]) => mirrorLogText(mirrorLog(1, b, t));
    expect(text({ type: 1, err: 'boom <x>' })).toBe('Error: boom <x>');
    expect(encodeMirrorLog({ ...mirrorLog(1, { type: 1, err: 'a<b' }, t), utc: true })).toBe('{"Type":1,"MirrorID":1,"Timestamp":"2023-11-14T22:13:20.000000005Z","Err":"a\\u003cb"}');
    expect(text({ type: 5 })).toBe('Mirror disabled');
    expect(text({ type: 6, proto: 0, up: false, reason: '' })).toBe('Mirror is down');
    expect(text({ type: 6, proto: 1, up: false, reason: 'x' })).toBe('HTTP mirror is down: x');
    expect(text({ type: 7, typ: 1 })).toBe('FTP scan started');
    expect(text({ type: 8, filesIndexed: 3, knownIndexed: 2, removed: 1, tzOffsetMs: -3600000 })).toBe('Scan completed: 3 files (2 known), 1 removed (corrected timezone offset: -1h0m0s)');
  });

  it('skips garbage and unknown types', () => {
    expect(decodeMirrorLog('not json')).toBeNull();
    expect(decodeMirrorLog('{"Type":9,"MirrorID":1,"Timestamp":"2026-11-25T20:26:48Z"}')).toBeNull();
    expect(decodeMirrorLog('{"Type":2,"MirrorID":1}')).toBeNull();
  });
});

describe('mirror logs in Redis', () => {
  let srv: RedisServer;
  let redis: Redis;
  beforeAll(async () => {
    srv = await RedisServer.start();
    redis = createRedis({ RedisAddress: srv.address }, { purpose: 'main' });
  });
  afterAll(async () => {
    redis.disconnect();
    await srv.stop();
  });

  it('pushes with RPUSH and reads the last N with LRANGE -N -1, skipping bad entries', async () => {
    for (let i = 0; i < 5; i++) await pushMirrorLog(redis, mirrorLog(4, { type: 7, typ: 0 }));
    await redis.rpush('MIRRORLOGS_4', 'garbage');
    const m = redis.multi();
    pushMirrorLog(m, mirrorLog(4, { type: 4 }));
    await m.exec();
    const last3 = await readMirrorLogs(redis, 4, 3);
    expect(last3.map((e) => e.type)).toEqual([7, 4]);
    expect((await readMirrorLogs(redis, 4, 0)).length).toBe(6);
  });
});
