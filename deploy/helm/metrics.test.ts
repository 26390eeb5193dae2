/**
 * Metrics review: every metric the dashboard and the alert rules use exists in the apps' real
 * /metrics output, every rule expression parses as PromQL, and label matchers use the labels
 * (and label values) the apps emit. Each app is started as in production (its main.ts, against a
 * real redis-server); an app whose main.ts is not written yet is represented by its catalogue.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CATALOGUE, createMetricsRegistry, LABEL_VALUES, startOpsServer, type AppName, type MetricDef, type OpsServer } from '@mirrorball/metrics';
import { buildGeoDatabases, freePort, RedisServer } from '@mirrorball/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART, render, REPO } from './helm.ts';
import { checkPromQL, expandGrafanaVariables, metricFamily, type Selector } from './promql.ts';

// Rendered manifests and Grafana JSON are read loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;

const APPS: AppName[] = ['api', 'worker', 'scanner'];
const hasMain = (app: AppName) => existsSync(path.join(REPO, 'apps', app, 'src', 'main.ts'));
/** Series that come from Prometheus itself or kube-state-metrics, not from Mirrorball. */
const EXTERNAL = (name: string) => name === 'up' || name.startsWith('kube_');
/** Labels Prometheus adds from the scrape target. */
const TARGET_LABELS = new Set(['namespace', 'job', 'pod', 'instance', 'container', 'service', 'endpoint']);

/** Enumerated label values the apps emit (metric → label → values). */
const ENUMS: Record<string, Record<string, readonly string[]>> = {
  mirrorball_http_requests_total: { type: LABEL_VALUES.httpType },
  mirrorball_http_request_duration_seconds: { type: LABEL_VALUES.httpType },
  mirrorball_fallbacks_total: { reason: LABEL_VALUES.fallbackReason },
  mirrorball_cache_requests_total: { cache: LABEL_VALUES.cache, result: LABEL_VALUES.cacheResult },
  mirrorball_cache_entries: { cache: LABEL_VALUES.cache },
  mirrorball_scans_total: { protocol: LABEL_VALUES.scanProtocol, outcome: LABEL_VALUES.scanOutcome },
  mirrorball_queue_jobs: { state: LABEL_VALUES.queueState },
  mirrorball_content_checks_total: { outcome: LABEL_VALUES.contentCheckOutcome },
  mirrorball_stats_flush_total: { result: ['ok', 'error'] },
  mirrorball_index_runs_total: { outcome: ['success', 'failure', 'busy'] },
};

const families = new Map<AppName, Set<string>>();
const exposition = new Map<AppName, string>();
const how = new Map<AppName, string>();

function typeLines(body: string): Set<string> {
  return new Set([...body.matchAll(/^# TYPE (\S+) \S+$/gm)].map((m) => m[1]!));
}

async function scrape(port: number, timeoutMs: number, child?: ChildProcess, log?: () => string): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${log?.()}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/metrics`);
      if (r.status === 200) return await r.text();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no /metrics on ${port} after ${timeoutMs} ms: ${log?.()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let redis: RedisServer;
let dir: string;
const children: ChildProcess[] = [];
const servers: OpsServer[] = [];

beforeAll(async () => {
  redis = await RedisServer.start();
  dir = mkdtempSync(path.join(tmpdir(), 'mb-metrics-'));
  mkdirSync(path.join(dir, 'repo/release'), { recursive: true });
  writeFileSync(path.join(dir, 'repo/release/a.iso'), 'mirrorball\n');
  const geo = await buildGeoDatabases(path.join(dir, 'geoip'), [{ network: '198.51.100.0/24', country: 'FR', continent: 'EU', lat: 48.8, lon: 2.3, asn: 64500 }]);
  const ports = { public: await freePort(), admin: await freePort(), worker: await freePort(), scanner: await freePort(), rpc: await freePort() };
  const cfg = path.join(dir, 'mirrorball.yaml');
  writeFileSync(
    cfg,
    [
      `Repository: ${path.join(dir, 'repo')}`,
      `RedisAddress: ${redis.address}`,
      `GeoipDatabasePath: ${geo.path}`,
      `ListenAddress: 127.0.0.1:${ports.public}`,
      `AdminListenAddress: 127.0.0.1:${ports.admin}`,
      `WorkerListenAddress: 127.0.0.1:${ports.worker}`,
      `ScannerListenAddress: 127.0.0.1:${ports.scanner}`,
      `RPCListenAddress: 127.0.0.1:${ports.rpc}`,
      'AdminToken: metrics-test',
      '',
    ].join('\n'),
  );
  const opsPort: Record<AppName, number> = { api: ports.admin, worker: ports.worker, scanner: ports.scanner };
  await Promise.all(
    APPS.map(async (app) => {
      let body: string;
      if (hasMain(app)) {
        let log = '';
        const child = spawn(process.execPath, ['--import', 'tsx', `apps/${app}/src/main.ts`, '--config', cfg], {
          cwd: REPO,
          env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.push(child);
        child.stdout!.on('data', (d: Buffer) => (log = (log + d).slice(-4000)));
        child.stderr!.on('data', (d: Buffer) => (log = (log + d).slice(-4000)));
        body = await scrape(opsPort[app], 45_000, child, () => log);
        how.set(app, `apps/${app}/src/main.ts`);
      } else {
        // Not written yet: the app's registry as libs/metrics builds it, served over real HTTP.
        const m = createMetricsRegistry(app);
        const ops = await startOpsServer({ host: '127.0.0.1', port: 0, registry: m.registry, ready: () => true });
        servers.push(ops);
        body = await scrape(ops.port, 5000);
        how.set(app, 'catalogue (main.ts not written yet)');
      }
      exposition.set(app, body);
      families.set(app, typeLines(body));
    }),
  );
}, 90_000);

afterAll(async () => {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const t = setTimeout(() => c.kill('SIGKILL'), 10_000);
          c.once('exit', () => (clearTimeout(t), resolve()));
          c.kill('SIGTERM');
        }),
    ),
  );
  for (const s of servers) await s.close();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const allFamilies = () => new Set(APPS.flatMap((a) => [...families.get(a)!]));
const catalogueDef = (metric: string): MetricDef | undefined => {
  for (const app of APPS) for (const d of Object.values(CATALOGUE[app]) as MetricDef[]) if (d.name === metric || metricFamilyOf(metric) === d.name) return d;
  return undefined;
};
const metricFamilyOf = (n: string) => n.replace(/_(bucket|sum|count)$/, '');

/** Missing metrics, unknown labels and impossible label values in a set of selectors. */
function problems(selectors: Selector[]): string[] {
  const out: string[] = [];
  const known = allFamilies();
  for (const s of selectors) {
    if (!s.metric) {
      out.push('a selector without a metric name');
      continue;
    }
    if (EXTERNAL(s.metric)) continue;
    const family = metricFamily(s.metric, known);
    if (!family) {
      out.push(`${s.metric}: not exposed by J app`);
      continue;
    }
    const def = catalogueDef(s.metric);
    if (!def) continue; // process_/nodejs_ defaults
    for (const m of s.matchers) {
      const allowed = new Set<string>([...def.labels, ...TARGET_LABELS, ...(def.kind === 'histogram' ? ['le'] : [])]);
      if (!allowed.has(m.name)) out.push(`${s.metric}: no label ${m.name}`);
      const values = ENUMS[def.name]?.[m.name];
      if (!values) continue;
      const wanted = m.op === '=' ? [m.value] : m.op === '=~' && /^[\w|]+$/.test(m.value) ? m.value.split('|') : [];
      for (const v of wanted) if (!values.includes(v)) out.push(`${s.metric}: ${m.name}="${v}" is never emitted (${values.join(', ')})`);
    }
  }
  return out;
}

// Every rule the chart can render: scanner as a Deployment (index metrics), as a CronJob with
// kube-state-metrics, and the production file's extra rule.
function ruleSets(): { name: string; rules: { alert: string; expr: string }[] }[] {
  const variants = [
    { name: 'defaults + rules', values: [], set: ['metrics.prometheusRule.enabled=true'] },
    { name: 'scanner CronJob + kube-state-metrics', values: ['deploy/helm/mirrorball/ci/s3-cronjob-irsa-values.yaml'], set: [] },
    { name: 'production values', values: ['deploy/helm/mirrorball/ci/production-values.yaml'], set: [] },
  ];
  return variants.map((v) => {
    const rule = render({ values: v.values, set: v.set }).find((o) => o.kind === 'PrometheusRule') as J;
    return { name: v.name, rules: rule.spec.groups.flatMap((g: J) => g.rules) };
  });
}

describe('apps expose /metrics', () => {
  it.each(APPS)('%s: mirrorball_ metrics of its catalogue plus default process metrics, nothing unprefixed', (app) => {
    const f = families.get(app)!;
    for (const d of Object.values(CATALOGUE[app]) as MetricDef[]) expect(f.has(d.name), `${d.name} (${how.get(app)})`).toBe(true);
    expect(f.has('process_cpu_seconds_total')).toBe(true);
    expect(f.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);
    for (const name of f) expect(name).toMatch(/^(mirrorball|process|nodejs)_/);
    // Bounded labels: never a path, URL or client address in J exposed series.
    expect(exposition.get(app)).not.toMatch(/[{,](path|url|ip|client|file)="/);
  });

  it.each(APPS)('%s: enumerated labels carry only the values the catalogue documents', (app) => {
    const bad: string[] = [];
    for (const [, name, labels] of exposition.get(app)!.matchAll(/^(\w+)\{([^}]*)\}/gm)) {
      const enums = ENUMS[metricFamilyOf(name!)];
      if (!enums) continue;
      for (const [, k, v] of labels!.matchAll(/(\w+)="([^"]*)"/g)) if (enums[k!] && !enums[k!]!.includes(v!)) bad.push(`${name}{${k}="${v}"}`);
    }
    expect(bad).toEqual([]);
  });
});

describe('alert rules', () => {
  const sets = ruleSets();
  const all = sets.flatMap((s) => s.rules.map((r) => ({ set: s.name, ...r })));

  it('cover the alerts that matter', () => {
    const names = new Set(all.map((r) => r.alert));
    for (const a of [
      'MirrorballRequestsWithoutMirror',
      'MirrorballManyMirrorsDown',
      'MirrorballScansFailing',
      'MirrorballIndexStale',
      'MirrorballHighErrorRate',
      'MirrorballRedirectLatencyHigh',
      'MirrorballRedisUnreachable',
      'MirrorballQueueBacklog',
    ])
      expect(names.has(a), a).toBe(true);
  });

  it.each(all.map((r) => [`${r.set}: ${r.alert}`, r.expr] as const))('%s parses and uses only exposed metrics and labels', (_, expr) => {
    const c = checkPromQL(expr);
    expect(c.errors, expr).toEqual([]);
    expect(c.metrics.length).toBeGreaterThan(0);
    expect(problems(c.selectors)).toEqual([]);
  });

  it('the checks can fail: a typo in a metric, a label or a value is reported', () => {
    const c = checkPromQL('sum(rate(mirrorball_fallback_total{reason="no_mirror"}[5m])) + sum(rate(mirrorball_fallbacks_total{reson="x"}[5m])) + sum(rate(mirrorball_fallbacks_total{reason="nomirror"}[5m]))');
    expect(problems(c.selectors)).toEqual([
      'mirrorball_fallback_total: not exposed by J app',
      'mirrorball_fallbacks_total: no label reson',
      'mirrorball_fallbacks_total: reason="nomirror" is never emitted (no_mirror, redis_unavailable, not_indexed)',
    ]);
    expect(checkPromQL('sum(rate(mirrorball_redirects_total[5m]) >').errors.length).toBeGreaterThan(0);
  });
});

describe('Grafana dashboard', () => {
  const dash = JSON.parse(readFileSync(path.join(CHART, 'files/dashboards/mirrorball.json'), 'utf8'));
  const targets: { title: string; expr: string }[] = dash.panels.flatMap((p: J) => (p.targets ?? []).map((t: J) => ({ title: p.title, expr: t.expr })));

  it('shows redirects by outcome, country and mirror, latency, cache hits, mirrors up/down, scan freshness and queue depth', () => {
    const used = new Set(targets.flatMap((t) => checkPromQL(expandGrafanaVariables(t.expr)).metrics));
    for (const m of [
      'mirrorball_http_requests_total',
      'mirrorball_redirects_total',
      'mirrorball_fallbacks_total',
      'mirrorball_http_request_duration_seconds_bucket',
      'mirrorball_cache_requests_total',
      'mirrorball_mirrors_up',
      'mirrorball_mirrors_down',
      'mirrorball_mirror_last_successful_scan_timestamp_seconds',
      'mirrorball_queue_jobs',
      'mirrorball_index_last_success_timestamp_seconds',
    ])
      expect(used.has(m), m).toBe(true);
    const exprs = targets.map((t) => t.expr).join('\n');
    expect(exprs).toMatch(/sum by \(country\)/);
    expect(exprs).toMatch(/sum by \(mirror\)/);
  });

  it.each(targets.map((t) => [t.title, t.expr] as const))('%s: %s', (_, expr) => {
    const c = checkPromQL(expandGrafanaVariables(expr));
    expect(c.errors).toEqual([]);
    expect(problems(c.selectors)).toEqual([]);
  });

  it('the namespace variable queries an exposed metric; panel ids are unique', () => {
    const q = dash.templating.list.find((v: J) => v.name === 'namespace').query.query as string;
    const metric = /label_values\((\w+),/.exec(q)![1]!;
    expect(allFamilies().has(metric)).toBe(true);
    const ids = dash.panels.map((p: J) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
