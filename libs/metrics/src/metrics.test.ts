import { describe, expect, it } from 'vitest';
import { API_METRICS, CATALOGUE, createMetricsRegistry, LABEL_VALUES, METRIC_NAMES, metricsText, SCANNER_METRICS, WORKER_METRICS } from './index.ts';

describe('catalogue', () => {
  it('names every metric with the mirrorball_ prefix and Prometheus suffixes', () => {
    for (const app of ['api', 'worker', 'scanner'] as const) {
      for (const def of Object.values(CATALOGUE[app])) {
        expect(def.name).toMatch(/^mirrorball_[a-z0-9_]+$/);
        if (def.kind === 'counter') expect(def.name, def.name).toMatch(/_total$/);
        else expect(def.name, def.name).not.toMatch(/_total$/);
        if (def.kind === 'histogram') expect(def.name).toMatch(/_seconds$/);
        // Bounded labels only.
        for (const l of def.labels) expect(['path', 'ip', 'url', 'client', 'file']).not.toContain(l);
      }
    }
  });

  it('lists the names per app, without duplicates across apps', () => {
    expect(METRIC_NAMES.api).toContain('mirrorball_http_requests_total');
    expect(METRIC_NAMES.api).toHaveLength(Object.keys(API_METRICS).length);
    expect(METRIC_NAMES.worker).toContain('mirrorball_mirror_last_successful_scan_timestamp_seconds');
    expect(METRIC_NAMES.worker).toHaveLength(Object.keys(WORKER_METRICS).length);
    expect(METRIC_NAMES.scanner).toContain('mirrorball_index_errors_total');
    expect(METRIC_NAMES.scanner).toHaveLength(Object.keys(SCANNER_METRICS).length);
    const all = [...METRIC_NAMES.api, ...METRIC_NAMES.worker, ...METRIC_NAMES.scanner];
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('createMetricsRegistry', () => {
  it('exposes the app catalogue with typed accessors, plus default process metrics', async () => {
    const m = createMetricsRegistry('api');
    m.httpRequests.inc({ type: 'redirect', status: 302, method: 'GET' });
    m.httpRequests.inc({ type: 'redirect', status: 302, method: 'GET' });
    m.redirects.inc({ country: 'FR', mirror: 'ftp.example' });
    m.httpRequestDuration.observe({ type: 'redirect' }, 0.0003);
    m.redisUp.set(1);
    m.noMirror.inc();
    const { contentType, body } = await metricsText(m.registry);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(body).toContain('mirrorball_http_requests_total{type="redirect",status="302",method="GET"} 2');
    expect(body).toContain('mirrorball_redirects_total{country="FR",mirror="ftp.example"} 1');
    expect(body).toContain('mirrorball_http_request_duration_seconds_bucket{le="0.0005",type="redirect"} 1');
    expect(body).toContain('mirrorball_http_request_duration_seconds_bucket{le="0.00025",type="redirect"} 0');
    expect(body).toContain('mirrorball_redis_up 1');
    expect(body).toContain('mirrorball_no_mirror_total 1');
    expect(body).toMatch(/^process_cpu_user_seconds_total /m);
    expect(body).toMatch(/^nodejs_eventloop_lag_seconds /m);
    for (const name of METRIC_NAMES.api) expect(body).toContain(`# TYPE ${name} `);
    // Worker metrics are not in the api registry.
    expect(body).not.toContain('mirrorball_scans_total');
  });

  it('keeps registries independent, so several apps can live in one process', async () => {
    const a = createMetricsRegistry('worker', { defaultMetrics: false });
    const b = createMetricsRegistry('worker', { defaultMetrics: false });
    a.scans.inc({ protocol: 'rsync', outcome: 'success' });
    a.mirrorUp.set({ mirror: 'm1', protocol: 'https' }, 1);
    expect(await a.registry.metrics()).toContain('mirrorball_scans_total{protocol="rsync",outcome="success"} 1');
    expect(await b.registry.metrics()).not.toContain('protocol="rsync"');
    expect(await a.registry.metrics()).not.toContain('process_cpu');
    // A removed mirror's series goes away.
    a.mirrorUp.remove({ mirror: 'm1', protocol: 'https' });
    expect(await a.registry.metrics()).not.toContain('mirror="m1"');
  });

  it('scanner registry has every scanner metric', async () => {
    const s = createMetricsRegistry('scanner', { defaultMetrics: false });
    s.indexErrors.inc({ source: 's3', kind: 'throttled' });
    s.indexBytesHashed.inc({ source: 's3' }, 1024);
    const body = await s.registry.metrics();
    expect(body).toContain('mirrorball_index_errors_total{source="s3",kind="throttled"} 1');
    expect(body).toContain('mirrorball_index_bytes_hashed_total{source="s3"} 1024');
    for (const name of METRIC_NAMES.scanner) expect(body).toContain(`# HELP ${name} `);
  });

  it('rejects labels outside the catalogue', () => {
    const m = createMetricsRegistry('api', { defaultMetrics: false });
    // @ts-expect-error: `path` is not a label of this metric (and never may be).
    expect(() => m.redirects.inc({ path: '/x' })).toThrow();
    expect(LABEL_VALUES.httpType).toContain('torrent');
  });
});
