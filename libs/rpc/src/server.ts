/**
 * Mirrorbits' gRPC `CLI` service over libs/admin, so the `mirrorbits` binary and the scripts
 * built on it work against Mirrorball. Every call must carry metadata `password` equal to
 * RPCPassword; a missing key is a wrong password (UNAUTHENTICATED), never a crash.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { AdminError, parseMirrorPatch, type Admin } from '@mirrorball/admin';
import { mirrorInput, mirrorMessage, fromTimestamp, type Timestamp } from './convert.ts';
import { cliServiceDefinition } from './proto.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

function statusOf(err: unknown): { code: grpc.status; details: string } {
  if (err instanceof AdminError) {
    const code = ({
      400: grpc.status.INVALID_ARGUMENT, 404: grpc.status.NOT_FOUND, 409: grpc.status.ALREADY_EXISTS, 502: grpc.status.INTERNAL,
      503: grpc.status.UNAVAILABLE, 504: grpc.status.DEADLINE_EXCEEDED,
    } as Record<number, grpc.status>)[err.status] ?? grpc.status.INTERNAL;
    return { code, details: err.message };
  }
  return { code: grpc.status.INTERNAL, details: (err as Error)?.message ?? String(err) };
}

type Handler = (req: any) => Promise<unknown>;

export interface RpcServerOptions {
  admin: Admin;
  password: string;
  onError?: (err: unknown) => void;
}

export function cliHandlers(admin: Admin): Record<string, Handler> {
  const positive = (id: number) => {
    if (!(id > 0)) throw Object.assign(new AdminError('invalid mirror ID', 400), { grpc: grpc.status.FAILED_PRECONDITION });
    return id;
  };
  return {
    GetVersion: async () => admin.version(),
    Upgrade: async () => {
      throw Object.assign(new AdminError('seamless binary upgrade is not supported by Mirrorball: roll the deployment instead', 501), { grpc: grpc.status.UNIMPLEMENTED });
    },
    Reload: async () => (await admin.reload(), {}),
    Ping: async () => ({}),
    ChangeStatus: async (r: { ID: number; Enabled: boolean }) => (await admin.setEnabled(positive(r.ID), r.Enabled), {}),
    List: async () => ({ Mirrors: (await admin.list()).map(mirrorMessage) }),
    MirrorInfo: async (r: { ID: number }) => mirrorMessage(await admin.get(r.ID)),
    AddMirror: async (r: Record<string, unknown>) => {
      if (r.ID !== 0) throw new AdminError('a new mirror must have ID 0', 400);
      const input = mirrorInput(r);
      // Location comes from GeoIP on add, as in Mirrorbits.
      for (const k of ['Latitude', 'Longitude', 'ContinentCode', 'CountryCodes', 'Asnum', 'Enabled'] as const) delete input[k];
      const res = await admin.add(parseMirrorPatch(input));
      return { ...res.location, Warnings: res.warnings };
    },
    UpdateMirror: async (r: Record<string, unknown>) => ({ Diff: (await admin.update(positive(r.ID as number), parseMirrorPatch(mirrorInput(r)))).diff }),
    RemoveMirror: async (r: { ID: number }) => (await admin.remove(positive(r.ID)), {}),
    GeoUpdateMirror: async (r: { ID: number }) => {
      const g = await admin.geoUpdate(positive(r.ID), false);
      return { Mirror: mirrorMessage(g.mirror), Diff: g.diff, Warnings: g.warnings };
    },
    RefreshRepository: async (r: { Rehash: boolean }) => (await admin.refresh(r.Rehash), {}),
    ScanMirror: async (r: { ID: number; AutoEnable: boolean; Protocol: string }) => {
      const protocol = r.Protocol === 'FTP' ? 'ftp' : r.Protocol === 'RSYNC' ? 'rsync' : 'all';
      const s = await admin.scan(positive(r.ID), { protocol, autoEnable: r.AutoEnable, timeoutSec: 0 });
      return { Enabled: s.enabled, FilesIndexed: s.filesIndexed, KnownIndexed: s.knownIndexed, Removed: s.removed, TZOffsetMs: s.tzOffsetMs };
    },
    StatsFile: async (r: { Pattern: string; DateStart?: Timestamp; DateEnd?: Timestamp }) =>
      ({ files: await admin.statsFile(r.Pattern, fromTimestamp(r.DateStart), fromTimestamp(r.DateEnd)) }),
    StatsMirror: async (r: { ID: number; DateStart?: Timestamp; DateEnd?: Timestamp }) => {
      const s = await admin.statsMirror(positive(r.ID), fromTimestamp(r.DateStart), fromTimestamp(r.DateEnd));
      return { Mirror: mirrorMessage(s.mirror), Requests: s.requests, Bytes: s.bytes };
    },
    GetMirrorLogs: async (r: { ID: number; MaxResults: number }) => ({ line: await admin.logs(positive(r.ID), r.MaxResults) }),
    MatchMirror: async (r: { Pattern: string }) => ({ Mirrors: await admin.match(r.Pattern) }),
  };
}

export function createRpcServer(o: RpcServerOptions): grpc.Server {
  const server = new grpc.Server();
  const expected = digest(o.password);
  const handlers = cliHandlers(o.admin);
  const impl: grpc.UntypedServiceImplementation = {};
  for (const [name, h] of Object.entries(handlers)) {
    impl[name] = (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) => {
      const given = call.metadata.get('password')[0];
      if (given === undefined || !timingSafeEqual(digest(String(given)), expected)) {
        callback({ code: grpc.status.UNAUTHENTICATED, details: 'access denied' });
        return;
      }
      h(call.request).then(
        (reply) => callback(null, reply),
        (err: unknown) => {
          const explicit = (err as { grpc?: grpc.status }).grpc;
          const s = statusOf(err);
          if (s.code === grpc.status.INTERNAL && explicit === undefined) o.onError?.(err);
          callback({ code: explicit ?? s.code, details: s.details });
        },
      );
    };
  }
  server.addService(cliServiceDefinition(), impl);
  return server;
}

/** Bind `host:port` (port 0 = any free port); resolves the bound port. */
export function listenRpc(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port)));
  });
}
