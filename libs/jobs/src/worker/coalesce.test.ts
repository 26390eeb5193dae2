import { describe, expect, it } from 'vitest';
import { CoalescedPass } from './coalesce.ts';

describe('CoalescedPass', () => {
  it('shares a running pass and runs exactly one more when asked meanwhile', async () => {
    let passes = 0;
    let release!: () => void;
    const pass = new CoalescedPass(async () => {
      passes++;
      if (passes === 1) await new Promise<void>((r) => (release = r));
      return passes;
    });
    const a = pass.run();
    const b = pass.run();
    const c = pass.run();
    expect(b).toBe(a);
    expect(c).toBe(a);
    release();
    expect(await a).toBe(1);
    while (pass.current) await pass.current;
    expect(passes).toBe(2);
  });

  it('reports errors of the follow-up pass and recovers', async () => {
    const errors: unknown[] = [];
    let n = 0;
    let release!: () => void;
    const pass = new CoalescedPass(async () => {
      n++;
      if (n === 1) await new Promise<void>((r) => (release = r));
      if (n === 2) throw new Error('boom');
      return n;
    }, (e) => errors.push(e));
    const first = pass.run();
    void pass.run();
    release();
    await first;
    await pass.current?.catch(() => {});
    expect(errors).toHaveLength(1);
    expect(await pass.run()).toBe(3);
  });
});
