/** Environment overrides: MIRRORBALL_<UPPER_SNAKE> for top-level keys, `__` for nested ones. */
import { ConfigError } from './errors.ts';
import { envKeys, type KeyNode } from './keys.ts';
import { closest } from './suggest.ts';
import { parseYamlTree } from './yaml-text.ts';

export type Env = Record<string, string | undefined>;

export interface AppliedEnv {
  /** Key path (dotted) → variable name, to name the variable in validation errors. */
  sources: Map<string, string>;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Writes env values into `raw` (mutated and returned). Scalar keys take the text verbatim, so
 * passwords with `#` or `: ` survive; list/map keys are parsed as YAML (flow style works:
 * `[{URL: "https://x/", CountryCode: US}]`; lists of scalars also `a,b`). Shallow keys apply first so nested ones refine them.
 */
export function applyEnv(tree: KeyNode, raw: Record<string, unknown>, env: Env): { raw: Record<string, unknown>; applied: AppliedEnv } {
  const sources = new Map<string, string>();
  const keys = envKeys(tree).sort((a, b) => a.path.length - b.path.length);
  for (const k of keys) {
    const text = env[k.name];
    if (text === undefined) continue;
    let value = k.node.kind === 'scalar' ? text : parseYamlTree(text, `environment variable ${k.name}`);
    // Lists of scalars also take the shell-friendly `a,b,c` form.
    if (k.node.kind === 'list' && k.node.item.kind === 'scalar' && typeof value === 'string' && value !== '') {
      value = value.split(',').map((x) => x.trim()).filter((x) => x !== '');
    }
    let obj = raw;
    for (const seg of k.path.slice(0, -1)) {
      const next = obj[seg];
      if (!isMap(next)) obj[seg] = {};
      obj = obj[seg] as Record<string, unknown>;
    }
    obj[k.path[k.path.length - 1]!] = value;
    sources.set(k.path.join('.'), k.name);
  }
  return { raw, applied: { sources } };
}

/** The variable that set `path` or one of its parents, if any. */
export function envSourceFor(applied: AppliedEnv, path: readonly (string | number)[]): string | undefined {
  const names = path.filter((p): p is string => typeof p === 'string');
  for (let n = names.length; n > 0; n--) {
    const src = applied.sources.get(names.slice(0, n).join('.'));
    if (src) return src;
  }
  return undefined;
}

export function assertMap(v: unknown, source?: string): Record<string, unknown> {
  if (v === undefined || v === null || v === '') return {};
  if (!isMap(v)) throw new ConfigError(`${source ? source + ': ' : ''}the top level must be a map of keys (got ${Array.isArray(v) ? 'a list' : 'a scalar'})`);
  return v;
}

/** MIRRORBALL_* variables that are not config keys but look like a misspelt one. */
export function suspiciousEnv(tree: KeyNode, env: Env): string[] {
  const names = new Set(envKeys(tree).map((k) => k.name));
  const out: string[] = [];
  for (const v of Object.keys(env)) {
    if (!v.startsWith('MIRRORBALL_') || names.has(v)) continue;
    const hint = closest(v, names);
    if (hint) out.push(`${v} (did you mean ${hint}?)`);
  }
  return out;
}
