import { goTimeSubNs, goTimeTruncate, isZeroTime, type GoTime } from '@mirrorball/gofmt';

export interface TzSample {
  local: { size: number; modTime: GoTime };
  mirror: { size: number; modTime: GoTime };
}

/**
 * Contract §8.6: the offset (local − mirror, ms) shared by at least 90 % of usable pairs, else 0.
 * Pairs are usable when the mirror time is set and sizes match; fewer than 10 usable pairs, or
 * fewer than half of the sample, gives 0 (`reason` says why, for the warning).
 */
export function guessTimezoneOffset(samples: readonly TzSample[], precisionNs: number): { offsetMs: number; reason?: string } {
  const usable = samples.filter((s) => !isZeroTime(s.mirror.modTime) && s.mirror.size === s.local.size);
  if (usable.length < 10 || usable.length < samples.length / 2) {
    return { offsetMs: 0, reason: 'Unable to guess the timezone offset' };
  }
  const counts = new Map<number, number>();
  for (const s of usable) {
    const d = goTimeSubNs(goTimeTruncate(s.local.modTime, precisionNs), goTimeTruncate(s.mirror.modTime, precisionNs));
    const ms = Number(d / 1_000_000n);
    counts.set(ms, (counts.get(ms) ?? 0) + 1);
  }
  const needed = Math.floor(0.9 * usable.length);
  for (const [ms, n] of counts) if (n >= needed) return { offsetMs: ms };
  return { offsetMs: 0, reason: 'No dominant timezone offset' };
}
