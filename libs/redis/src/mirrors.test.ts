import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { RedisServer, writeMirrorbitsV2Fixture } from '@mirrorball/testing';
import { emptyMirror } from '@mirrorball/model';
import { createRedis } from './connection.ts';
import { readMirrorLogs } from './logs.ts';
import {
  addMirror, findMirrorIdByName, getMirror, listMirrors, MirrorNotFoundError, MirrorValidationError, NameTakenError,
  removeMirror, setHealthState, setMirrorEnabled, setMirrorFields, updateMirror,
} from './mirrors.ts';
import { recordCommands, type CommandRecorder } from './testkit/monitor.ts';

let srv: RedisServer;
let redis: Redis;
let rec: CommandRecorder;
const T = { sec: 1795638427, nsec: 0 };
beforeAll(async () => {
  srv = await RedisServer.start();
  redis = createRedis({ RedisAddress: srv.address }, { purpose: 'main' });
  rec = await recordCommands(srv.url);
});
afterAll(async () => {
  await rec.stop();
  redis.disconnect();
  await srv.stop();
});
beforeEach(async () => {
  await redis.flushdb();
  await rec.flush(redis);
});
const send = (args: string[]) => redis.call(args[0]!, ...args.slice(1));
const without = (cmds: string[][], name: string) => cmds.filter((c) => c[0] !== name);

describe('reading a Mirrorbits database', () => {
  it('lists scheme-less, http:// and https:// mirrors with their states and restrictions', async () => {
    await writeMirrorbitsV2Fixture(send);
    const all = await listMirrors(redis);
    expect(all.map((m) => [m.id, m.name, m.httpURL])).toEqual([
      [1, 'both', 'mirror.example.org/pub/'], [2, 'plain', 'http://plain.example.net/'], [3, 'secure', 'https://secure.example.com/m/'],
    ]);
    expect(all[0]).toMatchObject({ httpUp: true, httpsUp: false, httpsDownReason: 'Got status code 503', score: -5, countryList: ['FR', 'BE'] });
    expect(all[1]).toMatchObject({ countryOnly: true, continentOnly: true, asOnly: false, excludedCountryList: ['CN', 'RU'], latitude: -20 });
    expect(all[2]).toMatchObject({ enabled: false, allowRedirects: 2, tzOffsetMs: -3600000, httpsDownReason: 'Unauthorized redirect' });
    expect(await findMirrorIdByName(redis, 'plain')).toBe(2);
    expect(await findMirrorIdByName(redis, 'Plain')).toBeNull();
    expect(await getMirror(redis, 99)).toBeNull();
  });
});

describe('mirror writes', () => {
  const base = () => ({ ...emptyMirror(), name: 'gb-mirror', httpURL: 'http://127.0.0.1/m1', rsyncURL: 'rsync://127.0.0.1:8730/m1',
    sponsorName: 'GB Sponsor', sponsorURL: 'https://gb.example.org', adminName: 'Alice', adminEmail: 'alice@example.org',
    comment: 'GB test mirror', latitude: 51.5142, longitude: -0.0931, continentCode: 'eu', countryCodes: 'gb', enabled: true });

  it('adds a mirror with the exact §4.4 sequence', async () => {
    const id = await addMirror(redis, base(), T);
    expect(id).toBe(1);
    const cmds = await rec.flush(redis);
    expect(cmds.map((c) => c[0])).toEqual(['HGETALL', 'INCR', 'MULTI', 'HMSET', 'HMSET', 'HSET', 'EXEC', 'PUBLISH', 'RPUSH']);
    expect(cmds[3]).toEqual(['HMSET', 'MIRROR_1', 'ID', '1', 'name', 'gb-mirror', 'http', 'http://127.0.0.1/m1/', 'rsync', 'rsync://127.0.0.1:8730/m1/',
      'ftp', '', 'sponsorName', 'GB Sponsor', 'sponsorURL', 'https://gb.example.org', 'sponsorLogo', '', 'adminName', 'Alice',
      'adminEmail', 'alice@example.org', 'customData', '', 'continentOnly', '0', 'countryOnly', '0', 'asOnly', '0', 'score', '0',
      'latitude', '51.5142', 'longitude', '-0.0931', 'continentCode', 'EU', 'countryCodes', 'GB', 'excludedCountryCodes', '',
      'asnum', '0', 'comment', 'GB test mirror', 'allowredirects', '0', 'enabled', '1']);
    expect(cmds[4]).toEqual(['HMSET', 'MIRROR_1', 'httpsUp', '0']);
    expect(cmds[5]).toEqual(['HSET', 'MIRRORS', '1', 'gb-mirror']);
    expect(cmds[7]).toEqual(['PUBLISH', '_mirrorbits_mirror_update', '1']);
    expect(cmds[8]).toEqual(['RPUSH', 'MIRRORLOGS_1', '{"Type":2,"MirrorID":1,"Timestamp":"2026-11-25T20:27:07Z"}']);

    await expect(addMirror(redis, base())).rejects.toThrow(NameTakenError);
    await expect(addMirror(redis, { ...base(), name: '' })).rejects.toThrow(MirrorValidationError);
    await expect(addMirror(redis, { ...base(), name: 'x', score: Number.NaN })).rejects.toThrow(/score must be an integer/);
    await expect(addMirror(redis, { ...base(), name: 'x', allowRedirects: 3 })).rejects.toThrow(/allowRedirects/);
    await expect(addMirror(redis, { ...base(), name: 'x', latitude: 91 })).rejects.toThrow(/latitude/);
    expect(await redis.get('LAST_MID')).toBe('1');
    const id2 = await addMirror(redis, { ...base(), name: 'GB-mirror', httpURL: 'https://s.example/', countryCodes: 'us, ca' });
    expect(id2).toBe(2);
    const m2 = (await getMirror(redis, 2))!;
    expect(m2).toMatchObject({ countryCodes: 'US CA', httpUp: false });
    expect(await redis.hexists('MIRROR_2', 'httpsUp')).toBe(0);
    // Scheme-less: neither state is preset.
    await addMirror(redis, { ...base(), name: 'both', httpURL: 'both.example/x' });
    expect(await redis.hmget('MIRROR_3', 'httpUp', 'httpsUp', 'http')).toEqual([null, null, 'both.example/x/']);
  });

  it('edits (renaming allowed, names stay unique), enables and disables', async () => {
    const id = await addMirror(redis, base(), T);
    await addMirror(redis, { ...base(), name: 'other' }, T);
    await rec.flush(redis);
    await updateMirror(redis, { ...(await getMirror(redis, id))!, name: 'renamed', score: -10 }, T);
    expect(await redis.hget('MIRRORS', String(id))).toBe('renamed');
    expect((await getMirror(redis, id))!.score).toBe(-10);
    await expect(updateMirror(redis, { ...(await getMirror(redis, id))!, name: 'other' })).rejects.toThrow(NameTakenError);
    await expect(updateMirror(redis, { ...base(), id: 42 })).rejects.toThrow(MirrorNotFoundError);
    await rec.flush(redis);
    await setMirrorEnabled(redis, id, false, T);
    expect(without(await rec.flush(redis), 'HGET')).toEqual([
      ['HMSET', 'MIRROR_1', 'enabled', '0'],
      ['PUBLISH', '_mirrorbits_mirror_update', '1'],
      ['RPUSH', 'MIRRORLOGS_1', '{"Type":5,"MirrorID":1,"Timestamp":"2026-11-25T20:27:07Z"}'],
    ]);
    expect((await readMirrorLogs(redis, id)).map((e) => e.type)).toEqual([2, 3, 5]);
  });

  it('records health state changes as Mirrorbits does (stateSince and log only on change)', async () => {
    const id = await addMirror(redis, { ...base(), httpURL: 'both.example/' }, T);
    await rec.flush(redis);
    // Never checked + down: missing counts as down → no change, no stateSince, no log.
    expect(await setHealthState(redis, id, 'https', false, 'Got status code 404', T)).toBe(false);
    expect(await rec.flush(redis)).toEqual([
      ['HGET', 'MIRROR_1', 'httpsUp'],
      ['HMSET', 'MIRROR_1', 'httpsUp', '0', 'httpsDownReason', 'Got status code 404'],
      ['PUBLISH', '_mirrorbits_mirror_update', '1'],
    ]);
    expect(await setHealthState(redis, id, 'http', true, '', { sec: T.sec + 1, nsec: 0 })).toBe(true);
    expect(await rec.flush(redis)).toEqual([
      ['HGET', 'MIRROR_1', 'httpUp'],
      ['HMSET', 'MIRROR_1', 'httpUp', '1', 'httpDownReason', '', 'stateSince', String(T.sec + 1)],
      ['PUBLISH', '_mirrorbits_mirror_update', '1'],
      ['RPUSH', 'MIRRORLOGS_1', '{"Type":6,"MirrorID":1,"Timestamp":"2026-11-25T20:27:08Z","Proto":1,"Up":true,"Reason":""}'],
    ]);
    const m = (await getMirror(redis, id))!;
    expect([m.httpUp, m.httpsUp, m.stateSince, m.httpsDownReason]).toEqual([true, false, T.sec + 1, 'Got status code 404']);
    await rec.flush(redis);
    await setMirrorFields(redis, id, { lastSync: 1795638579, tzOffsetMs: -5000 });
    expect(await rec.flush(redis)).toEqual([
      ['HMSET', 'MIRROR_1', 'lastSync', '1795638579', 'tzoffset', '-5000'],
      ['PUBLISH', '_mirrorbits_mirror_update', '1'],
    ]);
  });

  it('removes a mirror with the §4.4 sequence and keeps statistics', async () => {
    await writeMirrorbitsV2Fixture(send);
    await redis.hset('STATS_MIRROR', '1', '7');
    await redis.sadd('MIRRORBALL_CONTENTBAD_1', '/a.iso');
    await rec.flush(redis);
    await removeMirror(redis, 1, T);
    const cmds = await rec.flush(redis);
    const names = cmds.map((c) => c[0]);
    expect(names.slice(0, 6)).toEqual(['HGET', 'HMSET', 'PUBLISH', 'RPUSH', 'SMEMBERS', 'MULTI']);
    expect(cmds).toContainEqual(['SREM', 'FILEMIRRORS_/dir with space/b c.txt', '1']);
    expect(cmds).toContainEqual(['PUBLISH', '_mirrorbits_mirror_file_update', '1 /dir with space/b c.txt']);
    expect(cmds).toContainEqual(['DEL', 'MIRROR_1', 'MIRRORFILES_1', 'MIRRORFILESTMP_1', 'HANDLEDFILES_1', 'SCANNING_1', 'MIRRORLOGS_1']);
    expect(cmds).toContainEqual(['HDEL', 'MIRRORS', '1']);
    expect(cmds.at(-2)![0]).toBe('EXEC');
    expect(cmds.at(-1)).toEqual(['PUBLISH', '_mirrorbits_mirror_update', '1']);
    expect(await redis.exists('MIRROR_1', 'FILEINFO_1_/a.iso', 'MIRRORLOGS_1', 'MIRRORBALL_CONTENTBAD_1')).toBe(0);
    expect(await redis.smembers('FILEMIRRORS_/a.iso')).toEqual(['2']);
    expect(await redis.hget('STATS_MIRROR', '1')).toBe('7');
    expect((await listMirrors(redis)).map((m) => m.id)).toEqual([2, 3]);
    await expect(removeMirror(redis, 1)).rejects.toThrow(MirrorNotFoundError);
  });
});
