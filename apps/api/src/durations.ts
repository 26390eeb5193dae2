/**
 * `mirrorball_http_request_duration_seconds{type}` without per-request prom-client work: the
 * request path bumps a bucket in a typed array (a few ns; prom-client's bound child `observe`
 * measured ~200 ns, as it re-hashes the label set every call), and the exposition is built from
 * the arrays at scrape time by a collector that takes the catalogue histogram's place.
 */
import type { Registry } from 'prom-client';
import { API_METRICS, LABEL_VALUES } from '@mirrorball/metrics';

const HTTP_TYPES: readonly string[] = LABEL_VALUES.httpType;

const hrtime = process.hrtime;

/**
 * A monotonic clock in seconds for the request path. Not `performance.now()`: reading the
 * `performance` global in the api process measured ~2.5 µs per warm redirect more (two reads)
 * in bench/redirect than this, though both cost ~45 ns in a loop.
 */
export function monotonicSeconds(): number {
  const t = hrtime();
  return t[0] + t[1] / 1e9;
}

const DEF = API_METRICS.httpRequestDuration;
const BOUNDS: readonly number[] = DEF.buckets;

export class Durations {
  /** Per type: one count per bound (le) plus +Inf, not cumulative. */
  readonly counts = new Float64Array(HTTP_TYPES.length * (BOUNDS.length + 1));
  readonly sums = new Float64Array(HTTP_TYPES.length);
  readonly totals = new Float64Array(HTTP_TYPES.length);

  observe(typeIdx: number, seconds: number): void {
    let b = 0;
    while (b < BOUNDS.length && seconds > BOUNDS[b]!) b++;
    this.counts[typeIdx * (BOUNDS.length + 1) + b]!++;
    this.sums[typeIdx]! += seconds;
    this.totals[typeIdx]!++;
  }

  /** prom-client's value list for a histogram: cumulative buckets, sum, count; observed types only. */
  values(): { metricName: string; labels: Record<string, string | number>; value: number }[] {
    const out: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
    for (let t = 0; t < HTTP_TYPES.length; t++) {
      if (this.totals[t] === 0) continue;
      const type = HTTP_TYPES[t]!;
      let cum = 0;
      for (let b = 0; b <= BOUNDS.length; b++) {
        cum += this.counts[t * (BOUNDS.length + 1) + b]!;
        out.push({ metricName: DEF.name + '_bucket', labels: { le: b < BOUNDS.length ? BOUNDS[b]! : '+Inf', type }, value: cum });
      }
      out.push({ metricName: DEF.name + '_sum', labels: { type }, value: this.sums[t]! });
      out.push({ metricName: DEF.name + '_count', labels: { type }, value: this.totals[t]! });
    }
    return out;
  }
}

/** Serve `d` under the catalogue's name, help and type in `registry` (replacing the prom-client Histogram). */
export function exposeDurations(registry: Registry, d: Durations): void {
  registry.removeSingleMetric(DEF.name);
  const metric = {
    name: DEF.name,
    help: DEF.help,
    type: 'histogram',
    aggregator: 'sum',
    get: async () => ({ name: DEF.name, help: DEF.help, type: 'histogram', aggregator: 'sum', values: d.values() }),
    reset: () => undefined,
  };
  registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
}
