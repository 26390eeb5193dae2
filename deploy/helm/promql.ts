/** PromQL checks for the alert rules and the dashboard, with Prometheus' own Lezer grammar. */
import { parser } from '@prometheus-io/lezer-promql';

export interface LabelMatcher {
  name: string;
  op: string;
  value: string;
}

export interface Selector {
  metric: string;
  matchers: LabelMatcher[];
}

export interface PromQLCheck {
  /** Offsets of syntax errors (empty = the expression parses). */
  errors: number[];
  /** Metric names the expression selects. */
  metrics: string[];
  selectors: Selector[];
}

export function checkPromQL(expr: string): PromQLCheck {
  const errors: number[] = [];
  const selectors: Selector[] = [];
  const text = (n: { from: number; to: number }) => expr.slice(n.from, n.to);
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.type.isError) errors.push(ref.from);
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const id = node.getChild('Identifier');
      const sel: Selector = { metric: id ? text(id) : '', matchers: [] };
      const list = node.getChild('LabelMatchers');
      for (const m of list?.getChildren('UnquotedLabelMatcher') ?? []) {
        const name = m.getChild('LabelName');
        const op = m.getChild('MatchOp');
        const value = m.getChild('StringLiteral');
        if (name && op && value) sel.matchers.push({ name: text(name), op: text(op), value: JSON.parse(text(value).replace(/^'|'$/g, '"')) as string });
      }
      selectors.push(sel);
    },
  });
  return { errors, metrics: [...new Set(selectors.map((s) => s.metric).filter(Boolean))].sort(), selectors };
}

/** Grafana's template variables, replaced by values a Prometheus would see. */
export function expandGrafanaVariables(expr: string): string {
  return expr.replace(/\$__rate_interval|\$__interval|\$\{__rate_interval\}/g, '5m').replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, 'x');
}

/** A histogram's series: `_bucket`, `_sum`, `_count` → the family name in `# TYPE` lines. */
export function metricFamily(name: string, families: ReadonlySet<string>): string | undefined {
  if (families.has(name)) return name;
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  return m && families.has(m[1]!) ? m[1] : undefined;
}
