import type { Mirror } from '@mirrorball/model';
import type { SecureOption } from './types.ts';

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
  if (secure === 'withTLS') return { absoluteURL: httpsURL(m.httpURL), reason: httpsReason(m) };
  if (secure === 'withoutTLS') return { absoluteURL: httpURL(m.httpURL), reason: httpReason(m) };
  // Undefined: HTTPS first, then HTTP; a double failure reports both reasons (HTTP first).
  const sReason = httpsReason(m);
  if (sReason === '') return { absoluteURL: httpsURL(m.httpURL), reason: '' };
  const pReason = httpReason(m);
  const absoluteURL = httpURL(m.httpURL);
  if (pReason === '') return { absoluteURL, reason: '' };
  return { absoluteURL, reason: pReason === sReason ? pReason : pReason + ' / ' + sReason };
}
