/** Rules that span several keys, applied after per-key validation. */
import { resolve } from 'node:path';
import { parseRedisAddress } from './addresses.ts';
import type { ConfigProblem } from './errors.ts';
import type { Config } from './types.ts';

export interface FinalizeOptions {
  /** Mirrorbits requires Repository; we do when a config file (or env override) was given for a local source. */
  requireRepository: boolean;
  cwd: string;
}

export function finalize(c: Config, o: FinalizeOptions): { config: Config; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  // Mirrorbits makes Repository absolute against the working directory.
  if (c.Repository) c.Repository = resolve(o.cwd, c.Repository);
  if (c.Source.Type === 'local') {
    if (!c.Source.Path) c.Source.Path = c.Repository;
    else c.Source.Path = resolve(o.cwd, c.Source.Path);
    if (!c.Source.Path && o.requireRepository) {
      problems.push({ path: 'Repository', message: 'required (the local repository directory; or set Source.Type: s3)' });
    }
  } else if (!c.Source.S3.Bucket) {
    problems.push({ path: 'Source.S3.Bucket', message: 'required when Source.Type is s3' });
  }
  if (c.RedisSentinels.length > 0 && !c.RedisSentinelMasterName) {
    problems.push({ path: 'RedisSentinelMasterName', message: 'required when RedisSentinels is set' });
  }
  // Already validated by the schema, so this cannot throw.
  if (parseRedisAddress(c.RedisAddress).tls) c.RedisTLS = true;
  const s3 = c.Source.S3;
  if ((s3.AccessKeyId === '') !== (s3.SecretAccessKey === '')) {
    problems.push({ path: s3.AccessKeyId ? 'Source.S3.SecretAccessKey' : 'Source.S3.AccessKeyId', message: 'required when the other S3 credential is set' });
  }
  return { config: c, problems };
}
