/** `add`, `remove`, `enable`, `disable`, `geoupdate`. */
import type { MirrorJson } from '@mirrorball/admin/format';
import type { FlagSpec } from '../args.ts';
import { CliExit, EXIT, matchMirror, type Cli } from '../context.ts';

export const addFlags: FlagSpec = {
  http: { type: 'string', default: '', help: 'HTTP base URL' },
  rsync: { type: 'string', default: '', help: 'rsync base URL' },
  ftp: { type: 'string', default: '', help: 'FTP base URL' },
  'sponsor-name': { type: 'string', default: '', help: 'Name of the sponsor' },
  'sponsor-url': { type: 'string', default: '', help: 'URL of the sponsor' },
  'sponsor-logo': { type: 'string', default: '', help: 'URL of a logo to display for this mirror' },
  'admin-name': { type: 'string', default: '', help: 'Admin\'s name' },
  'admin-email': { type: 'string', default: '', help: 'Admin\'s email' },
  'custom-data': { type: 'string', default: '', help: 'Associated data to return when the mirror is selected (i.e. json document)' },
  'continent-only': { type: 'bool', default: false, help: 'The mirror should only handle its continent' },
  'country-only': { type: 'bool', default: false, help: 'The mirror should only handle its country' },
  'as-only': { type: 'bool', default: false, help: 'The mirror should only handle clients in the same AS number' },
  score: { type: 'int', default: 0, help: 'Weight to give to the mirror during selection' },
  comment: { type: 'string', default: '', help: 'Comment' },
  json: { type: 'bool', default: false, help: 'JSON output' },
};

export async function add(cli: Cli, name: string, f: Record<string, any>): Promise<void> {
  if (/\s/.test(name)) throw new CliExit(EXIT.USAGE, 'The identifier cannot contain a space');
  if (!f.http) throw new CliExit(EXIT.USAGE, 'You *must* pass at least an HTTP URL');
  const body = {
    Name: name, HttpURL: f.http, RsyncURL: f.rsync, FtpURL: f.ftp, SponsorName: f['sponsor-name'], SponsorURL: f['sponsor-url'],
    SponsorLogoURL: f['sponsor-logo'], AdminName: f['admin-name'], AdminEmail: f['admin-email'], CustomData: f['custom-data'],
    ContinentOnly: f['continent-only'], CountryOnly: f['country-only'], ASOnly: f['as-only'], Score: f.score, Comment: f.comment,
  };
  type Reply = { mirror: MirrorJson; warnings: string[]; location: { Latitude: number; Longitude: number; Country: string; Continent: string; ASN: string } };
  let r: Reply;
  try {
    r = await cli.client.request<Reply>('POST', '/v1/mirrors', body);
  } catch (err) {
    if ((err as { status?: number }).status === 409) {
      cli.err(`Mirror ${name} already exists!\n`);
      throw new CliExit(EXIT.CONFLICT);
    }
    throw err;
  }
  if (f.json) {
    cli.out(JSON.stringify(r, null, 2) + '\n');
    return;
  }
  let s = r.warnings.map((w) => w + '\n').join('');
  if (r.location.Country) {
    s += 'Mirror location:\n';
    s += `Latitude:  ${r.location.Latitude.toFixed(4)}\n`;
    s += `Longitude: ${r.location.Longitude.toFixed(4)}\n`;
    s += `Continent: ${r.location.Continent}\n`;
    s += `Country:   ${r.location.Country}\n`;
    s += `ASN:       ${r.location.ASN}\n`;
  }
  s += `\nMirror '${name}' added successfully\nEnable this mirror using\n  $ mirrorball enable ${name}\n`;
  cli.out(s);
}

export async function remove(cli: Cli, pattern: string, force: boolean): Promise<void> {
  const m = await matchMirror(cli, pattern);
  if (!force) {
    const a = await cli.ask(`Removing ${m.Name}, are you sure? [y/N]`);
    if (!/^y(es)?$/i.test(a.trim())) {
      cli.out('Aborted\n');
      throw new CliExit(EXIT.ABORTED);
    }
  }
  await cli.client.request('DELETE', `/v1/mirrors/${m.ID}`);
  cli.out(`Mirror '${m.Name}' removed successfully\n`);
}

export async function changeStatus(cli: Cli, pattern: string, enabled: boolean): Promise<void> {
  const m = await matchMirror(cli, pattern);
  await cli.client.request('POST', `/v1/mirrors/${m.ID}/${enabled ? 'enable' : 'disable'}`);
  cli.out(`Mirror '${m.Name}' ${enabled ? 'enabled' : 'disabled'} successfully\n`);
}

export async function geoupdate(cli: Cli, pattern: string, force: boolean): Promise<void> {
  const m = await matchMirror(cli, pattern);
  const r = await cli.client.request<{ diff: string; warnings: string[] }>('POST', `/v1/mirrors/${m.ID}/geoupdate`, { save: false });
  for (const w of r.warnings) cli.out(w + '\n');
  if (r.diff === '') {
    cli.out('Mirror location is up to date\n');
    return;
  }
  cli.out(r.diff + '\n');
  if (!force) {
    const a = await cli.ask(`Update mirror ${m.Name}? [y/N]`);
    if (!/^y(es)?$/i.test(a.trim())) {
      cli.out('Aborted\n');
      throw new CliExit(EXIT.ABORTED);
    }
  }
  await cli.client.request('POST', `/v1/mirrors/${m.ID}/geoupdate`, { save: true });
  cli.out(`Mirror '${m.Name}' updated successfully\n`);
}
