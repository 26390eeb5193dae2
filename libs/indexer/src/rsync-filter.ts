export type ReleaseOrder = 'version' | 'name';

export interface ReleaseFilterOptions {
  /** Directory whose children are releases, e.g. `/release/` (leading and trailing `/` optional). */
  prefix: string;
  /** How many of the newest release directories stay visible. */
  keep: number;
  order?: ReleaseOrder;
}

/** Compare names as versions: digit runs numerically (`6.10` after `6.9`), everything else by bytes. */
export function compareVersions(a: string, b: string): number {
  const ta = a.match(/\d+|\D+/g) ?? [];
  const tb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = BigInt(x) - BigInt(y);
      if (d !== 0n) return d < 0n ? -1 : 1;
      if (x.length !== y.length) return x.length - y.length; // 01 vs 1: stable, shorter first
    } else if (x !== y) {
      return Buffer.compare(Buffer.from(x), Buffer.from(y));
    }
  }
  return ta.length - tb.length;
}

/** Escape rsync wildcard characters so a literal name matches only itself. */
function escapePattern(s: string): string {
  return s.replace(/[*?[\\]/g, (c) => '\\' + c);
}

export interface ReleaseFilter {
  /** Release directories found under the prefix, oldest first. */
  releases: string[];
  kept: string[];
  hidden: string[];
  /** rsync filter rules, one per line (for `filter = merge <file>` in rsyncd.conf). */
  rules: string[];
}

/**
 * rsync filter rules that publish only the newest `keep` release directories under `prefix`,
 * computed from the indexed paths: `+ /<prefix>/<release>/***` for each kept release, then
 * `- /<prefix>/*\/` hiding every other directory there (plain files under the prefix and
 * everything outside it stay visible).
 */
export function releaseFilter(paths: Iterable<string>, opts: ReleaseFilterOptions): ReleaseFilter {
  if (!Number.isInteger(opts.keep) || opts.keep < 1) throw new Error(`--keep must be a positive integer, got ${opts.keep}`);
  const prefix = '/' + opts.prefix.replace(/^\/+|\/+$/g, '') + '/';
  const norm = prefix === '//' ? '/' : prefix;
  const dirs = new Set<string>();
  for (const p of paths) {
    if (!p.startsWith(norm)) continue;
    const rest = p.slice(norm.length);
    const slash = rest.indexOf('/');
    if (slash > 0) dirs.add(rest.slice(0, slash));
  }
  const cmp = (opts.order ?? 'version') === 'version' ? compareVersions : (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  const releases = [...dirs].sort(cmp);
  const kept = releases.slice(Math.max(0, releases.length - opts.keep));
  const hidden = releases.slice(0, Math.max(0, releases.length - opts.keep));
  const base = escapePattern(norm);
  const rules = [...kept.slice().reverse().map((r) => `+ ${base}${escapePattern(r)}/***`), `- ${base}*/`];
  return { releases, kept, hidden, rules };
}
