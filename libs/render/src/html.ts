/**
 * A tiny escaping template: every interpolated value is HTML-escaped unless it is already a
 * SafeHtml produced by this helper, so data from Redis or a request can never inject markup.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function interpolate(v: unknown): string {
  if (v instanceof SafeHtml) return v.value;
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(interpolate).join('');
  return escapeHtml(String(v));
}

/** Tagged template: `html\`<td>${name}</td>\`` escapes `name`; nested html`` fragments and arrays of them pass through. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += interpolate(values[i]) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Markup written by this library itself (e.g. generated SVG numbers); never pass data here. */
export function trusted(s: string): SafeHtml {
  return new SafeHtml(s);
}

/**
 * A URL fit for an href: only http(s) and scheme-less relative URLs; anything else (javascript:,
 * data:, …) becomes "#" so a hostile mirror URL cannot run script when clicked.
 */
export function safeHref(url: string): string {
  const u = url.trim();
  if (/^https?:\/\//i.test(u)) return u;
  if (/^[a-z][a-z0-9+.-]*:/i.test(u)) return '#';
  return u;
}
