import type { GeoRecord, Mirror, MirrorFileInfo } from '@mirrorball/model';

/** Contract §2.5: UNDEFINED = any protocol, prefer HTTPS; WITHTLS = HTTPS only; WITHOUTTLS = HTTP only. */
export type SecureOption = 'undefined' | 'withTLS' | 'withoutTLS';

/** `redirect` is also used for JSON answers; `mirrorlist` is the HTML page (§2.9). */
export type SelectionMode = 'redirect' | 'mirrorlist';

export interface OutdatedFilesRule {
  prefix: string;
  minutes: number;
}

/** The part of the app Config that selection needs (the api maps it once at start-up). */
export interface SelectionConfig {
  /** `WeightDistributionRange`, > 0; used as a float32. */
  weightDistributionRange: number;
  /** `AllowOutdatedFiles`, first matching prefix wins. */
  allowOutdatedFiles: readonly OutdatedFilesRule[];
  /** `FixTimezoneOffsets`. */
  fixTimezoneOffsets: boolean;
}

export const DEFAULT_SELECTION_CONFIG: SelectionConfig = Object.freeze({
  weightDistributionRange: 1.5,
  allowOutdatedFiles: Object.freeze([]) as readonly OutdatedFilesRule[],
  fixTimezoneOffsets: false,
});

/** A mirror that FILEMIRRORS_<path> lists, with its FILEINFO_<id>_<path> record (null = missing). */
export interface Candidate {
  mirror: Mirror;
  fileInfo: MirrorFileInfo | null;
}

/** A mirror as selection leaves it (the Mirrorbits Mirror's computed fields). */
export interface SelectedMirror {
  mirror: Mirror;
  /** '' when not computed (disabled mirrors). */
  absoluteURL: string;
  /** Kilometres, float32; 0 for an un-geolocated client. */
  distance: number;
  computedScore: number;
  /** Share of the eligible total in percent (float32); 0 = none. */
  weight: number;
  /** '' when accepted. */
  excludeReason: string;
}

export type ClientInfo = GeoRecord;

export type RandomSource = () => number;
