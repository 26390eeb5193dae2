import {
  formatGoDuration, goTimeAddMs, goTimeSubNs, goTimeTruncate, isZeroTime, ZERO_TIME, type GoTime,
} from '@mirrorball/gofmt';
import { isValidGeo, type FileInfo } from '@mirrorball/model';
import { haversineKm } from './haversine.ts';
import { checkProtocolInto } from './protocol.ts';
import type { Candidate, ClientInfo, SecureOption, SelectedMirror, SelectionConfig } from './types.ts';

export interface FilterResult {
  accepted: SelectedMirror[];
  excluded: SelectedMirror[];
  /** Smallest / largest distance among accepted mirrors (0 when none), float32 km. */
  closest: number;
  farthest: number;
}

interface OutdatedRule {
  checkSize: boolean;
  /** Allowed staleness in whole seconds (AllowOutdatedFiles minutes × 60). */
  maxStaleSec: number;
}

const STRICT: OutdatedRule = { checkSize: true, maxStaleSec: 0 };

/** Contract §3.2: the first AllowOutdatedFiles prefix that matches the path wins. */
export function outdatedRule(path: string, cfg: SelectionConfig): OutdatedRule {
  const rules = cfg.allowOutdatedFiles;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (path.startsWith(r.prefix)) return { checkSize: false, maxStaleSec: r.minutes * 60 };
  }
  return STRICT;
}

/**
 * Contract §3.2 step 4: '' when the mirror's mtime is acceptable, else the exclusion reason.
 * Compares (sec, nsec) pairs directly; the exact bigint difference is only built for the message.
 */
export function modTimeReason(
  local: GoTime, mirrorTime: GoTime, precisionNs: number, tzOffsetMs: number, fixTz: boolean, maxStaleSec: number,
): string {
  if (isZeroTime(mirrorTime)) return '';
  let m = fixTz && tzOffsetMs !== 0 ? goTimeAddMs(mirrorTime, tzOffsetMs) : mirrorTime;
  let l = local;
  // Common case: identical times stay identical after truncation; skip the allocations.
  if (m.sec === l.sec && m.nsec === l.nsec) return '';
  if (precisionNs > 0) {
    m = goTimeTruncate(m, precisionNs);
    l = goTimeTruncate(l, precisionNs);
  }
  let dSec = l.sec - m.sec;
  let dNsec = l.nsec - m.nsec;
  if (dSec === 0 && dNsec === 0) return '';
  if (dNsec < 0) { dSec -= 1; dNsec += 1_000_000_000; } // normalise so dNsec ∈ [0, 1e9)
  const negative = dSec < 0;
  const tooOld = dSec > maxStaleSec || (dSec === maxStaleSec && dNsec > 0);
  if (!negative && !tooOld) return '';
  return 'Mod time mismatch (diff: ' + formatGoDuration(goTimeSubNs(l, m)) + ')';
}

function listHas(list: readonly string[], code: string): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === code) return true;
  return false;
}

/**
 * Contract §3.2: run every candidate through the tests in Mirrorbits' order; the first failing
 * test names the exclusion. Distances are computed for all candidates (excluded ones show them too).
 */
export function filterMirrors(
  file: FileInfo, candidates: readonly Candidate[], client: ClientInfo, secure: SecureOption, cfg: SelectionConfig,
): FilterResult {
  const accepted: SelectedMirror[] = [];
  const excluded: SelectedMirror[] = [];
  const valid = isValidGeo(client);
  const rule = outdatedRule(file.path, cfg);
  const fixTz = cfg.fixTimezoneOffsets;
  let closest = 0;
  let farthest = 0;

  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    const m = c.mirror;
    const out: SelectedMirror = {
      mirror: m,
      absoluteURL: '',
      distance: valid ? haversineKm(client.latitude, client.longitude, m.latitude, m.longitude) : 0,
      computedScore: 0,
      weight: 0,
      excludeReason: '',
    };
    const reason = exclusionReason(out, c, file, client, valid, secure, rule, fixTz);
    if (reason !== '') {
      out.excludeReason = reason;
      excluded.push(out);
      continue;
    }
    if (accepted.length === 0) {
      closest = out.distance;
      farthest = out.distance;
    } else {
      if (out.distance < closest) closest = out.distance;
      if (out.distance > farthest) farthest = out.distance;
    }
    accepted.push(out);
  }
  return { accepted, excluded, closest, farthest };
}

function exclusionReason(
  out: SelectedMirror, c: Candidate, file: FileInfo, client: ClientInfo, valid: boolean,
  secure: SecureOption, rule: OutdatedRule, fixTz: boolean,
): string {
  const m = c.mirror;
  if (!m.enabled) return 'Disabled';

  const protoReason = checkProtocolInto(m, secure, out);
  if (protoReason !== '') return protoReason;

  // A missing FILEINFO record reads as size 0 and the zero time.
  const size = c.fileInfo ? c.fileInfo.size : 0;
  if (rule.checkSize && size !== file.size) return 'File size mismatch';

  const mt = modTimeReason(
    file.modTime, c.fileInfo ? c.fileInfo.modTime : ZERO_TIME, m.lastSuccessfulSyncPrecision, m.tzOffsetMs,
    fixTz, rule.maxStaleSec,
  );
  if (mt !== '') return mt;

  // Mirrorball: sampled byte ranges differ from the source.
  if (c.fileInfo?.contentMismatch === true) return 'Content mismatch';

  if (m.continentOnly && (!valid || client.continentCode !== m.continentCode)) return 'Continent only';
  if (m.countryOnly && (!valid || !listHas(m.countryList, client.countryCode))) return 'Country only';
  if (m.asOnly && (!valid || client.asNum !== m.asnum)) return 'AS only';
  if (valid && listHas(m.excludedCountryList, client.countryCode)) return "User's country restriction";
  return '';
}
