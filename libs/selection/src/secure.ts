import type { SecureOption } from './types.ts';

export interface SecureOptionInput {
  /** `X-Forwarded-Proto` header value, if any. */
  forwardedProto?: string | null | undefined;
  /** Value of the `https` query parameter, if any. */
  httpsParam?: string | null | undefined;
  /** Config `AllowHTTPToHTTPSRedirects` (default true). */
  allowHttpToHttps: boolean;
}

/** Contract §2.5. */
export function secureOption({ forwardedProto, httpsParam, allowHttpToHttps }: SecureOptionInput): SecureOption {
  let opt: SecureOption = 'undefined';
  if (forwardedProto) {
    const proto = forwardedProto.toLowerCase();
    if (proto === 'https') opt = 'withTLS';
    else if (proto === 'http' && !allowHttpToHttps) opt = 'withoutTLS';
  }
  // The query parameter overrides whatever the proxy said.
  if (httpsParam === '1') opt = 'withTLS';
  else if (httpsParam === '0') opt = 'withoutTLS';
  return opt;
}
