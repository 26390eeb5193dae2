/** Leveled logger: one line per event to stderr (or an injected stream, for tests). */
import { formatJson, formatText, type Fields, type Level } from './format.ts';

export type { Fields, Level } from './format.ts';

export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  /** Whether a level would be written (to skip building expensive fields). */
  enabled(level: Level): boolean;
}

export interface LoggerOptions {
  /** Defaults to env MIRRORBALL_LOG_LEVEL, else `info`. */
  level?: Level;
  /** Defaults to env LOG_FORMAT (`json` → JSON lines), else text. */
  format?: 'text' | 'json';
  /** Defaults to process.stderr. */
  stream?: { write(chunk: string): unknown };
  /** For tests. */
  now?: () => Date;
}

const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
export const LOG_LEVELS: readonly Level[] = ['debug', 'info', 'warn', 'error'];

/** Unknown values fall back to `info` rather than silencing or crashing the process. */
export function parseLevel(s: string | undefined): Level {
  const v = (s ?? '').trim().toLowerCase();
  if (v === 'warning') return 'warn';
  return (LOG_LEVELS as readonly string[]).includes(v) ? (v as Level) : 'info';
}

export function createLogger(component: string, opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? parseLevel(process.env.MIRRORBALL_LOG_LEVEL);
  const json = (opts.format ?? (process.env.LOG_FORMAT?.toLowerCase() === 'json' ? 'json' : 'text')) === 'json';
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? (() => new Date());
  const min = RANK[level];
  const emit = (l: Level) => (message: string, fields?: Fields) => {
    if (RANK[l] < min) return;
    const fmt = json ? formatJson : formatText;
    stream.write(fmt(now(), l, component, message, fields));
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    enabled: (l) => RANK[l] >= min,
  };
}
