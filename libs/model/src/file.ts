import type { GoTime } from '@mirrorball/gofmt';

/** The source's record of a file (`FILE_<path>`, contract §4.2). A missing record has size 0 and the zero time. */
export interface FileInfo {
  /** Starts with `/`, byte-exact. */
  path: string;
  size: number;
  modTime: GoTime;
  sha1: string;
  sha256: string;
  md5: string;
}

/** What a mirror scan recorded for one file on one mirror (`FILEINFO_<id>_<path>`). */
export interface MirrorFileInfo {
  size: number;
  modTime: GoTime;
  /**
   * Mirrorball content check: true when sampled byte ranges of the mirror's copy did not match
   * the source's range hashes (stored under a MIRRORBALL_ key). Selection excludes such mirrors
   * with the reason `Content mismatch`.
   */
  contentMismatch?: boolean;
}
