/** The zod schema for the configuration file: every key, its type and its default. */
import { z } from 'zod';
import { isValidCidr, parseListenAddress, parseRedisAddress } from './addresses.ts';
import { bool, int, item, list, map, oneOf, optionalBool, positiveNumber, requiredStr, str } from './coerce.ts';
import type { Config } from './types.ts';

export const DEFAULT_TRUSTED_PROXIES = ['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'];

/** A string key whose non-empty value must pass `check` (which throws with the reason). */
const checked = (def: string, check: (s: string) => unknown) =>
  str(def).superRefine((s, ctx) => {
    try {
      check(s);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
    }
  });

const listenAddress = (def: string) => checked(def, parseListenAddress);

const fallback = item({
  URL: requiredStr().transform((u) => (u.endsWith('/') ? u : u + '/')),
  CountryCode: str('').transform((s) => s.toUpperCase()),
  ContinentCode: str('').transform((s) => s.toUpperCase()),
});

const outdatedRule = item({
  Prefix: str('').refine((p) => p === '' || p.startsWith('/'), { error: (i) => `must start with "/" (got ${JSON.stringify(i.input)})` }),
  Minutes: int(0, { min: 0 }),
});

const sentinel = item({
  Host: requiredStr().superRefine((s, ctx) => {
    try {
      parseListenAddress(s);
      if (s.startsWith('unix:') || s.startsWith(':')) throw new Error();
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be host:port (got ${JSON.stringify(s)})` });
    }
  }),
});

const cidr = requiredStr().refine(isValidCidr, { error: (i) => `must be an IP address or CIDR (got ${JSON.stringify(i.input)})` });

export const ConfigSchema = z.object({
  Repository: str(''),
  Templates: str(''),
  LocalJSPath: str(''),
  OutputMode: oneOf(['auto', 'json', 'redirect'] as const, 'auto'),
  ListenAddress: listenAddress(':8080'),
  Gzip: bool(false),
  AllowHTTPToHTTPSRedirects: bool(true),
  SameDownloadInterval: int(600, { min: 0 }),
  RedisAddress: checked('127.0.0.1:6379', parseRedisAddress),
  RedisPassword: str(''),
  RedisDB: int(0, { min: 0 }),
  RedisSentinelMasterName: str(''),
  RedisSentinels: list(sentinel),
  LogDir: str(''),
  TraceFileLocation: str(''),
  GeoipDatabasePath: str('/usr/share/GeoIP/'),
  ConcurrentSync: int(5, { min: 1 }),
  ScanInterval: int(30, { min: 1 }),
  CheckInterval: int(1, { min: 1 }),
  RepositoryScanInterval: int(5, { min: 0, clampMin: true }),
  MaxLinkHeaders: int(10, { min: 0, clampMin: true }),
  FixTimezoneOffsets: bool(false),
  Hashes: map({ SHA1: bool(false), SHA256: bool(true), MD5: bool(false) }),
  DisallowRedirects: bool(false),
  WeightDistributionRange: positiveNumber(1.5, { float32: true }),
  DisableOnMissingFile: bool(false),
  AllowOutdatedFiles: list(outdatedRule),
  Fallbacks: list(fallback),
  RPCListenAddress: listenAddress('localhost:3390'),
  RPCPassword: str(''),

  AdminListenAddress: listenAddress('127.0.0.1:8081'),
  WorkerListenAddress: listenAddress('127.0.0.1:8082'),
  ScannerListenAddress: listenAddress('127.0.0.1:8083'),
  AdminToken: str(''),
  TrustedProxies: list(cidr, DEFAULT_TRUSTED_PROXIES),
  CountHeadRequests: bool(true),
  RedisTLS: bool(false),
  RedisSentinelPassword: str(''),
  StatsRetention: map({ DailyDays: int(0, { min: 0 }), MonthlyMonths: int(0, { min: 0 }) }),
  Source: map({
    Type: oneOf(['local', 's3'] as const, 'local'),
    Path: str(''),
    S3: map({
      Endpoint: str(''),
      Region: str('us-east-1'),
      Bucket: str(''),
      Prefix: str(''),
      ForcePathStyle: optionalBool(),
      TrustMetadataHash: bool(false),
      ListConcurrency: int(4, { min: 1 }),
      HashConcurrency: int(4, { min: 1 }),
      AccessKeyId: str(''),
      SecretAccessKey: str(''),
    }),
  }),
  RangeHashes: map({ Count: int(4, { min: 0 }), Size: int(65536, { min: 1 }) }),
  ContentCheck: map({ FilesPerCheck: int(5, { min: 0 }), Interval: int(60, { min: 1 }) }),
  HttpScan: map({ Concurrency: int(4, { min: 1 }), RequestsPerSecond: positiveNumber(20) }),
  MetalinkEnabled: bool(true),
  DigestHeaders: bool(false),
});

// Compile-time guard: the schema's output and the documented Config type stay identical.
type SchemaOut = z.output<typeof ConfigSchema>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<SchemaOut, Config> = true;
void sameShape;
