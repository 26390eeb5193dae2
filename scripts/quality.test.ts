/**
 * The whole tree type-checks and lints clean (errors; warnings are allowed), as part of `npm test`,
 * so CI catches what the per-package turbo tasks would.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

async function output(cmd: string, args: string[]): Promise<{ code: number; text: string }> {
  try {
    const r = await run(cmd, args, { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, text: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, text: (err.stdout ?? '') + (err.stderr ?? '') };
  }
}

describe('code quality', () => {
  it('type-checks (tsc --noEmit over every app, lib, bench and script)', async () => {
    const r = await output(bin('tsc'), ['-p', 'tsconfig.json']);
    expect(r.text.split('\n').filter((l) => l.includes('error TS')).slice(0, 20)).toEqual([]);
    expect(r.code).toBe(0);
  }, 300_000);

  it('lints without errors (eslint --quiet)', async () => {
    const r = await output(bin('eslint'), ['--quiet', '.']);
    expect(r.text.trim()).toBe('');
    expect(r.code).toBe(0);
  }, 300_000);
});
