import type { Redis } from 'ioredis';

/** Test helper: every index key (FILES, FILE_*, range hashes, manifest) with its content, for before/after comparisons. */
export async function dumpIndex(redis: Redis): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const all = (await redis.keys('*')).filter((k) => k === 'FILES' || k.startsWith('FILE_') || k === 'MIRRORBALL_INDEX_MANIFEST' || k.startsWith('MIRRORBALL_RANGEHASH_'));
  for (const k of all.sort()) out[k] = k === 'FILES' ? (await redis.smembers(k)).sort() : await redis.hgetall(k);
  return out;
}

/** Collect messages of one channel until stop() (a dedicated subscriber connection). */
export async function collectChannel(sub: Redis, channel: string): Promise<{ messages: string[]; settle(): Promise<void> }> {
  const messages: string[] = [];
  await sub.subscribe(channel);
  sub.on('message', (ch: string, msg: string) => {
    if (ch === channel) messages.push(msg);
  });
  return { messages, settle: () => new Promise((r) => setTimeout(r, 100)) };
}
