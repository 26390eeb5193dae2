// Micro-benchmark of the per-request selection path: `npx tsx libs/selection/bench.ts`.
// Baseline (same run): the haversine distances alone for the same candidates, i.e. the least any
// geographic selection must do; the ratio shows what filtering, scoring and ordering add.
import { performance } from 'node:perf_hooks';
import { haversineKm, selectMirrors, type Candidate, type SelectionMode } from './src/index.ts';
import { CFG, T0, mkClient, mkFile, mkMirror, seeded } from './src/testkit.ts';

const rnd = seeded(1234);
const file = mkFile('/pool/main/h/hello/hello_2.10-3_amd64.deb', 262144, T0);
const client = mkClient({ countryCode: 'FR', continentCode: 'EU', latitude: 48.8567, longitude: 2.3508, asNum: 3215 });
const noClient = mkClient();
const COUNTRIES = ['FR', 'DE', 'GB', 'US CA', 'SE', 'BE FR', 'IT', 'JP'];

function candidates(n: number): Candidate[] {
  return Array.from({ length: n }, (_, i) => ({
    mirror: mkMirror(i + 1, {
      httpURL: i % 3 === 0 ? `mirror${i}.example.org/debian/` : `http://mirror${i}.example.org/debian/`,
      latitude: 35 + rnd() * 25, longitude: -10 + rnd() * 40, countryCodes: COUNTRIES[i % COUNTRIES.length]!,
      continentCode: 'EU', asnum: i % 7 === 0 ? 3215 : 0, score: i % 5 === 0 ? 10 : 0, lastSuccessfulSyncPrecision: 1e9,
    }),
    // One in ten is stale, so the filter's exclusion path is exercised too.
    fileInfo: { size: 262144, modTime: i % 10 === 9 ? { sec: T0.sec - 60, nsec: 0 } : T0 },
  }));
}

function measure(fn: () => void, ms = 700): number {
  for (let i = 0; i < 2000; i++) fn(); // warm-up / JIT
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 500; i++) fn();
    ops += 500;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(11);
console.log('candidates  mode        client    selectMirrors ops/s   baseline ops/s   ratio');
for (const n of [3, 10, 50]) {
  const cands = candidates(n);
  const baseline = measure(() => {
    let s = 0;
    for (const c of cands) s += haversineKm(client.latitude, client.longitude, c.mirror.latitude, c.mirror.longitude);
    if (s < 0) throw new Error('unreachable');
  });
  const cases: [SelectionMode, string, typeof client][] = [['redirect', 'geo', client], ['mirrorlist', 'geo', client], ['redirect', 'none', noClient]];
  for (const [mode, label, cl] of cases) {
    const ops = measure(() => { selectMirrors({ file, candidates: cands, client: cl, secure: 'undefined', cfg: CFG, mode }); });
    console.log(`${String(n).padStart(10)}  ${mode.padEnd(10)}  ${label.padEnd(6)}  ${fmt(ops)}         ${fmt(baseline)}   ${(baseline / ops).toFixed(1)}x`);
  }
}
