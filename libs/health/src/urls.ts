/** Which protocols a mirror's `http` field covers, and the URL a check requests (contract §4.3, §9). */
import type { Mirror } from '@mirrorball/model';
import type { HealthProto } from '@mirrorball/redis';

/** `http://` → http only, `https://` → https only, scheme-less → both (checked separately). */
export function protocolsOf(httpURL: string): HealthProto[] {
  if (httpURL === '') return [];
  if (/^http:\/\//i.test(httpURL)) return ['http'];
  if (/^https:\/\//i.test(httpURL)) return ['https'];
  return ['http', 'https'];
}

/** The mirror's base URL for `proto`, without trailing slash. */
export function baseUrl(httpURL: string, proto: HealthProto): string {
  const bare = httpURL.replace(/^https?:\/\//i, '');
  return `${proto}://${bare}`.replace(/\/+$/, '');
}

/**
 * Percent-encode a repository path for a request line, segment by segment (`/` kept), as Go's
 * URL.EscapedPath does for paths with spaces, `#`, `?` or non-ASCII characters.
 */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function fileUrl(mirror: Pick<Mirror, 'httpURL'>, proto: HealthProto, path: string): string {
  return baseUrl(mirror.httpURL, proto) + encodePath(path);
}

/** Contract §4.3 `allowredirects`: 1 allowed, 2 forbidden, 0 follows the config's `DisallowRedirects`. */
export function redirectsAllowed(allowRedirects: number, disallowRedirects: boolean): boolean {
  if (allowRedirects === 1) return true;
  if (allowRedirects === 2) return false;
  return !disallowRedirects;
}
