/**
 * Every Redis key and pub/sub channel Mirrorball uses (contract §4.2, §4.7). This module is
 * the only place that spells key names. `<path>` is always byte-exact and starts with `/`.
 */

export const keys = {
  /** string: schema version, `2` (§4.6). */
  dbVersion: 'MIRRORBITS_DB_VERSION',
  /** string counter: last allocated mirror id (`INCR`). */
  lastMirrorId: 'LAST_MID',
  /** hash: mirror id → mirror name. */
  mirrors: 'MIRRORS',
  /** hash: the mirror record (§4.3). */
  mirror: (id: number | string) => `MIRROR_${id}`,
  /** list: JSON mirror log events (§4.8), `RPUSH`, unbounded. */
  mirrorLogs: (id: number | string) => `MIRRORLOGS_${id}`,
  /** set: every indexed source path. */
  files: 'FILES',
  /** set: the next `FILES` while a source scan runs (renamed over `FILES`). */
  filesTmp: 'FILES_TMP',
  /** hash: source record `size modTime sha1 sha256 md5`. */
  file: (path: string) => `FILE_${path}`,
  /** set: ids of mirrors holding `path` (also for paths unknown to the source). */
  fileMirrors: (path: string) => `FILEMIRRORS_${path}`,
  /** hash: `size modTime` of `path` as found on mirror `id`. */
  fileInfo: (id: number | string, path: string) => `FILEINFO_${id}_${path}`,
  /** set: every path found on mirror `id` at its last non-empty scan. */
  mirrorFiles: (id: number | string) => `MIRRORFILES_${id}`,
  /** set: the next `MIRRORFILES_<id>` while a scan of mirror `id` runs. */
  mirrorFilesTmp: (id: number | string) => `MIRRORFILESTMP_${id}`,
  /** set: `FILES` ∩ `MIRRORFILES_<id>` (health-check sampling, TZ guessing). */
  handledFiles: (id: number | string) => `HANDLEDFILES_${id}`,
  /** string `1`, TTL 10 s: cluster lock, a scan of mirror `id` is running (§4.5). */
  scanning: (id: number | string) => `SCANNING_${id}`,
  /** string `1`, TTL 10 s: cluster lock, the source repository is being indexed. */
  sourceRepoSync: 'SOURCE_REPO_SYNC',
  /** string (random integer), TTL 5000 ms: schema-upgrade lock. */
  upgradeLock: 'LOCK_upgrade',
  /** string `1`, TTL `SameDownloadInterval`: ranged-download de-duplication (§2.14). */
  downloaded: (sha256hex: string, path: string) => `DOWNLOADED_${sha256hex}_${path}`,
  /** string counter: total counted downloads. */
  statsTotal: 'STATS_TOTAL',
  /** hash path → count; `suffix` is `YYYY`, `YYYY_MM` or `YYYY_MM_DD` (UTC), none = all time. */
  statsFile: (suffix?: string) => (suffix ? `STATS_FILE_${suffix}` : 'STATS_FILE'),
  /** hash mirror id → download count, same suffixes. */
  statsMirror: (suffix?: string) => (suffix ? `STATS_MIRROR_${suffix}` : 'STATS_MIRROR'),
  /** hash mirror id → bytes (count × source size), same suffixes. */
  statsMirrorBytes: (suffix?: string) => (suffix ? `STATS_MIRROR_BYTES_${suffix}` : 'STATS_MIRROR_BYTES'),

  // Schema-upgrade scratch keys (§4.6): written by an upgrade step, renamed over production
  // keys in the final MULTI/EXEC, deleted when a step is retried.
  /** Scratch copy of `key` during the v0→v1 upgrade. */
  v1Scratch: (key: string) => `V1_${key}`,
  /** Scratch copy of `key` during the v1→v2 upgrade. */
  v2Scratch: (key: string) => `V2_${key}`,

  // ---- Mirrorball's own keys. Mirrorbits never reads or writes anything under MIRRORBALL_. ----
  /** hash `etag size lastModified`: S3 object identity of `path` at the last index, for incremental rescans. */
  object: (path: string) => `MIRRORBALL_OBJECT_${path}`,
  /**
   * hash: content-check reference of `path`: `spec` = `<count>x<size>`, `ranges` = `start-end,…`
   * (inclusive byte offsets), `sha256` = comma-separated hex digests, one per range.
   */
  rangeHash: (path: string) => `MIRRORBALL_RANGEHASH_${path}`,
  /** hash `result` (ok|mismatch) `checkedAt` (unix s) `detail`: last content check of `path` on mirror `id`. */
  content: (id: number | string, path: string) => `MIRRORBALL_CONTENT_${id}_${path}`,
  /** set: paths whose last content check on mirror `id` failed (selection excludes them). */
  contentBad: (id: number | string) => `MIRRORBALL_CONTENTBAD_${id}`,
  /** hash: worker bookkeeping for mirror `id` (scan progress, last errors, …); free-form fields. */
  scanState: (id: number | string) => `MIRRORBALL_SCANSTATE_${id}`,

  // -- Added by the scanner (libs/indexer) --
  /**
   * hash path → `<etag>\t<size>\t<modTime Go string>\t<hash flags>\t<range spec>`: what the last index
   * run recorded for each file, so a rescan reads one hash instead of every FILE_<path>.
   */
  indexManifest: 'MIRRORBALL_INDEX_MANIFEST',
  /**
   * hash path → `<size> <Go time string>`: a mirror scan's listing, staged while it streams in and
   * applied atomically at the end (libs/mirror-scan); a leftover from a killed scan is deleted by the next.
   */
  scanStaging: (id: number | string) => `MIRRORBALL_SCANTMP_${id}`,
} as const;

/** Prefix of every Mirrorball-only key (BullMQ uses its own prefix). */
export const MIRRORBALL_PREFIX = 'MIRRORBALL_';

/** The schema version this code reads and writes. */
export const DB_VERSION = 2;

/** Pub/sub channels (§4.7). Channels are server-wide, not per DB index. */
export const CHANNELS = {
  /** payload `<path>`: a source file was (re)indexed or removed. */
  fileUpdate: '_mirrorbits_file_update',
  /** payload `<id>`: any change of a mirror record. */
  mirrorUpdate: '_mirrorbits_mirror_update',
  /** payload `<id> <path>` (split at the first space): a file changed on a mirror. */
  mirrorFileUpdate: '_mirrorbits_mirror_file_update',
  /** payload `HELLO<db> <nodeId>`: node announcement, every second. */
  cluster: '_mirrorbits_cluster',
} as const;

export type ChannelName = (typeof CHANNELS)[keyof typeof CHANNELS];
