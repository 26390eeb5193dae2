import type { RandomSource, SelectedMirror, SelectionMode } from './types.ts';

/** Redirect/JSON answers carry at most this many mirrors (contract §3.3, §3.5). */
export const MAX_REDIRECT_MIRRORS = 5;

const f32 = Math.fround;

/** In-place Fisher–Yates shuffle with the injected random source. */
export function shuffle<T>(list: T[], random: RandomSource): void {
  for (let i = list.length - 1; i > 0; i--) {
    let j = Math.floor(random() * (i + 1));
    if (!(j >= 0 && j <= i)) j = i; // a misbehaving source (NaN, ≥ 1) must not lose entries
    const t = list[i]!;
    list[i] = list[j]!;
    list[j] = t;
  }
}

/** Uniform integer in [0, n). Clamped so a source returning 1, a negative or NaN stays in range. */
function randomInt(n: number, random: RandomSource): number {
  const r = Math.floor(random() * n);
  return r >= 0 && r < n ? r : n - 1;
}

/**
 * Contract §3.5. `list` is the accepted list sorted by computedScore (descending); `selected` of
 * them (the first ones) are eligible with weight CS − base, summing to `total`.
 * Returns the list to answer with (may be `list` itself, reordered/truncated).
 */
export function distributeWeights(
  list: SelectedMirror[], base: number, selected: number, total: number, mode: SelectionMode, random: RandomSource,
): SelectedMirror[] {
  if (selected === 0) return list;
  if (selected === 1) {
    list[0]!.weight = 100;
    return list;
  }
  if (mode === 'mirrorlist') {
    for (let i = 0; i < selected; i++) {
      const e = list[i]!;
      e.weight = f32(((e.computedScore - base) * 100) / total);
    }
    return list;
  }
  // Weighted random permutation of the eligible prefix, drawn without replacement.
  let rest = total;
  for (let i = 0; i < selected; i++) {
    const rv = randomInt(rest, random);
    let acc = 0;
    let pick = i;
    for (let k = i; k < selected; k++) {
      acc += list[k]!.computedScore - base;
      if (rv < acc) {
        pick = k;
        break;
      }
    }
    const chosen = list[pick]!;
    // Keep the undrawn mirrors in CS order: shift them right by one.
    for (let k = pick; k > i; k--) list[k] = list[k - 1]!;
    list[i] = chosen;
    const w = chosen.computedScore - base;
    chosen.weight = f32((w * 100) / total);
    rest -= w;
  }
  list.length = Math.min(MAX_REDIRECT_MIRRORS, selected);
  return list;
}
