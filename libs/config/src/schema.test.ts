import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, parseConfig, parseConfigDetailed, type Config } from './index.ts';

const testdata = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata');
const read = (f: string) => readFileSync(join(testdata, f), 'utf8');

/** The message a bad value produces (Repository set so only the tested key can fail). */
function errorOf(yaml: string, env: Record<string, string> = {}): string {
  try {
    parseConfig(`Repository: /srv/repo\n${yaml}`, env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('defaults', () => {
  it('match contract §5 and the Mirrorball table', () => {
    const expected: Config = {
      Repository: '',
      Templates: '',
      LocalJSPath: '',
      OutputMode: 'auto',
      ListenAddress: ':8080',
      Gzip: false,
      AllowHTTPToHTTPSRedirects: true,
      SameDownloadInterval: 600,
      RedisAddress: '127.0.0.1:6379',
      RedisPassword: '',
      RedisDB: 0,
      RedisSentinelMasterName: '',
      RedisSentinels: [],
      LogDir: '',
      TraceFileLocation: '',
      GeoipDatabasePath: '/usr/share/GeoIP/',
      ConcurrentSync: 5,
      ScanInterval: 30,
      CheckInterval: 1,
      RepositoryScanInterval: 5,
      MaxLinkHeaders: 10,
      FixTimezoneOffsets: false,
      Hashes: { SHA1: false, SHA256: true, MD5: false },
      DisallowRedirects: false,
      WeightDistributionRange: 1.5,
      DisableOnMissingFile: false,
      AllowOutdatedFiles: [],
      Fallbacks: [],
      RPCListenAddress: 'localhost:3390',
      RPCPassword: '',
      AdminListenAddress: '127.0.0.1:8081',
      WorkerListenAddress: '127.0.0.1:8082',
      ScannerListenAddress: '127.0.0.1:8083',
      AdminToken: '',
      TrustedProxies: ['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
      CountHeadRequests: true,
      RedisTLS: false,
      RedisSentinelPassword: '',
      StatsRetention: { DailyDays: 0, MonthlyMonths: 0 },
      Source: {
        Type: 'local',
        Path: '',
        S3: {
          Endpoint: '',
          Region: 'us-east-1',
          Bucket: '',
          Prefix: '',
          ForcePathStyle: null,
          TrustMetadataHash: false,
          ListConcurrency: 4,
          HashConcurrency: 4,
          AccessKeyId: '',
          SecretAccessKey: '',
        },
      },
      RangeHashes: { Count: 4, Size: 65536 },
      ContentCheck: { FilesPerCheck: 5, Interval: 60 },
      HttpScan: { Concurrency: 4, RequestsPerSecond: 20 },
      MetalinkEnabled: true,
      DigestHeaders: false,
    };
    expect(defaultConfig()).toEqual(expected);
  });

  it('are fresh objects each time', () => {
    const a = defaultConfig();
    a.TrustedProxies.push('192.0.2.1');
    a.Hashes.MD5 = true;
    expect(defaultConfig().TrustedProxies).toHaveLength(6);
    expect(defaultConfig().Hashes.MD5).toBe(false);
  });

  it('an empty value means the default', () => {
    const c = parseConfig('Repository: /r\nGeoipDatabasePath:\nScanInterval: ~\nHashes:\nFallbacks:\n');
    expect(c.GeoipDatabasePath).toBe('/usr/share/GeoIP/');
    expect(c.ScanInterval).toBe(30);
    expect(c.Hashes).toEqual({ SHA1: false, SHA256: true, MD5: false });
    expect(c.Fallbacks).toEqual([]);
  });
});

describe('Mirrorbits sample-style file', () => {
  it('parses with every value', () => {
    const { config: c, warnings } = parseConfigDetailed(read('mirrorbits.conf'));
    expect(warnings).toEqual([]);
    expect(c.Repository).toBe('/srv/repo');
    expect(c.Source).toMatchObject({ Type: 'local', Path: '/srv/repo' });
    expect(c.Templates).toBe('/usr/share/mirrorbits/');
    expect(c.Gzip).toBe(false);
    expect(c.AllowHTTPToHTTPSRedirects).toBe(true);
    expect(c.RedisSentinels).toEqual([{ Host: '10.0.0.1:26379' }, { Host: '10.0.0.2:26379' }, { Host: '10.0.0.3:26379' }]);
    expect(c.Hashes).toEqual({ SHA1: true, SHA256: true, MD5: false });
    expect(c.AllowOutdatedFiles).toEqual([
      { Prefix: '/distro/updates/', Minutes: 120 },
      { Prefix: '/', Minutes: 5 },
    ]);
    expect(c.Fallbacks).toEqual([
      { URL: 'https://fallback1.mirror/repo/', CountryCode: 'FR', ContinentCode: 'EU' },
      { URL: 'fallback2.mirror/repo/', CountryCode: 'US', ContinentCode: 'NA' },
    ]);
    expect(c.RPCPassword).toBe('rpcsecret');
    expect(c.TraceFileLocation).toBe('/trace');
  });

  it('parses the Mirrorball keys', () => {
    const c = parseConfig(read('mirrorball.yaml'));
    expect(c.Source).toEqual({
      Type: 's3',
      Path: '',
      S3: {
        Endpoint: 'http://127.0.0.1:9000',
        Region: 'eu-west-3',
        Bucket: 'downloads.example.org',
        Prefix: 'pub/',
        ForcePathStyle: true,
        TrustMetadataHash: true,
        ListConcurrency: 8,
        HashConcurrency: 2,
        AccessKeyId: '',
        SecretAccessKey: '',
      },
    });
    expect(c.Repository).toBe('');
    expect(c.AdminToken).toBe('s3cr3t #not-a-comment');
    expect(c.TrustedProxies).toEqual(['10.1.0.0/16', '2001:db8::/32', '192.0.2.7']);
    expect(c.CountHeadRequests).toBe(false);
    expect(c.RedisTLS).toBe(true); // implied by rediss://
    expect(c.StatsRetention).toEqual({ DailyDays: 90, MonthlyMonths: 24 });
    expect(c.RangeHashes).toEqual({ Count: 8, Size: 1048576 });
    expect(c.ContentCheck).toEqual({ FilesPerCheck: 10, Interval: 30 });
    expect(c.HttpScan).toEqual({ Concurrency: 2, RequestsPerSecond: 2.5 });
    expect(c.MetalinkEnabled).toBe(false);
    expect(c.DigestHeaders).toBe(true);
    expect(c.WorkerListenAddress).toBe('[::1]:9082');
  });
});

describe('typing like yaml.v3', () => {
  it('accepts YAML 1.1 booleans for boolean keys', () => {
    for (const [text, v] of [['On', true], ['ON', true], ['yes', true], ['Y', true], ['true', true], ['Off', false], ['no', false], ['N', false], ['FALSE', false]] as const) {
      expect(parseConfig(`Repository: /r\nGzip: ${text}\nHashes: {MD5: ${text}}`).Gzip).toBe(v);
      expect(parseConfig(`Repository: /r\nHashes: {MD5: ${text}}`).Hashes.MD5).toBe(v);
    }
  });

  it('keeps string keys as written', () => {
    const c = parseConfig('Repository: /r\nRedisPassword: 012345\nRPCPassword: On\nTemplates: "yes"');
    expect(c.RedisPassword).toBe('012345');
    expect(c.RPCPassword).toBe('On');
    expect(c.Templates).toBe('yes');
  });

  it('reads YAML integer forms and rounds WeightDistributionRange to float32', () => {
    const c = parseConfig('Repository: /r\nSameDownloadInterval: 1_200\nConcurrentSync: 0x10\nWeightDistributionRange: 1.1');
    expect(c.SameDownloadInterval).toBe(1200);
    expect(c.ConcurrentSync).toBe(16);
    expect(c.WeightDistributionRange).toBe(Math.fround(1.1));
  });

  it('clamps negative RepositoryScanInterval and MaxLinkHeaders to 0', () => {
    const c = parseConfig('Repository: /r\nRepositoryScanInterval: -5\nMaxLinkHeaders: -1');
    expect(c.RepositoryScanInterval).toBe(0);
    expect(c.MaxLinkHeaders).toBe(0);
  });

  it('makes relative paths absolute against cwd', () => {
    const c = parseConfig('Repository: repo', {}, { cwd: '/srv' });
    expect(c.Repository).toBe('/srv/repo');
    expect(c.Source.Path).toBe('/srv/repo');
    expect(parseConfig('Repository: /r\nSource: {Path: data}', {}, { cwd: '/x' }).Source.Path).toBe('/x/data');
  });

  it('warns about unknown keys, nested ones too, with their path', () => {
    const { warnings } = parseConfigDetailed('Repository: /r\nRedisAdress: x\ngzip: true\nHashes: {sha1: true}\nFallbacks: [{URL: a, Country: FR}]');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      'RedisAdress (did you mean RedisAddress?), gzip (did you mean Gzip?), Hashes.sha1 (did you mean SHA1?), Fallbacks[0].Country',
    );
  });
});

describe('validation errors name the key', () => {
  it.each([
    ['OutputMode: jsno', 'config: OutputMode: must be one of auto, json, redirect (got "jsno")'],
    ['Fallbacks:\n  - URL: http://a/\n  - CountryCode: FR', 'config: Fallbacks[1].URL: required'],
    ['Fallbacks: http://a/', 'config: Fallbacks: must be a list (got "http://a/")'],
    ['Fallbacks: [http://a/]', 'config: Fallbacks[0]: must be a map (got "http://a/")'],
    ['AllowOutdatedFiles: [{Prefix: distro/, Minutes: 3}]', 'config: AllowOutdatedFiles[0].Prefix: must start with "/" (got "distro/")'],
    ['AllowOutdatedFiles: [{Prefix: /d/, Minutes: -3}]', 'config: AllowOutdatedFiles[0].Minutes: must be ≥ 0 (got -3)'],
    ['WeightDistributionRange: 0', 'config: WeightDistributionRange: must be > 0 (got 0)'],
    ['WeightDistributionRange: -1.5', 'config: WeightDistributionRange: must be > 0 (got -1.5)'],
    ['WeightDistributionRange: wide', 'config: WeightDistributionRange: must be a number (got "wide")'],
    ['Gzip: maybe', 'config: Gzip: must be a boolean (true/false, yes/no, on/off) (got "maybe")'],
    ['ScanInterval: 1.5', 'config: ScanInterval: must be an integer (got "1.5")'],
    ['ScanInterval: [1]', 'config: ScanInterval: must be an integer (got a list)'],
    ['CheckInterval: 0', 'config: CheckInterval: must be ≥ 1 (got 0)'],
    ['Hashes: true', 'config: Hashes: must be a map (got "true")'],
    ['RedisAddress: localhost', 'config: RedisAddress: must be host:port or a redis:// or rediss:// URL (got "localhost")'],
    ['RedisSentinels: [{Host: 10.0.0.1}]', 'config: RedisSentinels[0].Host: must be host:port (got "10.0.0.1")'],
    ['RedisSentinels: [{Host: "10.0.0.1:26379"}]', 'config: RedisSentinelMasterName: required when RedisSentinels is set'],
    ['ListenAddress: "8080"', 'config: ListenAddress: must be host:port or unix:/path (got "8080")'],
    ['TrustedProxies: [10.0.0.0/33]', 'config: TrustedProxies[0]: must be an IP address or CIDR (got "10.0.0.0/33")'],
    ['Source: {Type: s3}', 'config: Source.S3.Bucket: required when Source.Type is s3'],
    ['Source: {Type: gcs}', 'config: Source.Type: must be one of local, s3 (got "gcs")'],
    ['Source: {S3: {ForcePathStyle: sometimes}}', 'config: Source.S3.ForcePathStyle: must be a boolean (true/false, yes/no, on/off) or empty for auto (got "sometimes")'],
    ['HttpScan: {RequestsPerSecond: 0}', 'config: HttpScan.RequestsPerSecond: must be > 0 (got 0)'],
  ])('%s', (yaml, message) => {
    expect(errorOf(yaml)).toBe(message);
  });

  it('requires Repository for a local source', () => {
    expect(() => parseConfig('Gzip: true')).toThrow('config: Repository: required (the local repository directory; or set Source.Type: s3)');
    expect(parseConfig('Source: {Path: /data}').Source.Path).toBe('/data');
  });

  it('counts further problems in the message and lists them all', () => {
    try {
      parseConfig('Repository: /r\nOutputMode: x\nGzip: x\nScanInterval: x');
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe('config: OutputMode: must be one of auto, json, redirect (got "x") (and 2 more problems)');
      expect((e as ConfigError).problems.map((p) => p.path)).toEqual(['OutputMode', 'Gzip', 'ScanInterval']);
    }
  });

  it('reports YAML syntax errors with the line', () => {
    expect(() => parseConfig('Repository: /r\nFallbacks: [\nGzip: true\n', {}, { source: '/etc/mb.yaml' })).toThrow(
      /^config: \/etc\/mb\.yaml: YAML syntax error at line 3, column 1: /,
    );
    expect(() => parseConfig('A: 1\nA: 2\n')).toThrow(/YAML syntax error at line 2, column 1: Map keys must be unique/);
  });

  it('rejects a file that is not a map', () => {
    expect(() => parseConfig('- a\n- b\n')).toThrow('config: the top level must be a map of keys (got a list)');
  });
});
