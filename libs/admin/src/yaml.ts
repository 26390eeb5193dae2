/**
 * The YAML document of `mirrorbits show` / `edit` (contract §6), written as Go's yaml.v2 writes
 * it (keys in struct order, float32 shortest form, `""` for empty strings, `null` for an unset
 * AllowRedirects), its parser, and the line diff `edit` prints.
 */
import { formatFloat32 } from '@mirrorball/gofmt';
import type { Mirror } from '@mirrorball/model';
import { parseDocument, stringify } from 'yaml';
import { InputError } from './errors.ts';
import { parseMirrorPatch, type MirrorPatch } from './input.ts';

export const EDIT_HEADER = "# You can now edit this mirror configuration.\n# Just save and quit when you're done.\n";
export const COMMENT_SEPARATOR = '##### Comments go below this line #####';

/** Strings that yaml.v2 leaves plain; anything else is quoted. */
function yamlString(s: string): string {
  if (s === '') return '""';
  const out = stringify(s, { lineWidth: 0 }).replace(/\n$/, '');
  return out;
}

const redirects = (n: number) => (n === 1 ? 'true' : n === 2 ? 'false' : 'null');

/** The `Key: value` lines (no comment), newline-terminated. */
export function mirrorToYaml(m: Mirror): string {
  const lines: [string, string][] = [
    ['Name', yamlString(m.name)],
    ['HttpURL', yamlString(m.httpURL)],
    ['RsyncURL', yamlString(m.rsyncURL)],
    ['FtpURL', yamlString(m.ftpURL)],
    ['SponsorName', yamlString(m.sponsorName)],
    ['SponsorURL', yamlString(m.sponsorURL)],
    ['SponsorLogoURL', yamlString(m.sponsorLogoURL)],
    ['AdminName', yamlString(m.adminName)],
    ['AdminEmail', yamlString(m.adminEmail)],
    ['CustomData', yamlString(m.customData)],
    ['ContinentOnly', String(m.continentOnly)],
    ['CountryOnly', String(m.countryOnly)],
    ['ASOnly', String(m.asOnly)],
    ['Score', String(m.score)],
    ['Latitude', formatFloat32(m.latitude)],
    ['Longitude', formatFloat32(m.longitude)],
    ['ContinentCode', yamlString(m.continentCode)],
    ['CountryCodes', yamlString(m.countryCodes)],
    ['ExcludedCountryCodes', yamlString(m.excludedCountryCodes)],
    ['ASNum', String(m.asnum)],
    ['Enabled', String(m.enabled)],
    ['AllowRedirects', redirects(m.allowRedirects)],
  ];
  return lines.map(([k, v]) => `${k}: ${v}\n`).join('');
}

/** What `edit` puts in the editor. */
export function mirrorEditDocument(m: Mirror): string {
  return `${EDIT_HEADER}\n${mirrorToYaml(m)}\n${COMMENT_SEPARATOR}\n\n${m.comment}`;
}

/**
 * Parse an edited document (with or without the comment part) into a patch of the writable
 * fields. The comment is everything below the separator line, trimmed.
 */
export function parseMirrorYaml(text: string): MirrorPatch {
  let body = text;
  let comment: string | undefined;
  const at = text.indexOf(COMMENT_SEPARATOR);
  if (at >= 0) {
    body = text.slice(0, at);
    comment = text.slice(at + COMMENT_SEPARATOR.length).trim();
  }
  const doc = parseDocument(body, { uniqueKeys: true, schema: 'core' });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line;
    throw new InputError(`invalid YAML${line ? ` at line ${line}` : ''}: ${e.message.split('\n')[0]}`);
  }
  const value = doc.toJS() as unknown;
  const obj = value === null || value === undefined ? {} : value;
  if (typeof obj !== 'object' || Array.isArray(obj)) throw new InputError('the YAML document must be a mapping of mirror settings');
  // yaml.v2 reads a scalar such as `12` into a string field too; do the same for string fields.
  const fixed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    fixed[k] = typeof v === 'number' && STRING_KEYS.has(k) ? String(v) : v === null && STRING_KEYS.has(k) ? '' : v;
  }
  if (comment !== undefined) fixed.Comment = comment;
  return parseMirrorPatch(fixed);
}

const STRING_KEYS = new Set([
  'Name', 'HttpURL', 'RsyncURL', 'FtpURL', 'SponsorName', 'SponsorURL', 'SponsorLogoURL', 'AdminName', 'AdminEmail',
  'CustomData', 'ContinentCode', 'CountryCodes', 'ExcludedCountryCodes',
]);

/** Changed lines of two YAML renderings, `- old` then `+ new`, newline-terminated. */
export function lineDiff(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  let out = '';
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (a[i]) out += `- ${a[i]}\n`;
    if (b[i]) out += `+ ${b[i]}\n`;
  }
  return out;
}
