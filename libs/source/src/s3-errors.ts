import { SourceError } from './errors.ts';

interface SdkErrorShape {
  name?: string;
  Code?: string;
  Region?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

/** The region S3 says the bucket lives in, when an error is a wrong-region answer. */
export function reportedRegion(e: unknown): string | undefined {
  const err = e as SdkErrorShape;
  const header = err?.$response?.headers?.['x-amz-bucket-region'];
  if (header) return header;
  // AuthorizationHeaderMalformed carries <Region> in its body; the SDK copies it onto the error.
  if (err?.Region && /^[a-z0-9-]+$/.test(err.Region)) return err.Region;
  return undefined;
}

/** Translate an SDK error into a SourceError that says what went wrong and what to check. */
export function classifyS3Error(e: unknown, where: string): SourceError {
  if (e instanceof SourceError) return e;
  const err = e as SdkErrorShape;
  const code = err?.name ?? err?.Code ?? '';
  const status = err?.$metadata?.httpStatusCode;
  const detail = `${where}: ${code || 'error'}${status ? ` (HTTP ${status})` : ''}${err?.message && err.message !== code ? `: ${err.message}` : ''}`;
  switch (code) {
    case 'AccessDenied':
    case 'AllAccessDisabled':
      return new SourceError('access-denied', `access denied — ${detail}. Check the bucket policy and that the credentials allow s3:ListBucket and s3:GetObject on this bucket/prefix.`, { cause: e });
    case 'NoSuchBucket':
      return new SourceError('no-such-bucket', `bucket does not exist — ${detail}. Check Source.S3.Bucket and Source.S3.Endpoint.`, { cause: e });
    case 'PermanentRedirect':
    case 'AuthorizationHeaderMalformed':
    case 'IllegalLocationConstraintException':
      return new SourceError('wrong-region', `wrong region — ${detail}. Check Source.S3.Region (S3 reports ${reportedRegion(e) ?? 'no region'}).`, { cause: e });
    case 'InvalidAccessKeyId':
    case 'SignatureDoesNotMatch':
    case 'ExpiredToken':
    case 'InvalidToken':
    case 'TokenRefreshRequired':
    case 'CredentialsProviderError':
      return new SourceError('bad-credentials', `bad credentials — ${detail}. Check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the shared credentials file/profile, or the web identity token (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN).`, { cause: e });
  }
  if (status === 301) return new SourceError('wrong-region', `wrong region — ${detail}. Check Source.S3.Region (S3 reports ${reportedRegion(e) ?? 'no region'}).`, { cause: e });
  if (status === 403) return new SourceError('access-denied', `access denied — ${detail}. Check the bucket policy and the credentials' permissions.`, { cause: e });
  if (status === 404 && code === 'NotFound') return new SourceError('no-such-bucket', `not found — ${detail}. Check Source.S3.Bucket and Source.S3.Endpoint.`, { cause: e });
  if (status === 503 || code === 'SlowDown' || (status !== undefined && status >= 500)) return new SourceError('transient', `S3 unavailable or throttling — ${detail}`, { cause: e });
  const sys = err?.code ?? '';
  if (/^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN)$/.test(sys) || /socket hang up|aborted/i.test(err?.message ?? ''))
    return new SourceError('transient', `network error — ${detail}${sys ? ` [${sys}]` : ''}. Check Source.S3.Endpoint and connectivity.`, { cause: e });
  return new SourceError('other', detail, { cause: e });
}
