/** `stats`, `logs`, `export`, `version`, `reload`. */
import type { MirrorJson } from '@mirrorball/admin/format';
import type { FlagSpec } from '../args.ts';
import { CliExit, EXIT, matchMirror, type Cli } from '../context.ts';
import { readableSize } from '../size.ts';
import { tabwrite } from '../tabwriter.ts';

export const statsFlags: FlagSpec = {
  'start-date': { type: 'string', default: '', help: 'Starting date (format YYYY-MM-DD)' },
  'end-date': { type: 'string', default: '', help: 'Ending date (format YYYY-MM-DD)' },
  h: { type: 'bool', default: true, alias: ['human'], help: 'Human readable version' },
  json: { type: 'bool', default: false, help: 'JSON output' },
};

export async function stats(cli: Cli, args: string[], f: Record<string, any>): Promise<void> {
  if (args.length !== 2 || !['file', 'mirror'].includes(args[0]!)) throw new CliExit(EXIT.USAGE, 'usage: stats [flags] file <regexp> | mirror <identifier>');
  const q = new URLSearchParams();
  if (f['start-date']) q.set('start', f['start-date']);
  if (f['end-date']) q.set('end', f['end-date']);
  if (args[0] === 'file') {
    q.set('pattern', args[1]!);
    const r = await cli.client.request<{ files: Record<string, number>; total: number }>('GET', `/v1/stats/files?${q}`);
    if (f.json) return cli.out(JSON.stringify(r, null, 2) + '\n');
    return cli.out(renderStatsFile(r.files, r.total));
  }
  const m = await matchMirror(cli, args[1]!);
  const r = await cli.client.request<{ mirror: MirrorJson; requests: number; bytes: number }>('GET', `/v1/mirrors/${m.ID}/stats?${q}`);
  if (f.json) return cli.out(JSON.stringify({ name: m.Name, requests: r.requests, bytes: r.bytes }, null, 2) + '\n');
  cli.out(renderStatsMirror(m.Name, r.mirror, r.requests, f.h ? readableSize(r.bytes) : String(r.bytes)));
}

/** Mirrorbits aligns these with its tabwriter and ends with an empty line (capture 15). */
export function renderStatsFile(files: Record<string, number>, total: number): string {
  let s = '';
  for (const [p, n] of Object.entries(files)) s += `${p}:\t${n}\n`;
  s += '\t\t\t\t\t\t\n';
  s += `Total download requests: \t${total}\n`;
  return tabwrite(s) + '\n';
}

export function renderStatsMirror(name: string, m: MirrorJson, requests: number, bytes: string): string {
  const status = !m.Enabled ? 'disabled' : m.Up ? 'up' : 'down';
  return tabwrite(`Identifier:\t${name}\nStatus:\t${status}\nDownload requests:\t${requests}\nBytes transferred:\t${bytes}\n`) + '\n';
}

export async function logs(cli: Cli, pattern: string, f: Record<string, any>): Promise<void> {
  const m = await matchMirror(cli, pattern);
  const r = await cli.client.request<{ lines: string[] }>('GET', `/v1/mirrors/${m.ID}/logs?max=${f.l}`);
  if (f.json) return cli.out(JSON.stringify(r.lines, null, 2) + '\n');
  if (r.lines.length === 0) return cli.out(`No logs for ${m.Name}\n`);
  // The empty line at the end is Mirrorbits' (capture 15).
  cli.out(`Printing logs for ${m.Name}:\n` + r.lines.map((l) => l + '\n').join('') + '\n');
}

export const exportFlags: FlagSpec = {
  disabled: { type: 'bool', default: true, help: 'Export disabled mirrors' },
  ftp: { type: 'bool', default: true, help: 'Export ftp URLs' },
  http: { type: 'bool', default: true, help: 'Export http URLs' },
  rsync: { type: 'bool', default: true, help: 'Export rsync URLs' },
};

export async function exportCmd(cli: Cli, args: string[], f: Record<string, any>, usage: string): Promise<void> {
  if (args.length !== 1) throw new CliExit(EXIT.USAGE, usage);
  if (args[0] !== 'mirmon') throw new CliExit(EXIT.USAGE, `Unsupported export format: ${args[0]}`);
  const q = new URLSearchParams({ http: String(f.http), rsync: String(f.rsync), ftp: String(f.ftp), disabled: String(f.disabled) });
  cli.out(await cli.client.request<string>('GET', `/v1/export/mirmon?${q}`));
}

interface Version { Version: string; Build: string; GoVersion: string; OS: string; Arch: string; GoMaxProcs: number }

function versionBlock(v: Version): string {
  return ` Version:          ${v.Version}\n Build:            ${v.Build}\n GoVersion:        ${v.GoVersion}\n Operating System: ${v.OS}\n Architecture:     ${v.Arch}\n Gomaxprocs:       ${v.GoMaxProcs}\n`;
}

export async function version(cli: Cli, client: Version, json: boolean): Promise<void> {
  let server: Version | null = null;
  let error = '';
  try {
    server = await cli.client.request<Version>('GET', '/v1/version');
  } catch (err) {
    error = (err as Error).message;
  }
  if (json) return cli.out(JSON.stringify({ client, server, ...(error ? { error } : {}) }, null, 2) + '\n');
  cli.out(`Client:\n${versionBlock(client)}\nServer:\n${server ? versionBlock(server) : ` ${error}\n`}`);
  if (!server) throw new CliExit(EXIT.UNREACHABLE);
}

export async function reload(cli: Cli): Promise<void> {
  await cli.client.request('POST', '/v1/reload');
}
