/** Retry the schema check every second until it passes or the process is stopping. */
import type { Logger } from '@mirrorball/logger';

export async function waitForSchema(check: () => Promise<unknown>, log: Logger, signal: AbortSignal, retryMs = 1000): Promise<boolean> {
  let warned = '';
  while (!signal.aborted) {
    try {
      await check();
      return true;
    } catch (e) {
      const msg = (e as Error).message;
      if (msg !== warned) log.warn(`worker not ready: ${msg}`);
      warned = msg;
      await new Promise((r) => setTimeout(r, retryMs));
    }
  }
  return false;
}
