import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** V8's complaint about a flag it does not know (printed on stdout; the process goes on). */
function complaint(code: string): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  return /unrecognized flag.*/i.exec(r.stdout + r.stderr)?.[0] ?? '';
}

describe('raiseInlineBudget', () => {
  it('sets a flag this V8 knows: a V8 upgrade that renamed it would fail here, not silently', () => {
    expect(complaint("import '@mirrorball/runtime/prelude';")).toBe('');
    // The check can fail: V8 does complain about an unknown flag.
    expect(complaint("import v8 from 'node:v8'; v8.setFlagsFromString('--max-inlined-bytecode-size-cumulativ=1');")).toMatch(/unrecognized flag/);
  });
});
