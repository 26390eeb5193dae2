/**
 * The validated configuration. Key names are Mirrorbits' own (contract §5), PascalCase,
 * nested objects too; Mirrorball's additions are marked. Every field has its default filled in.
 */

export type OutputMode = 'auto' | 'json' | 'redirect';
export type SourceType = 'local' | 's3';

export interface FallbackConfig {
  /** Normalised with a trailing `/`; may be scheme-less (`mirror.example/pub/`). */
  URL: string;
  /** Upper-cased. */
  CountryCode: string;
  /** Upper-cased. */
  ContinentCode: string;
}

export interface OutdatedFilesRule {
  /** "" or starting with `/`. */
  Prefix: string;
  /** ≥ 0. */
  Minutes: number;
}

export interface SentinelConfig {
  /** `host:port`. */
  Host: string;
}

export interface HashesConfig {
  SHA1: boolean;
  SHA256: boolean;
  MD5: boolean;
}

export interface S3SourceConfig {
  /** "" = AWS's endpoint for Region. */
  Endpoint: string;
  Region: string;
  /** Required when Source.Type is `s3`. */
  Bucket: string;
  /** Key prefix inside the bucket that maps to the repository root ("" = whole bucket). */
  Prefix: string;
  /** null = auto (path style for custom endpoints and dotted bucket names). */
  ForcePathStyle: boolean | null;
  /** Use hashes stored in object metadata instead of downloading the object. */
  TrustMetadataHash: boolean;
  ListConcurrency: number;
  HashConcurrency: number;
  /** "" = the SDK's default credential chain (env, profile, IRSA, …). Mirrorball addition. */
  AccessKeyId: string;
  SecretAccessKey: string;
}

export interface SourceConfig {
  Type: SourceType;
  /** Local source directory, absolute; defaults to Repository. "" only when Type is s3 or no config was given. */
  Path: string;
  S3: S3SourceConfig;
}

export interface Config {
  // ---- Mirrorbits keys (contract §5) ----
  /** Absolute. "" only when no config file was given at all (plain defaults) or Source.Type is s3. */
  Repository: string;
  /** "" = the api's built-in templates. */
  Templates: string;
  LocalJSPath: string;
  OutputMode: OutputMode;
  ListenAddress: string;
  Gzip: boolean;
  AllowHTTPToHTTPSRedirects: boolean;
  /** Seconds; 0 disables de-duplication. */
  SameDownloadInterval: number;
  /** `host:port` or `redis://…` / `rediss://…` URL. */
  RedisAddress: string;
  RedisPassword: string;
  RedisDB: number;
  RedisSentinelMasterName: string;
  RedisSentinels: SentinelConfig[];
  LogDir: string;
  TraceFileLocation: string;
  GeoipDatabasePath: string;
  ConcurrentSync: number;
  /** Minutes. */
  ScanInterval: number;
  /** Minutes. */
  CheckInterval: number;
  /** Minutes; 0 disables; negative clamped to 0. */
  RepositoryScanInterval: number;
  /** Negative clamped to 0 (Mirrorbits crashes). */
  MaxLinkHeaders: number;
  FixTimezoneOffsets: boolean;
  Hashes: HashesConfig;
  DisallowRedirects: boolean;
  /** float32-rounded, > 0. */
  WeightDistributionRange: number;
  DisableOnMissingFile: boolean;
  AllowOutdatedFiles: OutdatedFilesRule[];
  Fallbacks: FallbackConfig[];
  RPCListenAddress: string;
  RPCPassword: string;

  // ---- Mirrorball keys ----
  AdminListenAddress: string;
  WorkerListenAddress: string;
  ScannerListenAddress: string;
  /** "" = the admin API refuses every /api call. */
  AdminToken: string;
  /** CIDRs or bare IPs whose X-Forwarded-For is trusted. */
  TrustedProxies: string[];
  CountHeadRequests: boolean;
  /** True when set, or implied by a `rediss://` RedisAddress. */
  RedisTLS: boolean;
  RedisSentinelPassword: string;
  StatsRetention: { DailyDays: number; MonthlyMonths: number };
  Source: SourceConfig;
  RangeHashes: { Count: number; Size: number };
  /** Interval in minutes. */
  ContentCheck: { FilesPerCheck: number; Interval: number };
  HttpScan: { Concurrency: number; RequestsPerSecond: number };
  MetalinkEnabled: boolean;
  /**
   * Mirrorball: add `Digest` and `Repr-Digest` (the file's SHA-256) and, with MetalinkEnabled, a
   * `Link: <…?meta4>; rel=describedby` to redirects and JSON answers (Metalink/HTTP, RFC 6249 and
   * RFC 9530, read by aria2). Off by default: Mirrorbits sends none of them, and they made a
   * warm redirect ~15 % more expensive (bench/redirect).
   */
  DigestHeaders: boolean;
}
