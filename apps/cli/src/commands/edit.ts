/**
 * `edit`: interactive in $EDITOR as Mirrorbits does, or non-interactive for automation with
 * `--set Key=Value` (repeatable) and/or `-f file.yaml` (`-f -` reads stdin).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  InputError, mirrorEditDocument, mirrorFromJson, parseMirrorPatch, parseMirrorYaml, WRITABLE_FIELDS, type MirrorJson, type MirrorPatch,
} from '@mirrorball/admin/format';
import { parse as parseYamlScalar } from 'yaml';
import type { FlagSpec } from '../args.ts';
import { CliExit, EXIT, matchMirror, type Cli } from '../context.ts';

export const editFlags: FlagSpec = {
  set: { type: 'list', help: 'Set Key=Value without an editor (YAML value; repeatable)' },
  f: { type: 'string', default: '', alias: ['file'], help: 'Read the YAML document from a file (- for stdin)' },
};

const JSON_KEY: Record<string, string> = {};
for (const [json, [model]] of Object.entries(WRITABLE_FIELDS)) if (json !== 'ASNum') JSON_KEY[model] = json;

/** Model-keyed patch → the API's JSON keys. */
export function patchToJson(p: MirrorPatch): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [JSON_KEY[k]!, v]));
}

const STRINGS = new Set(Object.entries(WRITABLE_FIELDS).filter(([, [, kind]]) => kind === 'string').map(([k]) => k));

function parseSet(s: string): [string, unknown] {
  const eq = s.indexOf('=');
  if (eq <= 0) throw new CliExit(EXIT.USAGE, `--set expects Key=Value, got ${JSON.stringify(s)}`);
  const key = s.slice(0, eq);
  const raw = s.slice(eq + 1);
  if (!WRITABLE_FIELDS[key]) throw new CliExit(EXIT.USAGE, `--set: unknown key ${JSON.stringify(key)} (keys: ${Object.keys(WRITABLE_FIELDS).join(', ')})`);
  if (STRINGS.has(key)) return [key, raw];
  let v: unknown;
  try {
    v = parseYamlScalar(raw);
  } catch {
    v = raw;
  }
  return [key, v];
}

function pickEditor(env: NodeJS.ProcessEnv): string {
  if (env.EDITOR) return env.EDITOR;
  for (const e of ['editor', 'vi', 'emacs', 'nano']) {
    if (spawnSync('sh', ['-c', `command -v ${e}`], { stdio: 'ignore' }).status === 0) return e;
  }
  throw new CliExit(EXIT.ERROR, 'no editor found: set $EDITOR');
}

async function interactive(cli: Cli, m: MirrorJson): Promise<MirrorPatch | null> {
  const doc = mirrorEditDocument(mirrorFromJson(m));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirrorball-edit-'));
  const file = path.join(dir, `${m.Name}.yaml`);
  fs.writeFileSync(file, doc);
  try {
    for (;;) {
      const r = spawnSync('sh', ['-c', `${pickEditor(cli.env)} "$1"`, 'sh', file], { stdio: 'inherit', env: cli.env });
      if (r.status !== 0) throw new CliExit(EXIT.ERROR, `editor exited with status ${r.status}`);
      const text = fs.readFileSync(file, 'utf8');
      if (text === doc) return null;
      try {
        return parseMirrorYaml(text);
      } catch (err) {
        cli.err(`${(err as Error).message}\n`);
        const a = await cli.ask('Retry? [Y/n]');
        if (/^n/i.test(a.trim())) throw new CliExit(EXIT.ABORTED, 'Aborted');
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function edit(cli: Cli, pattern: string, f: Record<string, any>, readStdin: () => Promise<string>): Promise<void> {
  const { ID } = await matchMirror(cli, pattern);
  const m = await cli.client.request<MirrorJson>('GET', `/v1/mirrors/${ID}`);
  let body: Record<string, unknown>;
  try {
    if (f.f || (f.set as string[]).length > 0) {
      body = {};
      if (f.f) body = patchToJson(parseMirrorYaml(f.f === '-' ? await readStdin() : fs.readFileSync(f.f, 'utf8')));
      for (const s of f.set as string[]) {
        const [k, v] = parseSet(s);
        body[k === 'ASNum' ? 'Asnum' : k] = v;
      }
      parseMirrorPatch(body); // type errors before the round trip
    } else {
      const p = await interactive(cli, m);
      if (!p) {
        cli.out('Aborted - settings are unmodified, so there is nothing to change.\n');
        return;
      }
      body = patchToJson(p);
    }
  } catch (err) {
    if (err instanceof InputError) throw new CliExit(EXIT.USAGE, err.message);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new CliExit(EXIT.USAGE, (err as Error).message);
    throw err;
  }
  const r = await cli.client.request<{ diff: string; mirror: MirrorJson }>('PATCH', `/v1/mirrors/${ID}`, body);
  if (r.diff === '' && r.mirror.Comment === m.Comment) {
    cli.out('Aborted - settings are unmodified, so there is nothing to change.\n');
    return;
  }
  cli.out(`${r.diff}\nMirror '${r.mirror.Name}' edited successfully\n`);
}
