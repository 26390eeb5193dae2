import { isZeroTime } from '@mirrorball/gofmt';
import { isValidGeo, type FileInfo } from '@mirrorball/model';
import { filterMirrors } from './filter.ts';
import { distributeWeights, MAX_REDIRECT_MIRRORS, shuffle } from './order.ts';
import { sortByExcludeReason } from './rank.ts';
import { scoreMirrors } from './score.ts';
import type {
  Candidate, ClientInfo, RandomSource, SecureOption, SelectedMirror, SelectionConfig, SelectionMode,
} from './types.ts';

export interface SelectInput {
  file: FileInfo;
  candidates: readonly Candidate[];
  client: ClientInfo;
  secure: SecureOption;
  cfg: SelectionConfig;
  mode: SelectionMode;
  random?: RandomSource;
}

export interface SelectResult {
  /** Element 0 is the redirect target; the rest feed Link headers. */
  list: SelectedMirror[];
  excluded: SelectedMirror[];
  closest: number;
  farthest: number;
  /** Set when the file cannot be served by mirrors at all (→ fallbacks/503). */
  error?: string;
}

export const ERR_ZERO_MODTIME = 'Invalid file info (modtime is zero)';

/** Contract §3: filter, score, order and truncate the candidate mirrors for one request. */
export function selectMirrors({ file, candidates, client, secure, cfg, mode, random = Math.random }: SelectInput): SelectResult {
  if (isZeroTime(file.modTime)) {
    return { list: [], excluded: [], closest: 0, farthest: 0, error: ERR_ZERO_MODTIME };
  }
  const { accepted, excluded, closest, farthest } = filterMirrors(file, candidates, client, secure, cfg);
  if (mode === 'mirrorlist' && excluded.length > 1) sortByExcludeReason(excluded);

  let list: SelectedMirror[];
  if (!isValidGeo(client)) {
    // §3.3: no scores, no weights, uniform order.
    shuffle(accepted, random);
    if (mode === 'redirect' && accepted.length > MAX_REDIRECT_MIRRORS) accepted.length = MAX_REDIRECT_MIRRORS;
    list = accepted;
  } else {
    const { base, selected, total } = scoreMirrors(accepted, client, closest, farthest, cfg.weightDistributionRange);
    list = distributeWeights(accepted, base, selected, total, mode, random);
  }
  return { list, excluded, closest, farthest };
}
