/**
 * Pub/sub invalidation (contract §4.7): file, mirror and mirror-file updates drop the matching
 * cache entries; a reconnection clears everything (we may have missed messages meanwhile).
 * Uses a dedicated subscriber connection (ioredis re-subscribes by itself after reconnecting).
 */
import type { Redis } from 'ioredis';
import { CHANNELS } from '@mirrorball/redis';
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

export function attachInvalidation(sub: Redis, catalog: Catalog, dirs?: DirectoryIndex): Invalidation {
  let connectedOnce = false;
  const state: Invalidation = {
    ready: Promise.resolve(),
    reconnections: 0,
    received: new Map(),
    async stop() {
      sub.off('message', onMessage);
      sub.off('ready', onReady);
      await sub.unsubscribe().catch(() => undefined);
    },
  };
  const onMessage = (channel: string, payload: string) => {
    state.received.set(channel, (state.received.get(channel) ?? 0) + 1);
    switch (channel) {
      case CHANNELS.fileUpdate:
        catalog.onFileUpdate(payload);
        dirs?.scheduleReload();
        break;
      case CHANNELS.mirrorUpdate: {
        const id = Number(payload);
        if (Number.isInteger(id)) catalog.onMirrorUpdate(id);
        break;
      }
      case CHANNELS.mirrorFileUpdate: {
        const sp = payload.indexOf(' ');
        const id = Number(sp === -1 ? NaN : payload.slice(0, sp));
        if (Number.isInteger(id)) catalog.onMirrorFileUpdate(id, payload.slice(sp + 1));
        break;
      }
    }
  };
  const onReady = () => {
    if (!connectedOnce) {
      connectedOnce = true;
      return;
    }
    state.reconnections++;
    catalog.clear();
    dirs?.scheduleReload();
  };
  sub.on('message', onMessage);
  sub.on('ready', onReady);
  if (sub.status === 'ready') connectedOnce = true;
  state.ready = sub.subscribe(CHANNELS.fileUpdate, CHANNELS.mirrorUpdate, CHANNELS.mirrorFileUpdate).then(() => undefined);
  return state;
}
