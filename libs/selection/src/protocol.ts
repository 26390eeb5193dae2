import type { Mirror } from '@mirrorball/model';
import type { SecureOption, SelectedMirror } from './types.ts';

/** Result of the protocol/state test (contract §3.2 step 2). reason '' = pass. */
export interface ProtocolResult {
  absoluteURL: string;
  reason: string;
}

function hasScheme(url: string): boolean {
  return url.startsWith('http://') || url.startsWith('https://');
}

function httpsReason(m: Mirror): string {
  if (m.httpURL.startsWith('http://')) return 'Not HTTPS';
  if (!m.httpsUp) return m.httpsDownReason || 'Down';
  return '';
}

function httpReason(m: Mirror): string {
  if (m.httpURL.startsWith('https://')) return 'Not HTTP';
  if (!m.httpUp) return m.httpDownReason || 'Down';
  return '';
}

export function httpsURL(url: string): string {
  return hasScheme(url) ? url : 'https://' + url;
}

export function httpURL(url: string): string {
  return hasScheme(url) ? url : 'http://' + url;
}

/** Contract §3.2 step 2: which URL the client would be sent to, and why it cannot be. */
export function checkProtocol(m: Mirror, secure: SecureOption): ProtocolResult {
  const out = { absoluteURL: '' };
  const reason = checkProtocolInto(m, secure, out);
  return { absoluteURL: out.absoluteURL, reason };
}

/** Hot-path variant of checkProtocol: writes the URL into `out`, returns the reason ('' = pass) without allocating. */
export function checkProtocolInto(m: Mirror, secure: SecureOption, out: Pick<SelectedMirror, 'absoluteURL'>): string {
  if (secure === 'withTLS') {
    out.absoluteURL = httpsURL(m.httpURL);
    return httpsReason(m);
  }
  if (secure === 'withoutTLS') {
    out.absoluteURL = httpURL(m.httpURL);
    return httpReason(m);
  }
  // Undefined: HTTPS first, then HTTP; a double failure reports both reasons (HTTP first).
  const sReason = httpsReason(m);
  if (sReason === '') {
    out.absoluteURL = httpsURL(m.httpURL);
    return '';
  }
  out.absoluteURL = httpURL(m.httpURL);
  const pReason = httpReason(m);
  if (pReason === '' || pReason === sReason) return pReason;
  return pReason + ' / ' + sReason;
}
