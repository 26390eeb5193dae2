/**
 * Child process for tick-maps.test.ts (run with --expose-gc): queue some ticks, run a full GC
 * while none is queued (what V8's memory reducer does to an idle server), then time nextTick.
 * Prints "NS_PER_TICK <n>".
 */
import { pinTickMaps } from './tick-maps.ts';

if (process.argv.includes('--pin')) pinTickMaps();
const tick = () => new Promise<void>((resolve) => process.nextTick(resolve));
if (!process.argv.includes('--no-gc')) {
  for (let i = 0; i < 200; i++) await tick();
  (globalThis as { gc?: () => void }).gc!();
}

const BATCH = 1000;
let left = 0;
const noop = (): void => {
  left--;
};
function batch(): void {
  left = BATCH;
  for (let i = 0; i < BATCH; i++) process.nextTick(noop);
}
// Warm up so that nextTick is optimised, then measure the best of several runs.
const run = async (batches: number): Promise<number> => {
  const t0 = process.hrtime.bigint();
  for (let b = 0; b < batches; b++) {
    batch();
    await tick();
  }
  return Number(process.hrtime.bigint() - t0) / (batches * BATCH);
};
await run(500);
let best = Infinity;
for (let r = 0; r < 5; r++) best = Math.min(best, await run(300));
process.stdout.write(`NS_PER_TICK ${best.toFixed(1)} LEFT ${left}\n`);
