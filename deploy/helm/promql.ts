/** PromQL checks for the alert rules and the dashboard, with Prometheus' own Lezer grammar. */
import { parser } from '@prometheus-io/lezer-promql';

export interface PromQLCheck {
  /** Offsets of syntax errors (empty = the expression parses). */
  errors: number[];
  /** Metric names the expression selects. */
  metrics: string[];
}

export function checkPromQL(expr: string): PromQLCheck {
  const errors: number[] = [];
  const metrics = new Set<string>();
  parser.parse(expr).iterate({
    enter(n) {
      if (n.type.isError) errors.push(n.from);
      if (n.name === 'Identifier' && n.node.parent?.name === 'VectorSelector') metrics.add(expr.slice(n.from, n.to));
    },
  });
  return { errors, metrics: [...metrics].sort() };
}

/** Grafana's template variables, replaced by values a Prometheus would see. */
export function expandGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__rate_interval|\$__interval|\$\{__rate_interval\}/g, '5m')
    .replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, 'x');
}

/** A histogram's series: `_bucket`, `_sum`, `_count` → the family name in `# TYPE` lines. */
export function metricFamily(name: string, families: ReadonlySet<string>): string | undefined {
  if (families.has(name)) return name;
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  return m && families.has(m[1]!) ? m[1] : undefined;
}
