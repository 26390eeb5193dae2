/** Builds a Registry for one app: default Node process metrics plus the app's catalogue. */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CATALOGUE, type AppName, type CounterDef, type GaugeDef, type HistogramDef, type MetricDef } from './catalogue.ts';

type Instance<D> =
  D extends CounterDef<infer L> ? Counter<L> : D extends GaugeDef<infer L> ? Gauge<L> : D extends HistogramDef<infer L> ? Histogram<L> : never;

export type MetricsOf<A extends AppName> = { readonly [K in keyof (typeof CATALOGUE)[A]]: Instance<(typeof CATALOGUE)[A][K]> };

export type AppMetrics<A extends AppName> = MetricsOf<A> & { readonly registry: Registry; readonly app: A };
export type ApiMetrics = AppMetrics<'api'>;
export type WorkerMetrics = AppMetrics<'worker'>;
export type ScannerMetrics = AppMetrics<'scanner'>;

function instantiate(def: MetricDef, registry: Registry): Counter | Gauge | Histogram {
  const common = { name: def.name, help: def.help, labelNames: [...def.labels], registers: [registry] };
  switch (def.kind) {
    case 'counter':
      return new Counter(common);
    case 'gauge':
      return new Gauge(common);
    case 'histogram':
      return new Histogram({ ...common, buckets: [...def.buckets] });
  }
}

export interface MetricsOptions {
  /** Default true. Off in tests that compare exact output. */
  defaultMetrics?: boolean;
}

/**
 * A fresh Registry (never prom-client's global one, so several apps or tests can share a
 * process) with typed accessors: `metrics.redirects.inc({country, mirror})`.
 */
export function createMetricsRegistry<A extends AppName>(app: A, opts: MetricsOptions = {}): AppMetrics<A> {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const out: Record<string, unknown> = { registry, app };
  for (const [key, def] of Object.entries(CATALOGUE[app] as Record<string, MetricDef>)) out[key] = instantiate(def, registry);
  return out as AppMetrics<A>;
}

/** The exposition text and its content type (for a Hono or other handler). */
export async function metricsText(registry: Registry): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
