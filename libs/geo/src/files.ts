import { stat } from 'node:fs/promises';

/** File names looked for in GeoipDatabasePath, in order of preference. */
export const CITY_FILES = ['GeoLite2-City.mmdb', 'GeoIP2-City.mmdb'] as const;
export const ASN_FILES = ['GeoLite2-ASN.mmdb'] as const;
export const UPDATED_SUFFIX = '.updated';

/** Mirrorbits appends a `/` to the configured directory when it is missing. */
export function dirPrefix(path: string): string {
  return path === '' || path.endsWith('/') ? path : `${path}/`;
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * The file to open for one database, or undefined if none of `names` is present.
 * `<name>.updated` next to `<name>` wins (contract §2.4); it also counts on its own, as in
 * Mirrorbits, which tests for it before opening the plain name.
 */
export async function resolveDbFile(dir: string, names: readonly string[]): Promise<string | undefined> {
  const prefix = dirPrefix(dir);
  for (const name of names) {
    const file = prefix + name;
    if (await exists(file + UPDATED_SUFFIX)) return file + UPDATED_SUFFIX;
    if (await exists(file)) return file;
  }
  return undefined;
}

/** mtime+size of every candidate file, to notice changes cheaply when polling. */
export async function filesSignature(dir: string): Promise<string> {
  const prefix = dirPrefix(dir);
  const parts: string[] = [];
  for (const name of [...CITY_FILES, ...ASN_FILES]) {
    for (const file of [prefix + name, prefix + name + UPDATED_SUFFIX]) {
      try {
        const st = await stat(file);
        parts.push(`${file}:${st.mtimeMs}:${st.size}`);
      } catch {
        parts.push(`${file}:-`);
      }
    }
  }
  return parts.join('|');
}
