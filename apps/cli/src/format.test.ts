/** CLI output against real Mirrorbits captures, byte for byte. */
import fs from 'node:fs';
import path from 'node:path';
import { emptyMirror } from '@mirrorball/model';
import { lineDiff, mirrorEditDocument, mirrorToJson, mirrorToYaml, type MirrorJson } from '@mirrorball/admin/format';
import { describe, expect, it } from 'vitest';
import { flagHelp } from './args.ts';
import { renderList } from './commands/list.ts';
import { exportFlags, renderStatsFile, renderStatsMirror } from './commands/reads.ts';
import { readableSize } from './size.ts';
import { tabwrite } from './tabwriter.ts';

const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '../testdata');
const capture = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
/** The output block following `$ <command>` up to the next `$ ` line. */
function block(text: string, command: string): string {
  const lines = text.split('\n');
  const i = lines.indexOf(`$ ${command}`);
  if (i < 0) throw new Error(`no ${command}`);
  const out: string[] = [];
  let eof = true;
  for (const l of lines.slice(i + 1)) {
    if (l.startsWith('$ ')) {
      eof = false;
      break;
    }
    out.push(l);
  }
  // The file's own final newline is not part of the output block.
  if (eof && out.at(-1) === '') out.pop();
  return out.join('\n');
}

function mirror(id: number, name: string, patch: Partial<ReturnType<typeof emptyMirror>>): MirrorJson {
  return mirrorToJson({ ...emptyMirror(id), name, ...patch });
}

const THREE = [
  mirror(1, 'gb-mirror', { httpURL: 'http://127.0.0.1/m1/', rsyncURL: 'rsync://127.0.0.1:8730/m1/' }),
  mirror(2, 'us-mirror', { httpURL: 'http://127.0.0.1/m2/', rsyncURL: 'rsync://127.0.0.1:8730/m2/', score: 10 }),
  mirror(3, 'se-mirror', { httpURL: 'http://127.0.0.1/m3/', rsyncURL: 'rsync://127.0.0.1:8730/m3/' }),
];
const FLAGS = { http: true, rsync: true, score: true, location: true, state: true };

describe('list', () => {
  it('matches capture 01 (disabled, never checked, no location)', () => {
    expect(renderList(THREE, FLAGS)).toBe(block(capture('01-add.txt'), 'mirrorbits list -http -rsync -score -location') + '\n');
  });

  it('matches capture 04 (up, located)', () => {
    const since = Date.UTC(2026, 10, 25, 20, 27, 7) / 1000;
    const loc = [['GB', 'EU'], ['US CA', 'NA'], ['SE', 'EU']];
    const up = THREE.map((m, i) => ({ ...m, Enabled: true, HttpUp: true, Up: true, StateSince: since, CountryCodes: loc[i]![0]!, ContinentCode: loc[i]![1]! }));
    expect(renderList(up, FLAGS)).toBe(block(capture('04-list.txt'), 'mirrorbits list -http -rsync -score -location') + '\n');
  });
});

const GB = { ...emptyMirror(1), name: 'gb-mirror', httpURL: 'http://127.0.0.1/m1/', rsyncURL: 'rsync://127.0.0.1:8730/m1/', sponsorName: 'GB Sponsor',
  sponsorURL: 'https://gb.example.org', adminName: 'Alice', adminEmail: 'alice@example.org', comment: 'GB test mirror' };

describe('YAML', () => {
  it('writes the edit document of capture 01-edit-yaml-gb', () => {
    const c = capture('01-edit-yaml-gb.txt');
    expect(mirrorEditDocument(GB)).toBe(c.slice(0, c.indexOf('Aborted')).replace(/\n$/, ''));
  });

  it('writes show of capture 04 and the diff of capture 02', () => {
    const located = { ...GB, latitude: Math.fround(51.5142), longitude: Math.fround(-0.0931), continentCode: 'EU', countryCodes: 'GB', enabled: true };
    expect(`${mirrorToYaml(located)}\nComment:\n${located.comment}`).toBe(block(capture('04-list.txt'), 'mirrorbits show gb-mirror'));
    const edit = block(capture('02-edit-geo.txt'), 'EDITOR=geo-editor.sh LAT=51.5142 LON=-0.0931 CONT=EU CC=GB mirrorbits edit gb-mirror');
    expect(`${lineDiff(mirrorToYaml(GB), mirrorToYaml({ ...located, enabled: false }))}\nMirror 'gb-mirror' edited successfully`).toBe(edit);
  });
});

describe('stats, export, sizes', () => {
  it('matches capture 15', () => {
    const c = capture('15-cli-misc.txt');
    const gb = { ...THREE[0]!, Enabled: true, Up: true };
    expect(renderStatsMirror('gb-mirror', gb, 919456, readableSize(224.5 * 2 ** 30))).toBe(block(c, 'mirrorbits stats mirror gb-mirror') + '\n');
    const p = '/pool/main/h/hello/hello_2.10-3_amd64.deb';
    expect(renderStatsFile({ [p]: 3199000 }, 3199000)).toBe(block(c, `mirrorbits stats file ${p}`) + '\n');
    expect(`\nUsage: mirrorbits export [format]\n\nExport the mirror database.\n\nAvailable formats: mirmon\n\n${flagHelp(exportFlags)}`)
      .toBe(block(c, 'mirrorbits export'));
  });

  it('formats sizes as Mirrorbits sizeof', () => {
    expect([0, 1024, 1000000, 5 * 2 ** 40 * 1024].map(readableSize)).toEqual(['0.0 bytes', '1.0 KiB', '976.6 KiB', '5120.0 TiB']);
  });

  it('aligns like Go tabwriter (padding with tabs, column blocks)', () => {
    expect(tabwrite('a\tb\nlonger-than-8\tc\n')).toBe('a\t\tb\nlonger-than-8\tc\n');
    expect(tabwrite('exactly8\tx\n')).toBe('exactly8x\n');
  });
});
