import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_ENV_VARIABLES, ConfigError, defaultConfig, loadConfig, parseConfig, parseConfigDetailed, reloadConfig, resolveConfigPath, watchConfig } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'mb-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const quiet = { onWarning: () => {} };

describe('config file location', () => {
  const f = file('a.yaml', 'Repository: /a\n');
  it.each([
    [['--config', f]],
    [[`--config=${f}`]],
    [['-config', f]],
    [[`-config=${f}`]],
    [['serve', '-config', f, '--other']],
  ])('%j', (argv) => {
    expect(resolveConfigPath({ argv, env: {} })).toBe(f);
  });

  it('falls back to MIRRORBALL_CONFIG, then an existing defaultPath, then nothing', () => {
    expect(resolveConfigPath({ argv: [], env: { MIRRORBALL_CONFIG: '/x.yaml' }, defaultPath: f })).toBe('/x.yaml');
    expect(resolveConfigPath({ argv: [], env: {}, defaultPath: f })).toBe(f);
    expect(resolveConfigPath({ argv: [], env: {}, defaultPath: join(dir, 'missing.yaml') })).toBeUndefined();
  });

  it('rejects --config without a value', () => {
    expect(() => resolveConfigPath({ argv: ['--config'], env: {} })).toThrow('config: --config needs a file name');
  });

  it('loads the file; no file at all gives plain defaults without requiring Repository', () => {
    expect(loadConfig({ argv: ['-config', f], env: {}, ...quiet }).Repository).toBe('/a');
    const d = loadConfig({ argv: [], env: {}, ...quiet });
    expect(d.Repository).toBe('');
    expect(d.ListenAddress).toBe(':8080');
  });

  it('names an unreadable file and the reason', () => {
    const missing = join(dir, 'nope.conf');
    expect(() => loadConfig({ argv: ['--config', missing], env: {}, ...quiet })).toThrow(`config: cannot read ${missing}: ENOENT`);
    expect(() => loadConfig({ argv: ['--config', dir], env: {}, ...quiet })).toThrow(`config: cannot read ${dir}: EISDIR`);
  });

  it('reports unknown keys through onWarning', () => {
    const w: string[] = [];
    loadConfig({ argv: ['--config', file('typo.yaml', 'Repository: /a\nRepositry: /b\n')], env: {}, onWarning: (m) => w.push(m) });
    expect(w).toEqual([expect.stringContaining('unknown key (check spelling and case): Repositry')]);
  });
});

describe('environment overrides', () => {
  it('sets top-level keys by UPPER_SNAKE name, scalars verbatim', () => {
    const c = parseConfig('Repository: /r\nRedisAddress: 10.0.0.1:6379\n', {
      MIRRORBALL_REDIS_ADDRESS: '10.9.9.9:7000',
      MIRRORBALL_ADMIN_TOKEN: 'tok #1: x',
      MIRRORBALL_GZIP: 'on',
      MIRRORBALL_ALLOW_HTTP_TO_HTTPS_REDIRECTS: 'no',
      MIRRORBALL_RPC_LISTEN_ADDRESS: ':4000',
      MIRRORBALL_GEOIP_DATABASE_PATH: '/geo',
      MIRRORBALL_WEIGHT_DISTRIBUTION_RANGE: '2',
    });
    expect(c.RedisAddress).toBe('10.9.9.9:7000');
    expect(c.AdminToken).toBe('tok #1: x');
    expect(c.Gzip).toBe(true);
    expect(c.AllowHTTPToHTTPSRedirects).toBe(false);
    expect(c.RPCListenAddress).toBe(':4000');
    expect(c.GeoipDatabasePath).toBe('/geo');
    expect(c.WeightDistributionRange).toBe(2);
  });

  it('parses lists and maps as YAML', () => {
    const c = parseConfig('Repository: /r\nFallbacks: [{URL: "http://old/"}]\n', {
      MIRRORBALL_FALLBACKS: '[{URL: "https://x", CountryCode: us}]',
      MIRRORBALL_TRUSTED_PROXIES: '[10.0.0.0/8]',
      MIRRORBALL_HASHES: '{MD5: yes}',
    });
    expect(c.Fallbacks).toEqual([{ URL: 'https://x/', CountryCode: 'US', ContinentCode: '' }]);
    expect(c.TrustedProxies).toEqual(['10.0.0.0/8']);
    expect(c.Hashes).toEqual({ SHA1: false, SHA256: true, MD5: true });
  });

  it('sets nested keys with __, refining a whole-object override', () => {
    const c = parseConfig('Source:\n  Type: s3\n  S3: {Bucket: from-file, Region: eu-west-1}\n', {
      MIRRORBALL_SOURCE__S3__BUCKET: 'from.env',
      MIRRORBALL_SOURCE__S3__FORCE_PATH_STYLE: 'false',
      MIRRORBALL_STATS_RETENTION: '{DailyDays: 7}',
      MIRRORBALL_STATS_RETENTION__MONTHLY_MONTHS: '12',
    });
    expect(c.Source.S3).toMatchObject({ Bucket: 'from.env', Region: 'eu-west-1', ForcePathStyle: false });
    expect(c.StatsRetention).toEqual({ DailyDays: 7, MonthlyMonths: 12 });
  });

  it('names the variable when its value is invalid', () => {
    expect(() => parseConfig('Repository: /r', { MIRRORBALL_OUTPUT_MODE: 'html' })).toThrow(
      'config: OutputMode: must be one of auto, json, redirect (got "html") (from environment variable MIRRORBALL_OUTPUT_MODE)',
    );
    expect(() => parseConfig('Repository: /r', { MIRRORBALL_FALLBACKS: '[{URL: ' })).toThrow(
      /^config: environment variable MIRRORBALL_FALLBACKS: YAML syntax error at line 1/,
    );
  });

  it('warns about MIRRORBALL_ variables that look like misspelt keys, not about unrelated ones', () => {
    const { warnings } = parseConfigDetailed('Repository: /r', {
      env: { MIRRORBALL_REDIS_ADRESS: 'x:1', MIRRORBALL_LOG_LEVEL: 'debug', MIRRORBALL_CONFIG: '/x', MIRRORBALL_VERSION: '1' },
    });
    expect(warnings).toEqual(['ignoring environment variable that matches no key: MIRRORBALL_REDIS_ADRESS (did you mean MIRRORBALL_REDIS_ADDRESS?)']);
  });

  it('takes a,b for lists of scalars and lists every variable', () => {
    expect(parseConfig('Repository: /r', { MIRRORBALL_TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.1' }).TrustedProxies).toEqual(['10.0.0.0/8', '192.0.2.1']);
    expect(CONFIG_ENV_VARIABLES).toContainEqual({ name: 'MIRRORBALL_SOURCE__S3__BUCKET', key: 'Source.S3.Bucket' });
    expect(CONFIG_ENV_VARIABLES).toContainEqual({ name: 'MIRRORBALL_REDIS_DB', key: 'RedisDB' });
    expect(CONFIG_ENV_VARIABLES.filter((v) => !v.key.includes('.')).map((v) => v.key)).toEqual(Object.keys(defaultConfig()));
  });

  it('rediss:// implies RedisTLS', () => {
    expect(parseConfig('Repository: /r', { MIRRORBALL_REDIS_ADDRESS: 'rediss://h:6380' }).RedisTLS).toBe(true);
    expect(parseConfig('Repository: /r', { MIRRORBALL_REDIS_ADDRESS: 'redis://h:6380' }).RedisTLS).toBe(false);
  });
});

describe('reload', () => {
  it('re-reads the same sources; a bad edit throws and the caller keeps the old Config', () => {
    const p = file('reload.yaml', 'Repository: /r\nOutputMode: json\n');
    const first = loadConfig({ argv: ['--config', p], env: {}, ...quiet });
    expect(first.OutputMode).toBe('json');
    writeFileSync(p, 'Repository: /r\nOutputMode: jsno\n');
    expect(() => reloadConfig()).toThrow(ConfigError);
    expect(first.OutputMode).toBe('json');
    writeFileSync(p, 'Repository: /r\nOutputMode: redirect\n');
    expect(reloadConfig().OutputMode).toBe('redirect');
  });

  it('watchConfig delivers valid edits and reports invalid ones', async () => {
    const p = file('watch.yaml', 'Repository: /r\nScanInterval: 10\n');
    const seen: number[] = [];
    const errors: unknown[] = [];
    const stop = watchConfig({ argv: ['--config', p], env: {}, ...quiet }, (c) => seen.push(c.ScanInterval), (e) => errors.push(e), 20);
    try {
      await new Promise((r) => setTimeout(r, 60));
      writeFileSync(p, 'Repository: /r\nScanInterval: zero\n');
      await expect.poll(() => errors.length, { timeout: 3000 }).toBe(1);
      writeFileSync(p, 'Repository: /r\nScanInterval: 20\n# longer\n');
      await expect.poll(() => seen, { timeout: 3000 }).toEqual([20]);
    } finally {
      stop();
    }
  });
});

describe('exitOnConfigError', () => {
  it('prints one line and exits 1', () => {
    const script = `import { exitOnConfigError, loadConfig } from ${JSON.stringify(new URL('./index.ts', import.meta.url).pathname)};
      exitOnConfigError(() => loadConfig({ argv: ['--config', '/nonexistent/mb.yaml'], env: {} }));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('config: cannot read /nonexistent/mb.yaml: ENOENT\n');
  });

  it('handles async functions too', () => {
    const script = `import { exitOnConfigError, parseConfig } from ${JSON.stringify(new URL('./index.ts', import.meta.url).pathname)};
      await exitOnConfigError(async () => { await null; return parseConfig('Repository: /r\\nOutputMode: x'); });`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20000 });
    expect(r.stderr).toBe('config: OutputMode: must be one of auto, json, redirect (got "x")\n');
    expect(r.status).toBe(1);
  });
});
