/**
 * Databases written the way Mirrorbits v0.6.1 writes them, with raw Redis commands only (no
 * Mirrorball codec), so that tests of Mirrorball's readers are honest. Callers pass a function
 * that sends one command, e.g. `(args) => redis.call(args[0], ...args.slice(1))`.
 */

export type SendCommand = (args: string[]) => Promise<unknown>;

/** One key of a `10-redis-dump.txt`-style dump. */
export interface DumpedKey {
  key: string;
  type: 'string' | 'hash' | 'set' | 'list';
  /** string: [value]; hash: [f1, v1, f2, v2, …]; set/list: members in order. */
  values: string[];
}

function unquote(q: string): string {
  // Dump values are redis-cli quoted strings: JSON-compatible escapes for what appears there.
  return JSON.parse(q) as string;
}

/** Parse redis-cli style dumps: `### KEY  (type=T ttl=-1)` then `N) "value"` items (tab separated for hashes). */
export function parseRedisDump(text: string): DumpedKey[] {
  const out: DumpedKey[] = [];
  let cur: DumpedKey | null = null;
  for (const line of text.split('\n')) {
    const head = /^### (.*?)  \(type=(\w+) ttl=-?\d+\)$/.exec(line);
    if (head) {
      cur = { key: head[1]!, type: head[2] as DumpedKey['type'], values: [] };
      out.push(cur);
      continue;
    }
    if (!cur) continue;
    for (const m of line.matchAll(/(?:^|\t|\s)(?:\d+\) )?("(?:[^"\\]|\\.)*")/g)) cur.values.push(unquote(m[1]!));
  }
  return out;
}

/** Write dumped keys with the commands Mirrorbits uses for each type. */
export async function loadRedisDump(send: SendCommand, dump: DumpedKey[]): Promise<void> {
  for (const k of dump) {
    await send(['DEL', k.key]);
    if (k.type === 'string') await send(['SET', k.key, k.values[0] ?? '']);
    else if (k.type === 'hash') await send(['HMSET', k.key, ...k.values]);
    else if (k.type === 'set') await send(['SADD', k.key, ...k.values]);
    else await send(['RPUSH', k.key, ...k.values]);
  }
}

/** A mirror as `mirrorbits add` + health checks + scans leave it (fields as in the v0.6.1 dump). */
export interface GoMirrorSpec {
  id: number;
  name: string;
  /** Stored as given: `http://…/`, `https://…/` or scheme-less `host/path/`. */
  http: string;
  rsync?: string;
  ftp?: string;
  enabled?: boolean;
  /** Raw field overrides, e.g. `{ httpUp: '1', httpDownReason: '' , countryOnly: 'true' }`. */
  fields?: Record<string, string>;
  /** path → [size, Go time string]. Adds FILEMIRRORS/FILEINFO/MIRRORFILES entries. */
  files?: Record<string, [number, string]>;
}

/** Go's add sequence (contract §4.4) with raw commands, then the mirror's scanned files. */
export async function writeGoMirror(send: SendCommand, m: GoMirrorSpec): Promise<void> {
  const id = String(m.id);
  await send(['SET', 'LAST_MID', id]);
  await send(['HMSET', `MIRROR_${id}`,
    'ID', id, 'name', m.name, 'http', m.http, 'rsync', m.rsync ?? '', 'ftp', m.ftp ?? '',
    'sponsorName', '', 'sponsorURL', '', 'sponsorLogo', '', 'adminName', '', 'adminEmail', '',
    'customData', '', 'continentOnly', '0', 'countryOnly', '0', 'asOnly', '0', 'score', '0',
    'latitude', '0', 'longitude', '0', 'continentCode', '', 'countryCodes', '', 'excludedCountryCodes', '',
    'asnum', '0', 'comment', '', 'allowredirects', '0', 'enabled', m.enabled === false ? '0' : '1']);
  if (m.http.startsWith('http://')) await send(['HMSET', `MIRROR_${id}`, 'httpsUp', '0']);
  if (m.http.startsWith('https://')) await send(['HMSET', `MIRROR_${id}`, 'httpUp', '0']);
  await send(['HSET', 'MIRRORS', id, m.name]);
  const extra = Object.entries(m.fields ?? {}).flat();
  if (extra.length) await send(['HMSET', `MIRROR_${id}`, ...extra]);
  for (const [path, [size, modTime]] of Object.entries(m.files ?? {})) {
    await send(['SADD', `MIRRORFILES_${id}`, path]);
    await send(['SADD', `FILEMIRRORS_${path}`, id]);
    await send(['HMSET', `FILEINFO_${id}_${path}`, 'size', String(size), 'modTime', modTime]);
  }
}

/** A source file as Mirrorbits' local scan writes it. */
export async function writeGoFile(
  send: SendCommand,
  path: string,
  f: { size: number; modTime: string; sha1?: string; sha256?: string; md5?: string },
): Promise<void> {
  await send(['SADD', 'FILES', path]);
  await send(['HMSET', `FILE_${path}`, 'size', String(f.size), 'modTime', f.modTime,
    'sha1', f.sha1 ?? '', 'sha256', f.sha256 ?? '', 'md5', f.md5 ?? '']);
}

/**
 * A small but varied v2 database: scheme-less, http:// and https:// mirrors, down reasons,
 * restrictions, a disabled mirror, files with spaces and a path only one mirror has.
 */
export async function writeMirrorbitsV2Fixture(send: SendCommand): Promise<void> {
  await send(['SET', 'MIRRORBITS_DB_VERSION', '2']);
  const t = '2024-01-15 12:00:00 +0000 UTC';
  await writeGoFile(send, '/a.iso', { size: 1000, modTime: t, sha256: 'aa'.repeat(32) });
  await writeGoFile(send, '/dir with space/b c.txt', { size: 20, modTime: '2024-01-15 13:00:00.5 +0100 CET' });
  await writeGoMirror(send, {
    id: 1, name: 'both', http: 'mirror.example.org/pub/', rsync: 'rsync://mirror.example.org/pub/',
    fields: { httpUp: '1', httpsUp: '0', httpsDownReason: 'Got status code 503', stateSince: '1700000000',
      latitude: '48.8582', longitude: '2.3387', continentCode: 'EU', countryCodes: 'FR BE', asnum: '3215', score: '-5' },
    files: { '/a.iso': [1000, t], '/dir with space/b c.txt': [20, t] },
  });
  await writeGoMirror(send, {
    id: 2, name: 'plain', http: 'http://plain.example.net/', ftp: 'ftp://plain.example.net/pub/',
    fields: { httpUp: '1', httpDownReason: '', countryOnly: 'true', continentOnly: 'T', asOnly: '',
      excludedCountryCodes: 'CN RU', countryCodes: 'US', continentCode: 'NA', latitude: '-20', longitude: '-122.3149' },
    files: { '/a.iso': [1000, t] },
  });
  await writeGoMirror(send, {
    id: 3, name: 'secure', http: 'https://secure.example.com/m/', enabled: false,
    fields: { httpsUp: '0', httpsDownReason: 'Unauthorized redirect', allowredirects: '2', tzoffset: '-3600000' },
    files: { '/only-here.bin': [5, t] },
  });
}

/**
 * A schema-1 database (Mirrorbits 0.2–0.5): one `up`/`excludeReason` pair per mirror instead of
 * per-protocol fields. Mirrors: 1 `plain` (http://, up), 2 `secure` (https://, down with a
 * reason), 3 `both` (scheme-less, `up` spelled `true`), 4 `fresh` (never checked).
 */
export async function writeMirrorbitsV1Fixture(send: SendCommand): Promise<void> {
  await send(['SET', 'MIRRORBITS_DB_VERSION', '1']);
  await send(['SET', 'LAST_MID', '4']);
  await send(['HSET', 'MIRRORS', '1', 'plain', '2', 'secure', '3', 'both', '4', 'fresh']);
  await send(['HSET', 'MIRROR_1', 'ID', '1', 'name', 'plain', 'http', 'http://p.example/', 'enabled', '1', 'up', '1', 'excludeReason', '']);
  await send(['HSET', 'MIRROR_2', 'ID', '2', 'name', 'secure', 'http', 'https://s.example/', 'enabled', '1', 'up', 'false', 'excludeReason', 'Got status code 500']);
  await send(['HSET', 'MIRROR_3', 'ID', '3', 'name', 'both', 'http', 'b.example/', 'up', 'true']);
  await send(['HSET', 'MIRROR_4', 'ID', '4', 'name', 'fresh', 'http', 'https://f.example/']);
  await send(['SADD', 'MIRRORFILES_1', '/a']);
}

/**
 * A schema-0 database (before ids): no version key, `MIRRORS` a list of names, and names in
 * every key and member. Mirrors `alpha` (http://, up) and `beta` (https://, down); a third name
 * `removed-long-ago` survives only in FILEMIRRORS and stats, as old databases have.
 */
export async function writeMirrorbitsV0Fixture(send: SendCommand): Promise<void> {
  const t = '2024-01-15 12:00:00 +0000 UTC';
  await send(['RPUSH', 'MIRRORS', 'alpha', 'beta']);
  await send(['HSET', 'MIRROR_alpha', 'ID', 'alpha', 'http', 'http://alpha.example/', 'up', '1', 'excludeReason', '', 'enabled', '1']);
  await send(['HSET', 'MIRROR_beta', 'ID', 'beta', 'http', 'https://beta.example/', 'up', '0', 'excludeReason', 'Connection refused']);
  await send(['SADD', 'FILES', '/x.iso', '/dir with space/y z']);
  await send(['SADD', 'MIRROR_alpha_FILES', '/x.iso', '/dir with space/y z']);
  await send(['SADD', 'MIRROR_beta_FILES', '/x.iso']);
  await send(['SADD', 'HANDLEDFILES_alpha', '/x.iso']);
  await send(['HSET', 'FILEINFO_alpha_/x.iso', 'size', '10', 'modTime', t]);
  await send(['HSET', 'FILEINFO_alpha_/dir with space/y z', 'size', '3', 'modTime', t]);
  await send(['HSET', 'FILEINFO_beta_/x.iso', 'size', '10', 'modTime', t]);
  await send(['SADD', 'FILEMIRRORS_/x.iso', 'alpha', 'beta', 'removed-long-ago']);
  await send(['SADD', 'FILEMIRRORS_/dir with space/y z', 'alpha']);
  await send(['SADD', 'FILEMIRRORS_/gone', 'removed-long-ago']);
  await send(['HSET', 'STATS_MIRROR_2015_10', 'alpha', '5', 'beta', '2', 'removed-long-ago', '9']);
  await send(['HSET', 'STATS_MIRROR_BYTES_2015', 'beta', '100']);
  await send(['HSET', 'STATS_FILE_2015', '/x.iso', '7']);
}
