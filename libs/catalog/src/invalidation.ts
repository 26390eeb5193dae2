/**
 * Pub/sub invalidation (contract §4.7): file, mirror and mirror-file updates drop the matching
 * cache entries; a reconnection clears everything (we may have missed messages meanwhile).
 * Channel parsing and reconnection detection are libs/redis' RedisSubscriber; this file only maps
 * its events onto the caches.
 */
import type { Redis } from 'ioredis';
import { CHANNELS, RedisSubscriber } from '@mirrorball/redis';
import type { Catalog } from './catalog.ts';
import type { DirectoryIndex } from './directories.ts';

export interface Invalidation {
  /** Resolves once subscribed. */
  ready: Promise<void>;
  reconnections: number;
  /** Messages received per channel (for the pubsub-invalidations metric). */
  received: Map<string, number>;
  stop(): Promise<void>;
}

/** `sub` must be a dedicated connection (subscriber mode); stop() closes it. */
export function attachInvalidation(sub: Redis, catalog: Catalog, dirs?: DirectoryIndex): Invalidation {
  const subscriber = new RedisSubscriber(sub);
  const received = new Map<string, number>();
  const count = (channel: string) => received.set(channel, (received.get(channel) ?? 0) + 1);
  const state: Invalidation = {
    ready: subscriber.waitConnected(),
    reconnections: 0,
    received,
    async stop() {
      subscriber.removeAllListeners();
      await subscriber.close();
    },
  };
  subscriber.on('file', (path) => {
    count(CHANNELS.fileUpdate);
    catalog.onFileUpdate(path);
    dirs?.scheduleReload();
  });
  subscriber.on('mirror', (id) => {
    count(CHANNELS.mirrorUpdate);
    catalog.onMirrorUpdate(id);
  });
  subscriber.on('mirrorFile', (id, path) => {
    count(CHANNELS.mirrorFileUpdate);
    catalog.onMirrorFileUpdate(id, path);
  });
  subscriber.on('reconnected', () => {
    state.reconnections++;
    catalog.clear();
    dirs?.scheduleReload();
  });
  subscriber.on('error', () => {});
  return state;
}
