/**
 * Go `flag`-style parsing, accepting both `-flag` and `--flag`, `-flag=value` and `-flag value`;
 * booleans take `-flag` or `-flag=false`. Flags may also follow positional arguments; `--` ends flags.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type FlagSpec = Record<string, { type: 'bool' | 'string' | 'int' | 'list'; default?: unknown; alias?: string[]; help: string }>;

export interface Parsed {
  flags: Record<string, unknown>;
  args: string[];
}

export function parseArgs(argv: string[], spec: FlagSpec): Parsed {
  const flags: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(spec)) flags[k] = s.type === 'list' ? [] : s.default;
  const byName = new Map<string, string>();
  for (const [k, s] of Object.entries(spec)) {
    byName.set(k, k);
    for (const a of s.alias ?? []) byName.set(a, k);
  }
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!/^--?[^-]/.test(a) || /^-\d/.test(a)) {
      args.push(a);
      continue;
    }
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const key = byName.get(name);
    if (!key) throw new UsageError(`flag provided but not defined: -${name}`);
    const s = spec[key]!;
    if (s.type === 'bool') {
      if (eq < 0) flags[key] = true;
      else {
        const v = body.slice(eq + 1);
        if (!/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(v)) throw new UsageError(`invalid boolean value "${v}" for -${name}`);
        flags[key] = /^(1|t|T|TRUE|true|True)$/.test(v);
      }
      continue;
    }
    let v: string;
    if (eq >= 0) v = body.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: -${name}`);
      v = argv[++i]!;
    }
    if (s.type === 'int') {
      if (!/^-?\d+$/.test(v)) throw new UsageError(`invalid value "${v}" for flag -${name}: parse error`);
      flags[key] = Number(v);
    } else if (s.type === 'list') (flags[key] as string[]).push(v);
    else flags[key] = v;
  }
  return { flags, args };
}

export function flagHelp(spec: FlagSpec): string {
  return Object.entries(spec)
    .map(([k, s]) => `  -${k}${s.type === 'bool' ? '' : ` ${s.type === 'int' ? 'int' : 'string'}`}\n    \t${s.help}${s.default !== undefined && s.default !== false && s.default !== '' ? ` (default ${JSON.stringify(s.default).replace(/^"|"$/g, '')})` : ''}`)
    .join('\n');
}
