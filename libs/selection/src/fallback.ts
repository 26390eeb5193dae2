import { emptyMirror } from '@mirrorball/model';
import { sortByRank } from './rank.ts';
import type { ClientInfo, RandomSource, SecureOption, SelectedMirror } from './types.ts';

export interface FallbackConfig {
  /** Normalised with a trailing `/` at config load. */
  url: string;
  countryCode: string;
  continentCode: string;
}

/** §2.10: URL as-is with a scheme; scheme-less → http:// only when HTTP is required, else https://. */
export function fallbackURL(url: string, secure: SecureOption): string {
  if (url.startsWith('http://') || url.startsWith('https://')) return url;
  return (secure === 'withoutTLS' ? 'http://' : 'https://') + url;
}

/**
 * Contract §2.10: every configured fallback as a pseudo-mirror (ID 0, −1, …, Name fallback<i>),
 * sorted by rank (§3.6). Fallbacks have no coordinates: distance 0. No filtering, no limit.
 */
export function fallbackMirrors(
  fallbacks: readonly FallbackConfig[], client: ClientInfo, secure: SecureOption, random: RandomSource = Math.random,
): SelectedMirror[] {
  const list: SelectedMirror[] = [];
  for (let i = 0; i < fallbacks.length; i++) {
    const fb = fallbacks[i]!;
    const mirror = emptyMirror(i === 0 ? 0 : -i);
    const country = fb.countryCode.toUpperCase();
    mirror.name = 'fallback' + i;
    mirror.httpURL = fb.url;
    mirror.countryCodes = country;
    mirror.countryList = [country];
    mirror.continentCode = fb.continentCode.toUpperCase();
    list.push({ mirror, absoluteURL: fallbackURL(fb.url, secure), distance: 0, computedScore: 0, weight: 0, excludeReason: '' });
  }
  sortByRank(list, client, random);
  return list;
}
