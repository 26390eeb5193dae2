import { ScanError } from './errors.ts';
import type { MirrorListing, ScanLog } from './types.ts';

export interface FtpListOptions { signal?: AbortSignal; log?: ScanLog }

export function listFtp(_url: string, _opts: FtpListOptions = {}): MirrorListing {
  throw new ScanError('FTP scanning not implemented yet');
}
