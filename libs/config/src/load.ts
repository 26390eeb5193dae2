/** Reading the configuration: file location, YAML, env overrides, validation. */
import { readFileSync, statSync, unwatchFile, watchFile } from 'node:fs';
import { createLogger } from '@mirrorball/logger';
import { applyEnv, assertMap, envSourceFor, suspiciousEnv, type Env } from './env.ts';
import { ConfigError, formatKeyPath, type ConfigProblem } from './errors.ts';
import { finalize } from './finalize.ts';
import { envKeys, keyTree, unknownKeys } from './keys.ts';
import { ConfigSchema } from './schema.ts';
import type { Config } from './types.ts';
import { parseYamlTree } from './yaml-text.ts';

export const KEY_TREE = keyTree(ConfigSchema);

/** Every environment variable that sets a key, with the key path (`Source.S3.Bucket`), for docs and charts. */
export const CONFIG_ENV_VARIABLES: readonly { name: string; key: string }[] = envKeys(KEY_TREE).map((k) => ({ name: k.name, key: k.path.join('.') }));

export interface ParseOptions {
  env?: Env;
  /** Name used in messages (file path). */
  source?: string;
  /** Default: true when text is non-empty (see finalize). */
  requireRepository?: boolean;
  /** For relative Repository/Source.Path. Default process.cwd(). */
  cwd?: string;
}

export interface ParseResult {
  config: Config;
  /** Human-readable warnings (unknown keys). */
  warnings: string[];
}

export function parseConfigDetailed(text: string, opts: ParseOptions = {}): ParseResult {
  const source = opts.source;
  const env = opts.env ?? {};
  const fileTree = assertMap(parseYamlTree(text, source), source);
  const warnings: string[] = [];
  const unknown = unknownKeys(KEY_TREE, fileTree);
  if (unknown.length > 0) warnings.push(`${source ? source + ': ' : ''}ignoring unknown key${unknown.length > 1 ? 's' : ''} (check spelling and case): ${unknown.join(', ')}`);

  const odd = suspiciousEnv(KEY_TREE, env);
  if (odd.length > 0) warnings.push(`ignoring environment variable${odd.length > 1 ? 's' : ''} that match${odd.length > 1 ? '' : 'es'} no key: ${odd.join(', ')}`);

  const { raw, applied } = applyEnv(KEY_TREE, fileTree, env);
  const r = ConfigSchema.safeParse(raw);
  if (!r.success) {
    const problems: ConfigProblem[] = r.error.issues.map((i) => {
      const from = envSourceFor(applied, i.path as (string | number)[]);
      return { path: formatKeyPath(i.path as (string | number)[]), message: i.message + (from ? ` (from environment variable ${from})` : '') };
    });
    throw new ConfigError(problems);
  }
  const requireRepository = opts.requireRepository ?? (text.trim() !== '' || applied.sources.size > 0);
  const { config, problems } = finalize(r.data as Config, { requireRepository, cwd: opts.cwd ?? process.cwd() });
  if (problems.length > 0) throw new ConfigError(problems);
  return { config, warnings };
}

/** Parse YAML text (+ optional env overrides) into a Config; throws ConfigError. */
export function parseConfig(text: string, env: Env = {}, opts: Omit<ParseOptions, 'env'> = {}): Config {
  return parseConfigDetailed(text, { ...opts, env }).config;
}

export interface LoadOptions {
  argv?: readonly string[];
  env?: Env;
  /** Used only if it exists, when neither the command line nor MIRRORBALL_CONFIG names a file. */
  defaultPath?: string;
  cwd?: string;
  /** Where warnings go; default a `config` logger. */
  onWarning?: (message: string) => void;
}

/** `--config f`, `--config=f`, Mirrorbits' `-config f` / `-config=f`, else MIRRORBALL_CONFIG, else defaultPath if present. */
export function resolveConfigPath(opts: Pick<LoadOptions, 'argv' | 'env' | 'defaultPath'> = {}): string | undefined {
  const argv = opts.argv ?? process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--?config(?:=(.*))?$/.exec(a);
    if (!m) continue;
    const v = m[1] ?? argv[i + 1];
    if (v === undefined || v === '') throw new ConfigError(`${a.split('=')[0]} needs a file name`);
    return v;
  }
  const env = opts.env ?? process.env;
  if (env.MIRRORBALL_CONFIG) return env.MIRRORBALL_CONFIG;
  if (opts.defaultPath) {
    try {
      if (statSync(opts.defaultPath).isFile()) return opts.defaultPath;
    } catch {
      // Optional default: absent means "all defaults".
    }
  }
  return undefined;
}

function readConfigFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ConfigError(`cannot read ${path}: ${err.code ?? err.message}`);
  }
}

let lastOptions: LoadOptions | undefined;

/** Read the configuration for an app. Throws ConfigError; see exitOnConfigError. */
export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? process.env;
  const path = resolveConfigPath({ ...opts, env });
  const text = path === undefined ? '' : readConfigFile(path);
  const res = parseConfigDetailed(text, {
    env,
    source: path,
    cwd: opts.cwd,
    // No file at all = plain defaults (npm start); with a file, a local source needs Repository.
    requireRepository: path !== undefined,
  });
  const warn = opts.onWarning ?? ((m: string) => createLogger('config').warn(m));
  for (const w of res.warnings) warn(w);
  lastOptions = opts;
  return res.config;
}

/** Re-read the same sources as the last loadConfig; throws (the caller keeps its old Config). */
export function reloadConfig(opts?: LoadOptions): Config {
  return loadConfig(opts ?? lastOptions ?? {});
}

/** The file loadConfig would read (undefined = defaults only). */
export function currentConfigPath(opts?: LoadOptions): string | undefined {
  const o = opts ?? lastOptions ?? {};
  return resolveConfigPath({ ...o, env: o.env ?? process.env });
}

/**
 * Poll the config file and call onChange with each new valid Config; invalid edits go to
 * onError and the previous Config stays in force. Returns a stop function.
 */
export function watchConfig(
  opts: LoadOptions,
  onChange: (c: Config) => void,
  onError: (e: unknown) => void = (e) => createLogger('config').error('reload failed, keeping the previous configuration', { err: e }),
  intervalMs = 2000,
): () => void {
  const path = currentConfigPath(opts);
  if (path === undefined) return () => {};
  const listener = (cur: { mtimeMs: number; size: number }, prev: { mtimeMs: number; size: number }) => {
    if (cur.mtimeMs === prev.mtimeMs && cur.size === prev.size) return;
    try {
      onChange(loadConfig(opts));
    } catch (e) {
      onError(e);
    }
  };
  watchFile(path, { interval: intervalMs, persistent: false }, listener);
  return () => unwatchFile(path, listener);
}
