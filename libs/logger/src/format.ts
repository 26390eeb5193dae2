/** Line formatting for the logger: Go-log-like text (`2006/01/02 15:04:05.000`) or JSON. */

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Fields = Record<string, unknown>;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Local time, like Go's log package with Lmicroseconds trimmed to milliseconds. */
export function formatTimestamp(d: Date): string {
  return (
    `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

function valueText(v: unknown): string {
  if (v instanceof Error) return v.message;
  if (typeof v === 'string') return v;
  if (v === undefined) return 'undefined';
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  try {
    return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
  } catch {
    return String(v);
  }
}

/** logfmt-style quoting: only when needed so grep-friendly values stay bare. */
function quoteIfNeeded(s: string): string {
  return s === '' || /[\s"=\\]|[^\x20-\x7e]/.test(s) ? JSON.stringify(s) : s;
}

/** Messages stay on one line: one event = one line, whatever the caller passed. */
function oneLine(s: string): string {
  return s.replace(/\r?\n/g, '\\n');
}

export function formatText(time: Date, level: Level, component: string, message: string, fields?: Fields): string {
  let line = `${formatTimestamp(time)} ${level.toUpperCase()} [${component}] ${oneLine(message)}`;
  if (fields) {
    for (const [k, v] of Object.entries(fields)) line += ` ${k}=${quoteIfNeeded(valueText(v))}`;
  }
  return line + '\n';
}

export function formatJson(time: Date, level: Level, component: string, message: string, fields?: Fields): string {
  const out: Record<string, unknown> = { time: time.toISOString(), level, component, msg: message };
  if (fields) {
    for (const [k, v] of Object.entries(fields)) {
      // Reserved names win: a field must not be able to forge the level or component.
      if (k in out) continue;
      out[k] = v instanceof Error || typeof v === 'bigint' ? valueText(v) : v;
    }
  }
  try {
    return JSON.stringify(out) + '\n';
  } catch {
    // Circular or otherwise unserialisable fields: keep the event, stringify each value.
    const safe: Record<string, string> = {};
    for (const [k, v] of Object.entries(out)) safe[k] = valueText(v);
    return JSON.stringify(safe) + '\n';
  }
}
