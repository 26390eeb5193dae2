import { formatGoTimeString } from '@mirrorball/gofmt';
import type { SourceObject } from '@mirrorball/source';
import type { HashSelection } from './hasher.ts';

/**
 * The manifest entry of a file: everything that decides whether it must be hashed again (S3 ETag,
 * size, mtime, enabled hashes, range spec). Equal entries mean the stored records are current.
 */
export function manifestValue(obj: SourceObject, sel: HashSelection, rangeSpec: string): string {
  const flags = `${sel.sha1 ? 's1' : ''}${sel.sha256 ? 's256' : ''}${sel.md5 ? 'm5' : ''}`;
  return `${obj.etag ?? ''}\t${obj.size}\t${formatGoTimeString(obj.modTime)}\t${flags}\t${rangeSpec}`;
}

/** The ETag a manifest entry recorded ('' when none). */
export function manifestEtag(value: string | undefined): string | null {
  if (!value) return null;
  return value.slice(0, value.indexOf('\t')) || null;
}
