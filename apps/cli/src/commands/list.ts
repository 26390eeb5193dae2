/** `list`: Mirrorbits' tab-aligned table, newest state change first; `--json` for scripts. */
import { formatRFC1123, goTimeFromUnix } from '@mirrorball/gofmt';
import type { MirrorJson } from '@mirrorball/admin/format';
import type { FlagSpec } from '../args.ts';
import type { Cli } from '../context.ts';
import { tabwrite } from '../tabwriter.ts';

export const listFlags: FlagSpec = {
  http: { type: 'bool', default: false, help: 'Print HTTP addresses' },
  rsync: { type: 'bool', default: false, help: 'Print rsync addresses' },
  ftp: { type: 'bool', default: false, help: 'Print FTP addresses' },
  location: { type: 'bool', default: false, help: 'Print the country and continent code' },
  state: { type: 'bool', default: true, help: 'Print the state of the mirror' },
  score: { type: 'bool', default: false, help: 'Print the score of the mirror' },
  disabled: { type: 'bool', default: false, help: 'List disabled mirrors only' },
  enabled: { type: 'bool', default: false, help: 'List enabled mirrors only' },
  down: { type: 'bool', default: false, help: 'List only enabled mirrors that are down' },
  reason: { type: 'bool', default: false, help: 'Print the reason a mirror is down (Mirrorball)' },
  json: { type: 'bool', default: false, help: 'JSON output' },
};

/** Zero time for a never-changed state, as Mirrorbits prints it. */
export function since(sec: number): string {
  return sec === 0 ? 'Mon, 01 Jan 0001 00:00:00 UTC' : formatRFC1123(goTimeFromUnix(sec));
}

function stateOf(m: MirrorJson): string {
  if (!m.Enabled) return 'disabled';
  if (m.HttpURL.startsWith('http://') || m.HttpURL.startsWith('https://') || m.HttpUp === m.HttpsUp) return m.Up ? 'up' : 'down';
  return m.HttpUp ? 'up/down' : 'down/up';
}

export async function list(cli: Cli, f: Record<string, any>): Promise<void> {
  let mirrors = (await cli.client.request<{ mirrors: MirrorJson[] }>('GET', '/v1/mirrors')).mirrors;
  if (f.disabled) mirrors = mirrors.filter((m) => !m.Enabled);
  if (f.enabled) mirrors = mirrors.filter((m) => m.Enabled);
  if (f.down) mirrors = mirrors.filter((m) => m.Enabled && !m.Up);
  // Stable: equal times keep id order.
  mirrors = mirrors.map((m, i) => [m, i] as const).sort((a, b) => b[0].StateSince - a[0].StateSince || a[1] - b[1]).map(([m]) => m);
  cli.out(f.json ? JSON.stringify(mirrors, null, 2) + '\n' : renderList(mirrors, f));
}

/** The table, as `mirrorbits list` prints it (rows in the given order). */
export function renderList(mirrors: MirrorJson[], f: Record<string, any>): string {
  let t = 'Identifier ';
  if (f.score) t += '\tSCORE';
  if (f.http) t += '\tHTTP ';
  if (f.rsync) t += '\tRSYNC ';
  if (f.ftp) t += '\tFTP ';
  if (f.location) t += '\tLOCATION ';
  if (f.state) t += '\tSTATE\tSINCE';
  if (f.reason) t += '\tREASON';
  t += '\n';
  for (const m of mirrors) {
    t += `${m.Name} `;
    if (f.score) t += `\t${m.Score} `;
    if (f.http) t += `\t${m.HttpURL} `;
    if (f.rsync) t += `\t${m.RsyncURL} `;
    if (f.ftp) t += `\t${m.FtpURL} `;
    if (f.location) t += `\t${m.CountryCodes.split(' ')[0]} (${m.ContinentCode}) `;
    if (f.state) t += `\t${stateOf(m)} \t(${since(m.StateSince)})`;
    if (f.reason) t += `\t${[m.HttpDownReason, m.HttpsDownReason].filter(Boolean).join('; ')}`;
    t += '\n';
  }
  return tabwrite(t);
}
