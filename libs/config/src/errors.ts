/** ConfigError: one message naming the key path and the problem. */

export type KeyPath = readonly (string | number)[];

/** `Fallbacks[1].URL` */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

export interface ConfigProblem {
  path: string;
  message: string;
}

export class ConfigError extends Error {
  /** Every problem found; `message` describes the first (plus a count of the rest). */
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[] | string) {
    const list = typeof problems === 'string' ? [{ path: '', message: problems }] : problems;
    const first = list[0] ?? { path: '', message: 'invalid configuration' };
    const more = list.length > 1 ? ` (and ${list.length - 1} more problem${list.length > 2 ? 's' : ''})` : '';
    super(`config: ${first.path ? first.path + ': ' : ''}${first.message}${more}`);
    this.name = 'ConfigError';
    this.problems = list;
  }
}

function exitWith(e: unknown): never {
  if (e instanceof ConfigError) {
    process.stderr.write(e.message + '\n');
    process.exit(1);
  }
  throw e;
}

/**
 * For apps: run `fn` (sync or async); a ConfigError is printed as one line on stderr and the
 * process exits 1, instead of a stack trace. Other errors pass through.
 */
export function exitOnConfigError<T>(fn: () => T): T {
  try {
    const r = fn();
    return (r instanceof Promise ? r.catch(exitWith) : r) as T;
  } catch (e) {
    return exitWith(e);
  }
}
