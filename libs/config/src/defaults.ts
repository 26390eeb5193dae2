import { parseConfig } from './load.ts';
import type { Config } from './types.ts';

/** Every key at its default (a fresh object each call; Repository empty). */
export function defaultConfig(): Config {
  return parseConfig('', {}, { requireRepository: false });
}
