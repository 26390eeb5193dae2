import { formatRFC3339Nano, isUnsetTime, type GoTime } from '@mirrorball/gofmt';

/** Media type of a Metalink v4 document (RFC 5854 §7). */
export const METALINK_CONTENT_TYPE = 'application/metalink4+xml';

export interface MetalinkFile {
  /** Repository path, `/release/1.0/demo.iso`. */
  path: string;
  /** File name clients save to; defaults to the last path segment. */
  name?: string | undefined;
  size: number;
  modTime: GoTime;
  sha1: string;
  sha256: string;
  md5: string;
}

export interface MetalinkMirror {
  /** Full URL of the file on the mirror. */
  url: string;
  /** Primary country code of the mirror (upper or lower case); empty = no location attribute. */
  countryCode: string;
  /** 1 = most preferred; defaults to the position in the list (1, 2, …). */
  priority?: number | undefined;
}

export interface MetalinkInput {
  file: MetalinkFile;
  /** In selection order. */
  mirrors: readonly MetalinkMirror[];
  publisher?: { name: string; url?: string | undefined } | undefined;
  /** URL of this Metalink itself (`<origin dynamic="true">`): clients may re-fetch it for fresh mirrors. */
  origin?: string | undefined;
  /** `<generator>`, e.g. `Mirrorball/0.1.0`. */
  generator?: string | undefined;
}

// XML 1.0 forbids most C0 controls even when escaped: drop them rather than emit a broken document.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(s: string): string {
  return s
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * A file name safe for the `name` attribute (RFC 5854 §4.1.2.1: no absolute path, no `..`):
 * the caller's name or the path's last segment.
 */
function fileName(f: MetalinkFile): string {
  const raw = f.name ?? f.path.split('/').filter(Boolean).pop() ?? '';
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
  return parts.join('/') || 'download';
}

/** A Metalink v4 (RFC 5854) document describing one file and where to get it. */
export function renderMetalink(input: MetalinkInput): string {
  const { file } = input;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<metalink xmlns="urn:ietf:params:xml:ns:metalink">'];
  if (input.generator) out.push(`  <generator>${escapeXml(input.generator)}</generator>`);
  if (input.origin) out.push(`  <origin dynamic="true">${escapeXml(input.origin)}</origin>`);
  if (!isUnsetTime(file.modTime)) out.push(`  <published>${formatRFC3339Nano(file.modTime)}</published>`);
  out.push(`  <file name="${escapeXml(fileName(file))}">`);
  if (input.publisher) {
    const url = input.publisher.url ? ` url="${escapeXml(input.publisher.url)}"` : '';
    out.push(`    <publisher name="${escapeXml(input.publisher.name)}"${url}/>`);
  }
  if (file.size > 0) out.push(`    <size>${Math.trunc(file.size)}</size>`);
  // Strongest first; RFC 5854 registers these names (IANA "Hash Function Textual Names").
  for (const [type, value] of [['sha-256', file.sha256], ['sha-1', file.sha1], ['md5', file.md5]] as const) {
    if (/^[0-9a-f]+$/i.test(value)) out.push(`    <hash type="${type}">${value.toLowerCase()}</hash>`);
  }
  input.mirrors.forEach((m, i) => {
    const cc = m.countryCode.trim().toLowerCase();
    const loc = /^[a-z]{2}$/.test(cc) ? ` location="${cc}"` : '';
    const prio = Math.min(999999, Math.max(1, Math.trunc(m.priority ?? i + 1)));
    out.push(`    <url${loc} priority="${prio}">${escapeXml(m.url)}</url>`);
  });
  out.push('  </file>', '</metalink>', '');
  return out.join('\n');
}
