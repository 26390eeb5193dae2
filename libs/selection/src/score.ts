import type { ClientInfo, SelectedMirror } from './types.ts';

const f32 = Math.fround;
/** Smallest positive float32 (Go's math.SmallestNonzeroFloat32), used when the closest mirror is at 0 km. */
export const SMALLEST_FLOAT32 = 1.401298464324817e-45;

export interface ScoreResult {
  /** `int(farthest)`. */
  base: number;
  /** Number of eligible mirrors (CS > base). */
  selected: number;
  /** Σ (CS − base) over eligible mirrors. */
  total: number;
}

function isPrimaryCountry(client: ClientInfo, list: readonly string[]): boolean {
  return list.length > 0 && list[0] === client.countryCode;
}

function isAdditionalCountry(client: ClientInfo, list: readonly string[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i] === client.countryCode) return true;
  return false;
}

/**
 * Contract §3.4 for a geolocated client: sets `computedScore` on every accepted mirror (in place)
 * and sorts the list by it, descending and stable. float32 steps use Math.fround, `int()` is
 * Math.trunc.
 */
export function scoreMirrors(
  accepted: SelectedMirror[], client: ClientInfo, closestKm: number, farthestKm: number, wdr: number,
): ScoreResult {
  const closest = closestKm === 0 ? SMALLEST_FLOAT32 : f32(closestKm);
  const base = Math.trunc(farthestKm);
  const baseF = f32(base);
  const threshold = f32(closest * f32(wdr));
  const asnBonus = Math.trunc(base / 2);
  let selected = 0;
  let total = 0;

  for (let i = 0; i < accepted.length; i++) {
    const e = accepted[i]!;
    const m = e.mirror;
    const d = e.distance;
    let cs = base - Math.trunc(d) + 1;
    const primary = isPrimaryCountry(client, m.countryList);
    if (d <= threshold) {
      let bonus = f32(baseF - d);
      if (!primary) bonus = f32(bonus / 2);
      cs += Math.trunc(bonus);
    } else if (primary) {
      cs += Math.trunc(f32(baseF - f32(d * 5)));
    } else if (isAdditionalCountry(client, m.countryList)) {
      cs += Math.trunc(f32(baseF - closest));
    }
    // Quirk kept: with no ASN database the client ASN is 0 and every ASN-0 mirror gets the bonus.
    if (m.asnum === client.asNum) cs += asnBonus;
    const adjusted = cs + cs * (m.score / 100) + 0.5;
    cs = Math.trunc(adjusted < 1 ? 1 : adjusted);
    e.computedScore = cs;
    if (cs > base) {
      selected++;
      total += cs - base;
    }
  }
  sortByComputedScore(accepted);
  return { base, selected, total };
}

function byComputedScoreDesc(a: SelectedMirror, b: SelectedMirror): number {
  return b.computedScore - a.computedScore;
}

/** Stable sort by computedScore, descending: insertion sort for the usual short lists, Array#sort (stable) beyond. */
export function sortByComputedScore(list: SelectedMirror[]): void {
  if (list.length > 32) {
    list.sort(byComputedScoreDesc);
    return;
  }
  for (let i = 1; i < list.length; i++) {
    const x = list[i]!;
    let j = i - 1;
    while (j >= 0 && list[j]!.computedScore < x.computedScore) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = x;
  }
}
