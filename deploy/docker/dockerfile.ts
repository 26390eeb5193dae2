/** A small Dockerfile reader for tests: instructions with their stage, flags and arguments. */

export interface Instruction {
  line: number;
  keyword: string;
  /** `--from=build` → { from: 'build' } */
  flags: Record<string, string>;
  /** Shell-form words, or the JSON array of an exec-form instruction. */
  args: string[];
  /** Raw text after the keyword (continuations joined). */
  raw: string;
  /** Index of the stage (FROM) this instruction belongs to; -1 before the first FROM. */
  stage: number;
}

export interface Stage {
  index: number;
  base: string;
  name?: string;
}

export interface Dockerfile {
  instructions: Instruction[];
  stages: Stage[];
  /** Global ARGs (before the first FROM) with their defaults. */
  args: Record<string, string>;
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  const stages: Stage[] = [];
  const args: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let body = lines[i]!.trim();
    if (body === '' || body.startsWith('#')) continue;
    // A trailing backslash continues the instruction; comment lines inside it are dropped.
    while (body.endsWith('\\') && i + 1 < lines.length) {
      i++;
      const next = lines[i]!.trim();
      body = body.slice(0, -1) + ' ' + (next.startsWith('#') ? '' : next);
    }
    const m = /^(\S+)\s*(.*)$/s.exec(body)!;
    const keyword = m[1]!.toUpperCase();
    let rest = m[2]!.trim();
    const flags: Record<string, string> = {};
    for (;;) {
      const f = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest);
      if (!f) break;
      flags[f[1]!] = f[2] ?? 'true';
      rest = rest.slice(f[0].length);
    }
    let list: string[];
    if (rest.startsWith('[')) {
      try {
        list = JSON.parse(rest) as string[];
      } catch {
        throw new Error(`Dockerfile line ${start + 1}: malformed exec-form array: ${rest}`);
      }
    } else list = rest.split(/\s+/).filter(Boolean);
    if (keyword === 'FROM') {
      const asIdx = list.findIndex((w) => w.toUpperCase() === 'AS');
      stages.push({ index: stages.length, base: list[0]!, name: asIdx >= 0 ? list[asIdx + 1] : undefined });
    } else if (keyword === 'ARG' && stages.length === 0) {
      const [k, v = ''] = list[0]!.split('=');
      args[k!] = v;
    }
    instructions.push({ line: start + 1, keyword, flags, args: list, raw: rest, stage: keyword === 'FROM' ? stages.length - 1 : stages.length - 1 });
  }
  return { instructions, stages, args };
}

/** `${NAME}` / `$NAME` with the global ARG defaults. */
export function expandArgs(s: string, args: Record<string, string>): string {
  return s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => args[(a ?? b)!] ?? '');
}
