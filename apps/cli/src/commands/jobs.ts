/** `scan` (one mirror or `-all`, progress on a terminal) and `refresh`. */
import type { MirrorJson } from '@mirrorball/admin/format';
import type { FlagSpec } from '../args.ts';
import { ApiError } from '../client.ts';
import { CliExit, EXIT, matchMirror, type Cli } from '../context.ts';

export const scanFlags: FlagSpec = {
  all: { type: 'bool', default: false, help: 'Scan all mirrors at once' },
  ftp: { type: 'bool', default: false, help: 'Force a scan using FTP' },
  rsync: { type: 'bool', default: false, help: 'Force a scan using rsync' },
  enable: { type: 'bool', default: false, help: 'Enable the mirror automatically if the scan is successful' },
  timeout: { type: 'int', default: 0, help: 'Timeout in seconds' },
  json: { type: 'bool', default: false, help: 'JSON output' },
};

interface ScanReply { Name: string; FilesIndexed: number; KnownIndexed: number; Removed: number; TZOffsetMs: number; Enabled: boolean }

export async function scan(cli: Cli, args: string[], f: Record<string, any>): Promise<void> {
  if (f.all === (args.length === 1) || args.length > 1) throw new CliExit(EXIT.USAGE, 'usage: scan [-all | IDENTIFIER]');
  const targets = f.all
    ? (await cli.client.request<{ mirrors: MirrorJson[] }>('GET', '/v1/mirrors')).mirrors.map((m) => ({ ID: m.ID, Name: m.Name }))
    : [await matchMirror(cli, args[0]!)];
  const protocol = f.rsync ? 'rsync' : f.ftp ? 'ftp' : 'all';
  const results: (ScanReply | { Name: string; error: string })[] = [];
  let failed = 0;
  for (const [i, t] of targets.entries()) {
    const progress = f.all && cli.isTTY && !f.json;
    if (progress) cli.err(`\r\x1b[K[${i + 1}/${targets.length}] scanning ${t.Name}…`);
    if (!f.json && !progress) cli.out(`Scanning ${t.Name}... `);
    try {
      const r = await cli.client.request<ScanReply>('POST', `/v1/mirrors/${t.ID}/scan`, { protocol, enable: f.enable, timeout: f.timeout });
      results.push(r);
      if (f.json) continue;
      if (progress) {
        cli.err('\r\x1b[K');
        cli.out(`Scanning ${t.Name}... `);
      }
      let s = `${r.FilesIndexed} files indexed, ${r.KnownIndexed} known and ${r.Removed} removed\n`;
      if (r.TZOffsetMs !== 0) s += `  ∟ Timezone offset detected and corrected: ${r.TZOffsetMs} milliseconds\n`;
      if (r.Enabled) s += '  ∟ Enabled\n';
      cli.out(s);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status === 0 || err.status === 401) throw err;
      failed++;
      results.push({ Name: t.Name, error: err.message });
      if (f.json) continue;
      if (progress) {
        cli.err('\r\x1b[K');
        cli.out(`Scanning ${t.Name}... `);
      }
      cli.out(`scan error: ${err.message}\n`);
    }
  }
  if (f.json) cli.out(JSON.stringify(f.all ? results : results[0], null, 2) + '\n');
  if (failed > 0) throw new CliExit(EXIT.ERROR);
}

export async function refresh(cli: Cli, f: Record<string, any>): Promise<void> {
  cli.out('Refreshing the local repository... ');
  await cli.client.request('POST', '/v1/refresh', { rehash: f.rehash });
  cli.out('done\n');
}
