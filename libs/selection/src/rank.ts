import { isValidGeo } from '@mirrorball/model';
import { shuffle } from './order.ts';
import type { ClientInfo, RandomSource, SelectedMirror } from './types.ts';

function listHas(list: readonly string[], code: string): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === code) return true;
  return false;
}

/** Contract §3.6 (Mirrorbits ByRank.Less) for a geolocated client: true when a sorts before b. */
export function rankLess(a: SelectedMirror, b: SelectedMirror, client: ClientInfo): boolean {
  const asA = a.mirror.asnum === client.asNum;
  const asB = b.mirror.asnum === client.asNum;
  if (asA !== asB) return asA;
  if (client.countryCode !== '') {
    const cA = listHas(a.mirror.countryList, client.countryCode);
    const cB = listHas(b.mirror.countryList, client.countryCode);
    if (cA !== cB) return cA;
  }
  if (client.continentCode !== '') {
    const kA = a.mirror.continentCode === client.continentCode;
    const kB = b.mirror.continentCode === client.continentCode;
    if (kA !== kB) return kA;
  }
  return a.distance < b.distance;
}

/**
 * Sort by rank in place, stable. With an un-geolocated client Mirrorbits' comparator answers at
 * random, i.e. the order is shuffled: done here as a proper Fisher–Yates shuffle.
 */
export function sortByRank(list: SelectedMirror[], client: ClientInfo, random: RandomSource = Math.random): void {
  if (!isValidGeo(client)) {
    shuffle(list, random);
    return;
  }
  for (let i = 1; i < list.length; i++) {
    const x = list[i]!;
    let j = i - 1;
    while (j >= 0 && rankLess(x, list[j]!, client)) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = x;
  }
}

/** Mirrorbits ByComputedScore.Less: higher score first. */
export function byComputedScoreLess(a: SelectedMirror, b: SelectedMirror): boolean {
  return a.computedScore > b.computedScore;
}

/** Byte-wise (UTF-8) string order, as Go compares strings: equal to code-point order. */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++; // both strings hold the same surrogate pair here
  }
  return a.length - b.length;
}

/** Mirrorbits ByExcludeReason.Less. */
export function byExcludeReasonLess(a: SelectedMirror, b: SelectedMirror): boolean {
  return compareBytes(a.excludeReason, b.excludeReason) < 0;
}

function compareExcludeReason(a: SelectedMirror, b: SelectedMirror): number {
  return compareBytes(a.excludeReason, b.excludeReason);
}

/** Mirrorlist page order for excluded mirrors (§2.9): by reason, byte-wise, stable. */
export function sortByExcludeReason(list: SelectedMirror[]): void {
  list.sort(compareExcludeReason);
}
