/**
 * Measures GeoIP memory and lookup speed: `npx tsx --expose-gc libs/geo/bench/lookup.ts [maxmindDir]`.
 * Without a directory it measures the embedded DB-IP default. Not a test: numbers vary by machine.
 */
import { GeoIP } from '../src/index.ts';

function randomPublicV4(): string {
  for (;;) {
    const a = 1 + Math.floor(Math.random() * 223);
    if (a === 10 || a === 127) continue;
    return `${a}.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
  }
}

function randomV6(): string {
  const h = () => Math.floor(Math.random() * 65536).toString(16);
  return `2a0${Math.floor(Math.random() * 10)}:${h()}:${h()}::${h()}`;
}

function rate(geo: GeoIP, ips: string[], rounds: number): number {
  const t0 = performance.now();
  let valid = 0;
  for (let r = 0; r < rounds; r++) for (const ip of ips) if (geo.lookup(ip).countryCode !== '') valid++;
  const s = (performance.now() - t0) / 1000;
  if (valid < 0) console.log(valid); // keep the loop observable
  return Math.round((ips.length * rounds) / s);
}

const path = process.argv[2] ?? '/nonexistent-geoip-dir';
global.gc?.();
const rss0 = process.memoryUsage().rss;
const t0 = performance.now();
const cold = await GeoIP.open({ path, cacheSize: 0 });
const loadMs = Math.round(performance.now() - t0);
global.gc?.();
const rss1 = process.memoryUsage().rss;
console.log(`source=${cold.info().source} load=${loadMs} ms rssDelta=${((rss1 - rss0) / 2 ** 20).toFixed(1)} MiB dbBytes=${(cold.memoryBytes() / 2 ** 20).toFixed(1)} MiB`);

const v4 = Array.from({ length: 200_000 }, randomPublicV4);
const v6 = Array.from({ length: 100_000 }, randomV6);
rate(cold, v4.slice(0, 20_000), 1); // warm-up (JIT)
console.log(`cold (no cache) IPv4: ${rate(cold, v4, 1)} lookups/s`);
console.log(`cold (no cache) IPv6: ${rate(cold, v6, 1)} lookups/s`);

const cached = await GeoIP.open({ path, cacheSize: 10_000 });
const hot = v4.slice(0, 5_000);
rate(cached, hot, 1);
console.log(`cached, 5 000 repeating IPv4: ${rate(cached, hot, 40)} lookups/s (${JSON.stringify(cached.cacheStats())})`);
global.gc?.();
console.log(`rss after cache fill: ${((process.memoryUsage().rss - rss0) / 2 ** 20).toFixed(1)} MiB over start`);
