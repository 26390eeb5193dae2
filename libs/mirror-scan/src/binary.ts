import fs from 'node:fs';
import path from 'node:path';

/**
 * Absolute path of a program found in this process's PATH. Needed because rsync children get an
 * environment without PATH (contract §8.3), and spawn() would otherwise look the program up there.
 */
export function findBinary(name: string): string {
  if (name.includes('/')) return name;
  for (const dir of (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} not found in PATH`);
}
