/**
 * A V8 feedback trap in Node 20's `process.nextTick`, and its one-line way out.
 *
 * nextTick builds each queued tick as `{ [async_id_symbol]: …, [trigger_async_id_symbol]: …,
 * callback, args }`. V8 records the hidden class (map) seen at each computed-key definition
 * in that literal and holds it weakly. The intermediate maps (the object with only its first
 * key, …) belong to short-lived objects only, so a full GC that runs while no tick is queued
 * collects them and clears the recorded map. The next tick then sees "a different map", V8
 * marks the site megamorphic for good, and every tick from then on goes through
 * `Runtime_DefineKeyedOwnPropertyInLiteral` in C++.
 *
 * A redirector hits this by default: it connects to Redis (ticks), idles, and V8's memory
 * reducer runs a full GC a few seconds after start. Node's HTTP and stream code queues several
 * ticks per request, and measured on this machine that added 6–8 µs of CPU to a ~25 µs warm
 * redirect (bench/redirect: 0.4× → 0.5× bare Hono from this alone).
 *
 * Keeping one tick object alive keeps its map, and through the map's back pointers the whole
 * chain of intermediate maps, so the recorded maps are never cleared. The object is reachable
 * through async_hooks.executionAsyncResource(), which is the running tick itself.
 */
import { executionAsyncResource } from 'node:async_hooks';

let pinned: object | undefined;

/**
 * Pin one tick object for the life of the process. Call it before anything else runs (the
 * `@mirrorball/runtime/prelude` import does, as the first import of a main module):
 * once the site has gone megamorphic nothing brings it back.
 */
export function pinTickMaps(): void {
  if (pinned !== undefined) return;
  process.nextTick(() => {
    pinned ??= executionAsyncResource();
  });
}

/** True once the pinned tick has run (tests). */
export function tickMapsPinned(): boolean {
  return pinned !== undefined;
}
