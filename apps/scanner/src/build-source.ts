import type { Config } from '@mirrorball/config';
import { LocalDirectorySource, S3Source, type Log, type Source } from '@mirrorball/source';

/** The source of truth the configuration names: Source.Type s3 (a bucket) or local (Source.Path, else Repository). */
export function buildSource(config: Config, log: Log): Source {
  const src = config.Source;
  if (src.Type === 's3') {
    const s3 = src.S3;
    return new S3Source({
      endpoint: s3.Endpoint || undefined,
      region: s3.Region || undefined,
      bucket: s3.Bucket,
      prefix: s3.Prefix,
      forcePathStyle: s3.ForcePathStyle ?? undefined,
      listConcurrency: s3.ListConcurrency,
      credentials: s3.AccessKeyId ? { accessKeyId: s3.AccessKeyId, secretAccessKey: s3.SecretAccessKey } : undefined,
      log,
    });
  }
  const dir = src.Path || config.Repository;
  if (!dir) throw new Error('no repository to index: set Repository (or Source.Path), or Source.Type: s3 with Source.S3.Bucket');
  return new LocalDirectorySource(dir, log);
}
