/** A client built from the same .proto drives every CLI method against a real Redis. */
import * as grpc from '@grpc/grpc-js';
import { Admin, versionInfo, type AdminJobs } from '@mirrorball/admin';
import { EMPTY_GEO } from '@mirrorball/model';
import { RedisServer } from '@mirrorball/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GO_ZERO_UNIX } from './convert.ts';
import { loadCliService } from './proto.ts';
import { createRpcServer, listenRpc } from './server.ts';

let server: RedisServer;
let redis: Redis;
let rpc: grpc.Server;
let client: grpc.Client & Record<string, (...args: any[]) => any>;
let reloads = 0;
const scans: unknown[] = [];
const jobs: AdminJobs = {
  async scan(req) {
    scans.push(req);
    return { filesIndexed: 9, knownIndexed: 8, removed: 1, tzOffsetMs: 0, enabled: req.autoEnable };
  },
  async refresh() {},
};

beforeAll(async () => {
  server = await RedisServer.start();
  redis = new Redis(server.url);
  const geo = { lookup: (ip: string) => (ip === '127.0.0.1' ? { ...EMPTY_GEO, countryCode: 'GB', continentCode: 'EU', country: 'United Kingdom', latitude: 51.5, longitude: -0.125, asNum: 5089, asName: 'Virgin' } : EMPTY_GEO) };
  const admin = new Admin({ redis, geo, jobs, version: versionInfo('9.9.9', 'b1'), reload: () => void reloads++ });
  rpc = createRpcServer({ admin, password: 'secret' });
  const port = await listenRpc(rpc, '127.0.0.1:0');
  const CLI = loadCliService().CLI as grpc.ServiceClientConstructor;
  client = new CLI(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as never;
});
afterAll(async () => {
  client?.close();
  rpc?.forceShutdown();
  redis?.disconnect();
  await server?.stop();
});

function call<T = any>(method: string, req: object, password: string | null = 'secret'): Promise<T> {
  const md = new grpc.Metadata();
  if (password !== null) md.set('password', password);
  return new Promise((resolve, reject) => client[method]!(req, md, (err: Error | null, r: T) => (err ? reject(err) : resolve(r))));
}

describe('gRPC CLI service', () => {
  it('refuses a wrong password and a missing password key with UNAUTHENTICATED', async () => {
    await expect(call('Ping', {}, 'nope')).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED, details: 'access denied' });
    await expect(call('Ping', {}, null)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    await expect(call('Ping', {}, '')).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    await expect(call('List', {}, 'secret ')).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    expect(await call('Ping', {})).toEqual({});
  });

  it('answers every method', async () => {
    expect(await call('GetVersion', {})).toMatchObject({ Version: '9.9.9', Build: 'b1', OS: process.platform });
    const added = await call('AddMirror', { ID: 0, Name: 'gb', HttpURL: 'http://127.0.0.1/m1', RsyncURL: 'rsync://127.0.0.1:873/m1', Score: 5, Comment: 'c' });
    expect(added).toMatchObject({ Country: 'United Kingdom', Continent: 'EU', ASN: 'Virgin (5089)', Warnings: [] });
    expect(added.Latitude).toBeCloseTo(51.5);
    await expect(call('AddMirror', { ID: 0, Name: 'gb', HttpURL: 'http://127.0.0.1/x' })).rejects.toMatchObject({ code: grpc.status.ALREADY_EXISTS, details: 'name already taken' });
    await expect(call('AddMirror', { ID: 0, Name: 'bad', HttpURL: 'gopher://127.0.0.1/x' })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });

    const match = await call('MatchMirror', { Pattern: 'G' });
    expect(match.Mirrors).toEqual([{ ID: 1, Name: 'gb' }]);
    const info = await call('MirrorInfo', { ID: 1 });
    expect(info).toMatchObject({ ID: 1, Name: 'gb', HttpURL: 'http://127.0.0.1/m1/', CountryCodes: 'GB', Asnum: 5089, Score: 5, Enabled: false, Comment: 'c' });
    expect(Number(info.StateSince.seconds)).toBe(GO_ZERO_UNIX);
    expect((await call('List', {})).Mirrors.map((m: { Name: string }) => m.Name)).toEqual(['gb']);
    await expect(call('MirrorInfo', { ID: 42 })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });

    const upd = await call('UpdateMirror', { ...info, CountryCodes: 'GB IE' });
    expect(upd.Diff).toBe('- CountryCodes: GB\n+ CountryCodes: GB IE\n');
    expect(await redis.hget('MIRROR_1', 'countryCodes')).toBe('GB IE');
    expect(await redis.hget('MIRROR_1', 'latitude')).toBe('51.5');

    await call('ChangeStatus', { ID: 1, Enabled: true });
    expect(await redis.hget('MIRROR_1', 'enabled')).toBe('1');
    await expect(call('ChangeStatus', { ID: 0, Enabled: true })).rejects.toMatchObject({ code: grpc.status.FAILED_PRECONDITION });

    const geo = await call('GeoUpdateMirror', { ID: 1 });
    expect(geo.Diff).toBe(''); // GB already in the list, same location
    expect(geo.Mirror.Name).toBe('gb');

    // Enabled = "this scan enabled the mirror": true only for a disabled mirror with AutoEnable.
    expect((await call('ScanMirror', { ID: 1, AutoEnable: true, Protocol: 'ALL' })).Enabled).toBe(false);
    await call('ChangeStatus', { ID: 1, Enabled: false });
    expect(await call('ScanMirror', { ID: 1, AutoEnable: true, Protocol: 'RSYNC' })).toEqual({ Enabled: true, FilesIndexed: 9, KnownIndexed: 8, Removed: 1, TZOffsetMs: 0 });
    expect(scans.at(-1)).toEqual({ id: 1, protocol: 'rsync', autoEnable: true, timeoutSec: 0 });
    expect(await call('RefreshRepository', { Rehash: true })).toEqual({});

    const day = Math.floor(Date.UTC(2025, 5, 1, 12) / 1000);
    await redis.hset('STATS_FILE_2025_06_01', '/a.iso', '3', '/b.txt', '1');
    await redis.hset('STATS_MIRROR_2025_06_01', '1', '3');
    await redis.hset('STATS_MIRROR_BYTES_2025_06_01', '1', '3072');
    const ts = { seconds: day, nanos: 0 };
    expect((await call('StatsFile', { Pattern: '\\.iso$', DateStart: ts, DateEnd: ts })).files).toEqual({ '/a.iso': 3 });
    expect(await call('StatsMirror', { ID: 1, DateStart: ts, DateEnd: ts })).toMatchObject({ Requests: 3, Bytes: 3072, Mirror: { Name: 'gb' } });
    await expect(call('StatsFile', { Pattern: '(' })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });

    const logs = await call('GetMirrorLogs', { ID: 1, MaxResults: 2 });
    expect(logs.line.map((l: string) => l.replace(/^.*?: /, ''))).toEqual(['Mirror enabled', 'Mirror disabled']);

    await call('Reload', {});
    expect(reloads).toBe(1);
    await expect(call('Upgrade', {})).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });

    await call('RemoveMirror', { ID: 1 });
    expect(await redis.exists('MIRROR_1')).toBe(0);
    await expect(call('RemoveMirror', { ID: 1 })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });
});
