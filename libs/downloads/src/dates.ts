import { statsSuffixes } from '@mirrorball/redis';

/** UTC `YYYY_MM_DD` of the stats keys (contract §4.2), from libs/redis. */
export function utcDaySuffix(ms: number): string {
  return statsSuffixes(new Date(ms))[0];
}
